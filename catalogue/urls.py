"""Public routes of the catalogue: the app pages' forms (POST only: favourite toggle, problem
report) and the Atom feeds of new and updated apps (catalogue.feeds).

Included by store/urls.py before Wagtail's catch-all. The pages themselves are Wagtail's.
"""

from django.urls import path

from catalogue import feeds, views

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
    path("flux/applications/nouvelles.atom", feeds.NewAppsFeed(), name="atom_new"),
    path("flux/applications/mises-a-jour.atom", feeds.UpdatedAppsFeed(), name="atom_updated"),
    path("flux/univers/<slug:slug>/nouvelles.atom", feeds.NewAppsFeed(), name="atom_new_universe"),
    path(
        "flux/univers/<slug:slug>/mises-a-jour.atom",
        feeds.UpdatedAppsFeed(),
        name="atom_updated_universe",
    ),
]
