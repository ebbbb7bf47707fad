"""Sanitising and validation helpers shared by the parsers."""

from datetime import UTC, datetime

import pytest

from catalogue.sync.clean import (
    InvalidURL,
    clean_html,
    clean_text,
    clean_url,
    parse_datetime,
    pick_localized,
    text_to_html,
)


def test_clean_text_strips_tags_and_collapses_spaces():
    assert clean_text("  Mon <b>appli</b>\n\t<script>alert(1)</script> AT&amp;T ") == (
        "Mon appli AT&T"
    )
    assert clean_text("a < b et c > d") == "a < b et c > d"
    assert clean_text("nul\x00 et \ud800 seul") == "nul et seul"
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    "dirty",
    [
        '<p onclick="steal()">Bonjour</p><script>alert("x")</script>',
        '<p>Bonjour<img src="x" onerror="alert(1)"></p>',
        '<p>Bonjour</p><style>p { background: url("javascript:alert(1)") }</style>',
        '<p>Bonjour <a href="javascript:alert(1)">ici</a></p>',
        '<p>Bonjour <a href="data:text/html,<script>alert(1)</script>">ici</a></p>',
        '<p>Bonjour</p><iframe src="https://evil.example/"></iframe>',
        "<svg onload=alert(1)><p>Bonjour</p></svg>",
    ],
)
def test_clean_html_removes_scripts_and_handlers(dirty):
    cleaned = clean_html(dirty)

    assert "Bonjour" in cleaned
    for forbidden in ("<script", "alert", "onerror", "onclick", "onload", "javascript", "<img"):
        assert forbidden not in cleaned
    assert "<iframe" not in cleaned
    assert "<style" not in cleaned


def test_clean_html_keeps_the_allowed_markup():
    html = (
        '<p>Un <strong>texte</strong> <em>riche</em><br>avec <a href="https://example.org/" '
        'target="_blank" class="x">un lien</a></p><ul><li>un</li></ul><ol><li>deux</li></ol>'
    )

    assert clean_html(html) == (
        '<p>Un <strong>texte</strong> <em>riche</em><br>avec <a href="https://example.org/">'
        "un lien</a></p><ul><li>un</li></ul><ol><li>deux</li></ol>"
    )


def test_clean_html_drops_relative_links_and_empty_blocks():
    assert clean_html('<p><a href="/admin/">lien</a></p><ul><li> </li></ul><p></p>') == (
        "<p>lien</p>"
    )
    assert clean_html("<h2>Titre</h2><div>Texte</div>") == "<p>Titre</p><p>Texte</p>"
    assert clean_html("juste du texte") == "<p>juste du texte</p>"


def test_text_to_html_makes_paragraphs_and_lists():
    text = "Intro\n• un\n• deux & trois\nSuite\n\nAutre paragraphe\nligne 2"

    assert text_to_html(text) == (
        "<p>Intro</p><ul><li>un</li><li>deux &amp; trois</li></ul><p>Suite</p>"
        "<p>Autre paragraphe<br>ligne 2</p>"
    )
    assert text_to_html("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "javascript"),
        ("JavaScript:alert(1)", "javascript"),
        ("data:text/html;base64,PHNjcmlwdD4=", "data"),
        ("ftp://example.org/app", "ftp"),
        ("/applications/x", "relative"),
        ("//example.org/x", "relative"),
        ("example.org", "relative"),
        ("https://", "relative"),
        ("http://user:secret@example.org/", "identifiants"),
        ("https://exa mple.org/", "caractères interdits"),
        ("https://example.org/\x00", "caractères interdits"),
        ("https://" + "a" * 600 + ".org/", "trop longue"),
        ("", "vide"),
        (None, "absente"),
    ],
)
def test_clean_url_refuses(url, reason):
    with pytest.raises(InvalidURL, match=reason):
        clean_url(url)


def test_clean_url_accepts_absolute_http_urls():
    assert clean_url(" https://example.org/a?b=1&c=2 ") == "https://example.org/a?b=1&c=2"
    assert clean_url("http://example.org") == "http://example.org"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([(None, "Weather"), ("de", "Wetter"), ("fr", "Météo")], "Météo"),
        ([("fr_CA", "québécois"), ("fr-FR", "France"), ("fr", "fr")], "fr"),
        ([("fr_CA", "québécois"), ("fr-FR", "France")], "France"),
        ([("fr_CA", "québécois"), (None, "C")], "québécois"),
        ([("en", "en"), ("C", "untranslated"), ("de", "de")], "untranslated"),
        ([("de", "de"), ("en_GB", "en-GB"), ("en", "en")], "en"),
        ([("de", "de"), ("it", "it")], "de"),
        ([("fr", ""), (None, "C")], "C"),
        ([], ""),
    ],
)
def test_pick_localized_prefers_french_then_untranslated_then_english(values, expected):
    assert pick_localized(values) == expected


def test_parse_datetime_gives_aware_utc():
    assert parse_datetime("2023-07-05") == datetime(2023, 7, 5, tzinfo=UTC)
    assert parse_datetime("2018-10-02T23:28:05Z") == datetime(2018, 10, 2, 23, 28, 5, tzinfo=UTC)
    assert parse_datetime("2025-02-01T12:00:00+01:00") == datetime(2025, 2, 1, 11, tzinfo=UTC)
    assert parse_datetime("1700000000") == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    with pytest.raises(ValueError, match="hier"):
        parse_datetime("hier")
