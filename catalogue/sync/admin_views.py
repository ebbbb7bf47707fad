"""The publisher sync in the Wagtail admin: feeds, their runs, Sync now, Preview, mappings.

Who may do what:
- editors (model permissions on Feed / SyncRun / CategoryMapping, granted to the "Editors"
  group by ``catalogue.sync.receivers``) and superusers: every feed, add / edit
  / delete, every run, Sync now and Preview, the category mappings;
- publisher members: the feeds of their own publishers only, read-only, with their runs, Sync
  now and Preview. They neither add nor edit feeds (editors register them), and another
  publisher's feed is a 404 to them.

Feed and run text (names, URLs, messages, errors, warnings) comes from publishers: templates
print it escaped, never ``|safe``.
"""

from datetime import timedelta

import django_filters
from celery.result import EagerResult
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from kombu.exceptions import OperationalError
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import (
    BooleanColumn,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import BooleanRadioSelect, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from catalogue.models import Publisher
from catalogue.permissions import is_editor, publishers_of
from catalogue.sync import locks
from catalogue.sync.models import CategoryMapping, Feed, FeedFormat, SyncRun
from catalogue.sync.runner import (
    MAX_REPORTED_CHANGES,
    SyncAlreadyRunning,
    confirm_held_archive,
    run_feed,
)
from catalogue.sync.tasks import sync_feed

FEEDS = "sync_feeds"  # URL namespace of the feeds' views
RUNS_PER_PAGE = 25

# The runner's field names (runner.SENSITIVE / ROUTINE) as editors read them.
FIELD_LABELS = {
    "title": _("nom"),
    "tagline": _("accroche"),
    "description": _("description"),
    "categories": _("catégories"),
    "audiences": _("publics"),
    "pricing": _("tarif"),
    "languages": _("langues"),
    "accessibility": _("accessibilité"),
    "icon": _("icône"),
    "listings": _("fiches par plateforme"),
    "screenshots": _("captures d'écran"),
}


# --- Who may do what -----------------------------------------------------------------------


class FeedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, plus "view" on their own publishers' feeds for members."""

    def has_model_permission(self, user, action) -> bool:
        return super().user_has_permission(user, action)

    def user_has_permission(self, user, action):
        if self.has_model_permission(user, action):
            return True
        return action == "view" and bool(publishers_of(user))

    def user_has_permission_for_instance(self, user, action, instance):
        if self.has_model_permission(user, action):
            return True
        return action == "view" and instance.publisher_id in publishers_of(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self.has_model_permission(user, action) for action in actions):
            return Feed.objects.all()
        if "view" in actions:
            return Feed.objects.filter(publisher_id__in=publishers_of(user))
        return Feed.objects.none()

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if "view" not in actions:
            return users
        members = get_user_model().objects.filter(is_active=True, groups__publisher__isnull=False)
        return (users | members).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = super().users_with_any_permission(actions)
        if "view" not in actions or instance.publisher.group_id is None:
            return users
        members = get_user_model().objects.filter(
            is_active=True, groups=instance.publisher.group_id
        )
        return (users | members).distinct()


def feed_policy() -> FeedPermissionPolicy:
    return policy_registry.get_by_type(Feed)


def visible_feeds(user):
    """The feeds the user may see: every feed for editors, their own for members."""
    return feed_policy().instances_user_has_any_permission_for(user, ["view", "change"])


def is_member(user, feed: Feed) -> bool:
    return feed.publisher_id in publishers_of(user)


def can_see_runs(user, feed: Feed) -> bool:
    return is_member(user, feed) or user.has_perm("sync.view_syncrun")


def can_sync(user, feed: Feed) -> bool:
    """Sync now and Preview: the feed's publisher's members, and whoever may edit feeds."""
    return is_member(user, feed) or user.has_perm("sync.change_feed")


def get_feed_or_404(request, pk) -> Feed:
    """A feed the user may see (another publisher's feed does not exist for a member)."""
    feed = get_object_or_404(visible_feeds(request.user).select_related("publisher"), pk=pk)
    if not can_see_runs(request.user, feed):
        raise PermissionDenied
    return feed


# --- Small formatting helpers --------------------------------------------------------------


def format_duration(duration: timedelta | None) -> str:
    if duration is None:
        return "—"
    seconds = duration.total_seconds()
    if seconds < 60:
        return f"{number_format(round(seconds, 1))} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def next_sync_label(feed: Feed) -> str:
    # A future date: Wagtail's DateColumn only speaks of the past ("il y a…").
    if not feed.enabled:
        return "—"
    if feed.next_sync_at is None or feed.next_sync_at <= timezone.now():
        return gettext("Dès que possible")
    return date_format(timezone.localtime(feed.next_sync_at), "SHORT_DATETIME_FORMAT")


def http_label(run: SyncRun) -> str:
    if run.http_status is None:
        return "—"
    return str(run.http_status)


def duration_label(run: SyncRun) -> str:
    return format_duration(run.duration)


def trigger_label(run: SyncRun) -> str:
    label = run.get_trigger_display()
    if not run.dry_run:
        return label
    preview = gettext("aperçu")
    return f"{label} · {preview}"


def field_labels(names) -> str:
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in names or ())


