"""Onboarding in /api/v1/: a person's publisher applications (list, send, read, withdraw) and
a publisher's team (read; invite; change a role; remove a person).

- Signed out: 401. Someone else's application: 404, as one that does not exist.
- A team: its publisher's administrators and the editors; anyone else gets 403, an unknown
  publisher 404. A refusal changes nothing.
- A request the state refuses (already a member, claimed, last administrator…) is a 409.
- Answers depend on the caller: never kept by a cache.
"""

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.models import Publisher
from onboarding import services
from onboarding.api.serializers import (
    AcceptedSerializer,
    ApplicationPageSerializer,
    ApplicationSerializer,
    ApplicationWriteSerializer,
    InvitationSerializer,
    InviteSerializer,
    RoleSerializer,
    TeamSerializer,
)
from onboarding.invitations import REFUSALS, InvitationRefused, open_invitation
from onboarding.models import Application, Invitation
from onboarding.permissions import can_manage_team, forget, owns_address
from web.pagination import PageQuerySerializer, paginate
from web.problems import ErrorSerializer, problem
from web.throttles import WriteScopedRateThrottle

MAX_ID = 2**63 - 1


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


SIGNED_IN_ERRORS = {401: error("Non authentifié."), 429: error("Trop de requêtes.")}
TEAM_ERRORS = {
    **SIGNED_IN_ERRORS,
    403: error("Réservé aux administrateurs de l'éditeur et à l'équipe éditoriale."),
    404: error("Éditeur inconnu."),
}
CONFLICT = error("L'état des choses refuse la demande (message dans detail).")
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant.")
USER_ID = OpenApiParameter(
    "user_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="La personne."
)
INVITATION_ID = OpenApiParameter(
    "invitation_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="L'invitation."
)


def conflict(reason: services.OnboardingError) -> Response:
    body = problem("conflict", status.HTTP_409_CONFLICT, reason.message)
    return Response(body, status=status.HTTP_409_CONFLICT)


class ApplyThrottle(WriteScopedRateThrottle):
    """The site's form and the API share one budget of applications per person."""

    def get_scope(self, view) -> str:
        return "publisher_apply"


class InviteThrottle(WriteScopedRateThrottle):
    def get_scope(self, view) -> str:
        return "publisher_invite"


class SignedInAPIView(APIView):
    permission_classes = [IsAuthenticated]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class ApplicationListView(SignedInAPIView):
    def get_throttles(self):
        return [*super().get_throttles(), ApplyThrottle()]

    @extend_schema(
        operation_id="publisher_applications_list",
        summary="Mes demandes d'éditeur",
        description="Les demandes de la personne (créer, rejoindre, revendiquer un éditeur), "
        "les plus récentes d'abord, avec leur état et le motif d'un refus.",
        parameters=[PageQuerySerializer],
        responses={
            200: ApplicationPageSerializer,
            400: error("Paramètre invalide."),
            **SIGNED_IN_ERRORS,
        },
        tags=["onboarding"],
    )
    def get(self, request):
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        applications = Application.objects.of_applicant(request.user).select_related("publisher")
        rows, envelope = paginate(
            request, applications, query.validated_data["page"], query.validated_data["page_size"]
        )
        return Response({**envelope, "results": ApplicationSerializer(rows, many=True).data})

    @extend_schema(
        operation_id="publisher_applications_create",
        summary="Demander à créer, rejoindre ou revendiquer un éditeur",
        description="Le SIREN ou SIRET est vérifié (format et clé de Luhn) ; l'e-mail de contact "
        "doit être sur le domaine du site, sinon une justification est demandée.",
        request=ApplicationWriteSerializer,
        responses={
            201: ApplicationSerializer,
            400: error("Données invalides."),
            409: CONFLICT,
            **SIGNED_IN_ERRORS,
        },
        tags=["onboarding"],
    )
    def post(self, request):
        body = ApplicationWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        kind = data.pop("kind")
        publisher = data.pop("publisher", None)
        try:
            application = services.apply(request.user, kind=kind, publisher=publisher, **data)
        except services.OnboardingError as reason:
            return conflict(reason)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


