"""The native feed format's public URLs: the JSON Schema and the example feed."""

import json

import jsonschema
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/flux/schema/v1.json"
EXAMPLE_PATH = "/flux/exemple.json"


def test_the_urls_are_stable():
    assert reverse("feeds:schema-v1") == SCHEMA_PATH
    assert reverse("feeds:example") == EXAMPLE_PATH


def test_the_schema_is_served_as_a_cacheable_json_schema(client):
    response = client.get(SCHEMA_PATH)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["ETag"]
    schema = json.loads(response.content)
    jsonschema.Draft202012Validator.check_schema(schema)
    # A conditional GET costs nothing.
    again = client.get(SCHEMA_PATH, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_example_feed_is_valid_against_the_served_schema(client):
    schema = json.loads(client.get(SCHEMA_PATH).content)
    response = client.get(EXAMPLE_PATH)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(response.content)))
    assert errors == []


def test_the_schema_id_when_declared_is_its_url(client, settings):
    schema = json.loads(client.get(SCHEMA_PATH).content)

    if "$id" in schema:
        assert schema["$id"].endswith(SCHEMA_PATH)


@pytest.mark.parametrize("path", [SCHEMA_PATH, EXAMPLE_PATH])
def test_the_files_are_read_only(client, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405
