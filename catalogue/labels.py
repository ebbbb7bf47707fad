"""Names in the visitor's language: French by default, English (``name_en``) when the request
is in English and one is filled in. Categories, audiences and languages have English names;
publishers and apps do not.
"""

from django.conf import settings
from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("en")


def localized_name(item) -> str:
    """``name_en`` in English when filled in, ``name`` otherwise (objects or dicts)."""
    if item is None:
        return ""
    if isinstance(item, dict):
        english = item.get("name_en") if is_english() else ""
        return english or item.get("name", "")
    english = getattr(item, "name_en", "") if is_english() else ""
    return english or item.name
