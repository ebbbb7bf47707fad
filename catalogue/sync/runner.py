"""One run of a feed: fetch → parse → upsert, recorded as a SyncRun.

The change policy (DESIGN §6):
- a new app becomes a draft submitted to the editorial workflow;
- on a live app, routine fields (listings: URLs, versions, release notes…; screenshots) are
  published at once, and any other change (name, description, categories, icon…) becomes a
  new revision awaiting an editor;
- an item whose content hash has not changed is skipped without a single write;
- an item missing from the feed is archived (unpublished, marked) once the grace period
  has passed, never deleted — also when the feed answers 304, since the grace runs on; but a
  run that would archive more than SYNC_ARCHIVE_MAX_SHARE of the feed's live apps archives
  nothing and is "held" until an editor confirms (an empty or truncated feed must not empty
  the catalogue).
New apps are created in bulk (catalogue.sync.bulk), their images downloaded a few at a time.
A broken item is recorded and the others proceed; a broken feed fails the run and touches
nothing. A preview (dry_run) reports what would be done and writes nothing but its SyncRun.
"""

import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model

from catalogue.models import (
    AppListing,
    AppPage,
    AppRelease,
    AppScreenshot,
    Audience,
    Category,
    Language,
)
from catalogue.notifications import recipients
from catalogue.notifications.services import notify
from catalogue.services import ensure_media_collection
from catalogue.sync import bulk, locks
from catalogue.sync.clean import MAX_RELEASES, clean_text, truncate
from catalogue.sync.fetch import FetchError, FetchPolicy, fetch_feed
from catalogue.sync.images import (
    ImageRefused,
    download_image,
    image_policy,
    store_image,
)
from catalogue.sync.models import CategoryMapping, Feed, FeedItem, SyncRun
from catalogue.sync.parsers import parse_feed
from catalogue.sync.records import AppRecord, FeedError, ParseResult

logger = logging.getLogger(__name__)

# Fields an editor must see before they go live; the rest of a record is routine.
SENSITIVE = ("title", "tagline", "description", "categories", "audiences", "pricing")
SENSITIVE += ("languages", "accessibility", "icon", "title_en", "tagline_en", "description_en")
SENSITIVE += ("website", "licence")
ROUTINE = ("listings", "releases", "screenshots", "store_rating")
MAX_REPORTED_CHANGES = 500  # a run's change list stays readable (and its row small)
BULK_BATCH = 250  # new apps written per transaction
IMAGE_WORKERS = 8  # image downloads at once (network only: storing them stays on this thread)


class SyncAlreadyRunning(Exception):
    pass


@dataclass
class Plan:
    """What to do with one record (computed without writing)."""

    action: str  # "create", "update", "unchanged"
    sensitive: list[str] = field(default_factory=list)
    routine: list[str] = field(default_factory=list)
    republish: bool = False  # an archived app back in its feed

    def describe(self, record: AppRecord) -> dict:
        return {
            "item": record.external_id,
            "name": record.name,
            "action": self.action,
            "sensitive": self.sensitive,
            "routine": self.routine,
        }


def run_feed(
    feed: Feed,
    *,
    trigger: str = SyncRun.Trigger.SCHEDULE,
    dry_run: bool = False,
    policy: FetchPolicy | None = None,
    progress=None,
) -> SyncRun:
    """Run the feed once (one run at a time per feed) and return its finished SyncRun.

    ``run.retryable`` (not stored) tells whether a failure is worth another try later.
    """
    with locks.feed_lock(feed.pk) as held:
        if not held:
            raise SyncAlreadyRunning(f"Une synchronisation du flux « {feed} » est déjà en cours.")
        close_interrupted_runs(feed.pk)
        return FeedRun(feed, trigger=trigger, dry_run=dry_run, policy=policy).run(progress)


INTERRUPTED = "Interrompue : le processus qui la menait s'est arrêté avant la fin."


