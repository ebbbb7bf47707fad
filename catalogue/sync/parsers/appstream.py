"""AppStream MetaInfo (one <component>) and catalog (<components>) XML, to the specification.

Parsed only through defusedxml, DTDs and entities forbidden (see parsers.base.load_xml).

Choices:
- Every application component that has an id and a name imports: desktop-application (and
  the legacy "desktop" / <application>) and console-application → a "linux" listing;
  web-application → a "web" listing. Other types (addon, font, runtime…) and merge components
  are counted and skipped with one feed warning.
- A Linux listing's address is the best available (catalogue.appstream): the Flathub page when
  the component comes from Flathub (a catalog with origin="flathub", or a flatpak <bundle>),
  otherwise ``appstream://<id>``, which GNOME Software and KDE Discover open to install it from
  the distribution; its store id is the Flathub id, or the distribution's <pkgname>. AppStream
  requires no homepage: when there is one, it is the app's website. A web application opens at
  its <launchable type="url">, else its homepage.
- Text in French (xml:lang fr, else the untranslated text, else English) and in English
  (xml:lang en, else the untranslated text, which AppStream's C locale is): the English one is
  dropped when it only repeats the untranslated text the French already took.
- Every release (newest first, stable ones before development ones on the same date) is the
  listing's history; the newest gives its version, date and notes.
- Relative media addresses are resolved against the catalog's media_baseurl.
- The store's own export (catalogue.api.export) writes its listings, categories and the rest in
  <custom> keys (catalogue.appstream): when a component has them, they are read back, so an
  export fed to another store gives the same apps.
- Pricing and accessibility are left unknown (""): AppStream does not say.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from catalogue import appstream as vocabulary
from catalogue.sync.clean import (
    ItemInvalid,
    ItemSource,
    ParseOptions,
    RawApp,
    RawImage,
    RawListing,
    RawRelease,
    collect_items,
    english_rank,
    map_categories,
    normalise_language_tag,
    parse_datetime,
    parse_datetime_or_warn,
    pick_english,
    pick_language,
    pick_localized,
    shorten,
)
from catalogue.sync.parsers.base import load_xml
from catalogue.sync.records import FeedError, ParseResult

XML_LANG = vocabulary.XML_LANG
PLATFORM_BY_TYPE = vocabulary.PLATFORM_BY_TYPE
FLATHUB_APP_URL = vocabulary.FLATHUB_APP_URL
# A language translated below this share is not one the app can really be used in.
MIN_TRANSLATION_PERCENTAGE = 50
MAX_INLINE_DEPTH = 30

_SPACES = re.compile(r"\s+")


# --------------------------------------------------------------------------- text


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _same_language(a: str | None, b: str | None) -> bool:
    return normalise_language_tag(a) == normalise_language_tag(b)


def _localized_child(parent: Element, tag: str, warnings: list[str]) -> str:
    """The child's text in French (else untranslated, else English)."""
    children = parent.findall(tag)
    seen = Counter(normalise_language_tag(child.get(XML_LANG)) for child in children)
    repeated = [lang or "non traduit" for lang, count in seen.items() if count > 1]
    if repeated:
        warnings.append(
            f"Plusieurs <{tag}> pour la même langue ({', '.join(repeated)}) : "
            "le premier est retenu."
        )
    return pick_localized([(child.get(XML_LANG), _text(child)) for child in children])


def _english_child(parent: Element, tag: str, french: str) -> str:
    """The child's text in English: tagged English, else the untranslated text (AppStream's C
    locale is English) unless the French text is that same untranslated text."""
    children = parent.findall(tag)
    english = pick_english([(child.get(XML_LANG), _text(child)) for child in children])
    if english:
        return english
    untranslated = next(
        (_text(c) for c in children if not normalise_language_tag(c.get(XML_LANG)) and _text(c)),
        "",
    )
    return "" if untranslated == french else untranslated


def _inline(element: Element, depth: int = 0) -> str:
    """The HTML of a <p> or <li>: text escaped, <em> kept, other markup reduced to text."""
    if depth > MAX_INLINE_DEPTH:
        return html.escape("".join(element.itertext()), quote=False)
    parts = [html.escape(element.text or "", quote=False)]
    for child in element:
        inner = _inline(child, depth + 1)
        parts.append(f"<em>{inner}</em>" if child.tag == "em" else inner)
        parts.append(html.escape(child.tail or "", quote=False))
    return _SPACES.sub(" ", "".join(parts)).strip()


