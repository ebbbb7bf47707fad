"""The public site's accounts: sign up, sign in and out, password reset, my favourites.

Same accounts as the admin: an editor or a publisher member signed in here is signed in there.
"Mes avis" (/compte/avis/) lives with the reviews (reviews.views.my_reviews); the rest of
« Mon compte » (profile, my data, deletion) with store.my_account. The routes are
``urlpatterns`` below, included by store/urls.py.

Every form posts to the server and works without JavaScript. Forms that try a password or send
an e-mail (sign in, sign up, password reset) share the API's sign-in budget ("auth" throttle
scope), per address; on top of it, a password tried counts against the account named
("auth_account", shared with the API's token and the admin's sign-in), and a mail sent counts
against the address it goes to ("mail_address"), whether or not an account uses it.

The Wagtail admin's sign-in and password reset (``AdminSignInView``, ``AdminResetView``) are
routed here by store/urls.py, ahead of Wagtail's own, with the same budgets.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.views import account as wagtail_account

from catalogue import renditions
from catalogue.models import AppListing, AppPage, Favourite
from catalogue.services import remove_favourite
from identity.views import provider_logout_url
from store import verification
from store.models import AccountSettings
from web.forms import DsfrFormMixin
from web.throttles import account_key, first_refusal, rate_limit_message

LOGIN_URL = "account_login"
SIGNED_UP_EMAIL = "signed_up_email"
# Where the person was going when they signed up: after the address is confirmed in the same
# browser, the sign-in leads there.
SIGNED_UP_NEXT = "signed_up_next"
FAVOURITES_PER_PAGE = 12


# --- Forms ------------------------------------------------------------------------------------


def with_rules(field, label):
    """A new password's field: the validators' rules, listed by store/account_field.html."""
    field.label = label
    field.help_text = _("Votre mot de passe doit respecter ces règles :")
    field.rules = password_validation.password_validators_help_texts()


class SignInForm(DsfrFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["password"].label = _("Mot de passe")


class SignUpForm(DsfrFormMixin, UserCreationForm):
    email = forms.EmailField(
        label=gettext_lazy("Adresse e-mail"),
        max_length=254,
        help_text=gettext_lazy(
            "Elle sert à vous envoyer un lien si vous oubliez votre mot de passe. "
            "Format attendu : nom@domaine.fr"
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["username"].help_text = _(
            "Il sera affiché avec vos avis. 150 caractères au plus : lettres, chiffres et "
            "les caractères @ . + - _"
        )
        with_rules(self.fields["password1"], _("Mot de passe"))
        self.fields["password2"].label = _("Confirmation du mot de passe")
        self.fields["password2"].help_text = _("Saisissez le même mot de passe une seconde fois.")

    def clean_email(self):
        # No error when an account already uses it: the page must not tell (sign_up mails
        # that account's owner instead).
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])


class ResetForm(DsfrFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")
        self.fields["email"].help_text = _("Format attendu : nom@domaine.fr")


class NewPasswordForm(DsfrFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_rules(self.fields["new_password1"], _("Nouveau mot de passe"))
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
        self.fields["new_password2"].help_text = _(
            "Saisissez le même mot de passe une seconde fois."
        )


def remember_language(response, language: str):
    """The chosen language for the next pages, in the language cookie (as set_language does)."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def preferred_language(user) -> str:
    """The language the person chose in "Mon compte" ("" when none)."""
    found = AccountSettings.objects.filter(user=user).values_list("language", flat=True)
    return found.first() or ""


