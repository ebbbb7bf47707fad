"""`manage.py search_index --rebuild | --check | --reconcile`: the catalogue's search index.

Works on every index that follows the catalogue (search.backends.maintained_backends()):
the configured backend's, and the database's too when the configured one is Elasticsearch
(the search falls back on it).

    --rebuild    index every live app from scratch (Elasticsearch: a new index, then the alias
                 is swapped, so searches keep working meanwhile)
    --check      compare the index with the live apps; exit code 1 if they differ
    --reconcile  index what is missing or stale, remove what is no longer live
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from elastic_transport import ConnectionError as EngineConnectionError
from elastic_transport import ConnectionTimeout as EngineTimeout
from tqdm import tqdm

from catalogue.signals import apps_indexed
from search.backends import Drift, maintained_backends
from search.documents import searchable_apps

SHOWN_IDS = 20
DRIFT_KINDS = (
    ("missing", "Manquantes (en ligne, absentes de l'index)"),
    ("stale", "Périmées (indexées dans une version antérieure)"),
    ("extra", "En trop (indexées, plus en ligne)"),
)


class Command(BaseCommand):
    help = "Reconstruit, vérifie ou répare l'index de recherche du catalogue."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--rebuild", action="store_true", help="Réindexe toutes les applications en ligne."
        )
        action.add_argument(
            "--check",
            action="store_true",
            help="Compare l'index à la base ; code de sortie 1 s'ils diffèrent.",
        )
        action.add_argument(
            "--reconcile",
            action="store_true",
            help="Indexe ce qui manque ou a changé, retire ce qui n'est plus en ligne.",
        )

    def handle(self, *args, **options):
        backends = maintained_backends()
        self.verbosity = options["verbosity"]
        # The client logs each failed attempt with a traceback: one line below says it all.
        transport_logger = logging.getLogger("elastic_transport")
        level = transport_logger.level
        transport_logger.setLevel(logging.ERROR)
        try:
            if options["rebuild"]:
                for backend in backends:
                    self.run_rebuild(backend)
            elif options["check"]:
                self.run_check(backends)
            else:
                for backend in backends:
                    self.run_reconcile(backend)
        except (EngineConnectionError, EngineTimeout) as error:
            # One line, no traceback: the usual cause is a stopped node or a wrong URL.
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise CommandError(
                f"Elasticsearch injoignable à {settings.ELASTICSEARCH_URL} (ELASTICSEARCH_URL) : "
                f"{reason}"
            ) from None
        finally:
            transport_logger.setLevel(level)

    def run_rebuild(self, backend):
        total = searchable_apps().count()
        started = time.perf_counter()
        with tqdm(total=total, desc="Indexation", unit="app", disable=self.verbosity == 0) as bar:
            count = backend.rebuild(progress=bar.update)
        apps_indexed.send(sender=Command, app_ids=None)  # the API's ETags follow the new index
        elapsed = time.perf_counter() - started
        rate = count / elapsed if elapsed else 0
        self.stdout.write(
            f"{count} applications indexées ({backend.name}) en {elapsed:.2f} s, "
            f"soit {rate:.0f} applications/s."
        )

    def run_check(self, backends):
        drifted = False
        for backend in backends:
            drift = backend.check()
            if len(backends) > 1:
                self.stdout.write(f"Index {backend.name} :")
            self.report(drift)
            drifted = drifted or not drift.clean
        if drifted:
            raise CommandError(
                "L'index diffère de la base : lancez `manage.py search_index --reconcile`.",
                returncode=1,
            )

    def run_reconcile(self, backend):
        drift = backend.check()
        if drift.clean:
            self.stdout.write(f"Index à jour ({backend.name}) : rien à corriger.")
            return
        backend.reconcile(drift)
        backend.refresh()
        apps_indexed.send(sender=Command, app_ids=[*drift.missing, *drift.stale, *drift.extra])
        self.stdout.write(
            f"Index réparé ({backend.name}) : {len(drift.missing)} ajoutées, "
            f"{len(drift.stale)} mises à jour, {len(drift.extra)} retirées."
        )

    def report(self, drift: Drift):
        if drift.clean:
            self.stdout.write("Index à jour : il correspond aux applications en ligne.")
            return
        for kind, label in DRIFT_KINDS:
            ids = getattr(drift, kind)
            line = f"{label} : {len(ids)}"
            if ids:
                shown = ", ".join(map(str, ids[:SHOWN_IDS]))
                more = f" … (+{len(ids) - SHOWN_IDS})" if len(ids) > SHOWN_IDS else ""
                line += f" — {shown}{more}"
            self.stdout.write(line)
