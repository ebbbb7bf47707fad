"""DRF authtoken's tokens (one per user, in clear) become device tokens stored hashed.

Each keeps working: the device token's hash is the SHA-256 of the old key, which is what the
client keeps sending. The clear keys are then deleted. Their last use counts from now, so that
none expires on the day of the migration. Going back cannot restore the keys: it only empties.
"""

import hashlib

from django.db import migrations
from django.utils import timezone

MIGRATED_NAME = "Appareil connecté avant les jetons par appareil"


def hash_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    DeviceToken = apps.get_model("identity", "DeviceToken")
    now = timezone.now()
    batch = []
    for token in Token.objects.iterator(chunk_size=1000):
        batch.append(
            DeviceToken(
                user_id=token.user_id,
                name=MIGRATED_NAME,
                key_hash=hashlib.sha256(token.key.encode()).hexdigest(),
                created_at=token.created,
                last_used_at=now,
            )
        )
        if len(batch) >= 1000:
            DeviceToken.objects.bulk_create(batch)
            batch = []
    DeviceToken.objects.bulk_create(batch)
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_devices_and_identities"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
