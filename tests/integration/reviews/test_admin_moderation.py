"""Editors moderate reviews in the Wagtail admin: the queue, its filters, the decisions.

Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message
(tests.admin_forms.assert_permission_denied); people without access to the admin at all are sent
to the login page.
"""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder

from catalogue.permissions import EDITORS_GROUP
from reviews import services
from reviews.models import ModerationPolicy, Review, ReviewReport
from tests.admin_forms import assert_permission_denied
from tests.factories import AppPageFactory
from tests.integration.reviews import (
    ROLES,
    XSS_BODY,
    XSS_ESCAPED,
    XSS_RAW,
    XSS_TITLE,
    assert_login_redirect,
    figures,
    html,
    last_message,
    login,
    make_people,
    pending,
    published,
    seasoned,
)

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

Status = Review.Status
QUEUE = "reviews_moderation:index"


@pytest.fixture
def people(member_a, member_b, editor):
    return make_people(member_a, member_b, editor)


def queue_url(**params) -> str:
    url = reverse(QUEUE)
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def inspect_url(review) -> str:
    return reverse("reviews_moderation:inspect", args=[review.pk])


def action_url(action: str, *reviews, **params) -> str:
    url = reverse("wagtail_bulk_action", args=["reviews", "review", action])
    query = "&".join(f"id={review.pk}" for review in reviews)
    query += "".join(f"&{name}={value}" for name, value in params.items())
    return f"{url}?{query}"


def listed(response) -> set[int]:
    """The reviews in the queue's table (their bulk-action checkboxes)."""
    page = html(response)
    return {review.pk for review in Review.objects.all() if f'data-object-id="{review.pk}"' in page}


def assert_refused(role, response):
    if role in ("anonymous", "plain"):
        assert_login_redirect(response)
    else:
        assert_permission_denied(response)


# --- Who gets in ---------------------------------------------------------------------------


def test_editors_hold_the_moderation_permission(editor, member_a):
    assert editor.has_perm("reviews.moderate_review")
    assert editor.has_perm("reviews.change_moderationpolicy")
    assert not member_a.has_perm("reviews.moderate_review")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["queue", "results", "inspect", "approve", "reject", "remove"])
def test_only_moderators_open_the_moderation_pages(client, people, app_a, role, page):
    waiting = pending(app_a, "attente")
    live = published(app_a, "publie")
    url = {
        "queue": reverse(QUEUE),
        "results": reverse("reviews_moderation:index_results"),
        "inspect": inspect_url(waiting),
        "approve": action_url("approve", waiting),
        "reject": action_url("reject", waiting),
        "remove": action_url("remove", live),
    }[page]

    response = login(client, people[role]).get(url)

    if role in ("editor", "superuser"):
        assert response.status_code == 200
    else:
        assert_refused(role, response)


@pytest.mark.parametrize("role", ["anonymous", "plain", "member_a", "member_b"])
@pytest.mark.parametrize("action", ["approve", "reject", "remove"])
def test_a_decision_posted_by_a_non_moderator_changes_nothing(client, people, app_a, role, action):
    waiting = pending(app_a, "attente", rating=1)
    live = published(app_a, "publie", rating=5)
    for reporter in ("r1", "r2"):
        services.report_review(live, seasoned(reporter), reason=ReviewReport.Reason.SPAM)
    target = live if action == "remove" else waiting
    before = figures(app_a)

    response = login(client, people[role]).post(
        action_url(action, target), {"reason": "Propos hors charte"}
    )

    assert_refused(role, response)
    assert Review.objects.get(pk=waiting.pk).status == Status.PENDING
    live.refresh_from_db()
    assert (live.status, live.moderation_reason, live.moderated_by) == (Status.PUBLISHED, "", None)
    assert live.report_count == 2
    assert not ReviewReport.objects.exclude(resolved_at=None).exists()
    assert figures(app_a) == before == (1, Decimal("5.00"))


def test_a_member_cannot_tell_whether_a_review_exists(client, member_a):
    client.force_login(member_a)

    assert_permission_denied(client.get(reverse("reviews_moderation:inspect", args=[999999])))


