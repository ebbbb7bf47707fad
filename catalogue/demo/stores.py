"""Plausible store entries (address, store id, versions) for demo and generated apps."""

from datetime import UTC, datetime, timedelta

WINDOWS_STORE_ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXZ"
MIN_OS = {
    "ios": ["15.0", "16.0", "17.0"],
    "macos": ["12.0", "13.0", "14.0"],
    "android": ["8.0", "9", "10", "11"],
    "windows": ["10", "11"],
    "linux": ["Ubuntu 22.04", "Debian 12", "Fedora 39"],
    "web": [""],
}
UPDATES_FROM = datetime(2025, 1, 6, 8, tzinfo=UTC)


def listing_fields(platform: str, slug: str, publisher_slug: str, rng) -> dict:
    """The fields of an AppListing, drawn from rng (a random.Random) for one app."""
    compact = slug.replace("-", "")
    store_id = ""
    if platform in ("ios", "macos"):
        store_id = str(rng.randint(1_200_000_000, 6_700_000_000))
        url = f"https://apps.apple.com/fr/app/{slug}/id{store_id}"
    elif platform == "android":
        store_id = f"org.example.{publisher_slug.replace('-', '')}.{compact}"
        url = f"https://play.google.com/store/apps/details?id={store_id}"
    elif platform == "windows":
        store_id = "9" + "".join(rng.choices(WINDOWS_STORE_ALPHABET, k=11))
        url = f"https://apps.microsoft.com/detail/{store_id.lower()}"
    elif platform == "linux":
        store_id = "org.example." + "".join(part.capitalize() for part in slug.split("-"))
        url = f"https://flathub.org/apps/{store_id}"
    else:
        url = f"https://example.org/{publisher_slug}/{slug}/"
    return {
        "platform": platform,
        "url": url,
        "store_id": store_id,
        # A web app has no version number to show.
        "version": ""
        if platform == "web"
        else f"{rng.randint(1, 6)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}",
        "min_os_version": rng.choice(MIN_OS[platform]),
        "updated_at": UPDATES_FROM
        + timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600)),
    }
