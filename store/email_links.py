"""Signed links that prove someone reads an e-mail address (django.core.signing).

``make_token(user, email, purpose)`` signs (user id, address, purpose) with a timestamp;
``read_token(token, purpose, max_age)`` gives back the user and the address, or raises
``LinkError``. Nothing is stored: the link is the proof. A token is bound to the account's
address at the time it was made, so it is worth nothing once the address changed (used once).

The profile's e-mail change uses it (purpose "email-change"); a sign-up confirmation can use
the same functions with a purpose of its own.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.core import signing

SALT = "store.email_links"


class LinkError(Exception):
    """The link is forged, expired, for another purpose, or already used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def fingerprint(value: str) -> str:
    """A short digest of the account's current address (the token binds it, unreadable)."""
    return hashlib.sha256(value.lower().encode()).hexdigest()[:16]


def make_token(user, email: str, purpose: str) -> str:
    payload = {"u": user.pk, "e": email, "p": purpose, "c": fingerprint(user.email or "")}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str, purpose: str, max_age: int):
    """(user, email) the token was made for; LinkError when it cannot be trusted."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise LinkError("invalid")
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or fingerprint(user.email or "") != payload.get("c"):
        raise LinkError("invalid")
    return user, payload["e"]
