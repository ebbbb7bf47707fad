"""`manage.py load_demo`: the demo catalogue, its images, reviews, a feed and the demo
accounts, for local use.

The project shell composes each app's part: the catalogue (catalogue.demo.loader), the
reviews (reviews.demo), the publisher feeds (catalogue.sync.demo), the mediators' selections
(selections.demo), the publishers' onboarding (onboarding.demo). Idempotent: a second run
creates nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from catalogue.demo import quiet
from catalogue.demo.data import ACCOUNTS, PUBLISHERS
from catalogue.demo.loader import DemoLoader
from catalogue.notifications.services import silenced
from catalogue.stats.demo import load_stats
from catalogue.sync.demo import load_feeds
from identity.demo import load_identities
from onboarding.demo import LOGINS as ONBOARDING_LOGINS
from onboarding.demo import load_onboarding
from reviews.demo import load_reviews
from selections.demo import MEDIATOR, load_selections
from store.verification import is_verified, mark_verified


def verify(user) -> None:
    if not is_verified(user):
        mark_verified(user)


class Command(BaseCommand):
    help = "Charge le catalogue de démonstration (relancer la commande ne change rien)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise le chargement quand DJANGO_ENV=production (déconseillé).",
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        if settings.ENVIRONMENT == "production" and not force:
            raise CommandError(
                "Refusé : DJANGO_ENV=production. Les comptes de démonstration ont des mots de "
                "passe publics ; ajoutez --force si vous savez ce que vous faites."
            )
        progress = verbosity > 0
        loader = DemoLoader(progress=progress)
        # Notifications of the demo's reviews go to the in-site lists, not by mail.
        with quiet(), silenced(), transaction.atomic():
            loader.load()
            # The demo accounts' addresses count as confirmed: they may review and report.
            for account in loader.users.values():
                verify(account)
            counts = loader.counts
            with tqdm(desc="Avis", unit="app", disable=not progress) as bar:

                def advance(done, total):
                    bar.total = total
                    bar.update(done - bar.n)

                reviews = load_reviews(progress=advance, verify_account=verify)
            counts["reviews", "created"] += reviews["created"]
            counts["reviews", "unchanged"] += reviews["unchanged"]
            for kind, created in load_feeds(loader.publishers).items():
                counts["feeds", kind] += created
            selections = load_selections()
            counts["selections", "created"] += selections["created"]
            counts["selections", "unchanged"] += selections["unchanged"]
            onboarding = load_onboarding()
            counts["onboarding", "created"] += onboarding["created"]
            counts["onboarding", "unchanged"] += onboarding["unchanged"]
            stats = load_stats()
            counts["stats", "created"] += stats["created"]
            identities = load_identities()
            counts["identities", "created"] += identities["created"]
            counts["identities", "unchanged"] += identities["unchanged"]
        if progress:
            self.report(counts, selections["link"])

    def report(self, counts, selection_link=""):
        # (key, label, feminine): French agrees the participle with the noun.
        labels = [
            ("publishers", "Éditeurs", False),
            ("accounts", "Comptes", False),
            ("apps", "Applications", True),
            ("collections", "Collections", True),
            ("reviews", "Avis", False),
            ("feeds", "Flux", False),
            ("selections", "Sélections de médiateurs (compte, sélection, parcours)", True),
            ("onboarding", "Arrivée des éditeurs (comptes, éditeur, demandes)", False),
            ("stats", "Statistiques de démonstration (applications)", True),
            ("identities", "Identités liées et appareils connectés", True),
            ("images", "Images", True),
        ]
        for key, label, feminine in labels:
            e = "e" if feminine else ""
            line = f"{label} : {counts[key, 'created']} créé{e}(s)"
            # Images are only looked at for new apps: an "unchanged" count would mean nothing.
            if key not in ("images", "stats"):
                line += f", {counts[key, 'unchanged']} inchangé{e}(s)"
            if key == "apps" and counts["apps", "moderation"]:
                line += f" (dont {counts['apps', 'moderation']} en attente de relecture)"
            self.stdout.write(line)
        if not any(counts[key, "created"] for key, *_ in labels):
            self.stdout.write(self.style.SUCCESS("Rien à changer : la démonstration est déjà là."))
        else:
            self.stdout.write(self.style.SUCCESS("Démonstration chargée."))
        self.stdout.write(
            "\nComptes de démonstration (mots de passe locaux, s'ils n'ont pas changé) :"
        )
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<8} / {account.password:<13}  {role(account)}")
        self.stdout.write(
            f"  {MEDIATOR.username:<8} / {MEDIATOR.password:<13}  médiateur pour « "
            f"{MEDIATOR.organisation} » (espace : /mediation/)"
        )
        for login in ONBOARDING_LOGINS:
            self.stdout.write(f"  {login.username:<8} / {login.password:<13}  {login.role}")
        if selection_link:
            self.stdout.write(f"\nSa sélection partagée : {selection_link}")
        self.stdout.write(
            "« membre » : une identité ProConnect liée et deux appareils connectés "
            "(/compte/identites/)."
        )


def role(account) -> str:
    if account.role == "superuser":
        return "superutilisateur"
    if account.role == "editor":
        return "équipe éditoriale (relit et publie)"
    publisher = next(p for p in PUBLISHERS if p.slug == account.role)
    return f"membre de l'éditeur « {publisher.name} » (propose des brouillons)"
