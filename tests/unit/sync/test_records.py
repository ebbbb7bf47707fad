"""Records: JSON round trip and the content hash the sync uses to skip unchanged apps."""

import dataclasses
import json

import pytest

from catalogue.sync.parsers import parse_feed
from catalogue.sync.records import AppRecord, ImageRecord, ItemError, ListingRecord
from tests.unit.sync.helpers import (
    APPSTREAM_FIXTURES,
    EXAMPLE_FEED,
    ITUNES_FIXTURES,
    native_app,
    native_feed,
)

ALL_FIXTURES = [
    *[("appstream", path) for path in APPSTREAM_FIXTURES],
    *[("itunes", path) for path in ITUNES_FIXTURES],
    ("native", EXAMPLE_FEED),
]


@pytest.mark.parametrize(("format_name", "path"), ALL_FIXTURES, ids=lambda v: getattr(v, "name", v))
def test_content_hash_is_stable_across_parses(format_name, path):
    first = parse_feed(format_name, path.read_bytes())
    second = parse_feed(format_name, path.read_bytes())

    assert [r.content_hash() for r in first.records] == [r.content_hash() for r in second.records]
    assert len({r.content_hash() for r in first.records}) == len(first.records)


@pytest.mark.parametrize(("format_name", "path"), ALL_FIXTURES, ids=lambda v: getattr(v, "name", v))
def test_records_survive_a_json_round_trip(format_name, path):
    for record in parse_feed(format_name, path.read_bytes()).records:
        data = json.loads(json.dumps(record.to_dict()))
        copy = AppRecord.from_dict(data)

        assert copy == record
        assert copy.warnings == record.warnings
        assert copy.content_hash() == record.content_hash()


def test_content_hash_changes_with_a_routine_field():
    listing = {"platform": "ios", "url": "https://example.org/ios", "version": "1.0"}
    before = parse_feed("native", native_feed(native_app(listings=[listing]))).records[0]
    listing["version"] = "1.1"
    after = parse_feed("native", native_feed(native_app(listings=[listing]))).records[0]

    assert before.listings[0].version == "1.0"
    assert after.listings[0].version == "1.1"
    assert before.content_hash() != after.content_hash()


def test_content_hash_ignores_warnings_but_not_the_rest():
    record = AppRecord(
        external_id="a",
        name="A",
        listings=(ListingRecord(platform="web", url="https://example.org/"),),
        screenshots=(
            ImageRecord("https://example.org/1.png", "Un"),
            ImageRecord("https://example.org/2.png", "Deux"),
        ),
    )

    assert dataclasses.replace(record, warnings=("bizarre",)).content_hash() == (
        record.content_hash()
    )
    assert dataclasses.replace(record, name="B").content_hash() != record.content_hash()
    reordered = dataclasses.replace(record, screenshots=record.screenshots[::-1])
    assert reordered.content_hash() != record.content_hash()
    assert len(record.content_hash()) == 64


def test_item_error_labels():
    assert str(ItemError("com.example", "Nom manquant.")) == "« com.example » : Nom manquant."
    assert str(ItemError(0, "Élément invalide.")) == "élément n° 1 : Élément invalide."
    assert ItemError(3, "x").to_dict() == {"item": 3, "message": "x"}


def test_parse_result_is_json_serialisable():
    result = parse_feed("native", EXAMPLE_FEED.read_bytes())

    data = json.loads(json.dumps(result.to_dict()))

    assert data["feed_publisher"] == "Mission locale numérique (exemple)"
    assert len(data["records"]) == 3
    assert data["records"][0]["listings"][0]["updated_at"] == "2025-03-14T09:30:00+00:00"
