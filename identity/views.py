"""The site's OpenID sign-in (start, return from the provider) and « Identités et appareils ».

Starting is a POST (the buttons are forms): it keeps the flow's state, nonce and PKCE verifier
in the session, under its state, and sends the browser to the provider. The return checks the
state (one use), trades the code, verifies the ID token, then signs in, creates the account,
links it (when already signed in) or asks for the password once (an account has that e-mail).
Anything wrong is refused with a 400 page, nothing created.
"""

import logging

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from identity import oidc, services, tokens
from identity.models import DeviceToken
from identity.oidc import OidcError
from web.forms import DsfrFormMixin
from web.throttles import rate_limit_message, rate_limited

logger = logging.getLogger(__name__)

FLOWS_KEY = "identity_flows"
MAX_PENDING_FLOWS = 4
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_URL = "account_login"
# Starts and returns per address: each may call the provider (keys, token, userinfo).
SIGN_IN_SCOPE = "oidc_sign_in"


def provider_label(name: str) -> str:
    return {oidc.FRANCECONNECT: "FranceConnect", oidc.PROCONNECT: "ProConnect"}.get(name, name)


def safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def callback_uri(request, provider_name: str) -> str:
    return request.build_absolute_uri(reverse("identity_callback", args=[provider_name]))


def refused(request, reason: str, status: int = 400, message: str = ""):
    logger.warning("OpenID sign-in refused: %s", reason)
    context = {"reason": reason, "message": message}
    return render(request, "identity/refused.html", context, status=status)


def too_many(request):
    """The refusal page (429) when this address started or ended too many sign-ins, else None."""
    minutes = rate_limited(request, SIGN_IN_SCOPE)
    return refused(request, "throttled", 429, rate_limit_message(minutes)) if minutes else None


@require_POST
def start(request, provider_name: str):
    provider = oidc.get_provider(provider_name)
    if provider is None:
        raise Http404
    if refusal := too_many(request):
        return refusal
    try:
        authorization = oidc.authorization(provider, callback_uri(request, provider_name))
    except OidcError as error:
        logger.warning("%s unavailable: %s", provider_name, error)
        return refused(request, "unavailable", status=503)
    flows = request.session.get(FLOWS_KEY) or {}
    # A few flows at once (several tabs); the oldest are forgotten.
    flows = dict(list(flows.items())[-(MAX_PENDING_FLOWS - 1) :])
    flows[authorization.state] = {
        "provider": provider_name,
        "nonce": authorization.nonce,
        "code_verifier": authorization.code_verifier,
        "next": safe_next(request, request.POST.get("next", "")),
    }
    request.session[FLOWS_KEY] = flows
    return redirect(authorization.url)


@require_GET
@never_cache
def callback(request, provider_name: str):
    provider = oidc.get_provider(provider_name)
    if provider is None:
        raise Http404
    if refusal := too_many(request):
        return refusal
    state = request.GET.get("state", "")
    flows = request.session.get(FLOWS_KEY) or {}
    flow = flows.pop(state, None) if state else None
    request.session[FLOWS_KEY] = flows
    if not isinstance(flow, dict) or flow.get("provider") != provider_name:
        return refused(request, "state")
    if request.GET.get("error") or not request.GET.get("code"):
        return refused(request, "cancelled")
    # RFC 9207: a provider that names itself must be the one the flow went to (mix-up attack).
    if "iss" in request.GET and request.GET["iss"].rstrip("/") != provider.issuer:
        return refused(request, "issuer")
    try:
        identity = oidc.exchange_code(
            provider,
            code=request.GET["code"],
            code_verifier=flow["code_verifier"],
            redirect_uri=callback_uri(request, provider_name),
            nonce=flow["nonce"],
        )
    except OidcError as error:
        return refused(request, error.reason)
    next_url = safe_next(request, flow.get("next", ""))
    label = provider_label(provider_name)

    if request.user.is_authenticated:
        # Signed in already: the owner links this identity to their account.
        try:
            services.link(request.user, identity)
        except services.IdentityRefused:
            return refused(request, "linked_elsewhere")
        messages.success(request, _("Votre identité %(provider)s est liée.") % {"provider": label})
        return redirect(next_url or "identity_account")

    try:
        outcome = services.sign_in(identity)
    except services.IdentityRefused as error:
        return refused(request, error.reason)
    if outcome.needs_proof:
        services.remember_pending_link(request.session, identity)
        messages.info(
            request,
            _(
                "Un compte utilise déjà l'adresse %(email)s. Si c'est le vôtre, connectez-vous "
                "une fois avec son mot de passe : votre identité %(provider)s y sera liée."
            )
            % {"email": identity.email, "provider": label},
        )
        target = reverse(LOGIN_URL)
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    # The receiver of user_logged_in links pending identities after a password only.
    request.identity_provider_sign_in = True
    login(request, outcome.user, backend=MODEL_BACKEND)
    request.session[services.LOGOUT_KEY] = {
        "provider": provider_name,
        "id_token": identity.id_token,
    }
    if outcome.created:
        messages.success(
            request,
            _("Votre compte est créé avec %(provider)s. Bienvenue, %(username)s !")
            % {"provider": label, "username": outcome.user.get_username()},
        )
    else:
        messages.success(request, _("Connexion réussie."))
    return redirect(next_url or "/")


