"""The visitor's platform, to put the right install button first on an app page.

Two sources, the more reliable first:

- the ``Sec-CH-UA-Platform`` client hint (Chromium browsers send it on every request, as a
  quoted string: ``"Android"``, ``"iOS"``, ``"Windows"``, ``"macOS"``, ``"Linux"``,
  ``"Chrome OS"``…);
- the ``User-Agent`` header otherwise (Safari and Firefox send no client hints).

A Chromebook's own platform is the web ("web"); anything unknown is ``None`` (nothing is
highlighted). iPadOS 13 and later sends a Mac User-Agent: nothing tells it from a Mac on the
server side, so it counts as macOS (the visitor still sees every button).
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    """Where an app runs (AppListing.Platform): one listing per platform."""

    WEB = "web", _("Web")
    IOS = "ios", _("iOS")
    ANDROID = "android", _("Android")
    WINDOWS = "windows", _("Windows")
    MACOS = "macos", _("macOS")
    LINUX = "linux", _("Linux")


CLIENT_HINT_HEADER = "Sec-CH-UA-Platform"
# What the app page response sends: ask for the hint, and tell caches the page depends on it.
ACCEPT_CH = CLIENT_HINT_HEADER
VARY = ("User-Agent", CLIENT_HINT_HEADER)

CLIENT_HINTS = {
    "android": Platform.ANDROID,
    "ios": Platform.IOS,
    "windows": Platform.WINDOWS,
    "macos": Platform.MACOS,
    "mac os x": Platform.MACOS,
    "linux": Platform.LINUX,
    "chrome os": Platform.WEB,
    "chromeos": Platform.WEB,
    "chromium os": Platform.WEB,
}


CHROME_OS = re.compile(r"\bcros\b")


def visitor_platform(request) -> str | None:
    """ "ios", "android", "windows", "macos", "linux", "web" (a Chromebook) or None."""
    hint = request.headers.get(CLIENT_HINT_HEADER, "").strip().strip('"').strip().lower()
    if hint in CLIENT_HINTS:
        return str(CLIENT_HINTS[hint])
    return platform_from_user_agent(request.headers.get("User-Agent", ""))


def platform_from_user_agent(user_agent: str) -> str | None:
    ua = user_agent.lower()
    if not ua:
        return None
    # Order matters: an iPhone says "like Mac OS X", Android says "Linux", Windows Phone 10
    # says "Android", a Chromebook may say "Linux".
    if "windows phone" in ua:
        return None
    if any(device in ua for device in ("iphone", "ipad", "ipod")):
        return str(Platform.IOS)
    if "android" in ua:
        return str(Platform.ANDROID)
    if CHROME_OS.search(ua):
        return str(Platform.WEB)
    if "windows" in ua:
        return str(Platform.WINDOWS)
    if "macintosh" in ua or "mac os x" in ua:
        return str(Platform.MACOS)
    if "linux" in ua:
        return str(Platform.LINUX)
    return None


def ordered_listings(listings, platform: str | None):
    """The listings with the one for the visitor first, and which one that is (or None).

    The visitor's own platform if the app has it, else its web version if the visitor's
    platform is known; the others keep their order.
    """
    listings = list(listings)
    by_platform = {listing.platform: listing for listing in listings}
    recommended = None
    if platform is not None:
        recommended = by_platform.get(platform) or by_platform.get(str(Platform.WEB))
    if recommended is None:
        return listings, None
    return [recommended, *(item for item in listings if item is not recommended)], recommended


# F-Droid's anti-features (https://f-droid.org/docs/Anti-Features/), as visitors read them. A
# name the store does not know yet is shown as the feed gives it.
ANTI_FEATURES = {
    "Ads": _("publicité"),
    "Tracking": _("pistage de votre activité"),
    "NonFreeNet": _("services en ligne non libres"),
    "NonFreeAdd": _("promotion d'extensions non libres"),
    "NonFreeDep": _("dépend de logiciels non libres"),
    "NonFreeAssets": _("contenus non libres"),
    "UpstreamNonFree": _("code d'origine non libre"),
    "KnownVuln": _("faille de sécurité connue"),
    "NSFW": _("contenu réservé aux adultes"),
    "NoSourceSince": _("code source plus publié"),
    "TetheredNet": _("dépend d'un service de l'éditeur"),
    "DisabledAlgorithm": _("signature faible"),
    "ApplicationDebuggable": _("compilée pour le débogage"),
}


def anti_feature_labels(names) -> list[str]:
    return [str(ANTI_FEATURES.get(name, name)) for name in names or ()]
