"""Fill English translations into store/locale/en/LC_MESSAGES/django.po.

    python scripts/po_fill.py translations.json     # French msgid → English
    python scripts/po_fill.py other/django.po       # the translations another catalogue holds

The JSON maps French msgids to English (a list of two for plural entries); a .po gives its
translated, non-fuzzy entries (after a merge of two branches: keep the translations of both).
Entries found are given that translation and lose any "fuzzy" flag (makemessages proposes
fuzzy guesses, which msgfmt ignores); the others are left alone. Run msgfmt --check afterwards
(the .po header).
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "store/locale/en/LC_MESSAGES/django.po"
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unquote(lines: list[str]) -> str:
    return (
        "".join(STRING.findall("\n".join(lines)))
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def field(block: list[str], name: str) -> tuple[int, int] | None:
    """(start, end) line indexes of a field (msgid, msgstr…) and its continuation lines."""
    for start, line in enumerate(block):
        if line.startswith(name + " "):
            end = start + 1
            while end < len(block) and block[end].startswith('"'):
                end += 1
            return start, end
    return None


def translated_already(block: list[str]) -> set[str]:
    """{msgid} when the block's msgstr (or first plural form) is not empty, else {}."""
    for name in ("msgstr", "msgstr[0]"):
        span = field(block, name)
        if span is not None:
            text = unquote([block[span[0]].split(" ", 1)[1], *block[span[0] + 1 : span[1]]])
            span_id = field(block, "msgid")
            msgid = unquote(
                [block[span_id[0]][len("msgid ") :], *block[span_id[0] + 1 : span_id[1]]]
            )
            return {msgid} if text else set()
    return set()


def fill(translations: dict) -> int:
    text = PO.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    filled = 0
    for index, raw in enumerate(blocks):
        block = raw.split("\n")
        span = field(block, "msgid")
        if span is None:
            continue
        msgid = unquote([block[span[0]][len("msgid ") :], *block[span[0] + 1 : span[1]]])
        if not msgid or msgid not in translations:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block)
        if not fuzzy and (msgid in translated_already(block)):
            continue  # a translation the catalogue holds stays as it is
        english = translations[msgid]
        block = [line for line in block if not line.startswith("#|")]
        block = [line.replace(", fuzzy", "") if line.startswith("#,") else line for line in block]
        block = [line for line in block if line.strip() != "#,"]
        if isinstance(english, list):
            for number, value in enumerate(english):
                span = field(block, f"msgstr[{number}]")
                block[span[0] : span[1]] = [f"msgstr[{number}] {quote(value)}"]
        else:
            span = field(block, "msgstr")
            block[span[0] : span[1]] = [f"msgstr {quote(english)}"]
        blocks[index] = "\n".join(block)
        filled += 1
    PO.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


def translations_of(po: Path) -> dict:
    """msgid → msgstr (or [singular, plural]) of a catalogue's translated, non-fuzzy entries."""
    found = {}
    for raw in po.read_text(encoding="utf-8").split("\n\n"):
        block = raw.split("\n")
        if any(line.startswith("#,") and "fuzzy" in line for line in block):
            continue
        span = field(block, "msgid")
        if span is None:
            continue
        msgid = unquote([block[span[0]][len("msgid ") :], *block[span[0] + 1 : span[1]]])
        if not msgid:
            continue
        if field(block, "msgstr[0]") is not None:
            forms = []
            for number in (0, 1):
                start, end = field(block, f"msgstr[{number}]")
                forms.append(unquote([block[start].split(" ", 1)[1], *block[start + 1 : end]]))
            if all(forms):
                found[msgid] = forms
        else:
            start, end = field(block, "msgstr")
            english = unquote([block[start][len("msgstr ") :], *block[start + 1 : end]])
            if english:
                found[msgid] = english
    return found


if __name__ == "__main__":
    source = Path(sys.argv[1])
    if source.suffix == ".po":
        translations = translations_of(source)
    else:
        translations = json.loads(source.read_text(encoding="utf-8"))
    print(fill(translations), "entries filled")
