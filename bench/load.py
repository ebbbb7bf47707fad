"""A load test with locust: 100 concurrent users for 60 s on a 10,000-app catalogue.

    eval "$(scripts/services.sh env)"
    .venv/bin/python bench/load.py [--apps 10000] [--users 100] [--seconds 60] [--workers 2]

A throwaway PostgreSQL database (as in bench/generate.py) gets the generated catalogue, indexed
in Elasticsearch when ELASTICSEARCH_URL is set (a throwaway prefix, deleted at the end); then
gunicorn serves it in the production profile (the Redis cache when REDIS_URL is set), and
locust (headless, bench/locustfile.py) drives a realistic mix: app pages, /apps/ searches with
a facet, the home page, the API's search, detail, 304 revalidation and suggestions. The API's
anonymous rate limit is raised out of the way (every simulated user comes from 127.0.0.1).

Printed per kind of request and in all: requests, failures, requests/s, p50, p95 and p99
(ms). Targets: 0 errors, p99 ≤ 1 s on two cores. Figures only; nothing is asserted.
"""

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import THROTTLE_OFF, Gunicorn, delete_indices  # noqa: E402
from bench.generate import DEFAULT_POSTGRES, manage, safe, throwaway_postgres  # noqa: E402

SAMPLE = 200  # apps whose pages and API details the users visit
LOCUSTFILE = ROOT / "bench" / "locustfile.py"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=10_000, help="taille du catalogue")
    parser.add_argument("--users", type=int, default=100, help="utilisateurs simultanés")
    parser.add_argument("--seconds", type=int, default=60, help="durée de la charge")
    parser.add_argument("--workers", type=int, default=2, help="workers gunicorn")
    options = parser.parse_args()

    elasticsearch = os.environ.get("ELASTICSEARCH_URL")
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    prefix = f"bench-load-{os.getpid()}"
    with throwaway_postgres(admin_url) as url, tempfile.TemporaryDirectory() as var_dir:
        if url is None:
            sys.exit(f"PostgreSQL injoignable ({safe(admin_url)}).")
        env = {**os.environ, "DJANGO_ENV": "development", "DEBUG": "false", "DATABASE_URL": url}
        env.update(STORE_VAR_DIR=var_dir, ELASTICSEARCH_INDEX_PREFIX=prefix)
        env.pop("REDIS_URL", None)  # generation: in process
        env.pop("ELASTICSEARCH_URL", None)
        try:
            stats = run(options, env, elasticsearch, url, var_dir)
        finally:
            if elasticsearch:
                delete_indices(elasticsearch, prefix)
    print_table(stats, options, "elasticsearch" if elasticsearch else "database")


def run(options, env, elasticsearch, url, var_dir) -> list[dict]:
    print(f"{options.apps} applications : migration…", flush=True)
    manage(env, "migrate", "--verbosity", "0")
    print(f"{options.apps} applications : génération…", flush=True)
    manage(env, "generate_catalogue", "--apps", str(options.apps), "--verbosity", "0")
    if elasticsearch:
        env = {**env, "ELASTICSEARCH_URL": elasticsearch}
    print(f"{options.apps} applications : index de recherche…", flush=True)
    manage(env, "search_index", "--rebuild", "--verbosity", "0")
    paths_file = Path(var_dir, "paths.json")
    paths_file.write_text(json.dumps(sample_paths(url)), encoding="utf-8")

    server_env = {
        **env,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "API_THROTTLE_ANON": THROTTLE_OFF,
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("REDIS_URL"):
        server_env["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        server_env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    Path(var_dir, "static").mkdir(exist_ok=True)
    with Gunicorn(server_env, options.workers, Path(var_dir, "gunicorn.log")) as server:
        print(
            f"locust : {options.users} utilisateurs, {options.seconds} s, "
            f"gunicorn {options.workers} workers sur {server.base}…",
            flush=True,
        )
        csv_prefix = Path(var_dir, "locust")
        started = time.monotonic()
        subprocess.run(  # noqa: S603 - our own locustfile, fixed arguments
            [
                sys.executable, "-m", "locust", "--locustfile", str(LOCUSTFILE),
                "--headless", "--users", str(options.users), "--spawn-rate", str(options.users),
                "--run-time", f"{options.seconds}s", "--host", server.base,
                "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
            ],
            env={**os.environ, "BENCH_LOAD_PATHS": str(paths_file)},
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
        with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as stats_file:
            return list(csv.DictReader(stats_file))


def sample_paths(database_url: str) -> dict:
    """Public paths and slugs of live apps, spread over the catalogue."""
    import psycopg

    query = """
        SELECT page.url_path, page.slug FROM wagtailcore_page page
        JOIN catalogue_apppage app ON app.page_ptr_id = page.id
        WHERE page.live ORDER BY md5(page.slug) LIMIT %s
    """
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(query, [SAMPLE]).fetchall()
    # url_path starts with the site's root page ("/accueil/"), which URLs leave out.
    return {
        "pages": ["/" + url_path.strip("/").split("/", 1)[1] + "/" for url_path, _ in rows],
        "slugs": [slug for _, slug in rows],
    }


def print_table(stats, options, backend) -> None:
    print()
    print(
        f"Charge (locust) : {options.users} utilisateurs simultanés pendant {options.seconds} s, "
        f"{options.apps} applications, recherche {backend}, gunicorn {options.workers} workers ; "
        "temps en ms."
    )
    print(
        f"{'Requête':<32} {'nombre':>7} {'échecs':>7} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    for row in stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "Total"
        print(
            f"{name[:32]:<32} {row['Request Count']:>7} {row['Failure Count']:>7} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    print("Cibles : 0 échec ; p99 ≤ 1 000 ms sur deux cœurs.")


if __name__ == "__main__":
    main()
