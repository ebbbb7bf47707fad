"""Reviews in /api/v1/: an app's reviews, writing one, votes, reports, the publisher's reply,
and the caller's own reviews.

- Every write goes through ``reviews.services`` (moderation, aggregates, reindexing); a rule it
  refuses becomes a JSON error here, never a 500.
- Who sees what: a review is public when it is published and its app is live; its author
  also sees it whatever its status (and whatever became of the app: it is theirs to edit or
  delete). A review the caller cannot see is a 404, whatever they meant to do with it; one
  they can see but may not change is a 403.
- Answers depend on the caller (``is_mine``, ``voted_helpful``, their pending review in the
  list): none of them is kept by a cache, and the catalogue's ETags do not cover them. The
  app's rating figures do follow the catalogue version (``/api/v1/apps/{slug}/``): they change
  with a reindexing, which moves it.
- The lists issue a fixed number of queries whatever the page size: the reviews come with their
  author, reply and publisher, and the caller's votes on the page are one query.
"""

from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.api.serializers import RatingDetailSerializer
from catalogue.models import AppPage
from reviews import services
from reviews.api.serializers import (
    MyReviewPageSerializer,
    MyReviewSerializer,
    ReplyWriteSerializer,
    ReportSerializer,
    ReportWriteSerializer,
    ReviewPageSerializer,
    ReviewReplySerializer,
    ReviewSerializer,
    ReviewWriteSerializer,
    review_url,
)
from reviews.api.throttles import REVIEW_THROTTLES
from reviews.models import HelpfulVote, Review
from web.pagination import PAGE_PARAMETERS, PageQuerySerializer, paginate
from web.problems import ErrorSerializer, problem

# Review ids are bigints: a larger number in a URL is a 404, not a database error.
MAX_ID = 2**63 - 1

# --- Schema pieces -------------------------------------------------------------------------

SLUG_PARAMETER = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Identifiant de l'application."
)
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant de l'avis."
)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


AUTH_ERRORS = {
    401: error("Non authentifié."),
    429: error("Trop de requêtes (voir Retry-After)."),
}
NOT_VISIBLE = error("Aucun avis publié (ni de l'appelant) sous cet identifiant.")


class ConflictSerializer(ErrorSerializer):
    """L'erreur 409 d'un second avis : l'adresse de l'avis existant (aussi en Location)."""

    existing = serializers.URLField(help_text="L'avis existant dans l'API.")

    class Meta:
        ref_name = "ReviewConflict"


# --- Lookups -------------------------------------------------------------------------------


def live_app(slug: str) -> AppPage:
    """The live app of that slug, or a 404 (PostgreSQL refuses NUL characters: a 404 too)."""
    app = None
    if "\x00" not in slug:
        app = AppPage.objects.visible().filter(slug=slug).order_by("pk").first()
    if app is None:
        raise NotFound()
    return app


def is_public(review: Review) -> bool:
    return (
        review.status == Review.Status.PUBLISHED
        and AppPage.objects.visible().filter(pk=review.app_id).exists()
    )


def is_own(review: Review, user) -> bool:
    return user.is_authenticated and review.author_id == user.pk


def visible_review(request, review_id: int) -> Review:
    """The review if the caller may see it (public, or theirs), else a 404."""
    review = any_review(review_id)
    if not (is_own(review, request.user) or is_public(review)):
        raise NotFound()
    return review


def any_review(review_id: int) -> Review:
    if review_id > MAX_ID:
        raise NotFound()
    return get_object_or_404(
        Review.objects.select_related("app", "author", "reply__publisher"), pk=review_id
    )


def own_review(request, review_id: int) -> Review:
    """The caller's review; someone else's is a 403 if they can see it, a 404 if not."""
    review = visible_review(request, review_id)
    if not is_own(review, request.user):
        raise PermissionDenied(_("Seul l'auteur d'un avis peut le modifier ou le supprimer."))
    return review


def request_language() -> str:
    return (get_language() or "fr")[: Review._meta.get_field("language").max_length]


