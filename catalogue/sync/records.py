"""The normalised records every feed parser produces, whatever the feed's format.

Plain frozen dataclasses with no Django import, so that they can be stored (to_dict is
JSON-serialisable), compared and hashed anywhere. Values are already validated and cleaned
by `catalogue.sync.clean`: text is plain, descriptions are sanitised HTML, URLs are
absolute http(s), lengths fit the model fields.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class FeedError(Exception):
    """The whole feed is unusable (malformed, dangerous, wrong shape): nothing is imported.

    The message is French and meant for the admin: str(error).
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReleaseRecord:
    """One version of a listing: its history (catalogue.models.AppRelease)."""

    version: str
    released_at: datetime | None = None  # timezone-aware (UTC)
    notes: str = ""  # sanitised HTML

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "released_at": self.released_at.isoformat() if self.released_at else None,
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReleaseRecord:
        released_at = data.get("released_at")
        return cls(
            version=data["version"],
            released_at=datetime.fromisoformat(released_at) if released_at else None,
            notes=data.get("notes", ""),
        )


@dataclass(frozen=True)
class ListingRecord:
    """Where to get the app on one platform (catalogue.models.AppListing)."""

    platform: str  # AppListing.Platform value: web, ios, android, windows, macos, linux
    url: str
    store_id: str = ""
    version: str = ""
    min_os_version: str = ""
    updated_at: datetime | None = None  # timezone-aware (UTC)
    release_notes: str = ""  # sanitised HTML, like AppRecord.description_html
    # The versions the feed tells of, newest first (the first one is this listing's version).
    releases: tuple[ReleaseRecord, ...] = ()
    anti_features: tuple[str, ...] = ()  # F-Droid's anti-features (NonFreeNet, Ads…)

    def to_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "url": self.url,
            "store_id": self.store_id,
            "version": self.version,
            "min_os_version": self.min_os_version,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "release_notes": self.release_notes,
            "releases": [release.to_dict() for release in self.releases],
            "anti_features": list(self.anti_features),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListingRecord:
        updated_at = data.get("updated_at")
        return cls(
            platform=data["platform"],
            url=data["url"],
            store_id=data.get("store_id", ""),
            version=data.get("version", ""),
            min_os_version=data.get("min_os_version", ""),
            updated_at=datetime.fromisoformat(updated_at) if updated_at else None,
            release_notes=data.get("release_notes", ""),
            releases=tuple(ReleaseRecord.from_dict(r) for r in data.get("releases", ())),
            anti_features=tuple(data.get("anti_features", ())),
        )


@dataclass(frozen=True)
class ImageRecord:
    """An image to download (icon or screenshot): absolute http(s) URL."""

    url: str
    caption: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "caption": self.caption}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImageRecord:
        return cls(url=data["url"], caption=data.get("caption", ""))


@dataclass(frozen=True)
class AppRecord:
    """One app of a feed, keyed by (publisher, external_id) when upserted."""

    external_id: str
    name: str
    tagline: str = ""
    description_html: str = ""
    # English texts, "" when the feed has none (the store then shows the French).
    name_en: str = ""
    tagline_en: str = ""
    description_html_en: str = ""
    categories: tuple[str, ...] = ()  # Category slugs of the store
    audiences: tuple[str, ...] = ()  # Audience slugs ("jobseekers", "employers")
    pricing: str = ""  # AppPage.Pricing value, "" when the feed does not say
    languages: tuple[str, ...] = ()  # ISO 639-1 codes, lower case
    accessibility: str = ""  # AppPage.Accessibility value, "" when the feed does not say
    icon: ImageRecord | None = None
    screenshots: tuple[ImageRecord, ...] = ()
    listings: tuple[ListingRecord, ...] = ()
    homepage: str = ""
    licence: str = ""  # a valid SPDX expression, normalised (catalogue.licences), or ""
    developer_name: str = ""
    # A store's own rating (e.g. {"source": "app_store", "average": 4.5, "count": 1200}),
    # kept apart from the catalogue's reviews.
    external_rating: dict[str, Any] | None = None
    # Odd data met in this item (French, for the admin); not part of content_hash().
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "external_id": self.external_id,
            "name": self.name,
            "tagline": self.tagline,
            "description_html": self.description_html,
            "name_en": self.name_en,
            "tagline_en": self.tagline_en,
            "description_html_en": self.description_html_en,
            "categories": list(self.categories),
            "audiences": list(self.audiences),
            "pricing": self.pricing,
            "languages": list(self.languages),
            "accessibility": self.accessibility,
            "icon": self.icon.to_dict() if self.icon else None,
            "screenshots": [image.to_dict() for image in self.screenshots],
            "listings": [listing.to_dict() for listing in self.listings],
            "homepage": self.homepage,
            "licence": self.licence,
            "developer_name": self.developer_name,
            "external_rating": dict(self.external_rating) if self.external_rating else None,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AppRecord:
        icon = data.get("icon")
        return cls(
            external_id=data["external_id"],
            name=data["name"],
            tagline=data.get("tagline", ""),
            description_html=data.get("description_html", ""),
            name_en=data.get("name_en", ""),
            tagline_en=data.get("tagline_en", ""),
            description_html_en=data.get("description_html_en", ""),
            categories=tuple(data.get("categories", ())),
            audiences=tuple(data.get("audiences", ())),
            pricing=data.get("pricing", ""),
            languages=tuple(data.get("languages", ())),
            accessibility=data.get("accessibility", ""),
            icon=ImageRecord.from_dict(icon) if icon else None,
            screenshots=tuple(ImageRecord.from_dict(s) for s in data.get("screenshots", ())),
            listings=tuple(ListingRecord.from_dict(s) for s in data.get("listings", ())),
            homepage=data.get("homepage", ""),
            licence=data.get("licence", ""),
            developer_name=data.get("developer_name", ""),
            external_rating=data.get("external_rating"),
            warnings=tuple(data.get("warnings", ())),
        )

    def content_hash(self) -> str:
        """sha256 of every field but the warnings: equal hashes mean nothing to update.
        Computed once per record (a run asks for it when comparing and when remembering)."""
        digest = self.__dict__.get("_content_hash")
        if digest is None:
            data = self.to_dict()
            del data["warnings"]
            canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
            object.__setattr__(self, "_content_hash", digest)  # frozen: not a field, not compared
        return digest


@dataclass(frozen=True)
class ItemError:
    """An item of the feed that could not be imported; the other items are not affected."""

    # The item's external id when the feed gives one, else its position (0-based) in the feed.
    item: str | int
    message: str  # French, for the admin

    @property
    def label(self) -> str:
        if isinstance(self.item, int):
            return f"élément n° {self.item + 1}"
        return f"« {self.item} »"

    def __str__(self) -> str:
        return f"{self.label} : {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "message": self.message}


@dataclass
class ParseResult:
    records: list[AppRecord] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the feed as a whole
    feed_publisher: str = ""  # the publisher's name as the feed states it, if it does

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": [record.to_dict() for record in self.records],
            "errors": [error.to_dict() for error in self.errors],
            "warnings": list(self.warnings),
            "feed_publisher": self.feed_publisher,
        }
