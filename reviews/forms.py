"""Forms of the public site: write a review, report one, answer one (as the publisher)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ReviewReport,
)

RATING_CHOICES = [
    (1, _("1 étoile : très mauvais")),
    (2, _("2 étoiles : mauvais")),
    (3, _("3 étoiles : moyen")),
    (4, _("4 étoiles : bien")),
    (5, _("5 étoiles : excellent")),
]


class ReviewForm(forms.Form):
    """A new review or the author's rewrite of theirs (the template lays out the fields)."""

    rating = forms.TypedChoiceField(
        label=_("Votre note"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une note de 1 à 5 étoiles.")},
    )
    title = forms.CharField(label=_("Titre"), max_length=TITLE_MAX_LENGTH, required=False)
    body = forms.CharField(
        label=_("Votre commentaire"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Pas de liens ni de coordonnées : un avis qui en contient est vérifié avant "
            "publication."
        ),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif"),
        choices=[("", _("Choisissez un motif")), *ReviewReport.Reason.choices],
        error_messages={"required": _("Choisissez un motif.")},
    )
    comment = forms.CharField(
        label=_("Précisions (facultatif)"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Réponse de l'éditeur"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Écrivez votre réponse.")},
    )


def report_prefix(review_id: int) -> str:
    # One report form per review on the page: a prefix keeps names and ids apart.
    return f"report-{review_id}"


def reply_prefix(review_id: int) -> str:
    return f"reply-{review_id}"
