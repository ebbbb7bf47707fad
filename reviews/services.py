"""Every write on reviews: moderation policy, votes, reports, replies, rating aggregates.

Rules that keep the numbers right:
- A change that can move a review in or out of *published* locks the app's row first, then
  recomputes the app's average, count and histogram from the published reviews in the same
  transaction. Writers of one app therefore take turns, and each recomputation sees every
  review committed before it: the aggregates are exact under concurrency.
- Locks are always taken app first, then review, in primary-key order: no deadlock.
- When the aggregates changed, ``app_counters_changed`` says so (search reindexes the app for
  its rating facet and sort; the API's cached answers move on).
- Text is stored as given; templates and the API escape it.
- Helpful votes and reports from accounts younger than the policy's age, or beyond the
  author's daily budget, are recorded but do not count (``counted``) until their time comes
  (``counts_from``): ``qualify_signals``, run by beat, counts them then. Three fresh accounts
  cannot hide a review, nor one account inflate votes by the hundred.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import permissions, signals
from catalogue.models import AppPage
from catalogue.notifications import recipients
from catalogue.notifications.services import notify
from catalogue.stats.counting import count_event
from catalogue.stats.models import Metric
from catalogue.text import fold
from reviews.models import HelpfulVote, ModerationPolicy, Review, ReviewReply, ReviewReport

Status = Review.Status
Held = Review.HeldBecause

# Links: a scheme, "www.", or a bare domain with a common top-level domain.
LINK = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|net|org|info|io|eu|biz|be|ch|ca|co|me|ly|gl)\b"
    r"(?:/\S*)?",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# French numbers (06 12 34 56 78, +33 6 12 34 56 78, 0612345678) and long international ones.
PHONE = re.compile(r"(?:(?:\+|00)\d{1,3}[\s.-]?)?\(?0?\d(?:[\s.-]?\d{2}){4}\b|\+\d[\d\s.-]{8,}\d")


class ReviewError(Exception):
    """A write the rules refuse; ``code`` names the rule, the message is for people."""

    code = "invalid"

    def __init__(self, message: str = "", **details):
        super().__init__(message)
        self.message = message
        self.details = details


class AlreadyReviewed(ReviewError):
    code = "already_reviewed"

    def __init__(self, existing: Review):
        super().__init__(_("Vous avez déjà donné votre avis sur cette application."))
        self.existing = existing


class NotAllowed(ReviewError):
    code = "forbidden"


class AlreadyReported(ReviewError):
    code = "already_reported"


class NotVerified(NotAllowed):
    code = "unverified"


@dataclass(frozen=True)
class Policy:
    min_account_age: timedelta
    max_reviews_per_hour: int
    reports_to_hide: int
    blocked_words: tuple[str, ...]
    votes_per_day: int = 20
    reports_per_day: int = 5


def current_policy() -> Policy:
    """Settings.REVIEWS, overridden field by field by what editors set in the admin."""
    defaults = settings.REVIEWS
    edited = ModerationPolicy.load()

    def pick(value, default):
        return default if value is None else value

    words = [line.strip() for line in edited.blocked_words.splitlines() if line.strip()]
    return Policy(
        min_account_age=timedelta(
            hours=pick(edited.min_account_age_hours, defaults["MIN_ACCOUNT_AGE_HOURS"])
        ),
        max_reviews_per_hour=pick(edited.max_reviews_per_hour, defaults["MAX_REVIEWS_PER_HOUR"]),
        reports_to_hide=max(1, pick(edited.reports_to_hide, defaults["REPORTS_TO_HIDE"])),
        blocked_words=tuple(fold(word) for word in [*defaults["BLOCKED_WORDS"], *words]),
        votes_per_day=max(1, pick(edited.votes_per_day, defaults["VOTES_PER_DAY"])),
        reports_per_day=max(1, pick(edited.reports_per_day, defaults["REPORTS_PER_DAY"])),
    )


def hold_reasons(author, text: str, *, policy: Policy, exclude_review=None) -> list[str]:
    """The moderation rules that hold this text by this author as pending (empty: publish)."""
    reasons = []
    # An address's domain is not a link of its own: look for links once addresses are out.
    if LINK.search(EMAIL.sub(" ", text)):
        reasons.append(Held.LINK.value)
    if EMAIL.search(text):
        reasons.append(Held.EMAIL.value)
    if PHONE.search(text):
        reasons.append(Held.PHONE.value)
    now = timezone.now()
    if author.date_joined > now - policy.min_account_age:
        reasons.append(Held.NEW_ACCOUNT.value)
    recent = Review.objects.filter(author=author, created_at__gte=now - timedelta(hours=1))
    if exclude_review is not None:
        recent = recent.exclude(pk=exclude_review.pk)
    if recent.count() >= policy.max_reviews_per_hour:
        reasons.append(Held.TOO_MANY.value)
    if policy.blocked_words:
        plain = fold(text)
        if any(re.search(rf"\b{re.escape(word)}\b", plain) for word in policy.blocked_words):
            reasons.append(Held.BLOCKED_WORD.value)
    return reasons


# --- Permissions ---------------------------------------------------------------------------


def is_moderator(user) -> bool:
    """Editors, and whoever was given the permission to moderate reviews."""
    # has_perm first: its answer is cached with the user's permissions (menus ask too).
    return bool(user.is_authenticated and user.has_perm("reviews.moderate_review")) or (
        permissions.is_editor(user)
    )


def is_publisher_member(user, app: AppPage) -> bool:
    return permissions.is_member(user, app.publisher_id)


def require_verified(user) -> None:
    """Reviews and reports come from accounts whose e-mail address is confirmed."""
    if not permissions.is_verified(user):
        raise NotVerified(
            _(
                "Confirmez d'abord votre adresse e-mail : suivez le lien que nous vous avons "
                "envoyé (ou demandez-en un nouveau)."
            )
        )


# --- Aggregates ----------------------------------------------------------------------------


def lock_app(app_id: int) -> None:
    # of=("self",): lock the app row only, not Wagtail's page row publishing may hold.
    list(AppPage.objects.select_for_update(of=("self",)).filter(pk=app_id).values_list("pk"))


def refresh_aggregates(app_id: int) -> bool:
    """Recompute the app's rating figures from its published reviews; True if they changed.

    Call inside a transaction that holds the app's lock (``lock_app``).
    """
    counts = dict(
        Review.objects.published()
        .filter(app_id=app_id)
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    histogram = {str(star): counts.get(star, 0) for star in range(1, 6)}
    total = sum(histogram.values())
    average = (
        (Decimal(sum(star * n for star, n in counts.items())) / total).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        if total
        else Decimal("0")
    )
    current = AppPage.objects.filter(pk=app_id).values_list(
        "rating_average", "rating_count", "rating_histogram"
    )
    if list(current) == [(average, total, histogram)]:
        return False
    AppPage.objects.filter(pk=app_id).update(
        rating_average=average, rating_count=total, rating_histogram=histogram
    )
    signals.app_counters_changed.send(sender=Review, app_ids=[app_id])
    return True


# --- Reviews -------------------------------------------------------------------------------


def submit_review(
    app: AppPage, author, *, rating: int, title: str = "", body: str = "", language: str = "fr"
) -> Review:
    """A new review: published at once unless a moderation rule holds it as pending."""
    if is_publisher_member(author, app):
        # A publisher rating its own app would bend the figures everyone relies on.
        raise NotAllowed(_("Les membres de l'éditeur ne peuvent pas noter ses applications."))
    require_verified(author)
    policy = current_policy()
    with transaction.atomic():
        lock_app(app.pk)
        existing = Review.objects.filter(app=app, author=author).first()
        if existing is not None:
            raise AlreadyReviewed(existing)
        reasons = hold_reasons(author, f"{title}\n{body}", policy=policy)
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    app=app,
                    author=author,
                    rating=rating,
                    title=title,
                    body=body,
                    language=language,
                    status=Status.PENDING if reasons else Status.PUBLISHED,
                    held_because=reasons,
                )
        except IntegrityError:
            raise AlreadyReviewed(Review.objects.get(app=app, author=author)) from None
        if review.status == Status.PUBLISHED:
            refresh_aggregates(app.pk)
            tell_publisher(review, app)
        else:
            notify(recipients.editors(), "review_held", params={"app": app.title}, url=app_url(app))
        transaction.on_commit(lambda: count_event(app.pk, Metric.REVIEW))
    return review


def app_url(app: AppPage) -> str:
    return f"/apps/{app.slug}/#avis" if app.slug else ""


def tell_publisher(review: Review, app: AppPage) -> None:
    """A review the public now sees: its app's publisher members are told."""
    if app.publisher_id:
        notify(
            recipients.members_of(app.publisher_id),
            "new_review",
            params={"app": app.title, "rating": review.rating, "title": review.title},
            url=app_url(app),
        )


