"""The publisher statistics endpoint answers as its OpenAPI schema says, for a member (the
schema fuzz covers everyone else: 401, 403, 404, 400)."""

import pytest

from tests.factories import api_token
from tests.integration.api.test_schema_fuzz import CHECKS, keep_connection, schema  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", [{}, {"period": "7"}, {"period": "custom", "start": "x"}])
def test_a_members_answers_conform_to_the_schema(keep_connection, member_a, app_a, query):  # noqa: F811
    token = api_token(member_a)
    case = schema["/api/v1/publisher/{slug}/stats/"]["GET"].Case(
        path_parameters={"slug": "editeur-alpha"}, query=query
    )
    response = case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
    assert response.status_code == (400 if query.get("start") else 200)
