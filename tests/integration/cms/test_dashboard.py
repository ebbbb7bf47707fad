"""The admin dashboard: the publisher space for members, charts and queues for editors."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from catalogue.models import AppProblemReport
from catalogue.permissions import publishers_of
from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.runner import submit_for_review
from cms import dashboard
from reviews import dashboard as reviews_dashboard
from reviews import services
from reviews.models import Review, ReviewReport
from tests.factories import AppPageFactory, UserFactory, category
from tests.integration.reviews.conftest import seasoned_user
from tests.integration.sync_admin import conftest as sync_fixtures
from web import charts

pytestmark = pytest.mark.django_db

# The sync admin's loopback feed server and eager Celery, for Sync now from the dashboard.
feed_server = sync_fixtures.feed_server
eager_tasks = sync_fixtures.eager_tasks

HOME = reverse("wagtailadmin_home")
Status = SyncRun.Status


def page_of(client, user) -> BeautifulSoup:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def make_feed(publisher, name, *runs, url=None):
    """A feed and its runs: (status, age) pairs, oldest first; ("preview", ...) is a dry run."""
    feed = Feed.objects.create(
        publisher=publisher,
        name=name,
        url=url or f"https://{publisher.slug}.example.org/{slugify(name)}.json",
        format="native",
    )
    now = timezone.now()
    for status, age in runs:
        dry_run = status == "preview"
        SyncRun.objects.create(
            feed=feed,
            status=Status.FAILED if dry_run else status,
            dry_run=dry_run,
            started_at=now - age,
            seen=4,
            created=1,
            updated=2,
            unchanged=1,
        )
    return feed


def review_of(app, username, rating=4, **fields):
    fields.setdefault("title", f"Avis de {username}")
    return services.submit_review(app, seasoned_user(username=username), rating=rating, **fields)


def plain_admin_user():
    user = UserFactory(username="admin-simple")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def cells(row) -> list[str]:
    return [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]


def chart_table(page, chart_id) -> dict[str, list[str]]:
    table = page.find("table", attrs={"data-chart-table": chart_id})
    assert table is not None, chart_id
    return {cells(row)[0]: cells(row)[1:] for row in table.tbody.find_all("tr")}


# --- Publisher space -----------------------------------------------------------------------


@pytest.fixture
def member_world(publisher_a, publisher_b, member_a, app_a, app_b):
    """Publisher A: a live app, a draft, an app in moderation, a live app with a new draft;
    two feeds (one run, one never), reviews with and without a reply. Publisher B: the same
    kinds of things, none of which member A may see."""
    draft = AppPageFactory(publisher=publisher_a, title="Alpha Brouillon", live=False)
    submitted = AppPageFactory(publisher=publisher_a, title="Alpha Soumise", live=False)
    submit_for_review(submitted)
    changed = AppPageFactory(publisher=publisher_a, title="Alpha Modifiée")
    changed.tagline = "Une nouvelle accroche"
    changed.save_revision()

    synced = make_feed(
        publisher_a,
        "Flux Alpha",
        (Status.FAILED, timedelta(days=2)),
        (Status.DONE, timedelta(hours=3)),
        ("preview", timedelta(hours=1)),  # a preview is not the last sync
    )
    never = make_feed(publisher_a, "Flux Alpha neuf")
    other_feed = make_feed(publisher_b, "Flux Bêta", (Status.FAILED, timedelta(hours=1)))

    waiting = review_of(app_a, "lectrice", body="Très pratique au quotidien.")
    answered = review_of(changed, "lecteur")
    services.save_reply(answered, member_a, "Merci !")
    review_of(app_b, "visiteuse", title="Avis Bêta secret")
    return {
        "live": app_a,
        "draft": draft,
        "submitted": submitted,
        "changed": changed,
        "other_app": app_b,
        "synced": synced,
        "never": never,
        "other_feed": other_feed,
        "waiting": waiting,
        "answered": answered,
    }


def app_row(page, app):
    row = page.find("tr", attrs={"data-app": str(app.pk)})
    assert row is not None, app.title
    return row


def state_text(page, app) -> str:
    cell = app_row(page, app).find(attrs={"data-app-state": True})
    return " ".join(cell.get_text(" ", strip=True).split())


def test_a_member_sees_their_apps_and_their_moderation_state(client, member_a, member_world):
    page = page_of(client, member_a)

    space = page.find(attrs={"data-publisher-space": str(member_world["live"].publisher_id)})
    assert space is not None
    assert state_text(page, member_world["live"]) == "En ligne"
    assert state_text(page, member_world["draft"]) == "Brouillon"
    submitted = state_text(page, member_world["submitted"])
    assert submitted.startswith("Brouillon En cours de validation Relecture par l'équipe")
    assert "depuis le" in submitted
    assert state_text(page, member_world["changed"]) == "En ligne modifications en attente"
    edit = reverse("wagtailadmin_pages:edit", args=[member_world["draft"].pk])
    assert app_row(page, member_world["draft"]).find("a", href=edit)
    # The latest revision's date is shown.
    changed = member_world["changed"]
    changed.refresh_from_db()
    assert app_row(page, changed).find("time")["datetime"] == (
        timezone.localtime(changed.latest_revision_created_at).isoformat()
    )


def test_a_member_sees_their_feeds_with_the_last_run_and_sync_now(client, member_a, member_world):
    page = page_of(client, member_a)

    synced = page.find("tr", attrs={"data-feed": str(member_world["synced"].pk)})
    status = synced.find(attrs={"data-feed-status": True})
    assert status["data-feed-status"] == "done"  # the preview after it does not count
    assert "Terminée" in status.get_text()
    assert "Lues : 4" in synced.get_text() and "Mises à jour : 2" in synced.get_text()
    form = synced.find("form")
    assert form["method"] == "post"
    assert form["action"] == reverse("sync_feeds:sync", args=[member_world["synced"].pk])
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert form.button.get_text(strip=True) == "Synchroniser maintenant"

    never = page.find("tr", attrs={"data-feed": str(member_world["never"].pk)})
    assert never.find(attrs={"data-feed-status": True})["data-feed-status"] == "never"
    assert "Jamais" in never.get_text()


def test_sync_now_from_the_dashboard_runs_the_feed(
    client, member_a, publisher_a, feed_server, eager_tasks
):
    feed = make_feed(publisher_a, "Flux servi", url=feed_server.url)
    page = page_of(client, member_a)
    action = page.find("tr", attrs={"data-feed": str(feed.pk)}).form["action"]

    response = client.post(action)

    assert response.status_code == 302
    assert feed_server.hits == 1
    assert feed.runs.get().status == Status.DONE


def test_a_member_sees_the_reviews_awaiting_a_reply(client, member_a, member_world):
    page = page_of(client, member_a)

    link = page.find("a", attrs={"data-reviews-count": True})
    assert link["href"] == reverse("reviews_publisher:index")
    assert link["data-reviews-count"] == "1"
    assert link.get_text(strip=True) == "1 avis sans réponse"
    waiting = page.find("li", attrs={"data-review": str(member_world["waiting"].pk)})
    assert "Alpha Emploi" in waiting.get_text() and "Avis de lectrice" in waiting.get_text()
    reply = reverse("reviews_publisher:reply", args=[member_world["waiting"].pk])
    assert waiting.find("a")["href"] == f"{reply}?next={HOME.replace('/', '%2F')}"
    assert not page.find("li", attrs={"data-review": str(member_world["answered"].pk)})
    assert app_row(page, member_world["live"]).find_all("td")[2].get_text(strip=True) == "1"


def test_a_member_sees_nothing_of_another_publisher(client, member_a, member_world):
    page = page_of(client, member_a)
    text = page.get_text()

    assert not page.find("tr", attrs={"data-app": str(member_world["other_app"].pk)})
    assert not page.find("tr", attrs={"data-feed": str(member_world["other_feed"].pk)})
    assert "Bêta Formation" not in text
    assert "Flux Bêta" not in text
    assert "Avis Bêta secret" not in text
    assert "Espace éditeur : Éditeur Bêta" not in text
    # Nor the editors' dashboard.
    assert not page.find(id="editor-dashboard-section")


def test_a_member_of_two_publishers_gets_a_space_for_each(
    client, member_a, publisher_b, member_world
):
    member_a.groups.add(publisher_b.group)
    page = page_of(client, member_a)

    assert page.find(attrs={"data-publisher-space": str(publisher_b.pk)})
    assert page.find("tr", attrs={"data-feed": str(member_world["other_feed"].pk)})


def publisher_with(publisher, member, count):
    for n in range(count):
        app = AppPageFactory(publisher=publisher, title=f"Appli {publisher.slug} {n}")
        review_of(app, f"auteur-{publisher.slug}-{n}")
        make_feed(publisher, f"Flux {n}", (Status.DONE, timedelta(hours=n + 1)))
    submit_for_review(AppPageFactory(publisher=publisher, live=False, slug=f"brouillon-{count}"))


def home_queries(client, user) -> int:
    client.force_login(user)
    client.get(HOME)  # warm the caches (content types, site, permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_publisher_space_costs_the_same_queries_for_2_and_6_apps(
    client, publisher_a, publisher_b, member_a, member_b
):
    publisher_with(publisher_a, member_a, 2)
    publisher_with(publisher_b, member_b, 6)

    small, large = home_queries(client, member_a), home_queries(client, member_b)

    assert small == large


def test_the_publisher_space_panel_alone_costs_six_queries(rf, member_a, publisher_a):
    publisher_with(publisher_a, member_a, 3)
    request = rf.get(HOME)
    request.user = member_a
    assert publishers_of(member_a)  # the user's publishers, looked up once per request

    with CaptureQueriesContext(connection) as queries:
        blocks = dashboard.publisher_space(request)

    apps = [part.context["apps"] for part in blocks[0].parts if "apps" in part.context]
    assert [len(block_apps) for block_apps in apps] == [4]
    # Publishers (with every section's counts), apps, workflow states, feeds, runs, reviews.
    # (Who may press Sync now reuses the look-up of the user's publishers above.)
    assert len(queries) == 6


# --- Editors' dashboard --------------------------------------------------------------------


@pytest.fixture
def editor_world(publisher_a, publisher_b, member_a):
    """3 live apps in "Se former" (one in two of its sub-categories, one in the universe
    itself, one also in "Trouver un emploi"), a draft that counts nowhere; 2 reviews this week,
    1 three weeks ago, 1 pending, 1 reported; an open and a resolved problem report; feeds
    whose last runs are done, failed, never, with errors."""
    apps = [
        AppPageFactory(
            publisher=publisher_a,
            categories=[category("trouver-une-formation"), category("apprendre-en-ligne")],
        ),
        AppPageFactory(publisher=publisher_a, categories=[category("se-former")]),
        AppPageFactory(
            publisher=publisher_b,
            categories=[category("financer-sa-formation"), category("offres-emploi")],
        ),
    ]
    submit_for_review(
        AppPageFactory(publisher=publisher_a, live=False, categories=[category("recruter")])
    )
    recent = [review_of(apps[0], "r1"), review_of(apps[1], "r2")]
    old = review_of(apps[2], "r3")
    Review.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(weeks=3))
    services.submit_review(apps[0], UserFactory(username="nouveau"), rating=2)  # held: pending
    services.report_review(recent[0], seasoned_user(username="r4"), reason=ReviewReport.Reason.SPAM)
    AppProblemReport.objects.create(app=apps[0], reason=AppProblemReport.Reason.BROKEN_LINK)
    AppProblemReport.objects.create(
        app=apps[1], reason=AppProblemReport.Reason.OTHER, status=AppProblemReport.Status.RESOLVED
    )

    make_feed(
        publisher_a,
        "Flux A ok",
        (Status.FAILED, timedelta(days=10)),  # too old for the failed runs queue
        (Status.DONE, timedelta(days=1)),
        ("preview", timedelta(hours=2)),  # previews count nowhere
    )
    make_feed(publisher_a, "Flux A en panne", (Status.FAILED, timedelta(days=2)))
    make_feed(publisher_a, "Flux A neuf")
    make_feed(
        publisher_b,
        "Flux B",
        (Status.DONE_WITH_ERRORS, timedelta(days=1)),
        (Status.RUNNING, timedelta(minutes=1)),  # still running: the last finished run counts
    )


def test_an_editor_sees_the_apps_per_universe_chart(client, editor, editor_world):
    page = page_of(client, editor)

    svg = page.find("svg", id="chart-apps-per-universe")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "chart-apps-per-universe-title chart-apps-per-universe-desc"
    assert svg.title.get_text() == "Applications en ligne par univers"
    assert "Se former : 3 applications" in svg.desc.get_text()
    assert "Trouver un emploi : 1 application" in svg.desc.get_text()
    table = chart_table(page, "chart-apps-per-universe")
    assert table == {
        "Choisir un métier": ["0"],
        "Se former": ["3"],
        "Préparer sa candidature": ["0"],
        "Trouver un emploi": ["1"],
        "Créer son entreprise": ["0"],
        "Partir à l'international": ["0"],
    }
    # One bar per universe that has apps, the longest for the largest count.
    bars = svg.find_all("rect", class_="cms-chart__bar")
    assert sorted(float(bar["width"]) for bar in bars) == [
        pytest.approx(charts.BAR_AREA / 3, abs=0.01),
        charts.BAR_AREA,
    ]


def test_an_editor_sees_the_reviews_per_week_chart(client, editor, editor_world):
    page = page_of(client, editor)

    table = chart_table(page, "chart-reviews-per-week")
    this_monday = reviews_dashboard.week_start(timezone.now())

    def label(monday):
        return f"Semaine du {date_format(monday.date(), 'j F Y')}"

    assert len(table) == reviews_dashboard.WEEKS
    assert list(table)[-1] == label(this_monday)
    assert table[label(this_monday)] == ["2"]
    assert table[label(this_monday - timedelta(weeks=3))] == ["1"]
    assert sum(int(values[0]) for values in table.values()) == 3  # the pending one is not
    svg = page.find("svg", id="chart-reviews-per-week")
    assert svg["role"] == "img" and svg.title and svg.desc


def test_an_editor_sees_the_sync_health_chart(client, editor, editor_world):
    page = page_of(client, editor)

    table = page.find("table", attrs={"data-chart-table": "chart-sync-health"})
    assert table.caption.get_text(strip=True) == "Santé des synchronisations par éditeur"
    assert cells(table.thead.tr) == [
        "Éditeur",
        "Terminée",
        "Terminée avec des erreurs",
        "Échouée",
        "Jamais",
        "Total",
    ]
    assert chart_table(page, "chart-sync-health") == {
        "Éditeur Alpha": ["1", "0", "1", "1", "3"],
        "Éditeur Bêta": ["0", "1", "0", "0", "1"],
    }
    svg = page.find("svg", id="chart-sync-health")
    assert svg["role"] == "img"
    # Each status has a pattern of its own besides its colour, and a legend in words.
    fills = {rect["fill"] for rect in svg.find_all("rect", class_="cms-chart__segment")}
    assert fills == {
        "#18753c",
        "url(#chart-sync-health-done_with_errors)",
        "url(#chart-sync-health-failed)",
        "url(#chart-sync-health-never)",
    }
    assert {pattern["id"] for pattern in svg.find_all("pattern")} == {
        "chart-sync-health-done_with_errors",
        "chart-sync-health-failed",
        "chart-sync-health-never",
    }
    legend = page.find("ul", class_="cms-chart-legend")
    assert [item.get_text(strip=True) for item in legend.find_all("li")] == cells(table.thead.tr)[
        1:5
    ]


def test_the_charts_need_no_script_and_nothing_from_elsewhere(client, editor, editor_world):
    page = page_of(client, editor)
    panel = page.find(id="editor-dashboard-section")

    assert panel.find("script") is None
    assert "http://" not in str(panel).replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in str(panel)
    charts = {
        chart["data-chart"]: chart for chart in panel.find_all("div", attrs={"data-chart": True})
    }
    # The catalogue's charts always have something to draw in this world; another app's chart
    # with nothing to draw yet (the mediators', say) says so in words instead.
    assert {"chart-apps-per-universe", "chart-reviews-per-week", "chart-sync-health"} <= {
        chart_id for chart_id, chart in charts.items() if chart.find("svg") is not None
    }
    for chart in charts.values():
        if chart.find("svg") is None:
            assert chart.find("p").get_text(strip=True)
            continue
        assert chart.find("svg")["role"] == "img"
        assert chart.find("details").find("table").caption


def queue(page, name):
    item = page.find("li", attrs={"data-queue": name})
    assert item is not None, name
    return item


def test_an_editor_sees_the_moderation_queues(client, editor, editor_world):
    page = page_of(client, editor)

    apps = queue(page, "apps-in-moderation").a
    assert apps.get_text(strip=True) == "1 application en attente de validation"
    assert apps["href"] == reverse("catalogue_approval")  # the bulk approval of the queue

    pending = queue(page, "reviews-pending").a
    assert pending.get_text(strip=True) == "1 avis en attente de modération"
    assert pending["href"] == reverse("reviews_moderation:index")
    assert pending["data-reviews-count"] == "1"

    reported = queue(page, "reviews-reported").a
    assert reported.get_text(strip=True) == "1 avis signalé"
    assert reported["href"] == reverse("reviews_moderation:index") + "?status=all&reported=true"

    problems = queue(page, "app-problem-reports").a
    assert problems.get_text(strip=True) == "1 signalement d'application à traiter"
    problems_list = reverse(AppProblemReport.snippet_viewset.get_url_name("list"))
    assert problems["href"] == f"{problems_list}?status=open"

    failed = queue(page, "failed-runs")
    assert failed.a.get_text(strip=True) == "1 synchronisation échouée ces 7 derniers jours"
    runs = failed.find_all("li", attrs={"data-failed-run": True})
    assert [run.a.get_text(strip=True) for run in runs] == ["Flux A en panne"]
    run = SyncRun.objects.get(feed__name="Flux A en panne")
    assert runs[0].a["href"] == reverse("sync_feeds:run", args=[run.pk])


def test_the_queue_links_open_for_an_editor(client, editor, editor_world):
    page = page_of(client, editor)

    for item in page.find_all("li", attrs={"data-queue": True}):
        assert client.get(item.a["href"]).status_code == 200, item.a["href"]


def test_an_editor_who_is_also_a_member_gets_both(client, editor, publisher_a, editor_world):
    editor.groups.add(publisher_a.group)
    page = page_of(client, editor)

    assert page.find(attrs={"data-publisher-space": str(publisher_a.pk)})
    assert page.find(id="editor-dashboard-section")


def test_a_plain_admin_user_sees_neither(client, editor_world, member_world):
    page = page_of(client, plain_admin_user())

    assert not page.find(attrs={"data-publisher-space": True})
    assert not page.find(id="editor-dashboard-section")
    assert not page.find("svg", attrs={"role": "img"})


def test_a_member_does_not_see_the_editors_dashboard(client, member_a, editor_world):
    page = page_of(client, member_a)

    assert page.find(attrs={"data-publisher-space": True})
    assert not page.find(id="editor-dashboard-section")
    assert "en attente de modération" not in page.get_text()


def editor_data(count, publishers, prefix):
    for n in range(count):
        publisher = publishers[n % len(publishers)]
        app = AppPageFactory(publisher=publisher, categories=[category("offres-emploi")])
        review_of(app, f"lecteur-{prefix}-{n}")
        make_feed(publisher, f"Flux {prefix}-{n}", (Status.FAILED, timedelta(hours=n + 1)))


def test_the_editors_dashboard_costs_the_same_queries_for_2_and_6_apps(
    client, editor, publisher_a, publisher_b
):
    submit_for_review(AppPageFactory(publisher=publisher_a, live=False, slug="soumise"))
    editor_data(2, [publisher_a], "petit")
    small = home_queries(client, editor)
    editor_data(4, [publisher_a, publisher_b], "grand")  # 6 apps, 6 feeds, 2 publishers
    large = home_queries(client, editor)

    assert small == large


def test_publisher_text_is_escaped_everywhere(client, editor, member_a, publisher_a, app_a):
    raw = "<b>gras</b>"
    make_feed(publisher_a, f"Flux {raw}", (Status.FAILED, timedelta(hours=1)))
    review_of(app_a, "piegeuse", title=f"Avis {raw}")
    editor.groups.add(publisher_a.group)
    client.force_login(editor)

    content = client.get(HOME).content.decode()

    assert raw not in content
    assert "Flux &lt;b&gt;gras&lt;/b&gt;" in content
    assert "Avis &lt;b&gt;gras&lt;/b&gt;" in content