def _description_entries(descriptions: list[Element]) -> list[tuple[str, str | None, object]]:
    entries: list[tuple[str, str | None, object]] = []
    for description in descriptions:
        default_lang = description.get(XML_LANG)
        if len(description) == 0 and (description.text or "").strip():
            entries.append(("p", default_lang, html.escape(description.text.strip(), quote=False)))
        for block in description:
            lang = block.get(XML_LANG, default_lang)
            if block.tag == "p":
                entries.append(("p", lang, _inline(block)))
            elif block.tag in ("ul", "ol"):
                items = [
                    (item.get(XML_LANG, lang), _inline(item)) for item in block if item.tag == "li"
                ]
                entries.append((block.tag, None, items))
    return entries


def _description_languages(entries) -> list[str | None]:
    return [
        lang
        for kind, lang, payload in entries
        for lang in ([lang] if kind == "p" else [item_lang for item_lang, _ in payload])
    ]


def _render_description(entries, chosen: str | None) -> str:
    parts = []
    for kind, lang, payload in entries:
        if kind == "p":
            if _same_language(lang, chosen) and payload:
                parts.append(f"<p>{payload}</p>")
            continue
        items = [text for item_lang, text in payload if _same_language(item_lang, chosen) and text]
        if items:
            parts.append(f"<{kind}>" + "".join(f"<li>{text}</li>" for text in items) + f"</{kind}>")
    return "".join(parts)


def description_html(descriptions: list[Element]) -> str:
    """AppStream description markup → HTML, in French (else untranslated, else English).

    Translations are per paragraph and per list item (xml:lang on <p>/<li>, or on the
    <description> itself in older files): keep the blocks of the chosen language only.
    """
    entries = _description_entries(descriptions)
    languages = _description_languages(entries)
    if not languages:
        return ""
    return _render_description(entries, pick_language(languages))


def description_html_en(descriptions: list[Element], french: str) -> str:
    """The description in English: tagged English blocks, else the untranslated ones (unless
    they are what the French description already is)."""
    entries = _description_entries(descriptions)
    languages = _description_languages(entries)
    tagged = [lang for lang in languages if english_rank(lang) is not None]
    if tagged:
        return _render_description(entries, min(tagged, key=english_rank))
    if any(not normalise_language_tag(lang) for lang in languages):
        untranslated = _render_description(entries, None)
        return "" if untranslated == french else untranslated
    return ""


# --------------------------------------------------------------------------- parts


def _size(element: Element) -> int:
    try:
        return int(element.get("width", 0)) * int(element.get("height", 0))
    except ValueError:
        return 0


def _media(url: str, base: str) -> str:
    """A media address, resolved against the catalog's media_baseurl when relative."""
    url = url.strip()
    if base and url and not urlsplit(url).scheme:
        return urljoin(base.rstrip("/") + "/", url.lstrip("/"))
    return url


def _screenshots(component: Element, base: str, warnings: list[str]) -> list[RawImage]:
    shots = component.findall("screenshots/screenshot")
    # The default screenshot first, the others in the publisher's order.
    shots.sort(key=lambda shot: shot.get("type") != "default")
    images = []
    for shot in shots:
        candidates = shot.findall("image")
        if not candidates:
            if (shot.text or "").strip():  # very old AppData: the URL as the element's text
                images.append(RawImage(_media(shot.text, base)))
            continue
        chosen_lang = pick_language(image.get(XML_LANG) for image in candidates)
        candidates = [i for i in candidates if _same_language(i.get(XML_LANG), chosen_lang)]
        sources = [image for image in candidates if image.get("type") == "source"]
        image = sources[0] if sources else max(candidates, key=_size)
        images.append(
            RawImage(_media(_text(image), base), _localized_child(shot, "caption", warnings))
        )
    return images


def _icon(component: Element, base: str) -> RawImage | None:
    # Only remote icons are URLs; cached/stock/local ones name files we cannot reach.
    remote = [icon for icon in component.findall("icon") if icon.get("type") == "remote"]
    return RawImage(_media(_text(max(remote, key=_size)), base)) if remote else None


