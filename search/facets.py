"""Labels and order of facet values, shared by both backends."""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from catalogue.labels import is_english
from catalogue.models import AppListing, AppPage, Audience, Category, Language, Publisher
from search.contract import CLOSED_FACETS, FACETS, ORDERED_FACETS, FacetValue, SearchRequest

RATING_LABELS = {
    "5": _("5 étoiles"),
    "4": _("4 étoiles et plus"),
    "3": _("3 étoiles et plus"),
    "2": _("2 étoiles et plus"),
    "1": _("1 étoile et plus"),
}
VERIFIED_LABELS = {"true": _("Éditeur vérifié"), "false": _("Éditeur non vérifié")}
# The licence facet: its two kinds first, then the SPDX ids, shown as they are written.
LICENCE_LABELS = {"free": _("Logiciel libre"), "proprietary": _("Logiciel propriétaire")}
OPEN_LABEL_FACETS = ("category", "publisher", "language", "audience")


def closed_labels(facet: str) -> dict[str, str]:
    choices = {
        "platform": AppListing.Platform.choices,
        "pricing": AppPage.Pricing.choices,
        "accessibility": AppPage.Accessibility.choices,
    }
    if facet in choices:
        return {value: str(label) for value, label in choices[facet]}
    if facet == "rating":
        return {value: str(label) for value, label in RATING_LABELS.items()}
    if facet == "verified":
        return {value: str(label) for value, label in VERIFIED_LABELS.items()}
    return {}


LABEL_CACHE_SECONDS = 3600


def label_cache_key(facet: str, language: str | None = None) -> str:
    """One entry per facet and language: categories, audiences and languages have English names."""
    if language is None:
        language = "en" if is_english() else settings.LANGUAGE_CODE
    return f"search:facet-labels:{facet}:{language}"


def open_labels(facet: str, values: set[str]) -> dict[str, str]:
    """Labels of slugs and codes, cached: they change rarely and are asked for on every search.

    search.receivers forgets them when a category, publisher, language or audience changes.
    """
    if not values:
        return {}
    labels = cache.get(label_cache_key(facet))
    if labels is None:
        labels = all_labels(facet)
        cache.set(label_cache_key(facet), labels, LABEL_CACHE_SECONDS)
    return {value: labels[value] for value in values if value in labels}


def all_labels(facet: str) -> dict[str, str]:
    sources = {
        "category": (Category, "slug"),
        "publisher": (Publisher, "slug"),
        "language": (Language, "code"),
        "audience": (Audience, "slug"),
    }
    model, key = sources[facet]
    if is_english() and model is not Publisher:
        return {
            value: name_en or name
            for value, name, name_en in model.objects.values_list(key, "name", "name_en")
        }
    return dict(model.objects.values_list(key, "name"))


def forget_labels(**kwargs) -> None:
    cache.delete_many(
        [
            label_cache_key(facet, language)
            for facet in OPEN_LABEL_FACETS
            for language, _name in settings.LANGUAGES
        ]
    )


def present_facets(
    request: SearchRequest, counts: dict[str, dict[str, int]]
) -> dict[str, list[FacetValue]]:
    facets = {}
    for facet in FACETS:
        facet_counts = counts.get(facet, {})
        selected = set(request.filters.get(facet, ()))
        shown = {value for value, count in facet_counts.items() if count > 0} | selected
        if facet == "licence":
            labels = {value: str(label) for value, label in LICENCE_LABELS.items()}
        elif facet == "audience":
            labels = open_labels(facet, shown)
        elif facet in CLOSED_FACETS:
            labels = closed_labels(facet)
        else:
            labels = open_labels(facet, shown)
        values = [
            FacetValue(
                value=value,
                label=labels.get(value, value),
                count=facet_counts.get(value, 0),
                selected=value in selected,
            )
            for value in shown
        ]
        if facet in ORDERED_FACETS:
            order = {value: position for position, value in enumerate(CLOSED_FACETS[facet])}
            values.sort(key=lambda item: (order.get(item.value, len(order)), item.value))
        elif facet == "licence":
            kinds = list(LICENCE_LABELS)
            values.sort(
                key=lambda item: (
                    kinds.index(item.value) if item.value in kinds else len(kinds),
                    -item.count,
                    item.value.casefold(),
                )
            )
        else:
            values.sort(key=lambda item: (-item.count, item.label.casefold(), item.value))
        facets[facet] = values
    return facets
