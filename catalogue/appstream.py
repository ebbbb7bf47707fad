"""AppStream's vocabulary, shared by the feed parser (catalogue.sync) and the catalogue's own
AppStream export (catalogue.api.export): the catalogue never imports its sync, so what both
must agree on lives here.

- Component types that are applications, and the platform of their listing.
- Install addresses of a Linux app: its Flathub page, else the ``appstream://<id>`` URI that
  GNOME Software and KDE Discover open (the distribution's own package, by the AppStream id).
- The ``<custom>`` keys of the store's export, so that an export read back as a feed gives the
  same listings (AppStream itself only knows desktop, console and web applications) and the
  same categories (AppStream's are freedesktop's, not the store's).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Component type → platform of its listing. AppStream has no mobile type: mobile Linux apps
# (Plasma Mobile, Phosh) are desktop-application components, so a "linux" listing too.
PLATFORM_BY_TYPE = {
    "desktop-application": "linux",
    "desktop": "linux",  # legacy name of desktop-application
    "console-application": "linux",
    "web-application": "web",
}
APPLICATION_TYPES = frozenset(PLATFORM_BY_TYPE)

FLATHUB_APP_URL = "https://flathub.org/apps/{}"
URI_SCHEME = "appstream"
_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+-]*$")
# A reverse-DNS id of three parts or more, as Flathub requires.
_FLATHUB_ID = re.compile(r"^[A-Za-z_][\w-]*(\.[A-Za-z0-9_][\w-]*){2,}$")

# The export's own keys in <custom>: "EmploiStore::listing::<platform>::<field>", …
CUSTOM_PREFIX = "EmploiStore::"
LISTING_KEY = CUSTOM_PREFIX + "listing::{platform}::{field}"
LISTING_FIELDS = ("url", "store_id", "version", "min_os_version", "updated_at")
CATEGORIES_KEY = CUSTOM_PREFIX + "categories"
AUDIENCES_KEY = CUSTOM_PREFIX + "audiences"
PRICING_KEY = CUSTOM_PREFIX + "pricing"
ACCESSIBILITY_KEY = CUSTOM_PREFIX + "accessibility"
RELEASES_PLATFORM_KEY = CUSTOM_PREFIX + "releases::platform"  # whose history <releases> is
_LISTING_KEY = re.compile(r"^EmploiStore::listing::([a-z]+)::([a-z_]+)$")


def listing_key(key: str) -> tuple[str, str] | None:
    """("android", "url") for "EmploiStore::listing::android::url", else None."""
    match = _LISTING_KEY.match(key or "")
    return (match.group(1), match.group(2)) if match else None


def flathub_id(component_id: str) -> str:
    """Flathub names apps by their id without the legacy ".desktop" suffix."""
    return component_id.removesuffix(".desktop")


def looks_like_flathub_id(component_id: str) -> bool:
    return bool(_FLATHUB_ID.match(flathub_id(component_id)))


def flathub_url(component_id: str) -> str:
    return FLATHUB_APP_URL.format(flathub_id(component_id))


def is_component_id(value: str) -> bool:
    return bool(_ID.match(value or ""))


def appstream_uri(component_id: str) -> str:
    """The address software centres open to install a component: appstream://<id>."""
    return f"{URI_SCHEME}://{component_id}"


_http_url = URLValidator(schemes=["http", "https"])


def validate_listing_url(value: str) -> None:
    """A listing's address: http(s), or appstream://<component id>."""
    if value.startswith(f"{URI_SCHEME}://"):
        if is_component_id(value.removeprefix(f"{URI_SCHEME}://")):
            return
    else:
        try:
            _http_url(value)
            return
        except ValidationError:
            pass
    raise ValidationError(
        _("Saisissez une adresse http(s) ou appstream://identifiant valide."), code="invalid"
    )
