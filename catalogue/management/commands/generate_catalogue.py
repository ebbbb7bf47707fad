"""`manage.py generate_catalogue --apps N`: fictitious apps in bulk, for scale tests.

Wagtail's ordinary path (add_child, save_revision, publish) costs dozens of queries per page:
about an hour for 10,000 apps. Here each batch is a handful of multi-row INSERTs instead:
the base `Page` rows (their treebeard paths computed here), the `AppPage` rows extending them,
then listings and many-to-many rows. The result is live, ordinary Wagtail pages, but without
revisions (the first edit creates one) and without search index entries (`update_index`).

Generated data is marked: publishers' slugs and apps' external ids start with "gen-".
Running the command again adds N more apps, numbered after the last generated one.
"""

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils.text import slugify
from tqdm import tqdm
from wagtail.models import Page

from catalogue.demo import quiet, words
from catalogue.demo.stores import listing_fields
from catalogue.models import (
    AppListing,
    AppPage,
    Audience,
    Category,
    Language,
    Publisher,
    PublisherPage,
)

GENERATED = "gen-"
NUMBER_DIGITS = 7  # external ids "gen-0000001": they sort like their numbers

# Wagtail's treebeard settings: a page's path is its parent's plus 4 base-36 characters.
STEPLEN = Page.steplen
ALPHABET = Page.alphabet

PLATFORM_WEIGHTS = {
    "web": 0.8,
    "android": 0.6,
    "ios": 0.55,
    "windows": 0.15,
    "macos": 0.12,
    "linux": 0.08,
}
PRICINGS = (["free", "freemium", "paid"], [6, 3, 1])
ACCESSIBILITIES = (["full", "partial", "none"], [25, 45, 30])
AUDIENCES = ([("jobseekers",), ("employers",), ("jobseekers", "employers")], [7, 1, 2])
PUBLISHER_KINDS = {
    "Atelier": "company",
    "Studio": "company",
    "Agence": "company",
    "Cabinet": "company",
    "Maison": "company",
    "Réseau": "public_service",
    "Collectif": "association",
    "Coopérative": "association",
    "Association": "association",
    "Fondation": "association",
}
PUBLISHED_BEFORE = datetime(2025, 10, 1, 9, tzinfo=UTC)


class Command(BaseCommand):
    help = "Génère des applications fictives en masse, pour les tests de charge."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apps", type=int, required=True, help="Nombre d'applications à créer."
        )
        parser.add_argument(
            "--publishers",
            type=int,
            default=50,
            help="Nombre d'éditeurs générés entre lesquels répartir les applications "
            "(ceux qui manquent sont créés ; 50 par défaut).",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Graine du tirage aléatoire (0 par défaut)."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Applications écrites par transaction (500 par défaut).",
        )
        parser.add_argument(
            "--per-page",
            action="store_true",
            help="Crée chaque page par le chemin ordinaire de Wagtail (lent) : sert de "
            "point de comparaison.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise la génération quand DJANGO_ENV=production (déconseillé).",
        )

    def handle(self, *args, **options):
        if settings.ENVIRONMENT == "production" and not options["force"]:
            raise CommandError(
                "Refusé : DJANGO_ENV=production. Ajoutez --force pour remplir une base de "
                "production d'applications fictives."
            )
        count, batch_size = options["apps"], options["batch_size"]
        if count < 0 or options["publishers"] < 1 or batch_size < 1:
            raise CommandError("--apps doit être positif, --publishers et --batch-size ≥ 1.")

        with quiet():
            publishers = ensure_generated_publishers(options["publishers"])
        first = next_number()
        factory = AppFactory(random.Random(f"{options['seed']}:{first}"), publishers)
        writer = PerPageWriter() if options["per_page"] else BulkWriter(publishers)

        started = time.perf_counter()
        with (
            quiet(),
            tqdm(
                total=count, desc="Applications", unit="app", disable=options["verbosity"] == 0
            ) as bar,
        ):
            for offset in range(0, count, batch_size):
                numbers = range(first + offset, first + min(count, offset + batch_size))
                apps = [factory.make(number) for number in numbers]
                with transaction.atomic():
                    writer.write(apps)
                bar.update(len(apps))
        elapsed = time.perf_counter() - started

        if options["verbosity"] == 0:
            return
        method = "page par page" if options["per_page"] else "en masse"
        rate = count / elapsed if elapsed else 0
        self.stdout.write(
            f"{count} applications créées ({method}) sous {len(publishers)} éditeurs en "
            f"{elapsed:.2f} s, soit {rate:.0f} applications/s."
        )
        if count and not options["per_page"]:
            self.stdout.write(
                "Ces pages n'ont pas d'entrée d'index de recherche : lancez "
                "`manage.py update_index` pour que la recherche de l'administration les trouve."
            )


