"""The identity API: a mobile app's OpenID sign-in (``POST /auth/oidc/``) and the caller's
devices (``GET /me/devices/``, ``DELETE /me/devices/<id>/``)."""

import logging

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from identity import oidc, services, tokens
from identity.api.serializers import (
    DevicePageSerializer,
    DeviceSerializer,
    IssuedTokenSerializer,
    OidcExchangeSerializer,
)
from identity.models import DeviceToken
from web.pagination import PAGE_PARAMETERS, PageQuerySerializer, paginate
from web.problems import ErrorSerializer, problem
from web.throttles import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)

ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Non authentifié."),
    429: OpenApiResponse(ErrorSerializer, description="Trop de requêtes (voir Retry-After)."),
}


def issued(token, secret) -> dict:
    return {"token": secret, "device_id": token.pk, "device_name": token.name}


class OidcExchangeView(APIView):
    """A mobile app signed the person in at the provider (code flow with PKCE); the store
    trades the code, verifies the ID token and answers a token for this device."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle, UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_oidc_create",
        summary="Se connecter avec FranceConnect ou ProConnect (application mobile)",
        description="L'application a obtenu un code d'autorisation (flux « authorization code » "
        "avec PKCE S256, state et nonce) avec l'adresse de retour déclarée pour elle. Le store "
        "échange le code, vérifie l'ID token (signature, émetteur, audience, expiration, nonce) "
        "et répond un jeton pour cet appareil. Première connexion : le compte est créé, sans mot "
        "de passe. Un compte existe déjà avec cette adresse e-mail : 409, la personne se "
        "connecte une fois sur le site avec son mot de passe pour lier son identité.",
        request=OidcExchangeSerializer,
        responses={
            200: IssuedTokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Champ invalide, ou code refusé ou non vérifié."
            ),
            409: OpenApiResponse(ErrorSerializer, description="Adresse d'un compte existant."),
            503: OpenApiResponse(ErrorSerializer, description="Fournisseur injoignable."),
            429: ERRORS[429],
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = OidcExchangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        provider = oidc.get_provider(data["provider"])
        try:
            identity = oidc.exchange_code(
                provider,
                code=data["code"],
                code_verifier=data["code_verifier"],
                redirect_uri=data["redirect_uri"],
                nonce=data["nonce"],
            )
        except oidc.OidcError as error:
            logger.warning("mobile OpenID sign-in refused: %s", error)
            if error.reason in ("provider_unreachable", "discovery_failed", "jwks_failed"):
                detail = _("Le fournisseur d'identité ne répond pas.")
                return Response(
                    problem("service-unavailable", 503, detail),
                    status=status.HTTP_503_SERVICE_UNAVAILABLE,
                )
            message = _("Le code n'a pas pu être échangé ou l'identité n'a pas pu être vérifiée.")
            return Response(
                problem("validation", 400, message, {"code": [message]}),
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            outcome = services.sign_in(identity)
        except services.IdentityRefused:
            message = _("Ce compte ne peut pas se connecter.")
            return Response(
                problem("permission-denied", 403, message), status=status.HTTP_403_FORBIDDEN
            )
        if outcome.needs_proof:
            message = _(
                "Un compte utilise déjà cette adresse e-mail : connectez-vous une fois sur le "
                "site avec son mot de passe pour y lier cette identité."
            )
            return Response(
                problem("conflict", 409, message, {"non_field_errors": [message]}),
                status=status.HTTP_409_CONFLICT,
            )
        token, secret = tokens.issue_token(outcome.user, data["device_name"])
        return Response(issued(token, secret))


class DeviceListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_devices_list",
        summary="Mes appareils connectés",
        description="Un jeton par appareil, le plus récemment utilisé d'abord.",
        parameters=PAGE_PARAMETERS,
        responses={200: DevicePageSerializer, 400: ErrorSerializer, **ERRORS},
        tags=["me"],
    )
    def get(self, request):
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows, envelope = paginate(
            request,
            DeviceToken.objects.filter(user=request.user).order_by("-last_used_at", "-pk"),
            query.validated_data["page"],
            query.validated_data["page_size"],
        )
        results = DeviceSerializer(rows, many=True, context={"request": request}).data
        return Response({**envelope, "results": results})


class DeviceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_devices_destroy",
        summary="Déconnecter un appareil",
        description="Révoque le jeton de cet appareil ; les autres restent connectés.",
        request=None,
        responses={
            204: OpenApiResponse(description="Appareil déconnecté."),
            404: OpenApiResponse(ErrorSerializer, description="Pas un appareil du compte."),
            **ERRORS,
        },
        tags=["me"],
    )
    def delete(self, request, device_id: int):
        if not tokens.revoke(request.user, device_id):
            message = _("Aucun appareil de votre compte n'a cet identifiant.")
            return Response(problem("not-found", 404, message), status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
