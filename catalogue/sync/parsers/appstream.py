"""AppStream MetaInfo (one <component>) and catalog (<components>) XML.

Parsed only through defusedxml, DTDs and entities forbidden (see parsers.base.load_xml).
Text is picked per xml:lang, French first (clean.language_rank).

Choices:
- Only application components become records: desktop-application (and the legacy
  "desktop" / <application>), console-application → a "linux" listing; web-application →
  a "web" listing. Other types (addon, font, runtime…) and merge components are skipped
  with one feed warning. AppStream has no mobile type: mobile Linux apps (Plasma Mobile,
  Phosh) are desktop-application components, so they get a "linux" listing too.
- The linux listing's URL: the Flathub page (https://flathub.org/apps/<id>) when the catalog
  says origin="flathub"; otherwise the homepage, which is where a publisher tells people how
  to install; failing that, the Flathub page if the id looks like a Flathub id (reverse DNS),
  with a warning since nothing proves the app is there; failing that, the item fails.
- The newest release (by date, stable ones first) gives version, date and release notes.
- Pricing and accessibility are left unknown (""): AppStream does not say.
- Only <url type="homepage"> is kept (AppRecord.homepage); help, bug tracker, donation…
  links have no place in the record yet.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from catalogue.sync.clean import (
    ItemInvalid,
    ItemSource,
    ParseOptions,
    RawApp,
    RawImage,
    RawListing,
    collect_items,
    map_categories,
    normalise_language_tag,
    parse_datetime,
    pick_language,
    pick_localized,
    shorten,
)
from catalogue.sync.parsers.base import load_xml
from catalogue.sync.records import FeedError, ParseResult

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PLATFORM_BY_TYPE = {
    "desktop-application": "linux",
    "desktop": "linux",  # legacy name of desktop-application
    "console-application": "linux",
    "web-application": "web",
}
FLATHUB_APP_URL = "https://flathub.org/apps/{}"
# A language translated below this share is not one the app can really be used in.
MIN_TRANSLATION_PERCENTAGE = 50
MAX_INLINE_DEPTH = 30

_FLATHUB_ID = re.compile(r"^[A-Za-z_][\w-]*(\.[A-Za-z0-9_][\w-]*){2,}$")
_SPACES = re.compile(r"\s+")


# --------------------------------------------------------------------------- text


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _same_language(a: str | None, b: str | None) -> bool:
    return normalise_language_tag(a) == normalise_language_tag(b)


def _localized_child(parent: Element, tag: str, warnings: list[str]) -> str:
    children = parent.findall(tag)
    seen = Counter(normalise_language_tag(child.get(XML_LANG)) for child in children)
    repeated = [lang or "non traduit" for lang, count in seen.items() if count > 1]
    if repeated:
        warnings.append(
            f"Plusieurs <{tag}> pour la même langue ({', '.join(repeated)}) : "
            "le premier est retenu."
        )
    return pick_localized([(child.get(XML_LANG), _text(child)) for child in children])


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


def description_html(descriptions: list[Element]) -> str:
    """AppStream description markup → HTML, in the preferred language.

    Translations are per paragraph and per list item (xml:lang on <p>/<li>, or on the
    <description> itself in older files): keep the blocks of the chosen language only.
    """
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
    languages = [
        lang
        for kind, lang, payload in entries
        for lang in ([lang] if kind == "p" else [item_lang for item_lang, _ in payload])
    ]
    if not languages:
        return ""
    chosen = pick_language(languages)
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


# --------------------------------------------------------------------------- parts


def _size(element: Element) -> int:
    try:
        return int(element.get("width", 0)) * int(element.get("height", 0))
    except ValueError:
        return 0


def _screenshots(component: Element, warnings: list[str]) -> list[RawImage]:
    shots = component.findall("screenshots/screenshot")
    # The default screenshot first, the others in the publisher's order.
    shots.sort(key=lambda shot: shot.get("type") != "default")
    images = []
    for shot in shots:
        candidates = shot.findall("image")
        if not candidates:
            if (shot.text or "").strip():  # very old AppData: the URL as the element's text
                images.append(RawImage(shot.text.strip()))
            continue
        chosen_lang = pick_language(image.get(XML_LANG) for image in candidates)
        candidates = [i for i in candidates if _same_language(i.get(XML_LANG), chosen_lang)]
        sources = [image for image in candidates if image.get("type") == "source"]
        image = sources[0] if sources else max(candidates, key=_size)
        images.append(RawImage(_text(image), _localized_child(shot, "caption", warnings)))
    return images


def _icon(component: Element) -> RawImage | None:
    # Only remote icons are URLs; cached/stock/local ones name files we cannot reach.
    remote = [icon for icon in component.findall("icon") if icon.get("type") == "remote"]
    return RawImage(_text(max(remote, key=_size))) if remote else None


def _newest_release(component: Element, warnings: list[str]) -> Element | None:
    releases = component.findall("releases/release")
    stable = [r for r in releases if r.get("type", "stable") == "stable"] or releases
    if not stable:
        return None
    oldest = datetime.min.replace(tzinfo=UTC)
    unreadable = []

    def moment(release: Element) -> datetime:
        value = release.get("date") or release.get("timestamp")
        if not value:
            return oldest
        try:
            return parse_datetime(value)
        except (ValueError, OverflowError, OSError):
            unreadable.append(value)
            return oldest

    dated = [(moment(release), -position, release) for position, release in enumerate(stable)]
    if unreadable:
        warnings.append(
            "Dates de version illisibles, ignorées : "
            + ", ".join(shorten(value, 30) for value in unreadable[:5])
            + "."
        )
    return max(dated, key=lambda entry: entry[:2])[2]


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


def _flathub_id(external_id: str) -> str:
    return external_id.removesuffix(".desktop")


# --------------------------------------------------------------------------- items


def _build(component: Element, platform: str, origin: str, options: ParseOptions) -> RawApp:
    warnings: list[str] = []
    external_id = _text(component.find("id"))
    if not external_id:
        raise ItemInvalid("Identifiant <id> manquant.")
    homepage = _homepage(component)

    release = _newest_release(component, warnings)
    version, updated_at, notes = "", None, ""
    if release is not None:
        version = release.get("version", "")
        value = release.get("date") or release.get("timestamp")
        try:
            updated_at = parse_datetime(value) if value else None
        except (ValueError, OverflowError, OSError):
            updated_at = None
        notes = description_html(release.findall("description"))

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
    elif origin.lower() == "flathub":
        store_id = _flathub_id(external_id)
        url = FLATHUB_APP_URL.format(store_id)
    elif homepage:
        url = homepage
    elif _FLATHUB_ID.match(_flathub_id(external_id)):
        store_id = _flathub_id(external_id)
        url = FLATHUB_APP_URL.format(store_id)
        warnings.append(
            "Pas de page d'accueil : la fiche Linux renvoie vers Flathub "
            f"({url}), sans garantie que l'application y soit."
        )
    else:
        raise ItemInvalid(
            'Aucune adresse pour la fiche Linux : ni page d\'accueil (<url type="homepage">) '
            "ni identifiant de type Flathub."
        )

    developer = component.find("developer")
    developer_name = (
        _localized_child(developer, "name", warnings) if developer is not None else ""
    ) or _localized_child(component, "developer_name", warnings)

    return RawApp(
        external_id=external_id,
        name=_localized_child(component, "name", warnings),
        tagline=_localized_child(component, "summary", warnings),
        description_html=description_html(component.findall("description")),
        categories=map_categories(
            (_text(c) for c in component.findall("categories/category")),
            options.category_mapping,
            warnings,
        ),
        languages=_languages(component),
        icon=_icon(component),
        screenshots=_screenshots(component, warnings),
        listings=[
            RawListing(
                platform=platform,
                url=url,
                store_id=store_id,
                version=version,
                updated_at=updated_at,
                release_notes_html=notes,
            )
        ],
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
    elif root.tag in ("component", "application"):
        components, origin = [root], ""
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
        sources.append(
            ItemSource(
                position=position,
                external_id=_text(component.find("id")) or None,
                build=functools.partial(_build, component, platform, origin, options),
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
