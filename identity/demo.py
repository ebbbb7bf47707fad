"""Demo identities and devices for `manage.py load_demo`: the demo member ("membre") has a
ProConnect identity linked (with its organisation's SIRET, a suggestion only) and two devices
signed in to the API, so that « Mon compte → Identités et appareils » shows each part.

Idempotent: an identity or a device of that name already there is left alone. No provider is
configured in the demo (no buttons); the tokens' secrets are not printed (nobody needs them).
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from identity.models import DeviceToken, LinkedIdentity
from identity.oidc import PROCONNECT
from identity.tokens import issue_token

USERNAME = "membre"
SUBJECT = "demo-proconnect-membre"
SIRET = "13000548100010"
DEVICES = ["Téléphone de Dominique", "Tablette du bureau"]


def load_identities() -> dict:
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        return {"created": 0, "unchanged": 0}
    created = unchanged = 0
    _identity, new = LinkedIdentity.objects.get_or_create(
        provider=PROCONNECT,
        subject=SUBJECT,
        defaults={
            "user": user,
            "email": user.email,
            "siret": SIRET,
            "last_used_at": timezone.now(),
        },
    )
    created, unchanged = created + new, unchanged + (not new)
    for name in DEVICES:
        if DeviceToken.objects.filter(user=user, name=name).exists():
            unchanged += 1
        else:
            issue_token(user, name)
            created += 1
    return {"created": created, "unchanged": unchanged}
