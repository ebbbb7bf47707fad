"""The parser registry the sync runner uses."""

import pytest

from catalogue.sync.parsers import PARSERS, parse_feed
from catalogue.sync.records import FeedError
from tests.unit.sync.helpers import EXAMPLE_FEED, fixture_bytes


def test_every_format_has_a_parser():
    assert set(PARSERS) == {"native", "appstream", "itunes", "fdroid"}


@pytest.mark.parametrize(
    ("format_name", "body"),
    [
        ("native", EXAMPLE_FEED.read_bytes()),
        ("appstream", fixture_bytes("appstream/org.signal.Signal.metainfo.xml")),
        ("itunes", fixture_bytes("itunes/mas-slack-lookup.json")),
    ],
)
def test_parse_feed_dispatches_and_passes_options(format_name, body):
    result = parse_feed(
        format_name,
        body,
        category_mapping={},
        known_categories=set(),
        known_languages={"fr"},
        known_audiences=set(),
    )

    assert result.records
    assert all(record.categories == () for record in result.records)


def test_the_wrong_parser_for_a_body_is_a_feed_error():
    with pytest.raises(FeedError, match=r"^JSON mal formé"):
        parse_feed("itunes", fixture_bytes("appstream/org.signal.Signal.metainfo.xml"))
    with pytest.raises(FeedError, match=r"^XML mal formé"):
        parse_feed("appstream", fixture_bytes("itunes/mas-slack-lookup.json"))


def test_an_unknown_format_is_a_feed_error():
    with pytest.raises(FeedError, match="Format de flux inconnu : « rss »"):
        parse_feed("rss", b"<rss/>")
