"""A run's page: its facts, errors, warnings and changes — all of it escaped."""

import pytest

from catalogue.sync.models import Feed, SyncRun
from tests.integration.sync_admin.conftest import url

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("flux")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;flux&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile_run(publisher_a):
    feed = Feed.objects.create(
        publisher=publisher_a,
        name=f"Flux {SCRIPT}",
        url="https://flux.example.org/apps.json",
        format="native",
    )
    return SyncRun.objects.create(
        feed=feed,
        status=SyncRun.Status.DONE_WITH_ERRORS,
        http_status=200,
        seen=3,
        updated=1,
        failed=1,
        message=f"Erreur {SCRIPT}",
        errors=[{"item": f"id-{SCRIPT}", "message": f"nom manquant {SCRIPT}"}],
        warnings=[f"« x » : catégorie inconnue {SCRIPT}"],
        changes=[
            {
                "item": "app-1",
                "name": f"Appli {SCRIPT}",
                "action": "update",
                "sensitive": ["title", "description"],
                "routine": ["listings"],
            },
            {"item": f"app-{SCRIPT}", "action": "archive"},
        ],
    )


@pytest.mark.parametrize("page", ["run", "runs", "index"])
def test_feed_text_is_escaped_everywhere(client, editor, hostile_run, page):
    client.force_login(editor)
    path = {
        "run": url("run", hostile_run.pk),
        "runs": url("runs", hostile_run.feed_id),
        "index": url("index"),
    }[page]

    content = client.get(path).content.decode()

    assert SCRIPT not in content
    assert ESCAPED in content


def test_the_run_page_shows_errors_warnings_and_changes(client, member_a, hostile_run):
    client.force_login(member_a)

    content = client.get(url("run", hostile_run.pk)).content.decode()

    assert f"nom manquant {ESCAPED}" in content
    assert f"catégorie inconnue {ESCAPED}" in content
    assert f"Erreur {ESCAPED}" in content
    assert "mise à jour" in content
    assert "nom, description" in content  # sensitive fields, for the editors
    assert "fiches par plateforme" in content  # routine fields, published directly
    assert "archivée" in content
    assert "Terminée avec des erreurs" in content


def test_a_preview_speaks_in_the_conditional(client, editor, publisher_a):
    feed = Feed.objects.create(
        publisher=publisher_a, name="Flux", url="https://x.example.org/f.json", format="native"
    )
    run = SyncRun.objects.create(
        feed=feed,
        dry_run=True,
        status="done",
        changes=[
            {"item": "a", "name": "A", "action": "create", "sensitive": [], "routine": []},
            {"item": "b", "name": "B", "action": "update", "sensitive": ["icon"], "routine": []},
            {"item": "c", "action": "archive"},
        ],
    )
    client.force_login(editor)

    content = client.get(url("run", run.pk)).content.decode()

    for words in ("serait créée", "serait mise à jour", "serait archivée", "Ce qui changerait"):
        assert words in content
    assert "icône" in content
