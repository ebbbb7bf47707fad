"""/api/v1/ routes of the caller's account: API token, favourites."""

from django.urls import path

from catalogue.api.favourites import FavouriteListView, FavouriteView
from store.api.auth import AuthTokenView

urlpatterns = [
    path("auth/token/", AuthTokenView.as_view(), name="auth-token"),
    path("me/favourites/", FavouriteListView.as_view(), name="favourite-list"),
    path("me/favourites/<str:slug>/", FavouriteView.as_view(), name="favourite-detail"),
]
