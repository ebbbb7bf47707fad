"""Writes of onboarding: applications and the editors' decisions, verification, the team
(invitations, roles, removal), and what an account's export and deletion ask of it.

Every function that decides checks nothing about who calls it: the views and the API check
permissions (onboarding.permissions) first. Mails go out once the transaction is committed.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalogue import permissions as catalogue_permissions
from catalogue.models import AppListing, AppPage, Publisher, PublisherPage
from catalogue.services import add_member, unique_child_slug
from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.runner import SyncAlreadyRunning, run_feed
from catalogue.text import fold
from onboarding import identifiers
from onboarding.invitations import invitation_url
from onboarding.models import Application, Invitation, PublisherRole, Role, Verification

logger = logging.getLogger(__name__)


class OnboardingError(Exception):
    """A request that the state of things refuses (a message for the person)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- Applications ----------------------------------------------------------------------------


def has_administrator(publisher: Publisher) -> bool:
    return PublisherRole.objects.filter(
        publisher=publisher, role=Role.ADMIN, user__groups=publisher.group_id, user__is_active=True
    ).exists()


@transaction.atomic
def apply(user, *, kind: str, publisher: Publisher | None = None, **fields) -> Application:
    """Record an application (the form or the serializer validated ``fields``)."""
    if kind == Application.Kind.CREATE:
        publisher = None
        identifier = identifiers.normalise(fields.get("identifier", ""))
        fields["identifier"] = identifier
        fields["siren"] = identifiers.siren_of(identifier) if identifier else ""
        fields["identifier_valid"] = bool(identifier) and (
            identifiers.identifier_problem(identifier) is None
        )
        fields["domain_matches"] = identifiers.same_organisation_domain(
            fields.get("contact_email", ""), fields.get("website", "")
        )
    else:
        if publisher is None:
            raise OnboardingError("publisher", _("Choisissez l'éditeur."))
        if catalogue_permissions.is_member(user, publisher.pk):
            raise OnboardingError("member", _("Vous faites déjà partie de cet éditeur."))
        if kind == Application.Kind.CLAIM and has_administrator(publisher):
            raise OnboardingError(
                "claimed",
                _("Cet éditeur a déjà un administrateur : demandez plutôt à le rejoindre."),
            )
        fields = {
            "plans": fields.get("plans", ""),
            "justification": fields.get("justification", ""),
        }
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=user, kind=kind, publisher=publisher, **fields
            )
    except IntegrityError:
        raise OnboardingError(
            "pending", _("Vous avez déjà une demande en attente pour cet éditeur.")
        ) from None
    return application


def withdraw(application: Application) -> None:
    if not application.is_pending:
        raise OnboardingError("decided", _("Cette demande a déjà reçu une réponse."))
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    application.status = Application.Status.WITHDRAWN


def unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "editeur"
    slug, counter = base, 2
    while Publisher.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def lock_pending(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_pending:
        raise OnboardingError("decided", _("Cette demande a déjà reçu une réponse."))
    return locked


@transaction.atomic
def approve(application: Application, editor) -> Application:
    """Create the publisher (create), or add the applicant to it: its first administrator
    (create, claim) or a member (join)."""
    application = lock_pending(application)
    if application.kind == Application.Kind.CREATE:
        if Publisher.objects.filter(name__iexact=application.name).exists():
            raise OnboardingError(
                "name", _("Un éditeur porte déjà ce nom : renommez la demande ou refusez-la.")
            )
        # Creating it sets up its space: page, group, image folder (catalogue.receivers).
        publisher = Publisher.objects.create(
            name=application.name,
            slug=unique_slug(application.name),
            kind=application.publisher_kind or Publisher.Kind.COMPANY,
            website=application.website,
        )
        application.publisher = publisher
        role = Role.ADMIN
    else:
        publisher = application.publisher
        if publisher is None:
            raise OnboardingError("publisher", _("L'éditeur demandé n'existe plus."))
        if application.kind == Application.Kind.CLAIM and has_administrator(publisher):
            raise OnboardingError("claimed", _("Cet éditeur a déjà un administrateur."))
        role = Role.ADMIN if application.kind == Application.Kind.CLAIM else Role.MEMBER
    join(publisher, application.applicant, role)
    application.status = Application.Status.APPROVED
    application.decided_by, application.decided_at = editor, timezone.now()
    application.save()
    notify_decision(application)
    return application


@transaction.atomic
def refuse(application: Application, editor, reason: str) -> Application:
    application = lock_pending(application)
    application.status = Application.Status.REFUSED
    application.reason = reason
    application.decided_by, application.decided_at = editor, timezone.now()
    application.save()
    notify_decision(application)
    return application


def notify_decision(application: Application) -> None:
    user = application.applicant
    if not user.email:
        return
    context = {
        "application": application,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    transaction.on_commit(lambda: send_templated(user.email, "onboarding/emails/decision", context))


def send_templated(to: str, template: str, context: dict) -> None:
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


@dataclass(frozen=True)
class Duplicate:
    publisher_id: int | None
    application_id: int | None
    name: str
    why: str


# A name this short is contained in too many others to say anything.
MIN_NAME_FOR_CONTAINMENT = 4


def similar_names(one: str, other: str) -> bool:
    if not one or not other:
        return False
    if one == other:
        return True
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) >= MIN_NAME_FOR_CONTAINMENT and shorter in longer


def duplicates(application: Application) -> list[Duplicate]:
    return duplicates_of([application]).get(application.pk, [])


def duplicates_of(applications) -> dict[int, list[Duplicate]]:
    """For each "create" application, the publishers and other applications that look like it:
    same SIREN, a similar name, the same domain (website or contact e-mail). Four queries
    whatever the number of applications."""
    creates = [a for a in applications if a.kind == Application.Kind.CREATE]
    if not creates:
        return {}
    publishers = [
        (pk, name, fold(name).strip(), identifiers.website_domain(website))
        for pk, name, website in Publisher.objects.values_list("pk", "name", "website")
    ]
    sirens = {a.siren for a in creates if a.siren}
    siren_applications = list(
        Application.objects.filter(kind=Application.Kind.CREATE, siren__in=sirens).values_list(
            "pk", "name", "siren"
        )
    )
    siren_publishers = list(
        Verification.objects.filter(siren__in=sirens).values_list(
            "publisher_id", "publisher__name", "siren"
        )
    )
    domains = {identifiers.website_domain(a.website) for a in creates} - {""}
    domain_applications = []
    if domains:
        matching = Q()
        for domain in domains:
            matching |= Q(website__icontains=domain)
        domain_applications = [
            (pk, name, identifiers.website_domain(website))
            for pk, name, website in Application.objects.filter(
                matching, kind=Application.Kind.CREATE
            ).values_list("pk", "name", "website")
        ]
    found: dict[int, list[Duplicate]] = {}
    for application in creates:
        rows = found.setdefault(application.pk, [])
        folded = fold(application.name).strip()
        domain = identifiers.website_domain(application.website)
        mail_domain = identifiers.email_domain(application.contact_email)
        own = application.publisher_id
        for pk, name, siren in siren_applications:
            if siren == application.siren and pk != application.pk:
                rows.append(Duplicate(None, pk, name, _("même SIREN")))
        for pk, name, siren in siren_publishers:
            if siren == application.siren and pk != own:
                rows.append(Duplicate(pk, None, name, _("même SIREN")))
        for pk, name, other_folded, other_domain in publishers:
            if pk == own:
                continue
            if similar_names(folded, other_folded):
                rows.append(Duplicate(pk, None, name, _("nom proche")))
            elif other_domain and other_domain in (domain, mail_domain):
                rows.append(Duplicate(pk, None, name, _("même domaine")))
        for pk, name, other_domain in domain_applications:
            if domain and other_domain == domain and pk != application.pk:
                rows.append(Duplicate(None, pk, name, _("même domaine")))
    return found


@transaction.atomic
def verify(publisher: Publisher, editor, *, note: str = "") -> Verification:
    """Mark the publisher verified, with the evidence of its approved application."""
    source = (
        Application.objects.filter(publisher=publisher, status=Application.Status.APPROVED)
        .exclude(siren="")
        .order_by("-decided_at")
        .first()
    )
    verification, _created = Verification.objects.update_or_create(
        publisher=publisher,
        defaults={
            "siren": source.siren if source else "",
            "identifier_valid": bool(source and source.identifier_valid),
            "domain": identifiers.website_domain(publisher.website),
            "domain_matches": bool(source and source.domain_matches),
            "note": note,
            "verified_by": editor,
        },
    )
    publisher.verified = True
    # The public pages and the search show the badge: the publisher's save sends the events.
    publisher.save(update_fields=["verified"])
    return verification


@transaction.atomic
def unverify(publisher: Publisher) -> None:
    Verification.objects.filter(publisher=publisher).delete()
    publisher.verified = False
    publisher.save(update_fields=["verified"])


# --- The team --------------------------------------------------------------------------------


def join(publisher: Publisher, user, role: str) -> None:
    add_member(publisher, user)
    set_role(publisher, user, role)
    catalogue_permissions.forget(user)


def set_role(publisher: Publisher, user, role: str) -> None:
    if role == Role.ADMIN:
        PublisherRole.objects.update_or_create(
            publisher=publisher, user=user, defaults={"role": Role.ADMIN}
        )
    else:
        PublisherRole.objects.filter(publisher=publisher, user=user).delete()


def team(publisher: Publisher) -> list:
    """The members with their role (``user.team_role``), by name."""
    admins = set(
        PublisherRole.objects.filter(publisher=publisher, role=Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )
    members = list(publisher.members.order_by("last_name", "first_name", "username"))
    for member in members:
        member.team_role = Role.ADMIN if member.pk in admins else Role.MEMBER
    return members


def other_admins(publisher: Publisher, user) -> bool:
    return (
        PublisherRole.objects.filter(
            publisher=publisher,
            role=Role.ADMIN,
            user__groups=publisher.group_id,
            user__is_active=True,
        )
        .exclude(user=user)
        .exists()
    )


@transaction.atomic
def change_role(publisher: Publisher, user, role: str) -> None:
    if not publisher.members.filter(pk=user.pk).exists():
        raise OnboardingError("not_member", _("Cette personne ne fait pas partie de l'éditeur."))
    if role != Role.ADMIN and not other_admins(publisher, user):
        raise OnboardingError("last_admin", _("L'éditeur doit garder au moins un administrateur."))
    set_role(publisher, user, role)


@transaction.atomic
def remove_member(publisher: Publisher, user) -> None:
    """Out of the publisher's group: every right on it ends at once, web and API tokens alike
    (memberships are read from the groups at each request)."""
    if not publisher.members.filter(pk=user.pk).exists():
        raise OnboardingError("not_member", _("Cette personne ne fait pas partie de l'éditeur."))
    if PublisherRole.objects.filter(publisher=publisher, user=user, role=Role.ADMIN).exists() and (
        not other_admins(publisher, user)
    ):
        raise OnboardingError("last_admin", _("L'éditeur doit garder au moins un administrateur."))
    PublisherRole.objects.filter(publisher=publisher, user=user).delete()
    user.groups.remove(publisher.group)
    catalogue_permissions.forget(user)


@transaction.atomic
def invite(publisher: Publisher, email: str, role: str, invited_by) -> Invitation:
    """A new invitation (earlier open ones for the same address are cancelled); its mail goes
    out on commit with the signed link."""
    email = email.strip()
    if publisher.members.filter(email__iexact=email).exists():
        raise OnboardingError("member", _("Cette personne fait déjà partie de l'éditeur."))
    now = timezone.now()
    Invitation.objects.filter(
        publisher=publisher, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        publisher=publisher, email=email, role=role, invited_by=invited_by
    )
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "inviter": invited_by.get_full_name() or invited_by.get_username(),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    language = translation.get_language()

    def send():
        with translation.override(language):
            send_templated(email, "onboarding/emails/invitation", context)

    transaction.on_commit(send)
    return invitation


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def accept_invitation(invitation: Invitation, user) -> None:
    """The signed link was checked (onboarding.invitations.open_invitation): join once."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open():
        raise OnboardingError("used", _("Cette invitation n'est plus valable."))
    locked.accepted_at, locked.accepted_by = timezone.now(), user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    if not catalogue_permissions.is_member(user, locked.publisher_id):
        join(locked.publisher, user, locked.role)


# --- Personal data (called by the shell: store.personal_data) --------------------------------


def iso(moment):
    return moment.isoformat() if moment else None


def export(user) -> dict:
    """What onboarding holds about the person: their applications, roles, invitations."""
    return {
        "publisher_applications": [
            {
                "kind": application.kind,
                "kind_label": str(application.get_kind_display()),
                "status": application.status,
                "status_label": str(application.get_status_display()),
                "publisher": application.publisher.name if application.publisher else None,
                "name": application.name,
                "publisher_kind": application.publisher_kind,
                "identifier": application.identifier,
                "website": application.website,
                "contact_email": application.contact_email,
                "justification": application.justification,
                "plans": application.plans,
                "reason": application.reason,
                "created_at": iso(application.created_at),
                "decided_at": iso(application.decided_at),
            }
            for application in Application.objects.filter(applicant=user)
            .select_related("publisher")
            .order_by("created_at", "pk")
        ],
        "publisher_roles": [
            {"publisher": role.publisher.name, "role": role.role, "since": iso(role.granted_at)}
            for role in PublisherRole.objects.filter(user=user).select_related("publisher")
        ],
        "publisher_invitations_sent": [
            {
                "publisher": invitation.publisher.name,
                "email": invitation.email,
                "role": invitation.role,
                "created_at": iso(invitation.created_at),
                "accepted_at": iso(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(invited_by=user)
            .select_related("publisher")
            .order_by("created_at", "pk")
        ],
        "publisher_invitations_accepted": [
            {
                "publisher": invitation.publisher.name,
                "email": invitation.email,
                "accepted_at": iso(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(accepted_by=user)
            .select_related("publisher")
            .order_by("accepted_at", "pk")
        ],
    }


def forget_user(user) -> None:
    """Before the account is deleted: its applications and roles go with it (cascade); the
    invitations it sent or accepted stay with the publisher without the person, and those
    sent to its address that are still open are cancelled."""
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Invitation.objects.filter(accepted_by=user).update(accepted_by=None)
    if user.email:
        Invitation.objects.filter(
            email__iexact=user.email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    Application.objects.filter(applicant=user).delete()
    PublisherRole.objects.filter(user=user).delete()


# --- A new app, submitted to the editors' workflow -------------------------------------------


def description_html(text: str) -> str:
    """Plain text to paragraphs, escaped: the rich text field never gets the person's markup."""
    paragraphs = [" ".join(block.split()) for block in text.replace("\r", "").split("\n\n")]
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs if paragraph)


@transaction.atomic
def create_app_draft(publisher: Publisher, user, data: dict, listings, *, submit: bool) -> AppPage:
    """A draft AppPage under the publisher's page (its first revision, by ``user``); with
    ``submit``, the editors' moderation workflow starts on it (the one the admin uses)."""
    parent = PublisherPage.objects.get(publisher=publisher)
    app = AppPage(
        title=data["title"],
        slug=unique_child_slug(parent, data["title"]),
        tagline=data["tagline"],
        description=description_html(data["description"]),
        pricing=data["pricing"],
        accessibility=data["accessibility"],
        publisher=publisher,
        live=False,
        owner=user,
    )
    for position, (platform, url) in enumerate(listings):
        app.listings.add(AppListing(platform=platform, url=url, sort_order=position))
    app.categories = list(data["categories"])
    app.audiences = list(data["audiences"])
    app.languages = list(data["languages"])
    parent.add_child(instance=app)
    app.save_revision(user=user, log_action=True)
    if submit:
        submit_app(app, user)
    return app


def submit_app(app: AppPage, user) -> None:
    workflow = app.get_workflow()
    if workflow is None:
        raise OnboardingError("workflow", _("Aucun circuit de validation pour cette page."))
    workflow.start(app, user)


# --- The publisher's own feeds (catalogue.sync) ----------------------------------------------


def register_feed(publisher: Publisher, *, name: str, url: str, format: str) -> Feed:
    """A new feed, off until a preview of it has run without failing."""
    if Feed.objects.filter(publisher=publisher, url=url).exists():
        raise OnboardingError("feed_exists", _("Ce flux est déjà enregistré pour cet éditeur."))
    return Feed.objects.create(
        publisher=publisher, name=name, url=url, format=format, enabled=False
    )


def previewed(feed: Feed) -> bool:
    """A dry run of the feed finished without failing."""
    return (
        SyncRun.objects.filter(feed=feed, dry_run=True)
        .exclude(status__in=[SyncRun.Status.FAILED, SyncRun.Status.RUNNING])
        .exists()
    )


def preview_feed(feed: Feed) -> SyncRun:
    """Read the feed now and report what a sync would change (writes only its run)."""
    try:
        return run_feed(feed, trigger=SyncRun.Trigger.MANUAL, dry_run=True)
    except SyncAlreadyRunning:
        raise OnboardingError("running", _("Une lecture de ce flux est déjà en cours.")) from None


def enable_feed(feed: Feed) -> None:
    if not previewed(feed):
        raise OnboardingError(
            "not_previewed", _("Lancez d'abord un aperçu réussi du flux avant de l'activer.")
        )
    feed.enabled = True
    feed.next_sync_at = timezone.now()
    feed.save(update_fields=["enabled", "next_sync_at"])


def disable_feed(feed: Feed) -> None:
    feed.enabled = False
    feed.save(update_fields=["enabled"])
