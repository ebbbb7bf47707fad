"""The two forms of the app page that belong to the catalogue: favourite toggle, problem report.

Like the reviews section, everything works without JavaScript: each action is a plain POST
form that redirects back to the app page (to the section it came from, with a message), or,
when the input is invalid, renders the app page again with the bound form and its errors
(``AppPage.serve_with_forms``). The page's context is catalogue.app_page's.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.forms import ProblemReportForm
from catalogue.models import AppPage, AppProblemReport
from catalogue.services import add_favourite, remove_favourite
from web.throttles import rate_limited

LOGIN_URL = "account_login"
# Anchors of the app page's sections the forms come back to (and show their message in).
FAVOURITE_ANCHOR = "favori"
REPORT_ANCHOR = "signaler"
REPORT_SCOPE = "app_problem_report"
DEFAULT_REPORT_RATE = "10/hour"


def live_app(app_id: int) -> AppPage:
    return get_object_or_404(AppPage.objects.visible(), pk=app_id)


def back_to(request, app: AppPage, anchor: str):
    return redirect(f"{app.get_url(request)}#{anchor}")


@require_POST
def toggle_favourite(request, app_id: int):
    """Add (favourite=1) or remove (favourite=0) the app: the API's rules, then back."""
    app = live_app(app_id)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(f"{app.get_url(request)}#{FAVOURITE_ANCHOR}", LOGIN_URL)
    if request.POST.get("favourite") == "0":
        remove_favourite(user, app.pk)
        message = _("« %(title)s » est retirée de vos favoris.")
    else:
        add_favourite(user, app)
        message = _("« %(title)s » est ajoutée à vos favoris.")
    messages.success(request, message % {"title": app.title}, extra_tags=FAVOURITE_ANCHOR)
    return back_to(request, app, FAVOURITE_ANCHOR)


@require_POST
def report_problem(request, app_id: int):
    app = live_app(app_id)
    user = request.user
    form = ProblemReportForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(
            request,
            _("Rien n'a été envoyé : corrigez les erreurs signalées."),
            extra_tags=REPORT_ANCHOR,
        )
        return app.serve_with_forms(request, {"problem_form": form}, status=400)
    if rate_limited(request, REPORT_SCOPE, DEFAULT_REPORT_RATE):
        messages.error(
            request,
            _("Trop de signalements en peu de temps : réessayez plus tard."),
            extra_tags=REPORT_ANCHOR,
        )
        return app.serve_with_forms(request, {"problem_form": form}, status=429)
    AppProblemReport.objects.create(
        app=app,
        reason=form.cleaned_data["reason"],
        message=form.cleaned_data["message"].strip(),
        email="" if user.is_authenticated else form.cleaned_data.get("email", ""),
        user=user if user.is_authenticated else None,
    )
    messages.success(
        request, _("Merci, l'équipe éditoriale va vérifier."), extra_tags=REPORT_ANCHOR
    )
    return back_to(request, app, REPORT_ANCHOR)
