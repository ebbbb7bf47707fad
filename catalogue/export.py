"""The catalogue as open data: every live app, in both languages, as JSON rows, CSV or an
AppStream catalog (licence Ouverte / Etalab 2.0, as the site's footer says).

Built from the database in a fixed number of queries (everything prefetched), whatever the
number of apps. The AppStream catalog follows the specification (``appstreamcli validate`` in
tests/integration/api/test_export.py) and carries, in <custom> keys
(``catalogue.appstream``), what AppStream cannot say: a store reading it back as a feed gets
the same apps, listings, licences and both languages (the round trip test).
"""

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Prefetch
from wagtail.rich_text import expand_db_html

from catalogue import appstream, licences
from catalogue.models import AppListing, AppPage, AppRelease, AppScreenshot, Category

LICENCE = "etalab-2.0"
LICENCE_NAME = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
# A freedesktop category for each universe (AppStream's vocabulary); the store's own
# categories go in a <custom> key.
FREEDESKTOP_CATEGORIES = {"se-former": "Education"}
DEFAULT_FREEDESKTOP_CATEGORY = "Office"
CSV_COLUMNS = (
    "id",
    "slug",
    "name_fr",
    "name_en",
    "tagline_fr",
    "tagline_en",
    "publisher",
    "publisher_name",
    "categories",
    "audiences",
    "platforms",
    "listings",
    "pricing",
    "accessibility",
    "languages",
    "licence",
    "licence_kind",
    "website",
    "rating_average",
    "rating_count",
    "first_published_at",
    "last_published_at",
    "url",
)


def export_apps():
    """Live, public apps with everything the export writes, in a fixed number of queries."""
    return (
        AppPage.objects.visible()
        .select_related("publisher", "icon")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
            Prefetch("listings", queryset=AppListing.objects.order_by("sort_order", "pk")),
            Prefetch("releases", queryset=AppRelease.objects.order_by("sort_order", "pk")),
            Prefetch(
                "screenshots",
                queryset=AppScreenshot.objects.select_related("image").order_by("sort_order"),
            ),
            "audiences",
            "languages",
        )
        .order_by("pk")
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def app_row(app, page_url: str) -> dict:
    """One app as open data: both languages, listings, licence."""
    return {
        "id": app.pk,
        "slug": app.slug,
        "name": {"fr": app.title, "en": app.title_en},
        "tagline": {"fr": app.tagline, "en": app.tagline_en},
        "description_html": {
            "fr": expand_db_html(app.description or ""),
            "en": expand_db_html(app.description_en or ""),
        },
        "publisher": {"slug": app.publisher.slug, "name": app.publisher.name},
        "categories": [category.slug for category in app.categories.all()],
        "audiences": [audience.slug for audience in app.audiences.all()],
        "pricing": app.pricing,
        "accessibility": app.accessibility,
        "languages": [language.code for language in app.languages.all()],
        "licence": app.licence,
        "licence_kind": licences.kind(app.licence),
        "website": app.website,
        "listings": [
            {
                "platform": listing.platform,
                "url": listing.url,
                "store_id": listing.store_id,
                "version": listing.version,
                "min_os_version": listing.min_os_version,
                "updated_at": _iso(listing.updated_at),
            }
            for listing in app.listings.all()
        ],
        "releases": [
            {
                "platform": release.platform,
                "version": release.version,
                "released_at": _iso(release.released_at),
            }
            for release in app.releases.all()
        ],
        "rating": {"average": float(app.rating_average), "count": app.rating_count},
        "first_published_at": _iso(app.first_published_at),
        "last_published_at": _iso(app.last_published_at),
        "url": page_url,
    }


