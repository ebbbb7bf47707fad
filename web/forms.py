"""DSFR (the French State design system) on Django forms."""

from django import forms


class DsfrFormMixin:
    """The DSFR classes on the widgets, and no autofocus (it skips the page's heading).

    Django adds aria-invalid and aria-describedby (``<id>_helptext``, ``<id>_error``) itself;
    a template such as store/account_field.html renders elements with those ids.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.pop("autofocus", None)
            if isinstance(widget, forms.PasswordInput):
                widget.attrs["class"] = "fr-password__input fr-input"
            elif not isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "fr-input"
