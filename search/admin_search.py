"""Wagtail's admin search on Elasticsearch, which a node that is down or hangs does not slow.

Wagtail updates its index as pages are saved, in the saving request. After a failure this
backend skips those updates for SEARCH_BREAKER_SECONDS (per process, logged) instead of making
every save wait for the node's timeout; Wagtail already goes on when an update fails. The
editors' search then misses what changed meanwhile until `manage.py update_index`.
"""

from wagtail.search.backends.elasticsearch8 import Elasticsearch8SearchBackend

from search.service import Breaker

breaker = Breaker("skipping the admin search index updates")


class Elasticsearch8AdminBackend(Elasticsearch8SearchBackend):
    def add(self, obj):
        return self._guarded(super().add, obj)

    def add_bulk(self, model, obj_list):
        return self._guarded(super().add_bulk, model, obj_list)

    def delete(self, obj):
        return self._guarded(super().delete, obj)

    @staticmethod
    def _guarded(update, *args):
        if not breaker.allows():
            return None
        try:
            result = update(*args)
        except Exception:
            breaker.failed()
            raise  # Wagtail logs it and lets the save go on
        breaker.succeeded()
        return result


SearchBackend = Elasticsearch8AdminBackend
