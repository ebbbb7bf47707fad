"""The publisher sync at scale: first import of a generated AppStream catalog, in bulk and one
by one, the unchanged re-run, a 304, bulk approval of drafts, and a real catalogue.

    .venv/bin/python bench/sync.py [--apps 2000] [--one-by-one 100] [--approve 1000]
                                   [--real .services/appstream/debian-bookworm-main.xml]

A throwaway PostgreSQL database (next to BENCH_DATABASE_URL's, as in bench/generate.py) is
migrated; a worker process serves the feeds from a local HTTP server and runs them through
catalogue.sync.runner.run_feed:
1. first import of N apps (no images): every app becomes a draft submitted to the editorial
   workflow — apps/s and queries per app (target ≥ 100 apps/s);
2. the same path one app at a time (Wagtail's add_child, save_revision, workflow start), on a
   smaller catalog: the baseline;
3. the same body again, the server ignoring If-None-Match: every item's hash matches — its
   time as a ratio of the first (target ≤ 0.1) and its writes (target 0);
4. a conditional GET answered 304;
5. an editor approves (publishes) --approve drafts at once (target < 60 s for 1,000);
6. with --real (default: scripts/appstream.sh's Debian catalog when it is there), that real
   catalog through the same path: how many of its applications import (target ≥ 95 %).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DEFAULT_POSTGRES, manage, safe, throwaway_postgres  # noqa: E402

REAL_CATALOG = ROOT / ".services" / "appstream" / "debian-bookworm-main.xml"
CATEGORIES = ["Office", "Education", "Network", "Utility"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=2000, help="applications du catalogue")
    parser.add_argument("--one-by-one", type=int, default=100, help="applications une à une")
    parser.add_argument("--approve", type=int, default=1000, help="brouillons approuvés")
    parser.add_argument("--real", default=str(REAL_CATALOG), help="un vrai catalogue AppStream")
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
            # The real catalogue weighs 26 MB: the bench raises the cap, feeds keep theirs.
            "SYNC_FETCH_MAX_BYTES": str(64 * 1024 * 1024),
        }
        # The database and the sync alone: no search engine or broker behind publication.
        for variable in ("ELASTICSEARCH_URL", "REDIS_URL"):
            env.pop(variable, None)
        print("Migration…", flush=True)
        manage(env, "migrate", "--verbosity", "0")
        subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            [
                sys.executable,
                __file__,
                "--worker",
                "--apps",
                str(options.apps),
                "--one-by-one",
                str(options.one_by_one),
                "--approve",
                str(options.approve),
                "--real",
                options.real,
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )


def catalog_body(count: int, prefix: str = "bench") -> bytes:
    """A generated AppStream catalog: French and English texts, a licence, three releases."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<components version="0.16" origin="bench">']
    for number in range(count):
        parts.append(
            f"""<component type="desktop-application"><id>org.example.{prefix}.app{number}</id>
<name>Service {number}</name><name xml:lang="fr">Service numérique {number}</name>
<summary>Tool number {number} to find a job</summary>
<summary xml:lang="fr">L'outil n° {number} pour trouver un emploi</summary>
<description><p>Service {number} helps to search and apply.</p>
<p xml:lang="fr">Le service {number} aide à chercher et à postuler.</p></description>
<project_license>{"MIT" if number % 2 else "GPL-3.0-or-later"}</project_license>
<url type="homepage">https://service-{number}.example.org/</url>
<categories><category>{escape(CATEGORIES[number % len(CATEGORIES)])}</category></categories>
<releases><release version="1.{number % 10}.0" date="2026-05-0{1 + number % 9}">
<description><p>Corrections.</p></description></release>
<release version="1.0.0" date="2025-01-01"/><release version="0.9.0" date="2024-06-01"/>
</releases></component>"""
        )
    parts.append("</components>")
    return "\n".join(parts).encode()


class Server:
    def __init__(self):
        self.bodies: dict[str, bytes] = {}
        self.honour_conditional_get = True
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = owner.bodies.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if owner.honour_conditional_get and self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", '"v1"')
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


