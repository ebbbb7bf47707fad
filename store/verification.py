"""E-mail verification by signed link (django.core.signing): nothing stored until it is used.

- ``make_token(user, purpose)`` signs (user id, a digest of the account's current address,
  purpose) with a timestamp; ``read_token(token, purpose, max_age)`` gives the user back, or
  raises ``LinkError`` ("expired" or "invalid": forged, another purpose, another address since).
- ``mark_verified(user)`` records that the account's current address is confirmed;
  ``is_verified(user)`` says whether it still is (catalogue.permissions.is_verified asks it
  through a hook: reviews and reports need it).
- ``send_verification(request, user)`` mails the link (/compte/confirmation/<token>/), valid
  ``settings.EMAIL_VERIFICATION_DAYS`` days.

Reusable for any link that proves someone reads an address: an e-mail change signs the new
address with a purpose of its own and calls ``mark_verified`` once it is followed.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from catalogue import permissions
from store.models import AccountSettings, VerifiedEmail

SALT = "store.verification"
SIGN_UP = "sign-up"


class LinkError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def fingerprint(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:16]


def make_token(user, purpose: str = SIGN_UP) -> str:
    payload = {"u": user.pk, "e": fingerprint(user.email), "p": purpose}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str, purpose: str = SIGN_UP, max_age: int | None = None):
    """The active user the token was made for, while their address is the one it names."""
    max_age = max_age if max_age is not None else settings.EMAIL_VERIFICATION_DAYS * 86400
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise LinkError("invalid")
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or not user.email or fingerprint(user.email) != payload.get("e"):
        raise LinkError("invalid")
    return user


def is_verified(user) -> bool:
    email = (user.email or "").strip()
    return bool(email) and VerifiedEmail.objects.filter(user=user, email__iexact=email).exists()


def mark_verified(user) -> None:
    now = timezone.now()
    VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified_at": now}
    )
    # "Mon compte" and the personal-data export show when the address was confirmed.
    AccountSettings.objects.update_or_create(user=user, defaults={"email_confirmed_at": now})
    permissions.forget(user)  # it caches the answer on the user object


def mail_context(request) -> dict:
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "days": settings.EMAIL_VERIFICATION_DAYS,
        "base": request.build_absolute_uri("/").rstrip("/"),
    }


def send_verification(request, user) -> None:
    """The link that confirms the account's address, to that address."""
    context = {
        **mail_context(request),
        "user": user,
        "link": request.build_absolute_uri(
            reverse("account_verify", args=[make_token(user, SIGN_UP)])
        ),
    }
    send_mail(
        render_to_string("store/emails/verify_subject.txt", context).strip(),
        render_to_string("store/emails/verify.txt", context),
        None,
        [user.email],
    )
    # An account never confirmed within RETENTION["UNVERIFIED_ACCOUNT_DAYS"] of this is purged.
    AccountSettings.objects.update_or_create(
        user=user, defaults={"email_confirmation_sent_at": timezone.now()}
    )


def send_already_registered(request, user) -> None:
    """Someone signed up with the address of an existing account: its owner is told (the
    sign-up page answered as for a new account, so nobody learns the address is taken)."""
    context = {**mail_context(request), "user": user}
    send_mail(
        render_to_string("store/emails/already_registered_subject.txt", context).strip(),
        render_to_string("store/emails/already_registered.txt", context),
        None,
        [user.email],
    )