def describe_change(change: dict, dry_run: bool) -> dict:
    """One line of a run's change list, in words (a preview speaks in the conditional)."""
    action = change.get("action")
    sensitive = field_labels(change.get("sensitive"))
    routine = field_labels(change.get("routine"))
    if action == "create":
        label = _("serait créée") if dry_run else _("créée (brouillon soumis à validation)")
    elif action == "update":
        label = _("serait mise à jour") if dry_run else _("mise à jour")
    elif action == "archive":
        label = _("serait archivée") if dry_run else _("archivée")
    else:
        label = action or "—"
    return {
        "item": change.get("item", ""),
        "name": change.get("name", ""),
        "action": action,
        "label": label,
        "sensitive": sensitive if action == "update" else "",
        "routine": routine if action == "update" else "",
    }


def counters(run: SyncRun) -> list[tuple[str, int]]:
    fields = SyncRun._meta
    return [(fields.get_field(name).verbose_name, getattr(run, name)) for name in SyncRun.COUNTERS]


def run_summary(run: SyncRun) -> str:
    """What a finished run did, in one sentence (the message after Sync now)."""
    if run.status == SyncRun.Status.FAILED:
        return gettext("La synchronisation a échoué : %(message)s") % {"message": run.message}
    counts = ", ".join(f"{label} : {value}" for label, value in counters(run))
    if run.status == SyncRun.Status.DONE_WITH_ERRORS:
        return gettext("Synchronisation terminée avec des erreurs — %(counts)s.") % {
            "counts": counts
        }
    return gettext("Synchronisation terminée — %(counts)s.") % {"counts": counts}


# --- Feeds ---------------------------------------------------------------------------------


def filter_publishers(request):
    """The publisher filter offers the publishers whose feeds the user may see."""
    if request is None:
        return Publisher.objects.none()
    user, policy = request.user, feed_policy()
    if any(policy.has_model_permission(user, action) for action in ("view", "change")):
        # Every publisher, even without feeds: its link from the publishers' listing works.
        return Publisher.objects.order_by("name")
    return Publisher.objects.filter(pk__in=publishers_of(user)).order_by("name")


class FeedFilterSet(WagtailFilterSet):
    publisher = django_filters.ModelChoiceFilter(
        label=_("Éditeur"), queryset=filter_publishers, empty_label=_("Tous")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=FeedFormat.choices, empty_label=_("Tous")
    )
    enabled = django_filters.BooleanFilter(label=_("Actif"), widget=BooleanRadioSelect)

    class Meta:
        model = Feed
        fields = ["publisher", "format", "enabled"]


def last_run_value(field: str) -> Subquery:
    # A preview is not a sync: it would hide the state of the feed's real runs.
    runs = SyncRun.objects.filter(feed=OuterRef("pk"), dry_run=False)
    runs = runs.order_by("-started_at", "-pk")
    return Subquery(runs.values(field)[:1])


STATUS_LABELS = dict(SyncRun.Status.choices)


class FeedIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The last run's status and date come from subqueries: one query for the whole page.
        return (
            visible_feeds(self.request.user)
            .select_related("publisher")
            .annotate(
                last_run_status=last_run_value("status"),
                last_run_at=last_run_value("started_at"),
            )
        )

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "name",
                label=_("Nom"),
                accessor="name",
                sort_key="name",
                get_url=lambda feed: reverse(f"{FEEDS}:runs", args=[feed.pk]),
                get_title_id=lambda feed: f"feed_{feed.pk}_title",
            ),
            Column(
                "publisher",
                label=_("Éditeur"),
                accessor="publisher.name",
                sort_key="publisher__name",
            ),
            Column("format", label=_("Format"), accessor="get_format_display", sort_key="format"),
            BooleanColumn("enabled", label=_("Actif"), sort_key="enabled"),
            Column(
                "next_sync_at",
                label=_("Prochaine synchronisation"),
                accessor=next_sync_label,
                sort_key="next_sync_at",
            ),
            StatusTagColumn(
                "last_run_status",
                label=_("Dernière synchronisation"),
                accessor=self.last_status,
                primary=lambda feed: feed.last_run_status == SyncRun.Status.FAILED,
            ),
            DateColumn("last_run_at", label=_("Dernier passage"), sort_key="last_run_at"),
        ]

    @staticmethod
    def last_status(feed) -> str:
        if feed.last_run_status is None:
            return gettext("Jamais")
        return str(STATUS_LABELS.get(feed.last_run_status, feed.last_run_status))

    def get_list_more_buttons(self, instance):
        buttons = [
            MenuItem(
                _("Synchronisations"),
                url=reverse(f"{FEEDS}:runs", args=[instance.pk]),
                icon_name="history",
                priority=5,
            )
        ]
        return buttons + super().get_list_more_buttons(instance)


class FeedViewSet(ModelViewSet):
    model = Feed
    name = FEEDS
    url_prefix = "flux"
    url_namespace = FEEDS
    icon = "download"
    menu_label = _("Flux")
    index_view_class = FeedIndexView
    filterset_class = FeedFilterSet
    copy_view_enabled = False
    list_per_page = 50
    # The form: Feed.panels.

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/synchronisations/", FeedRunsView.as_view(), name="runs"),
            path("<int:pk>/synchroniser/", sync_now, name="sync"),
            path("<int:pk>/apercu/", preview, name="preview"),
            path("synchronisations/<int:pk>/", RunDetailView.as_view(), name="run"),
            path(
                "synchronisations/<int:pk>/confirmer-archivage/",
                confirm_archive,
                name="confirm_archive",
            ),
        ]


class CategoryMappingViewSet(ModelViewSet):
    model = CategoryMapping
    name = "sync_category_mappings"
    url_prefix = "flux-categories"
    url_namespace = "sync_category_mappings"
    icon = "tag"
    menu_label = _("Correspondances de catégories")
    list_display = ["term", "source", "category"]
    list_filter = ["source"]
    search_fields = ["term"]
    search_backend_name = None  # not indexed: the ORM searches the term
    ordering = "term"
    copy_view_enabled = False
    list_per_page = 50
    # The form: CategoryMapping.panels.


class SyncViewSetGroup(ModelViewSetGroup):
    menu_label = _("Flux des éditeurs")
    menu_icon = "rotate"
    menu_name = "publisher-feeds"
    menu_order = 205  # after "Catalogue" (200), before "Avis" (210)
    items = (FeedViewSet, CategoryMappingViewSet)


# --- Runs of a feed ------------------------------------------------------------------------


