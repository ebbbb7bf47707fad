"""Members propose an app with the guided form: preview, draft, submit to the editors'
workflow (Wagtail's, as the admin's); an editor approves and the app is live and searchable."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from catalogue.models import AppPage
from search.backends import get_backend
from search.service import catalogue_search
from store.celery import app as celery_app
from tests.factories import AudienceFactory, LanguageFactory, subcategory
from tests.integration.onboarding.conftest import client_for, signed_in, snapshot

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


@pytest.fixture
def app_data(db):
    return {
        "title": "Trouve ton stage",
        "tagline": "Des stages près de chez vous",
        "description": "Cherchez un stage.\n\n<b>Postulez</b> en un clic.",
        "categories": [subcategory().pk],
        "audiences": [AudienceFactory(slug="jobseekers").pk],
        "languages": [LanguageFactory(code="fr").pk],
        "pricing": "free",
        "accessibility": "partial",
        "web": "https://stage.example.org",
    }


def new_app_url(publisher):
    return f"/publier/editeurs/{publisher.pk}/applications/nouvelle/"


def test_preview_shows_the_card_and_saves_nothing(member, publisher_a, app_data):
    before = snapshot()
    count = AppPage.objects.count()
    response = signed_in(member).post(new_app_url(publisher_a), {**app_data, "action": "preview"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aperçu" in body
    assert "Des stages près de chez vous" in body
    assert "&lt;b&gt;Postulez&lt;/b&gt;" in body  # the person's markup is text
    assert AppPage.objects.count() == count
    assert snapshot() == before


def test_errors_are_shown_per_field(member, publisher_a, app_data):
    response = signed_in(member).post(
        new_app_url(publisher_a),
        {**app_data, "web": "", "tagline": "x" * 141, "categories": [], "action": "submit"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"tagline", "categories", "__all__"} <= set(errors)


@pytest.fixture
def database_search(settings):
    """The database backend, its tasks in process (the ES path has its own indexing tests)."""
    settings.SEARCH_BACKEND = "database"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    get_backend().rebuild()
    yield
    celery_app.conf.task_always_eager = previous


def test_submit_starts_the_workflow_then_an_editor_publishes(
    member, publisher_a, editor, app_data, database_search, django_capture_on_commit_callbacks
):
    response = signed_in(member).post(new_app_url(publisher_a), {**app_data, "action": "submit"})
    assert response.status_code == 302
    app = AppPage.objects.get(title="Trouve ton stage")
    assert not app.live
    assert app.publisher == publisher_a
    assert app.get_parent().specific.publisher == publisher_a
    assert (
        app.description == "<p>Cherchez un stage.</p><p>&lt;b&gt;Postulez&lt;/b&gt; en un clic.</p>"
    )
    assert [listing.platform for listing in app.listings.all()] == ["web"]
    state = app.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == member
    assert app.get_latest_revision().user == member

    listing = signed_in(member).get(f"/publier/editeurs/{publisher_a.pk}/applications/")
    assert "En cours de validation" in listing.content.decode()

    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[app.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(editor).post(url, {"comment": "Parfait"})
    app.refresh_from_db()
    assert app.live
    get_backend().refresh()
    assert catalogue_search(query="stage").hits == [app.pk]


def test_a_draft_is_saved_without_submitting(member, publisher_a, app_data):
    signed_in(member).post(new_app_url(publisher_a), {**app_data, "action": "draft"})
    app = AppPage.objects.get(title="Trouve ton stage")
    assert not app.live
    assert app.current_workflow_state is None


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 302), ("applicant", 403), ("other_member", 403)],
)
def test_only_members_and_editors_propose_apps(
    request, actor, expected, publisher_a, app_data, other_member, applicant
):
    count = AppPage.objects.count()
    client = client_for(actor, request)
    for path in (new_app_url(publisher_a), f"/publier/editeurs/{publisher_a.pk}/applications/"):
        assert client.get(path).status_code == expected
    response = client.post(new_app_url(publisher_a), {**app_data, "action": "submit"})
    assert response.status_code == expected
    assert AppPage.objects.count() == count


@pytest.mark.parametrize("actor", ["admin", "member", "editor", "superuser"])
def test_members_administrators_and_editors_may(
    request, actor, publisher_a, app_data, member, editor, superuser
):
    client = client_for(actor, request)
    assert client.get(new_app_url(publisher_a)).status_code == 200
    assert client.post(new_app_url(publisher_a), {**app_data, "action": "draft"}).status_code == 302


def test_the_apps_list_has_a_fixed_number_of_queries(
    member, publisher_a, app_a, django_assert_num_queries
):
    client = signed_in(member)
    url = f"/publier/editeurs/{publisher_a.pk}/applications/"
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert "Alpha Emploi" in response.content.decode()
