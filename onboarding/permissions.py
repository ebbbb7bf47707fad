"""Who may do what in onboarding; one home for each rule.

- ``signed_in_person(user)`` and ``owns_address(user, email)``: the one place that says who
  counts as a person who may apply and which e-mail address is theirs. Today: an active,
  signed-in account, and its account address. (When verified addresses exist, this is where
  they are taken into account.)
- ``is_publisher_admin``: an editor, or a member of the publisher with the administrator role.
- ``can_manage_team``: the same (editors may run any publisher's team).
"""

from catalogue.permissions import is_editor, is_member, publishers_of
from onboarding.models import PublisherRole, Role

ADMIN_CACHE = "_onboarding_admin_of"


def signed_in_person(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def owns_address(user, email: str) -> bool:
    """The address is the account's (case-insensitive)."""
    if not signed_in_person(user) or not email:
        return False
    return (user.email or "").strip().lower() == email.strip().lower()


def administered_by(user) -> frozenset[int]:
    """Ids of the publishers the user is an administrator of (and still a member of)."""
    if not signed_in_person(user):
        return frozenset()
    if not hasattr(user, ADMIN_CACHE):
        ids = PublisherRole.objects.filter(user=user, role=Role.ADMIN).values_list(
            "publisher_id", flat=True
        )
        setattr(user, ADMIN_CACHE, frozenset(ids) & publishers_of(user))
    return getattr(user, ADMIN_CACHE)


def is_publisher_admin(user, publisher_id: int | None) -> bool:
    return publisher_id is not None and publisher_id in administered_by(user)


def can_manage_team(user, publisher_id: int | None) -> bool:
    return is_editor(user) or is_publisher_admin(user, publisher_id)


def can_submit_apps(user, publisher_id: int | None) -> bool:
    """Members (administrators included) write drafts of their publisher's apps."""
    return is_member(user, publisher_id)


def forget(user) -> None:
    if hasattr(user, ADMIN_CACHE):
        delattr(user, ADMIN_CACHE)