class FeedRunsView(BaseListingView):
    """The feed's page: what it is, Sync now / Preview, and its runs, newest first."""

    template_name = "sync/admin/feed_runs.html"
    paginate_by = RUNS_PER_PAGE
    header_icon = "download"
    verbose_name = _("synchronisation")
    verbose_name_plural = _("synchronisations")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.feed = get_feed_or_404(request, kwargs["pk"])

    def get_queryset(self):
        # The JSON lists can be long: the listing only needs the counters.
        return self.feed.runs.defer("message", "errors", "warnings", "changes").order_by(
            "-started_at", "-pk"
        )

    def get_index_url(self):
        return reverse(f"{FEEDS}:runs", args=[self.feed.pk])

    def get_page_title(self):
        return str(self.feed.name)

    def get_page_subtitle(self):
        return str(self.feed.publisher)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{FEEDS}:index"), "label": _("Flux")},
            {"url": "", "label": self.feed.name, "sublabel": str(self.feed.publisher)},
        ]

    def get_header_buttons(self):
        buttons = []
        if feed_policy().user_has_permission_for_instance(self.request.user, "change", self.feed):
            buttons.append(
                HeaderButton(
                    _("Modifier le flux"),
                    url=reverse(f"{FEEDS}:edit", args=[self.feed.pk]),
                    icon_name="edit",
                )
            )
        return buttons

    @cached_property
    def columns(self):
        def counter(name, label):
            return Column(name, label=label, accessor=name)

        return [
            TitleColumn(
                "started_at",
                label=_("Début"),
                accessor=lambda run: timezone.localtime(run.started_at).strftime(
                    "%d/%m/%Y %H:%M:%S"
                ),
                get_url=lambda run: reverse(f"{FEEDS}:run", args=[run.pk]),
                get_title_id=lambda run: f"run_{run.pk}_title",
            ),
            Column("trigger", label=_("Déclenchement"), accessor=trigger_label),
            StatusTagColumn(
                "status",
                label=_("Statut"),
                accessor="get_status_display",
                primary=lambda run: run.status == SyncRun.Status.FAILED,
            ),
            Column("duration", label=_("Durée"), accessor=duration_label),
            Column("http_status", label=_("HTTP"), accessor=http_label),
            counter("seen", _("Lues")),
            counter("created", _("Créées")),
            counter("updated", _("Mises à jour")),
            counter("unchanged", _("Inchangées")),
            counter("archived", _("Archivées")),
            counter("failed", _("En échec")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            feed=self.feed,
            can_sync=can_sync(self.request.user, self.feed),
            sync_url=reverse(f"{FEEDS}:sync", args=[self.feed.pk]),
            preview_url=reverse(f"{FEEDS}:preview", args=[self.feed.pk]),
        )
        return context


class RunDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One run in full: message, per-item errors, warnings, what changed (or would)."""

    template_name = "sync/admin/run_detail.html"
    header_icon = "history"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.run = get_object_or_404(
            SyncRun.objects.select_related("feed__publisher").filter(
                feed__in=visible_feeds(request.user)
            ),
            pk=kwargs["pk"],
        )
        if not can_see_runs(request.user, self.run.feed):
            raise PermissionDenied

    def get_page_title(self):
        return gettext("Aperçu") if self.run.dry_run else gettext("Synchronisation")

    def get_page_subtitle(self):
        return timezone.localtime(self.run.started_at).strftime("%d/%m/%Y %H:%M:%S")

    def get_breadcrumbs_items(self):
        feed = self.run.feed
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{FEEDS}:index"), "label": _("Flux")},
            {"url": reverse(f"{FEEDS}:runs", args=[feed.pk]), "label": feed.name},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        context.update(
            run=run,
            feed=run.feed,
            trigger=trigger_label(run),
            duration=format_duration(run.duration),
            counters=counters(run),
            errors=[
                {"item": error.get("item", ""), "message": error.get("message", "")}
                if isinstance(error, dict)
                else {"item": "", "message": str(error)}
                for error in run.errors or ()
            ],
            warnings=[str(warning) for warning in run.warnings or ()],
            changes=[
                describe_change(change, run.dry_run)
                for change in run.changes or ()
                if isinstance(change, dict)
            ],
            changes_truncated=len(run.changes or ()) >= MAX_REPORTED_CHANGES,
            can_sync=can_sync(self.request.user, run.feed),
            sync_url=reverse(f"{FEEDS}:sync", args=[run.feed_id]),
            preview_url=reverse(f"{FEEDS}:preview", args=[run.feed_id]),
            runs_url=reverse(f"{FEEDS}:runs", args=[run.feed_id]),
            held_count=len(run.held_items or ()),
            can_confirm_archive=(
                run.status == SyncRun.Status.HELD
                and run.archive_confirmed_at is None
                and is_editor(self.request.user)
            ),
            confirm_archive_url=reverse(f"{FEEDS}:confirm_archive", args=[run.pk]),
        )
        return context


@require_POST
def confirm_archive(request, pk):
    """An editor confirms what a held run would have archived (editors only: it unpublishes
    apps)."""
    run = get_object_or_404(SyncRun.objects.select_related("feed"), pk=pk)
    if not is_editor(request.user):
        raise PermissionDenied
    count = confirm_held_archive(run, request.user)
    messages.success(
        request,
        gettext("Archivage confirmé : %(count)d application(s) archivée(s).") % {"count": count},
    )
    return redirect(f"{FEEDS}:run", run.pk)


# --- Sync now, Preview ---------------------------------------------------------------------


def get_syncable_feed(request, pk) -> Feed:
    feed = get_feed_or_404(request, pk)
    if not can_sync(request.user, feed):
        raise PermissionDenied
    return feed


def is_running(feed: Feed) -> bool:
    """Some process runs the feed now (it holds the feed's lock)."""
    return locks.is_locked(feed.pk)


def already_running(request, feed: Feed):
    message = gettext("Une synchronisation du flux « %(feed)s » est déjà en cours.")
    messages.warning(request, message % {"feed": feed.name})
    return redirect(f"{FEEDS}:runs", feed.pk)


@require_POST
def sync_now(request, pk):
    """Queue a run of the feed (run inline when Celery is eager, as in the demo)."""
    feed = get_syncable_feed(request, pk)
    if is_running(feed):
        return already_running(request, feed)
    try:
        result = sync_feed.delay(feed.pk, SyncRun.Trigger.MANUAL)
    except OperationalError:
        messages.error(
            request,
            gettext("La file des tâches est indisponible : réessayez dans quelques minutes."),
        )
        return redirect(f"{FEEDS}:runs", feed.pk)
    if not isinstance(result, EagerResult):
        messages.success(request, gettext("Synchronisation lancée."))
        return redirect(f"{FEEDS}:runs", feed.pk)
    # Eager Celery: the run is over, say how it went.
    run = SyncRun.objects.filter(pk=result.result).first() if result.result else None
    if run is None:
        return already_running(request, feed)
    message = run_summary(run)
    if run.status == SyncRun.Status.FAILED:
        messages.error(request, message)
    elif run.status == SyncRun.Status.DONE_WITH_ERRORS:
        messages.warning(request, message)
    else:
        messages.success(request, message)
    return redirect(f"{FEEDS}:runs", feed.pk)


@require_POST
def preview(request, pk):
    """A dry run, now: reads the feed, reports what would change, writes only its SyncRun."""
    feed = get_syncable_feed(request, pk)
    try:
        run = run_feed(feed, trigger=SyncRun.Trigger.MANUAL, dry_run=True)
    except SyncAlreadyRunning:
        return already_running(request, feed)
    if run.status == SyncRun.Status.FAILED:
        messages.error(request, gettext("L'aperçu a échoué : voir le détail ci-dessous."))
    return redirect(f"{FEEDS}:run", run.pk)


# --- The publishers' listing links to their feeds ------------------------------------------


def publisher_feeds_url(publisher_id: int) -> str:
    return f"{reverse(f'{FEEDS}:index')}?publisher={publisher_id}"


def publisher_feeds_button(publisher, user):
    """ "Flux" in a publisher's row of the Catalogue → Éditeurs listing."""
    policy = feed_policy()
    if not (
        policy.has_model_permission(user, "view")
        or policy.has_model_permission(user, "change")
        or publisher.pk in publishers_of(user)
    ):
        return []
    return [
        MenuItem(
            _("Flux de métadonnées"),
            url=publisher_feeds_url(publisher.pk),
            icon_name="download",
            priority=40,
        )
    ]