def edit_review(review: Review, **changes) -> Review:
    """The author rewrites their review (rating, title, body): moderation runs again.

    A review an editor refused or removed, or one hidden by reports, goes back to editors.
    """
    fields = {name: value for name, value in changes.items() if name in ("rating", "title", "body")}
    require_verified(review.author)
    with transaction.atomic():
        lock_app(review.app_id)
        review = Review.objects.select_for_update().get(pk=review.pk)
        for name, value in fields.items():
            setattr(review, name, value)
        reasons = hold_reasons(
            review.author,
            f"{review.title}\n{review.body}",
            policy=current_policy(),
            exclude_review=review,
        )
        if review.status in (Status.REJECTED, Status.REMOVED):
            reasons.append(Held.RESUBMITTED.value)
        elif review.status == Status.PENDING and Held.REPORTED.value in review.held_because:
            reasons.append(Held.REPORTED.value)
        review.status = Status.PENDING if reasons else Status.PUBLISHED
        review.held_because = reasons
        review.edited_at = timezone.now()
        review.save()
        refresh_aggregates(review.app_id)
    return review


def delete_review(review: Review) -> None:
    with transaction.atomic():
        lock_app(review.app_id)
        Review.objects.filter(pk=review.pk).delete()
        refresh_aggregates(review.app_id)