def test_a_member_reaching_the_queue_by_url_sees_no_review_text(client, member_a, app_a):
    pending(app_a, "attente", title="Texte confidentiel")

    client.force_login(member_a)

    response = client.get(reverse(QUEUE), follow=True)

    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert "Texte confidentiel" not in html(response)


def test_the_group_editor_offers_the_moderation_permission(client, people):
    editors = Group.objects.get(name=EDITORS_GROUP)
    permission = Permission.objects.get(
        content_type__app_label="reviews", codename="moderate_review"
    )
    client.force_login(people["superuser"])

    page = html(client.get(reverse("wagtailusers_groups:edit", args=[editors.pk])))

    assert f'name="permissions" value="{permission.pk}" checked' in page
    assert "Peut modérer les" in page


def test_wagtail_links_to_a_review_open_its_moderation_page(client, editor, member_a, app_a):
    review = pending(app_a, "attente")
    client.force_login(editor)
    client.get(reverse(QUEUE))  # the admin's URLs (and its URL finders) are loaded

    assert AdminURLFinder(editor).get_edit_url(review) == inspect_url(review)
    assert AdminURLFinder(member_a).get_edit_url(review) is None


# --- The queue -----------------------------------------------------------------------------


def test_the_queue_lists_pending_reviews_by_default(client, editor, app_a, app_b):
    waiting_a = pending(app_a, "attente-a")
    waiting_b = pending(app_b, "attente-b")
    live = published(app_a, "publie")
    refused = pending(app_a, "refuse")
    services.moderate([refused.pk], decision="reject", editor=editor, reason="Non")
    client.force_login(editor)

    assert listed(client.get(reverse(QUEUE))) == {waiting_a.pk, waiting_b.pk}
    assert listed(client.get(queue_url(status="published"))) == {live.pk}
    assert listed(client.get(queue_url(status="rejected"))) == {refused.pk}
    assert listed(client.get(queue_url(status="all"))) == {
        waiting_a.pk,
        waiting_b.pk,
        live.pk,
        refused.pk,
    }


def test_the_queue_shows_why_a_review_was_held_and_its_reports(client, editor, app_a):
    held = pending(app_a, "attente", held=["link", "new_account"])
    live = published(app_a, "publie", title="Signalé")
    for reporter, reason in (("r1", "spam"), ("r2", "spam"), ("r3", "offensive")):
        services.report_review(live, seasoned(reporter), reason=reason)
    client.force_login(editor)

    page = html(client.get(reverse(QUEUE)))

    assert held.held_because_labels == ["contient un lien", "compte trop récent"]
    assert "contient un lien, compte trop récent" in page
    # Three reports hid the published review: it is back in the queue, with them.
    assert Review.objects.get(pk=live.pk).status == Status.PENDING
    assert "signalé par plusieurs personnes" in page
    assert "3 · Spam ou publicité ×2, Propos injurieux ou haineux" in page
    assert app_a.title in page
    assert "Camille" in page  # the author's name


def test_queue_filters(client, editor, app_a, app_b, publisher_b):
    link = pending(app_a, "lien", rating=1, held=["link"])
    phone = pending(app_a, "tel", rating=5, held=["phone"], title="Appelez-moi")
    other_app = pending(app_b, "autre", rating=2, held=["blocked_word"], body="Nul, vraiment")
    old = pending(app_a, "ancien", rating=4, held=["new_account"])
    Review.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    reported = published(app_a, "signale")
    services.report_review(reported, seasoned("r1"), reason="spam")
    client.force_login(editor)
    today = timezone.localdate()

    def results(**params):
        return listed(client.get(queue_url(**params)))

    assert results(held_because="phone") == {phone.pk}
    assert results(held_because="link") == {link.pk}
    assert results(rating=["1", "2"]) == {link.pk, other_app.pk}
    assert results(app=app_b.pk) == {other_app.pk}
    assert results(publisher=publisher_b.pk) == {other_app.pk}
    assert results(status="all", reported="true") == {reported.pk}
    assert results(reported="false") == {link.pk, phone.pk, other_app.pk, old.pk}
    week_ago = (today - timedelta(days=7)).isoformat()
    assert results(created_at_from=week_ago) == {link.pk, phone.pk, other_app.pk}
    assert results(created_at_to=week_ago) == {old.pk}
    # Search: title, body, author.
    assert results(q="appelez") == {phone.pk}
    assert results(q="vraiment") == {other_app.pk}
    assert results(q="ancien") == {old.pk}
    # The AJAX results view filters the same way.
    response = client.get(reverse("reviews_moderation:index_results"), {"held_because": "phone"})
    assert listed(response) == {phone.pk}


