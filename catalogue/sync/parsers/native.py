"""The store's own JSON feed, version 1 (schema: catalogue/sync/schema/feed-v1.schema.json).

The envelope (version, publisher, apps) is validated as a whole: if it is wrong, nothing is
imported (FeedError). Each app is then validated against the schema's `app` definition on
its own, so that an invalid app is reported (ItemError naming the field) and skipped while
the others are imported.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from catalogue.sync.clean import (
    ItemInvalid,
    ItemSource,
    ParseOptions,
    RawApp,
    RawImage,
    RawListing,
    RawRelease,
    clean_text,
    collect_items,
    parse_datetime_or_warn,
    pick_english,
    pick_localized,
    rich_text,
    shorten,
)
from catalogue.sync.parsers.base import json_type_name, load_json
from catalogue.sync.records import FeedError, ParseResult

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "feed-v1.schema.json"
FORMAT_VERSION = 1
MAX_MESSAGES_PER_ITEM = 5


@functools.cache
def load_schema() -> dict[str, Any]:
    """The feed's JSON Schema (draft 2020-12), as published to publishers."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local $refs replaced by their target (the schema has no cycle).

    Resolving references dominates validation time otherwise: 10,000 apps took seconds more.
    """
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            target = _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
            return {**target, **{k: _inline_refs(v, defs) for k, v in node.items() if k != "$ref"}}
        return {key: _inline_refs(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs) for value in node]
    return node


@functools.cache
def _envelope_validator() -> Draft202012Validator:
    # The envelope without its items: an invalid app must not make the whole feed fail.
    schema = copy.deepcopy(load_schema())
    schema["properties"]["apps"] = {"type": "array"}
    return Draft202012Validator(schema)


@functools.cache
def item_validator() -> Draft202012Validator:
    """Validates one app against the schema's `app` definition."""
    schema = load_schema()
    item_schema = _inline_refs(schema["$defs"]["app"], schema["$defs"])
    return Draft202012Validator({"$schema": schema["$schema"], **item_schema})


# --------------------------------------------------------------------------- error messages

_TYPE_NAMES = {
    "object": "un objet",
    "array": "une liste",
    "string": "un texte",
    "integer": "un entier",
    "number": "un nombre",
    "boolean": "un booléen",
    "null": "null",
}


