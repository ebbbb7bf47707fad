"""Public routes of reviews (/avis/…, and "Mes avis" at /compte/avis/).

Included by store/urls.py before Wagtail's catch-all. Every /avis/ route takes POST only.
"""

from django.urls import path

from reviews import views

urlpatterns = [
    path("avis/application/<int:app_id>/", views.submit_review, name="review_submit"),
    path("avis/<int:review_id>/modifier/", views.edit_review, name="review_edit"),
    path("avis/<int:review_id>/supprimer/", views.delete_review, name="review_delete"),
    path("avis/<int:review_id>/utile/", views.helpful, name="review_helpful"),
    path("avis/<int:review_id>/signaler/", views.report, name="review_report"),
    path("avis/<int:review_id>/reponse/", views.save_reply, name="review_reply"),
    path(
        "avis/<int:review_id>/reponse/supprimer/",
        views.delete_reply,
        name="review_reply_delete",
    ),
    path("compte/avis/", views.my_reviews, name="account_reviews"),
]
