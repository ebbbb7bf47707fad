"""Catalogue search at scale: Elasticsearch through the contract vs the raw request, and the
database backend.

    .venv/bin/python bench/search.py [--apps 10000] [--also 100000] [--queries 200]

For each size, a throwaway PostgreSQL database (next to BENCH_DATABASE_URL's, as in
bench/generate.py) is migrated and filled by `generate_catalogue`; then a worker process
measures, on ELASTICSEARCH_URL under a throwaway index prefix:
- `search_index --rebuild` throughput (the backend's rebuild(), apps/s);
- p50/p95 of a faceted query (words + two filters + every facet) through catalogue_search()
  (facet labels included), against the very same request body sent with the plain client;
- at the first size only, the DatabaseBackend (its own rebuild, then the same queries).
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

QUERIES = ["formation", "emploi", "entretien", "offres", "projet"]
FILTERS = {"platform": ["android", "ios"], "pricing": ["free"]}
WARM_UP = 20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=10_000, help="taille du catalogue")
    parser.add_argument("--also", type=int, help="une seconde taille, mesurée après")
    parser.add_argument("--queries", type=int, default=200, help="requêtes mesurées par cas")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-backend", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        return worker(options)

    elasticsearch = os.environ.get("ELASTICSEARCH_URL")
    if not elasticsearch:
        sys.exit('ELASTICSEARCH_URL n\'est pas défini : eval "$(scripts/services.sh env)".')
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    rows = []
    for position, size in enumerate(filter(None, [options.apps, options.also])):
        with throwaway_postgres(admin_url) as url, tempfile.TemporaryDirectory() as var_dir:
            if url is None:
                sys.exit(f"PostgreSQL injoignable ({safe(admin_url)}).")
            rows.append(measure(size, url, var_dir, elasticsearch, position == 0, options))
    print_table(rows, options)


def measure(size, database_url, var_dir, elasticsearch, with_database, options) -> dict:
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DEBUG": "false",  # no query log kept in memory
        "DATABASE_URL": database_url,
        "STORE_VAR_DIR": var_dir,
    }
    env.pop("REDIS_URL", None)  # tasks run in process; nothing is published here anyway
    # Generation touches neither the node nor its admin indices.
    generation_env = {key: value for key, value in env.items() if key != "ELASTICSEARCH_URL"}
    print(f"{size} applications : migration…", flush=True)
    manage(generation_env, "migrate", "--verbosity", "0")
    print(f"{size} applications : génération…", flush=True)
    manage(generation_env, "generate_catalogue", "--apps", str(size), "--verbosity", "0")

    print(f"{size} applications : mesures…", flush=True)
    worker_env = {
        **env,
        "ELASTICSEARCH_URL": elasticsearch,
        "ELASTICSEARCH_INDEX_PREFIX": f"bench-search-{os.getpid()}-{size}",
    }
    arguments = ["--worker", "--queries", str(options.queries)]
    if with_database:
        arguments.append("--database-backend")
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
    return {"apps": size, **json.loads(done.stdout.splitlines()[-1])}


# --- The worker: runs inside Django, against the throwaway database -------------------------


def worker(options):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "store.settings")
    django.setup()
    # Imported once Django is set up: the apps' modules import their models.
    from django.conf import settings

    from search.backends import get_backend
    from search.backends.elasticsearch import get_search_client
    from search.contract import build_request
    from search.service import catalogue_search

    settings.SEARCH_BACKEND = "elasticsearch"
    backend = get_backend("elasticsearch")
    # The raw request goes through the same client as the contract's searches (its timeout).
    client = get_search_client()
    result = {}
    try:
        started = time.perf_counter()
        count = backend.rebuild()
        elapsed = time.perf_counter() - started
        result.update(indexed=count, rebuild_s=elapsed, rebuild_rate=count / elapsed)
        print(f"rebuild : {count} applications en {elapsed:.1f} s", flush=True)

        requests = [build_request(query, FILTERS) for query in QUERIES]
        bodies = [backend.build_search(request).to_dict() for request in requests]
        first = catalogue_search(QUERIES[0], FILTERS)
        print(
            f"requête « {QUERIES[0]} » + {FILTERS} : {first.total} résultats, "
            f"{sum(len(values) for values in first.facets.values())} valeurs de facettes",
            flush=True,
        )

        def contract(i):
            catalogue_search(QUERIES[i % len(QUERIES)], FILTERS)

        def engine(i):  # the backend alone: the contract without facet labels
            backend.search(requests[i % len(requests)])

        def raw(i):
            client.search(index=backend.alias, body=bodies[i % len(bodies)])

        # Interleaved, so all see the same node, caches and machine load.
        cases = {"contract": contract, "backend": engine, "raw": raw}
        timings = interleaved(cases, options.queries)
        for name, values in timings.items():
            result[f"{name}_p50"], result[f"{name}_p95"] = percentiles(values)
    finally:
        names = list(client.indices.get(index=f"{backend.alias}*", expand_wildcards="all"))
        if names:
            client.indices.delete(index=",".join(names))

    if options.database_backend:
        result.update(database_backend(options))
    print(json.dumps(result))


def database_backend(options) -> dict:
    from django.conf import settings

    from search.backends import get_backend
    from search.service import catalogue_search

    try:
        backend = get_backend("database")
    except ImportError:
        print("database backend not available", flush=True)
        return {}
    settings.SEARCH_BACKEND = "database"
    started = time.perf_counter()
    count = backend.rebuild()
    elapsed = time.perf_counter() - started
    print(f"rebuild (base) : {count} applications en {elapsed:.1f} s", flush=True)

    def contract(i):
        catalogue_search(QUERIES[i % len(QUERIES)], FILTERS)

    p50, p95 = percentiles(interleaved({"database": contract}, options.queries)["database"])
    return {"database_p50": p50, "database_p95": p95, "database_rebuild_rate": count / elapsed}


def interleaved(cases: dict, queries: int) -> dict[str, list[float]]:
    timings = {name: [] for name in cases}
    for i in range(WARM_UP + queries):
        for name, run in cases.items():
            started = time.perf_counter()
            run(i)
            if i >= WARM_UP:
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def percentiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]


# --- Report --------------------------------------------------------------------------------


def print_table(rows, options):
    print()
    print(f"Requête : {QUERIES} (en rotation) + {FILTERS} + toutes les facettes ; ", end="")
    print(f"{options.queries} requêtes par cas, temps en ms.")
    print(
        f"{'Applications':>12}{'rebuild apps/s':>16}{'contrat p50':>13}{'p95':>8}"
        f"{'backend p50':>13}{'p95':>8}{'brut p50':>10}{'p95':>8}{'rapport p50':>13}{'p95':>7}"
        f"{'base p50':>10}{'p95':>8}"
    )
    for row in rows:
        database = (
            f"{row['database_p50']:>10.1f}{row['database_p95']:>8.1f}"
            if "database_p50" in row
            else f"{'—':>10}{'—':>8}"
        )
        print(
            f"{row['apps']:>12}{row['rebuild_rate']:>16.0f}"
            f"{row['contract_p50']:>13.1f}{row['contract_p95']:>8.1f}"
            f"{row['backend_p50']:>13.1f}{row['backend_p95']:>8.1f}"
            f"{row['raw_p50']:>10.1f}{row['raw_p95']:>8.1f}"
            f"{row['contract_p50'] / row['raw_p50']:>12.2f}×"
            f"{row['contract_p95'] / row['raw_p95']:>6.2f}×{database}"
        )
    print("« backend » : ElasticsearchBackend.search() seul (le contrat ajoute les libellés des")
    print("facettes, lus en base). Rapport : contrat / brut.")
    print("Cibles : contrat ≤ 1,5× la requête brute ; rebuild ≥ 1 000 apps/s ; ", end="")
    print("base p95 ≤ 150 ms à 10 000 applications.")


if __name__ == "__main__":
    main()
