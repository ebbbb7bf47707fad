"""A person's rights over their data: everything the store holds about them (``export``), and
the deletion of their account (``delete_account``).

The export lists every row of the public site that points at the account; the editorial work
done in the Wagtail admin (pages, revisions, workflow, comments, audit log) is left out, each
link named in ``NOT_EXPORTED`` with the reason. tests/integration/store/test_personal_data.py
fails when a model gains a link to users that is in neither list.

The deletion goes through each owner's services: reviews (``forget_user``: votes, reports,
reviews deleted or kept anonymous, rating figures recomputed under each app's lock), the
catalogue (``remove_all_favourites``: popularity); both send ``app_counters_changed``, which
the search follows (reindex) on commit. The API tokens and linked identities are removed and
the account deleted in the same transaction; a confirmation mail goes out once it is committed.
A mediator's selections go with the account (their shared links stop working, as the deletion
page says); the shared selections a person kept are only unlinked from them.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from catalogue.models import AppProblemReport, Favourite, Publisher
from catalogue.notifications import services as notifications
from catalogue.services import publishers_only_member_of, remove_all_favourites
from identity.models import DeviceToken, LinkedIdentity
from onboarding import services as onboarding
from reviews.models import HelpfulVote, Review, ReviewReply, ReviewReport
from reviews.services import forget_user
from selections.services import export_for as selections_of
from store.models import AccountSettings, VerifiedEmail

logger = logging.getLogger(__name__)

EXPORT_VERSION = 1

# Every link from a model to the user, as "app_label.Model.field": exported, or left out with
# the reason why (tests/integration/store/test_personal_data.py checks the two lists cover them).
EXPORTED = {
    "store.AccountSettings.user": "account, preferences",
    "store.VerifiedEmail.user": "account.email_verified (the address confirmed, and when)",
    "auth.User_groups.user": "publisher_memberships, groups",
    "identity.LinkedIdentity.user": "linked_identities (FranceConnect, ProConnect)",
    "identity.DeviceToken.user": "devices (never the token itself, nor its hash)",
    "wagtailusers.UserProfile.user": "preferences.admin_language, admin_time_zone",
    "catalogue.Favourite.user": "favourites",
    "catalogue.AppProblemReport.user": "problem_reports",
    "reviews.Review.author": "reviews, with their moderation and the publisher's reply",
    "reviews.ReviewReply.author": "replies_written",
    "reviews.HelpfulVote.user": "helpful_votes",
    "reviews.ReviewReport.reporter": "review_reports",
    "selections.Mediator.user": "mediation.mediator (the role, its organisation)",
    "selections.Selection.owner": "mediation.selections (with their apps and notes)",
    "selections.SavedSelection.user": "mediation.saved_selections",
    "onboarding.Application.applicant": "publisher_applications",
    "onboarding.PublisherRole.user": "publisher_roles",
    "onboarding.Invitation.invited_by": "publisher_invitations_sent",
    "onboarding.Invitation.accepted_by": "publisher_invitations_accepted",
    "notifications.Notification.user": "notifications.notifications",
    "notifications.Preference.user": "notifications.email_choices",
}
NOT_EXPORTED = {
    "authtoken.Token.user": "DRF's former tokens: hashed into identity.DeviceToken, none left",
    "auth.User_user_permissions.user": "permissions granted by hand to staff (none by the site)",
    "reviews.Review.moderated_by": "the editor who decided on someone else's review",
    "sync.SyncRun.archive_confirmed_by": "the editor who confirmed a held sync run's archiving",
    "onboarding.Application.decided_by": "the editor who decided on someone's application",
    "onboarding.Verification.verified_by": "the editor who verified a publisher",
    "wagtailadmin.EditingSession.user": "the admin's short-lived editing presence (editors)",
    "wagtailadmin.FormState.user": "the admin's saved form states (editors)",
    "wagtailcore.APIToken.user": "Wagtail admin API tokens (the store issues none)",
    "wagtailcore.Comment.user": "editorial comments on pages (editors)",
    "wagtailcore.Comment.resolved_by": "editorial comments on pages (editors)",
    "wagtailcore.CommentReply.user": "editorial comments on pages (editors)",
    "wagtailcore.PageSubscription.user": "the admin's comment notifications (editors)",
    "wagtailcore.ModelLogEntry.user": "the admin's audit log, kept for accountability",
    "wagtailcore.PageLogEntry.user": "the admin's audit log, kept for accountability",
    "wagtailcore.Page.owner": "editorial work: pages belong to the site",
    "wagtailcore.Page.locked_by": "editorial work (a page lock)",
    "wagtailcore.Revision.user": "editorial work (page revisions)",
    "wagtailcore.TaskState.finished_by": "editorial workflow (moderation decisions on pages)",
    "wagtailcore.WorkflowState.requested_by": "editorial workflow (pages submitted)",
    "wagtailcore.UploadedFile.uploaded_by_user": "the admin's temporary uploads",
    "wagtailimages.Image.uploaded_by_user": "images uploaded for the catalogue",
    "wagtaildocs.Document.uploaded_by_user": "documents uploaded for the catalogue",
}


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user, request=None) -> dict:
    """Everything the store holds about the user, as plain JSON-ready data."""
    account_settings = AccountSettings.objects.filter(user=user).first()
    verified = VerifiedEmail.objects.filter(user=user).first()
    devices = list(DeviceToken.objects.filter(user=user).order_by("created_at", "pk"))
    admin_profile = UserProfile.objects.filter(user=user).first()
    memberships = Publisher.objects.filter(group__in=user.groups.all()).order_by("name")
    member_groups = set(memberships.values_list("group_id", flat=True))

    def app_of(app) -> dict:
        return {"title": app.title, "slug": app.slug}

    def url(app) -> str | None:
        found = app.get_url(request) if app.live else None
        return request.build_absolute_uri(found) if (found and request) else found

    reviews = (
        Review.objects.filter(author=user)
        .select_related("app", "reply", "reply__publisher")
        .order_by("created_at", "pk")
    )
    return {
        "format": {"name": "emploi-store-personal-data", "version": EXPORT_VERSION},
        "exported_at": iso(timezone.now()),
        "account": {
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "date_joined": iso(user.date_joined),
            "email_confirmation_sent_at": iso(
                account_settings and account_settings.email_confirmation_sent_at
            ),
            "email_confirmed_at": iso(account_settings and account_settings.email_confirmed_at),
            "email_verified": (
                {"email": verified.email, "verified_at": iso(verified.verified_at)}
                if verified
                else None
            ),
        },
        "sign_in": {
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "api_token_created_at": iso(devices[0].created_at if devices else None),
        },
        "linked_identities": [
            {
                "provider": identity.provider,
                "subject": identity.subject,
                "email": identity.email,
                "siret": identity.siret,
                "linked_at": iso(identity.linked_at),
                "last_used_at": iso(identity.last_used_at),
            }
            for identity in LinkedIdentity.objects.filter(user=user).order_by("linked_at", "pk")
        ],
        "devices": [
            {
                "name": device.name,
                "created_at": iso(device.created_at),
                "last_used_at": iso(device.last_used_at),
            }
            for device in devices
        ],
        "preferences": {
            "language": account_settings.language if account_settings else "",
            "notify_review_reply": bool(account_settings and account_settings.notify_review_reply),
            "notify_review_moderation": bool(
                account_settings and account_settings.notify_review_moderation
            ),
            "admin_language": admin_profile.preferred_language if admin_profile else "",
            "admin_time_zone": admin_profile.current_time_zone if admin_profile else "",
        },
        "publisher_memberships": [
            {"publisher": publisher.name, "slug": publisher.slug} for publisher in memberships
        ],
        "groups": sorted(user.groups.exclude(pk__in=member_groups).values_list("name", flat=True)),
        "favourites": [
            {
                **app_of(favourite.app),
                "url": url(favourite.app),
                "added_at": iso(favourite.created_at),
            }
            for favourite in Favourite.objects.filter(user=user)
            .select_related("app")
            .order_by("created_at", "pk")
        ],
        "reviews": [
            {
                "id": review.pk,
                "app": app_of(review.app),
                "rating": review.rating,
                "title": review.title,
                "body": review.body,
                "language": review.language,
                "created_at": iso(review.created_at),
                "edited_at": iso(review.edited_at),
                "helpful_votes": review.helpful_count,
                "open_reports": review.report_count,
                "moderation": {
                    "status": review.status,
                    "status_label": str(review.get_status_display()),
                    "held_because": review.held_because,
                    "held_because_labels": review.held_because_labels,
                    "decision_reason": review.moderation_reason,
                    "decided_at": iso(review.moderated_at),
                },
                "publisher_reply": (
                    {
                        "publisher": review.reply.publisher.name,
                        "body": review.reply.body,
                        "created_at": iso(review.reply.created_at),
                        "edited_at": iso(review.reply.edited_at),
                    }
                    if hasattr(review, "reply")
                    else None
                ),
            }
            for review in reviews
        ],
        "replies_written": [
            {
                "review_id": reply.review_id,
                "app": app_of(reply.review.app),
                "publisher": reply.publisher.name,
                "body": reply.body,
                "created_at": iso(reply.created_at),
                "edited_at": iso(reply.edited_at),
            }
            for reply in ReviewReply.objects.filter(author=user)
            .select_related("review__app", "publisher")
            .order_by("created_at", "pk")
        ],
        "helpful_votes": [
            {
                "review_id": vote.review_id,
                "app": app_of(vote.review.app),
                "voted_at": iso(vote.created_at),
            }
            for vote in HelpfulVote.objects.filter(user=user)
            .select_related("review__app")
            .order_by("created_at", "pk")
        ],
        "review_reports": [
            {
                "review_id": report.review_id,
                "app": app_of(report.review.app),
                "reason": report.reason,
                "reason_label": str(report.get_reason_display()),
                "comment": report.comment,
                "reported_at": iso(report.created_at),
                "resolved_at": iso(report.resolved_at),
            }
            for report in ReviewReport.objects.filter(reporter=user)
            .select_related("review__app")
            .order_by("created_at", "pk")
        ],
        "problem_reports": [
            {
                "app": app_of(report.app),
                "reason": report.reason,
                "reason_label": str(report.get_reason_display()),
                "message": report.message,
                "email": report.email,
                "status": report.status,
                "reported_at": iso(report.created_at),
                "resolved_at": iso(report.resolved_at),
            }
            for report in AppProblemReport.objects.filter(user=user)
            .select_related("app")
            .order_by("created_at", "pk")
        ],
        # A mediator's role and selections (deleted with the account: their links stop working),
        # and the shared selections a person keeps.
        "mediation": selections_of(user),
        # Publisher applications, roles and invitations (onboarding's own export).
        **onboarding.export(user),
        "notifications": notifications.export_for(user),
    }


# --- Deleting an account -----------------------------------------------------------------------


class AccountDeletionRefused(Exception):
    """The account is the last member of publishers: someone must be added to them first."""

    def __init__(self, publishers: list[Publisher]):
        super().__init__(", ".join(publisher.name for publisher in publishers))
        self.publishers = publishers


@dataclass(frozen=True)
class Deletion:
    username: str
    email: str
    language: str
    keep_reviews: bool
    reviews_deleted: int
    reviews_anonymised: int
    favourites_removed: int
    votes_removed: int
    reports_removed: int


def delete_account(user, *, keep_reviews: bool, notify: bool = True) -> Deletion:
    """Delete the account and what hangs on it (see the module's docstring); raise
    ``AccountDeletionRefused`` when it is the last member of a publisher.

    The caller has checked the password. Sessions die with the account (their user no longer
    exists); the web view also signs the browser out.
    """
    alone = publishers_only_member_of(user)
    if alone:
        raise AccountDeletionRefused(alone)
    account_settings = AccountSettings.objects.filter(user=user).first()
    language = (account_settings and account_settings.language) or translation.get_language()
    with transaction.atomic():
        # Its devices' tokens and linked identities go with it (and cascade anyway).
        DeviceToken.objects.filter(user=user).delete()
        LinkedIdentity.objects.filter(user=user).delete()
        favourite_apps = remove_all_favourites(user)
        forgotten = forget_user(user, keep_reviews=keep_reviews)
        # Problem reports stay with the editors, without the person (the foreign key empties).
        AppProblemReport.objects.filter(user=user).update(user=None)
        onboarding.forget_user(user)
        notifications.delete_for(user)
        deletion = Deletion(
            username=user.get_username(),
            email=user.email,
            language=language or settings.LANGUAGE_CODE,
            keep_reviews=keep_reviews,
            reviews_deleted=forgotten.reviews_deleted,
            reviews_anonymised=forgotten.reviews_anonymised,
            favourites_removed=len(favourite_apps),
            votes_removed=forgotten.votes_removed,
            reports_removed=forgotten.reports_removed,
        )
        user_id = user.pk
        get_user_model().objects.filter(pk=user_id).delete()
        if notify:
            transaction.on_commit(lambda: send_deletion_mail(deletion))
    logger.info(
        "account %s deleted: %d review(s) deleted, %d kept anonymous, %d favourite(s), "
        "%d vote(s), %d report(s) removed",
        user_id,
        deletion.reviews_deleted,
        deletion.reviews_anonymised,
        deletion.favourites_removed,
        deletion.votes_removed,
        deletion.reports_removed,
    )
    return deletion


def send_deletion_mail(deletion: Deletion) -> None:
    if not deletion.email:
        return
    with translation.override(deletion.language):
        context = {"deletion": deletion, "site_name": settings.WAGTAIL_SITE_NAME}
        subject = render_to_string("store/emails/account_deleted_subject.txt", context)
        body = render_to_string("store/emails/account_deleted.txt", context)
    send_mail(" ".join(subject.split()), body, None, [deletion.email])
