"""Forms of the reviews admin: an editor's reason for a decision, a publisher's reply."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import REPLY_MAX_LENGTH

REASON_MAX_LENGTH = 1000


class ApproveForm(forms.Form):
    """Publishing needs no reason: the confirmation is the form."""


class ReasonForm(forms.Form):
    """Why an editor refuses or removes reviews; their authors read it."""

    reason = forms.CharField(
        label=_("Motif"),
        help_text=_("Montré à l'auteur de chaque avis concerné."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