def _releases(component: Element, warnings: list[str]) -> list[tuple[Element, datetime | None]]:
    """The releases, newest first: by date, then stable before development, then as listed."""
    releases = component.findall("releases/release")
    oldest = datetime.min.replace(tzinfo=UTC)
    unreadable = []

    def moment(release: Element) -> datetime | None:
        value = release.get("date") or release.get("timestamp")
        if not value:
            return None
        try:
            return parse_datetime(value)
        except (ValueError, OverflowError, OSError):
            unreadable.append(value)
            return None

    dated = [
        (moment(release), release.get("type", "stable") == "stable", -position, release)
        for position, release in enumerate(releases)
    ]
    if unreadable:
        warnings.append(
            "Dates de version illisibles, ignorées : "
            + ", ".join(shorten(value, 30) for value in unreadable[:5])
            + "."
        )
    dated.sort(key=lambda entry: (entry[0] or oldest, entry[1], entry[2]), reverse=True)
    # The newest stable release leads (a beta published later is not "the" version).
    stable = [entry for entry in dated if entry[1]]
    if stable and stable[0] is not dated[0]:
        dated.remove(stable[0])
        dated.insert(0, stable[0])
    return [(release, when) for when, _stable, _position, release in dated]


def _languages(component: Element) -> list[str]:
    codes = []
    for lang in component.findall("languages/lang"):
        try:
            percentage = int(lang.get("percentage", 100))
        except ValueError:
            percentage = 100
        if percentage >= MIN_TRANSLATION_PERCENTAGE and _text(lang):
            codes.append(_text(lang))
    return codes


def _homepage(component: Element) -> str:
    return next(
        (_text(url) for url in component.findall("url") if url.get("type") == "homepage"), ""
    )


def _custom(component: Element) -> dict[str, str]:
    """<custom><value key="…">…</value></custom> as a dict (the first value of a key wins)."""
    values: dict[str, str] = {}
    for value in component.findall("custom/value"):
        key = value.get("key") or ""
        if key and key not in values:
            values[key] = _text(value)
    return values


def _from_flathub(component: Element, origin: str) -> bool:
    if origin.lower() == "flathub":
        return True
    return any(bundle.get("type") == "flatpak" for bundle in component.findall("bundle"))


def _store_listings(custom: dict[str, str], warnings: list[str]) -> list[RawListing]:
    """Listings written by the store's export in <custom> (catalogue.appstream)."""
    fields: dict[str, dict[str, str]] = {}
    for key, value in custom.items():
        parsed = vocabulary.listing_key(key)
        if parsed is not None:
            platform, name = parsed
            fields.setdefault(platform, {})[name] = value
    listings = []
    for platform, values in fields.items():
        listings.append(
            RawListing(
                platform=platform,
                url=values.get("url", ""),
                store_id=values.get("store_id", ""),
                version=values.get("version", ""),
                min_os_version=values.get("min_os_version", ""),
                updated_at=parse_datetime_or_warn(
                    values.get("updated_at"), f"Fiche « {platform} » : date", warnings
                ),
            )
        )
    return listings


# --------------------------------------------------------------------------- items