# --- Decisions -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_bulk_approve_publishes_and_updates_the_aggregates(client, people, app_a, role):
    published(app_a, "deja", rating=5)
    waiting = [pending(app_a, f"attente{n}", rating=rating) for n, rating in enumerate([1, 2, 4])]
    assert figures(app_a) == (1, Decimal("5.00"))
    client.force_login(people[role])

    confirm = client.get(action_url("approve", *waiting, next=reverse(QUEUE)))
    assert confirm.status_code == 200
    assert "Publier ces 3 avis ?" in html(confirm)
    response = client.post(action_url("approve", *waiting, next=reverse(QUEUE)))

    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE)
    assert last_message(response) == "3 avis publiés."
    for review in Review.objects.filter(pk__in=[r.pk for r in waiting]):
        assert review.status == Status.PUBLISHED
        assert review.held_because == []
        assert review.moderated_by == people[role]
        assert review.moderated_at is not None
    assert figures(app_a) == (4, Decimal("3.00"))
    assert Review.objects.filter(app=app_a).visible_to(None).count() == 4


def test_bulk_reject_needs_a_reason(client, editor, app_a):
    waiting = pending(app_a, "attente")
    client.force_login(editor)

    response = client.post(action_url("reject", waiting), {"reason": "  "})

    assert response.status_code == 200
    assert "Champ requis." in html(response)
    assert Review.objects.get(pk=waiting.pk).status == Status.PENDING


def test_bulk_reject_stores_the_reason_its_author_sees(client, editor, app_a, app_b):
    first = pending(app_a, "attente1")
    second = pending(app_b, "attente2")
    client.force_login(editor)

    response = client.post(
        action_url("reject", first, second), {"reason": "Les liens publicitaires sont interdits."}
    )

    assert response.status_code == 302
    assert last_message(response) == "2 avis refusés."
    for review in (first, second):
        review.refresh_from_db()
        assert review.status == Status.REJECTED
        assert review.moderation_reason == "Les liens publicitaires sont interdits."
        assert review.moderated_by == editor
        # Its author still sees it (with the reason); nobody else does.
        assert Review.objects.visible_to(review.author).filter(pk=review.pk).exists()
        assert not Review.objects.visible_to(None).filter(pk=review.pk).exists()
    assert figures(app_a) == (0, Decimal("0"))


def test_removing_a_published_review_updates_the_aggregates(client, editor, app_a):
    kept = published(app_a, "garde", rating=4)
    removed = published(app_a, "retire", rating=1)
    assert figures(app_a) == (2, Decimal("2.50"))
    client.force_login(editor)

    response = client.post(action_url("remove", removed), {"reason": "Propos injurieux."})

    assert last_message(response) == "1 avis retiré."
    removed.refresh_from_db()
    assert (removed.status, removed.moderation_reason) == (Status.REMOVED, "Propos injurieux.")
    assert Review.objects.get(pk=kept.pk).status == Status.PUBLISHED
    assert figures(app_a) == (1, Decimal("4.00"))


def test_a_decision_resolves_the_reports(client, editor, app_a):
    live = published(app_a, "publie", rating=2)
    for reporter in ("r1", "r2", "r3"):
        services.report_review(live, seasoned(reporter), reason="off_topic")
    live.refresh_from_db()
    assert (live.status, live.held_because, live.report_count) == (Status.PENDING, ["reported"], 3)
    assert figures(app_a) == (0, Decimal("0"))
    client.force_login(editor)

    client.post(action_url("approve", live))

    live.refresh_from_db()
    assert (live.status, live.report_count) == (Status.PUBLISHED, 0)
    assert not ReviewReport.objects.filter(review=live, resolved_at=None).exists()
    assert ReviewReport.objects.filter(review=live).count() == 3
    assert figures(app_a) == (1, Decimal("2.00"))


