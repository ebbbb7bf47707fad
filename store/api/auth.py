"""Token authentication for mobile clients: POST /api/v1/auth/token/ and DELETE to revoke.

One token per device and sign-in (identity.tokens): each POST issues a new token, named after
the device the client declares; DELETE revokes only the caller's. Bad credentials are one
message whatever was wrong (unknown user, wrong password, inactive account): the answer tells
nobody which usernames exist.

Password guessing meets two budgets (web.throttles): per address ("auth") and per account
tried ("auth_account", whatever the address: the site's and the admin's sign-in forms draw on
the same one), so neither rotating addresses nor spreading accounts helps.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from identity.api.serializers import DeviceNameField, IssuedTokenSerializer
from identity.models import DeviceToken
from identity.tokens import issue_token
from web.problems import ErrorSerializer
from web.throttles import (
    AnonRateThrottle,
    RateThrottle,
    ScopedRateThrottle,
    UserRateThrottle,
    account_key,
)

ERROR_RESPONSES = {
    401: OpenApiResponse(ErrorSerializer, description="Non authentifié."),
    429: OpenApiResponse(ErrorSerializer, description="Trop de requêtes (voir Retry-After)."),
}


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        write_only=True,
    )
    device_name = DeviceNameField()

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Identifiant ou mot de passe incorrect."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class AccountThrottle(RateThrottle):
    """Attempts on one account name ("auth_account"), from any address."""

    scope = "auth_account"

    def identity(self, request, view):
        data = request.data
        username = data.get("username") if isinstance(data, dict) else None
        return account_key(username) if isinstance(username, str) and username else None


class AuthTokenView(APIView):
    """Obtain (POST) or revoke (DELETE) the caller's API token."""

    # Logging in is throttled on its own scopes too: per address and per account tried.
    throttle_classes = [AnonRateThrottle, UserRateThrottle, ScopedRateThrottle, AccountThrottle]
    throttle_scope = "auth"

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        if self.request.method == "POST":
            return super().get_throttles()
        return [throttle() for throttle in (AnonRateThrottle, UserRateThrottle)]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Obtenir un jeton d'API",
        description="Un nouveau jeton à chaque connexion, propre à l'appareil (device_name). "
        "Identifiants incorrects : 400, avec le même message que l'identifiant existe ou non.",
        request=CredentialsSerializer,
        responses={
            200: IssuedTokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Champ manquant ou identifiants incorrects (non_field_errors).",
            ),
            **ERROR_RESPONSES,
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, secret = issue_token(
            serializer.validated_data["user"], serializer.validated_data["device_name"]
        )
        return Response({"token": secret, "device_id": token.pk, "device_name": token.name})

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Révoquer le jeton d'API",
        description="Révoque le jeton de cette requête : les autres appareils restent connectés.",
        request=None,
        responses={204: OpenApiResponse(description="Jeton révoqué."), **ERROR_RESPONSES},
        tags=["auth"],
    )
    def delete(self, request):
        if isinstance(request.auth, DeviceToken):
            DeviceToken.objects.filter(pk=request.auth.pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
