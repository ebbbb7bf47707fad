"""Feed parsers: bytes → ParseResult, one per feed format.

Every parser has the signature
    parse(body: bytes, *, category_mapping=None, known_categories=None,
          known_languages=None, known_audiences=None) -> ParseResult
and raises FeedError (French message) when the feed as a whole is unusable; a bad item
only becomes an ItemError in the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from catalogue.sync.parsers import appstream, fdroid, itunes, native
from catalogue.sync.records import FeedError, ParseResult

PARSERS: dict[str, Callable[..., ParseResult]] = {
    "native": native.parse,
    "appstream": appstream.parse,
    "itunes": itunes.parse,
    "fdroid": fdroid.parse,
}


def parse_feed(format: str, body: bytes, **options: Any) -> ParseResult:
    """Parse `body` with the parser of `format` (a key of PARSERS)."""
    try:
        parser = PARSERS[format]
    except KeyError:
        raise FeedError(
            f"Format de flux inconnu : « {format} » (formats connus : {', '.join(PARSERS)})."
        ) from None
    return parser(body, **options)
