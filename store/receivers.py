"""What the shell follows from the apps below it."""

from identity.signals import email_vouched_for
from store import verification


def address_vouched_for(sender, user, email, **kwargs):
    # Signed in by a provider that verified this very address: confirmed, as by our link.
    if user.email == email:
        verification.mark_verified(user)


def connect():
    email_vouched_for.connect(address_vouched_for, dispatch_uid="store.address_vouched_for")
