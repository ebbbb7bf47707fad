"""Schemathesis against the live OpenAPI schema: no input gets a 5xx, every answer is documented.

The schema is read from /api/schema/ through the WSGI application, in process (no server), and
each operation becomes one test, run with a bounded number of generated requests (positive and
negative data, the coverage phase's boundary values included) and a fixed seed, so a run is
repeatable. The checks: no server error, documented status codes and content types, and bodies
that match their schema (errors included: every operation documents the error body as its
default response).

Generated {slug} path parameters mostly meet 404s: part of them are replaced by slugs of the
fixture's objects, and test_known_objects_conform runs every {slug} operation on each of those
objects (and on a draft, which must stay a 404).

Requests carry a token of a fixture user (recreated before each one, since an operation may be
DELETE /auth/token/), so the operations for signed-in users run past authentication; the
contract tests cover the anonymous answers. Search runs on the database backend here (the data
lives in the test's transaction, which Elasticsearch cannot see). A failure names the operation
and shows the request that reproduces it.
"""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from store.wsgi import application
from tests.factories import (
    AppPageFactory,
    CollectionFactory,
    PublisherFactory,
    UserFactory,
    api_token,
    category,
)

MAX_EXAMPLES = 15
SEED = 20250401

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # Each operation on its own: sequences of calls are the contract tests' business.
        "phases": {"stateful": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)

# Slugs of the fixture's objects, by the collection a path names: generated slugs alone would only
# ever meet 404s. The draft's slug must stay a 404 everywhere.
DRAFT_SLUG = "brouillon"
APP_SLUGS = ("alpha-emploi", "beta-formation", DRAFT_SLUG)
KNOWN_SLUGS = {
    "/publishers/": ("editeur-alpha", "editeur-beta"),
    "/collections/": ("a-la-une",),
    "/apps/": APP_SLUGS,
    "/favourites/": APP_SLUGS,
    # A publisher's statistics are its members' (the fuzz user is none: 403, documented).
    "/publisher/": ("editeur-alpha",),
}
MEMBERS_ONLY = ("/stats/",)


@schema.hook
def before_generate_path_parameters(context, strategy):
    """About half of the {slug} values are generated, the others are slugs that exist."""
    path = context.operation.path
    slugs = next((slugs for part, slugs in KNOWN_SLUGS.items() if part in path), None)
    if slugs is None:
        return strategy

    def with_known_slug(generated_and_known):
        generated, known = generated_and_known
        if isinstance(generated, dict) and "slug" in generated:
            return {**generated, "slug": known}
        return generated

    return st.one_of(st.tuples(strategy, st.sampled_from(slugs)).map(with_known_slug), strategy)


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, as a server must:
    here that connection holds the test's transaction, so it stays open (as Django's test
    client does it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_catalogue(django_db_setup, django_db_blocker):
    """A small live catalogue and the user who calls, made once for the module in a transaction
    rolled back after its last test (each test runs in a savepoint on top of it)."""
    with (
        django_db_blocker.unblock(),
        override_settings(SEARCH_BACKEND="database"),
        transaction.atomic(),
    ):
        publisher_a = PublisherFactory(name="Éditeur Alpha", slug="editeur-alpha")
        publisher_b = PublisherFactory(name="Éditeur Bêta", slug="editeur-beta")
        first = AppPageFactory(
            publisher=publisher_a,
            title="Alpha Emploi",
            slug="alpha-emploi",
            categories=[category("offres-emploi")],
            listings=["web", "android"],
        )
        second = AppPageFactory(
            publisher=publisher_b, title="Bêta Formation", slug="beta-formation"
        )
        AppPageFactory(publisher=publisher_a, title="Brouillon", slug=DRAFT_SLUG, live=False)
        CollectionFactory(slug="a-la-une", apps=[first, second])
        yield UserFactory(username="fuzzer").pk
        transaction.set_rollback(True)


@pytest.fixture
def fuzz_user(fuzz_catalogue, keep_connection, db, settings):
    """The caller (the catalogue is the module's), and throttling out of the way."""
    settings.SEARCH_BACKEND = "database"
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return get_user_model().objects.get(pk=fuzz_catalogue)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api(case, fuzz_user):
    token = api_token(fuzz_user)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


def known_object_cases():
    """Every operation on one {slug}, with each slug of the fixture that its path may name."""
    for result in schema.get_all_operations():
        operation = result.ok()
        # POST creates (a review): it needs a body, and is not idempotent; test_api covers it.
        if "{slug}" not in operation.path or operation.method.upper() == "POST":
            continue
        slugs = next(slugs for part, slugs in KNOWN_SLUGS.items() if part in operation.path)
        for slug in slugs:
            yield pytest.param(operation, slug, id=f"{operation.label} {slug}")


@pytest.mark.django_db
@pytest.mark.parametrize(("operation", "slug"), list(known_object_cases()))
def test_known_objects_conform(operation, slug, fuzz_user):
    """The fixture's objects through every {slug} operation: answers as documented, no 5xx."""
    token = api_token(fuzz_user)
    case = operation.Case(path_parameters={"slug": slug})
    success = 200 if operation.method.upper() == "GET" else 204
    expected = 404 if slug == DRAFT_SLUG else success
    if any(part in operation.path for part in MEMBERS_ONLY):
        expected = 403
    for _attempt in range(2):  # twice: PUT and DELETE are idempotent
        response = case.call_and_validate(
            headers={"Authorization": f"Token {token}"}, checks=CHECKS
        )
        assert response.status_code == expected, response.text
