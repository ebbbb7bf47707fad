"""Reviews on the public site: the app page's reviews section and the forms it posts to."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import AppPage
from reviews import services
from reviews.models import HelpfulVote, Review, ReviewReply, ReviewReport
from reviews.services import Decision
from tests.integration.reviews.conftest import seasoned_user

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

Status = Review.Status
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
]


def page_html(client, app, query: str = "") -> str:
    response = client.get(f"{app.url}{query}")
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html: str) -> str:
    """The page's text, tags removed and entities decoded, spaces squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def titles_in_order(html: str) -> list[str]:
    return re.findall(r'<h4 id="avis-\d+-titre">([^<]*)</h4>', html)


def write(app, author, rating=4, title="", body="", **kwargs):
    return services.submit_review(app, author, rating=rating, title=title, body=body, **kwargs)


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Reading ---------------------------------------------------------------------------------


def test_anonymous_visitor_sees_the_summary_and_a_sign_in_link(client, app_a, author, other_user):
    write(app_a, author, rating=5, title="Parfait")
    write(app_a, other_user, rating=4, title="Bien")

    html = page_html(client, app_a)
    text = visible_text(html)

    assert "4,5 sur 5" in text
    assert "2 avis" in text
    assert "Répartition des notes" in text
    # The histogram says its numbers in text, not in colour only.
    assert re.search(r"5 étoiles 50 % 1", text)
    assert re.search(r"3 étoiles 0 % 0", text)
    assert "Parfait" in text and "Bien" in text
    login = f"/compte/connexion/?next={app_a.url}%23avis"
    assert f'href="{login}"' in html
    assert "Connectez-vous pour donner votre avis" in text
    assert 'action="/avis/' not in html  # no forms for anonymous visitors


def test_app_without_reviews_says_so(client, app_a):
    text = visible_text(page_html(client, app_a))

    assert "Aucun avis publié pour l'instant." in text


def test_post_only_routes_refuse_get(author_client, app_a, author):
    review = write(app_a, author)

    assert author_client.get(f"/avis/application/{app_a.pk}/").status_code == 405
    assert author_client.get(f"/avis/{review.pk}/utile/").status_code == 405


# --- Writing, editing, deleting ---------------------------------------------------------------


def test_signed_in_user_writes_a_review_that_is_published(author_client, app_a, author):
    html = page_html(author_client, app_a)
    assert f'action="/avis/application/{app_a.pk}/"' in html
    assert re.search(r"<legend[^>]*>Votre note", html)
    assert html.count('type="radio" name="rating"') == 5

    response = author_client.post(
        f"/avis/application/{app_a.pk}/",
        {"rating": "4", "title": "Très utile", "body": "J'ai trouvé une formation."},
        follow=True,
    )

    assert response.redirect_chain == [(f"{app_a.url}#avis", 302)]
    assert messages_of(response) == ["Merci ! Votre avis est publié."]
    review = Review.objects.get(app=app_a, author=author)
    assert (review.status, review.rating, review.title) == (Status.PUBLISHED, 4, "Très utile")
    text = visible_text(response.content.decode())
    assert "Très utile" in text
    assert "4,0 sur 5" in text and "1 avis" in text
    assert "Statut : Publié" in text
    assert AppPage.objects.get(pk=app_a.pk).rating_count == 1


def test_review_with_a_link_waits_for_moderation(author_client, app_a, other_user):
    response = author_client.post(
        f"/avis/application/{app_a.pk}/",
        {"rating": "5", "title": "Allez voir ailleurs", "body": "https://promo.example.com"},
        follow=True,
    )

    assert messages_of(response) == [
        "Votre avis sera publié après vérification par l'équipe éditoriale : contient un lien."
    ]
    text = visible_text(response.content.decode())
    assert "Statut : En attente de modération" in text
    assert "Motifs : contient un lien." in text
    assert "Aucun avis publié pour l'instant." in text
    # Nobody else sees it, not even signed in.
    assert "Allez voir ailleurs" not in page_html(signed_in(other_user), app_a)
    assert "Allez voir ailleurs" not in page_html(Client(), app_a)
    assert AppPage.objects.get(pk=app_a.pk).rating_count == 0