def conflict(detail: str, existing: str | None = None) -> Response:
    """A 409 in the common error shape; for a second review, with the existing one's URL."""
    body = problem("conflict", status.HTTP_409_CONFLICT, detail)
    headers = {}
    if existing is not None:
        body["existing"] = existing
        headers["Location"] = existing
    return Response(body, status=status.HTTP_409_CONFLICT, headers=headers)


def forbidden(refused: services.ReviewError) -> PermissionDenied:
    """A rule of the services the caller may not break: a 403 with its message."""
    return PermissionDenied(refused.message)


# --- Pagination ----------------------------------------------------------------------------


class ReviewQuerySerializer(PageQuerySerializer):
    sort = serializers.ChoiceField(choices=list(Review.SORTS), default="recent", required=False)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)


REVIEW_LIST_PARAMETERS = [
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(Review.SORTS),
        description="Tri : recent (par défaut, les plus récents d'abord), helpful (les plus "
        "utiles), rating_high, rating_low.",
    ),
    OpenApiParameter(
        "rating",
        {"type": "integer", "minimum": 1, "maximum": 5},
        description="Seulement les avis de cette note.",
    ),
    *PAGE_PARAMETERS,
]


def helpful_votes(user, reviews) -> set[int]:
    """Which of these reviews the user found helpful: one query (none when anonymous)."""
    if not user.is_authenticated or not reviews:
        return set()
    return set(
        HelpfulVote.objects.filter(user=user, review__in=[review.pk for review in reviews])
        .values_list("review_id", flat=True)
        .order_by()
    )


# --- Views ---------------------------------------------------------------------------------


class ReviewAPIView(APIView):
    """Reviews answer per caller: never cached. Writes count against ``throttle_scope``."""

    throttle_classes = REVIEW_THROTTLES

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def context(self, reviews=()) -> dict:
        return {"request": self.request, "voted": helpful_votes(self.request.user, reviews)}


