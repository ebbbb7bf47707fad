"""The publishers' onboarding on the site (DSFR pages, plain forms, no JavaScript needed).

- ``/publier/``: what publishing on the store means, and the way in (sign up, apply); a
  signed-in person sees their applications and the publishers whose team they run.
- ``/publier/demande/`` (create a publisher) and ``/publier/demande/rejoindre/`` (join or
  claim one): signed-in people only.
- ``/compte/demandes-editeur/``: the person's applications, their state and the editors'
  reason; a waiting one may be withdrawn.
- ``/publier/editeurs/<id>/equipe/``: the team of a publisher — its administrators and the
  editors only: invite by e-mail, change a role, remove a person, cancel an invitation.
- ``/publier/invitation/<token>/``: the invitee signs up or in, then accepts.

Signed out: the sign-in page. Signed in without the right: a 403 page; an unknown publisher
or application: a 404. Every refusal changes nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail import hooks
from wagtail.models import Page, WorkflowState

from catalogue.models import AppPage, Publisher, PublisherPage
from catalogue.permissions import is_editor, publishers_of
from catalogue.platforms import Platform
from catalogue.sync.models import Feed, SyncRun
from onboarding import services
from onboarding.forms import (
    AppDraftForm,
    CreateApplicationForm,
    FeedForm,
    InviteForm,
    JoinApplicationForm,
    RoleForm,
)
from onboarding.invitations import REFUSALS, InvitationRefused, open_invitation
from onboarding.models import Application, Invitation
from onboarding.permissions import (
    administered_by,
    can_manage_team,
    can_submit_apps,
    forget,
    owns_address,
    signed_in_person,
)
from web.throttles import rate_limit_message, rate_limited

LOGIN_URL = "account_login"
# A hook answering a person's SIRET to suggest, or "" (the shell registers identity's).
SIRET_SUGGESTION_HOOK = "emploistore_suggested_siret"
MAX_ID = 2**63 - 1
APPLY_SCOPE = "publisher_apply"
DEFAULT_APPLY_RATE = "10/hour"
INVITE_SCOPE = "publisher_invite"
DEFAULT_INVITE_RATE = "50/hour"
APPS_SHOWN = 50


def refused(request, message: str, status: int = 403):
    return render(request, "onboarding/refused.html", {"message": message}, status=status)


def person_required(view):
    """Signed out (or inactive): to the sign-in page, back here afterwards."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not signed_in_person(request.user):
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapper


def team_manager_required(view):
    """The publisher's administrators and the editors; others get a 403 page."""

    @wraps(view)
    @person_required
    def wrapper(request, pk: int, *args, **kwargs):
        if pk > MAX_ID:
            return refused(request, _("Éditeur introuvable."), 404)
        publisher = get_object_or_404(Publisher, pk=pk)
        if not can_manage_team(request.user, publisher.pk):
            return refused(request, _("Seuls les administrateurs de l'éditeur gèrent son équipe."))
        return view(request, publisher, *args, **kwargs)

    return wrapper


# --- The way in ------------------------------------------------------------------------------


def publish_home(request):
    context = {}
    if signed_in_person(request.user):
        member_of = publishers_of(request.user)
        context.update(
            applications=list(
                Application.objects.of_applicant(request.user).select_related("publisher")[:5]
            ),
            publishers=[
                {"publisher": publisher, "admin": publisher.pk in administered_by(request.user)}
                for publisher in Publisher.objects.filter(pk__in=member_of).order_by("name")
            ],
        )
    return render(request, "onboarding/publish_home.html", context)


def suggested_identifier(user) -> str:
    """A SIRET the person's sign-in vouches for (ProConnect's organisation, through
    SIRET_SUGGESTION_HOOK): pre-filled as a suggestion, never a membership."""
    for suggest in hooks.get_hooks(SIRET_SUGGESTION_HOOK):
        if found := suggest(user):
            return found
    return ""


def too_many(request, scope: str, rate: str):
    minutes = rate_limited(request, scope, rate)
    return refused(request, rate_limit_message(minutes), 429) if minutes else None


