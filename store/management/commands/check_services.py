from django.core.management.base import BaseCommand, CommandError

from store.health import check_all


class Command(BaseCommand):
    help = "Vérifie que la base de données, Redis et Elasticsearch répondent (one line each)."

    def handle(self, *args, **options):
        statuses = check_all()
        for status in statuses:
            style = self.style.SUCCESS if status.ok else self.style.ERROR
            self.stdout.write(style(status.line()))
        failed = [status.name for status in statuses if not status.ok]
        if failed:
            raise CommandError(f"unreachable: {', '.join(failed)}")
