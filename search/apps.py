from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Catalogue search: the contract and its two backends (arrive with the search issue)."""

    name = "search"
    verbose_name = _("Recherche")
