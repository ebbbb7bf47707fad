"""The period a statistics page, its CSV or the API is asked for: the last 7, 30 or 90 days, or
from one day to another (at most a year, never in the future). One form for all three, so a
bad date gets the same message everywhere (the API: 400, per field)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.stats.reports import MAX_DAYS, PERIODS, Period
from web.forms import DsfrFormMixin

CUSTOM = "custom"
DEFAULT_DAYS = 30


class PeriodForm(DsfrFormMixin, forms.Form):
    period = forms.ChoiceField(
        label=_("Période"),
        required=False,
        choices=[
            *((str(days), _("%(days)d derniers jours") % {"days": days}) for days in PERIODS),
            (CUSTOM, _("Du … au …")),
        ],
        initial=str(DEFAULT_DAYS),
    )
    start = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start, end = data.get("start"), data.get("end")
        choice = data.get("period") or (CUSTOM if start or end else str(DEFAULT_DAYS))
        if self.errors:
            return data
        if choice != CUSTOM:
            data["range"] = Period.last(int(choice), today)
            return data
        if start is None:
            self.add_error("start", _("Indiquez le premier jour."))
        if end is None:
            self.add_error("end", _("Indiquez le dernier jour."))
        if start is None or end is None:
            return data
        if end > today:
            self.add_error("end", _("Le dernier jour ne peut pas être dans le futur."))
        elif start > end:
            self.add_error("start", _("Le premier jour doit précéder le dernier."))
        elif end - start >= timedelta(days=MAX_DAYS):
            self.add_error(
                "start", _("La période ne peut dépasser %(days)d jours.") % {"days": MAX_DAYS}
            )
        else:
            data["range"] = Period(start, end)
        return data


def period_from(data) -> tuple[Period | None, PeriodForm]:
    form = PeriodForm(data if data else None)
    if not data:
        return Period.last(DEFAULT_DAYS), form
    if form.is_valid():
        return form.cleaned_data["range"], form
    return None, form


def validation_errors(form) -> dict:
    """A field → messages map of a bound form's errors (the API's 400 body)."""
    return {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }
