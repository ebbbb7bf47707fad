"""A small fixed catalogue for the read side of /api/v1/, indexed by both search backends.

Six live apps, one published then unpublished, one draft (neither ever to be seen):

key         publisher        sub-categories (universe)     platforms        pricing   rating    pop.
Métiers     france-travail ✓ decouvrir-les-metiers,        web ios android  free      4.50 (20)  900
                             tests-et-orientation (CM)
Connect     france-travail ✓ trouver-une-formation (SF)    web ios          free      4.20 (10)  700
FormaPro    studio-alize     financer-sa-formation,        android          freemium  3.10 (5)   300
                             apprendre-en-ligne (SF)
Atelier CV  tremplin         cv-et-lettre (PC)             web              free      2.00 (3)   200
Vivier      tremplin         recruter (TE)                 web              paid      0.00 (0)    50
Cap         france-travail ✓ volontariat-international     web ios          free      5.00 (2)   100
                             (PI)
Fantôme     france-travail ✓ trouver-une-formation, …      web ios          paid      unpublished
Brouillon   studio-alize     decouvrir-les-metiers         ios              paid      a draft

(✓: verified publisher.)
Universes: CM choisir-un-metier, SF se-former (FormaPro counts once in it), PC
preparer-sa-candidature, TE trouver-un-emploi, PI partir-a-l-international.
Languages: fr everywhere; Connect, FormaPro and Cap also en, Cap de. Accessibility: full for the
France Travail apps, partial for FormaPro and Atelier CV, none for Vivier. Audiences:
job-seekers, except Vivier (employers). Métiers has an icon, two screenshots and the rich
description of DESCRIPTION; Connect has an icon and one screenshot, Cap an icon. France
Travail has a logo.
Collections: « a-la-une » (Cap, Métiers, Fantôme, FormaPro: three live, in that order) and
« recruter » (Vivier).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from tests.factories import (
    AppListingFactory,
    AppPageFactory,
    CollectionFactory,
    ImageFactory,
    PublisherFactory,
    category,
)

DESCRIPTION = (
    '<h2>Bienvenue</h2><p onclick="steal()">Des <b>métiers</b> à <i>découvrir</i>.</p>'
    "<script>alert(1)</script>"
    '<ul><li><a href="javascript:alert(1)">piège</a></li>'
    '<li><a href="/aide/">aide</a></li>'
    '<li><a href="https://example.org/guide" target="_blank">guide</a></li></ul>'
    '<img src="x" onerror="alert(1)">'
)

PUBLISHERS = {
    "FT": {"name": "France Travail", "slug": "france-travail", "verified": True},
    "SA": {"name": "Studio Alizé", "slug": "studio-alize", "verified": False},
    "TR": {"name": "Tremplin", "slug": "tremplin", "verified": False},
}

APPS = {
    "Métiers": {
        "title": "Métiers Passion",
        "publisher": "FT",
        "categories": ["decouvrir-les-metiers", "tests-et-orientation"],
        "platforms": ["web", "ios", "android"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("4.50", 20, {"5": 15, "4": 3, "3": 2}),
        "popularity": 900,
        "published": ("2023-02-01", "2025-01-10"),
        "icon": True,
        "screenshots": ["Accueil", "Fiche métier"],
        "description": DESCRIPTION,
    },
    "Connect": {
        "title": "Formation Connect",
        "publisher": "FT",
        "categories": ["trouver-une-formation"],
        "platforms": ["web", "ios"],
        "pricing": "free",
        "languages": ["fr", "en"],
        "accessibility": "full",
        "rating": ("4.20", 10, {}),
        "popularity": 700,
        "published": ("2022-03-15", "2024-09-01"),
        "icon": True,
        "screenshots": ["Recherche"],
    },
    "FormaPro": {
        "title": "FormaPro",
        "publisher": "SA",
        "categories": ["financer-sa-formation", "apprendre-en-ligne"],
        "platforms": ["android"],
        "pricing": "freemium",
        "languages": ["fr", "en"],
        "accessibility": "partial",
        "rating": ("3.10", 5, {}),
        "popularity": 300,
        "published": ("2024-04-01", "2024-04-01"),
    },
    "Atelier CV": {
        "title": "Atelier CV",
        "publisher": "TR",
        "categories": ["cv-et-lettre"],
        "platforms": ["web"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "partial",
        "rating": ("2.00", 3, {}),
        "popularity": 200,
        "published": ("2021-06-01", "2023-01-01"),
    },
    "Vivier": {
        "title": "Vivier Recrutement",
        "publisher": "TR",
        "categories": ["recruter"],
        "audiences": ["employers"],
        "platforms": ["web"],
        "pricing": "paid",
        "languages": ["fr"],
        "accessibility": "none",
        "rating": ("0.00", 0, {}),
        "popularity": 50,
        "published": ("2024-11-02", "2024-11-02"),
    },
    "Cap": {
        "title": "Cap International",
        "publisher": "FT",
        "categories": ["volontariat-international"],
        "platforms": ["web", "ios"],
        "pricing": "free",
        "languages": ["fr", "en", "de"],
        "accessibility": "full",
        "rating": ("5.00", 2, {"5": 2}),
        "popularity": 100,
        "published": ("2021-10-01", "2023-04-04"),
        "icon": True,
    },
    "Fantôme": {
        "title": "Formation Fantôme",
        "publisher": "FT",
        "categories": ["trouver-une-formation", "decouvrir-les-metiers"],
        "platforms": ["web", "ios"],
        "pricing": "paid",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("5.00", 99, {}),
        "popularity": 9999,
        "published": ("2025-06-01", "2025-06-01"),
        "unpublished": True,
    },
    "Brouillon": {
        "title": "Métier Brouillon",
        "publisher": "SA",
        "categories": ["decouvrir-les-metiers"],
        "platforms": ["ios"],
        "pricing": "paid",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("5.00", 99, {}),
        "popularity": 9999,
        "published": None,
        "draft": True,
    },
}
LIVE = [key for key, spec in APPS.items() if not spec.get("unpublished") and not spec.get("draft")]


def day(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(hour=10, tzinfo=UTC)


@dataclass
class ApiCatalogue:
    apps: dict = field(default_factory=dict)  # key → AppPage
    publishers: dict = field(default_factory=dict)  # key → Publisher
    collections: dict = field(default_factory=dict)  # slug → Collection
    es_prefix: str = ""
    problems: dict = field(default_factory=dict)  # backend → why it cannot be tested

    def slug(self, key: str) -> str:
        return self.apps[key].slug

    def keys(self, results) -> list[str]:
        """The results of a response as keys of APPS."""
        by_slug = {app.slug: key for key, app in self.apps.items()}
        return [by_slug.get(item["slug"], item["slug"]) for item in results]


def build_api_catalogue() -> ApiCatalogue:
    from catalogue.models import AppPage, AppScreenshot, Audience, Language

    built = ApiCatalogue()
    for key, values in PUBLISHERS.items():
        built.publishers[key] = PublisherFactory(**values)
    logo_owner = built.publishers["FT"]
    logo_owner.logo = ImageFactory(title="Logo France Travail")
    logo_owner.save()

    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    for position, (key, spec) in enumerate(APPS.items(), start=1):
        app = AppPageFactory(
            publisher=built.publishers[spec["publisher"]],
            title=spec["title"],
            slug=f"api-app-{position}",
            description=spec.get("description", f"<p>{spec['title']} aide à avancer.</p>"),
            categories=[category(slug) for slug in spec["categories"]],
            audiences=[audiences[slug] for slug in spec.get("audiences", ["jobseekers"])],
            listings=[
                AppListingFactory.build(
                    platform=platform,
                    url=f"https://{platform}.example.org/{position}",
                    store_id=f"store-{position}-{platform}",
                    version="2.1",
                    min_os_version="14" if platform == "ios" else "",
                    updated_at=day("2025-01-05"),
                )
                for platform in spec["platforms"]
            ],
            pricing=spec["pricing"],
            languages=[languages[code] for code in spec["languages"]],
            accessibility=spec["accessibility"],
            icon=ImageFactory(title=f"Icône {spec['title']}") if spec.get("icon") else None,
            live=not spec.get("draft"),
        )
        for order, caption in enumerate(spec.get("screenshots", ())):
            AppScreenshot.objects.create(
                page=app, image=ImageFactory(title=caption), caption=caption, sort_order=order
            )
        if spec.get("unpublished"):
            app.unpublish()
        average, count, histogram = spec["rating"]
        counters = {
            "rating_average": Decimal(average),
            "rating_count": count,
            "rating_histogram": histogram,
            "popularity": spec["popularity"],
        }
        if spec["published"]:
            first, last = spec["published"]
            counters["first_published_at"] = day(first)
            counters["last_published_at"] = day(last)
        AppPage.objects.filter(pk=app.pk).update(**counters)
        app.refresh_from_db()
        built.apps[key] = app

    featured = CollectionFactory(
        name="À la une",
        slug="a-la-une",
        sort_order=0,
        apps=[built.apps[key] for key in ("Cap", "Métiers", "Fantôme", "FormaPro")],
    )
    employers = CollectionFactory(
        name="Recruter", slug="recruter", featured=False, sort_order=1, apps=[built.apps["Vivier"]]
    )
    built.collections = {"a-la-une": featured, "recruter": employers}
    live = set(AppPage.objects.live().values_list("pk", flat=True))
    assert live == {built.apps[key].pk for key in LIVE}, "the API catalogue is not as described"
    return built


def elasticsearch_problem() -> str | None:
    from django.conf import settings
    from elasticsearch import Elasticsearch

    if not settings.ELASTICSEARCH_URL:
        return "ELASTICSEARCH_URL is not set (scripts/services.sh up; eval its env)."
    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=10, max_retries=0)
    try:
        client.info()
    except Exception as error:
        return f"Elasticsearch at {settings.ELASTICSEARCH_URL} is unreachable: {error!r}"
    finally:
        client.close()
    return None


@pytest.fixture(scope="module")
def api_media(tmp_path_factory):
    """Images of the module's catalogue (and their renditions) live as long as it does."""
    return tmp_path_factory.mktemp("api-media")