def _build(
    component: Element, platform: str, origin: str, base: str, options: ParseOptions
) -> RawApp:
    warnings: list[str] = []
    external_id = _text(component.find("id"))
    if not external_id:
        raise ItemInvalid("Identifiant <id> manquant.")
    homepage = _homepage(component)
    custom = _custom(component)

    ordered = _releases(component, warnings)
    releases = [
        RawRelease(
            version=release.get("version", ""),
            released_at=when,
            notes_html=description_html(release.findall("description")),
        )
        for release, when in ordered
    ]
    newest = releases[0] if releases else RawRelease("")

    store_id = ""
    if platform == "web":
        launchables = [
            _text(launchable)
            for launchable in component.findall("launchable")
            if launchable.get("type") == "url"
        ]
        url = next((value for value in launchables if value), homepage)
        if not url:
            raise ItemInvalid(
                'Application web sans adresse : ni <launchable type="url"> ni page d\'accueil.'
            )
    elif _from_flathub(component, origin):
        store_id = vocabulary.flathub_id(external_id)
        url = vocabulary.flathub_url(external_id)
    else:
        if not vocabulary.is_component_id(external_id):
            raise ItemInvalid(
                f"Identifiant « {shorten(external_id, 60)} » impropre à une adresse "
                "appstream:// (lettres, chiffres, « . », « _ », « + » et « - » seulement)."
            )
        url = vocabulary.appstream_uri(external_id)
        store_id = _text(component.find("pkgname"))

    listings = _store_listings(custom, warnings)
    if listings:
        # The store's own export: its listings as they were; the history goes to the first
        # listing of the component's own platform.
        history = custom.get(vocabulary.RELEASES_PLATFORM_KEY, platform)
        for listing in listings:
            if listing.platform == history:
                listing.releases = releases
                listing.release_notes_html = newest.notes_html
                break
    else:
        listings = [
            RawListing(
                platform=platform,
                url=url,
                store_id=store_id,
                version=newest.version,
                updated_at=newest.released_at,
                release_notes_html=newest.notes_html,
                releases=releases,
            )
        ]

    if vocabulary.CATEGORIES_KEY in custom:
        categories = custom[vocabulary.CATEGORIES_KEY].split()
    else:
        categories = map_categories(
            (_text(c) for c in component.findall("categories/category")),
            options.category_mapping,
            warnings,
        )

    developer = component.find("developer")
    developer_name = (
        _localized_child(developer, "name", warnings) if developer is not None else ""
    ) or _localized_child(component, "developer_name", warnings)

    name = _localized_child(component, "name", warnings)
    tagline = _localized_child(component, "summary", warnings)
    descriptions = component.findall("description")
    description = description_html(descriptions)
    return RawApp(
        external_id=external_id,
        name=name,
        tagline=tagline,
        description_html=description,
        name_en=_english_child(component, "name", name),
        tagline_en=_english_child(component, "summary", tagline),
        description_html_en=description_html_en(descriptions, description),
        categories=categories,
        audiences=custom.get(vocabulary.AUDIENCES_KEY, "").split(),
        pricing=custom.get(vocabulary.PRICING_KEY, ""),
        accessibility=custom.get(vocabulary.ACCESSIBILITY_KEY, ""),
        languages=_languages(component),
        icon=_icon(component, base),
        screenshots=_screenshots(component, base, warnings),
        listings=listings,
        homepage=homepage,
        licence=_text(component.find("project_license")),
        developer_name=developer_name,
        warnings=warnings,
    )


def parse(
    body: bytes,
    *,
    category_mapping: Mapping[str, str] | None = None,
    known_categories: Iterable[str] | None = None,
    known_languages: Iterable[str] | None = None,
    known_audiences: Iterable[str] | None = None,
) -> ParseResult:
    """Parse AppStream XML. category_mapping: AppStream category name → store slug."""
    options = ParseOptions.build(
        category_mapping, known_categories, known_languages, known_audiences
    )
    root = load_xml(body, "AppStream")
    if root.tag == "components":
        components, origin = root.findall("component"), root.get("origin", "")
        base = root.get("media_baseurl", "")
    elif root.tag in ("component", "application"):
        components, origin, base = [root], "", ""
    else:
        raise FeedError(
            f"XML inattendu : l'élément racine est <{shorten(root.tag, 60)}>, un flux AppStream "
            "commence par <component> ou <components>."
        )

    warnings: list[str] = []
    skipped: Counter[str] = Counter()
    sources = []
    for position, component in enumerate(components):
        kind = "desktop-application" if component.tag == "application" else component.get("type")
        if component.get("merge"):
            skipped["fusion (merge)"] += 1
            continue
        platform = PLATFORM_BY_TYPE.get(kind or "generic")
        if platform is None:
            skipped[kind or "générique"] += 1
            continue
        build: Callable[[], RawApp] = functools.partial(
            _build, component, platform, origin, base, options
        )
        sources.append(
            ItemSource(
                position=position, external_id=_text(component.find("id")) or None, build=build
            )
        )
    if skipped:
        warnings.append(
            "Composants ignorés, car ce ne sont pas des applications : "
            + ", ".join(
                f"{count} de type « {shorten(kind, 40)} »" for kind, count in skipped.items()
            )
            + "."
        )
    if category_mapping is None and any(c.find("categories") is not None for c in components):
        warnings.append(
            "Aucune correspondance de catégories fournie : les catégories AppStream sont ignorées."
        )
    records, errors = collect_items(sources, options)
    return ParseResult(records=records, errors=errors, warnings=warnings)
