"""Selections in /api/v1/: a mediator's own (list, create, read, edit, delete a draft, share,
revoke, duplicate), and the public read of a shared one by its token.

- Mediators only: signed out is a 401, signed in without the role a 403; another mediator's
  selection is a 404, exactly as one that does not exist.
- A shared selection no longer changes: editing or deleting it, sharing it again or revoking
  a link that is not open is a 409.
- The public read (``/api/v1/shared-selections/{token}/``) answers a guessed, expired or
  revoked token with one and the same 404. It counts nothing: the opens the mediator sees are
  the visits of the page.
- Answers depend on the caller: never kept by a cache. Writes share one budget per mediator
  with the site's forms (``selection_write``).
"""

from django.db.models import Prefetch
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue import renditions
from catalogue.models import AppListing, AppPage
from catalogue.platforms import ordered_listings, visitor_platform
from selections import services
from selections.api.serializers import (
    SelectionPageSerializer,
    SelectionSerializer,
    SelectionWriteSerializer,
    SharedSelectionSerializer,
    ShareSerializer,
)
from selections.models import TOKEN_PATTERN, Selection, SelectionItem
from selections.permissions import is_mediator
from web.pagination import PageQuerySerializer, paginate
from web.problems import ErrorSerializer, problem
from web.throttles import AnonRateThrottle, UserRateThrottle, WriteScopedRateThrottle

MAX_ID = 2**63 - 1
WRITE_SCOPE = "selection_write"
# Codes of services.SelectionError that are a conflict with the selection's state.
CONFLICTS = {"shared", "not_shared"}


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


MEDIATOR_ERRORS = {
    401: error("Non authentifié."),
    403: error("Réservé aux médiateurs."),
    429: error("Trop de requêtes (voir Retry-After)."),
}
NOT_FOUND = error("Aucune sélection de l'appelant sous cet identifiant.")
CONFLICT = error("La sélection est partagée (ou son lien n'est pas ouvert) : elle ne change plus.")
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant de la sélection."
)
TOKEN_PARAMETER = OpenApiParameter(
    "token", OpenApiTypes.STR, OpenApiParameter.PATH, description="Le jeton du lien partagé."
)


class IsMediator(BasePermission):
    message = _("Réservé aux médiateurs : demandez le rôle à l'équipe éditoriale.")

    def has_permission(self, request, view):
        return is_mediator(request.user)


def with_items(queryset):
    """Selections with their visible apps in order: two queries whatever the number."""
    return queryset.prefetch_related(
        Prefetch(
            "items",
            queryset=SelectionItem.objects.filter(app__in=AppPage.objects.visible())
            .select_related("app")
            .order_by("sort_order", "pk"),
            to_attr="listed_items",
        )
    )


class MediatorAPIView(APIView):
    permission_classes = [IsAuthenticated, IsMediator]
    # The site's forms and the API draw on one budget of writes per mediator.
    throttle_classes = [AnonRateThrottle, UserRateThrottle, WriteScopedRateThrottle]
    throttle_scope = WRITE_SCOPE

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def own(self, pk: int) -> Selection:
        if pk > MAX_ID:
            raise NotFound()
        selection = with_items(Selection.objects.of_mediator(self.request.user)).filter(pk=pk)
        found = selection.first()
        if found is None:
            raise NotFound()
        return found

    def answer(self, selection: Selection, code=status.HTTP_200_OK) -> Response:
        selection = self.own(selection.pk)  # read back as stored, with its items
        data = SelectionSerializer(selection, context={"request": self.request}).data
        return Response(data, status=code)


def refused(reason: services.SelectionError) -> Response:
    if reason.code in CONFLICTS:
        body = problem("conflict", status.HTTP_409_CONFLICT, reason.message)
        return Response(body, status=status.HTTP_409_CONFLICT)
    raise ValidationError({"non_field_errors": [reason.message]})