@person_required
@require_http_methods(["GET", "POST"])
def apply_create(request):
    suggested = suggested_identifier(request.user) if request.method == "GET" else ""
    form = CreateApplicationForm(request.POST or None, initial={"identifier": suggested})
    if request.method == "POST" and form.is_valid():
        if answer := too_many(request, APPLY_SCOPE, DEFAULT_APPLY_RATE):
            return answer
        services.apply(request.user, kind=Application.Kind.CREATE, **form.cleaned_data)
        messages.success(
            request, _("Votre demande est envoyée : l'équipe éditoriale vous répondra par e-mail.")
        )
        return redirect("account_publisher_applications")
    status = 400 if form.errors else 200
    context = {"form": form, "suggested_identifier": suggested}
    return render(request, "onboarding/apply_create.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def apply_join(request):
    initial = {}
    wanted = request.GET.get("editeur", "")
    if wanted.isdigit() and int(wanted) <= MAX_ID:
        initial["publisher"] = Publisher.objects.filter(pk=wanted).first()
        if request.GET.get("type") == Application.Kind.CLAIM:
            initial["kind"] = Application.Kind.CLAIM
    form = JoinApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if answer := too_many(request, APPLY_SCOPE, DEFAULT_APPLY_RATE):
            return answer
        try:
            services.apply(
                request.user,
                kind=form.cleaned_data["kind"],
                publisher=form.cleaned_data["publisher"],
                justification=form.cleaned_data["justification"],
                plans=form.cleaned_data["plans"],
            )
        except services.OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Votre demande est envoyée : l'équipe éditoriale vous répondra par e-mail."),
            )
            return redirect("account_publisher_applications")
    status = 400 if form.errors else 200
    return render(request, "onboarding/apply_join.html", {"form": form}, status=status)


@login_required(login_url=LOGIN_URL)
def my_applications(request):
    applications = Application.objects.of_applicant(request.user).select_related("publisher")
    return render(
        request,
        "onboarding/my_applications.html",
        {"applications": applications, "section": "publisher_applications"},
    )


@login_required(login_url=LOGIN_URL)
@require_POST
def withdraw(request, pk: int):
    if pk > MAX_ID:
        return refused(request, _("Demande introuvable."), 404)
    # Someone else's application is a 404, as one that does not exist.
    application = get_object_or_404(Application.objects.of_applicant(request.user), pk=pk)
    try:
        services.withdraw(application)
    except services.OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre demande est retirée."))
    return redirect("account_publisher_applications")


# --- The team --------------------------------------------------------------------------------


