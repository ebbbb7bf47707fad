"""Atom feeds of new and updated apps, site-wide and per universe, linked from the pages."""

from xml.etree import ElementTree as ET

import pytest

from tests.factories import AppPageFactory, PublisherFactory, subcategory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[str]:
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_new_apps_site_wide_and_per_universe(client):
    publisher = PublisherFactory()
    AppPageFactory(publisher=publisher, title="Formation A", categories=[subcategory()])
    AppPageFactory(publisher=publisher, title="Emploi B", categories=[subcategory("offres-emploi")])
    AppPageFactory(publisher=publisher, title="Brouillon C", live=False)

    everything = client.get("/flux/applications/nouvelles.atom")
    training = client.get("/flux/univers/se-former/nouvelles.atom")
    updated = client.get("/flux/applications/mises-a-jour.atom")

    assert everything.status_code == 200
    assert everything["Content-Type"].startswith("application/atom+xml")
    assert sorted(entries(everything)) == ["Emploi B", "Formation A"]  # never a draft
    assert entries(training) == ["Formation A"]
    assert sorted(entries(updated)) == ["Emploi B", "Formation A"]
    assert client.get("/flux/univers/inconnu/nouvelles.atom").status_code == 404
    # A sub-category is not a universe.
    assert client.get("/flux/univers/trouver-une-formation/nouvelles.atom").status_code == 404


def test_english_titles_in_english(client):
    AppPageFactory(publisher=PublisherFactory(), title="Atelier CV", title_en="Resume Workshop")

    response = client.get("/flux/applications/nouvelles.atom", HTTP_ACCEPT_LANGUAGE="en")

    assert entries(response) == ["Resume Workshop"]


def test_pages_link_to_their_feeds(client):
    home = client.get("/").content.decode()
    universe = client.get("/applications/categorie/se-former/").content.decode()

    assert 'type="application/atom+xml" href="/flux/applications/nouvelles.atom"' in home
    assert 'href="/flux/univers/se-former/mises-a-jour.atom"' in universe
