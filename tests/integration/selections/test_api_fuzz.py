"""Schemathesis on the selections' operations, as a mediator (the suite-wide fuzz runs them as
a user without the role, who meets 403s): no input gets a 5xx, every answer is documented."""

import pytest
from hypothesis import HealthCheck, settings

from selections import services
from tests.factories import AppPageFactory, UserFactory, api_token
from tests.integration.api.test_schema_fuzz import CHECKS, MAX_EXAMPLES, keep_connection, schema

__all__ = ["keep_connection"]

selections_schema = schema.include(path_regex="selections")


@pytest.fixture
def fuzz_mediator(keep_connection, db, monkeypatch, publisher_a):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, "100000/minute"),
    )
    app = AppPageFactory(publisher=publisher_a, slug="alpha-emploi", listings=["web", "android"])
    user = UserFactory(username="fuzz-mediator")
    services.grant_mediator(user, "Mission locale")
    draft = services.create_selection(user, title="Brouillon", items=[(app, "n")])
    services.share(services.create_selection(user, title="Partagée", items=[(app, "")]))
    return user, draft


@pytest.mark.django_db
@selections_schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_selection_operations(case, fuzz_mediator, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "selection_write": "100000/minute",
        },
    }
    user, _draft = fuzz_mediator
    token = api_token(user)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
