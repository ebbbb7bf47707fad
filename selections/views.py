"""The selections on the site: the mediators' space, the shared page, the printout.

- **The mediators' space** (``/mediation/…``): a mediator's selections and the editors'
  ready-made paths, a selection's edit page (until it is shared), sharing with a link, its QR
  code and the printable page, revoking. Signed out: the sign-in page. Signed in without the
  role: a 403 page that explains how to ask for it. Someone else's selection: a 404, the same
  as one that does not exist. Every action is a plain POST form that redirects (or shows the
  form again with its errors): no JavaScript needed.
- **The shared page** (``/s/<token>/``): what the person sees, without an account, while the
  link is open; the install button of their device first; a plain-language mode
  (``?mode=facile``). A guessed, expired or revoked link is one and the same 404 page.
- **The person's favourites** (``/compte/selections/``) for those who keep a selection.
"""

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue import renditions
from catalogue.app_page import absolute_url
from catalogue.models import AppListing, AppPage
from catalogue.platforms import Platform, ordered_listings, visitor_platform
from selections import services
from selections.forms import (
    NEW_SELECTION,
    AddToSelectionForm,
    MediatorRequestForm,
    SelectionForm,
    ShareForm,
    item_notes,
)
from selections.models import (
    TOKEN_PATTERN,
    Mediator,
    SavedSelection,
    Selection,
    SelectionItem,
)
from selections.permissions import forget, mediator_of
from selections.qr import qr_svg, qr_svg_document
from web.throttles import rate_limit_message, rate_limited

LOGIN_URL = "account_login"
# Ids are bigints: a larger number in a URL is a 404, not a database error.
MAX_ID = 2**63 - 1
PLAIN_MODE = "facile"
# The app page's section (and the tag of its messages).
ANCHOR = "selection"
# The site's forms that write selections share one budget per mediator (the API's scope).
WRITE_SCOPE = "selection_write"
ROLE_REQUEST_SCOPE = "mediator_request"
DEFAULT_ROLE_REQUEST_RATE = "5/hour"


# --- Who may come in -----------------------------------------------------------------------


def mediator_required(view):
    """Signed out: to the sign-in page. Signed in without the role: a 403 page saying how to
    ask for it. Writes count against the mediator's budget (a 429 page past it)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        mediator = mediator_of(request.user)
        if mediator is None:
            return not_a_mediator(request)
        if request.method == "POST" and (minutes := rate_limited(request, WRITE_SCOPE)):
            return render(
                request,
                "selections/refused.html",
                {"message": rate_limit_message(minutes)},
                status=429,
            )
        request.mediator = mediator
        return view(request, *args, **kwargs)

    return wrapper


def not_a_mediator(request):
    role = Mediator.objects.filter(user=request.user).first()
    return render(
        request,
        "selections/not_mediator.html",
        {"role": role, "form": MediatorRequestForm()},
        status=403,
    )


def own_selection(request, pk: int) -> Selection:
    """The mediator's own selection; anyone else's is a 404, like one that does not exist."""
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(Selection.objects.of_mediator(request.user), pk=pk)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def detail_url(selection: Selection) -> str:
    return reverse("selection_detail", args=[selection.pk])


def shared_url(request, selection: Selection) -> str:
    """The link given to the person: absolute, on the site's public address."""
    return absolute_url(request, reverse("selection_shared", args=[selection.token]))


# --- The mediators' space ------------------------------------------------------------------


@mediator_required
def space(request):
    """The mediator's selections (newest changes first) and the ready-made paths to copy."""
    selections = list(
        Selection.objects.of_mediator(request.user)
        .annotate(item_count=Count("items"))
        .order_by("-updated_at", "-pk")
    )
    paths = list(
        Selection.objects.published_paths()
        .prefetch_related(
            Prefetch(
                "items",
                queryset=SelectionItem.objects.filter(app__in=AppPage.objects.visible())
                .select_related("app")
                .order_by("sort_order", "pk"),
            )
        )
        .order_by("title", "pk")
    )
    return render(
        request,
        "selections/space.html",
        {
            "mediator": request.mediator,
            "drafts": [s for s in selections if s.is_draft],
            "shared": [s for s in selections if not s.is_draft],
            "paths": paths,
        },
    )


@mediator_required
@require_http_methods(["GET", "POST"])
def create(request):
    form = SelectionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            selection = services.create_selection(
                request.user,
                title=form.cleaned_data["title"],
                message=form.cleaned_data["message"],
            )
            messages.success(request, _("La sélection est créée : ajoutez-y des applications."))
            return redirect(detail_url(selection))
        return render(request, "selections/create.html", {"form": form}, status=400)
    return render(request, "selections/create.html", {"form": form})


