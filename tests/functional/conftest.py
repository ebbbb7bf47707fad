"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

- `scripts/browser.sh ensure` (run by `make test`) installs Chromium and axe-core; here a
  missing one FAILS the tests, it never skips them.
- The live server is pytest-django's (one per xdist worker, on a free port); its tests are
  transactional, with `serialized_rollback` so the page tree the migrations made survives.
- Playwright's sync API runs an event loop in the test's thread, which Django takes for an
  async context: Playwright and the browser are started per test, after the catalogue is built
  and stopped before the database is flushed (see the `playwright` fixture).
"""

import logging
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from tests.factories import (
    PASSWORD,
    AppListingFactory,
    AppPageFactory,
    AudienceFactory,
    MemberFactory,
    PublisherFactory,
    UserFactory,
    subcategory,
)

ROOT = Path(__file__).resolve().parents[2]
AXE_DEFAULT = ROOT / ".services" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000
SETUP_HINT = "run `scripts/browser.sh ensure` (what `make test` does first)"

# What every browser test module declares (re-exported: `pytestmark = BROWSER_TEST`).
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# --- The browser ---------------------------------------------------------------------------


def chromium_path() -> str:
    """CHROMIUM_PATH, else Debian's chromium on the PATH (/usr/bin/chromium)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def axe_script_path() -> Path:
    return Path(os.environ.get("AXE_CORE_JS") or AXE_DEFAULT)


@pytest.fixture
def playwright(live_url):
    """Playwright, started once the live server and its catalogue are ready.

    Its sync API keeps an asyncio loop running in this thread while it is started: Django then
    takes the thread for an async context, where the ORM refuses to run and where it hands out
    other connection objects than the test's own. So the database work of the fixtures happens
    before (``live_url`` depends on ``store``), the test itself may query with
    DJANGO_ALLOW_ASYNC_UNSAFE, and its extra connections are closed before the test database is
    flushed (after this fixture).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: make install", pytrace=False)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        connections.close_all()  # the connections opened while the loop ran
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser(playwright):
    """Headless Debian Chromium (a missing one fails the test, with how to install it)."""
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        pytest.fail(f"Chromium not found at {executable}: {SETUP_HINT}", pytrace=False)
    chromium = playwright.chromium.launch(executable_path=executable, headless=True)
    yield chromium
    chromium.close()


def new_context(browser, base_url, **options):
    context = browser.new_context(
        base_url=base_url,
        locale="fr-FR",
        **{"viewport": VIEWPORT, **options},
    )
    context.set_default_timeout(TIMEOUT_MS)
    watch_csp(context)
    return context


# --- Content-Security-Policy: every browser test runs with it, and nothing may violate it ----

CANARY = "/csp-canary.png"  # fetched from an origin the policy does not allow
# Violations that are the policy doing its job on a third party's code, each with why.
EXPECTED_VIOLATIONS = {
    # Redoc (/api/redoc/) always renders its vendor's logo from their CDN: refused on purpose
    # (the documentation loads nothing from another site), the footer link stays.
    "https://cdn.redoc.ly/redoc/logo-mini.svg",
}
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI} on ${event.documentURI}`
  );
});
"""


class CSPReports(logging.Handler):
    """The violation reports the live server received (web.csp logs each one)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.received: list[str] = []

    def emit(self, record):
        self.received.append(record.getMessage())


def watch_csp(context):
    """Violations seen in the page (the securitypolicyviolation event), recorded on the
    context; the server's reports are csp_reports' (the autouse fixture below)."""
    context.csp_violations = []
    violations = context.csp_violations
    context.expose_function("__cspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_LISTENER)


@pytest.fixture(autouse=True)
def csp_reports():
    """Every browser test ends by proving the reporting works and that nothing but its proof
    was reported: a deliberate violation (the canary) must reach the server's endpoint, and
    be the only report it received."""
    handler = CSPReports()
    logger = logging.getLogger("web.csp")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def expected(violation: str) -> bool:
    return any(f"blocked {url} " in violation for url in EXPECTED_VIOLATIONS)


def assert_no_csp_violation(page, reports: CSPReports) -> None:
    """In a page of the live server: set off the canary, wait for its report, then check it is
    the only one, and that the pages saw no violation either."""
    seen = [text for text in page.context.csp_violations if not expected(text)]
    page.evaluate(
        "(src) => { const img = new Image(); img.src = src; document.body.append(img); }",
        "http://csp-canary.invalid" + CANARY,
    )
    deadline = time.monotonic() + 15
    while not any("csp-canary.invalid" in report for report in reports.received):
        assert time.monotonic() < deadline, "the canary's CSP report never reached the server"
        page.wait_for_timeout(100)
    others = [
        report
        for report in reports.received
        if "csp-canary.invalid" not in report and not expected(report)
    ]
    assert not others, "CSP violations reported:\n" + "\n".join(others)
    assert not seen, "CSP violations in the pages:\n" + "\n".join(seen)


@pytest.fixture
def live_url(live_server, store) -> str:
    """The live server's root URL, once the catalogue is there."""
    return live_server.url


