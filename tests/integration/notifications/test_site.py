"""The in-site notifications: the header's bell, the list (read, unread, one's own only), the
mail choices page; all plain HTML that works without JavaScript."""

import pytest
from django.test import Client

from catalogue.notifications.models import Notification, Preference
from catalogue.notifications.services import notify
from store.models import AccountSettings

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_unread(member_a):
    return [
        *notify(
            [member_a],
            "new_review",
            params={"app": "<Alpha>", "rating": 4, "title": "Bien"},
            url="/apps/alpha-emploi/",
        ),
        *notify([member_a], "problem_report", params={"app": "Alpha", "reason": "broken_link"}),
    ]


def test_the_bell_shows_the_unread_count_to_signed_in_people_only(client, member_a, two_unread):
    html = signed_in(member_a).get("/apps/").content.decode()
    assert 'href="/notifications/">Notifications <span class="fr-badge' in html
    assert '>2<span class="fr-sr-only"> non lues</span>' in html
    assert "/notifications/" not in client.get("/apps/").content.decode()


def test_the_list_shows_escaped_notifications_and_marks_them_read(
    member_a, two_unread, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = signed_in(member_a)
    client.get("/notifications/")
    # Session, user, the notifications; the footer's and menu's own (cached apart from these):
    # never one per notification.
    with django_assert_num_queries(7):
        html = client.get("/notifications/").content.decode()
    assert "Nouvel avis sur &lt;Alpha&gt;" in html
    assert "Lien cassé" in html
    assert html.count("Non lue") == 2

    with django_capture_on_commit_callbacks(execute=True):  # the bell's cached count follows
        opened = client.get(f"/notifications/{two_unread[0].pk}/")
    assert opened["Location"] == "/apps/alpha-emploi/"
    assert Notification.objects.filter(user=member_a, read_at=None).count() == 1
    assert ">1<span" in client.get("/apps/").content.decode()  # the bell follows at once

    assert client.get("/notifications/tout-lu/").status_code == 405
    client.post("/notifications/tout-lu/")
    assert not Notification.objects.filter(user=member_a, read_at=None).exists()


def test_nobody_opens_or_reads_anyone_elses(member_b, two_unread):
    client = signed_in(member_b)
    assert client.get(f"/notifications/{two_unread[0].pk}/").status_code == 404
    client.post("/notifications/tout-lu/")
    assert Notification.objects.filter(read_at=None).count() == 2
    assert "Alpha" not in client.get("/notifications/").content.decode()
    assert Client().get("/notifications/").status_code == 302  # to the sign-in


def test_the_choices_page_lists_the_kinds_of_the_person_and_saves_them(member_a):
    client = signed_in(member_a)
    html = client.get("/compte/notifications/").content.decode()
    assert "Un nouvel avis sur une de nos applications" in html  # a member's
    assert "Des brouillons à valider" not in html  # editors' only

    response = client.post(
        "/compte/notifications/",
        {
            "problem_report": "on",
            "draft_approved": "on",
            "draft_sent_back": "on",
            "feed_failed": "on",
            "weekly_figures": "on",
            "review_reply": "on",
            "favourite_update": "on",
        },
    )

    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=member_a).values_list("kind", "email")) == {
        "new_review": False,
        "favourite_update": True,
    }
    account = AccountSettings.objects.get(user=member_a)  # « Mon compte »'s own choices
    assert (account.notify_review_reply, account.notify_review_moderation) == (True, False)


def test_the_choices_page_needs_a_sign_in():
    response = Client().post("/compte/notifications/", {"new_review": "on"})
    assert response.status_code == 302
    assert not Preference.objects.exists()
