"""Validation and sanitising shared by every parser.

A parser turns each feed item into a `RawApp` (values as the feed gives them, already
picked in the preferred language) and `finish()` turns it into an `AppRecord`: plain text,
sanitised HTML, absolute http(s) URLs, lengths that fit the model fields. Oddities become
warnings on the record; what makes the item unusable raises `ItemInvalid`.
`collect_items()` runs that per item so that one bad item never stops the others.
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from catalogue import appstream, licences
from catalogue.models import AppListing, AppPage, AppRelease, AppScreenshot
from catalogue.sync.records import (
    AppRecord,
    FeedError,
    ImageRecord,
    ItemError,
    ListingRecord,
    ReleaseRecord,
)

logger = logging.getLogger(__name__)

# Limits come from the model fields the records end up in.
NAME_MAX_LENGTH = AppPage._meta.get_field("title").max_length
TAGLINE_MAX_LENGTH = AppPage._meta.get_field("tagline").max_length
EXTERNAL_ID_MAX_LENGTH = AppPage._meta.get_field("external_id").max_length
URL_MAX_LENGTH = AppListing._meta.get_field("url").max_length
STORE_ID_MAX_LENGTH = AppListing._meta.get_field("store_id").max_length
VERSION_MAX_LENGTH = AppListing._meta.get_field("version").max_length
MIN_OS_VERSION_MAX_LENGTH = AppListing._meta.get_field("min_os_version").max_length
CAPTION_MAX_LENGTH = AppScreenshot._meta.get_field("caption").max_length
MAX_SCREENSHOTS = 10  # the AppPage edit form's InlinePanel max_num
# A listing's history keeps its newest versions only: a revision stays small (Signal's
# MetaInfo lists 381 releases).
MAX_RELEASES = 20
RELEASE_VERSION_MAX_LENGTH = AppRelease._meta.get_field("version").max_length
LICENCE_MAX_LENGTH = licences.MAX_LENGTH
# No model field: a generous cap so that a runaway value cannot bloat a revision.
DEVELOPER_NAME_MAX_LENGTH = 200

PLATFORMS = tuple(AppListing.Platform.values)
PRICINGS = tuple(AppPage.Pricing.values)
ACCESSIBILITY_LEVELS = tuple(AppPage.Accessibility.values)

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br"}

# C0/C1 control characters (tabs and newlines excepted) and lone surrogates: PostgreSQL
# refuses NUL, and a lone surrogate cannot even be encoded to UTF-8.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_TAG_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BULLET = re.compile(r"^\s*[•●▪◦∙·*\-–]\s+")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_url_validator = URLValidator(schemes=["http", "https"])


class ItemInvalid(Exception):
    """The item cannot be imported; the message (French) becomes its ItemError."""


@dataclass(frozen=True)
class ParseOptions:
    """What the caller knows of the catalogue, shared by every parser.

    category_mapping: the feed's category name (or id) → store category slug; a name mapped
    to "" is ignored without a warning. known_*: when given, values outside them are
    dropped with a warning.
    """

    category_mapping: Mapping[str, str] | None = None
    known_categories: frozenset[str] | None = None
    known_languages: frozenset[str] | None = None
    known_audiences: frozenset[str] | None = None

    @classmethod
    def build(
        cls,
        category_mapping: Mapping[str, str] | None = None,
        known_categories: Iterable[str] | None = None,
        known_languages: Iterable[str] | None = None,
        known_audiences: Iterable[str] | None = None,
    ) -> ParseOptions:
        return cls(
            category_mapping=dict(category_mapping) if category_mapping is not None else None,
            known_categories=frozenset(known_categories) if known_categories is not None else None,
            known_languages=(
                frozenset(code.lower() for code in known_languages)
                if known_languages is not None
                else None
            ),
            known_audiences=frozenset(known_audiences) if known_audiences is not None else None,
        )


@dataclass
class RawRelease:
    version: str
    released_at: datetime | None = None
    notes_html: str = ""


@dataclass
class RawListing:
    platform: str
    url: str
    store_id: str = ""
    version: str = ""
    min_os_version: str = ""
    updated_at: datetime | None = None
    release_notes_html: str = ""
    # Older versions too, in any order; the listing's own version is added when missing.
    releases: list[RawRelease] = field(default_factory=list)
    anti_features: list[str] = field(default_factory=list)  # F-Droid's (NonFreeNet, Ads…)


@dataclass
class RawImage:
    url: str
    caption: str = ""


@dataclass
class RawApp:
    """An item as the parser read it: text picked in the preferred language, not cleaned."""

    external_id: str
    name: str
    tagline: str = ""
    description_html: str = ""
    name_en: str = ""
    tagline_en: str = ""
    description_html_en: str = ""
    categories: list[str] = field(default_factory=list)  # store slugs (mapped by the parser)
    audiences: list[str] = field(default_factory=list)
    pricing: str = ""
    languages: list[str] = field(default_factory=list)
    accessibility: str = ""
    icon: RawImage | None = None
    screenshots: list[RawImage] = field(default_factory=list)
    listings: list[RawListing] = field(default_factory=list)
    homepage: str = ""
    licence: str = ""
    developer_name: str = ""
    external_rating: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- body decoding


def decode_utf8(body: bytes, format_name: str) -> str:
    """The feed's text; FeedError unless it is non-empty UTF-8 (a UTF-8 BOM is tolerated)."""
    if not isinstance(body, bytes | bytearray):
        raise TypeError("body must be bytes")
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FeedError(
            f"Encodage non pris en charge (UTF-16 ou UTF-32) : un flux {format_name} "
            "doit être encodé en UTF-8."
        )
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    if not body.strip():
        raise FeedError("Le flux est vide.")
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        raise FeedError(
            f"Le flux n'est pas encodé en UTF-8 : octet 0x{body[error.start]:02x} invalide "
            f"ligne {line} (position {error.start}). Un flux {format_name} doit être en UTF-8."
        ) from None


