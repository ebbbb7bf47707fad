"""The signed links of invitations (django.core.signing).

The token signs the invitation's id and address with a timestamp; the invitation's row says
whether it is still open (not accepted, not cancelled, not past ``expires_at``). A link is
refused when it is tampered with, expired, already used or cancelled, and — once signed in —
when the account's address is not the one invited (onboarding.permissions.owns_address).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from onboarding.models import Invitation

SALT = "onboarding.invitation"
# What the person reads, by reason (the site's page and the API's problem alike).
REFUSALS = {
    "invalid": gettext_lazy("Ce lien d'invitation n'est pas valide."),
    "expired": gettext_lazy("Ce lien d'invitation a expiré : demandez-en un nouveau à l'éditeur."),
    "used": gettext_lazy("Cette invitation a déjà servi ou a été annulée."),
}


class InvitationRefused(Exception):
    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired", "used"
        self.invitation = invitation


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email.lower()}, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("publisher_invitation", args=[make_token(invitation)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def open_invitation(token: str) -> Invitation:
    """The open invitation the token names; InvitationRefused otherwise."""
    max_age = settings.ONBOARDING_INVITATION_DAYS * 86_400
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationRefused("expired") from None
    except signing.BadSignature:
        raise InvitationRefused("invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise InvitationRefused("invalid")
    invitation = Invitation.objects.select_related("publisher").filter(pk=payload["i"]).first()
    if invitation is None or invitation.email.lower() != payload.get("e"):
        raise InvitationRefused("invalid")
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationRefused("used", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused("expired", invitation)
    return invitation
