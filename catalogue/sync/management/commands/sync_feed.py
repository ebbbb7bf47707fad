"""`manage.py sync_feed --feed ID [--dry-run]`: run a publisher's feed now, from the shell."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.runner import SyncAlreadyRunning, run_feed


class Command(BaseCommand):
    help = "Synchronise un flux d'éditeur maintenant (ou en aperçu avec --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, required=True, help="Identifiant du flux.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Aperçu : indique ce qui changerait, sans rien écrire.",
        )

    def handle(self, *args, feed, dry_run=False, verbosity=1, **options):
        found = Feed.objects.select_related("publisher").filter(pk=feed).first()
        if found is None:
            known = ", ".join(f"{f.pk} ({f})" for f in Feed.objects.all()[:20]) or "aucun"
            raise CommandError(f"Aucun flux n° {feed}. Flux existants : {known}.")
        with tqdm(desc="Applications", unit="app", disable=verbosity < 1) as bar:

            def advance(done, total):
                bar.total = total
                bar.update(done - bar.n)

            try:
                run = run_feed(
                    found, trigger=SyncRun.Trigger.SHELL, dry_run=dry_run, progress=advance
                )
            except SyncAlreadyRunning as busy:
                raise CommandError(str(busy)) from None
        self.report(run)
        if run.status == SyncRun.Status.FAILED:
            raise CommandError(f"Échec : {run.message}")

    def report(self, run: SyncRun) -> None:
        title = "Aperçu (rien n'a été écrit)" if run.dry_run else "Synchronisation"
        self.stdout.write(f"{title} du flux « {run.feed} » : {run.get_status_display()}")
        if run.http_status:
            self.stdout.write(f"  HTTP {run.http_status}, {run.duration.total_seconds():.1f} s")
        if run.message:
            self.stdout.write(f"  {run.message}")
        counters = [(field, getattr(run, field)) for field in SyncRun.COUNTERS]
        labels = {
            "seen": "lues",
            "created": "créées",
            "updated": "mises à jour",
            "unchanged": "inchangées",
            "archived": "archivées",
            "failed": "en échec",
        }
        self.stdout.write("  " + ", ".join(f"{value} {labels[name]}" for name, value in counters))
        for change in run.changes[:50] if run.dry_run else []:
            fields = ", ".join(change.get("sensitive", []) + change.get("routine", []))
            self.stdout.write(f"  {change['action']:<9} {change['item']} {fields}")
        for error in run.errors[:50]:
            self.stdout.write(
                self.style.ERROR(f"  erreur « {error['item']} » : {error['message']}")
            )
        for warning in run.warnings[:50]:
            self.stdout.write(self.style.WARNING(f"  attention : {warning}"))