# --------------------------------------------------------------------------- text and HTML


def strip_controls(value: str) -> str:
    return _CONTROL.sub("", value)


def clean_text(value: Any) -> str:
    """Plain text on one line: tags (and script/style content) removed, spaces collapsed."""
    if value is None:
        return ""
    text = strip_controls(str(value))
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
        text = strip_controls(text)
    return _SPACES.sub(" ", text).strip()


def _only_absolute_http(tag: str, attribute: str, value: str) -> str | None:
    # url_schemes already refuses javascript: and the like; relative links are refused too
    # since they would point into the catalogue itself.
    if tag == "a" and attribute == "href":
        try:
            return clean_url(value)
        except InvalidURL:
            return None
    return value


# Block elements we do not keep become paragraphs rather than text glued to its neighbours.
_OTHER_BLOCKS = re.compile(
    r"<(/?)\s*(?:h[1-6]|div|section|article|blockquote|header|footer)\b[^>]*>", re.IGNORECASE
)
_BARE_LINK = re.compile(r"<a>(.*?)</a>", re.DOTALL)  # a link whose href was refused
_EMPTY_BLOCKS = re.compile(r"<(p|li|ul|ol|em|strong)>(\s|&nbsp;|<br>)*</\1>")
_BLOCK_START = re.compile(r"<(p|ul|ol)>")


