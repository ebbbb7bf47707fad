"""Who is a mediator: one home for the question every view of the mediators' space asks.

A mediator is an active user whose ``Mediator`` role is active (an editor granted it). The
answer is looked up once per user object (so once per request), and only for users whose
permissions include the mediators' group permission: everyone else is answered from the
permission cache that the site's header fills on every signed-in page, at no extra query.
"""

from selections.models import MEDIATOR_PERMISSION, Mediator

MEDIATOR_CACHE = "_selections_mediator"


def mediator_of(user) -> Mediator | None:
    """The user's active mediator role, or None."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, MEDIATOR_CACHE):
        mediator = None
        if user.has_perm(MEDIATOR_PERMISSION):
            mediator = Mediator.objects.filter(user=user, status=Mediator.Status.ACTIVE).first()
        setattr(user, MEDIATOR_CACHE, mediator)
    return getattr(user, MEDIATOR_CACHE)


def is_mediator(user) -> bool:
    return mediator_of(user) is not None


def forget(user) -> None:
    """Drop the cached answer (after the role changed)."""
    if hasattr(user, MEDIATOR_CACHE):
        delattr(user, MEDIATOR_CACHE)
    # Django's own permission caches, so has_perm() reads the groups again.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