class Decision:
    APPROVE = "approve"
    REJECT = "reject"
    REMOVE = "remove"
    TARGET = {APPROVE: Status.PUBLISHED, REJECT: Status.REJECTED, REMOVE: Status.REMOVED}


def moderate(review_ids, *, decision: str, editor, reason: str = "") -> int:
    """An editor's decision on several reviews; returns how many changed status.

    Approve publishes; reject (a pending review) and remove (a published one) hide it and keep
    the reason for its author. Open reports on the reviews are resolved either way.
    """
    if not is_moderator(editor):
        raise NotAllowed(_("Seule l'équipe éditoriale modère les avis."))
    target = Decision.TARGET[decision]
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        app_ids = sorted(
            set(Review.objects.filter(pk__in=review_ids).values_list("app_id", flat=True))
        )
        for app_id in app_ids:
            lock_app(app_id)
        reviews = list(Review.objects.select_for_update().filter(pk__in=review_ids).order_by("pk"))
        apps = AppPage.objects.in_bulk(app_ids)
        authors = get_user_model().objects.in_bulk(
            {review.author_id for review in reviews if review.author_id}
        )
        for review in reviews:
            if review.status != target:
                changed += 1
                tell_of_decision(review, apps[review.app_id], authors, target, reason)
            review.status = target
            review.held_because = []
            review.moderation_reason = "" if target == Status.PUBLISHED else reason
            review.moderated_by = editor
            review.moderated_at = now
            review.save(
                update_fields=[
                    "status",
                    "held_because",
                    "moderation_reason",
                    "moderated_by",
                    "moderated_at",
                ]
            )
        ReviewReport.objects.filter(review__in=reviews, resolved_at=None).update(resolved_at=now)
        Review.objects.filter(pk__in=[review.pk for review in reviews]).update(report_count=0)
        for app_id in app_ids:
            refresh_aggregates(app_id)
    return changed


def tell_of_decision(review: Review, app: AppPage, authors: dict, target: str, reason: str):
    """The publisher of a review now public; the author of one refused or removed."""
    if target == Status.PUBLISHED:
        tell_publisher(review, app)
    elif review.status in (Status.PENDING, Status.PUBLISHED) and review.author_id in authors:
        notify(
            [authors[review.author_id]],
            "review_moderated",
            params={"app": app.title, "reason": reason},
            url=app_url(app),
        )


# --- Helpful votes and reports -------------------------------------------------------------


