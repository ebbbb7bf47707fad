"""Reviews on the public site: the app page's reviews section and the forms it posts to.

The section joins the app page through the catalogue's APP_PAGE_CONTEXT_HOOK (registered in
reviews/wagtail_hooks.py). Everything works without JavaScript: every action is a plain POST
form that redirects back to the app page (``#avis``) with a message, or, when the input is
invalid, renders the app page again with the bound form and its errors so nothing typed is
lost (``AppPage.serve_with_forms``). Sorting and pagination live in the URL
(``?avis=…&avis_page=…``); unknown values fall back to the defaults.
"""

from functools import wraps
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalogue import permissions
from catalogue.models import AppPage
from reviews import services
from reviews.forms import ReplyForm, ReportForm, ReviewForm, reply_prefix, report_prefix
from reviews.models import HelpfulVote, Review, ReviewReport, author_name
from web.throttles import rate_limit_message, rate_limited

REVIEWS_PER_PAGE = 10
MY_REVIEWS_PER_PAGE = 20
DEFAULT_SORT = "recent"
SORT_LABELS = {
    "recent": gettext_lazy("Les plus récents"),
    "helpful": gettext_lazy("Les plus utiles"),
    "rating_high": gettext_lazy("Les mieux notés"),
    "rating_low": gettext_lazy("Les moins bien notés"),
}
ANCHOR = "avis"
LOGIN_URL = "account_login"
SECTION_TEMPLATE = "reviews/app_reviews.html"
SECTION_HEAD_TEMPLATE = "reviews/styles.html"


# --- The reviews section of the app page ---------------------------------------------------


def list_state(request) -> tuple[str, str | None]:
    """The sort and page asked for (a re-rendered POST carries them as hidden fields)."""
    params = request.GET if request.method == "GET" else request.POST
    sort = params.get("avis")
    return (sort if sort in Review.SORTS else DEFAULT_SORT), params.get("avis_page")


def list_url(page_url: str, sort: str, number: int | None = None) -> str:
    params = {"avis": sort} if sort != DEFAULT_SORT else {}
    if number and number > 1:
        params["avis_page"] = number
    return f"{page_url}{'?' + urlencode(params) if params else ''}#{ANCHOR}"


def histogram_rows(app: AppPage) -> list[dict]:
    counts = app.rating_histogram or {}
    total = app.rating_count
    rows = []
    for star in range(5, 0, -1):
        count = int(counts.get(str(star), 0))
        rows.append(
            {"star": star, "count": count, "percent": round(100 * count / total) if total else 0}
        )
    return rows


def add_reviews_section(request, app: AppPage, context: dict, bound_forms: dict) -> None:
    """The app page's reviews section (APP_PAGE_CONTEXT_HOOK): its template and its context."""
    context["sections"].append(
        {
            "template": SECTION_TEMPLATE,
            "head_template": SECTION_HEAD_TEMPLATE,
            "context": reviews_section(request, app, bound_forms),
        }
    )


def reviews_section(request, app: AppPage, bound: dict) -> dict | None:
    """What the app page's reviews section shows, in a number of queries that does not grow
    with the number of reviews (pinned by a test); None for a page never saved (a preview)."""
    if app.pk is None:
        return None
    user = request.user
    signed_in = user.is_authenticated
    page_url = app.get_url(request) or ""
    sort, page_number = list_state(request)

    published = Review.objects.published().filter(app=app).sorted_by(sort).for_display()
    reviews = Paginator(published, REVIEWS_PER_PAGE).get_page(page_number)
    listed = list(reviews.object_list)
    ids = [review.pk for review in listed]

    own = None
    is_member = False
    verified = signed_in and permissions.is_verified(user)
    voted: set[int] = set()
    reported: set[int] = set()
    if signed_in:
        own = Review.objects.filter(app=app, author=user).select_related("reply").first()
        is_member = services.is_publisher_member(user, app)
        if ids:
            voted = set(
                HelpfulVote.objects.filter(user=user, review__in=ids).values_list(
                    "review_id", flat=True
                )
            )
            reported = set(
                ReviewReport.objects.filter(reporter=user, review__in=ids).values_list(
                    "review_id", flat=True
                )
            )

    report_forms = bound.get("report_forms", {})
    reply_forms = bound.get("reply_forms", {})
    for review in listed:
        review.author_name = author_name(review.author)
        review.is_own = signed_in and review.author_id == user.pk
        review.voted = review.pk in voted
        review.reported = review.pk in reported
        reply = getattr(review, "reply", None)
        if verified and not review.is_own:
            review.report_form = report_forms.get(review.pk) or ReportForm(
                prefix=report_prefix(review.pk)
            )
        if is_member:
            review.reply_form = reply_forms.get(review.pk) or ReplyForm(
                prefix=reply_prefix(review.pk),
                initial={"body": reply.body} if reply else None,
            )

    review_form = bound.get("review_form")
    if review_form is None and verified and not is_member:
        initial = {"rating": own.rating, "title": own.title, "body": own.body} if own else None
        review_form = ReviewForm(initial=initial)

    return {
        "average": app.rating_average,
        "count": app.rating_count,
        "histogram": histogram_rows(app),
        "reviews": reviews,
        "listed": listed,
        "sort": sort,
        "page_number": reviews.number,
        "sorts": [
            {"value": value, "label": label, "url": list_url(page_url, value)}
            for value, label in SORT_LABELS.items()
        ],
        "previous_url": (
            list_url(page_url, sort, reviews.previous_page_number())
            if reviews.has_previous()
            else None
        ),
        "next_url": (
            list_url(page_url, sort, reviews.next_page_number()) if reviews.has_next() else None
        ),
        "own": own,
        "is_member": is_member,
        "verified": verified,
        "review_form": review_form,
        "login_url": f"{reverse(LOGIN_URL)}?next={quote(f'{page_url}#{ANCHOR}')}",
    }