def ensure_generated_publishers(count: int) -> list[PublisherPage]:
    """The first `count` generated publishers' pages, creating the missing publishers."""
    existing = Publisher.objects.filter(slug__startswith=GENERATED)
    missing = count - existing.count()
    if missing > 0:
        rng = random.Random(f"publishers:{existing.count()}")
        taken = set(Publisher.objects.values_list("name", flat=True))
        for _ in range(missing):
            prefix, name = publisher_name(rng, taken)
            taken.add(name)
            # The post_save receiver creates its page, group and image folder.
            Publisher.objects.create(
                name=name,
                slug=f"{GENERATED}{slugify(name)}"[:120],
                kind=PUBLISHER_KINDS[prefix],
                website=f"https://example.org/{slugify(name)}/",
                description="Éditeur fictif, généré pour les tests de charge.",
                verified=rng.random() < 0.3,
            )
    return list(
        PublisherPage.objects.filter(publisher__slug__startswith=GENERATED)
        .select_related("publisher")
        .order_by("publisher__slug")[:count]
    )


def publisher_name(rng, taken) -> tuple[str, str]:
    for attempt in range(1000):
        prefix = rng.choice(words.PUBLISHER_PREFIXES)
        name = f"{prefix} {rng.choice(words.PUBLISHER_TOPICS)} {rng.choice(words.PLACES)}"
        if attempt > 50:  # the combinations run out after a few thousand publishers
            name = f"{name} {rng.randint(2, 9999)}"
        if name not in taken:
            return prefix, name
    raise CommandError("Impossible de trouver un nom d'éditeur libre.")


def next_number() -> int:
    """One more than the highest generated app's number, so a new run never reuses a slug."""
    pattern = rf"^{GENERATED}\d{{{NUMBER_DIGITS}}}$"
    last = AppPage.objects.filter(external_id__regex=pattern).aggregate(last=Max("external_id"))
    return int(last["last"].removeprefix(GENERATED)) + 1 if last["last"] else 1


@dataclass
class GeneratedApp:
    number: int
    parent: PublisherPage
    title: str
    slug: str
    tagline: str
    description: str
    pricing: str
    accessibility: str
    audiences: list[int]
    categories: list[int]
    languages: list[int]
    popularity: int
    published_at: datetime
    listings: list[dict] = field(default_factory=list)

    @property
    def external_id(self) -> str:
        return f"{GENERATED}{self.number:0{NUMBER_DIGITS}d}"


class AppFactory:
    """Draws every field of the apps from one seeded generator: same seed, same catalogue."""

    def __init__(self, rng: random.Random, publishers: list[PublisherPage]):
        self.rng = rng
        self.publishers = publishers
        # A few publishers own most apps, as in a real store.
        self.publisher_weights = [1 / (rank + 1) for rank in range(len(publishers))]
        self.subcategories = {}
        for category in Category.objects.exclude(parent=None).select_related("parent"):
            self.subcategories.setdefault(category.parent.slug, []).append(category.pk)
        self.universes = [slug for slug in words.UNIVERSES if slug in self.subcategories]
        self.audiences = dict(Audience.objects.values_list("slug", "pk"))
        languages = dict(Language.objects.values_list("code", "pk"))
        self.french = languages.pop("fr")
        self.other_languages = sorted(languages.values())

    def make(self, number: int) -> GeneratedApp:
        rng = self.rng
        universe = rng.choice(self.universes)
        vocabulary = words.UNIVERSES[universe]
        title = self.name(vocabulary)
        parent = rng.choices(self.publishers, self.publisher_weights)[0]
        slug = f"{slugify(title)}-{number}"
        subcategories = self.subcategories[universe]
        extra_languages = rng.choices([0, 1, 2, 3], [6, 2, 1, 1])[0]
        return GeneratedApp(
            number=number,
            parent=parent,
            title=title,
            slug=slug,
            tagline=rng.choice(vocabulary["taglines"]),
            description=self.description(title, vocabulary),
            pricing=rng.choices(*PRICINGS)[0],
            accessibility=rng.choices(*ACCESSIBILITIES)[0],
            audiences=[self.audiences[s] for s in rng.choices(*AUDIENCES)[0]],
            categories=rng.sample(
                subcategories, min(len(subcategories), rng.choices([1, 2, 3], [5, 3, 1])[0])
            ),
            languages=[self.french, *rng.sample(self.other_languages, extra_languages)],
            popularity=min(int(rng.lognormvariate(6, 1.6)), 999_999),
            published_at=PUBLISHED_BEFORE
            - timedelta(days=rng.randint(0, 1500), seconds=rng.randint(0, 86_399)),
            listings=[
                listing_fields(platform, slug, parent.publisher.slug, rng)
                for platform in self.platforms()
            ],
        )

    def name(self, vocabulary) -> str:
        rng = self.rng
        noun = rng.choice(vocabulary["nouns"])
        lead, tail = rng.choice(words.NAME_LEADS), rng.choice(words.NAME_TAILS)
        return rng.choice(
            [
                f"{lead} {noun}",
                f"{noun} {tail}",
                f"{lead} {noun} {tail}",
                f"{noun} {rng.choice(words.PLACES)}",
            ]
        )

    def description(self, title, vocabulary) -> str:
        rng = self.rng
        features = "".join(
            f"<li>{escape(feature)}</li>" for feature in rng.sample(words.FEATURES, 3)
        )
        return (
            f"<p>{escape(vocabulary['intro'].format(name=title))}</p>"
            f"<p>Avec {escape(title)}, vous disposez de :</p><ul>{features}</ul>"
            f"<p>{escape(rng.choice(words.CLOSINGS))}</p>"
        )

    def platforms(self) -> list[str]:
        """1 to 4 distinct platforms, the common ones more likely (weighted sampling)."""
        rng = self.rng
        count = rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0]
        ranked = sorted(
            PLATFORM_WEIGHTS, key=lambda p: rng.random() ** (1 / PLATFORM_WEIGHTS[p]), reverse=True
        )
        return ranked[:count]


