"""/api/v1/ routes of the catalogue (read side); names are under the "api" namespace.

The apps list and suggestions are search's (search/api/urls.py)."""

from django.urls import path

from catalogue.api import export, views

urlpatterns = [
    path("apps/<str:slug>/", views.AppDetailView.as_view(), name="app-detail"),
    path("categories/", views.CategoryTreeView.as_view(), name="category-list"),
    path("export/catalogue.json", export.ExportJsonView.as_view(), name="export-json"),
    path("export/catalogue.csv", export.ExportCsvView.as_view(), name="export-csv"),
    path("export/catalogue.xml", export.ExportAppStreamView.as_view(), name="export-appstream"),
    path("publishers/", views.PublisherListView.as_view(), name="publisher-list"),
    path("publishers/<str:slug>/", views.PublisherDetailView.as_view(), name="publisher-detail"),
    path("collections/", views.CollectionListView.as_view(), name="collection-list"),
    path(
        "collections/<str:slug>/",
        views.CollectionDetailView.as_view(),
        name="collection-detail",
    ),
]
