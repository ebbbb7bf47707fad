"""The publisher sync at scale: first import of a native feed, then the same feed again.

    .venv/bin/python bench/sync.py [--apps 5000]

A throwaway PostgreSQL database (next to BENCH_DATABASE_URL's, as in bench/generate.py) is
migrated; a worker process serves a generated feed of N apps from a local HTTP server and
runs it through catalogue.sync.runner.run_feed three times:
1. first import: every app becomes a draft submitted to the editorial workflow (apps/s);
2. the same body again, the server ignoring If-None-Match (no 304): every item's content
   hash matches, so nothing is written — its time as a ratio of the first (target ≤ 0.1)
   and its write count (INSERT/UPDATE/DELETE outside the run's own row; target 0);
3. a conditional GET answered 304, for reference.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DEFAULT_POSTGRES, manage, safe, throwaway_postgres  # noqa: E402

CATEGORIES = ["offres-emploi", "cv-et-lettre", "trouver-une-formation", "recruter"]
PLATFORMS = ["web", "android", "ios"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=5000, help="applications dans le flux")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        return worker(options)

    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    with throwaway_postgres(admin_url) as url, tempfile.TemporaryDirectory() as var_dir:
        if url is None:
            sys.exit(f"PostgreSQL injoignable ({safe(admin_url)}).")
        env = {
            **os.environ,
            "DJANGO_ENV": "development",
            "DATABASE_URL": url,
            "STORE_VAR_DIR": var_dir,
        }
        # The database and the sync alone: no search engine or broker behind publication.
        for variable in ("ELASTICSEARCH_URL", "REDIS_URL"):
            env.pop(variable, None)
        print("Migration…", flush=True)
        manage(env, "migrate", "--verbosity", "0")
        subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            [sys.executable, __file__, "--worker", "--apps", str(options.apps)],
            cwd=ROOT,
            env=env,
            check=True,
        )


def feed_body(count: int) -> bytes:
    apps = [
        {
            "id": f"bench-{number:06d}",
            "name": f"Service numérique {number}",
            "tagline": f"L'outil n° {number} pour trouver un emploi",
            "description": f"<p>Le service {number} aide à chercher, postuler et suivre.</p>",
            "categories": [CATEGORIES[number % len(CATEGORIES)]],
            "audiences": ["jobseekers"],
            "pricing": "free",
            "languages": ["fr"],
            "accessibility": "partial",
            "listings": [
                {
                    "platform": PLATFORMS[number % len(PLATFORMS)],
                    "url": f"https://service-{number}.example.org/",
                    "version": f"1.{number % 10}.0",
                }
            ],
        }
        for number in range(count)
    ]
    return json.dumps({"version": 1, "publisher": {"name": "Banc d'essai"}, "apps": apps}).encode()


def serve(body: bytes):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            conditional = self.server.honour_conditional_get
            if conditional and self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.honour_conditional_get = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def worker(options):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "store.settings")
    django.setup()
    # Imported once Django is set up: the apps' modules import their models.
    import logging

    from django.db import connection
    from wagtail.models import Revision

    from catalogue.models import Publisher
    from catalogue.sync.models import Feed
    from catalogue.sync.runner import run_feed

    logging.disable(logging.INFO)  # Wagtail logs every page created
    body = feed_body(options.apps)
    server = serve(body)
    publisher = Publisher.objects.create(name="Banc d'essai", slug="banc-d-essai")
    feed = Feed.objects.create(
        publisher=publisher,
        name="Flux de mesure",
        url=f"http://127.0.0.1:{server.server_address[1]}/flux.json",
        format="native",
    )
    print(f"Flux de {options.apps} applications ({len(body) / 1e6:.1f} Mo)…", flush=True)

    def timed(label):
        writes = []

        def count_writes(execute, sql, params, many, context):
            # Every INSERT/UPDATE/DELETE but the run's own row (no cap, unlike query capture).
            verb = sql.lstrip().split(" ", 1)[0].upper()
            if verb in ("INSERT", "UPDATE", "DELETE") and "catalogue_syncrun" not in sql:
                writes.append(verb)
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count_writes):
            run = run_feed(feed)
        seconds = time.perf_counter() - started
        print(f"  {label} : {run.get_status_display()} en {seconds:.2f} s", flush=True)
        return run, seconds, len(writes)

    revisions_before = Revision.objects.count()
    first, first_seconds, first_writes = timed("premier import")
    revisions_after_first = Revision.objects.count()
    # The same body again, the server ignoring If-None-Match: every item goes through its hash.
    server.honour_conditional_get = False
    feed.refresh_from_db()
    second, second_seconds, second_writes = timed("même flux, sans 304")
    revisions_after_second = Revision.objects.count()
    server.honour_conditional_get = True
    feed.refresh_from_db()
    third, third_seconds, third_writes = timed("requête conditionnelle (304)")
    server.shutdown()

    rows = [
        ("premier import", first, first_seconds, first_writes, None),
        ("même flux (hash inchangé)", second, second_seconds, second_writes, first_seconds),
        ("flux inchangé (HTTP 304)", third, third_seconds, third_writes, first_seconds),
    ]
    print()
    print(
        f"| cas ({options.apps} applications) | durée | app/s | créées | inchangées "
        "| écritures | ratio au 1er | cible |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, run, seconds, writes, reference in rows:
        rate = options.apps / seconds if seconds else 0
        ratio = f"{seconds / reference:.3f}×" if reference else "—"
        target = "≤ 0.1, 0 écriture" if reference and "hash" in label else "—"
        print(
            f"| {label} | {seconds:.2f} s | {rate:,.0f} | {run.created} | {run.unchanged} "
            f"| {writes} | {ratio} | {target} |"
        )
    print()
    print(
        f"Révisions : {revisions_after_first - revisions_before} au premier import, "
        f"{revisions_after_second - revisions_after_first} au second."
    )


if __name__ == "__main__":
    main()