def worker(options):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "store.settings")
    django.setup()
    # Imported once Django is set up: the apps' modules import their models.
    import logging

    from django.contrib.auth import get_user_model
    from django.db import connection
    from wagtail.models import Revision

    from catalogue.models import AppPage, Publisher
    from catalogue.services import approve_apps
    from catalogue.sync.models import Feed
    from catalogue.sync.runner import FeedRun, run_feed

    logging.disable(logging.WARNING)  # Wagtail logs every page created
    server = Server()

    def make_feed(name: str, path: str, body: bytes) -> Feed:
        server.bodies[path] = body
        publisher = Publisher.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        return Feed.objects.create(
            publisher=publisher, name=name, url=server.url(path), format="appstream"
        )

    def timed(label, action, count):
        queries, writes = [], []

        def counting(execute, sql, params, many, context):
            queries.append(1)
            verb = sql.lstrip().split(" ", 1)[0].upper()
            # Every INSERT/UPDATE/DELETE but the run's own row.
            if verb in ("INSERT", "UPDATE", "DELETE") and "catalogue_syncrun" not in sql:
                writes.append(verb)
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(counting):
            result = action()
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0
        print(f"  {label} : {seconds:.2f} s, {rate:,.0f} /s", flush=True)
        return result, seconds, len(queries), len(writes)

    body = catalog_body(options.apps)
    feed = make_feed("Banc d'essai", "/catalog.xml", body)
    print(f"Catalogue de {options.apps} applications ({len(body) / 1e6:.1f} Mo)…", flush=True)
    revisions_before = Revision.objects.count()
    first, first_s, first_q, _ = timed("premier import", lambda: run_feed(feed), options.apps)
    revisions = Revision.objects.count() - revisions_before

    # The baseline: Wagtail's own path, one app at a time.
    small = make_feed("Un par un", "/small.xml", catalog_body(options.one_by_one, "one"))

    def one_by_one(self, new, **kwargs):
        self.create_one_by_one(new, self.download_images(new))

    real_create_new = FeedRun.create_new
    FeedRun.create_new = one_by_one
    try:
        baseline, base_s, base_q, _ = timed(
            "un par un", lambda: run_feed(small), options.one_by_one
        )
    finally:
        FeedRun.create_new = real_create_new

    server.honour_conditional_get = False
    feed.refresh_from_db()
    second, second_s, _, second_w = timed("même flux, sans 304", lambda: run_feed(feed), 1)
    server.honour_conditional_get = True
    feed.refresh_from_db()
    third, third_s, _, _ = timed("requête conditionnelle (304)", lambda: run_feed(feed), 1)

    editor = get_user_model().objects.create_superuser("bench-editor", "e@example.org", "x")
    ids = list(
        AppPage.objects.filter(publisher=feed.publisher)
        .order_by("pk")
        .values_list("pk", flat=True)[: options.approve]
    )
    approved, approve_s, approve_q, _ = timed(
        "approbation en masse", lambda: approve_apps(ids, editor), len(ids)
    )

    print()
    print("| cas | applications | durée | app/s | requêtes par app | créées | écritures | cible |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| premier import, en masse | {options.apps} | {first_s:.2f} s | "
        f"{options.apps / first_s:,.0f} | {first_q / options.apps:.1f} | {first.created} | — "
        "| ≥ 100 app/s |"
    )
    print(
        f"| premier import, un par un | {options.one_by_one} | {base_s:.2f} s | "
        f"{options.one_by_one / base_s:,.1f} | {base_q / options.one_by_one:.1f} | "
        f"{baseline.created} | — | — |"
    )
    print(
        f"| même flux (hash inchangé) | {options.apps} | {second_s:.2f} s "
        f"({second_s / first_s:.3f}× le 1er) | — | — | {second.created} | {second_w} "
        "| ≤ 0,1×, 0 écriture |"
    )
    print(
        f"| flux inchangé (HTTP 304) | {options.apps} | {third_s:.2f} s | — | — | "
        f"{third.created} | — | — |"
    )
    print(
        f"| approbation de brouillons | {len(ids)} | {approve_s:.2f} s | "
        f"{approved / approve_s:,.0f} | {approve_q / max(approved, 1):.1f} | {approved} publiés "
        "| — | < 60 s pour 1 000 |"
    )
    print()
    print(f"Révisions au premier import : {revisions} ({options.apps} applications).")

    real = Path(options.real)
    if not real.is_file():
        print(f"Catalogue réel absent ({real}) : lancez scripts/appstream.sh ensure.")
        return
    real_body = real.read_bytes()
    real_feed = make_feed("Debian", "/debian.xml", real_body)
    print(f"\nCatalogue réel {real.name} ({len(real_body) / 1e6:.1f} Mo)…", flush=True)
    run, real_s, _queries, _ = timed("import du catalogue réel", lambda: run_feed(real_feed), 1)
    apps = run.created + run.failed
    print(
        f"| catalogue réel | applications | importées | refusées | taux | durée | app/s |\n"
        f"|---|---|---|---|---|---|---|\n"
        f"| {real.name} | {apps} | {run.created} | {run.failed} | "
        f"{run.created / max(apps, 1):.1%} | {real_s:.1f} s | {run.created / real_s:,.0f} |"
    )


if __name__ == "__main__":
    main()
