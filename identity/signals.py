"""What identity tells the rest of the store."""

from django.dispatch import Signal

# A provider vouched for the address of an account it signs in (its ``email_verified`` claim,
# the address the account uses). Keywords: user, email. Sent inside the sign-in's transaction;
# the shell confirms the address as its own link would.
email_vouched_for = Signal()
