"""Server time and SQL queries of the storefront's pages on a large catalogue.

    .venv/bin/python bench/pages.py [--apps 10000] [--runs 200] [--backend elasticsearch|database]

A throwaway PostgreSQL database (next to BENCH_DATABASE_URL's, as in bench/generate.py) is
migrated and filled by `generate_catalogue`; then a worker process, inside Django, renders each
page with Django's test Client (in process: no network, no browser) and prints for each:
- p50 / p95 of the server time over --runs requests (after a warm-up), interleaved so that all
  pages see the same caches and machine load;
- the number of SQL queries of one request;
- for the search page, the ratio of its time to the search contract call it wraps
  (search.contract.catalogue_search with the same query, filters and page size), measured
  interleaved with it;
- counting without tracking (catalogue.stats): the app page's p50 with counting on (a browser)
  and off (the same browser sending DNT: 1), interleaved, and their ratio (goal ≤ 1.1×); the
  p50 of the /go/<app>/<platform>/ redirect; the flush of 1,000,000 increments aggregated in
  Redis (on REDIS_URL, under a throwaway key prefix; in memory without Redis): its time and
  its SQL queries.

The search backend is Elasticsearch when ELASTICSEARCH_URL is set (as in production; the index
is built under a throwaway prefix and deleted at the end), else the database backend.
Figures are printed, never asserted.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DEFAULT_POSTGRES, manage, safe, throwaway_postgres  # noqa: E402

QUERY = "formation"
FILTERS = {"platform": ["android", "ios"], "pricing": ["free"]}
WARM_UP = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=10_000, help="taille du catalogue")
    parser.add_argument("--runs", type=int, default=200, help="requêtes mesurées par page")
    parser.add_argument(
        "--backend",
        choices=["elasticsearch", "database"],
        help="moteur de recherche (défaut : elasticsearch si ELASTICSEARCH_URL est défini)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        return worker(options)

    backend = options.backend or (
        "elasticsearch" if os.environ.get("ELASTICSEARCH_URL") else "database"
    )
    if backend == "elasticsearch" and not os.environ.get("ELASTICSEARCH_URL"):
        sys.exit('ELASTICSEARCH_URL n\'est pas défini : eval "$(scripts/services.sh env)".')
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    with throwaway_postgres(admin_url) as url, tempfile.TemporaryDirectory() as var_dir:
        if url is None:
            sys.exit(f"PostgreSQL injoignable ({safe(admin_url)}).")
        result = measure(options, backend, url, var_dir)
    print_table(result, options, backend)


def measure(options, backend, database_url, var_dir) -> dict:
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DEBUG": "false",  # production-like rendering, no query log kept in memory
        "DATABASE_URL": database_url,
        "STORE_VAR_DIR": var_dir,
    }
    # Tasks run in process; local-memory cache, as a single server. The statistics' counters
    # alone go to Redis, as in production (their own key prefix).
    redis_url = env.pop("REDIS_URL", None)
    if redis_url:
        env["BENCH_STATS_REDIS_URL"] = redis_url
    generation_env = {key: value for key, value in env.items() if key != "ELASTICSEARCH_URL"}
    print(f"{options.apps} applications : migration…", flush=True)
    manage(generation_env, "migrate", "--verbosity", "0")
    print(f"{options.apps} applications : génération…", flush=True)
    manage(generation_env, "generate_catalogue", "--apps", str(options.apps), "--verbosity", "0")

    print(f"{options.apps} applications : mesures ({backend})…", flush=True)
    worker_env = generation_env if backend == "database" else env
    worker_env = {
        **worker_env,
        "ELASTICSEARCH_INDEX_PREFIX": f"bench-pages-{os.getpid()}",
    }
    arguments = ["--worker", "--runs", str(options.runs), "--backend", backend]
    done = subprocess.run(  # noqa: S603 - this very script
        [sys.executable, __file__, *arguments],
        cwd=ROOT,
        env=worker_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"La mesure a échoué :\n{done.stderr[-3000:]}")
    for line in done.stdout.splitlines()[:-1]:
        print(f"  {line}")
    return {"apps": options.apps, **json.loads(done.stdout.splitlines()[-1])}


# --- The worker: runs inside Django, against the throwaway database -------------------------


def worker(options):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "store.settings")
    django.setup()
    # Imported once Django is set up: the apps' modules import their models.
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalogue.models import AppPage
    from search.backends import get_backend
    from search.service import catalogue_search

    # No setup_test_environment(): its instrumented template rendering would be measured too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SEARCH_BACKEND = options.backend
    backend = get_backend(options.backend)
    started = time.perf_counter()
    indexed = backend.rebuild()
    print(
        f"index ({options.backend}) : {indexed} applications en "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )

    try:
        page_size = search_page_size()
        app = AppPage.objects.live().order_by("-rating_count", "pk").first()
        search_url = "/apps/?" + "&".join(
            [f"q={QUERY}"]
            + [f"{facet}={value}" for facet, values in FILTERS.items() for value in values]
        )
        pages = {"accueil": "/", "recherche": search_url, "application": app.url}
        client = Client()
        for name, url in pages.items():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{name} ({url}) : HTTP {response.status_code}")
        results = catalogue_search(QUERY, FILTERS, None, 1, page_size)
        print(
            f"recherche « {QUERY} » + {FILTERS} : {results.total} résultats ; "
            f"application : {app.title} ({app.url})",
            flush=True,
        )

        result = {"backend": options.backend, "indexed": indexed, "pages": {}}
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            result["pages"][name] = {"url": url, "queries": len(queries)}

        def fetch(url):
            return lambda: client.get(url)

        cases = {name: fetch(url) for name, url in pages.items()}
        cases["contrat"] = lambda: catalogue_search(QUERY, FILTERS, None, 1, page_size)
        timings = interleaved(cases, options.runs)
        for name, values in timings.items():
            p50, p95 = percentiles(values)
            if name in result["pages"]:
                result["pages"][name].update(p50=p50, p95=p95)
            else:
                result[name] = {"p50": p50, "p95": p95}
        result["page_size"] = page_size
        result["stats"] = measure_stats(client, app, options.runs)
    finally:
        if options.backend == "elasticsearch":
            delete_bench_indices(backend)
    print(json.dumps(result))


BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
FLUSHED_INCREMENTS = 1_000_000


def measure_stats(client, app, runs) -> dict:
    """Counting on vs off on the app page, the /go/ redirect, the flush of 1,000,000 increments."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    redis_url = os.environ.get("BENCH_STATS_REDIS_URL")
    caches = {
        "default": {
            "BACKEND": "web.cache.FailOpenRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"bench-stats-{os.getpid()}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        from catalogue.stats import counting
        from catalogue.stats.flush import flush

        platform = app.listings.order_by("sort_order").values_list("platform", flat=True).first()
        go_url = f"/go/{app.slug}/{platform}/"
        cases = {
            "counting_on": lambda: client.get(app.url, HTTP_USER_AGENT=BROWSER),
            "counting_off": lambda: client.get(app.url, HTTP_USER_AGENT=BROWSER, HTTP_DNT="1"),
            "go": lambda: client.get(go_url, HTTP_USER_AGENT=BROWSER),
        }
        timings = interleaved(cases, runs)
        result = {name: percentiles(values)[0] for name, values in timings.items()}
        result["go_url"] = go_url
        flush()  # what the measures counted

        started = time.perf_counter()
        fields = fill_counters(cache, counting)
        result["fill_seconds"] = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = flush()
            result["flush_seconds"] = time.perf_counter() - started
        result |= {
            "flush_queries": len(queries),
            "flush_increments": report.increments,
            "flush_rows": report.rows,
            "fields": fields,
            "store": "Redis" if redis_url else "mémoire",
        }
        if redis_url:
            client_ = cache._cache.get_client(write=True)
            for key in client_.scan_iter(f"bench-stats-{os.getpid()}:*"):
                client_.delete(key)
    return result


def fill_counters(cache, counting) -> int:
    """1,000,000 increments of today's figures, one HINCRBY each, spread over every app and
    four metrics (views, two platforms' installs, impressions), plus a visitors' set per app."""
    from catalogue.models import AppPage

    day = counting.day_key()
    app_ids = list(AppPage.objects.values_list("pk", flat=True))
    metrics = ["view", "install:android", "install:web", "impression"]
    fields = [f"c|{day}|{app_id}|{metric}" for app_id in app_ids for metric in metrics]
    client = counting.redis_of(cache)
    if client is None:
        for index in range(FLUSHED_INCREMENTS):
            counting.memory.counts[fields[index % len(fields)]] += 1
        for app_id in app_ids:
            counting.memory.sets[f"v|{day}|{app_id}"].update({"a", "b", "c"})
        return len(fields)
    key = cache.make_key(counting.COUNTS)
    index_key = cache.make_key(counting.SET_INDEX)
    batch = 20_000
    for start in range(0, FLUSHED_INCREMENTS, batch):
        pipe = client.pipeline(transaction=False)
        for index in range(start, min(start + batch, FLUSHED_INCREMENTS)):
            pipe.hincrby(key, fields[index % len(fields)], 1)
        pipe.execute()
    pipe = client.pipeline(transaction=False)
    for app_id in app_ids:
        name = f"v|{day}|{app_id}"
        pipe.sadd(cache.make_key(counting.SET_PREFIX + name), "a", "b", "c")
        pipe.sadd(index_key, name)
    pipe.execute()
    return len(fields)


def search_page_size() -> int:
    from search.views import PAGE_SIZE

    return PAGE_SIZE


def delete_bench_indices(backend):
    from search.backends.elasticsearch import get_client

    client = get_client()
    names = list(client.indices.get(index=f"{backend.alias}*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))


def interleaved(cases: dict, runs: int) -> dict[str, list[float]]:
    timings = {name: [] for name in cases}
    for i in range(WARM_UP + runs):
        for name, run in cases.items():
            started = time.perf_counter()
            run()
            if i >= WARM_UP:
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def percentiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]


# --- Report --------------------------------------------------------------------------------


def print_table(result, options, backend):
    print()
    print(
        f"{result['apps']} applications, moteur {backend}, {options.runs} requêtes par page "
        "(Client de test de Django, dans le processus) ; temps serveur en ms."
    )
    print(f"{'Page':<14}{'p50':>8}{'p95':>8}{'requêtes SQL':>14}  URL (requêtes : caches chauds)")
    for name, row in result["pages"].items():
        print(f"{name:<14}{row['p50']:>8.1f}{row['p95']:>8.1f}{row['queries']:>14}  {row['url']}")
    contract = result["contrat"]
    search = result["pages"]["recherche"]
    print(
        f"{'contrat':<14}{contract['p50']:>8.1f}{contract['p95']:>8.1f}{'':>14}  "
        f"catalogue_search({QUERY!r}, {FILTERS}, page_size={result['page_size']})"
    )
    print(
        f"Page de recherche / appel du contrat : {search['p50'] / contract['p50']:.2f}× (p50), "
        f"{search['p95'] / contract['p95']:.2f}× (p95)."
    )
    stats = result["stats"]
    print()
    print(f"Comptage sans pistage (compteurs en {stats['store']}) :")
    print(
        f"  page d'application, p50 : comptage activé {stats['counting_on']:.1f} ms, "
        f"désactivé (DNT) {stats['counting_off']:.1f} ms, "
        f"rapport {stats['counting_on'] / stats['counting_off']:.2f}× (objectif ≤ 1,1×)"
    )
    print(f"  redirection {stats['go_url']}, p50 : {stats['go']:.1f} ms")
    print(
        f"  vidage de {stats['flush_increments']:,} incréments ({stats['fields']:,} compteurs, "
        f"{stats['flush_rows']:,} lignes écrites) : {stats['flush_seconds']:.2f} s, "
        f"{stats['flush_queries']} requêtes SQL (remplissage : {stats['fill_seconds']:.1f} s)"
    )


if __name__ == "__main__":
    main()
