"""The counters aggregated in Redis (or in memory) written to the database, in batches.

One flush at a time (a lock in the cache). The counters' hash is renamed before it is read, so
increments arriving meanwhile go to a new one; the renamed hash is deleted only once the
database has committed its figures — a flush that fails leaves it for the next one, which
writes it first (no increment lost, none counted twice).

Counts are added to the day's rows (``value = value + new``, one ``INSERT … ON CONFLICT`` per
batch of ``BATCH`` rows); distinct visitors, which are whole-day figures (the size of a set),
keep the larger of the stored and the new value (a restarted Redis never lowers them).
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from catalogue.models import AppPage
from catalogue.stats import counting
from catalogue.stats.models import AppDayCount, AppDayRating, Metric, QueryDayCount

logger = logging.getLogger(__name__)

BATCH = 1000
LOCK = "stats:flush-lock"
LOCK_SECONDS = 600


@dataclass
class FlushReport:
    increments: int = 0  # the sum of the counters written
    rows: int = 0  # rows inserted or updated
    busy: bool = False  # another flush was running


def flush() -> FlushReport:
    cache = caches["default"]
    if not cache.add(LOCK, 1, LOCK_SECONDS):
        return FlushReport(busy=True)
    try:
        report = FlushReport()
        _flush_memory(report)
        client = counting.redis_of(cache)
        if client is not None:
            try:
                _flush_redis(cache, client, report)
            except counting.UNREACHABLE as error:
                cache._trip("stats flush", error)
        return report
    finally:
        cache.delete(LOCK)


def _flush_memory(report: FlushReport) -> None:
    counts, sets = counting.memory.take()
    if counts or sets:
        write(counts, {name: len(members) for name, members in sets.items()}, report)


def _flush_redis(cache, client, report: FlushReport) -> None:
    counts_key, flushing_key = cache.make_key(counting.COUNTS), cache.make_key(counting.FLUSHING)
    if not client.exists(flushing_key) and client.exists(counts_key):
        client.rename(counts_key, flushing_key)
    counts = Counter(
        {field.decode(): int(value) for field, value in client.hgetall(flushing_key).items()}
    )
    index_key = cache.make_key(counting.SET_INDEX)
    names = sorted(name.decode() for name in client.smembers(index_key))
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.scard(cache.make_key(counting.SET_PREFIX + name))
    sizes = dict(zip(names, pipe.execute(), strict=True))
    write(counts, sizes, report)
    client.delete(flushing_key)
    # Sets of days that are over (and flushed once more) leave the index; their keys expire.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    done = [name for name in names if name.split("|")[1] < yesterday]
    if done:
        client.srem(index_key, *done)


def write(counts: Counter, set_sizes: dict, report: FlushReport) -> None:
    """Add ``counts`` ("c|day|app|metric" and "q|day|app|query" → n) and the distinct visitors
    (``set_sizes``: "v|day|app" and "q|day|app|query" → size) to the day's rows."""
    app_rows: dict = {}  # (app, day, metric) → value
    visitor_rows: dict = {}
    query_rows: dict = {}  # (day, app or None, query) → [searches, visitors]
    for field, value in counts.items():
        kind, day, app, rest = field.split("|", 3)
        if kind == "c":
            app_rows[(int(app), day, rest)] = value
        elif kind == "q":
            query_rows.setdefault((day, int(app) or None, rest), [0, 0])[0] += value
    for name, size in set_sizes.items():
        parts = name.split("|", 3)
        if parts[0] == "v":
            visitor_rows[(int(parts[2]), parts[1], Metric.VISITOR)] = size
        elif parts[0] == "q":
            query_rows.setdefault((parts[1], int(parts[2]) or None, parts[3]), [0, 0])[1] = size
    existing = existing_apps(
        {key[0] for key in (*app_rows, *visitor_rows)}
        | {key[1] for key in query_rows if key[1] is not None}
    )
    with transaction.atomic():
        report.rows += upsert_counts(
            [(*key, value) for key, value in app_rows.items() if key[0] in existing], add=True
        )
        report.rows += upsert_counts(
            [(*key, value) for key, value in visitor_rows.items() if key[0] in existing],
            add=False,
        )
        report.rows += upsert_queries(
            [
                (day, app, query, searches, visitors)
                for (day, app, query), (searches, visitors) in query_rows.items()
                if app is None or app in existing
            ]
        )
    report.increments += sum(counts.values())


def existing_apps(app_ids: set) -> set:
    """The apps still there (one deleted since it was counted has nothing to add to)."""
    found = set()
    ids = sorted(app_ids)
    for start in range(0, len(ids), 10_000):
        found.update(
            AppPage.objects.filter(pk__in=ids[start : start + 10_000]).values_list("pk", flat=True)
        )
    return found


def greatest() -> str:
    return "GREATEST" if connection.vendor == "postgresql" else "MAX"


def upsert_counts(rows: list, *, add: bool) -> int:
    table = AppDayCount._meta.db_table
    merged = (
        f"{table}.value + EXCLUDED.value" if add else f"{greatest()}({table}.value, EXCLUDED.value)"
    )
    # Only our own table, columns and placeholders are formatted in; the values are parameters.
    statement = (
        f"INSERT INTO {table} (app_id, day, metric, value) VALUES {{values}} "  # noqa: S608
        f"ON CONFLICT (app_id, day, metric) DO UPDATE SET value = {merged}"
    )
    return _batches(statement, "(%s, %s, %s, %s)", rows)


def upsert_queries(rows: list) -> int:
    table = QueryDayCount._meta.db_table
    searches = f"{table}.searches + EXCLUDED.searches"
    visitors = f"{greatest()}({table}.visitors, EXCLUDED.visitors)"
    written = 0
    for with_app, target in (
        (True, "(day, app_id, query) WHERE app_id IS NOT NULL"),
        (False, "(day, query) WHERE app_id IS NULL"),
    ):
        statement = (
            f"INSERT INTO {table} (day, app_id, query, searches, visitors) VALUES {{values}} "  # noqa: S608
            f"ON CONFLICT {target} DO UPDATE SET searches = {searches}, visitors = {visitors}"
        )
        written += _batches(
            statement,
            "(%s, %s, %s, %s, %s)",
            [row for row in rows if (row[1] is not None) is with_app],
        )
    return written


def _batches(statement: str, placeholder: str, rows: list) -> int:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            params = [value for row in batch for value in row]
            cursor.execute(statement.format(values=", ".join([placeholder] * len(batch))), params)
    return len(rows)


def snapshot_ratings(day: date | None = None) -> int:
    """Each rated app's rating as it stands, as that day's (the rating over time)."""
    day = day or timezone.localdate()
    rows = [
        AppDayRating(app_id=pk, day=day, average=average, count=count)
        for pk, average, count in AppPage.objects.filter(rating_count__gt=0).values_list(
            "pk", "rating_average", "rating_count"
        )
    ]
    AppDayRating.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["app", "day"],
        update_fields=["average", "count"],
    )
    return len(rows)
