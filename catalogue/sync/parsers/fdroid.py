"""F-Droid repository index, version 2 (``index-v2.json``, what every F-Droid repository
publishes since fdroidserver 2.2).

Choices:
- Each package is an app, keyed by its package name; it gets an "android" listing whose
  address is its F-Droid page for the official repository (f-droid.org/packages/<id>/), the
  repository's address otherwise (a client adds the repository there); store id: the package
  name.
- The suggested version is the highest versionCode outside any release channel (Beta…); every
  version is kept as the listing's history, its "what's new" as the notes. minSdkVersion gives
  the minimum Android version.
- Texts are localised maps: French (fr, fr-FR…), else the repository's default (en-US), and
  English (en-US…) apart. The description is plain text with F-Droid's light HTML.
- Icons, screenshots (phone first) and release dates come from the repository: file names
  are relative to its address.
- Anti-features (NonFreeNet, Ads, Tracking…) are kept as data on the listing.
- Categories go through the editors' mapping (source "fdroid"); pricing is "free" (F-Droid
  distributes free software only) and the licence is the package's SPDX id.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

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
    map_categories,
    parse_datetime_or_warn,
    pick_english,
    pick_localized,
    rich_text,
    shorten,
)
from catalogue.sync.parsers.base import json_type_name, load_json
from catalogue.sync.records import FeedError, ParseResult

OFFICIAL_HOSTS = {"f-droid.org", "www.f-droid.org"}
FDROID_PAGE = "https://f-droid.org/packages/{}/"
SCREENSHOT_KINDS = ("phone", "sevenInch", "tenInch", "tv", "wear")
# Android version of an API level (minSdkVersion), for "Android 8.0 ou plus récent".
ANDROID_VERSIONS = {
    1: "1.0", 2: "1.1", 3: "1.5", 4: "1.6", 5: "2.0", 6: "2.0.1", 7: "2.1", 8: "2.2",
    9: "2.3", 10: "2.3.3", 11: "3.0", 12: "3.1", 13: "3.2", 14: "4.0", 15: "4.0.3",
    16: "4.1", 17: "4.2", 18: "4.3", 19: "4.4", 20: "4.4W", 21: "5.0", 22: "5.1", 23: "6.0",
    24: "7.0", 25: "7.1", 26: "8.0", 27: "8.1", 28: "9", 29: "10", 30: "11", 31: "12",
    32: "12L", 33: "13", 34: "14", 35: "15", 36: "16",
}  # fmt: skip


def _localized(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return pick_localized([(tag, text) for tag, text in value.items() if isinstance(text, str)])
    return ""


def _english(value: Any) -> str:
    if isinstance(value, dict):
        return pick_english([(tag, text) for tag, text in value.items() if isinstance(text, str)])
    return ""


def _localized_file(value: Any) -> str:
    """A localised file entry ({"en-US": {"name": "/icons/x.png", …}}) → its name."""
    if not isinstance(value, dict):
        return ""
    names = [
        (tag, entry.get("name"))
        for tag, entry in value.items()
        if isinstance(entry, dict) and isinstance(entry.get("name"), str)
    ]
    return pick_localized(names)


def _timestamp(value: Any, label: str, warnings: list[str]):
    """F-Droid dates are milliseconds since the epoch."""
    if isinstance(value, int) and not isinstance(value, bool):
        return parse_datetime_or_warn(value / 1000, label, warnings)
    return parse_datetime_or_warn(value, label, warnings)


class Repository:
    """What every package needs of the repository: its address and its listing URLs."""

    def __init__(self, repo: dict):
        address = repo.get("address")
        if not isinstance(address, str) or not address.startswith(("https://", "http://")):
            raise FeedError(
                "Index F-Droid invalide : « repo.address » doit être l'adresse http(s) du dépôt."
            )
        self.address = address.rstrip("/")
        self.official = (urlsplit(self.address).hostname or "") in OFFICIAL_HOSTS

    def file_url(self, name: str) -> str:
        return f"{self.address}/{name.lstrip('/')}" if name else ""

    def listing_url(self, package: str) -> str:
        return FDROID_PAGE.format(package) if self.official else self.address


def _versions(package: dict) -> list[dict]:
    """Versions, suggested first: highest versionCode outside release channels, then the rest
    by versionCode (newest first)."""
    versions = [v for v in (package.get("versions") or {}).values() if isinstance(v, dict)]

    def code(version: dict) -> int:
        value = (version.get("manifest") or {}).get("versionCode")
        return value if isinstance(value, int) and not isinstance(value, bool) else -1

    versions.sort(key=code, reverse=True)
    stable = [v for v in versions if not v.get("releaseChannels")]
    if stable and stable[0] is not versions[0]:
        versions.remove(stable[0])
        versions.insert(0, stable[0])
    return versions


def _build(package_name: str, package: Any, repo: Repository, options: ParseOptions) -> RawApp:
    if not isinstance(package, dict) or not isinstance(package.get("metadata"), dict):
        raise ItemInvalid(
            f"Paquet invalide : objet avec « metadata » attendu (reçu : {json_type_name(package)})."
        )
    metadata = package["metadata"]
    warnings: list[str] = []
    versions = _versions(package)
    releases = []
    for version in versions:
        manifest = version.get("manifest") or {}
        name = manifest.get("versionName")
        if not isinstance(name, str) or not name.strip():
            continue
        releases.append(
            RawRelease(
                version=name,
                released_at=_timestamp(version.get("added"), f"Date de la version {name}", []),
                notes_html=rich_text(_localized(version.get("whatsNew"))),
            )
        )
    current = versions[0] if versions else {}
    manifest = current.get("manifest") or {}
    sdk = (manifest.get("usesSdk") or {}).get("minSdkVersion")
    anti_features = sorted(
        {
            str(name)
            for version in versions[:1]
            for name in (version.get("antiFeatures") or {})
            if isinstance(name, str)
        }
        | {str(name) for name in (metadata.get("antiFeatures") or {}) if isinstance(name, str)}
    )
    screenshots = []
    for kind in SCREENSHOT_KINDS:
        shots = (metadata.get("screenshots") or {}).get(kind)
        if not isinstance(shots, dict):
            continue
        chosen = pick_localized([(tag, tag) for tag, files in shots.items() if files])
        for entry in shots.get(chosen) or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                screenshots.append(RawImage(repo.file_url(entry["name"])))
    icon_name = _localized_file(metadata.get("icon"))
    categories = metadata.get("categories") if isinstance(metadata.get("categories"), list) else []
    description = _localized(metadata.get("description"))
    return RawApp(
        external_id=package_name,
        name=_localized(metadata.get("name")),
        tagline=_localized(metadata.get("summary")),
        description_html=rich_text(description.replace("\n", "<br>")) if description else "",
        name_en=_english(metadata.get("name")),
        tagline_en=_english(metadata.get("summary")),
        description_html_en=rich_text(_english(metadata.get("description")).replace("\n", "<br>")),
        categories=map_categories((str(c) for c in categories), options.category_mapping, warnings),
        pricing="free",
        icon=RawImage(repo.file_url(icon_name)) if icon_name else None,
        screenshots=screenshots,
        listings=[
            RawListing(
                platform="android",
                url=repo.listing_url(package_name),
                store_id=package_name,
                version=releases[0].version if releases else "",
                min_os_version=ANDROID_VERSIONS.get(sdk, "") if isinstance(sdk, int) else "",
                updated_at=_timestamp(metadata.get("lastUpdated"), "Date de mise à jour", warnings),
                release_notes_html=releases[0].notes_html if releases else "",
                releases=releases,
                anti_features=anti_features,
            )
        ],
        homepage=metadata.get("webSite") if isinstance(metadata.get("webSite"), str) else "",
        licence=metadata.get("license") if isinstance(metadata.get("license"), str) else "",
        developer_name=clean_text(_localized(metadata.get("authorName"))),
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
    """Parse an F-Droid index-v2. category_mapping: F-Droid category → store slug."""
    options = ParseOptions.build(
        category_mapping, known_categories, known_languages, known_audiences
    )
    data = load_json(body, "F-Droid")
    if not isinstance(data, dict) or not isinstance(data.get("repo"), dict):
        raise FeedError(
            "Index F-Droid invalide : un objet avec « repo » et « packages » est attendu "
            f"(reçu : {json_type_name(data)})."
        )
    packages = data.get("packages")
    if not isinstance(packages, dict):
        raise FeedError(
            "Index F-Droid invalide : « packages » doit être un objet (reçu : "
            f"{json_type_name(packages)}). Est-ce bien un index-v2 (index-v2.json) ?"
        )
    repo = Repository(data["repo"])
    sources = [
        ItemSource(position, name, functools.partial(_build, name, package, repo, options))
        for position, (name, package) in enumerate(packages.items())
    ]
    warnings = []
    if category_mapping is None and any(
        isinstance(p, dict) and (p.get("metadata") or {}).get("categories")
        for p in packages.values()
    ):
        warnings.append(
            "Aucune correspondance de catégories fournie : les catégories F-Droid sont ignorées."
        )
    records, errors = collect_items(sources, options)
    return ParseResult(
        records=records,
        errors=errors,
        warnings=warnings,
        feed_publisher=shorten(clean_text(_localized(data["repo"].get("name"))), 120),
    )
