"""Writes of the selections that span models or need a rule: the role, a selection's apps,
sharing, revoking, copying, counting opens, keeping one in one's favourites; and what the app
holds about a user (``export_for``).

Every function takes the acting user and checks nothing about permissions: the views and the
API decide who may call them (``selections.permissions``, ownership); the rules of the data
themselves (a shared selection no longer changes, twenty apps at most, an app once) are here
and raise ``SelectionError`` with a message for people.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import AppPage
from catalogue.notifications import recipients
from catalogue.notifications.services import notify
from selections.models import (
    MAX_ITEMS,
    MEDIATORS_GROUP,
    TITLE_MAX_LENGTH,
    TOKEN_BYTES,
    Mediator,
    SavedSelection,
    Selection,
    SelectionItem,
)
from selections.permissions import forget


@dataclass
class SelectionError(Exception):
    message: str
    code: str = "invalid"


def link_days_default() -> int:
    return settings.SELECTIONS["LINK_DAYS"]


def link_days_max() -> int:
    return settings.SELECTIONS["LINK_MAX_DAYS"]


# --- The role ------------------------------------------------------------------------------


def sync_mediators_group(mediator: Mediator) -> None:
    """The user is in the mediators' group exactly while their role is active."""
    group, _created = Group.objects.get_or_create(name=MEDIATORS_GROUP)
    if mediator.is_active and mediator.user.is_active:
        mediator.user.groups.add(group)
    else:
        mediator.user.groups.remove(group)
    forget(mediator.user)


def grant_mediator(user, organisation: str) -> Mediator:
    """Make the user a mediator for that organisation (an editor's decision)."""
    mediator, _created = Mediator.objects.update_or_create(
        user=user,
        defaults={"organisation": organisation.strip(), "status": Mediator.Status.ACTIVE},
    )
    return mediator


def request_mediator_role(user, organisation: str, source=Mediator.Source.SITE) -> Mediator:
    """A person asks for the role (from the site, or later from a ProConnect identity): an
    editor grants it. A granted or withdrawn role is not changed by asking again."""
    mediator, created = Mediator.objects.get_or_create(
        user=user,
        defaults={
            "organisation": organisation.strip(),
            "status": Mediator.Status.REQUESTED,
            "source": source,
        },
    )
    if not created and mediator.status == Mediator.Status.REQUESTED:
        mediator.organisation = organisation.strip()
        mediator.save(update_fields=["organisation"])
    if created:
        notify(
            recipients.editors(),
            "mediator_request",
            params={"organisation": mediator.organisation},
            url=reverse("wagtailadmin_home"),
        )
    return mediator


# --- Writing a selection -------------------------------------------------------------------


def visible_apps():
    return AppPage.objects.visible()


def check_draft(selection: Selection) -> None:
    if not selection.is_draft:
        raise SelectionError(
            _("Cette sélection est partagée : elle ne change plus. Dupliquez-la pour la modifier."),
            code="shared",
        )


@transaction.atomic
def create_selection(owner, *, title: str, message: str = "", items=()) -> Selection:
    """A draft; ``items``: (app, note) pairs in order."""
    selection = Selection.objects.create(
        owner=owner, title=title.strip(), message=message.strip(), kind=Selection.Kind.SELECTION
    )
    replace_items(selection, items)
    return selection


def replace_items(selection: Selection, items) -> None:
    """The selection's apps become ``items`` ((app, note) pairs), in that order."""
    check_draft(selection)
    items = list(items)
    if len(items) > MAX_ITEMS:
        raise SelectionError(
            _("Une sélection compte %(max)d applications au plus.") % {"max": MAX_ITEMS},
            code="too_many",
        )
    app_ids = [app.pk for app, _note in items]
    if len(set(app_ids)) != len(app_ids):
        raise SelectionError(_("Une application ne figure qu'une fois dans une sélection."))
    SelectionItem.objects.filter(selection=selection).delete()
    SelectionItem.objects.bulk_create(
        SelectionItem(selection=selection, app=app, note=(note or "").strip(), sort_order=position)
        for position, (app, note) in enumerate(items)
    )


@transaction.atomic
def update_selection(selection: Selection, *, title=None, message=None, items=None) -> Selection:
    selection = lock(selection)
    check_draft(selection)
    if title is not None:
        selection.title = title.strip()
    if message is not None:
        selection.message = message.strip()
    selection.save(update_fields=["title", "message", "updated_at"])
    if items is not None:
        replace_items(selection, items)
    return selection


@transaction.atomic
def add_app(selection: Selection, app: AppPage, note: str = "") -> bool:
    """Add the app at the end (False when it is already there: its note is then updated if
    one is given)."""
    selection = lock(selection)
    check_draft(selection)
    existing = SelectionItem.objects.filter(selection=selection, app=app).first()
    if existing is not None:
        if note.strip():
            existing.note = note.strip()
            existing.save(update_fields=["note"])
        return False
    count = SelectionItem.objects.filter(selection=selection).count()
    if count >= MAX_ITEMS:
        raise SelectionError(
            _("Une sélection compte %(max)d applications au plus.") % {"max": MAX_ITEMS},
            code="too_many",
        )
    last = SelectionItem.objects.filter(selection=selection).aggregate(last=Max("sort_order"))
    SelectionItem.objects.create(
        selection=selection,
        app=app,
        note=note.strip(),
        sort_order=(last["last"] if last["last"] is not None else -1) + 1,
    )
    selection.save(update_fields=["updated_at"])
    return True