@pytest.fixture(scope="module")
def api_catalogue_module(django_db_setup, django_db_blocker, api_media):
    """The catalogue, built once per module inside a transaction rolled back at its end (each
    test runs in a savepoint of it), indexed by both backends; the Elasticsearch indices are
    under a prefix of their own, deleted at the end."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from search.backends import get_backend
    from tests.elasticsearch_utils import delete_indices

    prefix = f"test-api-{uuid4().hex[:8]}"
    overrides = override_settings(ELASTICSEARCH_INDEX_PREFIX=prefix, MEDIA_ROOT=api_media)
    with django_db_blocker.unblock():
        overrides.enable()
        outer = transaction.atomic()
        outer._from_testcase = True  # as Django's TestCase does: durable blocks stay allowed
        outer.__enter__()
    problem = None
    try:
        with django_db_blocker.unblock():
            built = build_api_catalogue()
            built.es_prefix = prefix
            get_backend("database").rebuild()
            problem = elasticsearch_problem()
            if problem:
                built.problems["elasticsearch"] = problem
            else:
                engine = get_backend("elasticsearch")
                engine.rebuild()
                engine.refresh()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            if problem is None and settings.ELASTICSEARCH_URL:
                delete_indices(settings.ELASTICSEARCH_URL, prefix)
            overrides.disable()


@pytest.fixture
def api_catalogue(api_catalogue_module, db, settings) -> ApiCatalogue:
    """The catalogue, searched by the database backend."""
    settings.SEARCH_BACKEND = "database"
    settings.ELASTICSEARCH_INDEX_PREFIX = api_catalogue_module.es_prefix
    return api_catalogue_module


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def any_backend(request, api_catalogue, settings) -> ApiCatalogue:
    """The catalogue, searched by each backend in turn (a missing node fails, never skips)."""
    if request.param in api_catalogue.problems:
        pytest.fail(api_catalogue.problems[request.param], pytrace=False)
    settings.SEARCH_BACKEND = request.param
    return api_catalogue
