"""The app page: install buttons for the visitor's platform, favourite toggle, problem reports,
related apps, SEO (canonical, Open Graph, schema.org JSON-LD) and a bounded query count."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import AppListing, AppPage, AppProblemReport, AppScreenshot, Favourite
from catalogue.platforms import visitor_platform
from reviews import services as review_services
from tests.factories import (
    AppListingFactory,
    AppPageFactory,
    EditorFactory,
    ImageFactory,
    UserFactory,
    category,
)
from tests.integration.reviews.conftest import seasoned_user

pytestmark = pytest.mark.django_db

ALL_PLATFORMS = ["web", "ios", "android", "windows", "macos", "linux"]
UA = {
    "iphone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "ipad": "Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1",
    "android": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "linux": "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "chromebook": "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "windows_phone": "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0 Mobile Safari/537.36 Edge/15.15063",
    "bot": "curl/8.5.0",
}


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def install_buttons(html: str) -> list[tuple[str, str]]:
    """(platform, opening <a> tag) of each install button, in page order."""
    section = html[html.index('id="installer"') : html.index('id="favori"')]
    return re.findall(r'<li [^>]*data-platform="(\w+)">\s*(<a [^>]*>)', section)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def json_ld(html: str) -> dict:
    # It carries the response's CSP nonce (tests/integration/security/test_csp.py).
    found = re.findall(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', html, re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', html)
    assert match, prop
    return unescape(match.group(1))


@pytest.fixture
def app(publisher_a):
    return AppPageFactory(
        publisher=publisher_a,
        title="Alpha Emploi",
        slug="alpha-emploi",
        tagline="Les offres d'emploi près de chez vous",
        listings=ALL_PLATFORMS,
    )


@pytest.fixture
def reindexed(monkeypatch):
    scheduled = []
    monkeypatch.setattr("search.receivers.schedule_index", lambda ids: scheduled.extend(ids))
    return scheduled


# --- Install buttons for the visitor's platform ---------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"User-Agent": UA["iphone"]}, "ios"),
        ({"User-Agent": UA["ipad"]}, "ios"),
        ({"User-Agent": UA["android"]}, "android"),
        ({"User-Agent": UA["windows"]}, "windows"),
        ({"User-Agent": UA["mac"]}, "macos"),
        ({"User-Agent": UA["linux"]}, "linux"),
        ({"Sec-CH-UA-Platform": '"Android"'}, "android"),
        ({"Sec-CH-UA-Platform": '"Windows"'}, "windows"),
        ({"Sec-CH-UA-Platform": '"macOS"'}, "macos"),
        ({"Sec-CH-UA-Platform": '"Linux"'}, "linux"),
        ({"Sec-CH-UA-Platform": '"iOS"'}, "ios"),
        ({"Sec-CH-UA-Platform": '"Chrome OS"'}, "web"),
        # The hint wins over a User-Agent that says otherwise (a reduced UA, a desktop mode).
        ({"User-Agent": UA["linux"], "Sec-CH-UA-Platform": '"Android"'}, "android"),
    ],
)
def test_the_visitors_platform_comes_first_and_is_highlighted(client, app, headers, expected):
    response = client.get(app.url, headers=headers)

    assert response.status_code == 200
    html = response.content.decode()
    buttons = install_buttons(html)
    assert sorted(platform for platform, _tag in buttons) == sorted(ALL_PLATFORMS)
    first_platform, first_tag = buttons[0]
    assert first_platform == expected
    assert "fr-btn--secondary" not in first_tag
    assert 'aria-describedby="installer-recommande"' in first_tag
    for _platform, tag in buttons[1:]:
        assert "fr-btn--secondary" in tag
        assert "aria-describedby" not in tag
    # Said in words, next to the button, not by colour alone.
    assert html.count("Recommandé pour votre appareil") == 1
    assert '<p id="installer-recommande"' in html


@pytest.mark.parametrize("user_agent", [UA["bot"], UA["windows_phone"], ""])
def test_an_unknown_platform_highlights_nothing(client, app, user_agent):
    html = client.get(app.url, headers={"User-Agent": user_agent}).content.decode()

    buttons = install_buttons(html)
    assert [platform for platform, _tag in buttons] == ALL_PLATFORMS  # the editors' order
    assert all("fr-btn--secondary" in tag for _platform, tag in buttons)
    assert "Recommandé pour votre appareil" not in html


def test_without_a_listing_for_the_platform_the_web_version_is_highlighted(client, publisher_a):
    app = AppPageFactory(publisher=publisher_a, listings=["android", "web"])

    html = client.get(app.url, headers={"User-Agent": UA["iphone"]}).content.decode()

    buttons = install_buttons(html)
    assert [platform for platform, _tag in buttons] == ["web", "android"]
    assert "fr-btn--secondary" not in buttons[0][1]
    assert "Recommandé pour votre appareil" in html


def test_without_a_listing_for_the_platform_nor_a_web_one_nothing_is_highlighted(
    client, publisher_a
):
    app = AppPageFactory(publisher=publisher_a, listings=["android", "windows"])

    html = client.get(app.url, headers={"User-Agent": UA["iphone"]}).content.decode()

    assert [platform for platform, _tag in install_buttons(html)] == ["android", "windows"]
    assert "Recommandé pour votre appareil" not in html


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"User-Agent": UA["iphone"]}, "ios"),
        ({"User-Agent": UA["chromebook"]}, "web"),
        ({"User-Agent": UA["windows_phone"]}, None),
        # "Microsoft" holds "cros": not a Chromebook.
        ({"User-Agent": "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook)"}, "windows"),
        ({"Sec-CH-UA-Platform": '"Unknown"', "User-Agent": UA["mac"]}, "macos"),
        ({"Sec-CH-UA-Platform": "Android"}, "android"),  # unquoted, tolerated
        ({}, None),
    ],
)
def test_visitor_platform(headers, expected):
    request = RequestFactory().get("/", headers=headers)

    assert visitor_platform(request) == expected


def test_the_page_asks_for_the_platform_hint_and_varies_with_it(client, app):
    response = client.get(app.url)

    assert response["Accept-CH"] == "Sec-CH-UA-Platform"
    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert {"user-agent", "sec-ch-ua-platform"} <= vary


# --- Favourites ---------------------------------------------------------------------------


def favourite_url(app) -> str:
    return reverse("app_favourite_toggle", args=[app.pk])


def popularity(app) -> int:
    return AppPage.objects.values_list("popularity", flat=True).get(pk=app.pk)


def test_anonymous_favourite_goes_to_sign_in(client, app):
    html = client.get(app.url).content.decode()
    assert f'action="{favourite_url(app)}"' in html

    response = client.post(favourite_url(app), {"favourite": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={app.url}%23favori"
    assert not Favourite.objects.exists()
    assert popularity(app) == 0


def test_signed_in_user_adds_and_removes_a_favourite(app, reindexed):
    user = UserFactory(username="camille")
    client = signed_in(user)
    html = client.get(app.url).content.decode()
    assert 'aria-pressed="false"' in html
    assert "Ajouter à mes favoris" in html

    response = client.post(favourite_url(app), {"favourite": "1"}, follow=True)

    assert response.redirect_chain == [(f"{app.url}#favori", 302)]
    assert Favourite.objects.filter(user=user, app=app).exists()
    assert popularity(app) == 1
    assert reindexed == [app.pk]
    html = response.content.decode()
    assert "« Alpha Emploi » est ajoutée à vos favoris." in unescape(html)
    assert 'name="favourite" value="0"' in html
    assert 'aria-pressed="true"' in html
    assert "Retirer de mes favoris" in html

    # A second add (a retry, another tab) counts once.
    client.post(favourite_url(app), {"favourite": "1"})
    assert Favourite.objects.filter(user=user).count() == 1
    assert popularity(app) == 1
    assert reindexed == [app.pk]

    response = client.post(favourite_url(app), {"favourite": "0"}, follow=True)

    assert not Favourite.objects.exists()
    assert popularity(app) == 0
    assert reindexed == [app.pk, app.pk]
    assert "« Alpha Emploi » est retirée de vos favoris." in unescape(response.content.decode())
    assert 'aria-pressed="false"' in response.content.decode()

    # Removing again changes nothing and never goes below zero.
    client.post(favourite_url(app), {"favourite": "0"})
    assert popularity(app) == 0


def test_favourite_shows_up_in_the_api_list(app):
    user = UserFactory(username="camille")
    client = signed_in(user)
    client.post(favourite_url(app), {"favourite": "1"})

    listed = client.get("/api/v1/me/favourites/").json()

    assert [row["slug"] for row in listed["results"]] == [app.slug]


def test_favourite_needs_a_csrf_token(app):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="camille"))

    refused = client.post(favourite_url(app), {"favourite": "1"})

    assert refused.status_code == 403
    assert not Favourite.objects.exists()

    html = client.get(app.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    accepted = client.post(favourite_url(app), {"favourite": "1", "csrfmiddlewaretoken": token})

    assert accepted.status_code == 302
    assert Favourite.objects.count() == 1


def test_favourite_routes_take_post_only_and_live_apps_only(app, publisher_a):
    client = signed_in(UserFactory(username="camille"))
    draft = AppPageFactory(publisher=publisher_a, live=False)

    assert client.get(favourite_url(app)).status_code == 405
    assert client.post(favourite_url(draft), {"favourite": "1"}).status_code == 404
    assert client.post("/favoris/application/999999/", {"favourite": "1"}).status_code == 404
    assert not Favourite.objects.exists()


# --- Problem reports ----------------------------------------------------------------------


def report_url(app) -> str:
    return reverse("app_problem_report", args=[app.pk])


def report_data(**fields) -> dict:
    return {f"probleme-{name}": value for name, value in fields.items()}


def test_anonymous_visitor_reports_a_problem(client, app):
    html = client.get(app.url).content.decode()
    assert "Signaler un problème avec cette application" in html
    assert 'name="probleme-email"' in html
    assert html.count('type="radio" name="probleme-reason"') == 5

    response = client.post(
        report_url(app),
        report_data(
            reason="broken_link",
            message="Le lien iOS mène à une page d'erreur.",
            email="camille@example.org",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(f"{app.url}#signaler", 302)]
    assert "Merci, l'équipe éditoriale va vérifier." in unescape(response.content.decode())
    report = AppProblemReport.objects.get()
    assert (report.app, report.reason, report.status, report.user) == (
        app,
        "broken_link",
        "open",
        None,
    )
    assert report.message == "Le lien iOS mène à une page d'erreur."
    assert report.email == "camille@example.org"


def test_signed_in_visitor_reports_without_an_email(app):
    user = UserFactory(username="camille")
    client = signed_in(user)
    assert 'name="probleme-email"' not in client.get(app.url).content.decode()

    response = client.post(
        report_url(app), report_data(reason="accessibility", email="ignored@example.org")
    )

    assert response.status_code == 302
    report = AppProblemReport.objects.get()
    assert (report.user, report.email, report.reason) == (user, "", "accessibility")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            report_data(reason="n-importe-quoi", message="Mon message gardé"),
            "Choisissez le type de problème.",
        ),
        (report_data(message="Mon message gardé"), "Choisissez le type de problème."),
        (report_data(reason="other", message="   "), "Décrivez le problème."),
        (report_data(reason="other", message="x" * 1001), "au plus 1000 caractères"),
        (
            report_data(reason="broken_link", message="Mon message gardé", email="pas-une-adresse"),
            "Saisissez une adresse e-mail valide.",
        ),
    ],
)
def test_invalid_report_is_shown_again_with_errors_and_the_input_kept(client, app, data, error):
    response = client.post(report_url(app), data)

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert error in html
    assert "Rien n'a été envoyé : corrigez les erreurs signalées." in html
    message = data["probleme-message"]
    if message.strip():
        assert f"{message}</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert not AppProblemReport.objects.exists()


def test_reports_are_rate_limited(settings, client, app):
    rates = {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "app_problem_report": "2/hour",
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    data = report_data(reason="wrong_information", message="Le tarif a changé.")

    first = client.post(report_url(app), data)
    second = client.post(report_url(app), data)
    third = client.post(report_url(app), report_data(reason="other", message="Encore moi"))

    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)
    html = unescape(third.content.decode())
    assert "Trop de signalements en peu de temps" in html
    assert "Encore moi</textarea>" in html
    assert AppProblemReport.objects.count() == 2


def test_report_routes_take_post_only_and_live_apps_only(client, app, publisher_a):
    draft = AppPageFactory(publisher=publisher_a, live=False)

    assert client.get(report_url(app)).status_code == 405
    assert (
        client.post(report_url(draft), report_data(reason="other", message="x")).status_code == 404
    )
    assert not AppProblemReport.objects.exists()


def test_report_text_is_escaped_on_the_page_and_in_the_admin(client, app):
    payload = "<script>alert(1)</script>"
    response = client.post(report_url(app), report_data(reason="other", message=payload))
    assert response.status_code == 302
    html = client.post(report_url(app), report_data(reason="bad", message=payload)).content
    assert payload not in html.decode()

    editor = EditorFactory(username="redaction")
    admin = signed_in(editor)
    listing = admin.get(reverse(AppProblemReport.snippet_viewset.get_url_name("list")))

    assert listing.status_code == 200
    text = listing.content.decode()
    assert payload not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Alpha Emploi" in text


def test_editors_filter_and_resolve_reports(app):
    open_report = AppProblemReport.objects.create(
        app=app, reason="broken_link", message="Lien mort numéro un"
    )
    AppProblemReport.objects.create(
        app=app, reason="other", message="Déjà traité", status="resolved"
    )
    viewset = AppProblemReport.snippet_viewset
    admin = signed_in(EditorFactory(username="redaction"))

    listing = admin.get(reverse(viewset.get_url_name("list")), {"status": "open"})

    assert listing.status_code == 200
    assert "Lien mort numéro un" in listing.content.decode()
    assert "Déjà traité" not in listing.content.decode()
    # Reports come from visitors: editors cannot make them up.
    assert admin.get(reverse(viewset.get_url_name("add"))).status_code in (302, 403)

    edit_url = reverse(viewset.get_url_name("edit"), args=[open_report.pk])
    assert admin.get(edit_url).status_code == 200
    response = admin.post(edit_url, {"status": "resolved"})

    assert response.status_code == 302
    open_report.refresh_from_db()
    assert open_report.status == "resolved"
    assert open_report.resolved_at is not None
    # The visitor's words are left as they were sent.
    assert open_report.message == "Lien mort numéro un"
    assert open_report.reason == "broken_link"


def test_visitors_do_not_see_the_reports_admin(app):
    listing_url = reverse(AppProblemReport.snippet_viewset.get_url_name("list"))

    response = signed_in(UserFactory(username="camille")).get(listing_url)

    assert response.status_code in (302, 403)


# --- Related apps ---------------------------------------------------------------------------


def test_related_apps_share_a_category_are_live_and_most_popular_first(client, publisher_a):
    jobs = category("offres-emploi")
    app = AppPageFactory(publisher=publisher_a, title="L'application", categories=[jobs])
    popular = AppPageFactory(publisher=publisher_a, title="Très Populaire", categories=[jobs])
    quiet = AppPageFactory(publisher=publisher_a, title="Plus Discrète", categories=[jobs])
    AppPage.objects.filter(pk=popular.pk).update(popularity=50)
    AppPage.objects.filter(pk=quiet.pk).update(popularity=5)
    AppPageFactory(publisher=publisher_a, title="Brouillon Caché", categories=[jobs], live=False)
    AppPageFactory(
        publisher=publisher_a, title="Autre Sujet", categories=[category("trouver-une-formation")]
    )
    for number in range(6):
        AppPageFactory(publisher=publisher_a, title=f"Voisine {number}", categories=[jobs])

    html = client.get(app.url).content.decode()

    section = html[html.index('id="similaires-titre"') : html.index('id="signaler"')]
    titles = re.findall(r'<h3 class="fr-card__title"><a href="[^"]+">([^<]+)</a>', section)
    assert titles[:2] == ["Très Populaire", "Plus Discrète"]
    assert len(titles) == 6
    assert "Brouillon Caché" not in html
    assert "Autre Sujet" not in html
    assert "L'application" not in unescape(section)


def test_no_related_section_when_nothing_shares_a_category(client, app):
    assert 'id="similaires-titre"' not in client.get(app.url).content.decode()


# --- SEO and sharing ------------------------------------------------------------------------


def test_canonical_and_open_graph(client, app):
    app.icon = ImageFactory()
    app.save(update_fields=["icon"])

    html = client.get(f"{app.url}?avis=helpful&utm_source=x").content.decode()

    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical.endswith(app.url)
    assert canonical.startswith(("http://", "https://"))
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:title") == "Alpha Emploi"
    assert meta(html, "og:description") == "Les offres d'emploi près de chez vous"
    assert meta(html, "og:url") == canonical
    image = meta(html, "og:image")
    assert image.startswith(("http://", "https://"))
    assert "/images/" in image and ".fill-256x256." in image
    assert '<meta name="description" content="Les offres d&#x27;emploi près de chez vous">' in html


def test_json_ld_describes_the_app(client, app):
    app.icon = ImageFactory()
    app.save(update_fields=["icon"])

    data = json_ld(client.get(app.url).content.decode())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "SoftwareApplication"
    assert data["name"] == "Alpha Emploi"
    assert data["description"] == "Les offres d'emploi près de chez vous"
    assert data["url"].endswith(app.url)
    assert data["image"].startswith(("http://", "https://"))
    assert data["applicationCategory"] == "EducationalApplication"  # "Se former"
    assert data["operatingSystem"] == "Web, iOS, Android, Windows, macOS, Linux"
    assert data["offers"] == {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Éditeur Alpha"
    assert "aggregateRating" not in data  # no ratings yet


def test_json_ld_has_the_aggregate_rating_once_rated(client, app):
    for number, rating in enumerate((5, 4, 4)):
        review_services.submit_review(app, seasoned_user(username=f"note-{number}"), rating=rating)

    data = json_ld(client.get(app.url).content.decode())

    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.33,
        "ratingCount": 3,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_json_ld_of_a_paid_job_app_has_no_free_offer(client, publisher_a):
    app = AppPageFactory(
        publisher=publisher_a, pricing="paid", categories=[category("offres-emploi")]
    )

    data = json_ld(client.get(app.url).content.decode())

    assert "offers" not in data
    assert data["applicationCategory"] == "BusinessApplication"


def test_the_tagline_cannot_break_out_of_the_json_ld(client, publisher_a):
    tagline = '</script><script>alert("x")</script><!-- & "quotes"'
    app = AppPageFactory(publisher=publisher_a, title="Évasion <b>", tagline=tagline)

    html = client.get(app.url).content.decode()

    assert "</script><script>alert" not in html
    assert (
        "<!--" not in html.split('<script type="application/ld+json"', 1)[1].split("</script>")[0]
    )
    data = json_ld(html)
    assert data["description"] == tagline
    assert data["name"] == "Évasion <b>"
    assert meta(html, "og:description") == tagline


# --- The page's content ---------------------------------------------------------------------


def test_header_categories_and_accessibility(client, publisher_a):
    publisher_a.verified = True
    publisher_a.save()
    app = AppPageFactory(
        publisher=publisher_a,
        categories=[category("offres-emploi"), category("trouver-une-formation")],
        accessibility="full",
    )

    html = client.get(app.url).content.decode()
    text = visible_text(html)

    assert "Éditeur vérifié" in text
    assert f'href="{publisher_a.page.url}"' in html
    assert 'href="/applications/categorie/offres-emploi/">Offres d&#x27;emploi</a>' in html
    assert 'href="/applications/categorie/trouver-une-formation/">' in html
    assert "Totalement conforme (RGAA)" in text
    assert "respecte tous les critères" in text
    assert "Pas encore d'avis" in text


def test_screenshots_have_alt_text_and_captions(client, app):
    AppScreenshot.objects.create(page=app, image=ImageFactory(), caption="La carte", sort_order=0)
    AppScreenshot.objects.create(page=app, image=ImageFactory(), caption="", sort_order=1)

    html = client.get(app.url).content.decode()

    assert 'alt="La carte"' in html
    assert '<figcaption class="fr-content-media__caption">La carte</figcaption>' in html
    # Without a caption, the alternative text still says what the image is.
    assert 'alt="Capture d\'écran 2 de Alpha Emploi"' in unescape(html)


# --- Query count ----------------------------------------------------------------------------


def furnish(app, size: int, neighbours_category):
    """size listings and screenshots, size related apps (with icons), reviews."""
    app.icon = ImageFactory()
    app.save(update_fields=["icon"])
    AppListing.objects.filter(page=app).delete()
    for position, platform in enumerate(ALL_PLATFORMS[:size]):
        AppListing.objects.create(
            page=app, platform=platform, url=f"https://{platform}.example.org/", sort_order=position
        )
    for position in range(size):
        AppScreenshot.objects.create(page=app, image=ImageFactory(), sort_order=position)
    for _number in range(size):
        neighbour = AppPageFactory(publisher=app.publisher, categories=[neighbours_category])
        neighbour.icon = ImageFactory()
        neighbour.save(update_fields=["icon"])


def queries_for(client, url, headers) -> int:
    client.get(url, headers=headers)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_app_page_query_count_is_pinned(publisher_a, who):
    small = AppPageFactory(publisher=publisher_a, categories=[category("offres-emploi")])
    large = AppPageFactory(publisher=publisher_a, categories=[category("recruter")])
    furnish(small, 2, category("offres-emploi"))
    furnish(large, 6, category("recruter"))
    for number in range(3):
        review_services.submit_review(small, seasoned_user(username=f"s-{number}"), rating=4)
    for number in range(12):
        review_services.submit_review(large, seasoned_user(username=f"l-{number}"), rating=3)
    client = Client() if who == "anonymous" else signed_in(seasoned_user(username="lecteur"))
    Favourite.objects.create(user=UserFactory(username="fan"), app=large)
    headers = {"User-Agent": UA["android"]}

    counts = [queries_for(client, app.url, headers) for app in (small, large)]

    assert counts[0] == counts[1], counts
    # Wagtail's routing and view restrictions, the page's relations (publisher, icon, listings,
    # screenshots, categories, audiences, languages, releases), related apps, reviews; signed
    # in: the session, the user, the favourite state, the user's own review and whether their
    # address is confirmed (they may review and report).
    assert counts[0] <= {"anonymous": 27, "signed_in": 35}[who], counts


def test_f_droids_anti_features_are_shown_by_their_listing_and_escaped(client, publisher_a):
    android = AppListingFactory.build(
        platform="android",
        url="https://f-droid.org/packages/org.exemple.offres/",
        anti_features=["Ads", "NonFreeNet", "Inconnue", "<script>alert(1)</script>"],
    )
    app = AppPageFactory(publisher=publisher_a, slug="offres-libres", listings=["web", android])

    page = client.get(app.url).content.decode()

    assert page.count("Anti-fonctionnalités (F-Droid)") == 1  # the web listing has none
    assert "publicité, services en ligne non libres, Inconnue" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
