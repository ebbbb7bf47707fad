"""/api/v1/ routes of search; names are under the "api" namespace."""

from django.urls import path

from search.api import views

urlpatterns = [
    path("apps/", views.AppListView.as_view(), name="app-list"),
    path("suggest/", views.SuggestView.as_view(), name="suggest"),
]