@pytest.fixture
def context(browser, live_url):
    """A desktop browser (1280×900), in French."""
    context = new_context(browser, live_url)
    yield context
    context.close()


@pytest.fixture
def page(context, csp_reports):
    """A page of the desktop browser; at the end of the test, no CSP violation."""
    page = context.new_page()
    yield page
    assert_no_csp_violation(page, csp_reports)


@pytest.fixture
def android_context(playwright, browser, live_url):
    """An Android phone: its user agent, client hints (Sec-CH-UA-Platform), touch, viewport."""
    phone = {k: v for k, v in playwright.devices["Pixel 7"].items() if k != "default_browser_type"}
    context = new_context(browser, live_url, **phone)
    yield context
    context.close()


@pytest.fixture
def android_page(android_context, csp_reports):
    page = android_context.new_page()
    yield page
    if page.url.startswith("http"):
        assert_no_csp_violation(page, csp_reports)


# --- axe-core ------------------------------------------------------------------------------


def axe(page, *, context=None) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page."""
    script = axe_script_path()
    if not script.is_file():
        pytest.fail(f"axe-core not found at {script}: {SETUP_HINT}", pytrace=False)
    # evaluate (not a <script> tag): a Content-Security-Policy cannot block it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(script.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async ([context, options]) => await axe.run(context || document, options)",
        [context, {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}],
    )
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """A readable report: rule, impact, help, and the first elements concerned."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_no_serious_violations(page, label: str) -> None:
    violations = axe(page)
    assert not violations, (
        f"axe-core: serious or critical WCAG 2.1 AA violations on {label} ({page.url}):\n"
        + describe_violations(violations)
    )


# --- Helpers shared by the tests ------------------------------------------------------------

COUNT = re.compile(r"(\d[\d\u00a0\u202f ]*)\s+(?:applications?|résultats?)\b", re.IGNORECASE)


def result_count(page) -> int:
    """The number of results the search page announces ("12 applications", "3 résultats"):
    in a heading if one says it, else the first such words in <main>."""
    main = page.locator("main").first
    headings = main.get_by_role("heading", name=COUNT)
    text = headings.first.inner_text() if headings.count() else main.inner_text()
    found = COUNT.search(text)
    assert found, f"no result count ('N applications') on {page.url}"
    return int(re.sub(r"\D", "", found.group(1)))


def facet_labels(page) -> list[str]:
    """The accessible names of every facet checkbox (values with their counts), in order."""
    boxes = page.locator("main").get_by_role("checkbox")
    return [
        " ".join((boxes.nth(i).get_attribute("aria-label") or label_of(page, boxes.nth(i))).split())
        for i in range(boxes.count())
    ]


def label_of(page, checkbox) -> str:
    box_id = checkbox.get_attribute("id")
    if not box_id:
        return ""
    return page.locator(f"label[for='{box_id}']").first.inner_text()


SIGN_IN_IDENTIFIER = re.compile(
    r"^\s*(identifiant|nom d.utilisateur|adresse (e-mail|électronique)|e-mail)", re.IGNORECASE
)
SIGN_IN_PASSWORD = re.compile(r"^\s*mot de passe", re.IGNORECASE)


