"""iTunes Search / Lookup API responses ({"resultCount": n, "results": [...]}).

Choices:
- external_id is the bundleId (stable across storefronts), else the trackId.
- kind "software" → an "ios" listing, "mac-software" → "macos"; without kind, the
  supportedDevices names decide (iPhone/iPad/iPod → ios, Mac → macos).
- The storefront's language is the feed's language: a French storefront (/fr/) gives
  French text. There is no tagline in the API: it stays empty (a warning says so).
- Pricing: price 0 → free, > 0 → paid. In-app purchases are not in the API, so "freemium"
  cannot be told apart from "free".
- Genres map to store categories through category_mapping, by genre id ("6002") or by
  name ("Utilities", or its localised form "Utilitaires"), whichever the mapping has.
- Apple's rating goes to external_rating, never mixed with the catalogue's reviews.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from typing import Any

from catalogue.sync.clean import (
    ItemInvalid,
    ItemSource,
    ParseOptions,
    RawApp,
    RawImage,
    RawListing,
    clean_text,
    collect_items,
    parse_datetime_or_warn,
    shorten,
    text_to_html,
)
from catalogue.sync.parsers.base import json_type_name, load_json
from catalogue.sync.records import FeedError, ParseResult

PLATFORM_BY_KIND = {"software": "ios", "mac-software": "macos"}
# Formatted prices Apple shows for a free app, for responses that lack "price".
FREE_LABELS = {"free", "gratuit", "gratis", "kostenlos", "gratuito", "gratuita"}
ICON_FIELDS = ("artworkUrl512", "artworkUrl100", "artworkUrl60")
SCREENSHOT_FIELDS = ("screenshotUrls", "ipadScreenshotUrls", "appletvScreenshotUrls")


def _string(item: dict, key: str, warnings: list[str]) -> str:
    """A text field; numbers are accepted as text, other types are reported and ignored."""
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    warnings.append(f"Champ « {key} » ignoré : {json_type_name(value)} au lieu d'un texte.")
    return ""


def _string_list(item: dict, key: str, warnings: list[str]) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append(f"Champ « {key} » ignoré : {json_type_name(value)} au lieu d'une liste.")
        return []
    return [str(entry) for entry in value if isinstance(entry, str | int) and entry != ""]


def _platform(item: dict, warnings: list[str]) -> str:
    kind = item.get("kind")
    if isinstance(kind, str) and kind:
        platform = PLATFORM_BY_KIND.get(kind)
        if platform is None:
            raise ItemInvalid(
                f"Type « {shorten(kind, 40)} » non pris en charge "
                "(attendu : software ou mac-software)."
            )
        return platform
    devices = " ".join(_string_list(item, "supportedDevices", warnings)).lower()
    if any(name in devices for name in ("iphone", "ipad", "ipod")):
        return "ios"
    if "mac" in devices:
        return "macos"
    raise ItemInvalid("Plateforme inconnue : ni « kind » ni « supportedDevices » exploitables.")


def _pricing(item: dict, warnings: list[str]) -> str:
    price = item.get("price")
    if isinstance(price, int | float) and not isinstance(price, bool) and math.isfinite(price):
        if price < 0:
            warnings.append(f"Prix négatif ({price}) : tarif ignoré.")
            return ""
        return "free" if price == 0 else "paid"
    if price is not None:
        warnings.append(f"Prix illisible (« {shorten(str(price), 20)} ») : tarif ignoré.")
    label = clean_text(item.get("formattedPrice") or "").lower()
    return "free" if label in FREE_LABELS else ""


def _categories(item: dict, mapping: Mapping[str, str] | None, warnings: list[str]) -> list[str]:
    if mapping is None:
        return []
    names = _string_list(item, "genres", warnings)
    ids = _string_list(item, "genreIds", warnings)
    genres = (
        list(zip(ids, names, strict=True)) if len(ids) == len(names) else [("", n) for n in names]
    )
    primary_id = str(item.get("primaryGenreId") or "")
    primary_name = str(item.get("primaryGenreName") or "")
    if (primary_id or primary_name) and primary_id not in ids and primary_name not in names:
        genres.insert(0, (primary_id, primary_name))
    slugs, unmapped = [], []
    for genre_id, name in genres:
        # genres are localised ("Utilitaires") but primaryGenreName is not ("Utilities").
        keys = [genre_id, name, primary_name if genre_id and genre_id == primary_id else ""]
        slug = next((mapping[key] for key in keys if key and key in mapping), None)
        if slug is None:
            label = name or genre_id
            if label and label not in unmapped:
                unmapped.append(label)
        elif slug and slug not in slugs:
            slugs.append(slug)
    if unmapped:
        warnings.append(
            "Catégories sans correspondance dans le catalogue, ignorées : "
            + ", ".join(unmapped)
            + "."
        )
    return slugs


def _rating(item: dict, warnings: list[str]) -> dict[str, Any] | None:
    average, count = item.get("averageUserRating"), item.get("userRatingCount")
    if average is None and count is None:
        return None
    valid_average = (
        isinstance(average, int | float) and not isinstance(average, bool) and 0 <= average <= 5
    )
    valid_count = isinstance(count, int) and not isinstance(count, bool) and count >= 0
    if not (valid_average and valid_count):
        warnings.append(
            f"Note de l'App Store illisible (moyenne « {shorten(str(average), 20)} », "
            f"nombre « {shorten(str(count), 20)} ») : ignorée."
        )
        return None
    return {"source": "app_store", "average": float(average), "count": count}


def _build(item: Any, options: ParseOptions) -> RawApp:
    if not isinstance(item, dict):
        raise ItemInvalid(f"Élément invalide : objet attendu, reçu : {json_type_name(item)}.")
    warnings: list[str] = []
    external_id = _string(item, "bundleId", warnings) or _string(item, "trackId", warnings)
    platform = _platform(item, warnings)
    listing = RawListing(
        platform=platform,
        url=_string(item, "trackViewUrl", warnings),
        store_id=_string(item, "trackId", warnings),
        version=_string(item, "version", warnings),
        min_os_version=_string(item, "minimumOsVersion", warnings),
        updated_at=parse_datetime_or_warn(
            item.get("currentVersionReleaseDate"), "Date de mise à jour", warnings
        ),
        release_notes_html=text_to_html(_string(item, "releaseNotes", warnings)),
    )
    icon_url = next((item[key] for key in ICON_FIELDS if item.get(key)), None)
    screenshots = [
        RawImage(url) for key in SCREENSHOT_FIELDS for url in _string_list(item, key, warnings)
    ]
    return RawApp(
        external_id=external_id,
        name=_string(item, "trackName", warnings) or _string(item, "trackCensoredName", warnings),
        description_html=text_to_html(_string(item, "description", warnings)),
        categories=_categories(item, options.category_mapping, warnings),
        pricing=_pricing(item, warnings),
        languages=[code.lower() for code in _string_list(item, "languageCodesISO2A", warnings)],
        icon=RawImage(icon_url) if icon_url is not None else None,
        screenshots=screenshots,
        listings=[listing],
        homepage=_string(item, "sellerUrl", warnings),
        developer_name=_string(item, "artistName", warnings)
        or _string(item, "sellerName", warnings),
        external_rating=_rating(item, warnings),
        warnings=warnings,
    )


def _item_id(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in ("bundleId", "trackId"):
        value = item.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return None


def parse(
    body: bytes,
    *,
    category_mapping: Mapping[str, str] | None = None,
    known_categories: Iterable[str] | None = None,
    known_languages: Iterable[str] | None = None,
    known_audiences: Iterable[str] | None = None,
) -> ParseResult:
    """Parse an iTunes lookup response. category_mapping: genre id or name → store slug."""
    options = ParseOptions.build(
        category_mapping, known_categories, known_languages, known_audiences
    )
    data = load_json(body, "iTunes")
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise FeedError(
            "Réponse iTunes invalide : un objet avec une liste « results » est attendu "
            f"(reçu : {json_type_name(data)}"
            + (
                f", « results » : {json_type_name(data.get('results'))}"
                if isinstance(data, dict)
                else ""
            )
            + ")."
        )
    results = data["results"]
    warnings: list[str] = []
    count = data.get("resultCount")
    if count is not None and count != len(results):
        warnings.append(
            f"resultCount annonce {shorten(str(count), 20)} résultat(s) mais la réponse en "
            f"contient {len(results)}."
        )
    if category_mapping is None and any(isinstance(r, dict) and r.get("genres") for r in results):
        warnings.append(
            "Aucune correspondance de catégories fournie : les genres de l'App Store sont ignorés."
        )
    sources = [
        ItemSource(position, _item_id(item), functools.partial(_build, item, options))
        for position, item in enumerate(results)
    ]
    records, errors = collect_items(sources, options)
    return ParseResult(records=records, errors=errors, warnings=warnings)
