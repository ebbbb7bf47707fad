"""Helpers for the feed parser tests: fixture files and small native feeds."""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "publisher-metadata"
APPSTREAM_FIXTURES = sorted((FIXTURES / "appstream").glob("*.xml"))
ITUNES_FIXTURES = sorted((FIXTURES / "itunes").glob("*.json"))
EXAMPLE_FEED = (
    Path(__file__).resolve().parents[3] / "catalogue" / "sync" / "schema" / "example-feed.json"
)


def fixture_bytes(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def native_app(**overrides) -> dict:
    app = {
        "id": "appli-1",
        "name": "Appli",
        "tagline": "Une accroche",
        "description": "Une description.",
        "listings": [{"platform": "web", "url": "https://example.org/appli"}],
    }
    app.update(overrides)
    return app


def native_feed(*apps, **envelope) -> bytes:
    data = {"version": 1, "publisher": {"name": "Éditeur exemple"}, "apps": list(apps)}
    data.update(envelope)
    return json.dumps(data).encode()
