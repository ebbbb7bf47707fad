"""Public routes of the catalogue's app pages (POST only): favourite toggle, problem report.

Included by store/urls.py before Wagtail's catch-all. The pages themselves are Wagtail's.
"""

from django.urls import path

from catalogue import views

urlpatterns = [
    path(
        "favoris/application/<int:app_id>/",
        views.toggle_favourite,
        name="app_favourite_toggle",
    ),
    path(
        "signalement/application/<int:app_id>/",
        views.report_problem,
        name="app_problem_report",
    ),
]
