"""Forms of the app page that belong to the catalogue: the problem report."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import PROBLEM_MESSAGE_MAX_LENGTH, AppProblemReport


class ProblemReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Quel est le problème ?"),
        choices=AppProblemReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choisissez le type de problème."),
            "invalid_choice": gettext_lazy("Choisissez le type de problème."),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Précisions"),
        max_length=PROBLEM_MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Obligatoire pour « Autre ». 1 000 caractères au plus ; pas de données personnelles."
        ),
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy(
            "Facultative, pour que l'équipe éditoriale puisse vous répondre. Format attendu : "
            "nom@domaine.fr"
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="probleme", **kwargs)
        if user is not None and user.is_authenticated:
            # A signed-in visitor is known: no address to type.
            del self.fields["email"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reason") == AppProblemReport.Reason.OTHER
            and not cleaned.get("message", "").strip()
        ):
            self.add_error("message", _("Décrivez le problème."))
        return cleaned
