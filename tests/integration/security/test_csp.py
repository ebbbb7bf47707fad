"""Item 6 of issue 13: the Content-Security-Policy, as a browser receives it.

The browser tests (tests/functional/) load the pages in Chromium with this header on and
assert that no violation is reported; here, the header itself, the markup it relies on (no
inline style or script on the public pages, JSON-LD with the request's nonce) and the endpoint
reports go to.
"""

import json
import logging
import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response[CSP]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def public_pages(client, app_a):
    from reviews import services

    author = UserFactory(username="autrice")
    author.date_joined = author.date_joined.replace(year=author.date_joined.year - 1)
    author.save()
    services.submit_review(app_a, author, rating=4, title="Bien", body="Utile.")
    return ["/", "/apps/?q=emploi", app_a.url, "/compte/connexion/", "/compte/inscription/"]


def test_the_public_policy_allows_no_inline_code_and_no_framing(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response[CSP]
        assert "'unsafe-eval'" not in response[CSP]
        assert policy["style-src"] == ["'self'"]
        assert policy["report-uri"] == ["/csp-report/"]


def test_public_pages_carry_no_inline_style_nor_script_but_nonced_json_ld(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        html = response.content.decode()
        assert "<style" not in html, url
        assert " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handler
        nonce = re.search(r"'nonce-([^']+)'", response[CSP])
        for attributes in INLINE_SCRIPT.findall(html):
            # The only inline scripts are data (JSON-LD), and carry this response's nonce.
            assert 'type="application/ld+json"' in attributes, (url, attributes)
            assert nonce and f'nonce="{nonce.group(1)}"' in attributes, (url, attributes)


def test_the_app_page_json_ld_nonce_is_fresh_each_time(client, app_a):
    first, second = client.get(app_a.url), client.get(app_a.url)
    assert "application/ld+json" in first.content.decode()
    assert directives(first)["script-src"] != directives(second)["script-src"]


def test_the_admin_has_its_own_policy_scoped_to_it(client, editor):
    client.force_login(editor)
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "'unsafe-inline'" in directives(admin)["script-src"]
    assert directives(admin)["frame-ancestors"] == ["'self'"]
    public = client.get("/")
    assert "'unsafe-inline'" not in public[CSP]


def test_violation_reports_are_logged(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "http://testserver/apps/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "https://evil.example/x.js",
        }
    }
    with caplog.at_level(logging.WARNING, logger="web.csp"):
        response = client.post(
            "/csp-report/", json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert any("https://evil.example/x.js" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[1, 2]", b'{"csp-report": "x"}', b"{" * 20_000]
)
def test_the_report_endpoint_takes_any_garbage_calmly(client, body):
    response = client.post("/csp-report/", body, content_type="application/json")
    assert response.status_code == 204
    assert client.get("/csp-report/").status_code == 405
