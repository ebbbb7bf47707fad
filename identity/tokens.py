"""API tokens, one per device: issued, checked, revoked.

A token's secret is 32 random bytes (``secrets.token_urlsafe``); only its SHA-256 is stored.
Looking a token up by the hash of what the client sent needs no secret comparison of ours: the
database finds the row by its unique index, and the hash is compared once more in constant time.
Tokens of DRF's authtoken, from before, were hashed the same way by a migration
(identity/migrations/0002): they keep working.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import DeviceToken

NAME_MAX_LENGTH = 100
# The last use is written at most this often per token: one UPDATE a minute, not one a request.
LAST_USE_WRITE_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def default_device_name() -> str:
    return _("Appareil sans nom")


def issue_token(user, device_name: str = "") -> tuple[DeviceToken, str]:
    """A new token for one device; returns it with its secret (shown once, never stored)."""
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    name = " ".join((device_name or "").split())[:NAME_MAX_LENGTH] or default_device_name()
    token = DeviceToken.objects.create(
        user=user, name=name, key_hash=hash_secret(secret), created_at=now, last_used_at=now
    )
    return token, secret


def inactivity_limit() -> timedelta:
    return timedelta(days=settings.API_TOKEN_INACTIVITY_DAYS)


def find_token(secret: str) -> DeviceToken | None:
    """The live token of this secret with its user (one query), its last use recorded."""
    digest = hash_secret(secret)
    token = DeviceToken.objects.select_related("user").filter(key_hash=digest).first()
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        return None
    now = timezone.now()
    if token.last_used_at < now - inactivity_limit():
        # Expired after inactivity: gone for good (the person signs in again).
        DeviceToken.objects.filter(pk=token.pk).delete()
        return None
    if now - token.last_used_at >= LAST_USE_WRITE_EVERY:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke(user, token_id: int) -> bool:
    """Revoke one of the user's tokens; False when it is not theirs (or already gone)."""
    deleted, _rows = DeviceToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def forget_expired() -> int:
    """Delete the tokens unused for longer than the inactivity limit (a daily task)."""
    deleted, _rows = DeviceToken.objects.filter(
        last_used_at__lt=timezone.now() - inactivity_limit()
    ).delete()
    return deleted