def selection_items(selection: Selection):
    """The selection's apps that anyone may see, in order, with what a page shows of them."""
    return list(
        SelectionItem.objects.filter(selection=selection, app__in=AppPage.objects.visible())
        .select_related("app__publisher", "app__icon")
        .prefetch_related(
            Prefetch("app__listings", queryset=AppListing.objects.order_by("sort_order")),
            renditions.renditions_of("app__icon", renditions.CARD_ICON),
        )
        .order_by("sort_order", "pk")
    )


def detail_context(request, selection: Selection, form=None, note_errors=None) -> dict:
    items = selection_items(selection)
    context = {
        "selection": selection,
        "items": items,
        "form": form
        or SelectionForm(initial={"title": selection.title, "message": selection.message}),
        "note_errors": note_errors or {},
        "share_form": ShareForm(
            default_days=services.link_days_default(), max_days=services.link_days_max()
        ),
        "search_url": reverse("search"),
    }
    for item in items:
        item.error = context["note_errors"].get(item.pk)
    if selection.token and selection.link_is_open():
        link = shared_url(request, selection)
        context["link"] = link
        context["qr"] = qr_svg(link, title=_("QR code du lien de la sélection"))
    return context


@mediator_required
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    """A draft's edit page (title, message, notes, order), or a shared one's link and QR."""
    selection = own_selection(request, pk)
    if request.method == "GET":
        return render(request, "selections/detail.html", detail_context(request, selection))
    if not selection.is_draft:
        messages.error(request, _("Cette sélection est partagée : elle ne change plus."))
        return redirect(detail_url(selection))
    form = SelectionForm(request.POST)
    item_ids = set(selection.items.values_list("pk", flat=True))
    notes, removed, move, note_errors = item_notes(request.POST, item_ids)
    if not form.is_valid() or note_errors:
        messages.error(request, _("Rien n'a été enregistré : corrigez les erreurs signalées."))
        context = detail_context(request, selection, form=form, note_errors=note_errors)
        return render(request, "selections/detail.html", context, status=400)
    try:
        services.update_selection(
            selection, title=form.cleaned_data["title"], message=form.cleaned_data["message"]
        )
        services.edit_items(selection, notes, removed, move)
    except services.SelectionError as refused:
        messages.error(request, refused.message)
        return redirect(detail_url(selection))
    if move is None:
        messages.success(request, _("La sélection est enregistrée."))
    anchor = f"#element-{move[0]}" if move else ""
    return redirect(detail_url(selection) + anchor)


@mediator_required
@require_POST
def share(request, pk: int):
    selection = own_selection(request, pk)
    form = ShareForm(
        request.POST,
        default_days=services.link_days_default(),
        max_days=services.link_days_max(),
    )
    if not form.is_valid():
        messages.error(request, _("Choisissez une durée pour le lien."))
        return redirect(detail_url(selection))
    try:
        services.share(selection, form.cleaned_data["days"])
    except services.SelectionError as refused:
        messages.error(request, refused.message)
        return redirect(detail_url(selection))
    messages.success(
        request,
        _("La sélection est partagée : donnez le lien, le QR code ou la page imprimée."),
    )
    return redirect(detail_url(selection))


@mediator_required
@require_POST
def revoke(request, pk: int):
    selection = own_selection(request, pk)
    try:
        services.revoke(selection)
    except services.SelectionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Le lien ne fonctionne plus."))
    return redirect(detail_url(selection))


@mediator_required
@require_POST
def duplicate(request, pk: int):
    source = own_selection(request, pk)
    copy = services.duplicate(source, request.user)
    messages.success(request, _("Voici une copie modifiable de la sélection."))
    return redirect(detail_url(copy))


@mediator_required
@require_POST
def copy_path(request, pk: int):
    """A mediator copies a ready-made path, to adapt it."""
    if pk > MAX_ID:
        raise Http404
    path = get_object_or_404(Selection.objects.published_paths(), pk=pk)
    copy = services.duplicate(path, request.user)
    messages.success(request, _("Le parcours est copié : adaptez-le pour la personne."))
    return redirect(detail_url(copy))


@mediator_required
@require_POST
def delete(request, pk: int):
    selection = own_selection(request, pk)
    try:
        services.delete_draft(selection)
    except services.SelectionError as refused:
        messages.error(request, refused.message)
        return redirect(detail_url(selection))
    messages.success(request, _("Le brouillon est supprimé."))
    return redirect("selection_space")


def open_link_or_404(selection: Selection) -> None:
    if not (selection.token and selection.link_is_open()):
        raise Http404


PRINT_DEVICES = [
    ("", gettext_lazy("Tous les appareils")),
    (Platform.ANDROID, "Android"),
    (Platform.IOS, gettext_lazy("iPhone ou iPad")),
    (Platform.WINDOWS, "Windows"),
    (Platform.MACOS, "Mac"),
    (Platform.WEB, gettext_lazy("Navigateur web")),
]


