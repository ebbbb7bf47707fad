"""/api/v1/me/: the caller's account. ``GET /me/export/``: everything the store holds about
them (the same JSON as « Mon compte → Mes données »); ``DELETE /me/`` with the password in the
body: the account is deleted (store.personal_data.delete_account), its token with it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from store.api.auth import ERROR_RESPONSES
from store.personal_data import AccountDeletionRefused, delete_account, export
from web.problems import ErrorSerializer, problem
from web.throttles import ScopedRateThrottle, UserRateThrottle

KEEP, DELETE = "keep", "delete"


class DeleteAccountSerializer(serializers.Serializer):
    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        write_only=True,
        help_text="Le mot de passe (sans objet pour un compte qui n'en a pas : créé par "
        "FranceConnect ou ProConnect).",
    )
    reviews = serializers.ChoiceField(
        choices=[KEEP, DELETE],
        default=KEEP,
        help_text="keep (défaut) : les avis restent, signés « Utilisateur supprimé » ; "
        "delete : ils sont supprimés. Les notes des applications sont recalculées.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context["request"].user
        if not user.has_usable_password():
            # Nothing to type: the token of the signed-in device is the proof (identity/).
            self.fields.pop("password")

    def validate_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError(
                gettext_lazy("Mot de passe incorrect."), code="wrong_password"
            )
        return value


class MeView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    # A password is tried: the sign-in budget applies, per user.
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="me_destroy",
        summary="Supprimer mon compte",
        description="Le mot de passe confirme la demande. Le jeton est révoqué ; favoris, votes "
        "et signalements sont supprimés ; les avis sont gardés anonymes (« Utilisateur "
        "supprimé ») ou supprimés selon `reviews`, et les notes recalculées. Refusé (409) quand "
        "le compte est le dernier membre d'un éditeur. Un e-mail de confirmation est envoyé.",
        request=DeleteAccountSerializer,
        responses={
            204: OpenApiResponse(description="Compte supprimé."),
            400: OpenApiResponse(ErrorSerializer, description="Mot de passe absent ou faux."),
            409: OpenApiResponse(
                ErrorSerializer, description="Dernier membre d'un éditeur : à transmettre d'abord."
            ),
            **ERROR_RESPONSES,
        },
        tags=["me"],
    )
    def delete(self, request):
        serializer = DeleteAccountSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            delete_account(request.user, keep_reviews=serializer.validated_data["reviews"] == KEEP)
        except AccountDeletionRefused as refusal:
            detail = _(
                "Vous êtes le dernier membre de : %(publishers)s. Ajoutez d'abord un autre membre."
            ) % {"publishers": ", ".join(p.name for p in refusal.publishers)}
            body = problem("conflict", status.HTTP_409_CONFLICT, detail)
            body["publishers"] = [p.slug for p in refusal.publishers]
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_export",
        summary="Exporter mes données",
        description="Tout ce que le store garde sur le compte : profil, préférences, dates de "
        "connexion, adhésions aux éditeurs, favoris, avis (avec leur modération et la réponse "
        "de l'éditeur), réponses écrites, votes, signalements d'avis et de problèmes.",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **ERROR_RESPONSES},
        tags=["me"],
    )
    def get(self, request):
        response = Response(export(request.user, request))
        response["Cache-Control"] = "private, no-store"
        return response
