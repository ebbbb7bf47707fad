"""The forms of the publishers' onboarding (DSFR, no JavaScript needed). The API's serializers
apply the same rules through ``check_identifier`` and ``check_contact``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import AppPage, Audience, Category, Language, Publisher
from catalogue.sync.models import FeedFormat
from onboarding import identifiers
from onboarding.models import NAME_MAX_LENGTH, REASON_MAX_LENGTH, TEXT_MAX_LENGTH, Role
from web.forms import DsfrFormMixin

IDENTIFIER_MESSAGES = {
    "format": _("Un SIREN compte 9 chiffres, un SIRET 14."),
    "checksum": _("Ce numéro n'existe pas : vérifiez-le (sa clé de contrôle ne correspond pas)."),
}


def check_identifier(value: str) -> str:
    """The identifier, digits only; ValidationError with the reason when it is malformed."""
    problem = identifiers.identifier_problem(value)
    if problem:
        raise forms.ValidationError(IDENTIFIER_MESSAGES[problem], code=problem)
    return identifiers.normalise(value)


def check_contact(email: str, website: str, justification: str) -> None:
    """An address on the organisation's domain, or a justification of why not."""
    if email and website and identifiers.same_organisation_domain(email, website):
        return
    if not justification.strip():
        raise forms.ValidationError(
            _(
                "L'adresse de contact n'est pas sur le domaine du site de l'organisation : "
                "expliquez pourquoi dans la justification."
            ),
            code="domain",
        )


class CreateApplicationForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Nom de l'organisation"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Tel qu'il apparaîtra sur le catalogue."),
    )
    publisher_kind = forms.ChoiceField(
        label=_("Type d'organisation"), choices=Publisher.Kind.choices
    )
    identifier = forms.CharField(
        label=_("SIREN ou SIRET"),
        max_length=20,
        help_text=_("9 ou 14 chiffres, par exemple 732 829 320."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    website = forms.URLField(
        label=_("Site web de l'organisation"),
        max_length=200,
        assume_scheme="https",
        help_text=_("Par exemple https://www.exemple.fr"),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail de contact dans l'organisation"),
        help_text=_("De préférence une adresse sur le domaine du site web."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        help_text=_(
            "Obligatoire si l'adresse n'est pas sur le domaine du site : votre lien avec "
            "l'organisation."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plans = forms.CharField(
        label=_("Ce que vous prévoyez de publier"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Les applications ou services, pour qui, sur quelles plateformes."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Donnez le nom de l'organisation."))
        return name

    def clean_identifier(self):
        return check_identifier(self.cleaned_data["identifier"])

    def clean_plans(self):
        plans = self.cleaned_data["plans"].strip()
        if not plans:
            raise forms.ValidationError(_("Dites ce que vous prévoyez de publier."))
        return plans

    def clean(self):
        cleaned = super().clean()
        if "contact_email" in cleaned and "website" in cleaned:
            try:
                check_contact(
                    cleaned["contact_email"], cleaned["website"], cleaned.get("justification", "")
                )
            except forms.ValidationError as error:
                self.add_error("justification", error)
        return cleaned


class JoinApplicationForm(DsfrFormMixin, forms.Form):
    """Join an existing publisher, or claim one that has no administrator."""

    kind = forms.ChoiceField(
        label=_("Votre demande"),
        choices=[
            ("join", _("Rejoindre l'équipe de cet éditeur")),
            ("claim", _("Revendiquer cet éditeur (il n'a pas encore d'administrateur)")),
        ],
        widget=forms.RadioSelect,
        initial="join",
    )
    publisher = forms.ModelChoiceField(
        label=_("Éditeur"),
        queryset=Publisher.objects.order_by("name"),
        empty_label=_("Choisissez un éditeur"),
    )
    justification = forms.CharField(
        label=_("Votre lien avec l'éditeur"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Votre fonction, votre service : ce qui permet de vérifier votre demande."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plans = forms.CharField(
        label=_("Ce que vous prévoyez de faire"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_justification(self):
        text = self.cleaned_data["justification"].strip()
        if not text:
            raise forms.ValidationError(_("Expliquez votre lien avec l'éditeur."))
        return text


class RefuseForm(DsfrFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé au demandeur)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Donnez le motif du refus."))
        return reason


class InviteForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail de la personne"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


# --- A new app, by the guided form --------------------------------------------------------

LISTING_PLATFORMS = [
    ("web", _("Adresse du site web")),
    ("android", _("Lien Google Play (Android)")),
    ("ios", _("Lien App Store (iPhone, iPad)")),
]


class AppDraftForm(DsfrFormMixin, forms.Form):
    """The fields the store needs for an app; at least one platform link."""

    title = forms.CharField(label=_("Nom de l'application"), max_length=120)
    tagline = forms.CharField(
        label=_("Accroche"),
        max_length=140,
        help_text=_("Une phrase, 140 caractères au plus, affichée sous le nom sur les cartes."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        help_text=_(
            "Ce que fait l'application, pour qui. Séparez les paragraphes par une ligne vide."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Catégories"),
        queryset=Category.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Une ou plusieurs."),
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("Publics"),
        queryset=Audience.objects.order_by("pk"),
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Langues"),
        queryset=Language.objects.order_by("pk"),
        widget=forms.CheckboxSelectMultiple,
    )
    pricing = forms.ChoiceField(label=_("Tarif"), choices=AppPage.Pricing.choices)
    accessibility = forms.ChoiceField(
        label=_("Accessibilité (RGAA)"), choices=AppPage.Accessibility.choices
    )
    web = forms.URLField(
        label=LISTING_PLATFORMS[0][1], max_length=500, required=False, assume_scheme="https"
    )
    android = forms.URLField(
        label=LISTING_PLATFORMS[1][1], max_length=500, required=False, assume_scheme="https"
    )
    ios = forms.URLField(
        label=LISTING_PLATFORMS[2][1], max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sub-categories under their universe's name, as the admin lists them.
        self.fields["categories"].queryset = Category.objects.filter(parent__isnull=False).order_by(
            "parent__sort_order", "sort_order", "name"
        )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Donnez le nom de l'application."))
        return title

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(platform) for platform, _label in LISTING_PLATFORMS):
            raise forms.ValidationError(
                _("Donnez au moins un lien : site web, Google Play ou App Store."),
                code="no_listing",
            )
        return cleaned

    def listings(self) -> list[tuple[str, str]]:
        return [
            (platform, self.cleaned_data[platform])
            for platform, _label in LISTING_PLATFORMS
            if self.cleaned_data.get(platform)
        ]


class FeedForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(label=_("Nom du flux"), max_length=120)
    url = forms.URLField(
        label=_("Adresse du flux"),
        max_length=1000,
        assume_scheme="https",
        help_text=_(
            "Le flux JSON du catalogue, un fichier AppStream ou une réponse iTunes lookup."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FeedFormat.choices)