def close_interrupted_runs(feed_id: int | None = None) -> int:
    """Runs still "running" while nobody holds their feed's lock were left behind by a process
    that died (a worker killed mid-sync): they end as failed. Returns how many."""
    running = SyncRun.objects.filter(status=SyncRun.Status.RUNNING)
    if feed_id is not None:
        running = running.filter(feed_id=feed_id)
    orphans = [
        run_id
        for run_id, run_feed_id in running.values_list("pk", "feed_id")
        if feed_id is not None or not locks.is_locked(run_feed_id)
    ]
    if orphans:
        SyncRun.objects.filter(pk__in=orphans, status=SyncRun.Status.RUNNING).update(
            status=SyncRun.Status.FAILED, message=INTERRUPTED, finished_at=timezone.now()
        )
        logger.warning("sync: %d interrupted run(s) closed as failed", len(orphans))
    return len(orphans)


class FeedRun:
    def __init__(self, feed, *, trigger, dry_run, policy):
        self.feed = feed
        self.dry_run = dry_run
        self.policy = policy or FetchPolicy.from_settings()
        self.run_record = SyncRun.objects.create(feed=feed, trigger=trigger, dry_run=dry_run)
        self.run_record.retryable = False
        self.changes = []
        self.validators = None  # (ETag, Last-Modified) of the response being applied
        self.started = time.monotonic()

    # --- the run -------------------------------------------------------------------------

    def run(self, progress=None) -> SyncRun:
        run = self.run_record
        _reference_cache.clear()
        try:
            parsed = self.fetch_and_parse()
            if parsed is not None:
                self.apply(parsed, progress)
            elif run.not_modified:
                self.archive_on_not_modified()
        except Exception as error:  # never leave a run "running": record what broke
            logger.exception("sync: feed %s failed", self.feed.pk)
            run.status = SyncRun.Status.FAILED
            run.message = f"Erreur inattendue : {error.__class__.__name__}. Voir les journaux."
        return self.finish()

    def fetch_and_parse(self) -> ParseResult | None:
        run, feed = self.run_record, self.feed
        # A preview always reads the whole feed: a 304 would show nothing.
        validators = (
            {} if self.dry_run else {"etag": feed.etag, "last_modified": feed.last_modified}
        )
        try:
            response = fetch_feed(feed.url, policy=self.policy, **validators)
        except FetchError as error:
            run.status, run.message, run.http_status = (
                SyncRun.Status.FAILED,
                error.message,
                error.status,
            )
            run.retryable = error.retryable
            return None
        run.http_status = response.status
        if response.not_modified:
            run.not_modified = True
            run.unchanged = feed.items.filter(archived_at=None).count()
            run.message = "Le flux n'a pas changé depuis la dernière lecture (HTTP 304)."
            return None
        try:
            parsed = parse_feed(feed.format, response.body or b"", **self.parse_options())
        except FeedError as error:
            run.status, run.message = SyncRun.Status.FAILED, error.message
            return None
        self.validators = (response.etag[:500], response.last_modified[:100])
        return parsed

    def parse_options(self) -> dict:
        options = {
            "known_categories": set(Category.objects.values_list("slug", flat=True)),
            "known_languages": set(Language.objects.values_list("code", flat=True)),
            "known_audiences": set(Audience.objects.values_list("slug", flat=True)),
        }
        if self.feed.format in CategoryMapping.Source.values:
            options["category_mapping"] = CategoryMapping.as_dict(self.feed.format)
        return options

    def apply(self, parsed: ParseResult, progress=None) -> None:
        run, feed = self.run_record, self.feed
        run.warnings = list(parsed.warnings)
        self.check_publisher(parsed.feed_publisher, None)
        items = {item.external_id: item for item in FeedItem.objects.filter(feed=feed)}
        # One query for the ids the publisher's apps already use, rather than one per new item.
        self.known_ids = set(
            AppPage.objects.filter(publisher=feed.publisher)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
        seen_ids = set()
        total = len(parsed.records) + len(parsed.errors)
        for error in parsed.errors:
            run.failed += 1
            run.errors.append({"item": str(error.item), "message": error.message})
            if isinstance(error.item, str):
                seen_ids.add(error.item)  # still in the feed: not to be archived
        new: list[tuple[AppRecord, FeedItem | None]] = []
        done = len(parsed.errors)
        for record in parsed.records:
            seen_ids.add(record.external_id)
            done += 1
            try:
                if not self.apply_record(record, items.get(record.external_id)):
                    new.append((record, items.get(record.external_id)))
                    continue
            except Exception as error:
                self.item_failed(record, error)
            if progress is not None:
                progress(done - len(new), total)
        self.create_new(new, progress=progress, done=done - len(new), total=total)
        run.seen = total
        self.archive_missing(items, seen_ids)

    def item_failed(self, record: AppRecord, error: Exception) -> None:
        logger.exception("sync: item %s of feed %s failed", record.external_id, self.feed.pk)
        self.run_record.failed += 1
        self.run_record.errors.append({"item": record.external_id, "message": describe(error)})

    def apply_record(self, record: AppRecord, item: FeedItem | None) -> bool:
        """Update or skip the record's app; False when it is a new app (created in bulk)."""
        run = self.run_record
        digest = record.content_hash()
        if (
            item is not None
            and item.content_hash == digest
            and item.app_id
            and not item.archived_at
        ):
            run.unchanged += 1
            if item.missing_since is not None and not self.dry_run:
                FeedItem.objects.filter(pk=item.pk).update(missing_since=None)
            return True
        app = None
        if record.external_id in self.known_ids:
            app = (
                AppPage.objects.filter(
                    publisher=self.feed.publisher, external_id=record.external_id
                )
                .select_related("icon")
                .first()
            )
        if app is None:
            return False
        for warning in record.warnings:
            run.warnings.append(f"« {record.external_id} » : {warning}")
        self.check_publisher(record.developer_name, record.external_id)

        current = app.get_latest_revision_as_object() if app.has_unpublished_changes else app
        images = self.known_images(item)
        plan = compare(current, record, images)
        plan.republish = bool(item and item.archived_at) or not app.live
        if plan.action == "unchanged" and not plan.republish:
            run.unchanged += 1
            if not self.dry_run:
                self.remember(item, record, digest, app, images)
            return True
        plan.action = "update"
        if not self.dry_run:
            images = self.download_images([(record, item)])[record.external_id]
            with transaction.atomic():
                self.update_app(app, record, images, plan)
                self.remember(item, record, digest, app, images)
        self.note(plan, record)
        run.updated += 1
        return True

    # --- writing pages -------------------------------------------------------------------

    def create_new(self, new: list, *, progress=None, done: int = 0, total: int = 0) -> None:
        """New apps, in batches: their images first (a few downloads at a time, no
        transaction open meanwhile), then one bulk insert per batch (catalogue.sync.bulk).
        A batch the database refuses is written again one app at a time, so one bad app
        fails alone."""
        run = self.run_record
        for record, _item in new:
            for warning in record.warnings:
                run.warnings.append(f"« {record.external_id} » : {warning}")
            self.check_publisher(record.developer_name, record.external_id)
        if self.dry_run:
            for record, _item in new:
                self.note(Plan("create"), record)
                run.created += 1
            if progress is not None and new:
                progress(done + len(new), total)
            return
        publisher_page = self.feed.publisher.page
        workflow = publisher_page.get_workflow()
        taken = set()
        for start in range(0, len(new), BULK_BATCH):
            batch = new[start : start + BULK_BATCH]
            images = self.download_images(batch)
            pages, kept = [], []
            slugs = free_slugs([record for record, _item in batch], taken)
            for record, item in batch:
                try:
                    page = self.new_page(record, images[record.external_id], slugs)
                    bulk.validate(page)
                except Exception as error:
                    self.item_failed(record, error)
                    continue
                pages.append(page)
                kept.append((record, item))
            try:
                with transaction.atomic():
                    bulk.create_drafts(publisher_page, pages, workflow=workflow)
                    self.remember_all(kept, pages, images)
            except Exception:
                logger.warning("sync: bulk insert refused, one app at a time", exc_info=True)
                self.create_one_by_one(kept, images)
            else:
                for record, _item in kept:
                    self.note(Plan("create"), record)
                    run.created += 1
            done += len(batch)
            if progress is not None:
                progress(done, total)

    def create_one_by_one(self, batch, images) -> None:
        for record, item in batch:
            try:
                with transaction.atomic():
                    app = self.create_app(record, images[record.external_id])
                    self.remember(
                        item, record, record.content_hash(), app, images[record.external_id]
                    )
            except Exception as error:
                self.item_failed(record, error)
                continue
            self.note(Plan("create"), record)
            self.run_record.created += 1

    def new_page(self, record: AppRecord, images: dict, slugs: dict) -> AppPage:
        page = AppPage(
            title=record.name,
            slug=slugs[record.external_id],
            publisher=self.feed.publisher,
            external_id=record.external_id,
            source=AppPage.Source.FEED,
            live=False,
        )
        fill_sensitive(page, record, images, warn=self.warn_for(record))
        fill_routine(page, record, images)
        if not page.categories.all():
            self.warn_for(record)("aucune catégorie reconnue : l'équipe éditoriale la classera.")
        return page

    def create_app(self, record: AppRecord, images: dict) -> AppPage:
        """One app through Wagtail's own path (add_child, save_revision, the workflow)."""
        page = self.new_page(record, images, {record.external_id: free_slug(record.name, "")})
        self.feed.publisher.page.add_child(instance=page)
        page.save_revision(log_action=True)
        submit_for_review(page)
        return page

    def update_app(self, app: AppPage, record: AppRecord, images: dict, plan: Plan) -> None:
        # A draft already awaiting editors gets the routine changes too, or approving it
        # would bring back the old ones. Read before the routine publish: publishing cancels
        # the workflow in progress (WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH).
        pending = app.current_workflow_state is not None
        draft = app.get_latest_revision_as_object() if pending else None
        if app.live and plan.routine:
            # Routine fields go live at once, on top of what is live now.
            live = AppPage.objects.get(pk=app.pk)
            fill_routine(live, record, images)
            live.save_revision(log_action=True).publish(log_action=True)
            app = AppPage.objects.get(pk=app.pk)
        if plan.sensitive or plan.republish or (plan.routine and (pending or not app.live)):
            draft = draft or app.get_latest_revision_as_object()
            fill_sensitive(draft, record, images, warn=self.warn_for(record))
            fill_routine(draft, record, images)
            draft.save_revision(log_action=True)
            submit_for_review(draft, restart=True)

    def archive_on_not_modified(self) -> None:
        """A 304 says the feed is as it was: what was missing from it still is, and its
        grace period runs on."""
        if self.dry_run:
            return
        items = {item.external_id: item for item in FeedItem.objects.filter(feed=self.feed)}
        present = {key for key, item in items.items() if item.missing_since is None}
        self.archive_missing(items, present)

    def archive_missing(self, items: dict, seen_ids: set) -> None:
        grace = timedelta(days=settings.SYNC_ARCHIVE_GRACE_DAYS)
        now = timezone.now()
        due = []
        for external_id, item in items.items():
            if external_id in seen_ids or item.archived_at:
                continue
            if item.missing_since is None:
                if not self.dry_run:
                    FeedItem.objects.filter(pk=item.pk).update(missing_since=now)
                if grace:
                    continue
                item.missing_since = now
            if item.missing_since > now - grace:
                continue
            due.append(item)
        if not due:
            return
        if self.too_many(due):
            run = self.run_record
            run.status = SyncRun.Status.HELD
            run.held_items = [item.pk for item in due]
            run.message = (
                f"Archivage suspendu : {len(due)} applications manquent au flux, plus de "
                f"{settings.SYNC_ARCHIVE_MAX_SHARE:.0%} de ses applications publiées. Rien n'a "
                "été archivé ; un éditeur doit confirmer l'archivage (ou corriger le flux)."
            )
            return
        for item in due:
            self.run_record.archived += 1
            self.note_archive(item.external_id)
            if not self.dry_run:
                archive_item(item, now)

    def too_many(self, due: list) -> bool:
        """More than SYNC_ARCHIVE_MAX_SHARE of the feed's live apps at once (an empty or
        truncated feed looks like this)."""
        live = AppPage.objects.filter(
            live=True, feed_items__feed=self.feed, feed_items__archived_at=None
        ).count()
        live_due = AppPage.objects.filter(
            live=True, pk__in=[item.app_id for item in due if item.app_id]
        ).count()
        return live_due > 0 and live_due > settings.SYNC_ARCHIVE_MAX_SHARE * live

    def remember(self, item, record, digest, app, images) -> None:
        values = {"content_hash": digest, "app": app, "images": images, "missing_since": None}
        values["archived_at"] = None
        if item is None:
            FeedItem.objects.create(feed=self.feed, external_id=record.external_id, **values)
        else:
            FeedItem.objects.filter(pk=item.pk).update(**values)

    def remember_all(self, batch, pages, images) -> None:
        """remember() for a batch of new apps: one INSERT, and one UPDATE per known item."""
        rows = []
        for (record, item), page in zip(batch, pages, strict=True):
            if item is not None:
                self.remember(item, record, record.content_hash(), page, images[record.external_id])
                continue
            rows.append(
                FeedItem(
                    feed=self.feed,
                    external_id=record.external_id,
                    content_hash=record.content_hash(),
                    app=page,
                    images=images[record.external_id],
                )
            )
        FeedItem.objects.bulk_create(rows)

    # --- images --------------------------------------------------------------------------

    def known_images(self, item: FeedItem | None) -> dict:
        return dict(item.images) if item is not None else {}

    def download_images(self, batch) -> dict[str, dict]:
        """For each (record, item): external id → {URL → image id} of its icon and
        screenshots. Known URLs are reused; the others are downloaded IMAGE_WORKERS at a
        time (network only), then stored here, on this thread's connection. A failed image is
        a warning."""
        result: dict[str, dict] = {}
        wanted: dict[str, tuple] = {}  # URL → (record, title) of its first user
        for record, item in batch:
            known = self.known_images(item)
            images = result.setdefault(record.external_id, {})
            urls = [record.icon] if record.icon else []
            for position, image in enumerate([*urls, *record.screenshots]):
                if image.url in images:
                    continue
                if image.url in known and image_exists(known[image.url]):
                    images[image.url] = known[image.url]
                    continue
                title = (
                    record.name if position == 0 and record.icon else image.caption or record.name
                )
                wanted.setdefault(image.url, (record, title))
        if not wanted:
            return result
        policy = image_policy(self.policy)
        collection = ensure_media_collection(self.feed.publisher)
        with ThreadPoolExecutor(max_workers=IMAGE_WORKERS) as pool:
            downloads = dict(
                zip(wanted, pool.map(lambda url: try_download(url, policy), wanted), strict=True)
            )
        stored: dict[str, int] = {}
        for url, (record, title) in wanted.items():
            download = downloads[url]
            if isinstance(download, ImageRefused):
                self.warn_for(record)(f"image non importée ({url}) : {download.message}")
                continue
            stored[url] = store_image(download, title=title, collection=collection).pk
        for record, _item in batch:
            images = result[record.external_id]
            urls = [record.icon] if record.icon else []
            for image in [*urls, *record.screenshots]:
                if image.url not in images and image.url in stored:
                    images[image.url] = stored[image.url]
        return result

    # --- reporting -----------------------------------------------------------------------

    def check_publisher(self, name: str, external_id: str | None) -> None:
        """The feed's own idea of who publishes the app, against the feed's publisher."""
        expected = self.feed.publisher.name
        if (
            not name
            or comparable(name) in comparable(expected)
            or comparable(expected) in (comparable(name))
        ):
            return
        where = f"« {external_id} » : " if external_id else ""
        self.run_record.warnings.append(
            f"{where}le flux attribue l'application à « {name} », pas à « {expected} »."
        )

    def warn_for(self, record: AppRecord):
        def warn(message: str) -> None:
            self.run_record.warnings.append(f"« {record.external_id} » : {message}")

        return warn

    def note(self, plan: Plan, record: AppRecord) -> None:
        if len(self.changes) < MAX_REPORTED_CHANGES:
            self.changes.append(plan.describe(record))

    def note_archive(self, external_id: str) -> None:
        if len(self.changes) < MAX_REPORTED_CHANGES:
            self.changes.append({"item": external_id, "action": "archive"})

    def finish(self) -> SyncRun:
        run = self.run_record
        if run.status == SyncRun.Status.RUNNING:
            run.status = SyncRun.Status.DONE_WITH_ERRORS if run.failed else SyncRun.Status.DONE
        run.finished_at = timezone.now()
        run.changes = self.changes
        run.save()
        self.keep_validators()
        self.tell_publisher()
        return run

    def tell_publisher(self) -> None:
        """A scheduled or manual run that failed, or left items out: the members are told."""
        run = self.run_record
        failing = (SyncRun.Status.FAILED, SyncRun.Status.DONE_WITH_ERRORS)
        if self.dry_run or run.status not in failing or not self.feed.publisher_id:
            return
        notify(
            recipients.members_of(self.feed.publisher_id),
            "feed_failed",
            params={"feed": self.feed.url, "message": run.message, "status": run.status},
            url=reverse("sync_feeds:run", args=[run.pk]),
        )

    def keep_validators(self) -> None:
        """The feed's ETag and Last-Modified, kept for the next conditional GET only once every
        item of this response went in: a failed item (or a run that died midway, or a feed
        that did not parse) means the next run reads the whole feed again. And only when they
        changed: an unchanged feed costs no write."""
        feed = self.feed
        run = self.run_record
        finished = run.status in (SyncRun.Status.DONE, SyncRun.Status.HELD) and not run.failed
        if self.dry_run or self.validators is None or not finished:
            return
        if self.validators != (feed.etag, feed.last_modified):
            etag, last_modified = self.validators
            Feed.objects.filter(pk=feed.pk).update(etag=etag, last_modified=last_modified)


def archive_item(item: FeedItem, now=None) -> None:
    """Unpublish the item's app (never delete it) and mark the item archived."""
    now = now or timezone.now()
    with transaction.atomic():
        app = AppPage.objects.filter(pk=item.app_id).first()
        if app is not None and app.live:
            app.unpublish(log_action=True)
        # A draft of it still before the editors must not bring it back.
        if app is not None and app.current_workflow_state is not None:
            app.current_workflow_state.cancel(user=None)
        FeedItem.objects.filter(pk=item.pk).update(archived_at=now)


def confirm_held_archive(run: SyncRun, user) -> int:
    """An editor confirms a held run: archive what it held that is still missing from the
    feed (an item back in the feed since is left alone). Returns how many were archived."""
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().get(pk=run.pk)
        if run.status != SyncRun.Status.HELD or run.archive_confirmed_at is not None:
            return 0
        items = FeedItem.objects.filter(
            pk__in=run.held_items, archived_at=None, missing_since__isnull=False
        )
        count = 0
        now = timezone.now()
        for item in items:
            archive_item(item, now)
            count += 1
        run.archived = count
        run.archive_confirmed_by = user
        run.archive_confirmed_at = now
        run.save(update_fields=["archived", "archive_confirmed_by", "archive_confirmed_at"])
    return count


def try_download(url: str, policy):
    """The downloaded image, or the ImageRefused saying why not (run on a worker thread)."""
    try:
        return download_image(url, policy=policy)
    except ImageRefused as refusal:
        return refusal


# --- comparing and filling -----------------------------------------------------------------


def compare(current: AppPage, record: AppRecord, images: dict) -> Plan:
    """Which fields of the app the record would change (images by their known ids)."""
    plan = Plan("unchanged")
    wanted = AppPage(title=current.title)
    fill_sensitive(wanted, record, images, warn=lambda message: None, keep_from=current)
    for name in SENSITIVE:
        if field_value(current, name) != field_value(wanted, name):
            plan.sensitive.append(name)
    fill_routine(wanted, record, images, keep_from=current)
    for name in ROUTINE:
        if field_value(current, name) != field_value(wanted, name):
            plan.routine.append(name)
    # An image not downloaded yet is a change, whatever the ids say.
    if record.icon and record.icon.url not in images and "icon" not in plan.sensitive:
        plan.sensitive.append("icon")
    new_shots = any(shot.url not in images for shot in record.screenshots)
    if new_shots and "screenshots" not in plan.routine:
        plan.routine.append("screenshots")
    if plan.sensitive or plan.routine:
        plan.action = "update"
    return plan


def field_value(page: AppPage, name: str):
    if name in ("categories", "audiences", "languages"):
        key = "code" if name == "languages" else "slug"
        return sorted(getattr(item, key) for item in getattr(page, name).all())
    if name == "icon":
        return page.icon_id
    if name == "listings":
        return sorted(
            (
                listing.platform,
                listing.url,
                listing.store_id,
                listing.version,
                listing.min_os_version,
                listing.updated_at.isoformat() if listing.updated_at else "",
                listing.release_notes,
                list(listing.anti_features or []),
            )
            for listing in page.listings.all()
        )
    if name == "releases":
        return [
            (
                release.platform,
                release.version,
                release.released_at.isoformat() if release.released_at else "",
                release.notes,
            )
            for release in page.releases.all()
        ]
    if name in ("description", "description_en"):
        return str(getattr(page, name) or "")
    if name == "screenshots":
        return [(shot.image_id, shot.caption) for shot in page.screenshots.all()]
    return getattr(page, name)


def fill_sensitive(page, record: AppRecord, images: dict, *, warn, keep_from=None) -> None:
    """Set the editor-reviewed fields; what the record leaves out keeps its current value."""
    source = keep_from or page
    page.title = record.name
    page.draft_title = record.name
    page.tagline = record.tagline[:140] if record.tagline else source.tagline
    page.description = record.description_html or source.description
    # The page requires both and some feeds lack them (iTunes has no tagline): a stand-in
    # for the editors to rewrite, rather than an app that cannot be imported.
    if not page.tagline:
        page.tagline = truncate(clean_text(record.description_html) or record.name, 140)
        warn("accroche absente : reprise du début de la description, à revoir.")
    if not page.description:
        page.description = f"<p>{escape(page.tagline)}</p>"
        warn("description absente : l'accroche en tient lieu, à revoir.")
    # English and the rest: what the feed leaves out keeps what an editor may have written.
    page.title_en = record.name_en or source.title_en
    page.tagline_en = record.tagline_en[:140] or source.tagline_en
    page.description_en = record.description_html_en or source.description_en
    page.website = record.homepage or source.website
    page.licence = record.licence or source.licence
    page.pricing = record.pricing or source.pricing or AppPage.Pricing.FREE
    page.accessibility = record.accessibility or source.accessibility or AppPage.Accessibility.NONE
    page.categories = by_key(Category, "slug", record.categories) or list(
        source.categories.all() if source.pk or keep_from else []
    )
    page.audiences = (
        by_key(Audience, "slug", record.audiences)
        or list(source.audiences.all() if source.pk or keep_from else [])
        or by_key(Audience, "slug", ["jobseekers"])
    )
    page.languages = by_key(Language, "code", record.languages) or list(
        source.languages.all() if source.pk or keep_from else []
    )
    icon_id = images.get(record.icon.url) if record.icon else None
    page.icon_id = icon_id if icon_id else source.icon_id


def fill_routine(page, record: AppRecord, images: dict, *, keep_from=None) -> None:
    """Set the fields that go live at once. The release history grows: versions the feed no
    longer lists stay (a store's feed often gives its latest version only)."""
    page.listings = [
        AppListing(
            platform=listing.platform,
            url=listing.url,
            store_id=listing.store_id[:200],
            version=listing.version[:50],
            min_os_version=listing.min_os_version[:50],
            updated_at=listing.updated_at,
            release_notes=listing.release_notes,
            anti_features=list(listing.anti_features),
            sort_order=position,
        )
        for position, listing in enumerate(record.listings)
    ]
    source = keep_from or page
    known = list(source.releases.all()) if (source.pk or keep_from) else []
    page.releases = merged_releases(known, record)
    page.store_rating = record.external_rating
    page.screenshots = [
        AppScreenshot(image_id=images[shot.url], caption=shot.caption[:250], sort_order=position)
        for position, shot in enumerate(record.screenshots)
        if shot.url in images
    ]


def merged_releases(known: list, record: AppRecord) -> list:
    """The history: the feed's versions, then the ones it no longer lists, newest first per
    platform, MAX_RELEASES each."""
    oldest = datetime.min.replace(tzinfo=UTC)
    by_platform: dict[str, dict[str, AppRelease]] = {}
    for listing in record.listings:
        versions = by_platform.setdefault(listing.platform, {})
        for release in listing.releases:
            versions.setdefault(
                release.version,
                AppRelease(
                    platform=listing.platform,
                    version=release.version,
                    released_at=release.released_at,
                    notes=release.notes,
                ),
            )
    for release in known:
        versions = by_platform.get(release.platform)
        if versions is not None and release.version not in versions:
            versions[release.version] = AppRelease(
                platform=release.platform,
                version=release.version,
                released_at=release.released_at,
                notes=release.notes,
            )
    merged = []
    for listing in record.listings:
        versions = list(by_platform.get(listing.platform, {}).values())
        # The feed's versions in its order (newest first: catalogue.sync.clean), then the
        # ones it no longer lists, newest first.
        fed = len(listing.releases)
        older = sorted(
            versions[fed:], key=lambda release: release.released_at or oldest, reverse=True
        )
        merged.extend([*versions[:fed], *older][:MAX_RELEASES])
    for position, release in enumerate(merged):
        release.sort_order = position
    return merged


def by_key(model, key: str, values) -> list:
    """Reference rows (categories, audiences, languages) by slug or code, in the given order."""
    if not values:
        return []
    found = reference_rows(model, key)
    return [found[value] for value in values if value in found]


def reference_rows(model, key: str) -> dict:
    # Small tables read for every item: once per run (see FeedRun.run) rather than per item.
    cache_key = (model, key)
    if cache_key not in _reference_cache:
        _reference_cache[cache_key] = {getattr(obj, key): obj for obj in model.objects.all()}
    return _reference_cache[cache_key]


_reference_cache: dict = {}


def submit_for_review(page: AppPage, restart: bool = False) -> None:
    """Put the page's latest revision before the editors (the catalogue's workflow)."""
    workflow = page.get_workflow()
    if workflow is None:
        return
    state = page.current_workflow_state
    if state is not None:
        if not restart:
            return
        state.cancel(user=None)
    workflow.start(page, None)


def free_slugs(records: list[AppRecord], taken: set) -> dict[str, str]:
    """external id → a slug no app uses yet, for a batch, in one query (`taken` carries the
    slugs given to earlier batches of the run)."""
    bases = {
        record.external_id: (slugify(record.name) or slugify(record.external_id) or "application")[
            :200
        ]
        for record in records
    }
    wanted = set(bases.values())
    in_use = set(taken)
    if wanted:
        # The bases themselves, by the slug's index; then, for the bases already used only,
        # the slugs numbered from them ("base-2"…): a regular expression over every app's slug
        # costs a scan of the table, and a first import rarely meets a slug in use.
        in_use |= set(AppPage.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        used = wanted & in_use
        if used:
            numbered = r"^(" + "|".join(re.escape(base) for base in used) + r")-[0-9]+$"
            in_use |= set(
                AppPage.objects.filter(slug__regex=numbered).values_list("slug", flat=True)
            )
    slugs = {}
    for external_id, base in bases.items():
        slug, counter = base, 2
        while slug in in_use:
            slug, counter = f"{base}-{counter}", counter + 1
        in_use.add(slug)
        taken.add(slug)
        slugs[external_id] = slug
    return slugs


def free_slug(name: str, external_id: str) -> str:
    """A slug no other app uses (the API addresses apps by slug alone)."""
    base = (slugify(name) or slugify(external_id) or "application")[:200]
    slug, counter = base, 2
    while AppPage.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def image_exists(image_id) -> bool:
    return get_image_model().objects.filter(pk=image_id).exists()


def comparable(name: str) -> str:
    return slugify(name).replace("-", "")


def describe(error: Exception) -> str:
    if isinstance(error, ValidationError):  # a page the model refuses: name the fields
        if hasattr(error, "error_dict"):
            parts = [f"{name} : {' '.join(texts)}" for name, texts in error.message_dict.items()]
            return " ; ".join(parts)[:500]
        return " ".join(error.messages)[:500]
    message = getattr(error, "message", None) or str(error) or error.__class__.__name__
    return str(message)[:500]
