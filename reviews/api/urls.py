"""/api/v1/ routes of reviews; names are under the "api" namespace."""

from django.urls import path

from reviews.api import views

urlpatterns = [
    path("apps/<str:slug>/reviews/", views.AppReviewListView.as_view(), name="app-review-list"),
    path("reviews/<int:id>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/<int:id>/helpful/", views.HelpfulVoteView.as_view(), name="review-helpful"),
    path("reviews/<int:id>/reports/", views.ReportView.as_view(), name="review-reports"),
    path("reviews/<int:id>/reply/", views.ReplyView.as_view(), name="review-reply"),
    path("me/reviews/", views.MyReviewListView.as_view(), name="my-review-list"),
]