def csv_text(rows: list[dict]) -> str:
    """The rows as CSV (UTF-8, comma-separated, one line per app; lists joined by spaces)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row["id"],
                row["slug"],
                row["name"]["fr"],
                row["name"]["en"],
                row["tagline"]["fr"],
                row["tagline"]["en"],
                row["publisher"]["slug"],
                row["publisher"]["name"],
                " ".join(row["categories"]),
                " ".join(row["audiences"]),
                " ".join(listing["platform"] for listing in row["listings"]),
                " ".join(listing["url"] for listing in row["listings"]),
                row["pricing"],
                row["accessibility"],
                " ".join(row["languages"]),
                row["licence"],
                row["licence_kind"],
                row["website"],
                row["rating"]["average"],
                row["rating"]["count"],
                row["first_published_at"] or "",
                row["last_published_at"] or "",
                row["url"],
            ]
        )
    return out.getvalue()


# --- AppStream -------------------------------------------------------------------------------


_SPACES = re.compile(r"\s+")
LOCAL_PREFIX = "localhost.emploistore"


def component_id_prefix() -> str:
    """Reverse DNS of the site's address (SITE_URL): « https://emploi-store.fr » →
    « fr.emploi_store » (AppStream ids are reverse DNS; hyphens are discouraged). A site on an
    IP address or a bare host name (tests, the demo) gets LOCAL_PREFIX."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    parts = [part for part in reversed(host.split(".")) if part]
    if len(parts) < 2 or all(part.isdigit() for part in parts):
        return LOCAL_PREFIX
    return ".".join(_id_part(part) for part in parts)


def _id_part(text: str) -> str:
    """A segment of a component id: letters, digits and « _ », never a digit first."""
    part = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return f"x{part}" if not part[:1].isalpha() else part


def component_id(app) -> str:
    return f"{component_id_prefix()}.{_id_part(app.slug)}"


class _AppStreamMarkup(HTMLParser):
    """Rich text → AppStream description markup: <p>, <ul>/<ol> of <li>, <em> inside; headings
    become paragraphs, <strong> becomes <em>, links their text (AppStream has no links)."""

    BLOCKS = {"p": "p", "h2": "p", "h3": "p", "h4": "p", "li": "li"}
    LISTS = {"ul", "ol"}
    INLINE = {"em": "em", "i": "em", "strong": "em", "b": "em"}

    def __init__(self, parent: ET.Element):
        super().__init__(convert_charrefs=True)
        self.parent = parent
        self.stack: list[ET.Element] = []
        self.list: ET.Element | None = None

    def _current(self) -> ET.Element:
        if not self.stack:
            self.stack.append(ET.SubElement(self.parent, "p"))
        return self.stack[-1]

    def handle_starttag(self, tag, attrs):
        if tag in self.LISTS:
            self.stack = []
            self.list = ET.SubElement(self.parent, tag)
        elif tag == "li":
            self.stack = [ET.SubElement(self.list if self.list is not None else self.parent, "li")]
        elif tag in self.BLOCKS:
            self.stack = [ET.SubElement(self.parent, "p")]
        elif tag in self.INLINE and self.stack:
            self.stack.append(ET.SubElement(self.stack[-1], "em"))
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag in self.LISTS:
            self.list, self.stack = None, []
        elif tag in self.BLOCKS:
            self.stack = []
        elif tag in self.INLINE and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        if not data.strip() and not self.stack:
            return
        element = self._current()
        if len(element):
            element[-1].tail = (element[-1].tail or "") + data
        else:
            element.text = (element.text or "") + data


def _description(component: ET.Element, html: str, lang: str | None) -> None:
    if not html:
        return
    description = ET.SubElement(component, "description")
    if lang:
        description.set(appstream.XML_LANG, lang)
    _AppStreamMarkup(description).feed(expand_db_html(html))
    for element in description.iter():
        element.text = _SPACES.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACES.sub(" ", element.tail) if element.tail else element.tail
    for block in [e for e in description.iter() if e.tag in ("p", "li")]:
        if block.text:
            block.text = block.text.lstrip()
        last = block[-1] if len(block) else None
        if last is not None and last.tail:
            last.tail = last.tail.rstrip()
        elif last is None and block.text:
            block.text = block.text.rstrip()
    for block in list(description):
        if block.tag == "p" and not "".join(block.itertext()).strip():
            description.remove(block)
    if not len(description):
        component.remove(description)


