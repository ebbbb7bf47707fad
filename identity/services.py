"""Writes on identities: sign in (or create) from a verified identity, link, unlink.

An identity whose e-mail is already an account's is never linked silently: the person proves
the account is theirs by signing in with its password once (the pending link waits in their
session, ``PENDING_LINK_KEY``; ``receivers.link_after_password_sign_in`` completes it), or
links it from « Mon compte » while signed in.
"""

import re
import time
import unicodedata
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalogue.permissions import is_verified
from identity import oidc
from identity.models import LinkedIdentity
from identity.oidc import PROCONNECT, Identity
from identity.signals import email_vouched_for

PENDING_LINK_KEY = "identity_pending_link"
PENDING_LINK_SECONDS = 15 * 60
LOGOUT_KEY = "identity_logout"


class IdentityRefused(Exception):
    """The identity cannot sign in (inactive account, linked to someone else…)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Outcome:
    user: object | None
    created: bool = False
    needs_proof: bool = False


def _username_base(identity: Identity) -> str:
    text = f"{identity.given_name} {identity.family_name}".strip() or identity.email.split("@")[0]
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^\w.+-]+", ".", ascii_text.lower()).strip(".")
    return base[:140] or "utilisateur"


def _unique_username(identity: Identity) -> str:
    users = get_user_model().objects
    base = _username_base(identity)
    candidate, number = base, 1
    while users.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _refresh(linked: LinkedIdentity, identity: Identity):
    linked.email = identity.email or linked.email
    if identity.siret:
        linked.siret = identity.siret
    linked.last_used_at = timezone.now()
    linked.save(update_fields=["email", "siret", "last_used_at"])


def _linked(identity: Identity) -> LinkedIdentity | None:
    return (
        LinkedIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=identity.provider, subject=identity.subject)
        .first()
    )


def sign_in(identity: Identity) -> Outcome:
    """The account of this identity: found, created (no password), or waiting for a proof."""
    users = get_user_model().objects
    with transaction.atomic():
        linked = _linked(identity)
        if (
            linked is None
            and identity.email
            and users.filter(email__iexact=identity.email).exists()
        ):
            # Someone's account, unless the same first sign-in, made at the same moment (two
            # tabs), has just created it with this very identity.
            linked = _linked(identity)
            if linked is None:
                return Outcome(user=None, needs_proof=True)
        if linked is None:
            try:
                with transaction.atomic():
                    user = _create_account(identity)
                    _vouch_for_email(user, identity)
                    return Outcome(user=user, created=True)
            except IntegrityError:
                # The same first sign-in, twice at once: the other one created it.
                linked = _linked(identity)
                if linked is None:
                    raise IdentityRefused("busy") from None
        if not linked.user.is_active:
            raise IdentityRefused("inactive")
        _refresh(linked, identity)
        _vouch_for_email(linked.user, identity)
        return Outcome(user=linked.user)


def _vouch_for_email(user, identity: Identity) -> None:
    """The provider verified the address the account uses: it needs no link of ours."""
    provider = oidc.get_provider(identity.provider)
    claim = identity.claims.get("email_verified")
    vouched = claim is True or (claim is None and provider is not None and provider.trusts_email)
    same = bool(user.email) and user.email.lower() == identity.email.lower()
    if vouched and same and not is_verified(user):
        email_vouched_for.send(sender=LinkedIdentity, user=user, email=user.email)


def _create_account(identity: Identity):
    users = get_user_model().objects
    user = users.create_user(
        username=_unique_username(identity),
        email=users.normalize_email(identity.email),
        first_name=identity.given_name,
        last_name=identity.family_name,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    LinkedIdentity.objects.create(
        user=user,
        provider=identity.provider,
        subject=identity.subject,
        email=identity.email,
        siret=identity.siret,
        last_used_at=timezone.now(),
    )
    return user


def link(user, identity: Identity) -> LinkedIdentity:
    """Link the identity to this signed-in (so proven) account; refused if another has it."""
    existing = LinkedIdentity.objects.filter(
        provider=identity.provider, subject=identity.subject
    ).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise IdentityRefused("linked_elsewhere")
        _refresh(existing, identity)
        return existing
    try:
        with transaction.atomic():
            return LinkedIdentity.objects.create(
                user=user,
                provider=identity.provider,
                subject=identity.subject,
                email=identity.email,
                siret=identity.siret,
                last_used_at=timezone.now(),
            )
    except IntegrityError as error:  # the same identity linked at the same moment elsewhere
        raise IdentityRefused("linked_elsewhere") from error


def remember_pending_link(session, identity: Identity):
    data = asdict(identity)
    data.pop("claims")
    data.pop("id_token")
    session[PENDING_LINK_KEY] = {**data, "expires": time.time() + PENDING_LINK_SECONDS}


def pending_link(session) -> Identity | None:
    data = session.get(PENDING_LINK_KEY)
    if not isinstance(data, dict) or data.get("expires", 0) < time.time():
        return None
    fields = {key: data.get(key, "") for key in ("provider", "subject", "email")}
    fields.update({key: data.get(key, "") for key in ("given_name", "family_name", "siret")})
    return Identity(**fields, id_token="")


def can_unlink(user) -> bool:
    """A password-less account keeps its last identity: else nobody could sign in to it."""
    return user.has_usable_password() or user.linked_identities.count() > 1


def unlink(user, identity_id: int) -> bool:
    """Unlink one of the user's identities; False when not theirs or it is their only way in."""
    with transaction.atomic():
        # The account's row is the lock: two unlinks at once cannot both take the last one.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if not can_unlink(user):
            return False
        deleted, _rows = LinkedIdentity.objects.filter(user=user, pk=identity_id).delete()
        return bool(deleted)


def suggested_siret(user) -> str:
    """The SIRET of the user's ProConnect organisation, to suggest (never to grant) in a
    publisher application; "" when unknown."""
    found = (
        LinkedIdentity.objects.filter(user=user, provider=PROCONNECT)
        .exclude(siret="")
        .order_by("-last_used_at", "-pk")
        .values_list("siret", flat=True)
        .first()
    )
    return found or ""
