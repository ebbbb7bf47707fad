"""A publisher's member works on its own apps only, through Wagtail's admin views.

Wagtail's admin answers a PermissionDenied in a page view with a redirect to the dashboard
and an error message ("Sorry, you do not have permission to access this area."), not a 403.
"""

import pytest
from django.urls import reverse

from catalogue.models import AppListing, AppPage
from tests.admin_forms import app_form_data, assert_permission_denied
from tests.factories import AudienceFactory, category

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_app_url(parent_page):
    return reverse("wagtailadmin_pages:add", args=["catalogue", "apppage", parent_page.pk])


def new_app_data(title="Nouvelle appli", slug="nouvelle-appli", **changes):
    app = AppPage(
        title=title,
        slug=slug,
        tagline="Une nouvelle application",
        description="<p>Une description.</p>",
    )
    return app_form_data(
        app,
        listings=[AppListing(platform="web", url="https://nouvelle.example.org/")],
        categories=[category("offres-emploi").pk],
        audiences=[AudienceFactory(slug="jobseekers").pk],
        languages=[],
        **changes,
    )


def test_admin_requires_login(client, app_a):
    response = client.get(edit_url(app_a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_member_opens_the_edit_view_of_an_app_of_its_publisher(client, member_a, app_a):
    client.force_login(member_a)

    response = client.get(edit_url(app_a))

    assert response.status_code == 200
    assert app_a.title in response.content.decode()


def test_member_cannot_open_the_edit_view_of_another_publishers_app(client, member_a, app_b):
    client.force_login(member_a)

    response = client.get(edit_url(app_b))

    assert_permission_denied(response)


def test_member_post_to_another_publishers_app_changes_nothing(client, member_a, app_b):
    client.force_login(member_a)
    revisions_before = app_b.revisions.count()

    response = client.post(
        edit_url(app_b), app_form_data(app_b, title="Piraté", **{"action-publish": "1"})
    )

    assert_permission_denied(response)
    app = AppPage.objects.get(pk=app_b.pk)
    assert (app.title, app.draft_title) == ("Bêta Formation", "Bêta Formation")
    assert app.revisions.count() == revisions_before
    assert not app.has_unpublished_changes


def test_member_cannot_add_an_app_under_another_publisher(client, member_a, publisher_b):
    client.force_login(member_a)

    assert_permission_denied(client.get(add_app_url(publisher_b.page)))
    response = client.post(add_app_url(publisher_b.page), new_app_data())

    assert_permission_denied(response)
    assert not AppPage.objects.filter(slug="nouvelle-appli").exists()


def test_member_adds_a_draft_app_under_its_own_publisher(client, member_a, publisher_a):
    client.force_login(member_a)

    assert client.get(add_app_url(publisher_a.page)).status_code == 200
    response = client.post(add_app_url(publisher_a.page), new_app_data())

    assert response.status_code == 302, response.content.decode()[:2000]
    app = AppPage.objects.get(slug="nouvelle-appli")
    assert app.publisher == publisher_a
    assert app.get_parent().pk == publisher_a.page.pk
    assert not app.live
    assert app.platforms == ["web"]


def test_member_cannot_publish_its_app_directly(client, member_a, app_a):
    client.force_login(member_a)

    response = client.post(
        edit_url(app_a),
        app_form_data(app_a, title="Alpha Emploi publié", **{"action-publish": "1"}),
    )

    # The form was valid: the change is saved as a draft, but nothing goes live.
    assert response.status_code == 302, response.content.decode()[:2000]
    app = AppPage.objects.get(pk=app_a.pk)
    assert app.title == "Alpha Emploi"
    assert app.draft_title == "Alpha Emploi publié"
    assert app.has_unpublished_changes
    assert app.get_latest_revision().content["title"] == "Alpha Emploi publié"
    assert app.live_revision_id != app.latest_revision_id


def test_editor_publishes_any_app_directly(client, editor, app_b):
    """Positive control for the test above: the same POST, by an editor, goes live."""
    client.force_login(editor)

    response = client.post(
        edit_url(app_b),
        app_form_data(app_b, title="Bêta Formation publiée", **{"action-publish": "1"}),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    app = AppPage.objects.get(pk=app_b.pk)
    assert app.title == "Bêta Formation publiée"
    assert not app.has_unpublished_changes


def test_member_edits_listings_and_categories_of_its_app(client, member_a, app_a):
    client.force_login(member_a)
    listings = [*app_a.listings.all(), AppListing(platform="android", url="https://play.example")]

    response = client.post(
        edit_url(app_a),
        app_form_data(
            app_a,
            listings=listings,
            categories=[category("recruter").pk, category("offres-emploi").pk],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    draft = AppPage.objects.get(pk=app_a.pk).get_latest_revision_as_object()
    assert sorted(listing.platform for listing in draft.listings.all()) == ["android", "web"]
    assert sorted(c.slug for c in draft.categories.all()) == ["offres-emploi", "recruter"]


def test_member_cannot_give_its_app_a_slug_used_by_another_publisher(
    client, member_a, app_a, app_b
):
    client.force_login(member_a)

    response = client.post(edit_url(app_a), app_form_data(app_a, slug=app_b.slug))

    assert response.status_code == 200  # the form comes back with the error
    assert "beta-formation" in response.content.decode()
    assert AppPage.objects.get(pk=app_a.pk).get_latest_revision().content["slug"] == app_a.slug


def test_member_sees_only_its_publisher_in_the_explorer(client, member_a, app_a, app_b):
    client.force_login(member_a)

    response = client.get(reverse("wagtailadmin_explore", args=[app_a.get_parent().pk]))

    assert response.status_code == 200
    assert app_a.title in response.content.decode()
    assert app_b.title not in response.content.decode()
    assert_permission_denied(client.get(edit_url(app_b.get_parent())))