def test_invalid_review_is_shown_again_with_the_input_kept(author_client, app_a):
    response = author_client.post(
        f"/avis/application/{app_a.pk}/",
        {"title": "Mon titre conservé", "body": "x" * 2001},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Mon titre conservé"' in html
    assert "Choisissez une note de 1 à 5 étoiles." in html
    assert "au plus 2000 caractères" in unescape(html)
    assert "Rien n'a été enregistré : corrigez les erreurs signalées." in unescape(html)
    assert not Review.objects.exists()


def test_author_edits_their_review(author_client, app_a, author, other_user):
    review = write(app_a, author, rating=5, title="Avant")
    write(app_a, other_user, rating=3)

    html = page_html(author_client, app_a)
    assert f'action="/avis/{review.pk}/modifier/"' in html
    assert 'value="Avant"' in html

    response = author_client.post(
        f"/avis/{review.pk}/modifier/", {"rating": "1", "title": "Après", "body": ""}, follow=True
    )

    assert messages_of(response) == ["Votre avis modifié est publié."]
    review.refresh_from_db()
    assert (review.rating, review.title, review.status) == (1, "Après", Status.PUBLISHED)
    assert "2,0 sur 5" in visible_text(response.content.decode())


def test_edit_with_a_phone_number_goes_back_to_moderation(author_client, app_a, author):
    review = write(app_a, author, rating=5, title="Bien")

    response = author_client.post(
        f"/avis/{review.pk}/modifier/",
        {"rating": "5", "title": "Bien", "body": "Appelez-moi au 06 12 34 56 78"},
        follow=True,
    )

    assert messages_of(response) == [
        "Votre avis modifié sera publié après vérification par l'équipe éditoriale : "
        "contient un numéro de téléphone."
    ]
    assert Review.objects.get(pk=review.pk).status == Status.PENDING


def test_author_deletes_their_review(author_client, app_a, author):
    review = write(app_a, author, rating=2, title="À supprimer")

    response = author_client.post(f"/avis/{review.pk}/supprimer/", follow=True)

    assert messages_of(response) == ["Votre avis est supprimé."]
    assert not Review.objects.exists()
    assert AppPage.objects.get(pk=app_a.pk).rating_count == 0
    assert "À supprimer" not in response.content.decode()


def test_nobody_else_edits_or_deletes_a_review(app_a, author, other_user):
    review = write(app_a, author, rating=5, title="Le mien")
    client = signed_in(other_user)

    edit = client.post(f"/avis/{review.pk}/modifier/", {"rating": "1", "title": "Piraté"})
    delete = client.post(f"/avis/{review.pk}/supprimer/")

    assert edit.status_code == delete.status_code == 403
    review.refresh_from_db()
    assert (review.rating, review.title) == (5, "Le mien")


def test_second_review_by_the_same_user_is_refused_with_a_message(author_client, app_a, author):
    write(app_a, author, rating=5)

    response = author_client.post(f"/avis/application/{app_a.pk}/", {"rating": "1"}, follow=True)

    assert messages_of(response) == ["Vous avez déjà donné votre avis sur cette application."]
    assert Review.objects.get().rating == 5


def test_rejected_review_shows_its_status_and_reason_to_its_author(
    author_client, app_a, author, editor
):
    review = write(app_a, author, rating=1, body="Voir www.arnaque.com")
    services.moderate([review.pk], decision=Decision.REJECT, editor=editor, reason="Publicité")

    text = visible_text(page_html(author_client, app_a))

    assert "Statut : Refusé" in text
    assert "Motif de l'équipe éditoriale : Publicité" in text
    assert "Si vous le modifiez, il sera de nouveau vérifié avant publication." in text


# --- Helpful votes and reports ----------------------------------------------------------------


def test_helpful_vote_toggles(app_a, author, other_user):
    review = write(app_a, author, title="Utile ?")
    client = signed_in(other_user)

    response = client.post(f"/avis/{review.pk}/utile/", {"helpful": "1"}, follow=True)

    assert messages_of(response) == ["Merci, votre vote « utile » est enregistré."]
    assert Review.objects.get(pk=review.pk).helpful_count == 1
    html = response.content.decode()
    assert 'name="helpful" value="0"' in html
    assert 'aria-pressed="true"' in html
    assert "1 personne a trouvé cet avis utile" in html

    response = client.post(f"/avis/{review.pk}/utile/", {"helpful": "0"}, follow=True)

    assert messages_of(response) == ["Votre vote « utile » est retiré."]
    assert Review.objects.get(pk=review.pk).helpful_count == 0
    assert not HelpfulVote.objects.exists()


def test_no_vote_on_your_own_review(author_client, app_a, author):
    review = write(app_a, author, title="Le mien")

    html = page_html(author_client, app_a)
    assert f'action="/avis/{review.pk}/utile/"' not in html
    assert f'action="/avis/{review.pk}/signaler/"' not in html

    response = author_client.post(f"/avis/{review.pk}/utile/", {"helpful": "1"})

    assert response.status_code == 403
    assert "Vous ne pouvez pas voter pour votre propre avis." in unescape(response.content.decode())
    assert Review.objects.get(pk=review.pk).helpful_count == 0


def test_vote_keeps_the_sort_and_page_of_the_list(app_a, author, other_user):
    review = write(app_a, author)

    response = signed_in(other_user).post(
        f"/avis/{review.pk}/utile/", {"helpful": "1", "avis": "helpful", "avis_page": "1"}
    )

    assert response["Location"] == f"{app_a.url}?avis=helpful#avis"


def test_report_a_review(app_a, author, other_user):
    review = write(app_a, author, title="Douteux")
    client = signed_in(other_user)
    prefix = f"report-{review.pk}"
    assert f'name="{prefix}-reason"' in page_html(client, app_a)

    response = client.post(
        f"/avis/{review.pk}/signaler/",
        {f"{prefix}-reason": "spam", f"{prefix}-comment": "Publicité déguisée"},
        follow=True,
    )

    assert messages_of(response) == ["Merci, votre signalement est transmis à l'équipe éditoriale."]
    report = ReviewReport.objects.get()
    assert (report.reporter, report.reason, report.comment) == (
        other_user,
        "spam",
        "Publicité déguisée",
    )
    assert "Vous avez signalé cet avis." in response.content.decode()

    again = client.post(f"/avis/{review.pk}/signaler/", {f"{prefix}-reason": "other"}, follow=True)

    assert messages_of(again) == ["Vous avez déjà signalé cet avis."]
    assert ReviewReport.objects.count() == 1


def test_report_without_a_valid_reason_is_shown_again(app_a, author, other_user):
    review = write(app_a, author)
    prefix = f"report-{review.pk}"

    response = signed_in(other_user).post(
        f"/avis/{review.pk}/signaler/",
        {f"{prefix}-reason": "n-importe-quoi", f"{prefix}-comment": "Mon commentaire"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="report" open>' in html
    assert "Mon commentaire</textarea>" in html
    assert not ReviewReport.objects.exists()


# --- Publisher replies ------------------------------------------------------------------------


def test_member_of_the_publisher_replies_edits_and_deletes(app_a, author, member_a):
    review = write(app_a, author, title="Une question")
    client = signed_in(member_a)
    prefix = f"reply-{review.pk}"
    assert f'name="{prefix}-body"' in page_html(client, app_a)

    response = client.post(
        f"/avis/{review.pk}/reponse/", {f"{prefix}-body": "Merci pour votre retour !"}, follow=True
    )

    assert messages_of(response) == ["Votre réponse est publiée."]
    text = visible_text(response.content.decode())
    assert "Réponse de Éditeur Alpha" in text
    assert "Merci pour votre retour !" in text
    # Everyone sees it.
    assert "Merci pour votre retour !" in visible_text(page_html(Client(), app_a))

    response = client.post(
        f"/avis/{review.pk}/reponse/", {f"{prefix}-body": "Réponse corrigée"}, follow=True
    )

    assert messages_of(response) == ["Votre réponse est modifiée."]
    assert ReviewReply.objects.get().body == "Réponse corrigée"

    response = client.post(f"/avis/{review.pk}/reponse/supprimer/", follow=True)

    assert messages_of(response) == ["Votre réponse est supprimée."]
    assert not ReviewReply.objects.exists()


def test_empty_reply_is_shown_again_with_an_error(app_a, author, member_a):
    review = write(app_a, author)

    response = signed_in(member_a).post(
        f"/avis/{review.pk}/reponse/", {f"reply-{review.pk}-body": ""}
    )

    assert response.status_code == 400
    assert "Écrivez votre réponse." in unescape(response.content.decode())
    assert not ReviewReply.objects.exists()


def test_member_cannot_review_their_own_publishers_app(app_a, member_a):
    client = signed_in(member_a)

    html = page_html(client, app_a)
    assert f'action="/avis/application/{app_a.pk}/"' not in html
    assert "pour que les notes restent impartiales" in unescape(html)

    response = client.post(f"/avis/application/{app_a.pk}/", {"rating": "5"})

    assert response.status_code == 403
    assert "pour que les notes restent impartiales" in unescape(response.content.decode())
    assert not Review.objects.exists()


def test_member_of_another_publisher_cannot_reply(app_a, author, member_a, member_b):
    review = write(app_a, author)
    services.save_reply(review, member_a, "La réponse officielle")
    client = signed_in(member_b)
    assert f'action="/avis/{review.pk}/reponse/"' not in page_html(client, app_a)

    save = client.post(f"/avis/{review.pk}/reponse/", {f"reply-{review.pk}-body": "Concurrent"})
    delete = client.post(f"/avis/{review.pk}/reponse/supprimer/")

    assert save.status_code == delete.status_code == 403
    assert "Seuls les membres de l'éditeur" in unescape(save.content.decode())
    reply = ReviewReply.objects.get()
    assert (reply.body, reply.author) == ("La réponse officielle", member_a)


def test_member_of_another_publisher_can_review_the_app(app_a, member_b):
    response = signed_in(member_b).post(f"/avis/application/{app_a.pk}/", {"rating": "3"})

    assert response.status_code == 302
    assert Review.objects.get().author == member_b


# --- Escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_user_text_comes_out_escaped(app_a, author, member_a, payload):
    review = write(app_a, author, title=payload, body=f"Corps {payload}")
    services.save_reply(review, member_a, f"Réponse {payload}")
    other = seasoned_user(username="lecteur")
    write(app_a, other, title="Normal", body=payload)  # held or not, the author still sees it

    for client in (Client(), signed_in(author), signed_in(member_a), signed_in(other)):
        html = page_html(client, app_a)
        assert payload not in html
        assert "<script>alert" not in html and "onerror=alert(1)>" not in html
        assert "<svg onload" not in html  # (the Wagtail user bar has svg icons of its own)
        assert payload in visible_text(html)  # shown, as text

    mine = signed_in(author).get("/compte/avis/").content.decode()
    assert payload not in mine
    assert payload in visible_text(mine)


def test_user_text_is_escaped_in_a_re_rendered_form(author_client, app_a):
    payload = XSS_PAYLOADS[2]

    response = author_client.post(f"/avis/application/{app_a.pk}/", {"title": payload})

    assert response.status_code == 400
    assert payload not in response.content.decode()


# --- Permissions, CSRF, rate limits -----------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "data"),
    [
        ("submit", {"rating": "5"}),
        ("edit", {"rating": "1"}),
        ("delete", {}),
        ("helpful", {"helpful": "1"}),
        ("report", {"reason": "spam"}),
        ("reply", {"body": "Réponse"}),
        ("reply_delete", {}),
    ],
)
def test_anonymous_post_goes_to_sign_in_and_changes_nothing(
    client, app_a, author, member_a, route, data
):
    review = write(app_a, author, rating=4, title="Intact")
    services.save_reply(review, member_a, "Réponse intacte")
    url = (
        f"/avis/application/{app_a.pk}/"
        if route == "submit"
        else reverse(f"review_{route}", args=[review.pk])
    )
    prefixed = {f"{route}-{review.pk}-{key}": value for key, value in data.items()}

    response = client.post(url, {**data, **prefixed})

    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={app_a.url}%23avis"
    review.refresh_from_db()
    assert (review.rating, review.title, review.helpful_count) == (4, "Intact", 0)
    assert Review.objects.count() == 1
    assert not ReviewReport.objects.exists()
    assert ReviewReply.objects.get().body == "Réponse intacte"


def test_csrf_is_enforced(app_a, author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    refused = client.post(f"/avis/application/{app_a.pk}/", {"rating": "5"})

    assert refused.status_code == 403
    assert not Review.objects.exists()

    html = page_html(client, app_a)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    accepted = client.post(
        f"/avis/application/{app_a.pk}/", {"rating": "5", "csrfmiddlewaretoken": token}
    )

    assert accepted.status_code == 302
    assert Review.objects.get().rating == 5


def test_unknown_review_or_app_is_404(author_client, app_a):
    assert author_client.post("/avis/application/999999/", {"rating": "5"}).status_code == 404
    assert author_client.post("/avis/999999/utile/").status_code == 404


def test_a_pending_review_cannot_be_voted_or_reported_by_others(app_a, author, other_user):
    review = write(app_a, author, body="www.promo.com")
    assert review.status == Status.PENDING
    client = signed_in(other_user)

    assert client.post(f"/avis/{review.pk}/utile/", {"helpful": "1"}).status_code == 404
    assert (
        client.post(f"/avis/{review.pk}/signaler/", {f"report-{review.pk}-reason": "spam"})
    ).status_code == 404
    assert not HelpfulVote.objects.exists() and not ReviewReport.objects.exists()


def test_votes_are_rate_limited_with_the_api_budget(settings, app_a, author, other_user):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "review_vote": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    review = write(app_a, author)
    client = signed_in(other_user)

    first = client.post(f"/avis/{review.pk}/utile/", {"helpful": "1"})
    second = client.post(f"/avis/{review.pk}/utile/", {"helpful": "0"})
    third = client.post(f"/avis/{review.pk}/utile/", {"helpful": "1"})

    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)
    assert "Trop d'envois en peu de temps" in unescape(third.content.decode())
    assert Review.objects.get(pk=review.pk).helpful_count == 0


def test_review_posts_are_rate_limited_and_keep_the_input(settings, app_a, author):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "review_post": "1/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    review = write(app_a, author, rating=5, title="Premier")
    client = signed_in(author)

    assert client.post(f"/avis/{review.pk}/modifier/", {"rating": "4"}).status_code == 302
    refused = client.post(f"/avis/{review.pk}/modifier/", {"rating": "3", "title": "Gardé"})

    assert refused.status_code == 429
    assert 'value="Gardé"' in refused.content.decode()
    assert Review.objects.get(pk=review.pk).rating == 4


# --- Sorting and pagination -------------------------------------------------------------------


@pytest.fixture
def rated_reviews(app_a):
    """Five reviews: rating n, written in order 1…5, the 2-star one voted most helpful."""
    reviews = {}
    for rating in range(1, 6):
        user = seasoned_user(username=f"auteur-{rating}")
        reviews[rating] = write(app_a, user, rating=rating, title=f"Avis {rating}")
    for voter in range(3):
        services.set_helpful(reviews[2], seasoned_user(username=f"votant-{voter}"))
    return reviews


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Avis 5", "Avis 4", "Avis 3", "Avis 2", "Avis 1"]),
        ("?avis=recent", ["Avis 5", "Avis 4", "Avis 3", "Avis 2", "Avis 1"]),
        ("?avis=rating_high", ["Avis 5", "Avis 4", "Avis 3", "Avis 2", "Avis 1"]),
        ("?avis=rating_low", ["Avis 1", "Avis 2", "Avis 3", "Avis 4", "Avis 5"]),
        ("?avis=helpful", ["Avis 2", "Avis 5", "Avis 4", "Avis 3", "Avis 1"]),
    ],
)
def test_sorting(client, app_a, rated_reviews, query, expected):
    html = page_html(client, app_a, query)

    assert titles_in_order(html) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?avis=nope",
        "?avis=",
        "?avis=%3Cscript%3E",
        "?avis=-rating",
        "?avis_page=abc",
        "?avis_page=-1",
        "?avis_page=0",
        "?avis_page=99999",
        "?avis_page=1e9",
        "?avis=helpful&avis=rating_low&avis_page=2&avis_page=x",
    ],
)
def test_invalid_list_parameters_fall_back_to_defaults(client, app_a, rated_reviews, query):
    html = page_html(client, app_a, query)

    assert len(titles_in_order(html)) == 5
    assert "<script>" not in html


