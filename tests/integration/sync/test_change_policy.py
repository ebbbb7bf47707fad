"""What a feed change does to an app: routine fields go live, sensitive ones wait for editors."""

import copy

import pytest

from catalogue.models import AppPage
from catalogue.sync.models import SyncRun
from tests.integration.sync.conftest import app_of, app_spec, in_review, native_feed, revision_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_spec(feed_server):
    return app_spec(
        "cv-pro",
        "CV Pro",
        icon=feed_server.image("/img/cv-pro/icone.png"),
        screenshots=[{"url": feed_server.image("/img/cv-pro/ecran-1.png"), "caption": "Accueil"}],
        listings=[
            {
                "platform": "web",
                "url": "https://example.org/cv-pro/",
                "version": "1.0",
                "release_notes": "Première version.",
            }
        ],
    )


@pytest.fixture
def serve(feed_server):
    def serve(*apps):
        feed_server.serve("/feed.json", native_feed(*apps))

    return serve


@pytest.fixture
def draft(serve, first_spec, make_feed, sync):
    """The app as the first run left it: a draft awaiting the editors."""
    serve(first_spec)
    feed = make_feed()
    assert sync(feed).created == 1
    return feed


@pytest.fixture
def live(draft):
    """The same app once an editor published it (publishing ends its workflow)."""
    app_of(draft, "cv-pro").get_latest_revision().publish()
    app = app_of(draft, "cv-pro")
    assert app.live and not app.has_unpublished_changes and not in_review(app)
    return draft


def changed(spec, **fields):
    new = copy.deepcopy(spec)
    listing = fields.pop("listing", None)
    if listing:
        new["listings"][0].update(listing)
    new.update(fields)
    return new


def latest(app) -> AppPage:
    return AppPage.objects.get(pk=app.pk).get_latest_revision_as_object()


def listing(page):
    return page.listings.all()[0]


NEW_LISTING = {
    "version": "2.0",
    "url": "https://example.org/cv-pro/v2/",
    "release_notes": "Export en PDF accessible.",
}


def test_a_routine_listing_change_is_published_directly(live, serve, first_spec, sync):
    before = revision_count(app_of(live, "cv-pro"))
    serve(changed(first_spec, listing=NEW_LISTING))

    run = sync(live)

    assert run.status == SyncRun.Status.DONE
    assert (run.updated, run.unchanged, run.created) == (1, 0, 0)
    assert run.changes == [
        {
            "item": "cv-pro",
            "name": "CV Pro",
            "action": "update",
            "sensitive": [],
            "routine": ["listings", "releases"],  # a new version joins the history
        }
    ]
    app = app_of(live, "cv-pro")
    assert app.live and not app.has_unpublished_changes
    assert not in_review(app)
    web = listing(app)
    assert (web.version, web.url) == ("2.0", "https://example.org/cv-pro/v2/")
    assert "Export en PDF accessible." in web.release_notes
    assert app.live_revision == app.latest_revision
    assert revision_count(app) == before + 1
    assert app.title == "CV Pro"


def test_new_screenshots_are_published_directly(live, serve, first_spec, sync, feed_server):
    shots = [
        *first_spec["screenshots"],
        {"url": feed_server.image("/img/cv-pro/ecran-2.png"), "caption": "Export"},
    ]
    serve(changed(first_spec, screenshots=shots))

    run = sync(live)

    assert run.updated == 1
    assert run.changes[0]["routine"] == ["screenshots"] and run.changes[0]["sensitive"] == []
    app = app_of(live, "cv-pro")
    assert [s.caption for s in app.screenshots.order_by("sort_order")] == ["Accueil", "Export"]
    assert app.live and not app.has_unpublished_changes and not in_review(app)
    assert feed_server.hits("/img/cv-pro/ecran-1.png") == 1  # known already: not fetched again


@pytest.mark.parametrize(
    ("fields", "sensitive", "read"),
    [
        ({"name": "CV Pro Max"}, "title", lambda page: page.title),
        (
            {"description": "<p>Une toute nouvelle description.</p>"},
            "description",
            lambda page: page.description,
        ),
        (
            {"categories": ["entretien-embauche"]},
            "categories",
            lambda page: [c.slug for c in page.categories.all()],
        ),
    ],
    ids=["name", "description", "categories"],
)
def test_a_sensitive_change_waits_for_the_editors(
    live, serve, first_spec, sync, fields, sensitive, read
):
    app = app_of(live, "cv-pro")
    live_value = read(app)
    serve(changed(first_spec, **fields))

    run = sync(live)

    assert run.updated == 1
    assert run.changes[0]["sensitive"] == [sensitive] and run.changes[0]["routine"] == []
    app = app_of(live, "cv-pro")
    assert read(app) == live_value  # the live page has not moved
    assert app.live and app.has_unpublished_changes
    wanted = next(iter(fields.values()))
    assert read(latest(app)) == wanted
    assert in_review(app)
    assert app.current_workflow_state.current_task_state.revision == app.latest_revision


def test_routine_and_sensitive_changes_at_once(live, serve, first_spec, sync):
    serve(changed(first_spec, name="CV Pro Max", listing=NEW_LISTING))

    run = sync(live)

    assert run.updated == 1
    assert run.changes[0]["sensitive"] == ["title"]
    assert run.changes[0]["routine"] == ["listings", "releases"]
    app = app_of(live, "cv-pro")
    assert app.title == "CV Pro"  # the live page: old name, new version
    assert listing(app).version == "2.0"
    pending = latest(app)  # awaiting the editors: both
    assert (pending.title, listing(pending).version) == ("CV Pro Max", "2.0")
    assert in_review(app)


def test_a_pending_draft_keeps_its_sensitive_changes_on_a_routine_change(
    live, serve, first_spec, sync
):
    renamed = changed(first_spec, name="CV Pro Max")
    serve(renamed)
    assert sync(live).updated == 1
    assert in_review(app_of(live, "cv-pro"))

    serve(changed(renamed, listing=NEW_LISTING))
    run = sync(live)

    assert run.status == SyncRun.Status.DONE
    assert (
        run.changes[0]["routine"] == ["listings", "releases"] and run.changes[0]["sensitive"] == []
    )
    app = app_of(live, "cv-pro")
    assert app.title == "CV Pro"
    assert listing(app).version == "2.0"  # routine: live at once
    pending = latest(app)
    assert (pending.title, listing(pending).version) == ("CV Pro Max", "2.0")
    assert in_review(app)  # still before the editors, with both


def test_a_draft_never_published_takes_routine_changes_and_stays_in_review(
    draft, serve, first_spec, sync
):
    serve(changed(first_spec, listing=NEW_LISTING))

    run = sync(draft)

    assert run.updated == 1
    app = app_of(draft, "cv-pro")
    assert not app.live
    assert listing(latest(app)).version == "2.0"
    assert in_review(app)
    assert app.current_workflow_state.current_task_state.revision == app.latest_revision