def apply_filters(page, expected: str) -> None:
    """After ticking a facet: the page applies it by itself (JavaScript), or the visitor
    presses the apply button (without JavaScript); either way the URL ends up holding it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_url(re.compile(re.escape(expected)), timeout=3_000)
    except PlaywrightTimeout:
        page.locator("main").get_by_role(
            "button", name=re.compile(r"Appliquer", re.IGNORECASE)
        ).first.click()
        page.wait_for_url(re.compile(re.escape(expected)))
    page.wait_for_load_state()


def fill_sign_in_form(page, username: str, password: str) -> None:
    """The sign-in form: the identifier and password fields by their labels, then submit."""
    main = page.locator("main")
    main.get_by_role("textbox", name=SIGN_IN_IDENTIFIER).first.fill(username)
    main.get_by_label(SIGN_IN_PASSWORD).first.fill(password)
    main.get_by_role("button", name=re.compile(r"^\s*se connecter", re.IGNORECASE)).click()
    page.wait_for_load_state()


def sign_in(page, username: str, password: str = PASSWORD, next_url: str = "") -> None:
    """Sign in through the public form at /compte/connexion/."""
    page.goto("/compte/connexion/" + (f"?next={next_url}" if next_url else ""))
    fill_sign_in_form(page, username, password)
    assert "/compte/connexion/" not in page.url, f"sign-in failed for {username} ({page.url})"


# --- The catalogue the browser sees ----------------------------------------------------------


@dataclass
class Store:
    apps: dict = field(default_factory=dict)
    urls: dict = field(default_factory=dict)  # the apps' paths, by key
    visitor: object = None  # a seasoned account: its reviews are published at once
    member: object = None  # a member of the verified publisher (the admin's publisher space)


def seasoned_user(**kwargs):
    user = UserFactory(**kwargs)
    user.date_joined = timezone.now() - timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


APPS = [
    # key, title, platforms, sub-category, publisher key
    ("formation", "Formation Express", ["web", "ios", "android"], "trouver-une-formation", "nord"),
    ("metiers", "Métiers en Vue", ["web", "ios"], "decouvrir-les-metiers", "nord"),
    ("cv", "CV Facile", ["web"], "cv-et-lettre", "sud"),
    ("offres", "Offres Locales", ["android"], "offres-emploi", "sud"),
    ("entreprise", "Entreprendre Pas à Pas", ["android", "web"], "construire-son-projet", "nord"),
    ("international", "Mobilité Europe", ["ios"], "travailler-a-l-etranger", "sud"),
]


@pytest.fixture
def store(transactional_db, settings):
    """Six apps of two publishers (one verified) on web / iOS / Android, a few reviews,
    a visitor and a publisher member; searched by the database backend, tasks in process."""
    from reviews.services import submit_review
    from search.backends import get_backend
    from store.celery import app as celery_app

    settings.SEARCH_BACKEND = "database"
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        publishers = {
            "nord": PublisherFactory(name="Atelier Nord", slug="atelier-nord", verified=True),
            "sud": PublisherFactory(name="Coopérative Sud", slug="cooperative-sud"),
        }
        employers = AudienceFactory(slug="employers")
        store = Store()
        for key, title, platforms, category, publisher in APPS:
            store.apps[key] = AppPageFactory(
                publisher=publishers[publisher],
                title=title,
                slug=key,
                tagline=f"{title} : l'accroche",
                listings=[
                    AppListingFactory.build(
                        platform=platform,
                        url=f"https://{key}.example.org/{platform}/",
                        version="2.1",
                    )
                    for platform in platforms
                ],
                categories=[subcategory(category)],
                audiences=[AudienceFactory(slug="jobseekers")]
                + ([employers] if key in ("cv", "entreprise") else []),
            )
        reviewers = [seasoned_user(username=f"lecteur{n}", first_name="Dominique") for n in (1, 2)]
        for reviewer, rating in zip(reviewers, (5, 4), strict=True):
            submit_review(
                store.apps["metiers"],
                reviewer,
                rating=rating,
                title="Très utile",
                body="Clair et bien fait.",
            )
        store.visitor = seasoned_user(username="camille", first_name="Camille")
        store.member = MemberFactory(username="membre-nord", publisher=publishers["nord"])
        store.urls = {key: app.url for key, app in store.apps.items()}
        get_backend().rebuild()
        yield store
    finally:
        celery_app.conf.task_always_eager = previous_eager
