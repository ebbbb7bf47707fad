"""Loading a feed body safely: JSON and XML, UTF-8 only, clear French errors."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import errors as expat_errors

import defusedxml.ElementTree as safe_etree
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from catalogue.sync.clean import decode_utf8
from catalogue.sync.records import FeedError

# --------------------------------------------------------------------------- JSON

_JSON_MESSAGES = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendu",
    "Expecting property name enclosed in double quotes": (
        "nom de propriété entre guillemets droits attendu"
    ),
    "Extra data": "contenu en trop après la fin du document",
    "Invalid control character at": "caractère de contrôle interdit dans une chaîne",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    "Unterminated string starting at": "chaîne non terminée",
}


class _ForbiddenConstant(ValueError):
    pass


def _reject_constant(name: str):
    # NaN and Infinity are not JSON; Python would accept them silently.
    raise _ForbiddenConstant(name)


def load_json(body: bytes, format_name: str) -> Any:
    """The decoded JSON document, or FeedError."""
    text = decode_utf8(body, format_name)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        reason = _JSON_MESSAGES.get(error.msg, error.msg)
        truncated = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated")
        if truncated:
            raise FeedError(
                f"JSON tronqué : le document s'arrête avant sa fin ({reason}, "
                f"ligne {error.lineno}, colonne {error.colno})."
            ) from None
        raise FeedError(
            f"JSON mal formé ligne {error.lineno}, colonne {error.colno} : {reason}."
        ) from None
    except _ForbiddenConstant as error:
        raise FeedError(f"JSON invalide : la valeur {error} n'est pas du JSON standard.") from None
    except RecursionError:
        raise FeedError("JSON invalide : structure trop profondément imbriquée.") from None
    except ValueError:
        # Python refuses integers of thousands of digits.
        raise FeedError("JSON invalide : nombre démesuré.") from None


def json_type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "booléen"
    if isinstance(value, dict):
        return "objet"
    if isinstance(value, list):
        return "liste"
    if isinstance(value, str):
        return "texte"
    if isinstance(value, int | float):
        return "nombre"
    if value is None:
        return "null"
    return type(value).__name__


# --------------------------------------------------------------------------- XML

_XML_MESSAGES = {
    expat_errors.XML_ERROR_TAG_MISMATCH: "balise fermante différente de la balise ouverte",
    expat_errors.XML_ERROR_INVALID_TOKEN: "caractère ou syntaxe invalide",
    expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "contenu après la fin de l'élément racine",
    expat_errors.XML_ERROR_UNDEFINED_ENTITY: "entité non définie (&…;)",
    expat_errors.XML_ERROR_DUPLICATE_ATTRIBUTE: "attribut en double",
    expat_errors.XML_ERROR_SYNTAX: "erreur de syntaxe",
    expat_errors.XML_ERROR_UNBOUND_PREFIX: "préfixe d'espace de noms non déclaré",
    expat_errors.XML_ERROR_BAD_CHAR_REF: "référence de caractère invalide",
    expat_errors.XML_ERROR_MISPLACED_XML_PI: "déclaration XML mal placée",
    expat_errors.XML_ERROR_XML_DECL: "déclaration XML mal formée",
    expat_errors.XML_ERROR_INCORRECT_ENCODING: "encodage déclaré incorrect",
    expat_errors.XML_ERROR_UNKNOWN_ENCODING: "encodage inconnu",
}
_XML_TRUNCATED = {
    expat_errors.XML_ERROR_NO_ELEMENTS,
    expat_errors.XML_ERROR_UNCLOSED_TOKEN,
    expat_errors.XML_ERROR_PARTIAL_CHAR,
    expat_errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
}
_XML_DECLARED_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']"""
)
_UTF8_COMPATIBLE = {"utf-8", "utf8", "us-ascii", "ascii"}


def load_xml(body: bytes, format_name: str) -> Element:
    """The root element, parsed by defusedxml with DTDs, entities and external refs forbidden."""
    decode_utf8(body, format_name)  # the format requires UTF-8: say so clearly
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    declared = _XML_DECLARED_ENCODING.match(body[:300])
    if declared and declared.group(1).decode("ascii").lower() not in _UTF8_COMPATIBLE:
        encoding = declared.group(1).decode("ascii")
        raise FeedError(
            f"Encodage « {encoding} » non pris en charge : un flux {format_name} doit être "
            "en UTF-8."
        )
    try:
        return safe_etree.fromstring(
            bytes(body), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise FeedError(
            "XML refusé : les déclarations de type de document (<!DOCTYPE …>) sont interdites "
            "dans un flux, car elles permettent d'inclure des fichiers ou de démultiplier des "
            "entités."
        ) from None
    except EntitiesForbidden:
        raise FeedError(
            "XML refusé : les déclarations d'entités (<!ENTITY …>) sont interdites dans un flux."
        ) from None
    except ExternalReferenceForbidden:
        raise FeedError(
            "XML refusé : les références à des ressources externes sont interdites."
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        english = expat_errors.messages.get(getattr(error, "code", 0), "")
        column += 1  # expat counts columns from 0
        if english in _XML_TRUNCATED:
            raise FeedError(
                f"XML tronqué : le document s'arrête avant sa fin (ligne {line}, colonne {column})."
            ) from None
        reason = _XML_MESSAGES.get(english, english or str(error))
        raise FeedError(f"XML mal formé ligne {line}, colonne {column} : {reason}.") from None