def counts_from(user, model, budget: int, *, policy: Policy, now) -> "timezone.datetime":
    """When a new vote or report of this user starts to count: once the account is old enough
    (the policy's age), and never more than ``budget`` of theirs in any 24 hours (a vote beyond
    the budget waits for the day after the ``budget``-th latest one)."""
    when = max(now, user.date_joined + policy.min_account_age)
    owner = "user" if model is HelpfulVote else "reporter"
    latest = (
        model.objects.filter(**{owner: user})
        .order_by("-counts_from")
        .values_list("counts_from", flat=True)[budget - 1 : budget]
    )
    for slot in latest:
        when = max(when, slot + timedelta(days=1))
    return when


def counted_votes(review_ref):
    return (
        HelpfulVote.objects.filter(review=review_ref, counted=True)
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )


def counted_open_reports(review_ref):
    return (
        ReviewReport.objects.filter(review=review_ref, counted=True, resolved_at=None)
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )


def recount_reviews(review_ids) -> None:
    """Each review's helpful and report counts from the votes and open reports that count."""
    if review_ids:
        Review.objects.filter(pk__in=review_ids).update(
            helpful_count=Coalesce(Subquery(counted_votes(OuterRef("pk"))), 0),
            report_count=Coalesce(Subquery(counted_open_reports(OuterRef("pk"))), 0),
        )


def set_helpful(review: Review, user, helpful: bool = True) -> bool:
    """Add (or take back) the user's "helpful" vote; idempotent, True if something changed.

    A vote is recorded at once; it counts in ``helpful_count`` once it qualifies (counts_from).
    """
    if review.author_id == user.pk:
        raise NotAllowed(_("Vous ne pouvez pas voter pour votre propre avis."))
    if helpful and is_publisher_member(user, review.app):
        raise NotAllowed(
            _("Les membres de l'éditeur ne votent pas sur les avis de ses applications.")
        )
    with transaction.atomic():
        if helpful:
            now = timezone.now()
            policy = current_policy()
            start = counts_from(user, HelpfulVote, policy.votes_per_day, policy=policy, now=now)
            try:
                with transaction.atomic():
                    HelpfulVote.objects.create(
                        review=review, user=user, counts_from=start, counted=start <= now
                    )
            except IntegrityError:
                return False
            if start <= now:
                Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
            return True
        vote = HelpfulVote.objects.select_for_update().filter(review=review, user=user).first()
        if vote is None:
            return False
        vote.delete()
        if vote.counted:
            Review.objects.filter(pk=review.pk, helpful_count__gt=0).update(
                helpful_count=F("helpful_count") - 1
            )
        return True


def report_review(review: Review, user, *, reason: str, comment: str = "") -> ReviewReport:
    """Report a review once; enough distinct open reports that count hide it until an editor
    decides. A report from a new account, or beyond its daily budget, is recorded (editors see
    it) and counts once it qualifies."""
    if review.author_id == user.pk:
        raise NotAllowed(_("Vous ne pouvez pas signaler votre propre avis."))
    require_verified(user)
    policy = current_policy()
    with transaction.atomic():
        lock_app(review.app_id)
        review = Review.objects.select_for_update().get(pk=review.pk)
        if ReviewReport.objects.filter(review=review, reporter=user).exists():
            raise AlreadyReported(_("Vous avez déjà signalé cet avis."))
        now = timezone.now()
        start = counts_from(user, ReviewReport, policy.reports_per_day, policy=policy, now=now)
        report = ReviewReport.objects.create(
            review=review,
            reporter=user,
            reason=reason,
            comment=comment,
            counts_from=start,
            counted=start <= now,
        )
        apply_reports(review, policy)
    return report


def apply_reports(review: Review, policy: Policy) -> None:
    """With the review and its app locked: its report count, and hidden when enough count."""
    open_reports = ReviewReport.objects.filter(
        review=review, resolved_at=None, counted=True
    ).count()
    review.report_count = open_reports
    update = ["report_count"]
    if review.status == Status.PUBLISHED and open_reports >= policy.reports_to_hide:
        review.status = Status.PENDING
        review.held_because = [Held.REPORTED.value]
        update += ["status", "held_because"]
    review.save(update_fields=update)
    if "status" in update:
        refresh_aggregates(review.app_id)


