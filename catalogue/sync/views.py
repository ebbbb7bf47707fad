"""The public, stable URLs of the native feed format: its JSON Schema and an example feed.

Publishers (and their validators) fetch these from anywhere: they are static, cacheable and
readable cross-origin. The files come from catalogue/sync/schema/, with this site's URL of
the schema as the schema's "$id" and the example's "$schema".
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_FILE = SCHEMA_DIR / "feed-v1.schema.json"
EXAMPLE_FILE = SCHEMA_DIR / "example-feed.json"
MAX_AGE = 24 * 60 * 60  # a day: the v1 schema only ever gains compatible clarifications


@cache
def read(path: Path) -> tuple[bytes, str]:
    """The file's bytes and their strong ETag, read once per process."""
    body = path.read_bytes()
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def serve(path: Path, content_type: str, url_key: str):
    """A view serving the file, its url_key ("$id" or "$schema") set to this site's schema URL.

    The files cannot know the host they are served from; the schema's own address is
    ``SITE_URL`` + /flux/schema/v1.json wherever the store runs.
    """

    def body_and_etag() -> tuple[bytes, str]:
        data = json.loads(read(path)[0])
        data = {url_key: schema_url(), **{k: v for k, v in data.items() if k != url_key}}
        if url_key == "$id":  # keep "$schema" (the JSON Schema dialect) first
            data = {"$schema": data.pop("$schema"), **data} if "$schema" in data else data
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'

    def etag(request):
        return body_and_etag()[1]

    @require_safe
    @condition(etag_func=etag)
    def view(request):
        body, _etag = body_and_etag()
        response = HttpResponse(body, content_type=content_type)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return view


def schema_url() -> str:
    return f"{settings.SITE_URL}{reverse('feeds:schema-v1')}"


feed_schema = serve(SCHEMA_FILE, "application/schema+json", "$id")
example_feed = serve(EXAMPLE_FILE, "application/json", "$schema")
