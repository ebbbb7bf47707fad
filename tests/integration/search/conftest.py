"""A fixed, hand-made catalogue for the search contract suite, and the backends under test.

Every expected result in test_contract.py is worked out by hand from the table below: keep
them in step when changing it. The catalogue has 16 live apps, one app that was published and
then unpublished, and one draft (never published); the last two must never be found.

Facets (universes: CM choisir-un-metier, SF se-former, PC preparer-sa-candidature,
TE trouver-un-emploi, CE creer-son-entreprise, PI partir-a-l-international; a11y: the RGAA
accessibility, « part » for partial):

key                    pub   sub-categories (universe)       platforms        pricing  langs    a11y
Métiers Passion        FT ✓  decouvrir-les-metiers (CM)      web ios android  free     fr       full
Formation Connect      FT ✓  trouver-une-formation (SF)      web ios          free     fr       full
FormaPro               SA    financer-sa-formation (SF)      android          freemium fr en    part
Atelier CV             TR    cv-et-lettre (PC)               web              free     fr       part
Agenda des Salons      TR    offres-emploi (TE)              web              free     fr       none
Alternance Facile      FT ✓  alternance-et-stages (TE)       web android      free     fr       part
Prêt pour l'entretien  TR    entretien-embauche (PC)         ios android      paid     fr en    none
Élan Saisonnier        SA    emplois-saisonniers (TE)        ios android      free     fr es    part
Entreprendre Ici       FT ✓  construire-son-projet,          web              free     fr       full
                             financement-et-aides (CE)
Boussole/FT            FT ✓  tests-et-orientation (CM)       web ios android  free     fr       full
Boussole/SA            SA    competences-et-bilan (CM)       windows macos    paid     fr en    none
Vivier Recrutement     TR    recruter (TE)                   web              paid     fr       part
Cap International      FT ✓  volontariat-international (PI)  web ios          free     fr en de full
Langues Pro            SA    apprendre-une-langue (PI)       web ios android  freemium en es    part
Candidature Express    TR    cv-et-lettre,                   web ios          freemium fr       none
                             entretien-embauche (PC)
kit Mobilité           SA    mobilite-et-logement (TE)       android linux    free     fr       none

Numbers (rating average and count, popularity, first and last published):

key                    rating      popularity  first       last
Métiers Passion        4.50 (120)         900  2023-03-01  2025-01-10
Formation Connect      4.00 (50)          700  2023-06-15  2024-03-01
FormaPro               3.50 (40)          300  2024-02-10  2024-02-10
Atelier CV             3.99 (30)          250  2022-11-20  2025-02-01
Agenda des Salons      3.00 (12)          300  2024-09-01  2024-09-01
Alternance Facile      4.20 (300)        1500  2023-09-05  2025-01-10
Prêt pour l'entretien  2.50 (8)           120  2024-01-20  2024-06-01
Élan Saisonnier        3.80 (25)          450  2024-05-30  2024-08-15
Entreprendre Ici       4.80 (60)          500  2022-05-12  2024-12-01
Boussole/FT            4.00 (50)          800  2023-01-15  2025-03-03
Boussole/SA            4.00 (50)           80  2024-05-30  2024-05-30
Vivier Recrutement     0.00 (0)            60  2024-11-02  2024-11-02
Cap International      4.60 (45)          650  2021-10-01  2023-04-04
Langues Pro            3.20 (90)          200  2023-12-24  2024-10-10
Candidature Express    1.50 (5)            40  2024-07-14  2024-07-14
kit Mobilité           2.00 (10)           30  2022-08-08  (none: « updated » uses first)

Publishers: FT « France Travail » (verified), SA « Studio Alizé », TR « Tremplin ».
Audiences: every app is for job-seekers except Vivier Recrutement (employers only); Agenda des
Salons and Entreprendre Ici are for employers too. The two « Boussole » apps share a name on
purpose (the id breaks the tie); Boussole/FT is created first, so it has the smaller id.
Not live: « Formation Fantôme » (FT, published then unpublished, popularity 9999, rating 5)
and « Métier Brouillon » (SA, a draft); their words would match most text queries.

Words, for the text tests (category and publisher names are searchable too): « métier » is in
the choisir-un-metier universe's name and Boussole/FT's description; « formation » in two
sub-category names and Atelier CV's description (« formations »); « emploi » in the
trouver-un-emploi universe's name and Élan Saisonnier's tagline (« emplois »); « agenda » in
one name, one tagline, one description; « salon » in Agenda des Salons and Alternance Facile's
tagline; « bilan » only for Boussole/SA.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from tests.factories import AppPageFactory, PublisherFactory, category


def day(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(hour=10, tzinfo=UTC)


# One entry per app, keyed as the tests name it: publisher is a key of PUBLISHERS, audiences
# default to job-seekers, rating is (average, count), published is (first, last) publication.
APPS = {
    "Métiers Passion": {
        "title": "Métiers Passion",
        "publisher": "FT",
        "categories": ["decouvrir-les-metiers"],
        "platforms": ["web", "ios", "android"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("4.50", 120),
        "popularity": 900,
        "published": ("2023-03-01", "2025-01-10"),
        "tagline": "Des vidéos pour découvrir des professions",
        "description": "<p>Des centaines de portraits filmés de professionnels.</p>",
    },
    "Formation Connect": {
        "title": "Formation Connect",
        "publisher": "FT",
        "categories": ["trouver-une-formation"],
        "platforms": ["web", "ios"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("4.00", 50),
        "popularity": 700,
        "published": ("2023-06-15", "2024-03-01"),
        "tagline": "Le catalogue des sessions près de chez vous",
        "description": "<p>Comparez les sessions, puis inscrivez-vous en ligne.</p>",
    },
    "FormaPro": {
        "title": "FormaPro",
        "publisher": "SA",
        "categories": ["financer-sa-formation"],
        "platforms": ["android"],
        "pricing": "freemium",
        "languages": ["fr", "en"],
        "accessibility": "partial",
        "rating": ("3.50", 40),
        "popularity": 300,
        "published": ("2024-02-10", "2024-02-10"),
        "tagline": "Financez votre projet de reconversion",
        "description": (
            "<p>Le compte personnel et les aides possibles, simulés en trois questions.</p>"
        ),
    },
    "Atelier CV": {
        "title": "Atelier CV",
        "publisher": "TR",
        "categories": ["cv-et-lettre"],
        "platforms": ["web"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "partial",
        "rating": ("3.99", 30),
        "popularity": 250,
        "published": ("2022-11-20", "2025-02-01"),
        "tagline": "Un CV clair en dix minutes",
        "description": (
            "<p>Des modèles à remplir et des <b>formations</b> express à la bureautique.</p>"
        ),
    },
    "Agenda des Salons": {
        "title": "Agenda des Salons",
        "publisher": "TR",
        "categories": ["offres-emploi"],
        "audiences": ["jobseekers", "employers"],
        "platforms": ["web"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "none",
        "rating": ("3.00", 12),
        "popularity": 300,
        "published": ("2024-09-01", "2024-09-01"),
        "tagline": "Tous les salons de recrutement de votre région",
        "description": "<p>Rencontrez les recruteurs près de chez vous.</p>",
    },
    "Alternance Facile": {
        "title": "Alternance Facile",
        "publisher": "FT",
        "categories": ["alternance-et-stages"],
        "platforms": ["web", "android"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "partial",
        "rating": ("4.20", 300),
        "popularity": 1500,
        "published": ("2023-09-05", "2025-01-10"),
        "tagline": "Les contrats d'apprentissage et les salons près de chez vous",
        "description": "<p>Un agenda des dates clés pour signer votre contrat.</p>",
    },
    "Prêt pour l'entretien": {
        "title": "Prêt pour l'entretien",
        "publisher": "TR",
        "categories": ["entretien-embauche"],
        "platforms": ["ios", "android"],
        "pricing": "paid",
        "languages": ["fr", "en"],
        "accessibility": "none",
        "rating": ("2.50", 8),
        "popularity": 120,
        "published": ("2024-01-20", "2024-06-01"),
        "tagline": "Votre agenda de rendez-vous et des questions types",
        "description": "<p>Simulez un entretien d'embauche avec une voix de synthèse.</p>",
    },
    "Élan Saisonnier": {
        "title": "Élan Saisonnier",
        "publisher": "SA",
        "categories": ["emplois-saisonniers"],
        "platforms": ["ios", "android"],
        "pricing": "free",
        "languages": ["fr", "es"],
        "accessibility": "partial",
        "rating": ("3.80", 25),
        "popularity": 450,
        "published": ("2024-05-30", "2024-08-15"),
        "tagline": "Les emplois d'été à la mer et à la montagne",
        "description": "<p>Vendanges, stations de ski, campings : postulez en un clic.</p>",
    },
    "Entreprendre Ici": {
        "title": "Entreprendre Ici",
        "publisher": "FT",
        "categories": ["construire-son-projet", "financement-et-aides"],
        "audiences": ["jobseekers", "employers"],
        "platforms": ["web"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("4.80", 60),
        "popularity": 500,
        "published": ("2022-05-12", "2024-12-01"),
        "tagline": "De l'idée à l'immatriculation",
        "description": "<p>Un parcours guidé pour créer et financer votre entreprise.</p>",
    },
    "Boussole/FT": {
        "title": "Boussole",
        "publisher": "FT",
        "categories": ["tests-et-orientation"],
        "platforms": ["web", "ios", "android"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("4.00", 50),
        "popularity": 800,
        "published": ("2023-01-15", "2025-03-03"),
        "tagline": "Un test d'orientation en vingt questions",
        "description": "<p>Identifiez les métiers qui vous correspondent.</p>",
    },
    "Boussole/SA": {
        "title": "Boussole",
        "publisher": "SA",
        "categories": ["competences-et-bilan"],
        "platforms": ["windows", "macos"],
        "pricing": "paid",
        "languages": ["fr", "en"],
        "accessibility": "none",
        "rating": ("4.00", 50),
        "popularity": 80,
        "published": ("2024-05-30", "2024-05-30"),
        "tagline": "Faites le bilan de vos compétences",
        "description": "<p>Un bilan personnalisé et un plan d'action.</p>",
    },
    "Vivier Recrutement": {
        "title": "Vivier Recrutement",
        "publisher": "TR",
        "categories": ["recruter"],
        "audiences": ["employers"],
        "platforms": ["web"],
        "pricing": "paid",
        "languages": ["fr"],
        "accessibility": "partial",
        "rating": ("0.00", 0),
        "popularity": 60,
        "published": ("2024-11-02", "2024-11-02"),
        "tagline": "Publiez vos offres et recevez des candidatures",
        "description": "<p>Un tableau de bord pour les recruteurs.</p>",
    },
    "Cap International": {
        "title": "Cap International",
        "publisher": "FT",
        "categories": ["volontariat-international"],
        "platforms": ["web", "ios"],
        "pricing": "free",
        "languages": ["fr", "en", "de"],
        "accessibility": "full",
        "rating": ("4.60", 45),
        "popularity": 650,
        "published": ("2021-10-01", "2023-04-04"),
        "tagline": "Des missions de volontariat dans le monde entier",
        "description": "<p>Partez en mission à l'étranger de six à vingt-quatre mois.</p>",
    },
    "Langues Pro": {
        "title": "Langues Pro",
        "publisher": "SA",
        "categories": ["apprendre-une-langue"],
        "platforms": ["ios", "android", "web"],
        "pricing": "freemium",
        "languages": ["en", "es"],
        "accessibility": "partial",
        "rating": ("3.20", 90),
        "popularity": 200,
        "published": ("2023-12-24", "2024-10-10"),
        "tagline": "Anglais et espagnol pour le travail",
        "description": "<p>Des leçons courtes, chaque jour, avec un tuteur.</p>",
    },
    "Candidature Express": {
        "title": "Candidature Express",
        "publisher": "TR",
        "categories": ["cv-et-lettre", "entretien-embauche"],
        "platforms": ["web", "ios"],
        "pricing": "freemium",
        "languages": ["fr"],
        "accessibility": "none",
        "rating": ("1.50", 5),
        "popularity": 40,
        "published": ("2024-07-14", "2024-07-14"),
        "tagline": "Une lettre de motivation prête à envoyer",
        "description": "<p>Suivez vos envois et relancez au bon moment.</p>",
    },
    "kit Mobilité": {
        "title": "kit Mobilité",
        "publisher": "SA",
        "categories": ["mobilite-et-logement"],
        "platforms": ["android", "linux"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "none",
        "rating": ("2.00", 10),
        "popularity": 30,
        "published": ("2022-08-08", None),
        "tagline": "Se loger près de son futur travail",
        "description": "<p>Les aides au déménagement et au permis de conduire.</p>",
    },
    # Not live: never to be found, whatever the query, filters or sort.
    "Formation Fantôme": {
        "title": "Formation Fantôme",
        "publisher": "FT",
        "categories": ["trouver-une-formation", "decouvrir-les-metiers", "offres-emploi"],
        "platforms": ["web", "ios", "android", "linux"],
        "pricing": "paid",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("5.00", 999),
        "popularity": 9999,
        "published": ("2025-06-01", "2025-06-01"),
        "tagline": "Une formation qui ne doit jamais apparaître",
        "description": "<p>Métier, emploi, agenda, salon, boussole, bilan, alternance.</p>",
        "unpublished": True,
    },
    "Métier Brouillon": {
        "title": "Métier Brouillon",
        "publisher": "SA",
        "categories": ["decouvrir-les-metiers"],
        "platforms": ["ios", "linux"],
        "pricing": "paid",
        "languages": ["fr"],
        "accessibility": "full",
        "rating": ("5.00", 999),
        "popularity": 9999,
        "published": None,
        "tagline": "Un brouillon de formation",
        "description": "<p>Emploi, agenda, salon, boussole, bilan, alternance, formulaire.</p>",
        "draft": True,
    },
}
LIVE = [key for key, spec in APPS.items() if not spec.get("unpublished") and not spec.get("draft")]

PUBLISHERS = {
    "FT": {"name": "France Travail", "slug": "france-travail", "verified": True},
    "SA": {"name": "Studio Alizé", "slug": "studio-alize", "verified": False},
    "TR": {"name": "Tremplin", "slug": "tremplin", "verified": False},
}


@dataclass
class ContractCatalogue:
    apps: dict = field(default_factory=dict)  # key → AppPage
    keys: dict = field(default_factory=dict)  # pk → key

    def pk(self, key: str) -> int:
        return self.apps[key].pk

    def names(self, ids) -> list[str]:
        """Hits as the keys of the table (an unknown id shows as such, for readable failures)."""
        return [self.keys.get(pk, f"<unknown id {pk}>") for pk in ids]


def build_catalogue() -> ContractCatalogue:
    from catalogue.models import AppPage, Audience, Language

    publishers = {key: PublisherFactory(**values) for key, values in PUBLISHERS.items()}
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    built = ContractCatalogue()
    for key, spec in APPS.items():
        app = AppPageFactory(
            publisher=publishers[spec["publisher"]],
            title=spec["title"],
            slug=f"contract-{len(built.apps) + 1}",
            tagline=spec["tagline"],
            description=spec["description"],
            categories=[category(slug) for slug in spec["categories"]],
            audiences=[audiences[slug] for slug in spec.get("audiences", ["jobseekers"])],
            listings=spec["platforms"],
            pricing=spec["pricing"],
            languages=[languages[code] for code in spec["languages"]],
            accessibility=spec["accessibility"],
            live=not spec.get("draft"),
        )
        if spec.get("unpublished"):
            app.unpublish()
        average, count = spec["rating"]
        counters = {
            "rating_average": Decimal(average),
            "rating_count": count,
            "popularity": spec["popularity"],
        }
        if spec["published"]:
            first, last = spec["published"]
            counters["first_published_at"] = day(first)
            counters["last_published_at"] = day(last) if last else None
        AppPage.objects.filter(pk=app.pk).update(**counters)
        built.apps[key] = app
        built.keys[app.pk] = key
    live = set(AppPage.objects.live().values_list("pk", flat=True))
    assert live == {built.pk(key) for key in LIVE}, "the fixed catalogue is not as described"
    return built


# --- Elasticsearch --------------------------------------------------------------------------


def elasticsearch_problem() -> str | None:
    """Why the node of ELASTICSEARCH_URL cannot be used, or None."""
    from django.conf import settings
    from elasticsearch import Elasticsearch

    if not settings.ELASTICSEARCH_URL:
        return (
            "ELASTICSEARCH_URL is not set: the contract suite runs on the real Elasticsearch "
            'node too (scripts/services.sh up; eval "$(scripts/services.sh env)").'
        )
    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=10, max_retries=0)
    try:
        client.info()
    except Exception as error:
        return (
            f"Elasticsearch at {settings.ELASTICSEARCH_URL} (ELASTICSEARCH_URL) is unreachable: "
            f"{type(error).__name__}: {error}"
        )
    finally:
        client.close()
    return None


def new_index_prefix() -> str:
    return f"test-contract-{uuid4().hex[:8]}"


def delete_indices(prefix: str) -> None:
    """Every index under the prefix (by name: wildcard deletes are refused by default)."""
    from django.conf import settings
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=30, max_retries=0)
    try:
        names = list(client.indices.get(index=f"{prefix}-*", expand_wildcards="all"))
        if names:
            client.indices.delete(index=",".join(names))
    finally:
        client.close()


# --- The catalogue, indexed by both backends -------------------------------------------------


@dataclass
class IndexedCatalogue:
    catalogue: ContractCatalogue
    es_prefix: str
    indexed: dict = field(default_factory=dict)  # backend name → what rebuild() returned
    problems: dict = field(default_factory=dict)  # backend name → why it cannot be tested

    def require(self, name: str) -> None:
        """A backend that could not be loaded FAILS its tests (never skips them); for
        Elasticsearch, that includes a missing or unreachable node."""
        if name in self.problems:
            pytest.fail(self.problems[name], pytrace=False)


def load(indexed: IndexedCatalogue, name: str) -> None:
    from search.backends import get_backend

    try:
        engine = get_backend(name)
        indexed.indexed[name] = engine.rebuild()
        engine.refresh()
    except Exception as error:  # reported by each test of that backend
        indexed.problems[name] = f"{name}: rebuild() of the contract catalogue failed: {error!r}"


@pytest.fixture(scope="module")
def indexed_catalogue(django_db_setup, django_db_blocker):
    """The catalogue, built once per module and indexed by both backends.

    Built inside a transaction that is rolled back after the module's last test (each test
    then runs in a savepoint of it, as usual), under an index prefix of its own whose indices
    are deleted at the end. The database backend's table lives in that transaction; the
    Elasticsearch indices are shared by the module's tests, which only read them (a test that
    writes to an index uses `private_index`).
    """
    from django.db import transaction
    from django.test import override_settings

    prefix = new_index_prefix()
    overrides = override_settings(ELASTICSEARCH_INDEX_PREFIX=prefix)
    with django_db_blocker.unblock():
        overrides.enable()
        outer = transaction.atomic()
        outer._from_testcase = True  # as Django's TestCase does: durable blocks stay allowed
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            indexed = IndexedCatalogue(catalogue=build_catalogue(), es_prefix=prefix)
            load(indexed, "database")
            problem = elasticsearch_problem()
            if problem:
                indexed.problems["elasticsearch"] = problem
            else:
                load(indexed, "elasticsearch")
        yield indexed
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            if elasticsearch_problem() is None:
                delete_indices(prefix)
            overrides.disable()


@pytest.fixture
def contract_catalogue(indexed_catalogue, db) -> ContractCatalogue:
    return indexed_catalogue.catalogue


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, settings, indexed_catalogue, db):
    """The backend under test (settings.SEARCH_BACKEND), holding the fixed catalogue: rebuilt
    from scratch, then refreshed."""
    from search.backends import get_backend

    indexed_catalogue.require(request.param)
    settings.SEARCH_BACKEND = request.param
    settings.ELASTICSEARCH_INDEX_PREFIX = indexed_catalogue.es_prefix
    engine = get_backend()
    assert engine.name == request.param
    return engine


@pytest.fixture
def private_index(backend, settings):
    """For a test that writes to the index: the backend rebuilt into an index of its own
    (Elasticsearch: a new prefix, deleted afterwards; database: this test's transaction)."""
    prefix = None
    if backend.name == "elasticsearch":
        prefix = settings.ELASTICSEARCH_INDEX_PREFIX = new_index_prefix()
    try:
        backend.rebuild()
        backend.refresh()
        yield backend
    finally:
        if prefix:
            delete_indices(prefix)


@pytest.fixture
def both_backends(settings, indexed_catalogue, db):
    """Both backends at once, for the tests comparing their answers."""
    from search.backends import get_backend

    indexed_catalogue.require("database")
    indexed_catalogue.require("elasticsearch")
    settings.ELASTICSEARCH_INDEX_PREFIX = indexed_catalogue.es_prefix
    return {name: get_backend(name) for name in ("database", "elasticsearch")}
