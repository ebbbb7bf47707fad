"""What /api/v1/ shows of reviews, and what it accepts.

Serializers read what the views loaded (``reviews.api.views``): the author, the reply and its
publisher come with the review (select_related), the caller's helpful votes are one set of ids
in the context (``voted``). None of them queries the database per review.

Text is returned as it was stored: JSON carries it as text, never as markup; whoever renders it
in HTML escapes it. An author is shown by a display name (``author_name``), never by e-mail.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.api.serializers import RatingDetailSerializer, api_url
from reviews.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Review,
    ReviewReport,
    author_name,
)

# Statuses whose reason (the editor's) is shown to the review's author.
EXPLAINED_STATUSES = (Review.Status.REJECTED, Review.Status.REMOVED)


def review_url(request, review_id: int) -> str:
    return request.build_absolute_uri(reverse("api:review-detail", kwargs={"id": review_id}))


# --- Reading -------------------------------------------------------------------------------


class ReplyPublisherSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ReviewReplySerializer(serializers.Serializer):
    """La réponse de l'éditeur de l'application, signée de son nom."""

    body = serializers.CharField()
    publisher = ReplyPublisherSerializer()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class HeldBecauseSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Review.HeldBecause.values)
    label = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    """Un avis ; son auteur voit aussi pourquoi il attend ou a été refusé."""

    # Context: ``request``, and ``voted``, the ids of the reviews the caller found helpful.

    id = serializers.IntegerField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True)
    language = serializers.CharField(help_text="Langue de l'avis (celle de la requête d'envoi).")
    status = serializers.ChoiceField(
        choices=Review.Status.values,
        help_text="Toujours published pour les avis des autres ; l'auteur voit aussi pending "
        "(en attente de modération), rejected et removed.",
    )
    author = serializers.SerializerMethodField(
        help_text="Prénom et initiale du nom, ou identifiant ; jamais l'adresse e-mail."
    )
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    helpful_count = serializers.IntegerField(help_text="Votes « utile ».")
    voted_helpful = serializers.SerializerMethodField(
        help_text="L'appelant a voté « utile » (false sans authentification)."
    )
    is_mine = serializers.SerializerMethodField(help_text="L'appelant en est l'auteur.")
    held_because = serializers.SerializerMethodField(
        help_text="Pour l'auteur d'un avis en attente : les règles de modération qui le "
        "retiennent ; vide sinon."
    )
    moderation_reason = serializers.SerializerMethodField(
        help_text="Pour l'auteur d'un avis refusé ou retiré : le motif de l'équipe éditoriale ; "
        "null sinon."
    )
    reply = serializers.SerializerMethodField(help_text="La réponse de l'éditeur, ou null.")
    url = serializers.SerializerMethodField(help_text="L'avis dans l'API.")

    def is_own(self, review) -> bool:
        user = self.context["request"].user
        return user.is_authenticated and review.author_id == user.pk

    def get_author(self, review) -> str:
        return author_name(review.author)

    def get_voted_helpful(self, review) -> bool:
        return review.pk in self.context.get("voted", ())

    def get_is_mine(self, review) -> bool:
        return self.is_own(review)

    @extend_schema_field(HeldBecauseSerializer(many=True))
    def get_held_because(self, review) -> list[dict]:
        if not (self.is_own(review) and review.status == Review.Status.PENDING):
            return []
        labels = dict(Review.HeldBecause.choices)
        return [
            {"code": code, "label": str(labels.get(code, code))} for code in review.held_because
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_moderation_reason(self, review) -> str | None:
        if self.is_own(review) and review.status in EXPLAINED_STATUSES:
            return review.moderation_reason
        return None

    @extend_schema_field(ReviewReplySerializer(allow_null=True))
    def get_reply(self, review) -> dict | None:
        reply = getattr(review, "reply", None)  # a missing reply raises an AttributeError
        return ReviewReplySerializer(reply).data if reply is not None else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, review) -> str:
        return review_url(self.context["request"], review.pk)


class ReviewAppSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="title")
    url = serializers.SerializerMethodField(help_text="L'application dans l'API.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, app) -> str:
        return api_url(self.context["request"], "app-detail", slug=app.slug)


class MyReviewSerializer(ReviewSerializer):
    """Un avis de l'appelant, avec son application et son statut en toutes lettres."""

    app = ReviewAppSerializer()
    status_label = serializers.CharField(source="get_status_display")


class ReviewPageSerializer(serializers.Serializer):
    """Les avis d'une application, page par page, et sa note (avis publiés)."""

    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    rating = RatingDetailSerializer(
        help_text="Note moyenne, nombre et répartition des avis publiés de l'application."
    )
    results = ReviewSerializer(many=True)


class MyReviewPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MyReviewSerializer(many=True)


# --- Writing -------------------------------------------------------------------------------


class ReviewWriteSerializer(serializers.Serializer):
    """Un nouvel avis (note obligatoire) ou, en partie, ses modifications."""

    rating = serializers.IntegerField(min_value=1, max_value=5, help_text="De 1 à 5.")
    title = serializers.CharField(
        max_length=TITLE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    body = serializers.CharField(
        max_length=BODY_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ReportWriteSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReviewReport.Reason.choices)
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ReportSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReviewReport.Reason.choices)
    comment = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class ReplyWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=REPLY_MAX_LENGTH)