def team_context(request, publisher: Publisher, invite_form=None) -> dict:
    page = PublisherPage.objects.filter(publisher=publisher).first()
    return {
        "publisher": publisher,
        "publisher_page": page,
        "members": services.team(publisher),
        "invitations": [
            invitation
            for invitation in Invitation.objects.filter(
                publisher=publisher, accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("invited_by")
            if invitation.is_open()
        ],
        "invite_form": invite_form or InviteForm(),
        "role_form": RoleForm(),
        "is_editor": is_editor(request.user),
        "history_url": reverse("wagtailadmin_pages:history", args=[page.pk]) if page else "",
    }


@team_manager_required
@require_http_methods(["GET"])
def team(request, publisher: Publisher):
    return render(request, "onboarding/team.html", team_context(request, publisher))


@team_manager_required
@require_POST
def invite(request, publisher: Publisher):
    form = InviteForm(request.POST)
    if form.is_valid():
        if answer := too_many(request, INVITE_SCOPE, DEFAULT_INVITE_RATE):
            return answer
        try:
            services.invite(
                publisher, form.cleaned_data["email"], form.cleaned_data["role"], request.user
            )
        except services.OnboardingError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("publisher_team", pk=publisher.pk)
    return render(
        request, "onboarding/team.html", team_context(request, publisher, form), status=400
    )


def member_or_404(publisher: Publisher, user_id: int):
    if user_id > MAX_ID:
        return None
    return publisher.members.filter(pk=user_id).first()


@team_manager_required
@require_POST
def change_role(request, publisher: Publisher, user_id: int):
    member = member_or_404(publisher, user_id)
    form = RoleForm(request.POST)
    if member is None:
        return refused(request, _("Cette personne ne fait pas partie de l'éditeur."), 404)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle."))
        return redirect("publisher_team", pk=publisher.pk)
    try:
        services.change_role(publisher, member, form.cleaned_data["role"])
    except services.OnboardingError as error:
        messages.error(request, error.message)
    else:
        forget(request.user)
        messages.success(request, _("Rôle modifié."))
    return redirect("publisher_team", pk=publisher.pk)


@team_manager_required
@require_POST
def remove(request, publisher: Publisher, user_id: int):
    member = member_or_404(publisher, user_id)
    if member is None:
        return refused(request, _("Cette personne ne fait pas partie de l'éditeur."), 404)
    try:
        services.remove_member(publisher, member)
    except services.OnboardingError as error:
        messages.error(request, error.message)
        return redirect("publisher_team", pk=publisher.pk)
    messages.success(
        request, _("%(name)s ne fait plus partie de l'éditeur.") % {"name": member.get_username()}
    )
    if member.pk == request.user.pk and not is_editor(request.user):
        return redirect("publish_home")
    return redirect("publisher_team", pk=publisher.pk)


@team_manager_required
@require_POST
def revoke_invitation(request, publisher: Publisher, invitation_id: int):
    if invitation_id > MAX_ID:
        return refused(request, _("Invitation introuvable."), 404)
    invitation = get_object_or_404(Invitation, publisher=publisher, pk=invitation_id)
    services.revoke_invitation(invitation)
    messages.success(request, _("Invitation annulée."))
    return redirect("publisher_team", pk=publisher.pk)


# --- Accepting an invitation -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    try:
        found = open_invitation(token)
    except InvitationRefused as refusal:
        return render(
            request,
            "onboarding/invitation.html",
            {"refusal": str(REFUSALS[refusal.reason])},
            status=404 if refusal.reason == "invalid" else 410,
        )
    context = {"invitation": found, "publisher": found.publisher}
    if not signed_in_person(request.user):
        here = request.get_full_path()
        known = get_user_model().objects.filter(email__iexact=found.email).exists()
        context.update(
            known=known,
            sign_in_url=f"{reverse(LOGIN_URL)}?{urlencode({'next': here})}",
            sign_up_url=f"{reverse('account_signup')}?{urlencode({'next': here})}",
        )
        if request.method == "POST":
            return redirect_to_login(here, LOGIN_URL)
        return render(request, "onboarding/invitation.html", context)
    if not owns_address(request.user, found.email):
        context["refusal"] = _(
            "Cette invitation a été envoyée à une autre adresse e-mail que celle de votre "
            "compte. Connectez-vous avec le compte de cette adresse."
        )
        return render(request, "onboarding/invitation.html", context, status=403)
    if request.method == "POST":
        try:
            services.accept_invitation(found, request.user)
        except services.OnboardingError as error:
            context["refusal"] = error.message
            return render(request, "onboarding/invitation.html", context, status=410)
        forget(request.user)
        messages.success(
            request,
            _("Bienvenue dans l'équipe de %(publisher)s.") % {"publisher": found.publisher.name},
        )
        return redirect("publish_home")
    return render(request, "onboarding/invitation.html", context)


# --- A new app, by the guided form ------------------------------------------------------------


def member_required(view):
    """The publisher's members (administrators included) and the editors."""

    @wraps(view)
    @person_required
    def wrapper(request, pk: int, *args, **kwargs):
        if pk > MAX_ID:
            return refused(request, _("Éditeur introuvable."), 404)
        publisher = get_object_or_404(Publisher, pk=pk)
        if not (is_editor(request.user) or can_submit_apps(request.user, publisher.pk)):
            return refused(request, _("Seuls les membres de l'éditeur proposent ses applications."))
        return view(request, publisher, *args, **kwargs)

    return wrapper


PREVIEW, DRAFT, SUBMIT = "preview", "draft", "submit"


@member_required
@require_http_methods(["GET", "POST"])
def new_app(request, publisher: Publisher):
    """Fill in, preview the card and the page's text, then save a draft or submit it."""
    form = AppDraftForm(request.POST or None)
    action = request.POST.get("action", PREVIEW)
    context = {"form": form, "publisher": publisher}
    if request.method == "POST" and form.is_valid():
        if action in (DRAFT, SUBMIT):
            app = services.create_app_draft(
                publisher,
                request.user,
                form.cleaned_data,
                form.listings(),
                submit=action == SUBMIT,
            )
            if action == SUBMIT:
                messages.success(
                    request,
                    _("« %(title)s » est soumise à l'équipe éditoriale.") % {"title": app.title},
                )
            else:
                messages.success(request, _("Brouillon enregistré."))
            return redirect("publisher_apps", pk=publisher.pk)
        context["preview"] = {
            **form.cleaned_data,
            "description_html": services.description_html(form.cleaned_data["description"]),
            "platforms": [
                label for platform, label in Platform.choices if form.cleaned_data.get(platform)
            ],
        }
    status = 400 if form.errors else 200
    return render(request, "onboarding/new_app.html", context, status=status)


@member_required
@require_GET
def publisher_apps(request, publisher: Publisher):
    """The publisher's apps with their state: live, draft, in moderation (and where to read
    the editors' comments and submit again: the page in the admin)."""
    apps = list(
        AppPage.objects.filter(publisher=publisher).order_by("-latest_revision_created_at", "-pk")[
            :APPS_SHOWN
        ]
    )
    states = {
        int(state.object_id): state
        for state in WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(app.pk) for app in apps],
        )
        .select_related("current_task_state__task")
    }
    rows = [
        {
            "app": app,
            "state": states.get(app.pk),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[app.pk]),
        }
        for app in apps
    ]
    return render(
        request,
        "onboarding/publisher_apps.html",
        {"publisher": publisher, "rows": rows, "apps_shown": APPS_SHOWN},
    )


