"""French-aware normalisation of search.text: what the database backend indexes and matches."""

import pytest

from search.text import fold, light_stem, sort_key, tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Métier", "metier"),
        ("ÉLAN", "elan"),
        ("Ça déménage", "ca demenage"),
        ("Œuvre", "oeuvre"),
        ("cœur", "coeur"),
        ("Ex æquo", "ex aequo"),
        ("naïve façade", "naive facade"),
        ("Straße", "strasse"),  # casefold, not just lower
    ],
)
def test_fold_drops_case_and_accents(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("l'emploi", ["emploi"]),
        ("L’Emploi", ["emploi"]),  # typographic apostrophe, capital
        ("d'avenir", ["avenir"]),
        ("qu'attendez-vous", ["attendez"]),
        ("jusqu'ici", ["ici"]),
        ("lorsqu'on", []),  # « on » is a stop word
        ("aujourd'hui", ["aujourd", "hui"]),  # no elision inside a word
    ],
)
def test_elision_is_removed(text, words):
    assert tokens(text) == words


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("formations", "formation"),
        ("emplois", "emploi"),
        ("journaux", "journal"),
        ("chevaux", "cheval"),
        ("bijoux", "bijou"),
        ("formation", "formation"),
        ("bus", "bus"),  # three letters: left alone
        ("cas", "cas"),
        ("aux", "aux"),
    ],
)
def test_light_stem_makes_plurals_singular(word, stem):
    assert light_stem(word) == stem


def test_plural_and_singular_give_the_same_tokens():
    assert tokens("Les formations financées") == tokens("la formation financée")


def test_stop_words_are_dropped_unless_kept():
    assert tokens("Trouver un emploi près de chez vous") == ["trouver", "emploi", "pre", "chez"]
    assert tokens("de la", keep_stop_words=True) == ["de", "la"]
    assert tokens("de la et les") == []


def test_tokens_are_ascii_letters_and_digits_only():
    assert tokens("Top 10 des CV : 100 % _réussite_ !") == ["top", "10", "cv", "100", "reussite"]
    assert tokens("") == tokens(None) == []


def test_sort_key_ignores_case_accents_and_punctuation():
    assert sort_key("  Élan — Saisonnier ! ") == "elan saisonnier"
    assert sort_key("Prêt pour l'entretien") == "pret pour l entretien"
    assert sort_key(None) == ""
    names = ["Zèbre", "élan", "Atelier", "éclair"]
    assert sorted(names, key=sort_key) == ["Atelier", "éclair", "élan", "Zèbre"]