def provider_logout_url(request) -> str:
    """Where sign-out continues, at the provider that signed this session in ("" if none).

    Read before the session is flushed (store.accounts.SignOutView).
    """
    data = request.session.get(services.LOGOUT_KEY)
    if not isinstance(data, dict) or not data.get("id_token"):
        return ""
    return oidc.end_session_url(
        data.get("provider", ""), data["id_token"], request.build_absolute_uri("/")
    )


# --- « Identités et appareils » ----------------------------------------------------------------


class NewPasswordForm(DsfrFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mot de passe")
        self.fields["new_password2"].label = _("Confirmation du mot de passe")
        self.fields["new_password2"].help_text = _(
            "Saisissez le même mot de passe une seconde fois."
        )


def _account_page(request, password_form=None, status=200):
    identities = list(request.user.linked_identities.order_by("provider", "linked_at"))
    linked = {identity.provider for identity in identities}
    context = {
        "section": "identities",
        "identities": [
            {"row": identity, "label": provider_label(identity.provider)} for identity in identities
        ],
        "can_unlink": request.user.has_usable_password() or len(identities) > 1,
        "devices": DeviceToken.objects.filter(user=request.user).order_by("-last_used_at", "-pk"),
        "inactivity_days": tokens.inactivity_limit().days,
        "linkable": [
            {"name": name, "label": provider_label(name)}
            for name in oidc.configured()
            if name not in linked
        ],
        "has_password": request.user.has_usable_password(),
        "password_form": password_form
        or (None if request.user.has_usable_password() else NewPasswordForm(request.user)),
    }
    return render(request, "identity/account.html", context, status=status)


@require_GET
@never_cache
@login_required(login_url=LOGIN_URL)
def account(request):
    return _account_page(request)


@require_POST
@login_required(login_url=LOGIN_URL)
def unlink(request, identity_id: int):
    if services.unlink(request.user, identity_id):
        messages.success(request, _("L'identité est déliée de votre compte."))
    else:
        messages.error(
            request,
            _(
                "Cette identité est votre seul moyen de connexion : définissez d'abord un mot "
                "de passe."
            ),
        )
    return redirect("identity_account")


@require_POST
@login_required(login_url=LOGIN_URL)
def revoke_device(request, token_id: int):
    if tokens.revoke(request.user, token_id):
        messages.success(request, _("L'appareil est déconnecté."))
    return redirect("identity_account")


@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["POST"])
@login_required(login_url=LOGIN_URL)
def set_password(request):
    """For an account without a password (created by an identity): set one."""
    if request.user.has_usable_password():
        return redirect("account_password")
    form = NewPasswordForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, password_form=form, status=400)
    form.save()
    update_session_auth_hash(request, form.user)
    messages.success(request, _("Votre mot de passe est enregistré."))
    return redirect("identity_account")


urlpatterns = [
    path("compte/connexion/<slug:provider_name>/", start, name="identity_start"),
    path("compte/connexion/<slug:provider_name>/retour/", callback, name="identity_callback"),
    path("compte/identites/", account, name="identity_account"),
    path("compte/identites/<int:identity_id>/delier/", unlink, name="identity_unlink"),
    path("compte/identites/mot-de-passe/", set_password, name="identity_set_password"),
    path("compte/appareils/<int:token_id>/deconnecter/", revoke_device, name="identity_revoke"),
]
