"""« Mon compte »: the profile (name, e-mail, password, language, notification preferences),
my data (readable page and JSON download) and the deletion of the account.

Routes in ``urlpatterns`` below, included by store/urls.py. The data and the deletion are
store.personal_data's; the API's /api/v1/me/ and /api/v1/me/export/ (store/api/me.py) use the
same functions. Every form that checks the password shares the sign-in budget ("auth" scope).
"""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.services import publishers_only_member_of
from store import email_links, verification
from store.accounts import LOGIN_URL, remember_language, with_rules
from store.models import AccountSettings
from store.personal_data import AccountDeletionRefused, delete_account, export
from web.forms import DsfrFormMixin
from web.throttles import rate_limit_message, rate_limited

EMAIL_CHANGE = "email-change"
KEEP, DELETE = "keep", "delete"


def password_field(label):
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


# --- Forms ------------------------------------------------------------------------------------


class ProfileForm(DsfrFormMixin, forms.Form):
    first_name = forms.CharField(
        label=gettext_lazy("Prénom"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Facultatif. Vos avis sont signés de votre prénom."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=gettext_lazy("Nom"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Facultatif. Seule son initiale est affichée avec vos avis."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Langue du site et des e-mails"),
        choices=[("", gettext_lazy("Celle de mon navigateur")), *settings.LANGUAGES],
        required=False,
    )
    notify_review_reply = forms.BooleanField(
        label=gettext_lazy("Quand un éditeur répond à l'un de mes avis"), required=False
    )
    notify_review_moderation = forms.BooleanField(
        label=gettext_lazy("Quand l'équipe éditoriale refuse ou retire l'un de mes avis"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.attrs["class"] = "fr-select"


class EmailChangeForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Nouvelle adresse e-mail"),
        max_length=254,
        help_text=gettext_lazy(
            "Un lien vous sera envoyé à cette adresse : elle remplacera l'actuelle quand vous "
            "l'aurez suivi. Format attendu : nom@domaine.fr"
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = password_field(gettext_lazy("Mot de passe actuel"))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"])
        if email.lower() == (self.user.email or "").lower():
            raise ValidationError(_("C'est déjà votre adresse."), code="same_email")
        if get_user_model().objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise ValidationError(
                _("Un autre compte utilise déjà cette adresse e-mail."), code="duplicate_email"
            )
        return email

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise ValidationError(_("Mot de passe incorrect."), code="wrong_password")
        return self.cleaned_data["password"]


class NewPasswordForm(DsfrFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mot de passe actuel")
        with_rules(self.fields["new_password1"], _("Nouveau mot de passe"))
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
        self.fields["new_password2"].help_text = _(
            "Saisissez le même mot de passe une seconde fois."
        )


class DeleteAccountForm(DsfrFormMixin, forms.Form):
    reviews = forms.ChoiceField(
        label=gettext_lazy("Vos avis"),
        choices=[
            (KEEP, gettext_lazy("Les garder, signés « Utilisateur supprimé » (par défaut)")),
            (DELETE, gettext_lazy("Les supprimer")),
        ],
        initial=KEEP,
        widget=forms.RadioSelect,
    )
    password = password_field(gettext_lazy("Mot de passe"))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("Pour confirmer que c'est bien vous.")
        if not user.has_usable_password():
            # An account created by FranceConnect or ProConnect has no password to type: the
            # signed-in session is the proof (identity/).
            del self.fields["password"]

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise ValidationError(_("Mot de passe incorrect."), code="wrong_password")
        return self.cleaned_data["password"]


# --- Views ------------------------------------------------------------------------------------


@require_GET
@never_cache
@login_required(login_url=LOGIN_URL)
def home(request):
    return render(
        request,
        "store/account_home.html",
        {"account_settings": AccountSettings.of(request.user), "section": "home"},
    )


@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    current = AccountSettings.of(user)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": current.language,
        "notify_review_reply": current.notify_review_reply,
        "notify_review_moderation": current.notify_review_moderation,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user.first_name, user.last_name = data["first_name"], data["last_name"]
            user.save(update_fields=["first_name", "last_name"])
            for name in ("language", "notify_review_reply", "notify_review_moderation"):
                setattr(current, name, data[name])
            current.save()
        if data["language"]:
            translation.activate(data["language"])
        messages.success(request, _("Votre profil est enregistré."))
        return remember_language(redirect("account_profile"), data["language"])
    return render(
        request,
        "store/account_profile.html",
        {"form": form, "section": "profile"},
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("password")
@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def email_change(request):
    refused, status = None, 200
    form = EmailChangeForm(request.user)
    if request.method == "POST":
        if minutes := rate_limited(request, "auth"):
            refused, status = rate_limit_message(minutes), 429
            form = EmailChangeForm(request.user, initial={"email": request.POST.get("email", "")})
        else:
            form = EmailChangeForm(request.user, request.POST)
            if form.is_valid():
                send_email_change_link(request, form.cleaned_data["email"])
                messages.success(
                    request,
                    _(
                        "Un lien de confirmation a été envoyé à %(email)s. Votre adresse "
                        "changera quand vous l'aurez suivi."
                    )
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("account_profile")
            status = 400
    return render(
        request,
        "store/account_email.html",
        {"form": form, "refused": refused, "section": "profile"},
        status=status,
    )


def send_email_change_link(request, email: str) -> None:
    """Mail the signed link to the new address (store.email_links), in the user's language."""
    user = request.user
    token = email_links.make_token(user, email, EMAIL_CHANGE)
    link = request.build_absolute_uri(reverse("account_email_confirm", args=[token]))
    context = {
        "user": user,
        "link": link,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "hours": settings.EMAIL_CHANGE_LINK_MAX_AGE // 3600,
    }
    subject = render_to_string("store/emails/email_change_subject.txt", context)
    body = render_to_string("store/emails/email_change.txt", context)
    send_mail(" ".join(subject.split()), body, None, [email])
    AccountSettings.objects.update_or_create(
        user=user, defaults={"email_confirmation_sent_at": timezone.now()}
    )


@require_GET
@never_cache
def email_confirm(request, token: str):
    """The link from the mail: the address changes (confirmed) if the link is genuine, recent,
    unused, and no other account took the address meanwhile. Works signed out too."""
    try:
        user, email = email_links.read_token(
            token, EMAIL_CHANGE, settings.EMAIL_CHANGE_LINK_MAX_AGE
        )
    except email_links.LinkError as error:
        return render(
            request, "store/account_email_link.html", {"reason": error.reason}, status=400
        )
    if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        return render(request, "store/account_email_link.html", {"reason": "taken"}, status=409)
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(email=email)
        user.email = email
        verification.mark_verified(user)  # following the link proved the new address is read
    messages.success(
        request, _("Votre adresse e-mail est maintenant %(email)s.") % {"email": email}
    )
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("account_profile")
    return redirect("account_login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def password_change(request):
    refused, status = None, 200
    form = NewPasswordForm(request.user)
    if request.method == "POST":
        if minutes := rate_limited(request, "auth"):
            refused, status = rate_limit_message(minutes), 429
        else:
            form = NewPasswordForm(request.user, request.POST)
            if form.is_valid():
                user = form.save()
                update_session_auth_hash(request, user)  # this browser stays signed in
                messages.success(request, _("Votre mot de passe est modifié."))
                return redirect("account_profile")
            status = 400
    return render(
        request,
        "store/account_password.html",
        {"form": form, "refused": refused, "section": "profile"},
        status=status,
    )


@require_GET
@never_cache
@login_required(login_url=LOGIN_URL)
def my_data(request):
    return render(
        request,
        "store/account_data.html",
        {"data": export(request.user, request), "section": "data"},
    )


@require_GET
@never_cache
@login_required(login_url=LOGIN_URL)
def my_data_json(request):
    data = export(request.user, request)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"emploi-store-mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@sensitive_post_parameters("password")
@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def delete(request):
    user = request.user
    refused, status = None, 200
    form = DeleteAccountForm(user)
    if request.method == "POST":
        if minutes := rate_limited(request, "auth"):
            refused, status = rate_limit_message(minutes), 429
        else:
            form = DeleteAccountForm(user, request.POST)
            if form.is_valid():
                try:
                    delete_account(user, keep_reviews=form.cleaned_data["reviews"] == KEEP)
                except AccountDeletionRefused as refusal:
                    refused, status = last_member_message(refusal), 409
                else:
                    logout(request)
                    done = _(
                        "Votre compte est supprimé. Un e-mail de confirmation vous a été envoyé."
                    )
                    messages.success(request, done)
                    return redirect("/")
            else:
                status = 400
    return render(
        request,
        "store/account_delete.html",
        {
            "form": form,
            "refused": refused,
            "alone_in": publishers_only_member_of(user),
            "section": "delete",
        },
        status=status,
    )


def last_member_message(refusal: AccountDeletionRefused) -> str:
    return _(
        "Vous êtes le dernier membre de : %(publishers)s. Ajoutez d'abord un autre membre "
        "(ou demandez-le à l'équipe éditoriale), puis supprimez votre compte."
    ) % {"publishers": ", ".join(publisher.name for publisher in refusal.publishers)}


urlpatterns = [
    path("compte/", home, name="account_home"),
    path("compte/profil/", profile, name="account_profile"),
    path("compte/adresse-e-mail/", email_change, name="account_email"),
    path(
        "compte/adresse-e-mail/confirmer/<str:token>/",
        email_confirm,
        name="account_email_confirm",
    ),
    path("compte/mot-de-passe/", password_change, name="account_password"),
    path("compte/donnees/", my_data, name="account_data"),
    path("compte/donnees.json", my_data_json, name="account_data_json"),
    path("compte/supprimer/", delete, name="account_delete"),
]
