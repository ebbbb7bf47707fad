"""Licences as SPDX expressions: validated, normalised, and told free or proprietary.

``license-expression`` knows the SPDX licence list (ids, deprecated ids such as ``GPL-2.0+``,
exceptions) and, for each licence, ScanCode's category, which says whether it is free software.
AppStream writes ``LicenseRef-proprietary`` (SPDX's own escape for a licence outside the list),
sometimes followed by ``=<URL>`` of the licence's text: kept as a ``LicenseRef-`` id.
"""

import functools
import json
import re
from importlib import resources

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from license_expression import ExpressionError, get_spdx_licensing

MAX_LENGTH = 200
FREE = "free"
PROPRIETARY = "proprietary"
# ScanCode's categories of licences that make free software (the others: proprietary, commercial,
# source-available, restricted…).
FREE_CATEGORIES = {"Permissive", "Copyleft", "Copyleft Limited", "Public Domain"}
_LICENSE_REF = re.compile(r"\b(LicenseRef-[A-Za-z0-9.-]+)(=\S*)?")
_OPERATORS = re.compile(r"\b(and|or|with)\b", re.IGNORECASE)


@functools.cache
def _licensing():
    return get_spdx_licensing()


@functools.cache
def _categories() -> dict[str, str]:
    """SPDX id (lower case) → ScanCode category, for every licence license-expression knows."""
    index = resources.files("license_expression") / "data" / "scancode-licensedb-index.json"
    categories = {}
    for entry in json.loads(index.read_text(encoding="utf-8")):
        for key in [entry.get("spdx_license_key"), *(entry.get("other_spdx_license_keys") or [])]:
            if key:
                categories[key.lower()] = entry.get("category") or ""
    return categories


def normalise(expression: str) -> str:
    """The expression in SPDX's canonical form (``GPL-2.0+`` → ``GPL-2.0-or-later``, ``and`` →
    ``AND``), or ValidationError. An empty expression stays empty."""
    text = " ".join((expression or "").split())
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise ValidationError(_("Licence trop longue (%d caractères au plus).") % MAX_LENGTH)
    text = _LICENSE_REF.sub(lambda match: match.group(1), text)
    text = _OPERATORS.sub(lambda match: match.group(1).upper(), text)
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=False, strict=True)
    except ExpressionError:
        raise ValidationError(
            _("« %(value)s » n'est pas une expression de licence SPDX valide."),
            params={"value": expression[:80]},
        ) from None
    if parsed is None:
        return ""
    unknown = [
        key for key in licensing.unknown_license_keys(parsed) if not key.startswith("LicenseRef-")
    ]
    if unknown:
        raise ValidationError(
            _("Identifiant de licence SPDX inconnu : %(ids)s."), params={"ids": ", ".join(unknown)}
        )
    # render() writes the canonical keys: « gpl-2.0+ » → « GPL-2.0-or-later ».
    return parsed.render()


def validate(expression: str) -> None:
    normalise(expression)


def licence_ids(expression: str) -> list[str]:
    """The licences an expression names, in order, once each (exceptions left out)."""
    if not expression:
        return []
    try:
        parsed = _licensing().parse(expression, validate=False)
    except ExpressionError:
        return []
    ids = []
    for symbol in _licensing().license_symbols(parsed, decompose=True):
        if getattr(symbol, "is_exception", False):
            continue
        if symbol.key not in ids:
            ids.append(symbol.key)
    return ids


def is_free(expression: str) -> bool:
    """Free software: every licence it requires is free (for OR, one alternative suffices)."""
    if not expression:
        return False
    try:
        parsed = _licensing().parse(expression, validate=False)
    except ExpressionError:
        return False
    return _free(parsed)


def _free(node) -> bool:
    operator = type(node).__name__
    if operator == "OR":
        return any(_free(arg) for arg in node.args)
    if operator == "AND":
        return all(_free(arg) for arg in node.args)
    if hasattr(node, "license_symbol"):  # X WITH exception: X decides
        return _free(node.license_symbol)
    key = getattr(node, "key", "")
    return _categories().get(key.lower()) in FREE_CATEGORIES


def kind(expression: str) -> str:
    """« free » or « proprietary » (anything not shown to be free); « » without a licence."""
    if not expression:
        return ""
    return FREE if is_free(expression) else PROPRIETARY
