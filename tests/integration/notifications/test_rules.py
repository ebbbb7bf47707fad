"""Each notification rule through its real path (the site's forms, the admin's workflow, the
services, the sync), read in ``mail.outbox``: who gets a mail, in their language, as text and
HTML, with a one-click unsubscribe link; digests group; choices and unsubscribe links are
honoured; a rolled-back change mails nobody."""

import re
import socket

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from catalogue.models import AppPage
from catalogue.notifications.models import Notification, Preference
from catalogue.notifications.services import notify
from catalogue.notifications.tasks import send_digests
from catalogue.services import add_favourite
from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.runner import run_feed
from reviews.models import Review
from reviews.services import Decision, moderate, submit_review
from selections.services import request_mediator_role
from store.models import AccountSettings
from tests.admin_forms import app_form_data
from tests.factories import EditorFactory, MemberFactory, UserFactory
from tests.integration.reviews.conftest import seasoned_user

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mails_to(user) -> list:
    """The store's notification mails to this person (Wagtail mails its own on workflows)."""
    return [
        message
        for message in mail.outbox
        if message.to == [user.email] and "List-Unsubscribe" in message.extra_headers
    ]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def assert_well_formed(message):
    """Plain text and HTML, and a one-click unsubscribe link in the body and the headers."""
    link = re.search(
        r"<(http[^>]+/notifications/desabonnement/[^>]+/)>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert link, message.extra_headers
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.group(1) in message.body
    assert link.group(1) in html_of(message)
    return link.group(1)


# --- Publisher members ---------------------------------------------------------------------


def test_a_new_review_mails_the_publisher_members_in_their_language(app_a, member_a, commit):
    AccountSettings.objects.update_or_create(user=member_a, defaults={"language": "en"})
    colleague = MemberFactory(publisher=app_a.publisher)
    writer = seasoned_user()

    with commit():
        response = signed_in(writer).post(
            f"/avis/application/{app_a.pk}/", {"rating": "4", "title": "Très <b>utile</b>"}
        )

    assert response.status_code == 302
    [english] = mails_to(member_a)
    [french] = mails_to(colleague)
    assert english.subject == f"New review of {app_a.title}"
    assert french.subject == f"Nouvel avis sur {app_a.title}"
    assert "Très &lt;b&gt;utile&lt;/b&gt;" in html_of(french)  # user text escaped
    assert_well_formed(french)
    assert mails_to(writer) == []


def test_a_problem_report_mails_the_publisher_members(client, app_a, member_a, commit):
    with commit():
        response = client.post(
            f"/signalement/application/{app_a.pk}/",
            {
                "probleme-reason": "broken_link",
                "probleme-message": "Le lien Android ne marche plus.",
            },
        )

    assert response.status_code in (200, 302)
    [message] = mails_to(member_a)
    assert message.subject == f"Signalement sur {app_a.title}"
    assert "Lien cassé" in message.body


def submit_draft(member, app):
    response = signed_in(member).post(
        reverse("wagtailadmin_pages:edit", args=[app.pk]),
        app_form_data(app, title="Alpha Emploi relue", **{"action-submit": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    return AppPage.objects.get(pk=app.pk)


def workflow_action(editor, app, action, comment):
    task_state = app.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[app.pk, action, task_state.pk])
    assert signed_in(editor).post(url, {"comment": comment}).status_code == 302


def test_drafts_submitted_reach_editors_grouped_then_the_decision_reaches_members(
    app_a, member_a, app_b, member_b, editor, commit
):
    with commit():
        submitted = submit_draft(member_a, app_a)
        submit_draft(member_b, app_b)
    assert mails_to(editor) == []  # editors get an hourly digest
    with commit():
        workflow_action(editor, submitted, "reject", "Précisez l'accroche <svp>.")

    [sent_back] = mails_to(member_a)
    assert sent_back.subject == f"Brouillon renvoyé : {app_a.title}"
    assert "Son commentaire : Précisez l'accroche <svp>." in sent_back.body
    assert "Précisez l&#x27;accroche &lt;svp&gt;." in html_of(sent_back)

    with commit():
        resubmitted = submit_draft(member_a, AppPage.objects.get(pk=app_a.pk))
        workflow_action(editor, resubmitted, "approve", "Parfait.")
    assert [m.subject for m in mails_to(member_a)][1:] == ["Brouillon validé : Alpha Emploi relue"]

    send_digests("hourly")

    [digest] = mails_to(editor)
    # A's and B's (Wagtail resumes a workflow sent back without a new submission).
    assert digest.subject == "2 brouillons à valider"
    assert digest.body.count("Brouillon à valider : Alpha Emploi") == 1
    assert digest.body.count("Brouillon à valider : Bêta Formation") == 1
    assert_well_formed(digest)


def test_a_failed_feed_run_mails_the_publisher_members(publisher_a, member_a, commit):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    feed = Feed.objects.create(
        publisher=publisher_a,
        name="Flux",
        url=f"http://127.0.0.1:{port}/flux.json",
        format="native",
    )

    with commit():
        run = run_feed(feed, trigger=SyncRun.Trigger.MANUAL)

    assert run.status == SyncRun.Status.FAILED
    [message] = mails_to(member_a)
    assert message.subject == f"Flux en échec : {feed.url}"
    assert f"/admin/flux/synchronisations/{run.pk}/" in message.body or str(run.pk) in message.body


def test_weekly_figures_mail_each_member(app_a, member_a, member_b):
    from catalogue.notifications.tasks import send_weekly_figures

    send_weekly_figures()

    [message] = mails_to(member_a)
    assert message.subject == f"Vos chiffres de la semaine : {app_a.publisher.name}"
    assert "statistiques" in message.body


# --- Editors -----------------------------------------------------------------------------


def test_reviews_held_by_the_rules_reach_editors_in_one_digest(app_a, app_b, editor, commit):
    other_editor = EditorFactory()
    with commit():
        for number, app in enumerate([app_a, app_b, app_a]):
            submit_review(app, UserFactory(), rating=5, body=f"https://promo{number}.example.com")

    assert mail.outbox == []
    assert send_digests("hourly") == 2  # one mail per editor

    for person in (editor, other_editor):
        [digest] = mails_to(person)
        assert digest.subject == "3 avis retenus par les règles de modération"
        assert digest.body.count("Avis retenu sur") == 3
    assert send_digests("hourly") == 0  # each notification goes in one digest only


def test_a_mediator_request_reaches_editors_in_the_digest(editor, commit):
    with commit():
        request_mediator_role(UserFactory(), "Mission locale <Nord>")

    send_digests("hourly")

    [digest] = mails_to(editor)
    assert "Mission locale <Nord>" in digest.body
    assert "Mission locale &lt;Nord&gt;" in html_of(digest)


# --- Review authors ---------------------------------------------------------------------


def test_a_refused_review_mails_its_author_with_the_reason(app_a, author, editor, commit):
    review = submit_review(app_a, author, rating=1, body="https://promo.example.com")

    with commit():
        moderate([review.pk], decision=Decision.REJECT, editor=editor, reason="Publicité.")

    [message] = mails_to(author)
    assert message.subject == f"Votre avis sur {app_a.title} n'est pas publié"
    assert "Motif : Publicité." in message.body
    assert_well_formed(message)


def test_a_publisher_reply_mails_the_author_who_asked_only(app_a, author, member_a, commit):
    review = submit_review(app_a, author, rating=4, title="Bien")
    quiet = seasoned_user()  # never asked for these mails (« Mon compte »'s default)
    other = submit_review(app_a, quiet, rating=3)

    with commit():
        for target in (review, other):
            response = signed_in(member_a).post(
                f"/avis/{target.pk}/reponse/",
                {f"reply-{target.pk}-body": "Merci pour votre retour !"},
            )
            assert response.status_code == 302

    [message] = mails_to(author)
    assert message.subject == f"L'éditeur de {app_a.title} a répondu à votre avis"
    assert "Merci pour votre retour !" in message.body
    assert mails_to(quiet) == []
    # The in-site list has it all the same.
    assert Notification.objects.filter(user=quiet, kind="review_reply").count() == 1


# --- People who keep an app in their favourites -----------------------------------------


def test_new_versions_of_favourites_are_opt_in_and_grouped_daily(app_a, app_b, commit):
    fan, indifferent = UserFactory(), UserFactory()
    for user in (fan, indifferent):
        add_favourite(user, app_a)
        add_favourite(user, app_b)
    Preference.objects.create(user=fan, kind="favourite_update", email=True)

    with commit():
        for app, version in ((app_a, "2.0"), (app_b, "5.1")):
            listing = app.listings.first()
            listing.version = version
            listing.save()

    send_digests("daily")

    [digest] = mails_to(fan)
    assert digest.subject == "2 nouveautés dans vos applications favorites"
    assert f"Nouvelle version de {app_a.title} : 2.0" in digest.body
    assert mails_to(indifferent) == []


# --- Choices, unsubscribe, transactions ---------------------------------------------------


def test_the_unsubscribe_link_works_in_one_click_and_is_honoured(app_a, member_a, commit):
    with commit():
        submit_review(app_a, seasoned_user(), rating=5)
    [message] = mails_to(member_a)
    link = assert_well_formed(message).replace("http://127.0.0.1:8000", "")

    page = Client().get(link)  # a link scanner or a prefetch changes nothing
    assert page.status_code == 200 and "Me désabonner" in page.content.decode()
    assert not Preference.objects.filter(user=member_a).exists()
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", no cookie, no CSRF token.
    done = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert Preference.objects.get(user=member_a, kind="new_review").email is False

    with commit():
        submit_review(app_a, seasoned_user(), rating=2)
    assert len(mails_to(member_a)) == 1  # no new mail
    assert Notification.objects.filter(user=member_a, kind="new_review").count() == 2


def test_a_forged_unsubscribe_link_is_refused(member_a):
    assert Client().post("/notifications/desabonnement/forged:token/").status_code == 404
    assert not Preference.objects.exists()


def test_unsubscribing_from_an_account_choice_writes_it_in_mon_compte(
    app_a, author, editor, commit
):
    review = submit_review(app_a, author, rating=1, body="https://promo.example.com")
    with commit():
        moderate([review.pk], decision=Decision.REJECT, editor=editor, reason="Publicité.")
    link = assert_well_formed(mails_to(author)[0]).replace("http://127.0.0.1:8000", "")

    Client().post(link)

    assert AccountSettings.objects.get(user=author).notify_review_moderation is False


def test_no_mail_when_the_transaction_fails(app_a, member_a, commit):
    with commit() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        submit_review(app_a, seasoned_user(), rating=5)
        raise RuntimeError("the caller fails after the review")

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not Review.objects.exists()


def test_inactive_people_and_people_without_address_get_no_mail(member_a, commit):
    member_a.email = ""
    member_a.save()
    sleeping = UserFactory(is_active=False)

    with commit():
        notify([member_a, sleeping], "draft_approved", params={"app": "X"})

    assert mail.outbox == []
    assert not Notification.objects.filter(user=sleeping).exists()