def test_a_decision_leaves_the_reviews_it_does_not_apply_to(client, editor, app_a):
    waiting = pending(app_a, "attente")
    live = published(app_a, "publie")
    client.force_login(editor)

    confirm = client.get(action_url("reject", waiting, live))
    response = client.post(action_url("reject", waiting, live), {"reason": "Hors charte"})

    assert "Cette action ne s'applique pas à cet avis" in html(confirm)
    assert last_message(response) == "1 avis refusé."
    assert Review.objects.get(pk=waiting.pk).status == Status.REJECTED
    assert Review.objects.get(pk=live.pk).status == Status.PUBLISHED


def test_select_all_in_listing_applies_the_queue_filters(client, editor, app_a, app_b):
    on_a = [pending(app_a, f"a{n}", held=["phone"]) for n in range(2)]
    on_b = pending(app_b, "b", held=["phone"])
    live = published(app_a, "publie")
    client.force_login(editor)

    response = client.post(
        reverse("wagtail_bulk_action", args=["reviews", "review", "approve"])
        + f"?id=all&app={app_a.pk}&p=1"
    )

    assert last_message(response) == "2 avis publiés."
    assert set(Review.objects.published().values_list("pk", flat=True)) == {
        *(review.pk for review in on_a),
        live.pk,
    }
    assert Review.objects.get(pk=on_b.pk).status == Status.PENDING


def test_ids_that_are_not_reviews_give_a_404(client, editor):
    client.force_login(editor)

    assert client.get(action_url("approve") + "id=abc&id=999999").status_code == 404


# --- One review ----------------------------------------------------------------------------


def test_the_detail_shows_the_review_its_reports_reply_and_decisions(
    client, editor, member_a, app_a
):
    live = published(app_a, "publie", title="Très utile", body="Ligne un\nLigne deux")
    services.save_reply(live, member_a, "Merci pour votre retour !")
    services.report_review(live, seasoned("r1"), reason="spam", comment="Publicité déguisée")
    client.force_login(editor)

    page = html(client.get(inspect_url(live)))

    assert "Très utile" in page
    assert "Ligne un<br>Ligne deux" in page
    assert "Publicité déguisée" in page and "Spam ou publicité" in page
    assert "Merci pour votre retour !" in page
    # A published review can be removed (with a reason), not approved or refused again.
    assert action_url("remove", live) in page.replace("&amp;", "&")
    assert action_url("approve", live) not in page.replace("&amp;", "&")
    assert 'name="reason"' in page


def test_single_approve_from_the_detail_page(client, editor, app_a):
    waiting = pending(app_a, "attente", rating=5)
    client.force_login(editor)
    detail = inspect_url(waiting)

    page = html(client.get(detail)).replace("&amp;", "&")
    approve = action_url("approve", waiting, next=detail.replace("/", "%2F"))
    assert approve in page
    response = client.post(approve)

    assert response.status_code == 302
    assert response["Location"] == detail
    assert last_message(response) == "1 avis publié."
    assert Review.objects.get(pk=waiting.pk).status == Status.PUBLISHED
    assert figures(app_a) == (1, Decimal("5.00"))


def test_single_reject_from_the_detail_page(client, editor, app_a):
    waiting = pending(app_a, "attente")
    client.force_login(editor)

    response = client.post(
        action_url("reject", waiting, next=inspect_url(waiting)), {"reason": "Lien commercial"}
    )

    assert response["Location"] == inspect_url(waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.moderation_reason) == (Status.REJECTED, "Lien commercial")
    assert "Lien commercial" in html(client.get(inspect_url(waiting)))


def test_the_queue_rows_offer_the_decisions_that_apply(client, editor, app_a):
    waiting = pending(app_a, "attente")
    client.force_login(editor)

    page = html(client.get(reverse(QUEUE))).replace("&amp;", "&")

    assert inspect_url(waiting) in page
    assert action_url("approve", waiting) in page
    assert action_url("reject", waiting) in page
    assert action_url("remove", waiting) not in page


# --- Review text is inert ------------------------------------------------------------------


