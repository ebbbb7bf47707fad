"""/api/v1/ routes of the caller's account: API token, favourites, data export, deletion."""

from django.urls import path

from catalogue.api.favourites import FavouriteListView, FavouriteView
from store.api.auth import AuthTokenView
from store.api.me import MeExportView, MeView

urlpatterns = [
    path("auth/token/", AuthTokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("me/export/", MeExportView.as_view(), name="me-export"),
    path("me/favourites/", FavouriteListView.as_view(), name="favourite-list"),
    path("me/favourites/<str:slug>/", FavouriteView.as_view(), name="favourite-detail"),
]
