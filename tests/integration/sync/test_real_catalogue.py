"""A real distribution's catalogue through the whole sync: Debian 12's AppStream catalog.

``scripts/appstream.sh ensure`` (a prerequisite of `make test`, as `scripts/browser.sh` is for
the browser tests) installs Debian's ``appstream`` package, whose apt hook downloads the
distribution's DEP-11 catalog with `apt-get update`, and converts it to AppStream XML with
``appstreamcli convert``: 26 MB, 2,381 components of which 1,999 applications (1,988 desktop,
10 console, 1 web), written by their own projects, with French translations. Without it this
test fails, never skips.

The issue's measure: at least 95 % of its applications import (AppStream requires an id and a
name, nothing more). Its images are on appstream.debian.org, which tests never reach
(conftest.no_outside_network): they are warnings.
"""

import pytest

from catalogue.models import AppPage
from catalogue.sync.models import SyncRun
from tests.integration.sync.conftest import ROOT, app_of, in_review

pytestmark = pytest.mark.django_db

CATALOG = ROOT / ".services" / "appstream" / "debian-bookworm-main.xml"
APPLICATIONS = 1999  # desktop-application, console-application and web-application components


@pytest.fixture
def catalog() -> bytes:
    assert CATALOG.is_file(), (
        f"{CATALOG} is missing: run scripts/appstream.sh ensure (installs Debian's appstream "
        "package and converts the distribution's catalog)."
    )
    return CATALOG.read_bytes()


def test_debian_catalogue_imports_at_least_95_percent(
    catalog, feed_server, make_feed, sync, settings
):
    # 26 MB: more than a feed may weigh by default (SYNC_FETCH_MAX_BYTES, 10 MiB).
    settings.SYNC_FETCH = {**settings.SYNC_FETCH, "MAX_BYTES": 64 * 1024 * 1024}
    feed_server.serve("/debian.xml", catalog, content_type="application/xml")
    feed = make_feed("/debian.xml", format="appstream")

    run = sync(feed)

    assert run.seen == APPLICATIONS
    assert run.created / APPLICATIONS >= 0.95, (run.created, run.errors[:5])
    assert run.status in (SyncRun.Status.DONE, SyncRun.Status.DONE_WITH_ERRORS)
    # A few in detail: GIMP in French and English, by its package, with its history.
    gimp = app_of(feed, "org.gimp.GIMP")
    assert in_review(gimp)
    draft = gimp.get_latest_revision_as_object()
    listing = draft.listings.get()
    assert (listing.platform, listing.url, listing.store_id) == (
        "linux",
        "appstream://org.gimp.GIMP",
        "gimp",
    )
    assert (draft.title, draft.title_en) == (
        "Éditeur d’image GIMP",
        "GNU Image Manipulation Program",
    )
    assert (draft.tagline, draft.tagline_en) == (
        "Créer des images et modifier des photographies",
        "Create images and edit photographs",
    )
    assert draft.licence
    assert draft.releases.count() >= 1
    assert AppPage.objects.filter(publisher=feed.publisher).count() == run.created
