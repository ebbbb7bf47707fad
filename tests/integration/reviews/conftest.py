"""Shared fixtures of the reviews tests: authors old enough to pass the account-age rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory


def seasoned_user(**kwargs):
    """A user whose account is a month old (the moderation policy holds newer ones)."""
    user = UserFactory(**kwargs)
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def author(db):
    return seasoned_user(username="autrice")


@pytest.fixture
def other_user(db):
    return seasoned_user(username="visiteur")