def _field_path(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe_error(error: ValidationError, root: str = "l'élément") -> str:
    """A French, one-line description of a schema error, naming the field."""
    path = _field_path(error.absolute_path)
    where = path or root
    instance, expected = error.instance, error.validator_value
    keyword = error.validator
    if "propertyNames" in error.absolute_schema_path:
        # Only translated texts restrict their keys: the key is a language tag.
        return f"{where} : code de langue invalide « {shorten(str(instance), 20)} »"
    if keyword == "required":
        missing = [name for name in expected if name not in instance]
        names = ", ".join(_field_path([*([path] if path else []), name]) for name in missing)
        return f"{names} : champ obligatoire manquant"
    if keyword == "additionalProperties" and expected is False:
        known = error.schema.get("properties", {})
        extra = [name for name in instance if name not in known]
        return f"{where} : champ inconnu « {shorten(', '.join(extra), 60)} »"
    if keyword == "type":
        wanted = " ou ".join(
            _TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        return f"{where} : doit être {wanted} (reçu : {json_type_name(instance)})"
    if keyword == "enum":
        return (
            f"{where} : valeur « {shorten(str(instance), 40)} » non autorisée "
            f"(valeurs possibles : {', '.join(map(str, expected))})"
        )
    if keyword == "const":
        value = shorten(str(instance), 40)
        return f"{where} : valeur « {value} » non prise en charge (attendu : {expected})"
    if keyword == "minLength":
        return f"{where} : ne doit pas être vide"
    if keyword == "maxLength":
        return f"{where} : trop long ({len(instance)} caractères, {expected} au plus)"
    if keyword == "pattern":
        return f"{where} : format invalide (« {shorten(str(instance), 40)} »)"
    if keyword == "minItems":
        return f"{where} : au moins {expected} élément(s) attendu(s)"
    if keyword == "minProperties":
        return f"{where} : ne doit pas être vide"
    return f"{where} : {error.message}"


def _describe_all(errors: Iterable[ValidationError], root: str = "l'élément") -> list[str]:
    ordered = sorted(errors, key=lambda e: [str(part) for part in e.absolute_path])
    messages = list(dict.fromkeys(describe_error(error, root) for error in ordered))
    if len(messages) > MAX_MESSAGES_PER_ITEM:
        extra = len(messages) - MAX_MESSAGES_PER_ITEM
        messages = [*messages[:MAX_MESSAGES_PER_ITEM], f"et {extra} autre(s) erreur(s)"]
    return messages


# --------------------------------------------------------------------------- parsing


def localized(value: Any) -> str:
    """The French text of a translatable field (a plain string is French)."""
    if isinstance(value, dict):
        return pick_localized([(tag, text) for tag, text in value.items() if isinstance(text, str)])
    return value if isinstance(value, str) else ""


def localized_en(value: Any) -> str:
    """The English text of a translatable field: its "en" (or en-*) entry, "" otherwise."""
    if isinstance(value, dict):
        return pick_english([(tag, text) for tag, text in value.items() if isinstance(text, str)])
    return ""


def _build(item: Any, options: ParseOptions) -> RawApp:
    errors = list(item_validator().iter_errors(item))
    if errors:
        raise ItemInvalid("Élément invalide : " + " ; ".join(_describe_all(errors)) + ".")
    warnings: list[str] = []
    listings = []
    for listing in item["listings"]:
        platform = listing["platform"]
        listings.append(
            RawListing(
                platform=platform,
                url=listing["url"],
                store_id=listing.get("store_id", ""),
                version=listing.get("version", ""),
                min_os_version=listing.get("min_os_version", ""),
                updated_at=parse_datetime_or_warn(
                    listing.get("updated_at"),
                    f"Fiche « {platform} » : date de mise à jour",
                    warnings,
                ),
                release_notes_html=rich_text(localized(listing.get("release_notes", ""))),
                releases=[
                    RawRelease(
                        version=release["version"],
                        released_at=parse_datetime_or_warn(
                            release.get("date"),
                            f"Fiche « {platform} » : date de la version {release['version']}",
                            warnings,
                        ),
                        notes_html=rich_text(localized(release.get("notes", ""))),
                    )
                    for release in listing.get("releases", [])
                ],
            )
        )
    categories = item.get("categories", [])
    if options.category_mapping is not None:
        mapping = options.category_mapping
        categories = [mapping.get(slug, slug) for slug in categories]
    return RawApp(
        external_id=item["id"],
        name=localized(item["name"]),
        tagline=localized(item.get("tagline", "")),
        description_html=rich_text(localized(item.get("description", ""))),
        name_en=localized_en(item["name"]),
        tagline_en=localized_en(item.get("tagline", "")),
        description_html_en=rich_text(localized_en(item.get("description", ""))),
        categories=[slug for slug in categories if slug],
        audiences=list(item.get("audiences", [])),
        pricing=item.get("pricing", ""),
        languages=list(item.get("languages", [])),
        accessibility=item.get("accessibility", ""),
        icon=RawImage(item["icon"]) if "icon" in item else None,
        screenshots=[
            RawImage(shot["url"], localized(shot.get("caption", "")))
            for shot in item.get("screenshots", [])
        ],
        listings=listings,
        homepage=item.get("homepage", ""),
        licence=item.get("licence", ""),
        developer_name=item.get("developer", ""),
        warnings=warnings,
    )


def _check_envelope(data: Any) -> None:
    if not isinstance(data, dict):
        raise FeedError(
            "Flux invalide : le document doit être un objet JSON ({…}) ; reçu : "
            f"{json_type_name(data)}."
        )
    version = data.get("version")
    if "version" in data and version != FORMAT_VERSION:
        raise FeedError(
            f"Version de flux non prise en charge : « {shorten(str(version), 20)} » "
            f"(seule la version {FORMAT_VERSION} existe)."
        )
    errors = list(_envelope_validator().iter_errors(data))
    if errors:
        raise FeedError("Flux invalide : " + " ; ".join(_describe_all(errors, "le document")) + ".")


def parse(
    body: bytes,
    *,
    category_mapping: Mapping[str, str] | None = None,
    known_categories: Iterable[str] | None = None,
    known_languages: Iterable[str] | None = None,
    known_audiences: Iterable[str] | None = None,
) -> ParseResult:
    """Parse a native feed. category_mapping, if given, renames the feed's category slugs."""
    options = ParseOptions.build(
        category_mapping, known_categories, known_languages, known_audiences
    )
    data = load_json(body, "JSON")
    _check_envelope(data)
    sources = [
        ItemSource(
            position=position,
            external_id=item.get("id")
            if isinstance(item, dict) and isinstance(item.get("id"), str)
            else None,
            build=functools.partial(_build, item, options),
        )
        for position, item in enumerate(data["apps"])
    ]
    records, errors = collect_items(sources, options)
    return ParseResult(
        records=records,
        errors=errors,
        warnings=[],
        feed_publisher=clean_text(data["publisher"]["name"]),
    )
