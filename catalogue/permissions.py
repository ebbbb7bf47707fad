"""Who may do what in the catalogue: one home for "is this person an editor, a member of which
publishers".

- Editors are the superusers and the members of the ``EDITORS_GROUP`` group.
- A publisher's members are the users of its group (``Publisher.group``).

- A verified account is one whose e-mail address its owner confirmed (the shell owns accounts
  and registers the check: ``ACCOUNT_VERIFIED_HOOK``, store/wagtail_hooks.py); only verified
  accounts review or report.

All are looked up once per user object (so once per request: menus, dashboard panels and
permission policies all ask) and forgotten when that user's groups change
(catalogue.receivers).
"""

from wagtail import hooks

EDITORS_GROUP = "Editors"
PUBLISHERS_CACHE = "_catalogue_publisher_ids"
EDITOR_CACHE = "_catalogue_is_editor"
VERIFIED_CACHE = "_catalogue_is_verified"
# fn(user) -> bool: the account's e-mail address is confirmed. Without any such hook every
# account counts as verified.
ACCOUNT_VERIFIED_HOOK = "emploistore_account_verified"


def is_editor(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, EDITOR_CACHE):
        setattr(user, EDITOR_CACHE, user.groups.filter(name=EDITORS_GROUP).exists())
    return getattr(user, EDITOR_CACHE)


def publishers_of(user) -> frozenset[int]:
    """Ids of the publishers the user is a member of (none when signed out or inactive)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, PUBLISHERS_CACHE):
        # Through the groups: a publisher is its group's; one query, no import of the models.
        ids = user.groups.filter(publisher__isnull=False).values_list("publisher__pk", flat=True)
        setattr(user, PUBLISHERS_CACHE, frozenset(ids))
    return getattr(user, PUBLISHERS_CACHE)


def is_member(user, publisher_id: int | None) -> bool:
    return publisher_id is not None and publisher_id in publishers_of(user)


def is_verified(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, VERIFIED_CACHE):
        checks = hooks.get_hooks(ACCOUNT_VERIFIED_HOOK)
        setattr(user, VERIFIED_CACHE, all(check(user) for check in checks))
    return getattr(user, VERIFIED_CACHE)


def forget(user) -> None:
    """Drop the user's cached memberships and verification (after they changed)."""
    for cache in (PUBLISHERS_CACHE, EDITOR_CACHE, VERIFIED_CACHE):
        if hasattr(user, cache):
            delattr(user, cache)
