"""Mediators, their selections and the apps in them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from selections import services
from selections.models import Selection
from tests.factories import PASSWORD, AppListingFactory, AppPageFactory, UserFactory


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def make_mediator(username: str, organisation: str = "Mission locale de Lyon"):
    user = UserFactory(username=username)
    services.grant_mediator(user, organisation)
    return user


@pytest.fixture
def mediator(db):
    return make_mediator("nadia", "Mission locale de Lyon")


@pytest.fixture
def other_mediator(db):
    return make_mediator("karim", "France Travail Lille")


@pytest.fixture
def person(db):
    """Someone signed in without any role."""
    return UserFactory(username="camille")


@pytest.fixture
def apps(publisher_a, publisher_b):
    """Three live apps: web + iOS + Android, Android + web, web only."""

    def listings(key, platforms):
        return [
            AppListingFactory.build(platform=p, url=f"https://{key}.example.org/{p}/")
            for p in platforms
        ]

    return [
        AppPageFactory(
            publisher=publisher_a,
            title="Alpha Emploi",
            slug="alpha-emploi",
            tagline="Les offres près de chez vous",
            listings=listings("alpha", ["web", "ios", "android"]),
        ),
        AppPageFactory(
            publisher=publisher_b,
            title="Bêta Formation",
            slug="beta-formation",
            tagline="Toutes les formations financées",
            listings=listings("beta", ["android", "web"]),
        ),
        AppPageFactory(
            publisher=publisher_a,
            title="Gamma CV",
            slug="gamma-cv",
            tagline="Un CV en dix minutes",
            listings=listings("gamma", ["web"]),
        ),
    ]


@pytest.fixture
def draft(mediator, apps):
    return services.create_selection(
        mediator,
        title="Pour Léa",
        message="Bonjour Léa, voici les applications dont nous avons parlé.",
        items=[(apps[0], "Pour les offres"), (apps[1], "Pour la formation")],
    )


@pytest.fixture
def shared(mediator, apps):
    selection = services.create_selection(
        mediator,
        title="Pour Sami",
        message="Bonjour Sami.",
        items=[(apps[0], "Note A"), (apps[1], "Note B"), (apps[2], "Note C")],
    )
    return services.share(selection, 30)


def expire(selection: Selection) -> Selection:
    Selection.objects.filter(pk=selection.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    selection.refresh_from_db()
    return selection


def snapshot() -> list:
    """Every selection and item as stored: a refusal must leave this unchanged."""
    from selections.models import SavedSelection, SelectionItem

    return [
        list(Selection.objects.order_by("pk").values()),
        list(SelectionItem.objects.order_by("pk").values()),
        list(SavedSelection.objects.order_by("pk").values()),
    ]
