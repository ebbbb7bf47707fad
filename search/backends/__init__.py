"""The two search backends behind one interface; settings.SEARCH_BACKEND picks one."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from search.contract import RawResults, SearchRequest

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


@dataclass
class Drift:
    """Differences between the live apps in the database and what the backend holds."""

    missing: list[int] = field(default_factory=list)  # live, not indexed
    stale: list[int] = field(default_factory=list)  # indexed with an older version
    extra: list[int] = field(default_factory=list)  # indexed, no longer live

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


class SearchBackend:
    """What each backend implements. Documents come from search.documents."""

    name = "base"

    def search(self, request: SearchRequest) -> RawResults:
        raise NotImplementedError

    def index_apps(self, app_ids: list[int]) -> None:
        """(Re)index these apps if live, remove them from the index otherwise."""
        raise NotImplementedError

    def remove_apps(self, app_ids: list[int]) -> None:
        raise NotImplementedError

    def rebuild(self, progress=None) -> int:
        """Index every live app from scratch; returns how many. progress(n) is called as it goes."""
        raise NotImplementedError

    def check(self) -> Drift:
        raise NotImplementedError

    def refresh(self) -> None:
        """Make what was just indexed searchable now (tests; Elasticsearch refreshes every 1 s)."""

    def reconcile(self, drift: Drift | None = None) -> Drift:
        drift = drift or self.check()
        self.index_apps(drift.missing + drift.stale)
        self.remove_apps(drift.extra)
        return drift


_backends: dict[str, SearchBackend] = {}


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or settings.SEARCH_BACKEND
    if name not in _backends:
        _backends[name] = import_string(BACKENDS[name])()
    return _backends[name]


def maintained_backends() -> list[SearchBackend]:
    """The backends whose index follows the catalogue: the configured one, and the database's
    too when it is Elasticsearch (search falls back on it while the engine is away)."""
    primary = get_backend()
    if primary.name == FALLBACK:
        return [primary]
    return [primary, get_backend(FALLBACK)]


FALLBACK = "database"