def safe_next(request) -> str:
    """The ?next= (or posted next) when it stays on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


# --- Budgets ----------------------------------------------------------------------------------


def sign_in_refused(request) -> int | None:
    """Minutes to wait before trying a password again: per address, then per account."""
    username = request.POST.get("username", "")
    return first_refusal(
        request, [("auth", None), *([("auth_account", account_key(username))] if username else [])]
    )


def mail_refused(request, email: str) -> int | None:
    """Minutes to wait before this form may send a mail: per address, then per recipient."""
    return first_refusal(
        request, [("auth", None), *([("mail_address", account_key(email))] if email else [])]
    )


def refused_form(form, message: str):
    """The form, unvalidated (nothing is tried), carrying ``message`` as its error."""
    form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message])})
    form.cleaned_data = {}
    return form


# --- Sign in and out --------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    # Without a safe ?next=, home (so LOGIN_REDIRECT_URL, shared with nothing else, is unused).
    next_page = "/"

    def post(self, request, *args, **kwargs):
        # Password guessing gets the API's sign-in budgets: per address, per account.
        if minutes := sign_in_refused(request):
            # An unbound form: validating it would try the password anyway.
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")}
            )
            context = self.get_context_data(form=form, refused=rate_limit_message(minutes))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Connexion réussie."))
        # The language chosen in "Mon compte" follows the person from device to device.
        return remember_language(response, preferred_language(form.get_user()))


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET): the header has a small form."""

    next_page = "/"

    def post(self, request, *args, **kwargs):
        # Signed in by FranceConnect or ProConnect: sign out there too (read before the flush).
        at_provider = provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Déconnexion réussie."))
        return redirect(at_provider) if at_provider else response


# --- Sign up ----------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    """A new account, or, for an address an account already uses, a mail to its owner: the
    answer is the same (nobody learns which addresses have accounts). Either way the address
    receives a mail and nobody is signed in: the new account confirms its address by the link,
    then signs in."""
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "/")
    status = 200
    refused = None
    if request.method == "POST":
        if minutes := mail_refused(request, request.POST.get("email", "")):
            # Nothing is checked nor created; what was typed (but the passwords) stays.
            form = SignUpForm(
                initial={
                    "username": request.POST.get("username", ""),
                    "email": request.POST.get("email", ""),
                }
            )
            refused, status = rate_limit_message(minutes), 429
        else:
            form = SignUpForm(request.POST)
            if form.is_valid():
                email = form.cleaned_data["email"]
                owner = get_user_model().objects.filter(email__iexact=email).first()
                if owner is not None:
                    verification.send_already_registered(request, owner)
                else:
                    user = form.save()
                    verification.send_verification(request, user)
                request.session[SIGNED_UP_EMAIL] = email
                request.session[SIGNED_UP_NEXT] = next_url
                return redirect("account_signup_done")
    else:
        form = SignUpForm()
    context = {"form": form, "next": next_url, "refused": refused}
    return render(request, "registration/signup.html", context, status=status)


@require_GET
@never_cache
def sign_up_done(request):
    return render(
        request, "registration/signup_done.html", {"email": request.session.get(SIGNED_UP_EMAIL)}
    )


# --- E-mail verification ----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def verify_email(request, token: str):
    """The link of the mail: GET shows a button (a mail scanner opening links confirms
    nothing), POST confirms the address."""
    try:
        user = verification.read_token(token)
    except verification.LinkError as error:
        return render(
            request, "registration/verify_email.html", {"error": error.reason}, status=400
        )
    if request.method == "POST":
        verification.mark_verified(user)
        messages.success(
            request, _("Votre adresse e-mail est confirmée : vous pouvez donner votre avis.")
        )
        next_url = request.session.pop(SIGNED_UP_NEXT, "")
        if request.user.is_authenticated:
            return redirect(next_url or "/")
        sign_in = reverse(LOGIN_URL)
        return redirect(f"{sign_in}?{urlencode({'next': next_url})}" if next_url else sign_in)
    return render(request, "registration/verify_email.html", {"account": user, "token": token})


@require_POST
@login_required(login_url=LOGIN_URL)
def resend_verification(request):
    """A new link to the signed-in account's address (budgets: per address, per recipient)."""
    target = safe_next(request) or "/"
    user = request.user
    if verification.is_verified(user) or not user.email:
        return redirect(target)
    if minutes := mail_refused(request, user.email):
        messages.error(request, rate_limit_message(minutes))
        return redirect(target)
    verification.send_verification(request, user)
    messages.success(
        request,
        _("Un nouveau lien de confirmation est envoyé à %(email)s.") % {"email": user.email},
    )
    return redirect(target)