# --- Helpers of the POST views -------------------------------------------------------------


def live_app(app_id: int) -> AppPage:
    return get_object_or_404(AppPage.objects.visible(), pk=app_id)


def review_for(request, review_id: int) -> tuple[Review, AppPage]:
    """A review the visitor can see on a live app page (404 otherwise)."""
    reviews = Review.objects.visible_to(request.user)
    review = get_object_or_404(reviews, pk=review_id)
    app = AppPage.objects.visible().filter(pk=review.app_id).first()
    if app is None:
        raise Http404
    review.app = app
    return review, app


def back_to(request, app: AppPage):
    """Redirect to the app's reviews, on the sort and page the form was posted from."""
    sort, page_number = list_state(request)
    number = int(page_number) if page_number and page_number.isdigit() else None
    return redirect(list_url(app.get_url(request), sort, number))


def to_login(request, app: AppPage):
    return redirect_to_login(f"{app.get_url(request)}#{ANCHOR}", LOGIN_URL)


def render_app_page(request, app: AppPage, *, status: int, **bound_forms):
    """The app page again, with the bound forms of this POST (their errors, the input kept)."""
    return app.serve_with_forms(request, bound_forms, status=status)


def forbidden(request, app: AppPage, message: str):
    messages.error(request, message)
    return render_app_page(request, app, status=403)


def invalid(request, app: AppPage, **bound_forms):
    messages.error(request, _("Rien n'a été enregistré : corrigez les erreurs signalées."))
    return render_app_page(request, app, status=400, **bound_forms)


def throttled(request, app: AppPage, minutes: int, **bound_forms):
    messages.error(request, rate_limit_message(minutes))
    return render_app_page(request, app, status=429, **bound_forms)


def review_action(view):
    """The prelude of every POST on one review: signed-out visitors go to sign in (then back to
    the app page), and the review must be one the visitor can see on a live app page (404)."""

    @require_POST
    @wraps(view)
    def action(request, review_id: int):
        if not request.user.is_authenticated:
            return anonymous(request, review_id)
        review, app = review_for(request, review_id)
        return view(request, review, app)

    return action


def held_message(review: Review, *, edited: bool) -> str:
    if review.status == Review.Status.PUBLISHED:
        if edited:
            return _("Votre avis modifié est publié.")
        return _("Merci ! Votre avis est publié.")
    reasons = ", ".join(review.held_because_labels)
    if edited:
        text = _(
            "Votre avis modifié sera publié après vérification par l'équipe éditoriale : "
            "%(reasons)s."
        )
    else:
        text = _("Votre avis sera publié après vérification par l'équipe éditoriale : %(reasons)s.")
    return text % {"reasons": reasons}


# --- Reviews -------------------------------------------------------------------------------


@require_POST
def submit_review(request, app_id: int):
    app = live_app(app_id)
    user = request.user
    if not user.is_authenticated:
        return to_login(request, app)
    if services.is_publisher_member(user, app):
        return forbidden(request, app, member_cannot_review_message())
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return invalid(request, app, review_form=form)
    if minutes := rate_limited(request, "review_post"):
        return throttled(request, app, minutes, review_form=form)
    try:
        review = services.submit_review(
            app, user, language=get_language() or "fr", **form.cleaned_data
        )
    except services.AlreadyReviewed as error:
        messages.error(request, error.message)
        return back_to(request, app)
    except services.ReviewError as error:
        messages.error(request, error.message)
        return render_app_page(request, app, status=400, review_form=form)
    level = messages.SUCCESS if review.status == Review.Status.PUBLISHED else messages.INFO
    messages.add_message(request, level, held_message(review, edited=False))
    return back_to(request, app)


