"""Shared fixtures: two publishers with a member each, an editor, an app per publisher.

The suite runs on PostgreSQL only (the constraints, the query counts and the workflow are
PostgreSQL behaviour): run it with DJANGO_ENV=test and a postgres:// DATABASE_URL, see README.
"""

import fcntl
import hashlib
import os
import tempfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from pytest_django.plugin import blocking_manager_key

from tests.factories import (
    AppPageFactory,
    EditorFactory,
    MemberFactory,
    PublisherFactory,
)

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "postgis://")


def pytest_configure(config):
    """Refuse to run anywhere but on the test profile and PostgreSQL, loudly."""
    # WhiteNoise warns when collectstatic has not run (STATIC_ROOT missing); tests need no assets.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    problems = []
    if os.environ.get("DJANGO_ENV") != "test":
        problems.append(f"DJANGO_ENV must be 'test' (it is {os.environ.get('DJANGO_ENV')!r})")
    database_url = os.environ.get("DATABASE_URL", "")
    engine = settings.DATABASES["default"]["ENGINE"]
    if not database_url.startswith(POSTGRES_SCHEMES) or not engine.endswith("postgresql"):
        problems.append(
            "DATABASE_URL must point to PostgreSQL "
            f"(it is {database_url or 'unset'!r}, engine {engine})"
        )
    if not problems:
        # A prefix of this run's own: runs side by side never delete each other's indices.
        settings.ELASTICSEARCH_INDEX_PREFIX = (
            f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{uuid.uuid4().hex[:6]}"
        )
        admin_search = settings.WAGTAILSEARCH_BACKENDS["default"]
        if "INDEX_PREFIX" in admin_search:
            admin_search["INDEX_PREFIX"] = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-admin-"
        with config.stash[blocking_manager_key].unblock():
            use_template_database(built_here=not hasattr(config, "workerinput"))
    if problems:
        raise pytest.UsageError(
            "The test suite runs on PostgreSQL with DJANGO_ENV=test: "
            + "; ".join(problems)
            + ". Example: DJANGO_ENV=test "
            "DATABASE_URL=postgres://emploistore:emploistore@127.0.0.1:54329/emploistore "
            "REDIS_URL=redis://127.0.0.1:63799/0 ELASTICSEARCH_URL=http://127.0.0.1:9201 "
            ".venv/bin/pytest (services: scripts/services.sh up)"
        )


# --- After a transactional test ---------------------------------------------------------------


