"""Public URLs of the statistics (included at the site root by store/urls.py)."""

from django.urls import path

from catalogue.stats import views

app_name = "stats"

urlpatterns = [
    path("go/<slug:slug>/<slug:platform>/", views.go, name="go"),
]