def _text(parent: ET.Element, tag: str, value: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = value
    return element


def _custom_value(custom: ET.Element, key: str, value) -> None:
    if value:
        _text(custom, "value", str(value), key=key)


def appstream_component(app, *, page_url: str, image_url, default_icon: str = "") -> ET.Element:
    """One app as an AppStream component (image_url(image) → absolute URL of an image).

    Every app is a web-application: it opens at its web version, or at its page on the store,
    which offers every platform's install button (a desktop-application would need a desktop
    file; AppStream knows nothing of phones). Each platform's listing is in <custom>."""
    listings = list(app.listings.all())
    web = next((listing for listing in listings if listing.platform == "web"), None)
    component = ET.Element("component", {"type": "web-application"})
    _text(component, "id", component_id(app))
    # The catalogue is French: the untranslated text is French, English is tagged.
    _text(component, "name", app.title)
    if app.title_en:
        _text(component, "name", app.title_en, **{appstream.XML_LANG: "en"})
    _text(component, "summary", app.tagline)
    if app.tagline_en:
        _text(component, "summary", app.tagline_en, **{appstream.XML_LANG: "en"})
    _description(component, app.description, None)
    _description(component, app.description_en, "en")
    if app.licence:
        _text(component, "project_license", app.licence)
    # <developer_name>: what appstreamcli 0.16 (Debian 12) knows; AppStream 1.0's <developer>
    # is read too by the feed parser.
    _text(component, "developer_name", app.publisher.name)
    _text(component, "launchable", web.url if web is not None else page_url, type="url")
    icon = image_url(app.icon) if app.icon_id else None
    if icon or default_icon:
        _text(component, "icon", icon or default_icon, type="remote")
    _text(component, "url", app.website or page_url, type="homepage")
    categories = ET.SubElement(component, "categories")
    universes = {
        (category.parent.slug if category.parent_id else category.slug)
        for category in app.categories.all()
    }
    names = sorted(
        {FREEDESKTOP_CATEGORIES.get(slug, DEFAULT_FREEDESKTOP_CATEGORY) for slug in universes}
        or {DEFAULT_FREEDESKTOP_CATEGORY}
    )
    for name in names:
        _text(categories, "category", name)
    screenshots = [shot for shot in app.screenshots.all() if image_url(shot.image)]
    if screenshots:
        element = ET.SubElement(component, "screenshots")
        for position, shot in enumerate(screenshots):
            screenshot = ET.SubElement(
                element, "screenshot", {"type": "default"} if position == 0 else {}
            )
            if shot.caption:
                _text(screenshot, "caption", shot.caption)
            _text(screenshot, "image", image_url(shot.image), type="source")
    main_platform = "web" if web else (listings[0].platform if listings else "")
    releases = [release for release in app.releases.all() if release.platform == main_platform]
    if releases:
        element = ET.SubElement(component, "releases")
        for release in releases:
            attributes = {"version": release.version}
            if release.released_at:
                attributes["date"] = release.released_at.date().isoformat()
            entry = ET.SubElement(element, "release", attributes)
            if release.notes:
                _description(entry, release.notes, None)
    languages = list(app.languages.all())
    if languages:
        element = ET.SubElement(component, "languages")
        for language in languages:
            _text(element, "lang", language.code)
    custom = ET.SubElement(component, "custom")
    for listing in listings:
        for field in appstream.LISTING_FIELDS:
            value = getattr(listing, field)
            if field == "updated_at":
                value = _iso(value)
            _custom_value(
                custom, appstream.LISTING_KEY.format(platform=listing.platform, field=field), value
            )
    _custom_value(
        custom,
        appstream.CATEGORIES_KEY,
        " ".join(category.slug for category in app.categories.all()),
    )
    _custom_value(
        custom,
        appstream.AUDIENCES_KEY,
        " ".join(audience.slug for audience in app.audiences.all()),
    )
    # Whose history <releases> is: AppStream has one history per component.
    _custom_value(custom, appstream.RELEASES_PLATFORM_KEY, main_platform)
    _custom_value(custom, appstream.PRICING_KEY, app.pricing)
    _custom_value(custom, appstream.ACCESSIBILITY_KEY, app.accessibility)
    return component


def appstream_catalog(apps, *, page_url, image_url, default_icon: str = "") -> bytes:
    """The apps as an AppStream catalog (XML, UTF-8). default_icon: the icon of an app that has
    none (a web-application must have one)."""
    root = ET.Element("components", {"version": "1.0", "origin": component_id_prefix()})
    for app in apps:
        root.append(
            appstream_component(
                app, page_url=page_url(app), image_url=image_url, default_icon=default_icon
            )
        )
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
