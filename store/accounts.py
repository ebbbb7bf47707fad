"""The public site's accounts: sign up, sign in and out, password reset, my favourites.

Same accounts as the admin: an editor or a publisher member signed in here is signed in there.
"Mes avis" (/compte/avis/) lives with the reviews (reviews.views.my_reviews); the rest of
« Mon compte » (profile, my data, deletion) with store.my_account. The routes are
``urlpatterns`` below, included by store/urls.py.

Every form posts to the server and works without JavaScript. Forms that try a password or send
an e-mail (sign in, sign up, password reset) share the API's sign-in budget ("auth" throttle
scope), per address.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue import renditions
from catalogue.models import AppListing, AppPage, Favourite
from catalogue.services import remove_favourite
from identity.views import provider_logout_url
from store.models import AccountSettings
from web.forms import DsfrFormMixin
from web.throttles import rate_limit_message, rate_limited

LOGIN_URL = "account_login"
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
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"])
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "Un compte existe déjà avec cette adresse e-mail. Si c'est le vôtre, "
                    "connectez-vous ou réinitialisez votre mot de passe."
                ),
                code="duplicate_email",
            )
        return email


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


# --- Sign in and out --------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    # Without a safe ?next=, home (so LOGIN_REDIRECT_URL, shared with nothing else, is unused).
    next_page = "/"

    def post(self, request, *args, **kwargs):
        # Password guessing gets the API's sign-in budget ("auth" scope), per address.
        if minutes := rate_limited(request, "auth"):
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
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "/")
    status = 200
    refused = None
    if request.method == "POST":
        if minutes := rate_limited(request, "auth"):
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
                user = form.save()
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Votre compte est créé. Bienvenue, %(username)s !")
                    % {"username": user.get_username()},
                )
                return redirect(next_url or "/")
    else:
        form = SignUpForm()
    context = {"form": form, "next": next_url, "refused": refused}
    return render(request, "registration/signup.html", context, status=status)


# --- Password reset ---------------------------------------------------------------------------


class ResetView(auth_views.PasswordResetView):
    """Asks for an address; the same answer whether or not an account uses it."""

    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        # Each accepted request may send an e-mail: the sign-in budget keeps it from bombing.
        if minutes := rate_limited(request, "auth"):
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


urlpatterns = [
    path("compte/connexion/", SignInView.as_view(), name="account_login"),
    path("compte/deconnexion/", SignOutView.as_view(), name="account_logout"),
    path("compte/inscription/", sign_up, name="account_signup"),
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