def test_review_text_is_escaped_in_the_queue_detail_and_confirmation(
    client, editor, member_a, app_a
):
    review = pending(app_a, "attente", title=XSS_TITLE, body=XSS_BODY)
    services.report_review(review, seasoned("r1"), reason="other", comment=XSS_BODY)
    services.save_reply(review, member_a, XSS_TITLE)
    client.force_login(editor)

    pages = [
        client.get(reverse(QUEUE)),
        client.get(reverse("reviews_moderation:index_results")),
        client.get(inspect_url(review)),
        client.get(action_url("approve", review)),
    ]

    for response in pages:
        page = html(response)
        assert response.status_code == 200
        for raw in XSS_RAW:
            assert raw not in page
    queue, _results, detail, confirm = (html(response) for response in pages)
    assert XSS_ESCAPED[0] in queue  # the excerpt starts with the title
    for escaped in XSS_ESCAPED:
        assert escaped in detail
        assert escaped in confirm


# --- Moderation policy (a Wagtail setting) -------------------------------------------------


def settings_url() -> str:
    return reverse("wagtailsettings:edit", args=["reviews", "moderationpolicy"])


def policy_form(**changes) -> dict:
    return {
        "min_account_age_hours": "",
        "max_reviews_per_hour": "",
        "reports_to_hide": "",
        "blocked_words": "",
        **changes,
    }


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_moderators_tune_the_moderation_policy(client, people, role):
    client.force_login(people[role])

    form = client.get(settings_url(), follow=True)
    assert form.status_code == 200
    edit_url = form.redirect_chain[-1][0]
    response = client.post(
        edit_url, policy_form(min_account_age_hours="48", blocked_words="arnaque\nescroc")
    )

    assert response.status_code == 302
    policy = ModerationPolicy.load()
    assert (policy.min_account_age_hours, policy.blocked_words) == (48, "arnaque\nescroc")
    assert services.current_policy().min_account_age == timedelta(hours=48)


@pytest.mark.parametrize("role", ["anonymous", "plain", "member_a", "member_b"])
def test_others_cannot_change_the_moderation_policy(client, people, role):
    ModerationPolicy.objects.create(reports_to_hide=3)
    edit_url = reverse(
        "wagtailsettings:edit", args=["reviews", "moderationpolicy", ModerationPolicy.load().pk]
    )
    client = login(client, people[role])

    assert_refused(role, client.get(edit_url))
    response = client.post(edit_url, policy_form(reports_to_hide="100"))

    assert_refused(role, response)
    assert ModerationPolicy.load().reports_to_hide == 3


def test_the_policy_is_in_the_editors_settings_menu_only(client, editor, member_a):
    client.force_login(editor)
    assert settings_url() in html(client.get(reverse("wagtailadmin_home")))

    client.force_login(member_a)
    assert settings_url() not in html(client.get(reverse("wagtailadmin_home")))


# --- Menu and dashboard --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "moderation", "replies"),
    [
        ("editor", True, False),
        ("superuser", True, False),
        ("member_a", False, True),
        ("member_b", False, True),
    ],
)
def test_the_reviews_menu_shows_each_role_its_own_entries(
    client, people, role, moderation, replies
):
    client.force_login(people[role])

    page = html(client.get(reverse("wagtailadmin_home")))

    assert (reverse(QUEUE) in page) is moderation
    assert (reverse("reviews_publisher:index") in page) is replies


def test_the_dashboard_counts_the_pending_reviews_for_editors(client, editor, member_a, app_a):
    pending(app_a, "attente1")
    pending(app_a, "attente2")
    published(app_a, "publie")
    client.force_login(editor)

    page = html(client.get(reverse("wagtailadmin_home")))

    assert "2 avis en attente de modération" in page
    assert f'href="{reverse(QUEUE)}" data-reviews-count="2"' in page
    client.force_login(member_a)
    assert "en attente de modération" not in html(client.get(reverse("wagtailadmin_home")))


def test_the_queue_query_count_does_not_grow_with_the_reviews(client, editor, publisher_a):
    apps = [AppPageFactory(publisher=publisher_a) for _ in range(2)]
    client.force_login(editor)
    pending(apps[0], "premier")
    client.get(reverse(QUEUE))  # warm the caches (content types, site, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(QUEUE))
    for n in range(6):
        review = pending(apps[n % 2], f"attente{n}")
        services.report_review(review, seasoned(f"r{n}"), reason="spam")

    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(QUEUE)).status_code == 200

    assert len(many) == len(few)
