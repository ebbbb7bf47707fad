"""Fixtures of the notifications' tests: tasks run in process (eagerly) when the caller's
transaction commits; people who want every kind of mail."""

import pytest

from store.celery import app as celery_app
from store.models import AccountSettings
from tests.integration.reviews.conftest import seasoned_user


@pytest.fixture(autouse=True)
def eager_tasks():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs what waits for the commit (the mails' tasks) at the block's end."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def author(db):
    """A reviewer who asked, in « Mon compte », for the mails about their reviews."""
    user = seasoned_user(username="autrice")
    AccountSettings.objects.update_or_create(
        user=user, defaults={"notify_review_reply": True, "notify_review_moderation": True}
    )
    return user
