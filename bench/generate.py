"""How fast `manage.py generate_catalogue` writes apps, on SQLite and on PostgreSQL.

    .venv/bin/python bench/generate.py [--apps 2000] [--baseline-apps 50]

Each run starts from an empty, migrated database: a temporary SQLite file, then a throwaway
PostgreSQL database created and dropped here, next to the one named by BENCH_DATABASE_URL
(default: the local development server). The bulk path is compared with Wagtail's ordinary
one (add_child, save_revision, publish), measured on a few apps in the same database.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://emploistore:emploistore@127.0.0.1:54329/postgres"
# The command's last line: "... en 6.68 s, soit 1496 applications/s."
TIMING = re.compile(r"en ([\d.]+) s, soit \d+ applications/s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=2000, help="applications générées en masse")
    parser.add_argument(
        "--baseline-apps", type=int, default=50, help="applications créées page par page"
    )
    options = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as var_dir:
        results.append(measure("SQLite", f"sqlite:///{var_dir}/db.sqlite3", var_dir, options))
    postgres = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    with throwaway_postgres(postgres) as url, tempfile.TemporaryDirectory() as var_dir:
        if url:
            results.append(measure("PostgreSQL", url, var_dir, options))
    print_table(results, options)


def measure(name, database_url, var_dir, options) -> dict:
    print(f"{name} : migration…", flush=True)
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DATABASE_URL": database_url,
        "STORE_VAR_DIR": var_dir,
    }
    # Measure the database alone: no indexing or task queue triggered by publication.
    for variable in ("ELASTICSEARCH_URL", "REDIS_URL"):
        env.pop(variable, None)
    manage(env, "migrate", "--verbosity", "0")
    print(f"{name} : {options.apps} applications en masse…", flush=True)
    bulk = generate(env, "--apps", str(options.apps))
    print(f"{name} : {options.baseline_apps} applications page par page…", flush=True)
    baseline = generate(env, "--apps", str(options.baseline_apps), "--per-page")
    return {
        "name": name,
        "seconds": bulk,
        "rate": options.apps / bulk,
        "baseline_rate": options.baseline_apps / baseline,
    }


def generate(env, *arguments) -> float:
    """Seconds spent writing apps, as timed by the command (without Django's start-up)."""
    output = manage(env, "generate_catalogue", *arguments)
    found = TIMING.search(output)
    if found is None:
        sys.exit(f"Sortie inattendue de generate_catalogue :\n{output}")
    return max(float(found.group(1)), 0.01)  # printed to 0.01 s


def manage(env, *arguments) -> str:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(arguments)} a échoué :\n{done.stderr[-3000:]}")
    print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    return done.stdout


@contextmanager
def throwaway_postgres(admin_url):
    """Yields the URL of a new database next to admin_url's, dropped on exit; None if down."""
    try:
        import psycopg
        from psycopg import sql

        server = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except Exception as error:  # whatever the cause, there is no PostgreSQL to measure
        print(f"PostgreSQL injoignable ({safe(admin_url)}) : mesure ignorée.")
        print(f"  {type(error).__name__} : {str(error).strip().splitlines()[0]}")
        yield None
        return
    database = f"bench_generate_{os.getpid()}"
    with server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        try:
            yield urlsplit(admin_url)._replace(path=f"/{database}").geturl()
        finally:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            server.execute(drop.format(sql.Identifier(database)))


def safe(url) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return parts._replace(netloc=f"{user}{host}{port}").geturl()


def print_table(results, options):
    print()
    print(
        f"{'Base':<12}{'Applications':>14}{'Durée':>10}{'apps/s':>10}"
        f"{'page par page':>16}{'Rapport':>10}"
    )
    for row in results:
        ratio = row["rate"] / row["baseline_rate"]
        print(
            f"{row['name']:<12}{options.apps:>14}{row['seconds']:>9.2f}s{row['rate']:>10.0f}"
            f"{row['baseline_rate']:>16.1f}{ratio:>9.0f}×"
        )
    for row in results:
        ratio = row["rate"] / row["baseline_rate"]
        print(
            f"{row['name']} : l'écriture en masse est {ratio:.0f}× plus rapide que le chemin "
            f"ordinaire de Wagtail ({options.baseline_apps} applications page par page)."
        )


if __name__ == "__main__":
    main()