def flushes(item) -> bool:
    """Whether the test ends with a flush (transactional: TransactionTestCase's teardown)."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    return transactional or bool({"transactional_db", "live_server"} & set(item.fixturenames))


def restores(item) -> bool:
    """Whether the test puts the migrations' rows back as it starts (serialized_rollback)."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the rows the migrations made (the site, the page tree, the reference data) once
    a transactional test's flush has taken them, unless the next test does it itself.

    Django restores them at the start of the next serialized-rollback test only, which is
    enough while transactional tests run last; xdist does not keep that order."""
    result = yield
    # No next test (nextitem None): nothing needs the rows, and the session's teardown, run
    # within this one, has already dropped the test database.
    if nextitem is not None and flushes(item) and not restores(nextitem):
        connection = connections["default"]
        if hasattr(connection, "_test_serialized_contents"):
            with item.config.stash[blocking_manager_key].unblock():
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    return result


# --- One migrated database, copied for each test process --------------------------------------


def migrations_fingerprint() -> str:
    """What the migrated template depends on: every installed app's migration files."""
    digest = hashlib.sha256()
    for app_config in apps.get_app_configs():
        for path in sorted(Path(app_config.path, "migrations").glob("*.py")):
            digest.update(f"{app_config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def use_template_database(built_here: bool) -> None:
    """Test processes create their database as a copy of one migrated once (PostgreSQL's
    CREATE DATABASE … TEMPLATE takes a second; Wagtail's migrations took each process 20 to
    40 s). The process that starts the run (xdist's controller, or the only one) builds the
    template when the migrations changed since it was last built (its comment holds their
    fingerprint); the processes' own ``migrate`` then finds nothing to apply."""
    connection = connections["default"]
    name = f"test_{connection.settings_dict['NAME']}_template"
    connection.settings_dict.setdefault("TEST", {})["TEMPLATE"] = name
    if built_here:
        # Runs from two checkouts share the server: one builds at a time.
        lock = Path(tempfile.gettempdir(), f"emploistore-{name}.lock")
        with lock.open("w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            build_template_database(connection, name, migrations_fingerprint())


def build_template_database(connection, name: str, fingerprint: str) -> None:
    from django.core.management import call_command

    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
        if row and row[0] == fingerprint:
            return
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
    with connection._nodb_cursor() as cursor:
        # Marked as built only once complete: an interrupted build is built again.
        cursor.execute(f"COMMENT ON DATABASE {quoted} IS '{fingerprint}'")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files (icons, logos) go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def catalogue(db):
    """The catalogue index page, created by ensure_store_structure on post_migrate."""
    from catalogue.models import CatalogueIndexPage

    return CatalogueIndexPage.objects.get()


# --- The cast: two publishers with a member each, an editor, an app per publisher ---------------
#
# Made for each test, or once for a whole module that asks for it with
# ``pytest.mark.usefixtures("shared_catalogue")`` (Wagtail's pages cost a test most of its time).


def make_editor():
    return EditorFactory(username="editor")


def make_publisher_a():
    return PublisherFactory(name="Éditeur Alpha", slug="editeur-alpha")


def make_publisher_b():
    return PublisherFactory(name="Éditeur Bêta", slug="editeur-beta")


def make_app_a(publisher):
    return AppPageFactory(
        publisher=publisher,
        title="Alpha Emploi",
        slug="alpha-emploi",
        tagline="Les offres d'emploi près de chez vous",
    )


def make_app_b(publisher):
    return AppPageFactory(
        publisher=publisher,
        title="Bêta Formation",
        slug="beta-formation",
        tagline="Toutes les formations financées",
    )


@pytest.fixture(scope="module")
def shared_catalogue(django_db_setup, django_db_blocker):
    """The cast made once for the module, in a transaction rolled back after its last test.
    Each test runs in a savepoint on top of it (the ``db`` fixture) and reads its own copies
    from the database, so nothing a test changes reaches the next one. Only for modules
    without transactional tests (their flush would empty the transaction under the others)."""
    with django_db_blocker.unblock(), transaction.atomic():
        publisher_a, publisher_b = make_publisher_a(), make_publisher_b()
        made = {
            "editor": make_editor(),
            "publisher_a": publisher_a,
            "publisher_b": publisher_b,
            "member_a": MemberFactory(username="member-a", publisher=publisher_a),
            "member_b": MemberFactory(username="member-b", publisher=publisher_b),
            "app_a": make_app_a(publisher_a),
            "app_b": make_app_b(publisher_b),
        }
        yield {name: (type(instance), instance.pk) for name, instance in made.items()}
        transaction.set_rollback(True)


def cast(request, name: str, make):
    """The test's ``name``: read from the module's shared catalogue, or made now."""
    request.getfixturevalue("db")
    if "shared_catalogue" in request.fixturenames:
        model, pk = request.getfixturevalue("shared_catalogue")[name]
        return model.objects.get(pk=pk)
    return make()


@pytest.fixture
def editor(request):
    return cast(request, "editor", make_editor)


@pytest.fixture
def publisher_a(request):
    return cast(request, "publisher_a", make_publisher_a)


@pytest.fixture
def publisher_b(request):
    return cast(request, "publisher_b", make_publisher_b)


@pytest.fixture
def member_a(request, publisher_a):
    return cast(
        request, "member_a", lambda: MemberFactory(username="member-a", publisher=publisher_a)
    )


@pytest.fixture
def member_b(request, publisher_b):
    return cast(
        request, "member_b", lambda: MemberFactory(username="member-b", publisher=publisher_b)
    )


@pytest.fixture
def app_a(request, publisher_a):
    return cast(request, "app_a", lambda: make_app_a(publisher_a))


@pytest.fixture
def app_b(request, publisher_b):
    return cast(request, "app_b", lambda: make_app_b(publisher_b))


@pytest.fixture(scope="session", autouse=True)
def clean_test_indices():
    """Indices the run created under the test prefix go at the end (the node outlives runs)."""
    yield
    url = os.environ.get("ELASTICSEARCH_URL")
    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    if url and prefix.startswith("test"):
        from tests.elasticsearch_utils import delete_indices

        try:
            delete_indices(url, prefix)
        except Exception as error:
            print(f"could not delete the test indices: {error}")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back database must not leave labels."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def empty_stats_memory():
    """Each test starts with no counts held in this process's memory (kept while there is no
    Redis, sent along with the next increments that reach one: another test's views would)."""
    from catalogue.stats import counting

    counting.memory.take()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in French: a request in English (LocaleMiddleware, the profile's
    language) leaves the thread's language active after its response."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def closed_search_breaker():
    """Each test starts with the search engine trusted again (search.service's breaker is per
    process: a test that made the engine fail must not send the next one to the database)."""
    from search.service import breaker

    breaker.succeeded()
    yield
    breaker.succeeded()


@pytest.fixture
def feed_lock_held_elsewhere(db):
    """hold(feed_id): another process's run holds the feed's lock (catalogue.sync.locks), from a
    connection of its own, until the test ends."""
    import psycopg
    from django.db import connection

    from catalogue.sync.locks import NAMESPACE

    params = connection.get_connection_params()
    others = []

    def hold(feed_id: int) -> None:
        other = psycopg.connect(**params, autocommit=True)
        other.execute("SELECT pg_advisory_lock(%s, %s)", [NAMESPACE, feed_id])
        others.append(other)

    yield hold
    for other in others:
        other.close()