@dataclass
class Slot:
    """Where the next child of a publisher's page goes in the tree."""

    page: PublisherPage
    next_step: int


class BulkWriter:
    def __init__(self, publishers: list[PublisherPage]):
        self.content_type = ContentType.objects.get_for_model(AppPage)
        self.slots = {page.pk: Slot(page, last_step(page) + 1) for page in publishers}
        self.fields = AppPage._meta.local_concrete_fields
        self.m2m = {}
        for name in ("categories", "audiences", "languages"):
            relation = AppPage._meta.get_field(name)
            self.m2m[name] = (
                relation.remote_field.through,
                relation.m2m_field_name() + "_id",
                relation.m2m_reverse_field_name() + "_id",
            )

    def write(self, apps: list[GeneratedApp]):
        avoid_slugs_in_use(apps)
        added = Counter()
        pages = []
        for app in apps:
            slot = self.slots[app.parent.pk]
            parent = slot.page
            pages.append(
                Page(
                    path=parent.path + encode_step(slot.next_step),
                    depth=parent.depth + 1,
                    numchild=0,
                    title=app.title,
                    draft_title=app.title,
                    slug=app.slug,
                    url_path=f"{parent.url_path}{app.slug}/",
                    content_type=self.content_type,
                    locale_id=parent.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=app.published_at,
                    last_published_at=app.published_at,
                )
            )
            slot.next_step += 1
            added[parent.pk] += 1
        Page.objects.bulk_create(pages)

        rows = [
            AppPage(
                page_ptr_id=page.pk,
                app_slug=app.slug,
                tagline=app.tagline,
                description=app.description,
                publisher_id=app.parent.publisher_id,
                pricing=app.pricing,
                accessibility=app.accessibility,
                external_id=app.external_id,
                popularity=app.popularity,
            )
            for page, app in zip(pages, apps, strict=True)
        ]
        # bulk_create() refuses multi-table models; _insert() is what Model.save() uses to
        # write the child table's row, here for many rows per statement.
        batch = connection.ops.bulk_batch_size(self.fields, rows)
        for start in range(0, len(rows), batch):
            AppPage._base_manager._insert(rows[start : start + batch], fields=self.fields)

        AppListing.objects.bulk_create(
            AppListing(page_id=page.pk, sort_order=position, **listing)
            for page, app in zip(pages, apps, strict=True)
            for position, listing in enumerate(app.listings)
        )
        for name, (through, source, target) in self.m2m.items():
            through.objects.bulk_create(
                through(**{source: page.pk, target: value})
                for page, app in zip(pages, apps, strict=True)
                for value in getattr(app, name)
            )
        for parent_id, number in added.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + number)


class PerPageWriter:
    """The ordinary Wagtail path, one page at a time: the baseline of the benchmark."""

    def __init__(self):
        self.audiences = Audience.objects.in_bulk()
        self.categories = Category.objects.in_bulk()
        self.languages = Language.objects.in_bulk()

    def write(self, apps: list[GeneratedApp]):
        avoid_slugs_in_use(apps)
        for app in apps:
            page = AppPage(
                title=app.title,
                slug=app.slug,
                tagline=app.tagline,
                description=app.description,
                publisher_id=app.parent.publisher_id,
                pricing=app.pricing,
                accessibility=app.accessibility,
                external_id=app.external_id,
                popularity=app.popularity,
                first_published_at=app.published_at,
                categories=[self.categories[pk] for pk in app.categories],
                audiences=[self.audiences[pk] for pk in app.audiences],
                languages=[self.languages[pk] for pk in app.languages],
                listings=[
                    AppListing(sort_order=position, **listing)
                    for position, listing in enumerate(app.listings)
                ],
            )
            app.parent.add_child(instance=page)
            page.save_revision().publish()


def avoid_slugs_in_use(apps: list[GeneratedApp]):
    """App slugs are unique site-wide; a hand-made app may already use a generated one."""
    in_use = set(
        AppPage.objects.filter(slug__in=[app.slug for app in apps]).values_list("slug", flat=True)
    )
    for app in apps:
        if app.slug in in_use:
            app.slug = f"{app.slug}-{GENERATED.rstrip('-')}"


def last_step(parent: Page) -> int:
    """The step number of the parent's last child, 0 if it has none."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return int(last[-STEPLEN:], len(ALPHABET)) if last else 0


def encode_step(number: int) -> str:
    """The 4-character base-36 step treebeard would give the number-th child."""
    if number >= len(ALPHABET) ** STEPLEN:
        raise CommandError("Un éditeur ne peut pas avoir plus de 1 679 615 applications.")
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])
