"""The figures read back: the publisher's statistics page in the admin (periods, charts with
their tables, per app, CSV), the API for members' tokens, the editors' charts — with the
permissions (each refusal changes nothing: these are reads) and pinned query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.stats.models import AppDayCount, AppDayRating, QueryDayCount
from tests.factories import AppPageFactory, api_token

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

TODAY = timezone.localdate()


def day(ago: int):
    return TODAY - timedelta(days=ago)


@pytest.fixture
def counted(app_a, app_b, publisher_a):
    """Figures of publisher A's two apps (and of B's, which A must never see)."""
    other = AppPageFactory(publisher=publisher_a, title='=HYPERLINK("x")', slug="formule")
    rows = [
        (app_a, 0, "view", 10),
        (app_a, 0, "visitor", 7),
        (app_a, 0, "install:android", 3),
        (app_a, 1, "view", 5),
        (app_a, 1, "install:web", 1),
        (app_a, 40, "view", 100),
        (other, 2, "view", 4),
        (other, 2, "favourite_added", 2),
        (other, 2, "impression", 9),
        (app_b, 0, "view", 999),
    ]
    AppDayCount.objects.bulk_create(
        AppDayCount(app=app, day=day(ago), metric=metric, value=value)
        for app, ago, metric, value in rows
    )
    AppDayRating.objects.create(app=app_a, day=day(1), average="4.00", count=2)
    AppDayRating.objects.create(app=app_a, day=day(0), average="3.00", count=3)
    QueryDayCount.objects.bulk_create(
        [
            QueryDayCount(day=day(0), app=app_a, query="emploi", searches=6, visitors=3),
            QueryDayCount(day=day(1), app=app_a, query="emploi", searches=2, visitors=2),
            QueryDayCount(day=day(0), app=app_a, query="rare", searches=4, visitors=4),
            QueryDayCount(day=day(0), app=None, query="chaudronnier", searches=9, visitors=6),
            QueryDayCount(day=day(0), app=None, query="mon nom", searches=1, visitors=1),
        ]
    )
    return other


def stats_url(slug="editeur-alpha", **params):
    from urllib.parse import urlencode

    return f"/admin/statistiques/{slug}/" + (f"?{urlencode(params)}" if params else "")


def test_a_member_reads_the_statistics_of_the_last_7_days(
    client, member_a, counted, app_a, django_assert_num_queries
):
    client.force_login(member_a)
    client.get(stats_url())  # warm the admin's own caches
    with django_assert_num_queries(16):
        response = client.get(stats_url(period="7"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-metric="view">19 vues' in html  # 10 + 5 + 4 (not B's, not 40 days ago)
    assert 'data-metric="install">4 clics' in html
    assert "21 %" in html  # 4 / 19
    for chart in ("chart-stats-views", "chart-stats-installs", "chart-stats-rating"):
        assert f'id="{chart}" role="img"' in html
    assert "Android : 3 clics ; Web : 1 clic" in html  # the chart's desc reads the numbers
    assert '<th scope="row">emploi</th><td>5</td><td>8</td>' in html  # 5 visitors ≥ 5
    assert ">rare<" not in html  # 4 visitors: not shown
    assert "=HYPERLINK(&quot;x&quot;)" in html  # escaped


def test_periods_custom_ranges_and_errors(client, member_a, counted, app_a):
    client.force_login(member_a)
    html = client.get(stats_url(period="90")).content.decode()
    assert 'data-metric="view">119 vues' in html
    one_app = client.get(stats_url(period="custom", start=day(1), end=day(0), app=app_a.pk))
    assert 'data-metric="view">15 vues' in one_app.content.decode()

    for params, message in [
        ({"period": "custom", "start": "2026-02-31", "end": day(0)}, "Saisissez une date valide"),
        ({"period": "custom", "start": day(0), "end": day(1)}, "Le premier jour doit précéder"),
        ({"period": "custom", "start": day(400), "end": day(0)}, "ne peut dépasser 366 jours"),
        ({"period": "custom", "start": day(0), "end": day(-1)}, "dans le futur"),
        ({"period": "12"}, "Sélectionnez un choix valide"),
    ]:
        response = client.get(stats_url(**params))
        assert response.status_code == 400, params
        assert message in response.content.decode(), params


def test_other_publishers_and_visitors_are_refused(client, member_b, counted):
    assert client.get(stats_url()).status_code == 302  # to the admin's sign-in
    client.force_login(member_b)
    refused = client.get(stats_url())
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert client.get(stats_url() + "export.csv").status_code in (302, 403)
    assert client.get(stats_url("nobody")).status_code == 404


def test_editors_read_any_publisher(client, editor, counted):
    client.force_login(editor)
    assert client.get(stats_url()).status_code == 200


def test_the_csv_has_a_row_per_app_and_day_and_never_a_formula(client, member_a, counted, app_a):
    client.force_login(member_a)
    response = client.get(stats_url() + "export.csv?period=7")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 7 * 2
    today_a = next(r for r in rows if r["app_slug"] == app_a.slug and r["day"] == str(day(0)))
    assert (
        today_a["view"],
        today_a["visitor"],
        today_a["install"],
        today_a["install:android"],
    ) == ("10", "7", "3", "3")
    assert {r["app"] for r in rows if r["app_slug"] == "formule"} == {'\'=HYPERLINK("x")'}
    assert client.get(stats_url() + "export.csv?period=custom&start=x").status_code == 400


def api(client, user, slug="editeur-alpha", **params):
    return client.get(
        f"/api/v1/publisher/{slug}/stats/", params, HTTP_AUTHORIZATION=f"Token {api_token(user)}"
    )


def test_the_api_gives_members_their_figures(
    client, member_a, counted, app_a, django_assert_num_queries
):
    token = api_token(member_a)
    with django_assert_num_queries(7):
        response = client.get(
            "/api/v1/publisher/editeur-alpha/stats/",
            {"period": "7"},
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": str(day(6)), "end": str(day(0))}
    assert body["totals"]["view"] == 19 and body["totals"]["install"] == 4
    assert body["installs_by_platform"] == {"android": 3, "web": 1}
    assert round(body["conversion"], 3) == round(4 / 19, 3)
    assert len(body["days"]) == 7 and body["days"][-1]["view"] == 10
    assert {app["slug"]: app["view"] for app in body["apps"]} == {
        "alpha-emploi": 15,
        "formule": 4,
    }
    assert body["top_queries"] == [{"query": "emploi", "searches": 8, "visitors": 5}]
    assert [point["average"] for point in body["rating"]] == [4.0, 3.0]
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_api_refuses_and_explains(client, member_a, member_b, editor, counted):
    assert client.get("/api/v1/publisher/editeur-alpha/stats/").status_code == 401
    refused = api(client, member_b)
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:emploi-store:error:permission-denied"
    # Editors read the admin's pages, not members' API figures.
    assert api(client, editor).status_code == 403
    bad = api(client, member_a, period="custom", start="demain", end="2026-01-01", app="inconnue")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"start", "app"}
    assert api(client, member_a, slug="personne").status_code == 404


def test_editors_see_the_store_per_universe_per_publisher_and_missed_searches(
    client, editor, counted
):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()

    for chart in ("chart-stats-universes", "chart-stats-publishers", "chart-stats-missed-searches"):
        assert f'data-chart="{chart}"' in html
    assert "tout le store : 1018 vues, 4 clics" in html
    assert "chaudronnier : 6 visiteurs" in html
    assert "mon nom" not in html  # one visitor: never shown


def test_the_publisher_space_shows_the_last_30_days(client, member_a, counted):
    client.force_login(member_a)
    html = client.get("/admin/").content.decode()

    assert "Statistiques des 30 derniers jours" in html
    assert "19 vues" in html
    assert 'href="/admin/statistiques/editeur-alpha/"' in html