def member_cannot_review_message() -> str:
    return _(
        "Vous êtes membre de l'éditeur de cette application : pour que les notes restent "
        "impartiales, vous ne pouvez pas lui donner votre avis. Vous pouvez en revanche "
        "répondre aux avis publiés."
    )


@review_action
def edit_review(request, review: Review, app: AppPage):
    user = request.user
    if review.author_id != user.pk:
        return forbidden(request, app, _("Vous ne pouvez modifier que votre propre avis."))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return invalid(request, app, review_form=form)
    if minutes := rate_limited(request, "review_post"):
        return throttled(request, app, minutes, review_form=form)
    try:
        review = services.edit_review(review, **form.cleaned_data)
    except services.ReviewError as error:
        messages.error(request, error.message)
        return render_app_page(request, app, status=400, review_form=form)
    level = messages.SUCCESS if review.status == Review.Status.PUBLISHED else messages.INFO
    messages.add_message(request, level, held_message(review, edited=True))
    return back_to(request, app)


@review_action
def delete_review(request, review: Review, app: AppPage):
    user = request.user
    if review.author_id != user.pk:
        return forbidden(request, app, _("Vous ne pouvez supprimer que votre propre avis."))
    services.delete_review(review)
    messages.success(request, _("Votre avis est supprimé."))
    return back_to(request, app)


def anonymous(request, review_id: int):
    """Signed out: off to sign in, then back to the app page (only if the review is public)."""
    review = get_object_or_404(Review.objects.published(), pk=review_id)
    return to_login(request, live_app(review.app_id))


# --- Helpful votes and reports -------------------------------------------------------------


@review_action
def helpful(request, review: Review, app: AppPage):
    user = request.user
    if review.author_id == user.pk:
        return forbidden(request, app, _("Vous ne pouvez pas voter pour votre propre avis."))
    if minutes := rate_limited(request, "review_vote"):
        return throttled(request, app, minutes)
    vote = request.POST.get("helpful") != "0"
    try:
        services.set_helpful(review, user, helpful=vote)
    except services.NotAllowed as error:
        return forbidden(request, app, error.message)
    if vote:
        messages.success(request, _("Merci, votre vote « utile » est enregistré."))
    else:
        messages.success(request, _("Votre vote « utile » est retiré."))
    return back_to(request, app)


@review_action
def report(request, review: Review, app: AppPage):
    user = request.user
    if review.author_id == user.pk:
        return forbidden(request, app, _("Vous ne pouvez pas signaler votre propre avis."))
    form = ReportForm(request.POST, prefix=report_prefix(review.pk))
    if not form.is_valid():
        return invalid(request, app, report_forms={review.pk: form})
    if minutes := rate_limited(request, "review_report"):
        return throttled(request, app, minutes, report_forms={review.pk: form})
    try:
        services.report_review(review, user, **form.cleaned_data)
    except services.NotAllowed as error:
        return forbidden(request, app, error.message)
    except services.ReviewError as error:
        messages.warning(request, error.message)
        return back_to(request, app)
    messages.success(request, _("Merci, votre signalement est transmis à l'équipe éditoriale."))
    return back_to(request, app)


# --- Publisher replies ---------------------------------------------------------------------


@review_action
def save_reply(request, review: Review, app: AppPage):
    user = request.user
    if not services.is_publisher_member(user, app):
        return forbidden(request, app, not_member_message())
    form = ReplyForm(request.POST, prefix=reply_prefix(review.pk))
    if not form.is_valid():
        return invalid(request, app, reply_forms={review.pk: form})
    if minutes := rate_limited(request, "review_post"):
        return throttled(request, app, minutes, reply_forms={review.pk: form})
    try:
        _reply, created = services.save_reply(review, user, form.cleaned_data["body"])
    except services.NotAllowed as error:
        return forbidden(request, app, error.message)
    messages.success(
        request, _("Votre réponse est publiée.") if created else _("Votre réponse est modifiée.")
    )
    return back_to(request, app)


@review_action
def delete_reply(request, review: Review, app: AppPage):
    user = request.user
    if not services.is_publisher_member(user, app):
        return forbidden(request, app, not_member_message())
    try:
        deleted = services.delete_reply(review, user)
    except services.NotAllowed as error:
        return forbidden(request, app, error.message)
    if deleted:
        messages.success(request, _("Votre réponse est supprimée."))
    else:
        messages.info(request, _("Cet avis n'a pas de réponse à supprimer."))
    return back_to(request, app)


def not_member_message() -> str:
    return _("Seuls les membres de l'éditeur de l'application peuvent répondre.")


# --- The signed-in user's reviews ----------------------------------------------------------


@require_GET
@login_required(login_url=LOGIN_URL)
def my_reviews(request):
    reviews = (
        Review.objects.filter(author=request.user)
        .select_related("app", "reply")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reviews, MY_REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/my_reviews.html", {"reviews": page})
