"""Icons and screenshots from feeds → Wagtail images: size and type checked, deduplicated.

An image is fetched through the same guarded client as feeds (address, time and size
limits), must decode as PNG, JPEG, WebP or GIF within a pixel budget, and is stored once per
content (Wagtail's file_hash): the same picture under two URLs is one image.
"""

import hashlib
from dataclasses import dataclass, replace
from io import BytesIO

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from catalogue.sync.fetch import FetchError, FetchPolicy, fetch_feed

ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
MAX_PIXELS = 4096 * 4096


class ImageRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def image_policy(feed_policy: FetchPolicy | None = None) -> FetchPolicy:
    """The feed's fetch policy with the (smaller) size cap of images."""
    return replace(
        feed_policy or FetchPolicy.from_settings(), max_bytes=settings.SYNC_IMAGE_MAX_BYTES
    )


def checked_format(content: bytes) -> str:
    """The file extension for these bytes, or ImageRefused."""
    try:
        with PillowImage.open(BytesIO(content)) as picture:
            kind = picture.format
            width, height = picture.size
            if width * height > MAX_PIXELS:
                raise ImageRefused(f"image trop grande ({width} × {height} pixels)")
            picture.verify()
    except ImageRefused:
        raise
    except (OSError, SyntaxError, ValueError, PillowImage.DecompressionBombError) as error:
        raise ImageRefused(f"fichier illisible comme image ({error.__class__.__name__})") from None
    if kind not in ALLOWED_FORMATS:
        raise ImageRefused(f"format d'image non accepté ({kind})")
    return ALLOWED_FORMATS[kind]


@dataclass(frozen=True)
class Downloaded:
    content: bytes
    extension: str
    digest: str


def download_image(url: str, *, policy: FetchPolicy | None = None) -> Downloaded:
    """The image's bytes, checked (ImageRefused otherwise). Network and Pillow only, no
    database: the runner calls it from several threads at once."""
    try:
        result = fetch_feed(url, policy=policy or image_policy())
    except FetchError as error:
        # The fetcher words its size refusal for feeds; an image has its own cap.
        message = error.message.replace("Flux trop volumineux", "Image trop volumineuse")
        message = message.replace("SYNC_FETCH_MAX_BYTES", "SYNC_IMAGE_MAX_BYTES")
        raise ImageRefused(message) from None
    content = result.body or b""
    extension = checked_format(content)
    digest = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    return Downloaded(content, extension, digest)


def import_image(url: str, *, title: str, collection, policy: FetchPolicy | None = None):
    """The Wagtail image for this URL's content (an existing one if the bytes are known)."""
    return store_image(download_image(url, policy=policy), title=title, collection=collection)


def store_image(download: Downloaded, *, title: str, collection):
    """The Wagtail image of these bytes: an existing one with the same content, or a new one."""
    content, extension, digest = download.content, download.extension, download.digest
    Image = get_image_model()
    existing = Image.objects.filter(file_hash=digest).first()
    if existing is not None:
        return existing
    image = Image(title=title[:255], collection=collection)
    image.file = ImageFile(BytesIO(content), name=f"flux-{digest[:16]}.{extension}")
    image.file_hash = digest
    image.save()
    return image