def qualify_signals(now=None) -> int:
    """Count the votes and reports whose time has come (beat runs it); how many it counted."""
    now = now or timezone.now()
    policy = current_policy()
    due = Q(counted=False, counts_from__lte=now)
    with transaction.atomic():
        vote_reviews = set(
            HelpfulVote.objects.filter(due).values_list("review_id", flat=True).distinct()
        )
        votes = HelpfulVote.objects.filter(due, review_id__in=vote_reviews).update(counted=True)
        recount_reviews(vote_reviews)
    reports = 0
    report_reviews = sorted(
        set(ReviewReport.objects.filter(due).values_list("review_id", flat=True).distinct())
    )
    for review_id in report_reviews:
        with transaction.atomic():
            app_id = Review.objects.filter(pk=review_id).values_list("app_id", flat=True).first()
            if app_id is None:
                continue
            lock_app(app_id)
            review = Review.objects.select_for_update().get(pk=review_id)
            reports += ReviewReport.objects.filter(due, review=review).update(counted=True)
            apply_reports(review, policy)
    return votes + reports


# --- A user deleted (their own deletion, or the admin's) ------------------------------------


@dataclass(frozen=True)
class Forgotten:
    reviews_deleted: int
    reviews_anonymised: int
    votes_removed: int
    reports_removed: int
    app_ids: tuple[int, ...]


def forget_user(user, *, keep_reviews: bool) -> Forgotten:
    """Before an account is deleted: its votes and reports go (each review's helpful and report
    counts recomputed), its reviews are deleted or kept without author ("Utilisateur
    supprimé"), and the rating figures of every app concerned are recomputed under its lock.

    Replies written on behalf of a publisher stay the publisher's (their author is emptied by
    the foreign key). Reviews hidden by reports stay with the editors, who decide.
    """
    with transaction.atomic():
        own = Review.objects.filter(author=user)
        voted = HelpfulVote.objects.filter(user=user)
        reported = ReviewReport.objects.filter(reporter=user)
        app_ids = sorted(
            set(own.values_list("app_id", flat=True))
            | set(voted.values_list("review__app_id", flat=True))
            | set(reported.values_list("review__app_id", flat=True))
        )
        for app_id in app_ids:
            lock_app(app_id)
        voted_reviews = set(voted.values_list("review_id", flat=True))
        reported_reviews = set(reported.values_list("review_id", flat=True))
        votes_removed, _by_model = voted.delete()
        reports_removed, _by_model = reported.delete()
        recount_reviews(voted_reviews | reported_reviews)
        if keep_reviews:
            anonymised, deleted = own.update(author=None), 0
        else:
            anonymised = 0
            _total, by_model = own.delete()  # with their replies, votes and reports
            deleted = by_model.get(Review._meta.label, 0)
        for app_id in app_ids:
            refresh_aggregates(app_id)
    return Forgotten(
        reviews_deleted=deleted,
        reviews_anonymised=anonymised,
        votes_removed=votes_removed,
        reports_removed=reports_removed,
        app_ids=tuple(app_ids),
    )


# --- Publisher replies ---------------------------------------------------------------------


def save_reply(review: Review, user, body: str) -> tuple[ReviewReply, bool]:
    """Create or replace the publisher's reply; returns (reply, created)."""
    app = review.app
    if not is_publisher_member(user, app):
        raise NotAllowed(_("Seuls les membres de l'éditeur de l'application peuvent répondre."))
    with transaction.atomic():
        reply = ReviewReply.objects.select_for_update().filter(review=review).first()
        if reply is None:
            try:
                with transaction.atomic():
                    reply = ReviewReply.objects.create(
                        review=review, publisher_id=app.publisher_id, author=user, body=body
                    )
                notify(
                    [review.author],
                    "review_reply",
                    params={"app": app.title, "reply": body},
                    url=app_url(app),
                )
                return reply, True
            except IntegrityError:  # written concurrently by a colleague: edit theirs
                reply = ReviewReply.objects.select_for_update().get(review=review)
        reply.body = body
        reply.author = user
        reply.edited_at = timezone.now()
        reply.save(update_fields=["body", "author", "edited_at"])
    return reply, False


def delete_reply(review: Review, user) -> bool:
    if not is_publisher_member(user, review.app):
        raise NotAllowed(_("Seuls les membres de l'éditeur de l'application peuvent répondre."))
    deleted, _by_model = ReviewReply.objects.filter(review=review).delete()
    return bool(deleted)
