"""Item 3 of issue 13: nothing a member can destroy, nothing a deletion leaves miscounted.

The attack: a publisher member drops an app from its feed (archived: unpublished), deletes it
and adds it again, for a clean slate of reviews. Tried through the admin's delete view, a
crafted POST to it, and the bulk action; then by an editor on an app with reviews.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import AppPage, AppProblemReport, Favourite
from catalogue.services import add_favourite
from reviews import services
from reviews.models import HelpfulVote, Review, ReviewReport
from tests.factories import AppPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def seasoned(username):
    user = UserFactory(username=username)
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def reviewed_app(app_a):
    """app_a with two published reviews, a reply, a vote, a report, a favourite and a problem
    report — then archived (unpublished), as the sync does with an app gone from its feed."""
    first, second = seasoned("lectrice"), seasoned("lecteur")
    review = services.submit_review(app_a, first, rating=5, title="Bien", body="Très utile.")
    services.submit_review(app_a, second, rating=3, title="Moyen", body="Correct.")
    services.set_helpful(review, second)
    services.report_review(review, second, reason="other")
    add_favourite(first, app_a)
    AppProblemReport.objects.create(app=app_a, reason="other", message="Lien cassé")
    app_a.refresh_from_db()
    app_a.unpublish()
    return AppPage.objects.get(pk=app_a.pk)


def snapshot(app):
    return {
        "app": AppPage.objects.filter(pk=app.pk).exists(),
        "reviews": Review.objects.filter(app=app).count(),
        "votes": HelpfulVote.objects.filter(review__app=app).count(),
        "reports": ReviewReport.objects.filter(review__app=app).count(),
        "favourites": Favourite.objects.filter(app=app).count(),
        "problems": AppProblemReport.objects.filter(app=app).count(),
    }


INTACT = {"app": True, "reviews": 2, "votes": 1, "reports": 1, "favourites": 1, "problems": 1}


def test_the_member_has_no_delete_action_on_its_archived_app(member_a, reviewed_app):
    assert not reviewed_app.live
    assert not reviewed_app.permissions_for_user(member_a).can_delete()
    assert not reviewed_app.get_parent().specific.permissions_for_user(member_a).can_delete()


def test_a_member_deleting_through_the_admin_deletes_nothing(client, member_a, reviewed_app):
    client.force_login(member_a)
    url = f"/admin/pages/{reviewed_app.pk}/delete/"
    opened = client.get(url)
    posted = client.post(url)  # the crafted POST, without ever seeing the form

    assert opened.status_code in (302, 403)
    assert posted.status_code in (302, 403)
    assert snapshot(reviewed_app) == INTACT


def test_a_member_deleting_in_bulk_deletes_nothing(client, member_a, reviewed_app):
    client.force_login(member_a)
    url = f"/admin/bulk/wagtailcore/page/delete/?id={reviewed_app.pk}"
    client.get(url)
    client.post(url, {"id": [reviewed_app.pk]})

    assert snapshot(reviewed_app) == INTACT


def test_a_member_cannot_delete_its_publisher_page_and_the_apps_under_it(
    client, member_a, reviewed_app
):
    client.force_login(member_a)
    publisher_page = reviewed_app.get_parent()
    client.post(f"/admin/pages/{publisher_page.pk}/delete/")

    assert snapshot(reviewed_app) == INTACT


def test_an_editor_cannot_delete_an_app_that_carries_reviews(client, editor, reviewed_app):
    client.force_login(editor)
    response = client.post(f"/admin/pages/{reviewed_app.pk}/delete/", follow=True)

    assert snapshot(reviewed_app) == INTACT
    assert "Suppression impossible" in response.content.decode()
    assert "Dépubliez" in response.content.decode()


def test_the_reviews_are_protected_at_the_database_too(reviewed_app):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        reviewed_app.delete()
    assert snapshot(reviewed_app) == INTACT


def test_an_editor_still_deletes_an_app_without_reviews(client, editor, publisher_a):
    app = AppPageFactory(publisher=publisher_a, slug="vide", live=False)
    client.force_login(editor)
    client.post(f"/admin/pages/{app.pk}/delete/")

    assert not AppPage.objects.filter(pk=app.pk).exists()


def test_deleting_a_user_recounts_what_they_touched(app_a, app_b):
    """A user's reviews, votes, reports and favourites go with them; the figures follow."""
    leaving, staying, third = seasoned("partante"), seasoned("restante"), seasoned("tiers")
    services.submit_review(app_a, leaving, rating=1, title="Nul", body="Rien ne marche.")
    kept = services.submit_review(app_a, staying, rating=5, title="Top", body="Parfait.")
    on_b = services.submit_review(app_b, third, rating=4, title="Bien", body="Pratique.")
    services.set_helpful(kept, leaving)
    services.set_helpful(on_b, leaving)
    services.report_review(on_b, leaving, reason="other")
    add_favourite(leaving, app_b)
    add_favourite(staying, app_b)
    app_a.refresh_from_db()
    app_b.refresh_from_db()
    assert (app_a.rating_count, app_a.rating_average) == (2, 3)
    assert app_b.popularity == 2

    leaving.delete()

    app_a.refresh_from_db()
    app_b.refresh_from_db()
    assert (app_a.rating_count, float(app_a.rating_average)) == (1, 5.0)
    assert app_a.rating_histogram == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    assert app_b.popularity == 1
    kept.refresh_from_db()
    on_b.refresh_from_db()
    assert kept.helpful_count == 0
    assert (on_b.helpful_count, on_b.report_count) == (0, 0)