@transaction.atomic
def edit_items(selection: Selection, notes: dict, removed: set, move: tuple | None) -> None:
    """The edit form of the site: notes by item id, items to remove, one item to move
    ((item id, -1 up or +1 down)). Ids not of this selection are ignored."""
    selection = lock(selection)
    check_draft(selection)
    items = list(SelectionItem.objects.filter(selection=selection).order_by("sort_order", "pk"))
    kept = [item for item in items if item.pk not in removed]
    if move is not None:
        item_id, step = move
        position = next((i for i, item in enumerate(kept) if item.pk == item_id), None)
        if position is not None and 0 <= position + step < len(kept):
            kept[position], kept[position + step] = kept[position + step], kept[position]
    SelectionItem.objects.filter(selection=selection, pk__in=removed).delete()
    for position, item in enumerate(kept):
        item.sort_order = position
        if item.pk in notes:
            item.note = notes[item.pk].strip()
    SelectionItem.objects.bulk_update(kept, ["sort_order", "note"])
    selection.save(update_fields=["updated_at"])


def lock(selection: Selection) -> Selection:
    """The selection's row, locked for this transaction (two tabs editing wait in turn)."""
    return Selection.objects.select_for_update().get(pk=selection.pk)


def delete_draft(selection: Selection) -> None:
    check_draft(selection)
    selection.delete()


# --- Sharing -------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@transaction.atomic
def share(selection: Selection, days: int | None = None) -> Selection:
    """The draft gets its link, valid ``days`` days (the default of the settings)."""
    selection = lock(selection)
    check_draft(selection)
    if not selection.items.exists():
        raise SelectionError(
            _("Ajoutez au moins une application avant de partager la sélection."), code="empty"
        )
    days = days or link_days_default()
    if not 1 <= days <= link_days_max():
        raise SelectionError(
            _("La durée du lien va de 1 à %(max)d jours.") % {"max": link_days_max()},
            code="days",
        )
    now = timezone.now()
    selection.status = Selection.Status.SHARED
    selection.shared_at = now
    selection.expires_at = now + timedelta(days=days)
    for _attempt in range(5):
        selection.token = new_token()
        try:
            with transaction.atomic():
                selection.save(
                    update_fields=["status", "shared_at", "expires_at", "token", "updated_at"]
                )
            break
        except IntegrityError:  # a token already taken (2^-96): draw another
            continue
    else:
        raise SelectionError(_("Le lien n'a pas pu être créé : réessayez."), code="token")
    return selection


@transaction.atomic
def revoke(selection: Selection) -> Selection:
    """The link stops working now, for good (the selection stays in the mediator's list)."""
    selection = lock(selection)
    if selection.status != Selection.Status.SHARED:
        raise SelectionError(_("Cette sélection n'a pas de lien à retirer."), code="not_shared")
    selection.status = Selection.Status.REVOKED
    selection.revoked_at = timezone.now()
    selection.save(update_fields=["status", "revoked_at", "updated_at"])
    return selection


@transaction.atomic
def duplicate(source: Selection, owner) -> Selection:
    """A new draft of ``owner`` with the same apps and notes (a ready-made path is copied in
    the mediator's language)."""
    copy = Selection.objects.create(
        owner=owner,
        kind=Selection.Kind.SELECTION,
        title=(source.localized_title if source.is_path else source.title)[:TITLE_MAX_LENGTH],
        message=source.localized_message if source.is_path else source.message,
        copied_from=source,
    )
    items = source.items.filter(app__in=visible_apps()).order_by("sort_order", "pk")
    SelectionItem.objects.bulk_create(
        SelectionItem(
            selection=copy,
            app_id=item.app_id,
            note=item.localized_note if source.is_path else item.note,
            sort_order=position,
        )
        for position, item in enumerate(items)
    )
    return copy


def count_open(selection: Selection) -> None:
    """One more opening of the link: a bare counter and the day, nothing about who."""
    Selection.objects.filter(pk=selection.pk).update(
        open_count=F("open_count") + 1, last_opened_on=timezone.localdate()
    )


# --- The person's favourites ---------------------------------------------------------------


def keep(user, selection: Selection) -> bool:
    _saved, created = SavedSelection.objects.get_or_create(user=user, selection=selection)
    return created


def forget_saved(user, selection_id: int) -> bool:
    deleted, _rows = SavedSelection.objects.filter(user=user, selection_id=selection_id).delete()
    return bool(deleted)


# --- Personal data -------------------------------------------------------------------------


def export_for(user) -> dict:
    """Everything this app holds about the user, as plain JSON-ready data: their mediator role,
    the selections they made (with their notes) and the selections they keep."""
    mediator = Mediator.objects.filter(user=user).first()
    selections = (
        Selection.objects.filter(owner=user)
        .prefetch_related("items__app")
        .order_by("created_at", "pk")
    )
    saved = SavedSelection.objects.filter(user=user).select_related("selection")

    def when(value):
        return value.isoformat() if value else None

    return {
        "mediator": (
            {
                "organisation": mediator.organisation,
                "status": mediator.status,
                "status_label": str(mediator.get_status_display()),
                "source": mediator.source,
                "created_at": when(mediator.created_at),
                "granted_at": when(mediator.granted_at),
            }
            if mediator
            else None
        ),
        "selections": [
            {
                "title": selection.title,
                "message": selection.message,
                "status": selection.status,
                "created_at": when(selection.created_at),
                "shared_at": when(selection.shared_at),
                "expires_at": when(selection.expires_at),
                "revoked_at": when(selection.revoked_at),
                "open_count": selection.open_count,
                "apps": [
                    {"app": item.app.slug, "name": item.app.title, "note": item.note}
                    for item in sorted(selection.items.all(), key=lambda i: (i.sort_order, i.pk))
                ],
            }
            for selection in selections
        ],
        "saved_selections": [
            {"title": saved_item.selection.title, "saved_at": when(saved_item.created_at)}
            for saved_item in saved
        ],
    }
