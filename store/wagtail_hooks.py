"""The shell's Wagtail hooks: accounts are the shell's, so it says which are verified."""

from wagtail import hooks

from catalogue.permissions import ACCOUNT_VERIFIED_HOOK
from store import verification

hooks.register(ACCOUNT_VERIFIED_HOOK, verification.is_verified)
