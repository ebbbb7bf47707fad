"""Text folding for matching and sorting, in one place (search, reviews' blocked words)."""

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: « Métier » → « metier », « Œuvre » → « oeuvre »."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
