"""The image sizes the store shows, and how to fetch their renditions without a query per image.

Templates name the same specs (``{% image app.icon fill-96x96 %}``): change both together.
A rendition that does not exist yet is made on first use.
"""

from django.db.models import Prefetch
from wagtail.images import get_image_model

CARD_ICON = "fill-96x96"  # cards in lists (includes/app_card.html), favourites, related apps
PAGE_ICON = "fill-256x256"  # the app page's icon (and its Open Graph image)
PAGE_SCREENSHOT = "max-360x640"  # the app page's screenshots
API_ICON = "fill-128x128"  # /api/v1/: icons
API_SCREENSHOT = "max-720x1280"  # /api/v1/: screenshots, sized for phones
API_LOGO = "max-256x256"  # /api/v1/: publishers' logos


def renditions_of(lookup: str, spec: str) -> Prefetch:
    """Prefetch of the renditions of the image at ``lookup`` for one spec, in one query."""
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        f"{lookup}__renditions", queryset=rendition_model.objects.filter(filter_spec=spec)
    )


def images_with(spec: str):
    """Images with their renditions for ``spec`` prefetched (to Prefetch an image relation)."""
    return get_image_model().objects.prefetch_renditions(spec)


def rendition_or_none(image, spec: str):
    """The rendition, or None when there is no image or its file is missing or unreadable."""
    if image is None:
        return None
    try:
        return image.get_rendition(spec)
    except OSError:  # wagtail.images.models.SourceImageIOError among others
        return None