# --- Password reset ---------------------------------------------------------------------------


class ResetView(auth_views.PasswordResetView):
    """Asks for an address; the same answer whether or not an account uses it."""

    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        # Each accepted request may send an e-mail: per address and per recipient, so nobody's
        # mailbox is bombed (the same answer whether or not an account uses the address).
        if minutes := mail_refused(request, request.POST.get("email", "")):
            form = self.form_class(initial={"email": request.POST.get("email", "")})
            context = self.get_context_data(form=form, refused=rate_limit_message(minutes))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "timeout_days": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400)),
        }
        return super().form_valid(form)


class AdminSignInView(wagtail_account.LoginView):
    """Wagtail's sign-in (/admin/login/) with the site's budgets: no free password oracle."""

    def post(self, request, *args, **kwargs):
        if minutes := sign_in_refused(request):
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")}
            )
            refused_form(form, rate_limit_message(minutes))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class AdminResetView(wagtail_account.PasswordResetView):
    """Wagtail's password reset (/admin/password_reset/) with the site's budgets."""

    def post(self, request, *args, **kwargs):
        if minutes := mail_refused(request, request.POST.get("email", "")):
            form = self.get_form_class()(initial={"email": request.POST.get("email", "")})
            refused_form(form, rate_limit_message(minutes))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


# --- My favourites ----------------------------------------------------------------------------


@require_GET
@never_cache
@login_required(login_url=LOGIN_URL)
def favourites(request):
    """The user's favourite live apps, newest first; unpublished ones stay stored, unlisted."""
    icons = renditions.images_with(renditions.CARD_ICON)
    rows = (
        Favourite.objects.filter(user=request.user, app__in=AppPage.objects.visible())
        .select_related("app", "app__publisher")
        .prefetch_related(
            Prefetch("app__icon", queryset=icons),
            Prefetch("app__listings", queryset=AppListing.objects.order_by("sort_order")),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, FAVOURITES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "store/account_favourites.html",
        {
            "favourites": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
        },
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def favourite_remove(request, app_id: int):
    """Idempotent: removing an app that is not (or no longer) a favourite changes nothing.

    The API's rules (catalogue.services): popularity − 1, never below 0; the search follows.
    An app unpublished since it was added can still be removed.
    """
    title = AppPage.objects.filter(pk=app_id).values_list("title", flat=True).first()
    if remove_favourite(request.user, app_id):
        messages.success(
            request, _("« %(title)s » a été retiré de vos favoris.") % {"title": title}
        )
    target = reverse("account_favourites")
    page = request.POST.get("page", "")
    if page.isdigit() and int(page) > 1:
        target = f"{target}?page={int(page)}"
    return redirect(target)


# Wagtail's own routes for these, answered by the views above (store/urls.py puts them first).
admin_urlpatterns = [
    path("admin/login/", AdminSignInView.as_view(), name="wagtailadmin_login"),
    path("admin/password_reset/", AdminResetView.as_view(), name="wagtailadmin_password_reset"),
]

urlpatterns = [
    path("compte/connexion/", SignInView.as_view(), name="account_login"),
    path("compte/deconnexion/", SignOutView.as_view(), name="account_logout"),
    path("compte/inscription/", sign_up, name="account_signup"),
    path("compte/inscription/envoyee/", sign_up_done, name="account_signup_done"),
    path("compte/confirmation/renvoyer/", resend_verification, name="account_verify_resend"),
    path("compte/confirmation/<str:token>/", verify_email, name="account_verify"),
    path("compte/favoris/", favourites, name="account_favourites"),
    path(
        "compte/favoris/<int:app_id>/retirer/",
        favourite_remove,
        name="account_favourite_remove",
    ),
    path("compte/mot-de-passe/oublie/", ResetView.as_view(), name="password_reset"),
    path(
        "compte/mot-de-passe/oublie/envoye/",
        ResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "compte/mot-de-passe/nouveau/<uidb64>/<token>/",
        ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/modifie/",
        ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
