"""The store under load while its dependencies fail: errors, latency and how fast the index
catches up, per phase.

    eval "$(scripts/services.sh env)"
    .venv/bin/python bench/faults.py [--apps 2000] [--seconds 15] [--threads 8]

A throwaway PostgreSQL database (as in bench/generate.py) gets a generated catalogue; the
store then runs as in production (tests/faults/stack.py: gunicorn with 2 workers, a Celery
worker and beat, the Redis cache failing open, the search falling back on the database)
against a Redis and an Elasticsearch of its own (scripts/services.sh, SERVICES_INSTANCE=faults).
Each phase drives a mix of public reads (home, /apps/ with a query and a facet, an app page,
API search, detail and suggest) from --threads threads for --seconds:

    normal        everything up
    redis down    Redis killed (SIGKILL), then started again
    es down       Elasticsearch killed; 20 apps renamed meanwhile; then started again
    es frozen     Elasticsearch stopped (SIGSTOP); 20 apps renamed meanwhile; then SIGCONT
    recovery      everything back

Printed per phase: requests, server errors (5xx, and requests that failed or timed out — the
goal is 0 on public reads in every phase), p50 and p95 (ms), the backend that answered the
searches, and, for the Elasticsearch outages, the seconds from the service's return until the
index holds the 20 changes (goal ≤ 60 s). Figures only; nothing is asserted.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DEFAULT_POSTGRES, manage, safe, throwaway_postgres  # noqa: E402
from tests.faults.stack import FaultServices, Stack  # noqa: E402

CHANGES = 20
CONVERGENCE_LIMIT = 180  # seconds waited at most for the index to catch up


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=2_000, help="taille du catalogue")
    parser.add_argument("--seconds", type=int, default=15, help="durée de charge par phase")
    parser.add_argument("--threads", type=int, default=8, help="requêtes simultanées")
    options = parser.parse_args()

    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    services = FaultServices()
    print("Redis et Elasticsearch de la mesure (SERVICES_INSTANCE=faults)…", flush=True)
    services.up()
    with throwaway_postgres(admin_url) as url, tempfile.TemporaryDirectory() as var_dir:
        if url is None:
            sys.exit(f"PostgreSQL injoignable ({safe(admin_url)}).")
        env = {**os.environ, "DJANGO_ENV": "development", "DATABASE_URL": url}
        env.update(STORE_VAR_DIR=var_dir, CELERY_TASK_ALWAYS_EAGER="true")
        env.pop("REDIS_URL", None)
        env.pop("ELASTICSEARCH_URL", None)
        print(f"{options.apps} applications : migration…", flush=True)
        manage(env, "migrate", "--verbosity", "0")
        print(f"{options.apps} applications : génération…", flush=True)
        manage(env, "generate_catalogue", "--apps", str(options.apps))
        stack = Stack(
            database_url=url,
            services=services,
            index_prefix=f"bench-faults-{os.getpid()}",
            queue=f"bench-faults-{secrets.token_hex(4)}",
            port=free_port(),
            media_root=var_dir,
        )
        print("Index (Elasticsearch et base) …", flush=True)
        stack.manage("search_index", "--rebuild", "--verbosity", "0")
        rows = []
        stack.start()
        try:
            rows = run_phases(stack, options, url)
        finally:
            stack.stop()
            services.up()
            drop_indices(services, stack.index_prefix)
    print_table(rows, options)


def run_phases(stack: Stack, options, database_url) -> list[dict]:
    slugs = sample_slugs(database_url, CHANGES + 1)
    paths = [
        "/",
        "/apps/?q=formation&platform=android",
        f"/apps/{slugs[0]}/",
        "/api/v1/apps/?q=emploi&pricing=free",
        f"/api/v1/apps/{slugs[0]}/",
        "/api/v1/suggest/?q=form",
    ]
    changed = slugs[1:]
    app_ids = [app_id for app_id, _slug in app_ids_of(database_url, changed)]
    services = stack.services
    rows = [load(stack, paths, options, "normal")]

    services.kill("redis")
    rows.append(load(stack, paths, options, "redis down"))
    services.up("redis")

    for phase, stop, restart in (
        ("es down", services.kill, services.up),
        ("es frozen", services.freeze, services.thaw),
    ):
        stop("elasticsearch")
        prefix = f"{phase} {secrets.token_hex(2)}"
        stack.publish_renamed(changed, prefix)
        row = load(stack, paths, options, phase)
        restart("elasticsearch")
        back = time.monotonic()
        expected = {app_id: f"{prefix} {number}" for number, app_id in enumerate(app_ids, start=1)}
        row["converged_s"] = converge(stack, expected, back)
        rows.append(row)

    rows.append(load(stack, paths, options, "recovery"))
    return rows


def load(stack: Stack, paths, options, phase: str) -> dict:
    print(f"phase « {phase} » : {options.threads} × {options.seconds} s…", flush=True)
    deadline = time.monotonic() + options.seconds
    latencies, statuses, backends = [], Counter(), Counter()
    lock = threading.Lock()

    def worker(offset):
        position = offset
        while time.monotonic() < deadline:
            path = paths[position % len(paths)]
            position += 1
            started = time.monotonic()
            status, backend = fetch(stack.url + path)
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
                if backend:
                    backends[backend] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(options.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = sum(count for status, count in statuses.items() if status is None or status >= 500)
    return {
        "phase": phase,
        "requests": sum(statuses.values()),
        "errors": errors,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "backends": ", ".join(f"{name} {count}" for name, count in backends.most_common()),
        "converged_s": None,
    }


def fetch(url: str) -> tuple[int | None, str]:
    """(status, X-Search-Backend) of one GET; None for a request that failed or timed out."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - loopback
            response.read()
            return response.status, response.headers.get("X-Search-Backend", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Search-Backend", "")
    except OSError:
        return None, ""


def converge(stack: Stack, expected: dict, since: float) -> float | None:
    while time.monotonic() - since < CONVERGENCE_LIMIT:
        try:
            if stack.indexed_titles(expected) == expected:
                return time.monotonic() - since
        except Exception:  # noqa: S110 - the node is still coming back
            pass
        time.sleep(0.5)
    return None


def sample_slugs(database_url: str, count: int) -> list[str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT p.slug FROM wagtailcore_page p JOIN catalogue_apppage a ON a.page_ptr_id = p.id"
            " WHERE p.live ORDER BY p.id LIMIT %s",
            [count],
        ).fetchall()
    return [slug for (slug,) in rows]


def app_ids_of(database_url: str, slugs: list[str]) -> list[tuple[int, str]]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT id, slug FROM wagtailcore_page WHERE slug = ANY(%s)", [slugs]
        ).fetchall()
    order = {slug: position for position, slug in enumerate(slugs)}
    return sorted(rows, key=lambda row: order[row[1]])