# --- The publisher's own feeds ----------------------------------------------------------------


def feeds_context(publisher: Publisher, form=None) -> dict:
    feeds = list(Feed.objects.filter(publisher=publisher).order_by("name", "pk"))
    previews = set(
        SyncRun.objects.filter(feed__in=feeds, dry_run=True)
        .exclude(status__in=[SyncRun.Status.FAILED, SyncRun.Status.RUNNING])
        .values_list("feed_id", flat=True)
    )
    return {
        "publisher": publisher,
        "form": form or FeedForm(),
        "rows": [
            {
                "feed": feed,
                "previewed": feed.pk in previews,
                "runs_url": reverse("sync_feeds:runs", args=[feed.pk]),
            }
            for feed in feeds
        ],
    }


@member_required
@require_http_methods(["GET", "POST"])
def feeds(request, publisher: Publisher):
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_feed(publisher, **form.cleaned_data)
        except services.OnboardingError as error:
            form.add_error("url", error.message)
        else:
            messages.success(
                request, _("Flux enregistré. Lancez un aperçu : il sera activable ensuite.")
            )
            return redirect("publisher_feeds", pk=publisher.pk)
    status = 400 if form.errors else 200
    return render(request, "onboarding/feeds.html", feeds_context(publisher, form), status=status)


FEED_ACTIONS = ("apercu", "activer", "desactiver")


def own_feed(publisher: Publisher, feed_id: int) -> Feed:
    return get_object_or_404(Feed, publisher=publisher, pk=feed_id if feed_id <= MAX_ID else 0)


@member_required
@require_POST
def feed_action(request, publisher: Publisher, feed_id: int, action: str):
    if action not in FEED_ACTIONS:
        return refused(request, _("Action inconnue."), 404)
    feed = own_feed(publisher, feed_id)
    try:
        if action == "apercu":
            run = services.preview_feed(feed)
            if run.status == SyncRun.Status.FAILED:
                messages.error(request, _("L'aperçu a échoué : voir le détail de la lecture."))
            else:
                messages.success(request, _("Aperçu réussi : vous pouvez activer le flux."))
            return redirect("sync_feeds:run", run.pk)
        if action == "activer":
            services.enable_feed(feed)
            messages.success(request, _("Flux activé."))
        else:
            services.disable_feed(feed)
            messages.success(request, _("Flux désactivé."))
    except services.OnboardingError as error:
        messages.error(request, error.message)
    return redirect("publisher_feeds", pk=publisher.pk)
