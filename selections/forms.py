"""The forms of the mediators' space (DSFR, no JavaScript needed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from selections.models import (
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    ORGANISATION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from web.forms import DsfrFormMixin

NEW_SELECTION = "new"
# The durations a mediator picks from when sharing (days).
LINK_DURATIONS = [7, 30, 90, 180, 365]


class SelectionForm(DsfrFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("La personne le verra en haut de la page. Exemple : « Pour votre recherche »"),
    )
    message = forms.CharField(
        label=_("Message pour la personne"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        help_text=_("Facultatif. %(max)d caractères au plus.") % {"max": MESSAGE_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Donnez un titre à la sélection."))
        return title


class AddToSelectionForm(DsfrFormMixin, forms.Form):
    """From an app page or a search result: which selection (or a new one), and a note."""

    selection = forms.ChoiceField(label=_("Sélection"))
    new_title = forms.CharField(
        label=_("Titre de la nouvelle sélection"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Seulement pour une nouvelle sélection."),
    )
    note = forms.CharField(
        label=_("Note pour la personne"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        help_text=_("Facultatif. Exemple : « Pour préparer votre entretien de mardi »"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, drafts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selection"].choices = [
            *((str(draft.pk), draft.title) for draft in drafts),
            (NEW_SELECTION, _("Nouvelle sélection")),
        ]
        if drafts and not self.is_bound:
            self.fields["selection"].initial = str(drafts[0].pk)
        self.fields["selection"].widget.attrs["class"] = "fr-select"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("selection") == NEW_SELECTION and not cleaned.get("new_title", "").strip():
            self.add_error("new_title", _("Donnez un titre à la nouvelle sélection."))
        return cleaned


class ShareForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Durée du lien"),
        coerce=int,
        choices=[],
        help_text=_("Après cette durée, le lien ne fonctionne plus."),
    )

    def __init__(self, *args, default_days: int, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        durations = sorted({*[d for d in LINK_DURATIONS if d <= max_days], default_days})
        self.fields["days"].choices = [(days, duration_label(days)) for days in durations]
        self.fields["days"].initial = default_days
        self.fields["days"].widget.attrs["class"] = "fr-select"


def duration_label(days: int) -> str:
    labels = {
        7: _("1 semaine"),
        30: _("1 mois"),
        90: _("3 mois"),
        180: _("6 mois"),
        365: _("1 an"),
    }
    return str(labels.get(days) or _("%(days)d jours") % {"days": days})


class MediatorRequestForm(DsfrFormMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Votre organisme"),
        max_length=ORGANISATION_MAX_LENGTH,
        help_text=_("Exemple : Mission locale de Lyon, France Travail Agence de Lille, mairie…"),
    )

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"].strip()
        if not organisation:
            raise forms.ValidationError(_("Indiquez votre organisme."))
        return organisation


def item_notes(data, item_ids) -> tuple[dict, set, tuple | None, dict]:
    """The edit form's per-app fields: notes (``note-<id>``), removals (``remove-<id>``) and one
    move (``move`` = ``<id>:up`` or ``<id>:down``); errors by item id for notes too long."""
    notes, removed, errors = {}, set(), {}
    for item_id in item_ids:
        note = data.get(f"note-{item_id}")
        if note is not None:
            if len(note) > NOTE_MAX_LENGTH:
                errors[item_id] = _("%(max)d caractères au plus (%(length)d saisis).") % {
                    "max": NOTE_MAX_LENGTH,
                    "length": len(note),
                }
            elif "\x00" in note:
                errors[item_id] = _("Caractère non autorisé.")
            else:
                notes[item_id] = note
        if data.get(f"remove-{item_id}"):
            removed.add(item_id)
    move = None
    raw = data.get("move", "")
    if ":" in raw:
        item, direction = raw.split(":", 1)
        if item.isdigit() and int(item) in item_ids and direction in ("up", "down"):
            move = (int(item), -1 if direction == "up" else 1)
    return notes, removed, move, errors