def item_pairs(validated) -> list | None:
    if "items" not in validated:
        return None
    return [(item["app"], item.get("note", "")) for item in validated["items"]]


class SelectionListView(MediatorAPIView):
    @extend_schema(
        operation_id="selections_list",
        summary="Mes sélections",
        description="Les sélections du médiateur, les plus récemment modifiées d'abord.",
        parameters=[PageQuerySerializer],
        responses={
            200: SelectionPageSerializer,
            400: error("Paramètre invalide."),
            **MEDIATOR_ERRORS,
        },
        tags=["selections"],
    )
    def get(self, request):
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        selections = with_items(Selection.objects.of_mediator(request.user)).order_by(
            "-updated_at", "-pk"
        )
        rows, envelope = paginate(
            request, selections, query.validated_data["page"], query.validated_data["page_size"]
        )
        data = SelectionSerializer(rows, many=True, context={"request": request}).data
        return Response({**envelope, "results": data})

    @extend_schema(
        operation_id="selections_create",
        summary="Créer une sélection",
        description="Un brouillon : un titre, un message, des applications dans l'ordre.",
        request=SelectionWriteSerializer,
        responses={201: SelectionSerializer, 400: error("Données invalides."), **MEDIATOR_ERRORS},
        tags=["selections"],
    )
    def post(self, request):
        body = SelectionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            selection = services.create_selection(
                request.user,
                title=body.validated_data["title"],
                message=body.validated_data.get("message", ""),
                items=item_pairs(body.validated_data) or (),
            )
        except services.SelectionError as reason:
            return refused(reason)
        return self.answer(selection, status.HTTP_201_CREATED)


class SelectionDetailView(MediatorAPIView):
    @extend_schema(
        operation_id="selections_read",
        summary="Une de mes sélections",
        parameters=[ID_PARAMETER],
        responses={200: SelectionSerializer, 404: NOT_FOUND, **MEDIATOR_ERRORS},
        tags=["selections"],
    )
    def get(self, request, id):
        return self.answer(self.own(id))

    @extend_schema(
        operation_id="selections_update",
        summary="Modifier un brouillon",
        description="Les champs donnés seulement ; ``items`` remplace la liste des applications.",
        parameters=[ID_PARAMETER],
        request=SelectionWriteSerializer(partial=True),
        responses={
            200: SelectionSerializer,
            400: error("Données invalides."),
            404: NOT_FOUND,
            409: CONFLICT,
            **MEDIATOR_ERRORS,
        },
        tags=["selections"],
    )
    def patch(self, request, id):
        selection = self.own(id)
        body = SelectionWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            services.update_selection(
                selection,
                title=body.validated_data.get("title"),
                message=body.validated_data.get("message"),
                items=item_pairs(body.validated_data),
            )
        except services.SelectionError as reason:
            return refused(reason)
        return self.answer(selection)

    @extend_schema(
        operation_id="selections_delete",
        summary="Supprimer un brouillon",
        parameters=[ID_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="Le brouillon est supprimé."),
            404: NOT_FOUND,
            409: CONFLICT,
            **MEDIATOR_ERRORS,
        },
        tags=["selections"],
    )
    def delete(self, request, id):
        selection = self.own(id)
        try:
            services.delete_draft(selection)
        except services.SelectionError as reason:
            return refused(reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SelectionShareView(MediatorAPIView):
    @extend_schema(
        operation_id="selections_share",
        summary="Partager : créer le lien",
        description="Le brouillon reçoit son lien court, valable ``days`` jours ; il ne change "
        "plus ensuite.",
        parameters=[ID_PARAMETER],
        request=ShareSerializer,
        responses={
            200: SelectionSerializer,
            400: error("Durée invalide, ou sélection vide."),
            404: NOT_FOUND,
            409: CONFLICT,
            **MEDIATOR_ERRORS,
        },
        tags=["selections"],
    )
    def post(self, request, id):
        selection = self.own(id)
        body = ShareSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        try:
            services.share(selection, body.validated_data.get("days"))
        except services.SelectionError as reason:
            return refused(reason)
        return self.answer(selection)


class SelectionRevokeView(MediatorAPIView):
    @extend_schema(
        operation_id="selections_revoke",
        summary="Retirer le lien",
        description="Le lien cesse de fonctionner tout de suite, pour de bon.",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: SelectionSerializer, 404: NOT_FOUND, 409: CONFLICT, **MEDIATOR_ERRORS},
        tags=["selections"],
    )
    def post(self, request, id):
        selection = self.own(id)
        try:
            services.revoke(selection)
        except services.SelectionError as reason:
            return refused(reason)
        return self.answer(selection)


