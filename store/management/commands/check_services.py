from django.core.management.base import BaseCommand, CommandError

from store.health import DEGRADED, READY, check_all, readiness


class Command(BaseCommand):
    help = (
        "Vérifie que la base de données, Redis et Elasticsearch répondent (une ligne chacun) ; "
        "même verdict que /readyz : prêt, dégradé (code 2) ou indisponible (code 1)."
    )

    def handle(self, *args, **options):
        statuses = check_all()
        for status in statuses:
            style = self.style.SUCCESS if status.ok else self.style.ERROR
            self.stdout.write(style(status.line()))
        verdict = readiness(statuses)
        if verdict == READY:
            return
        failed = ", ".join(status.name for status in statuses if not status.ok)
        if verdict == DEGRADED:
            raise CommandError(f"degraded — unreachable: {failed}", returncode=2)
        raise CommandError(f"unavailable — unreachable: {failed}", returncode=1)
