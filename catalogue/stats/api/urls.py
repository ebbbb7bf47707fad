"""/api/v1/ routes of the statistics; names are under the "api" namespace."""

from django.urls import path

from catalogue.stats.api import views

urlpatterns = [
    path("publisher/<str:slug>/stats/", views.PublisherStatsView.as_view(), name="publisher-stats"),
]