class SelectionDuplicateView(MediatorAPIView):
    @extend_schema(
        operation_id="selections_duplicate",
        summary="Dupliquer",
        description="Un nouveau brouillon avec les mêmes applications et notes.",
        parameters=[ID_PARAMETER],
        request=None,
        responses={201: SelectionSerializer, 404: NOT_FOUND, **MEDIATOR_ERRORS},
        tags=["selections"],
    )
    def post(self, request, id):
        copy = services.duplicate(self.own(id), request.user)
        return self.answer(copy, status.HTTP_201_CREATED)


class SharedSelectionView(APIView):
    """The public read of a shared selection, by its token: no account needed."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="shared_selections_read",
        summary="Une sélection partagée (lecture publique)",
        description="Ce que la personne voit en ouvrant le lien, sans compte : les applications "
        "dans l'ordre, où les installer (l'appareil qui demande d'abord, d'après User-Agent et "
        "Sec-CH-UA-Platform). Un jeton inconnu, expiré ou retiré : la même 404.",
        parameters=[TOKEN_PARAMETER],
        responses={
            200: SharedSelectionSerializer,
            404: error("Aucune sélection ouverte sous ce jeton."),
            429: error("Trop de requêtes (voir Retry-After)."),
        },
        tags=["selections"],
        auth=[],
    )
    def get(self, request, token):
        if not TOKEN_PATTERN.match(token):
            raise NotFound(_("Ce lien n'existe pas ou n'est plus valable."))
        selection = (
            Selection.objects.open_links()
            .filter(token=token)
            .select_related("owner__mediator")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=SelectionItem.objects.filter(app__in=AppPage.objects.visible())
                    .select_related("app__icon")
                    .prefetch_related(
                        Prefetch(
                            "app__listings", queryset=AppListing.objects.order_by("sort_order")
                        ),
                        renditions.renditions_of("app__icon", renditions.API_ICON),
                    )
                    .order_by("sort_order", "pk"),
                    to_attr="listed_items",
                )
            )
            .first()
        )
        if selection is None:
            raise NotFound(_("Ce lien n'existe pas ou n'est plus valable."))
        platform = visitor_platform(request)
        items = []
        for position, item in enumerate(selection.listed_items, start=1):
            listings, recommended = ordered_listings(item.app.listings.all(), platform)
            item.app.install = [
                {
                    "platform": listing.platform,
                    "url": listing.url,
                    "label": install_label(listing),
                    "recommended": listing is recommended,
                }
                for listing in listings
            ]
            items.append({"position": position, "app": item.app, "note": item.localized_note})
        mediator = getattr(selection.owner, "mediator", None)
        data = SharedSelectionSerializer(
            {
                "title": selection.title,
                "message": selection.message,
                "organisation": mediator.organisation if mediator else "",
                "expires_at": selection.expires_at,
                "items": items,
            },
            context={"request": request},
        ).data
        response = Response(data)
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Accept-Language, User-Agent, Sec-CH-UA-Platform"
        return response


def install_label(listing) -> str:
    """The install button's text of the app page (catalogue/includes/install_label.html)."""
    if listing.platform == "web":
        return _("Ouvrir le service en ligne")
    return _("Installer sur %(platform)s") % {"platform": listing.get_platform_display()}