def drop_indices(services: FaultServices, prefix: str) -> None:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(services.elasticsearch_url, request_timeout=30)
    names = list(client.indices.get(index=f"{prefix}*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, rank) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100)[rank - 1] * 1000


def print_table(rows, options) -> None:
    print()
    print(
        f"Pannes sous charge : {options.apps} applications, {options.threads} requêtes "
        f"simultanées, {options.seconds} s par phase ; temps en ms."
    )
    print(
        f"{'Phase':<12} {'requêtes':>9} {'erreurs':>8} {'p50':>8} {'p95':>8}  rattrapage  moteurs"
    )
    for row in rows:
        converged = row["converged_s"]
        caught_up = (
            "—"
            if converged is None and row["phase"] not in ("es down", "es frozen")
            else (f"{converged:.1f} s" if converged is not None else f"> {CONVERGENCE_LIMIT} s")
        )
        print(
            f"{row['phase']:<12} {row['requests']:>9} {row['errors']:>8} "
            f"{fmt(row['p50']):>8} {fmt(row['p95']):>8}  {caught_up:>10}  {row['backends']}"
        )
    print(
        "Erreurs : réponses 5xx et requêtes échouées ; cible 0 dans chaque phase. Rattrapage : "
        f"secondes entre le retour du service et l'index à jour des {CHANGES} changements "
        "faits pendant la panne ; cible ≤ 60 s."
    )


def fmt(value) -> str:
    return "—" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    main()