def own_application(request, pk: int) -> Application:
    found = (
        Application.objects.of_applicant(request.user)
        .select_related("publisher")
        .filter(pk=pk if pk <= MAX_ID else 0)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


class ApplicationDetailView(SignedInAPIView):
    @extend_schema(
        operation_id="publisher_applications_read",
        summary="Une de mes demandes d'éditeur",
        parameters=[ID],
        responses={200: ApplicationSerializer, 404: error("Introuvable."), **SIGNED_IN_ERRORS},
        tags=["onboarding"],
    )
    def get(self, request, id):
        return Response(ApplicationSerializer(own_application(request, id)).data)


class ApplicationWithdrawView(SignedInAPIView):
    @extend_schema(
        operation_id="publisher_applications_withdraw",
        summary="Retirer une demande en attente",
        parameters=[ID],
        request=None,
        responses={
            200: ApplicationSerializer,
            404: error("Introuvable."),
            409: CONFLICT,
            **SIGNED_IN_ERRORS,
        },
        tags=["onboarding"],
    )
    def post(self, request, id):
        application = own_application(request, id)
        try:
            services.withdraw(application)
        except services.OnboardingError as reason:
            return conflict(reason)
        return Response(ApplicationSerializer(application).data)


class TeamAPIView(SignedInAPIView):
    def publisher(self, pk: int) -> Publisher:
        publisher = Publisher.objects.filter(pk=pk if pk <= MAX_ID else 0).first()
        if publisher is None:
            raise NotFound()
        if not can_manage_team(self.request.user, publisher.pk):
            raise PermissionDenied(_("Seuls les administrateurs de l'éditeur gèrent son équipe."))
        return publisher

    def member(self, publisher: Publisher, user_id: int):
        member = publisher.members.filter(pk=user_id if user_id <= MAX_ID else 0).first()
        if member is None:
            raise NotFound()
        return member

    def team_data(self, publisher: Publisher) -> dict:
        return {
            "publisher": {"id": publisher.pk, "name": publisher.name},
            "members": [
                {
                    "id": member.pk,
                    "username": member.get_username(),
                    "name": member.get_full_name(),
                    "email": member.email,
                    "role": member.team_role,
                }
                for member in services.team(publisher)
            ],
            "invitations": InvitationSerializer(
                [
                    invitation
                    for invitation in Invitation.objects.filter(
                        publisher=publisher, accepted_at__isnull=True, revoked_at__isnull=True
                    )
                    if invitation.is_open()
                ],
                many=True,
            ).data,
        }


class TeamView(TeamAPIView):
    @extend_schema(
        operation_id="publisher_team_read",
        summary="L'équipe d'un éditeur",
        description="Ses membres et leur rôle, ses invitations en attente.",
        parameters=[ID],
        responses={200: TeamSerializer, **TEAM_ERRORS},
        tags=["onboarding"],
    )
    def get(self, request, id):
        return Response(self.team_data(self.publisher(id)))


class TeamInvitationsView(TeamAPIView):
    def get_throttles(self):
        return [*super().get_throttles(), InviteThrottle()]

    @extend_schema(
        operation_id="publisher_team_invite",
        summary="Inviter une personne par e-mail",
        description="Un lien signé, valable une fois, qui expire, part par e-mail.",
        parameters=[ID],
        request=InviteSerializer,
        responses={
            201: InvitationSerializer,
            400: error("Données invalides."),
            409: CONFLICT,
            **TEAM_ERRORS,
        },
        tags=["onboarding"],
    )
    def post(self, request, id):
        publisher = self.publisher(id)
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            invitation = services.invite(
                publisher, body.validated_data["email"], body.validated_data["role"], request.user
            )
        except services.OnboardingError as reason:
            return conflict(reason)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class TeamInvitationView(TeamAPIView):
    @extend_schema(
        operation_id="publisher_team_invitation_revoke",
        summary="Annuler une invitation",
        parameters=[ID, INVITATION_ID],
        responses={204: None, **TEAM_ERRORS},
        tags=["onboarding"],
    )
    def delete(self, request, id, invitation_id):
        publisher = self.publisher(id)
        invitation = Invitation.objects.filter(
            publisher=publisher, pk=invitation_id if invitation_id <= MAX_ID else 0
        ).first()
        if invitation is None:
            raise NotFound()
        services.revoke_invitation(invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamMemberView(TeamAPIView):
    @extend_schema(
        operation_id="publisher_team_member_role",
        summary="Changer le rôle d'une personne",
        parameters=[ID, USER_ID],
        request=RoleSerializer,
        responses={
            200: TeamSerializer,
            400: error("Données invalides."),
            409: CONFLICT,
            **TEAM_ERRORS,
        },
        tags=["onboarding"],
    )
    def patch(self, request, id, user_id):
        publisher = self.publisher(id)
        member = self.member(publisher, user_id)
        body = RoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.change_role(publisher, member, body.validated_data["role"])
        except services.OnboardingError as reason:
            return conflict(reason)
        forget(request.user)
        return Response(self.team_data(publisher))

    @extend_schema(
        operation_id="publisher_team_member_remove",
        summary="Retirer une personne de l'équipe",
        description="Ses droits sur l'éditeur cessent aussitôt, jetons d'API compris.",
        parameters=[ID, USER_ID],
        responses={204: None, 409: CONFLICT, **TEAM_ERRORS},
        tags=["onboarding"],
    )
    def delete(self, request, id, user_id):
        publisher = self.publisher(id)
        member = self.member(publisher, user_id)
        try:
            services.remove_member(publisher, member)
        except services.OnboardingError as reason:
            return conflict(reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(SignedInAPIView):
    """The invitee, signed in with the invited address, accepts with the link's token."""

    @extend_schema(
        operation_id="publisher_invitation_accept",
        summary="Accepter une invitation à rejoindre un éditeur",
        description="Le jeton du lien reçu par e-mail ; le compte doit avoir l'adresse invitée. "
        "Un jeton falsifié est un 404 ; expiré, déjà utilisé ou annulé, un 409.",
        parameters=[
            OpenApiParameter(
                "token", OpenApiTypes.STR, OpenApiParameter.PATH, description="Le jeton du lien."
            )
        ],
        request=None,
        responses={
            200: AcceptedSerializer,
            403: error("L'invitation est pour une autre adresse."),
            404: error("Lien invalide."),
            409: error("Lien expiré, déjà utilisé ou annulé."),
            **SIGNED_IN_ERRORS,
        },
        tags=["onboarding"],
    )
    def post(self, request, token):
        try:
            invitation = open_invitation(token)
        except InvitationRefused as refusal:
            if refusal.reason == "invalid":
                raise NotFound() from None
            return gone(str(REFUSALS[refusal.reason]))
        if not owns_address(request.user, invitation.email):
            raise PermissionDenied(_("Cette invitation a été envoyée à une autre adresse e-mail."))
        try:
            services.accept_invitation(invitation, request.user)
        except services.OnboardingError as reason:
            return gone(reason.message)
        forget(request.user)
        publisher = invitation.publisher
        return Response({"id": publisher.pk, "name": publisher.name, "role": invitation.role})


def gone(message: str) -> Response:
    """An invitation no longer open: a conflict with its state (web.problems has no "gone")."""
    body = problem("conflict", status.HTTP_409_CONFLICT, message)
    return Response(body, status=status.HTTP_409_CONFLICT)