class AppReviewListView(ReviewAPIView):
    throttle_scope = "review_post"

    @extend_schema(
        operation_id="apps_reviews_list",
        summary="Les avis d'une application",
        description="Les avis publiés, et ceux de l'appelant quel que soit leur statut, avec la "
        "note moyenne, le nombre et la répartition des avis publiés (rating).",
        parameters=[SLUG_PARAMETER, *REVIEW_LIST_PARAMETERS],
        responses={
            200: ReviewPageSerializer,
            400: error("Paramètre invalide (sort, rating, page, page_size)."),
            404: error("Aucune application publiée."),
            429: AUTH_ERRORS[429],
        },
        tags=["reviews"],
    )
    def get(self, request, slug):
        app = live_app(slug)
        query = ReviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        reviews = Review.objects.filter(app=app).visible_to(request.user)
        if "rating" in params:
            reviews = reviews.filter(rating=params["rating"])
        reviews = reviews.for_display().select_related("reply__publisher")
        rows, envelope = paginate(
            request, reviews.sorted_by(params["sort"]), params["page"], params["page_size"]
        )
        return Response(
            {
                **envelope,
                "rating": RatingDetailSerializer(app).data,
                "results": ReviewSerializer(rows, many=True, context=self.context(rows)).data,
            }
        )

    @extend_schema(
        operation_id="apps_reviews_create",
        summary="Donner son avis sur une application",
        description="Un avis par personne et par application. Publié aussitôt, sauf si une "
        "règle de modération le retient (status pending, motifs dans held_because). La langue "
        "de l'avis est celle de la requête (Accept-Language). Les membres de l'éditeur de "
        "l'application ne peuvent pas la noter.",
        parameters=[SLUG_PARAMETER],
        request=ReviewWriteSerializer,
        responses={
            201: ReviewSerializer,
            400: error("Champ invalide (rating, title, body)."),
            403: error(
                "L'appelant est membre de l'éditeur de l'application, ou n'a pas confirmé son "
                "adresse e-mail."
            ),
            404: error("Aucune application publiée."),
            409: OpenApiResponse(
                ConflictSerializer, description="L'appelant a déjà donné son avis : existing."
            ),
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def post(self, request, slug):
        app = live_app(slug)
        # A publisher must not rate its own apps (it would bend the figures everyone relies
        # on). services.submit_review refuses it too; checked here first so that a member gets
        # the 403 whatever the body holds, before it is validated.
        if services.is_publisher_member(request.user, app):
            raise PermissionDenied(
                _("Les membres de l'éditeur ne peuvent pas noter ses applications.")
            )
        serializer = ReviewWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            review = services.submit_review(
                app, request.user, **serializer.validated_data, language=request_language()
            )
        except services.AlreadyReviewed as already:
            return conflict(already.message, review_url(request, already.existing.pk))
        except services.NotAllowed as refused:
            raise forbidden(refused) from refused
        url = review_url(request, review.pk)
        data = ReviewSerializer(review, context=self.context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": url})


class ReviewDetailView(ReviewAPIView):
    @extend_schema(
        operation_id="reviews_retrieve",
        summary="Un avis",
        description="Un avis publié, ou un avis de l'appelant quel que soit son statut.",
        parameters=[ID_PARAMETER],
        responses={200: ReviewSerializer, 404: NOT_VISIBLE, 429: AUTH_ERRORS[429]},
        tags=["reviews"],
    )
    def get(self, request, id):
        review = visible_review(request, id)
        return Response(ReviewSerializer(review, context=self.context([review])).data)

    @extend_schema(
        operation_id="reviews_partial_update",
        summary="Modifier son avis",
        description="Par son auteur seulement ; les champs absents ne changent pas. La "
        "modération s'applique de nouveau : l'avis peut repasser en attente, et un avis refusé "
        "ou retiré retourne à l'équipe éditoriale.",
        parameters=[ID_PARAMETER],
        request=ReviewWriteSerializer,
        responses={
            200: ReviewSerializer,
            400: error("Champ invalide, ou aucun champ."),
            403: error("L'appelant n'est pas l'auteur de l'avis, ou n'a pas confirmé son adresse."),
            404: NOT_VISIBLE,
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def patch(self, request, id):
        review = own_review(request, id)
        serializer = ReviewWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data:
            raise ValidationError(
                _("Indiquez au moins un champ à modifier : rating, title ou body.")
            )
        try:
            review = services.edit_review(review, **serializer.validated_data)
        except services.NotAllowed as refused:
            raise forbidden(refused) from refused
        review = any_review(review.pk)
        return Response(ReviewSerializer(review, context=self.context([review])).data)

    @extend_schema(
        operation_id="reviews_destroy",
        summary="Supprimer son avis",
        description="Par son auteur seulement ; la note de l'application est recalculée.",
        parameters=[ID_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="Avis supprimé."),
            403: error("L'appelant n'est pas l'auteur de l'avis."),
            404: NOT_VISIBLE,
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def delete(self, request, id):
        services.delete_review(own_review(request, id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class HelpfulVoteView(ReviewAPIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "review_vote"

    @extend_schema(
        operation_id="reviews_helpful_add",
        summary="Trouver un avis utile",
        description="Idempotent : 204 à chaque appel, le vote n'est compté qu'une fois. Pas sur "
        "son propre avis, ni sur les avis des applications de son éditeur (403).",
        parameters=[ID_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="Le vote est compté."),
            403: error("C'est l'avis de l'appelant, ou une application de son éditeur."),
            404: NOT_VISIBLE,
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def put(self, request, id):
        return self.vote(request, id, helpful=True)

    @extend_schema(
        operation_id="reviews_helpful_remove",
        summary="Retirer son vote « utile »",
        description="Idempotent : 204 même sans vote préalable.",
        parameters=[ID_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="Aucun vote de l'appelant sur cet avis."),
            403: error("C'est l'avis de l'appelant."),
            404: NOT_VISIBLE,
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def delete(self, request, id):
        return self.vote(request, id, helpful=False)

    @staticmethod
    def vote(request, review_id: int, *, helpful: bool) -> Response:
        # Others' reviews the caller can see are published: votes only go to those.
        review = visible_review(request, review_id)
        try:
            services.set_helpful(review, request.user, helpful=helpful)
        except services.NotAllowed as refused:
            raise forbidden(refused) from refused
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportView(ReviewAPIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "review_report"

    @extend_schema(
        operation_id="reviews_report_create",
        summary="Signaler un avis",
        description="Une fois par personne et par avis, pas le sien, depuis un compte à "
        "l'adresse confirmée. Signalé par plusieurs personnes, l'avis est masqué jusqu'à la "
        "décision de l'équipe éditoriale ; le signalement d'un compte récent, ou au-delà de "
        "son quota du jour, est enregistré et ne compte que plus tard.",
        parameters=[ID_PARAMETER],
        request=ReportWriteSerializer,
        responses={
            201: ReportSerializer,
            400: error("Champ invalide (reason, comment)."),
            403: error("C'est l'avis de l'appelant, ou il n'a pas confirmé son adresse e-mail."),
            404: NOT_VISIBLE,
            409: error("L'appelant a déjà signalé cet avis."),
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def post(self, request, id):
        review = visible_review(request, id)
        if is_own(review, request.user):
            raise PermissionDenied(_("Vous ne pouvez pas signaler votre propre avis."))
        serializer = ReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = services.report_review(review, request.user, **serializer.validated_data)
        except services.AlreadyReported as already:
            return conflict(already.message)
        except services.NotAllowed as refused:
            raise forbidden(refused) from refused
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReplyView(ReviewAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="reviews_reply_save",
        summary="Répondre à un avis (éditeur)",
        description="Pour les membres de l'éditeur de l'application : crée la réponse (201) ou "
        "la remplace (200). Une réponse par avis, signée par l'éditeur.",
        parameters=[ID_PARAMETER],
        request=ReplyWriteSerializer,
        responses={
            200: ReviewReplySerializer,
            201: ReviewReplySerializer,
            400: error("Champ invalide (body)."),
            403: error("L'appelant n'est pas membre de l'éditeur de l'application."),
            404: NOT_VISIBLE,
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def put(self, request, id):
        review = self.answerable_review(request, id)
        serializer = ReplyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reply, created = services.save_reply(
                review, request.user, serializer.validated_data["body"]
            )
        except services.NotAllowed as refused:
            raise forbidden(refused) from refused
        return Response(
            ReviewReplySerializer(reply).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="reviews_reply_destroy",
        summary="Supprimer la réponse à un avis (éditeur)",
        description="Pour les membres de l'éditeur de l'application. Idempotent : 204 même "
        "s'il n'y avait pas de réponse.",
        parameters=[ID_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="L'avis n'a pas (ou plus) de réponse."),
            403: error("L'appelant n'est pas membre de l'éditeur de l'application."),
            404: NOT_VISIBLE,
            **AUTH_ERRORS,
        },
        tags=["reviews"],
    )
    def delete(self, request, id):
        review = self.answerable_review(request, id)
        try:
            services.delete_reply(review, request.user)
        except services.NotAllowed as refused:
            raise forbidden(refused) from refused
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def answerable_review(request, review_id: int) -> Review:
        """A review the caller sees, of an app of their publisher (checked before the body)."""
        review = visible_review(request, review_id)
        if not services.is_publisher_member(request.user, review.app):
            raise PermissionDenied(
                _("Seuls les membres de l'éditeur de l'application peuvent répondre.")
            )
        return review


class MyReviewListView(ReviewAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_reviews_list",
        summary="Mes avis",
        description="Tous les avis de l'appelant, quel que soit leur statut, les plus récents "
        "d'abord ; avec le motif de l'équipe éditoriale pour un avis refusé ou retiré.",
        parameters=PAGE_PARAMETERS,
        responses={
            200: MyReviewPageSerializer,
            400: error("Paramètre invalide (page, page_size)."),
            **AUTH_ERRORS,
        },
        tags=["me"],
    )
    def get(self, request):
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        reviews = (
            Review.objects.filter(author=request.user)
            .select_related("app", "author", "reply__publisher")
            .order_by("-created_at", "-pk")
        )
        rows, envelope = paginate(
            request, reviews, query.validated_data["page"], query.validated_data["page_size"]
        )
        # Nobody votes for their own reviews: no votes to look up.
        context = {"request": request, "voted": set()}
        return Response(
            {**envelope, "results": MyReviewSerializer(rows, many=True, context=context).data}
        )