def clean_html(value: str) -> str:
    """Sanitised rich text: p, ul, ol, li, em, strong, br and a[href=http(s)] only."""
    if not value:
        return ""
    cleaned = nh3.clean(
        _OTHER_BLOCKS.sub(r"<\1p>", strip_controls(value)),
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=None,
        attribute_filter=_only_absolute_http,
    )
    cleaned = _BARE_LINK.sub(r"\1", cleaned)
    # Repeat: removing an empty <li> can leave an empty <ul>.
    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, _EMPTY_BLOCKS.sub("", cleaned)
    cleaned = cleaned.strip()
    if cleaned and not _BLOCK_START.search(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def looks_like_html(value: str) -> bool:
    return bool(_TAG_LIKE.search(value))


def text_to_html(text: str) -> str:
    """Plain text → paragraphs; line breaks kept; runs of "• item" lines become a list."""
    text = strip_controls(text or "").replace("\r\n", "\n").replace("\r", "\n")
    parts = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        run: list[str] = []
        run_is_list = False
        for line in [*lines, None]:
            is_bullet = line is not None and bool(_BULLET.match(line))
            if run and (line is None or is_bullet != run_is_list):
                if run_is_list:
                    items = "".join(f"<li>{html.escape(_BULLET.sub('', i))}</li>" for i in run)
                    parts.append(f"<ul>{items}</ul>")
                else:
                    parts.append("<p>" + "<br>".join(html.escape(i) for i in run) + "</p>")
                run = []
            if line is not None:
                run.append(line)
                run_is_list = is_bullet
    return "".join(parts)


def rich_text(value: str) -> str:
    """HTML if it looks like HTML, else plain text turned into paragraphs (not yet cleaned)."""
    if not value:
        return ""
    return value if looks_like_html(value) else text_to_html(value)


def truncate(value: str, max_length: int) -> str:
    if len(value) <= max_length:
        return value
    return value[: max_length - 1].rstrip() + "…"


def _capped(value: str, max_length: int, label: str, warnings: list[str]) -> str:
    if len(value) > max_length:
        warnings.append(f"{label} : texte tronqué à {max_length} caractères ({len(value)} reçus).")
        return truncate(value, max_length)
    return value


# --------------------------------------------------------------------------- URLs


class Rejected(ValueError):
    """Why (French) a value is refused: the value is dropped, the item may still be fine."""


class InvalidURL(Rejected):
    """The reason (French) a URL is refused."""


def shorten(value: str, length: int = 80) -> str:
    value = strip_controls(str(value))
    return value if len(value) <= length else value[: length - 1] + "…"


def clean_url(value: Any, max_length: int = URL_MAX_LENGTH) -> str:
    """An absolute http(s) URL, or InvalidURL saying why not."""
    if not isinstance(value, str):
        raise InvalidURL("adresse absente ou qui n'est pas du texte")
    url = value.strip()
    if not url:
        raise InvalidURL("adresse vide")
    if _CONTROL.search(url) or any(char.isspace() for char in url):
        raise InvalidURL(f"adresse contenant des caractères interdits (« {shorten(url)} »)")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InvalidURL(f"adresse mal formée (« {shorten(url)} »)") from None
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        if scheme and scheme not in ("http", "https"):
            raise InvalidURL(f"schéma « {shorten(scheme, 20)} » interdit (http ou https seulement)")
        raise InvalidURL(f"adresse relative ou incomplète (« {shorten(url)} »)")
    if scheme not in ("http", "https"):
        raise InvalidURL(f"schéma « {shorten(scheme, 20)} » interdit (http ou https seulement)")
    if "@" in parts.netloc:
        raise InvalidURL(f"identifiants interdits dans l'adresse (« {shorten(url)} »)")
    if len(url) > max_length:
        raise InvalidURL(f"adresse trop longue ({len(url)} caractères, {max_length} au plus)")
    try:
        _url_validator(url)
    except ValidationError:
        raise InvalidURL(f"adresse mal formée (« {shorten(url)} »)") from None
    return url


def clean_listing_url(value: Any, platform: str) -> str:
    """A listing's address: http(s), or appstream://<id> for a Linux app (catalogue.appstream)."""
    prefix = f"{appstream.URI_SCHEME}://"
    if platform == "linux" and isinstance(value, str) and value.strip().startswith(prefix):
        component_id = value.strip().removeprefix(prefix)
        if appstream.is_component_id(component_id) and len(value.strip()) <= URL_MAX_LENGTH:
            return value.strip()
        raise InvalidURL(f"adresse appstream:// invalide (« {shorten(value)} »)")
    return clean_url(value)


# --------------------------------------------------------------------------- languages


def normalise_language_tag(tag: str | None) -> str:
    """ "fr_FR", "fr-fr", "FR" → "fr-fr", "fr"…; untranslated (None, "C") → ""."""
    if tag is None:
        return ""
    tag = tag.strip().lower().replace("_", "-")
    return "" if tag in ("c", "posix", "x-default") else tag


def language_rank(tag: str | None) -> int:
    """French first (fr, fr-FR, other fr variants), then untranslated, then English."""
    tag = normalise_language_tag(tag)
    if tag == "fr":
        return 0
    if tag == "fr-fr":
        return 1
    if tag.startswith(("fr-", "fr@")):
        return 2
    if tag == "":
        return 3
    if tag == "en":
        return 4
    if tag.startswith(("en-", "en@")):
        return 5
    return 6


def pick_language(tags: Iterable[str | None]) -> str | None:
    """The preferred tag among `tags` (the first one on a tie), or None if there is none."""
    best, best_rank = None, None
    for tag in tags:
        rank = language_rank(tag)
        if best_rank is None or rank < best_rank:
            best, best_rank = tag, rank
    return best


def pick_localized(values: Sequence[tuple[str | None, str]]) -> str:
    """The value in the preferred language among (language tag, value) pairs, empty ones aside."""
    values = [(tag, value) for tag, value in values if value and str(value).strip()]
    if not values:
        return ""
    chosen = pick_language(tag for tag, _ in values)
    return next(value for tag, value in values if tag == chosen)


def english_rank(tag: str | None) -> int | None:
    """English only: "en" first, then its regional variants (en-US, en-GB…); None for any other
    tag, and for English in another script (en@shaw: GNOME's Shavian alphabet)."""
    tag = normalise_language_tag(tag)
    if tag == "en":
        return 0
    if tag == "en-us":
        return 1
    if tag.startswith("en-") and "@" not in tag:
        return 2
    return None


def pick_english(values: Sequence[tuple[str | None, str]]) -> str:
    """The English value among (language tag, value) pairs, "" when none is tagged English."""
    ranked = [
        (rank, position, value)
        for position, (tag, value) in enumerate(values)
        if value and str(value).strip() and (rank := english_rank(tag)) is not None
    ]
    return min(ranked)[2] if ranked else ""


def primary_language(tag: str) -> str:
    """ "pt_BR" → "pt", "ca@valencia" → "ca", "EN" → "en"."""
    return re.split(r"[-_@.]", tag.strip().lower(), maxsplit=1)[0]


# --------------------------------------------------------------------------- dates


def parse_datetime(value: Any) -> datetime:
    """ISO 8601 date or date-time, or a Unix timestamp → aware UTC datetime (ValueError)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    text = value.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    if len(text) == 10:
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)  # no offset given: take it as UTC
    return moment.astimezone(UTC)


def parse_datetime_or_warn(value: Any, label: str, warnings: list[str]) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        return parse_datetime(value)
    except (ValueError, OverflowError, OSError):
        warnings.append(f"{label} illisible (« {shorten(str(value))} ») : ignorée.")
        return None


# --------------------------------------------------------------------------- categories


def map_categories(
    names: Iterable[str], mapping: Mapping[str, str] | None, warnings: list[str]
) -> list[str]:
    """The store slugs the feed's category names map to; unmapped names → one warning."""
    slugs, unmapped = [], []
    for name in names:
        name = clean_text(name)
        if not name or mapping is None:
            continue
        slug = mapping.get(name)
        if slug is None:
            if name not in unmapped:
                unmapped.append(name)
        elif slug and slug not in slugs:
            slugs.append(slug)
    if unmapped:
        warnings.append(
            "Catégories sans correspondance dans le catalogue, ignorées : "
            + ", ".join(unmapped)
            + "."
        )
    return slugs


def _filter_known(
    values: Iterable[str],
    known: frozenset[str] | None,
    valid: re.Pattern,
    label: str,
    warnings: list[str],
) -> tuple[str, ...]:
    kept, dropped = [], []
    for value in values:
        value = clean_text(value)
        if not value:
            continue
        ok = value in known if known is not None else bool(valid.match(value))
        target = kept if ok else dropped
        if value not in target:
            target.append(value)
    if dropped:
        warnings.append(f"{label} : " + ", ".join(shorten(v, 40) for v in dropped[:20]) + ".")
    return tuple(kept)


# --------------------------------------------------------------------------- records


def _clean_external_id(value: Any) -> str:
    external_id = strip_controls(str(value) if value is not None else "").strip()
    if not external_id:
        raise ItemInvalid("Identifiant manquant.")
    if len(external_id) > EXTERNAL_ID_MAX_LENGTH:
        raise ItemInvalid(
            f"Identifiant trop long ({len(external_id)} caractères, "
            f"{EXTERNAL_ID_MAX_LENGTH} au plus)."
        )
    return external_id


def _clean_listing(raw: RawListing, warnings: list[str]) -> ListingRecord:
    platform = clean_text(raw.platform).lower()
    if platform not in PLATFORMS:
        raise Rejected(f"plateforme « {shorten(platform, 30)} » inconnue ({', '.join(PLATFORMS)})")
    url = clean_listing_url(raw.url, platform)
    label = f"Fiche « {platform} »"
    return ListingRecord(
        platform=platform,
        url=url,
        store_id=_capped(
            clean_text(raw.store_id), STORE_ID_MAX_LENGTH, f"{label} : identifiant", warnings
        ),
        version=_capped(
            clean_text(raw.version), VERSION_MAX_LENGTH, f"{label} : version", warnings
        ),
        min_os_version=_capped(
            clean_text(raw.min_os_version),
            MIN_OS_VERSION_MAX_LENGTH,
            f"{label} : version minimale du système",
            warnings,
        ),
        updated_at=raw.updated_at,
        release_notes=clean_html(raw.release_notes_html),
        releases=_clean_releases(raw, warnings),
        anti_features=tuple(
            dict.fromkeys(shorten(clean_text(name), 40) for name in raw.anti_features if name)
        ),
    )


def _clean_releases(raw: RawListing, warnings: list[str]) -> tuple[ReleaseRecord, ...]:
    """The listing's versions, newest first, once each, MAX_RELEASES at most."""
    releases = list(raw.releases)
    version = clean_text(raw.version)
    if version and not any(clean_text(release.version) == version for release in releases):
        releases.append(RawRelease(raw.version, raw.updated_at, raw.release_notes_html))
    kept: dict[str, ReleaseRecord] = {}
    for release in releases:
        number = clean_text(release.version)[:RELEASE_VERSION_MAX_LENGTH]
        if not number or number in kept:
            continue
        kept[number] = ReleaseRecord(number, release.released_at, clean_html(release.notes_html))
    oldest = datetime.min.replace(tzinfo=UTC)
    # The listing's own version first (it is the current one, dated or not), then the others
    # newest first.
    ordered = sorted(
        kept.values(),
        key=lambda release: (release.version == version, release.released_at or oldest),
        reverse=True,
    )
    return tuple(ordered[:MAX_RELEASES])


def finish(raw: RawApp, options: ParseOptions) -> AppRecord:
    """Validate and clean a RawApp into an AppRecord; ItemInvalid if it cannot be imported."""
    warnings = list(raw.warnings)
    external_id = _clean_external_id(raw.external_id)

    name = clean_text(raw.name)
    if not name:
        raise ItemInvalid("Nom manquant ou vide.")
    name = _capped(name, NAME_MAX_LENGTH, "Nom", warnings)
    tagline = _capped(clean_text(raw.tagline), TAGLINE_MAX_LENGTH, "Accroche", warnings)
    if not tagline:
        warnings.append("Accroche absente.")
    description = clean_html(raw.description_html)
    if not description:
        warnings.append("Description absente.")
    name_en = _capped(clean_text(raw.name_en), NAME_MAX_LENGTH, "Nom (anglais)", warnings)
    tagline_en = _capped(
        clean_text(raw.tagline_en), TAGLINE_MAX_LENGTH, "Accroche (anglais)", warnings
    )
    description_en = clean_html(raw.description_html_en)

    if not raw.listings:
        raise ItemInvalid("Aucune plateforme indiquée : il faut au moins une fiche (listing).")
    listings: list[ListingRecord] = []
    rejected: list[str] = []
    for position, raw_listing in enumerate(raw.listings, start=1):
        try:
            listing = _clean_listing(raw_listing, warnings)
        except Rejected as reason:
            rejected.append(f"fiche n° {position} ({clean_text(raw_listing.platform)}) : {reason}")
            continue
        if any(existing.platform == listing.platform for existing in listings):
            warnings.append(
                f"Plusieurs fiches « {listing.platform} » : seule la première est retenue."
            )
            continue
        listings.append(listing)
    if not listings:
        raise ItemInvalid("Aucune fiche de plateforme valide : " + " ; ".join(rejected) + ".")
    warnings.extend(f"Fiche écartée : {reason}." for reason in rejected)

    icon = None
    if raw.icon is not None:
        try:
            icon = ImageRecord(url=clean_url(raw.icon.url))
        except InvalidURL as reason:
            warnings.append(f"Icône écartée : {reason}.")

    screenshots: list[ImageRecord] = []
    for raw_image in raw.screenshots:
        try:
            url = clean_url(raw_image.url)
        except InvalidURL as reason:
            warnings.append(f"Capture d'écran écartée : {reason}.")
            continue
        if any(image.url == url for image in screenshots):
            continue
        caption = _capped(
            clean_text(raw_image.caption), CAPTION_MAX_LENGTH, "Légende de capture", warnings
        )
        screenshots.append(ImageRecord(url=url, caption=caption))
    if len(screenshots) > MAX_SCREENSHOTS:
        warnings.append(
            f"{len(screenshots)} captures d'écran : seules les {MAX_SCREENSHOTS} premières "
            "sont retenues."
        )
        screenshots = screenshots[:MAX_SCREENSHOTS]

    homepage = ""
    if raw.homepage:
        try:
            homepage = clean_url(raw.homepage)
        except InvalidURL as reason:
            warnings.append(f"Page d'accueil écartée : {reason}.")

    pricing = clean_text(raw.pricing).lower()
    if pricing and pricing not in PRICINGS:
        warnings.append(f"Tarif « {shorten(pricing, 30)} » inconnu : ignoré.")
        pricing = ""
    accessibility = clean_text(raw.accessibility).lower()
    if accessibility and accessibility not in ACCESSIBILITY_LEVELS:
        warnings.append(
            f"Niveau d'accessibilité « {shorten(accessibility, 30)} » inconnu : ignoré."
        )
        accessibility = ""

    categories = _filter_known(
        raw.categories,
        options.known_categories,
        _SLUG,
        "Catégories inconnues du catalogue, ignorées",
        warnings,
    )
    audiences = _filter_known(
        raw.audiences, options.known_audiences, _SLUG, "Publics inconnus, ignorés", warnings
    )
    languages = _filter_known(
        (primary_language(code) for code in raw.languages if isinstance(code, str)),
        options.known_languages,
        _LANGUAGE_CODE,
        "Langues inconnues du catalogue, ignorées",
        warnings,
    )

    licence = ""
    if raw.licence:
        try:
            licence = licences.normalise(clean_text(raw.licence))
        except ValidationError as error:
            warnings.append(f"Licence écartée : {' '.join(error.messages)}")

    return AppRecord(
        external_id=external_id,
        name=name,
        tagline=tagline,
        description_html=description,
        name_en=name_en,
        tagline_en=tagline_en,
        description_html_en=description_en,
        categories=categories,
        audiences=audiences,
        pricing=pricing,
        languages=languages,
        accessibility=accessibility,
        icon=icon,
        screenshots=tuple(screenshots),
        listings=tuple(listings),
        homepage=homepage,
        licence=licence,
        developer_name=_capped(
            clean_text(raw.developer_name), DEVELOPER_NAME_MAX_LENGTH, "Développeur", warnings
        ),
        external_rating=raw.external_rating,
        warnings=tuple(dict.fromkeys(warnings)),  # once each, in order
    )


@dataclass
class ItemSource:
    """One feed item to build: its position, its id as read (for duplicates), its builder."""

    position: int
    external_id: str | None
    build: Callable[[], RawApp]


def collect_items(
    sources: Iterable[ItemSource], options: ParseOptions
) -> tuple[list[AppRecord], list[ItemError]]:
    """Build every item, each on its own: a failure becomes that item's ItemError only.

    An id that occurs more than once fails every occurrence: guessing which one is right
    would silently flip the app between versions from one sync to the next.
    """
    sources = list(sources)
    counts = Counter(
        key for key in (_duplicate_key(s.external_id) for s in sources) if key is not None
    )
    records: list[AppRecord] = []
    errors: list[ItemError] = []
    for source in sources:
        key = _duplicate_key(source.external_id)
        label: str | int = key if key is not None else source.position
        if key is not None and counts[key] > 1:
            errors.append(
                ItemError(
                    label,
                    f"Identifiant en double dans le flux ({counts[key]} occurrences) : "
                    "aucune n'est importée.",
                )
            )
            continue
        try:
            records.append(finish(source.build(), options))
        except ItemInvalid as error:
            errors.append(ItemError(label, str(error)))
        except RecursionError:
            errors.append(ItemError(label, "Structure trop profondément imbriquée."))
        except Exception:
            # A parser bug on odd data must not cost the other items their sync.
            logger.exception("Unexpected error while parsing feed item %r", label)
            errors.append(ItemError(label, "Erreur inattendue lors de la lecture de l'élément."))
    return records, errors


def _duplicate_key(external_id: Any) -> str | None:
    if external_id is None:
        return None
    key = strip_controls(str(external_id)).strip()
    return key or None
