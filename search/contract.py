"""The catalogue search contract: its parameters, their validation, its answers, its errors.

The entry point is ``search.service.catalogue_search``; this module only holds the types
every layer shares:

    results.total, results.hits   # hits: app page ids, in order
    results.facets["category"]    # [FacetValue(value, label, count, selected), ...]

Facets are disjunctive: values of one facet are OR-ed, facets are AND-ed, and each facet is
counted with every filter except its own; a selected value is always listed, even at 0.
Backends (search.backends) return raw ids and counts (``RawResults``); labels and ordering are
added by search.facets, so both backends present facets identically. Bad parameters raise
``InvalidSearch``; an engine that cannot answer, ``SearchUnavailable``.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from catalogue.models import AppPage

SORTS = ("relevance", "rating", "popular", "newest", "updated", "name")
DEFAULT_SORT_WITH_QUERY = "relevance"
DEFAULT_SORT_WITHOUT_QUERY = "popular"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200

PLATFORMS = ("web", "ios", "android", "windows", "macos", "linux")
AUDIENCES = ("jobseekers", "employers")
PRICINGS = ("free", "freemium", "paid")
ACCESSIBILITY_LEVELS = ("full", "partial", "none")
RATING_THRESHOLDS = ("5", "4", "3", "2", "1")
VERIFIED_VALUES = ("true", "false")

# Facets whose values are a closed list (validated); the others are slugs or codes.
CLOSED_FACETS = {
    "platform": PLATFORMS,
    "audience": AUDIENCES,
    "pricing": PRICINGS,
    "accessibility": ACCESSIBILITY_LEVELS,
    "rating": RATING_THRESHOLDS,
    "verified": VERIFIED_VALUES,
}
OPEN_FACETS = ("category", "publisher", "language", "licence")
FACETS = (
    "category",
    "platform",
    "audience",
    "pricing",
    "publisher",
    "language",
    "accessibility",
    "rating",
    "verified",
    "licence",  # « free », « proprietary » and the SPDX ids of the apps' licences
)
LANGUAGES = ("fr", "en")
# Facets whose values are listed in their natural order rather than by count.
ORDERED_FACETS = ("platform", "audience", "pricing", "accessibility", "rating", "verified")


class InvalidSearch(ValueError):
    """Parameters the contract refuses, with a message per field (for a 400 or a form)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{key}: {' '.join(value)}" for key, value in errors.items()))
        self.errors = errors


class SearchUnavailable(Exception):
    """The engine cannot answer (down, too slow, refusing): the backend's own error is the
    cause. The API answers 503, the /apps/ page a page saying so."""


@dataclass(frozen=True)
class SearchRequest:
    """Validated parameters, as a backend receives them."""

    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT_WITHOUT_QUERY
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # The texts searched and the names sorted: English ones (each falling back to the French
    # text where an app has no English) for a request in English.
    language: str = "fr"

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def min_rating(self, filters=None) -> int | None:
        """OR of « 4 and more » and « 2 and more » is « 2 and more »."""
        values = (self.filters if filters is None else filters).get("rating")
        return min(int(value) for value in values) if values else None


@dataclass(frozen=True)
class RawResults:
    """What a backend answers: ids in order, and counts per facet value (own filter left out)."""

    total: int
    hits: list[int]
    facet_counts: dict[str, dict[str, int]]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    request: SearchRequest
    total: int
    hits: list[int]
    facets: dict[str, list[FacetValue]]
    backend: str = ""  # the backend that answered (search.service may fall back)
    _objects: list | None = None

    @property
    def page(self) -> int:
        return self.request.page

    @property
    def page_size(self) -> int:
        return self.request.page_size

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    def objects(self, queryset=None):
        """The hits as live AppPages, in order, loaded in one query (plus the prefetches of
        ``queryset``, by default ``AppPage.objects.live().for_listing()``)."""
        if self._objects is None:
            queryset = AppPage.objects.live().for_listing() if queryset is None else queryset
            by_id = queryset.in_bulk(self.hits)
            self._objects = [by_id[pk] for pk in self.hits if pk in by_id]
        return self._objects


def build_request(
    query: str | None = "",
    filters: dict | None = None,
    sort: str | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = DEFAULT_PAGE_SIZE,
    language: str = "fr",
) -> SearchRequest:
    """Validate and normalise parameters; InvalidSearch names every bad one."""
    errors: dict[str, list[str]] = {}
    query = " ".join(str(query or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        errors["q"] = [str(_("%d caractères au plus.") % MAX_QUERY_LENGTH)]

    clean_filters: dict[str, tuple[str, ...]] = {}
    for name, values in (filters or {}).items():
        if name not in FACETS:
            errors[name] = [str(_("Filtre inconnu. Filtres possibles : %s.") % ", ".join(FACETS))]
            continue
        if isinstance(values, str):
            values = [values]
        values = tuple(dict.fromkeys(str(value).strip() for value in values if str(value).strip()))
        allowed = CLOSED_FACETS.get(name)
        wrong = [value for value in values if allowed and value not in allowed]
        if wrong:
            errors[name] = [
                str(
                    _("Valeur inconnue : %(wrong)s. Valeurs possibles : %(allowed)s.")
                    % {"wrong": ", ".join(wrong), "allowed": ", ".join(allowed)}
                )
            ]
        elif values:
            clean_filters[name] = values

    if sort in (None, ""):
        sort = DEFAULT_SORT_WITH_QUERY if query else DEFAULT_SORT_WITHOUT_QUERY
    elif sort not in SORTS:
        errors["sort"] = [str(_("Tri inconnu. Tris possibles : %s.") % ", ".join(SORTS))]

    page_number = _positive_int(page, 1, "page", errors)
    size = _positive_int(page_size, DEFAULT_PAGE_SIZE, "page_size", errors)
    if size is not None and size > MAX_PAGE_SIZE:
        errors["page_size"] = [str(_("%d au plus.") % MAX_PAGE_SIZE)]

    if errors:
        raise InvalidSearch(errors)
    # Relevance means nothing without words: fall back to the browsing order.
    if sort == "relevance" and not query:
        sort = DEFAULT_SORT_WITHOUT_QUERY
    language = language if language in LANGUAGES else "fr"
    return SearchRequest(query, clean_filters, sort, page_number, size, language)


def _positive_int(value, default, name, errors) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = [str(_("Un nombre entier est attendu."))]
        return None
    if number < 1:
        errors[name] = [str(_("Un nombre supérieur ou égal à 1 est attendu."))]
        return None
    return number
