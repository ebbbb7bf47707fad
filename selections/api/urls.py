"""/api/v1/ routes of the selections; names are under the "api" namespace."""

from django.urls import path

from selections.api import views

urlpatterns = [
    path("selections/", views.SelectionListView.as_view(), name="selection-list"),
    path("selections/<int:id>/", views.SelectionDetailView.as_view(), name="selection-detail"),
    path("selections/<int:id>/share/", views.SelectionShareView.as_view(), name="selection-share"),
    path(
        "selections/<int:id>/revoke/",
        views.SelectionRevokeView.as_view(),
        name="selection-revoke",
    ),
    path(
        "selections/<int:id>/duplicate/",
        views.SelectionDuplicateView.as_view(),
        name="selection-duplicate",
    ),
    path(
        "shared-selections/<str:token>/",
        views.SharedSelectionView.as_view(),
        name="shared-selection-detail",
    ),
]