def test_sort_links_mark_the_current_one(client, app_a, rated_reviews):
    html = page_html(client, app_a, "?avis=rating_low")

    assert f'href="{app_a.url}?avis=rating_low#avis" aria-current="true"' in html
    assert f'href="{app_a.url}#avis">Les plus récents' in html


def test_pagination_keeps_the_sort(client, app_a):
    for number in range(12):
        write(app_a, seasoned_user(username=f"page-{number}"), rating=3, title=f"N°{number:02}")

    first = page_html(client, app_a, "?avis=rating_low")
    assert len(titles_in_order(first)) == 10
    next_url = f"{app_a.url}?avis=rating_low&amp;avis_page=2#avis"
    assert f'href="{next_url}" rel="next"' in first

    second = page_html(client, app_a, "?avis=rating_low&avis_page=2")
    assert titles_in_order(second) == ["N°01", "N°00"]
    assert "Page 2 sur 2" in second


# --- Query count ------------------------------------------------------------------------------


def fill(app, count: int, member):
    """count published reviews, each with a reply and a helpful vote from a voter."""
    voter = seasoned_user(username=f"votant-{count}")
    for number in range(count):
        review = write(app, seasoned_user(username=f"n-{count}-{number}"), title=f"R{number}")
        services.save_reply(review, member, f"Réponse {number}")
        services.set_helpful(review, voter)
        services.report_review(review, voter, reason="other")
    return voter


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "voter", "member"])
def test_app_page_queries_do_not_grow_with_reviews(publisher_a, member_a, who):
    from tests.factories import AppPageFactory

    counts = []
    for size in (3, 10, 20):
        app = AppPageFactory(publisher=publisher_a)
        voter = fill(app, size, member_a)
        client = {"anonymous": Client(), "voter": signed_in(voter), "member": signed_in(member_a)}[
            who
        ]
        queries_for(client, app.url)  # warm caches (site root paths, session)
        counts.append(queries_for(client, app.url))

    assert counts[0] == counts[1] == counts[2], counts


def test_app_page_query_count_is_pinned(publisher_a, member_a, django_assert_max_num_queries):
    from tests.factories import AppPageFactory

    app = AppPageFactory(publisher=publisher_a)
    fill(app, 10, member_a)
    # The member's page does the most: own review, membership, votes, reports, reply forms
    # (and, outside the reviews section, their favourite state, the related apps and the
    # release history), and whether their address is confirmed.
    client = signed_in(member_a)
    client.get(app.url)

    with django_assert_max_num_queries(33):
        assert client.get(app.url).status_code == 200
