"""French-aware text normalisation shared by the database backend and the sort keys.

Elasticsearch does the same job with its own analysers (search/mapping.py); this is the
embedded counterpart: case and accent folding (catalogue.text.fold), elision, light plural
stemming.
"""

import re

from catalogue.text import fold

# l'emploi, d'un, qu'il, j'ai… (straight and typographic apostrophes)
ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[0-9a-z]+")
STOP_WORDS = frozenset(
    "a au aux avec ce ces dans de des du en et il la le les leur lui ma mais me mes moi mon "  # noqa: SIM905 - a readable word list
    "ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu "
    "un une vos votre vous y".split()
)


def light_stem(word: str) -> str:
    """Plural to singular, the part of French stemming users notice (formations → formation)."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def tokens(text: str, *, keep_stop_words: bool = False) -> list[str]:
    words = WORD.findall(fold(ELISION.sub(" ", text or "")))
    return [light_stem(word) for word in words if keep_stop_words or word not in STOP_WORDS]


def sort_key(text: str) -> str:
    """The name as sorted by every backend: folded, punctuation-insensitive."""
    return " ".join(WORD.findall(fold(text or "")))
