"""Fill English translations into store/locale/en/LC_MESSAGES/django.po from a JSON file.

    python scripts/po_fill.py translations.json

The JSON maps French msgids to English (a list of two for plural entries). Entries found are
given that translation and lose any "fuzzy" flag (makemessages proposes fuzzy guesses, which
msgfmt ignores); the others are left alone. Run msgfmt --check afterwards (the .po header).
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


if __name__ == "__main__":
    print(fill(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))), "entries filled")