@mediator_required
def print_page(request, pk: int):
    """The A4 printout: per app its name, what it is for, how to install it on the person's
    device (``?appareil=``), the QR code of its page; the link and its QR code on top."""
    selection = own_selection(request, pk)
    if not (selection.token and selection.link_is_open()):
        messages.error(request, _("Partagez la sélection pour pouvoir l'imprimer."))
        return redirect(detail_url(selection))
    device = request.GET.get("appareil", "")
    if device not in Platform.values:
        device = ""
    items = prepared_items(request, selection, device or None)
    for item in items:
        item.page_url = absolute_url(request, item.app.get_url(request) or "")
        item.qr = qr_svg(
            item.page_url, title=_("QR code de la page de %(app)s") % {"app": item.app.title}
        )
    link = shared_url(request, selection)
    return render(
        request,
        "selections/print.html",
        {
            "selection": selection,
            "organisation": request.mediator.organisation,
            "items": items,
            "link": link,
            "qr": qr_svg(link, title=_("QR code du lien de la sélection")),
            "device": device,
            "devices": PRINT_DEVICES,
        },
    )


@mediator_required
def qr_download(request, pk: int):
    """The link's QR code as an SVG file (for a message, a poster…)."""
    selection = own_selection(request, pk)
    open_link_or_404(selection)
    body = qr_svg_document(shared_url(request, selection), title=selection.title)
    response = HttpResponse(body, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="selection-{selection.pk}.svg"'
    return response


@mediator_required
@require_http_methods(["GET", "POST"])
def add_app(request, app_id: int):
    """ "Ajouter à une sélection": from an app page (POST) or a search result (GET: this page,
    to choose the selection)."""
    if app_id > MAX_ID:
        raise Http404
    app = get_object_or_404(AppPage.objects.visible(), pk=app_id)
    drafts = list(
        Selection.objects.of_mediator(request.user)
        .filter(status=Selection.Status.DRAFT)
        .order_by("-updated_at", "-pk")
    )
    back = safe_next(request, app.get_url(request) or reverse("selection_space"))
    form = AddToSelectionForm(request.POST or None, drafts=drafts)
    if request.method == "GET" or not form.is_valid():
        status = 200 if request.method == "GET" else 400
        return render(
            request,
            "selections/add_app.html",
            {"app": app, "form": form, "next": back},
            status=status,
        )
    try:
        if form.cleaned_data["selection"] == NEW_SELECTION:
            selection = services.create_selection(
                request.user, title=form.cleaned_data["new_title"]
            )
        else:
            selection = next(d for d in drafts if str(d.pk) == form.cleaned_data["selection"])
        added = services.add_app(selection, app, form.cleaned_data["note"])
    except services.SelectionError as refused:
        messages.error(request, refused.message, extra_tags=ANCHOR)
        return redirect(back)
    message = (
        _("« %(app)s » est ajoutée à « %(selection)s ».")
        if added
        else _("« %(app)s » était déjà dans « %(selection)s ».")
    )
    messages.success(
        request, message % {"app": app.title, "selection": selection.title}, extra_tags=ANCHOR
    )
    return redirect(back)


@login_required(login_url=LOGIN_URL)
@require_POST
def request_role(request):
    """A signed-in person asks for the mediator role; an editor grants it in the admin."""
    if mediator_of(request.user) is not None:
        return redirect("selection_space")
    form = MediatorRequestForm(request.POST)
    if not form.is_valid():
        role = Mediator.objects.filter(user=request.user).first()
        return render(
            request,
            "selections/not_mediator.html",
            {"role": role, "form": form},
            status=400,
        )
    if minutes := rate_limited(request, ROLE_REQUEST_SCOPE, DEFAULT_ROLE_REQUEST_RATE):
        return render(
            request, "selections/refused.html", {"message": rate_limit_message(minutes)}, status=429
        )
    services.request_mediator_role(request.user, form.cleaned_data["organisation"])
    forget(request.user)
    messages.success(
        request, _("Votre demande est envoyée : l'équipe éditoriale vous donnera accès.")
    )
    return redirect("selection_space")


# --- The shared page -----------------------------------------------------------------------


def prepared_items(request, selection: Selection, platform: str | None):
    """The items with their listings ordered for ``platform`` (recommended first)."""
    items = selection_items(selection)
    for item in items:
        listings, recommended = ordered_listings(item.app.listings.all(), platform)
        for listing in listings:
            listing.recommended = listing is recommended
        item.listings = listings
        item.recommended = recommended
        item.url = item.app.get_url(request)
    return items


def open_selection(token: str) -> Selection:
    """The selection of an open link; a guessed, expired or revoked one is the same 404."""
    if not TOKEN_PATTERN.match(token):
        raise Http404
    selection = (
        Selection.objects.open_links().filter(token=token).select_related("owner__mediator").first()
    )
    if selection is None:
        raise Http404
    return selection


@require_GET
def shared(request, token: str):
    try:
        selection = open_selection(token)
    except Http404:
        return render(request, "selections/link_invalid.html", status=404)
    plain = request.GET.get("mode") == PLAIN_MODE
    platform = visitor_platform(request)
    items = prepared_items(request, selection, platform)
    user = request.user
    is_owner = user.is_authenticated and user.pk == selection.owner_id
    # Opened from outside the site (a QR code, a text message, a typed link): counted once per
    # arrival, not when switching modes on the page; the mediator's own visits never count.
    arrived = request.headers.get("Sec-Fetch-Site", "none") != "same-origin"
    if arrived and not is_owner and request.method == "GET":
        services.count_open(selection)
    is_kept = (
        user.is_authenticated
        and SavedSelection.objects.filter(user=user, selection=selection).exists()
    )
    mediator = getattr(selection.owner, "mediator", None)
    page_url = reverse("selection_shared", args=[token])
    response = render(
        request,
        "selections/shared.html",
        {
            "selection": selection,
            "organisation": mediator.organisation if mediator else "",
            "items": items,
            "plain": plain,
            "visitor_platform": platform,
            "page_url": page_url,
            "plain_url": f"{page_url}?mode={PLAIN_MODE}",
            "is_kept": is_kept,
            "login_url": f"{reverse(LOGIN_URL)}?next={quote(page_url)}",
        },
    )
    # The token is the key: no other site learns it from a Referer, and no shared cache
    # keeps the page (it varies with the device, and says whether the person kept it).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-cache"
    response["Accept-CH"] = "Sec-CH-UA-Platform"
    response["Vary"] = "User-Agent, Sec-CH-UA-Platform, Cookie"
    return response


@require_POST
def keep(request, token: str):
    """Keep (keep=1) the selection in one's favourites, or let it go (keep=0)."""
    try:
        selection = open_selection(token)
    except Http404:
        return render(request, "selections/link_invalid.html", status=404)
    page_url = reverse("selection_shared", args=[token])
    if not request.user.is_authenticated:
        return redirect_to_login(page_url, LOGIN_URL)
    if request.POST.get("keep") == "0":
        services.forget_saved(request.user, selection.pk)
        messages.success(request, _("La sélection est retirée de vos favoris."))
    else:
        services.keep(request.user, selection)
        messages.success(request, _("La sélection est dans vos favoris."))
    return redirect(page_url + "#garder")


@login_required(login_url=LOGIN_URL)
def saved(request):
    """The selections the person keeps: open links first; an expired or revoked one says so."""
    kept = list(
        SavedSelection.objects.filter(user=request.user)
        .select_related("selection__owner__mediator")
        .annotate(
            app_count=Count(
                "selection__items",
                filter=Q(selection__items__app__in=AppPage.objects.visible()),
            )
        )
        .order_by("-created_at", "-pk")
    )
    for item in kept:
        item.is_open = item.selection.link_is_open()
        mediator = getattr(item.selection.owner, "mediator", None)
        item.organisation = mediator.organisation if mediator else ""
    return render(request, "selections/saved.html", {"kept": kept})


@login_required(login_url=LOGIN_URL)
@require_POST
def forget_kept(request, pk: int):
    if pk > MAX_ID:
        raise Http404
    services.forget_saved(request.user, pk)
    messages.success(request, _("La sélection est retirée de vos favoris."))
    return redirect("account_saved_selections")


# --- "Ajouter à une sélection" on the app page and under search results --------------------

SECTION_TEMPLATE = "selections/app_section.html"
SECTION_HEAD_TEMPLATE = "selections/head.html"
CARD_ACTION_TEMPLATE = "selections/card_action.html"


def add_selection_section(request, app: AppPage, context: dict, bound_forms: dict) -> None:
    """The app page's "Ajouter à une sélection" form, for mediators (APP_PAGE_CONTEXT_HOOK)."""
    if app.pk is None or mediator_of(request.user) is None:
        return
    drafts = list(
        Selection.objects.of_mediator(request.user)
        .filter(status=Selection.Status.DRAFT)
        .order_by("-updated_at", "-pk")
    )
    context["sections"].append(
        {
            "template": SECTION_TEMPLATE,
            "head_template": SECTION_HEAD_TEMPLATE,
            "context": {
                "form": AddToSelectionForm(drafts=drafts, auto_id="selection_%s"),
                "action": reverse("selection_add_app", args=[app.pk]),
                "next": f"{app.get_url(request)}#{ANCHOR}",
            },
        }
    )


def card_action(request) -> dict | None:
    """Under each search result, for mediators: a link to add the app (web.cards)."""
    if mediator_of(request.user) is None:
        return None
    return {"template": CARD_ACTION_TEMPLATE, "context": {"next": request.get_full_path()}}
