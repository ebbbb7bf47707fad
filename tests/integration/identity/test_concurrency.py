"""The same first sign-in twice at once (two tabs, a double click): one account, no error."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from identity import services
from identity.models import LinkedIdentity
from identity.oidc import Identity

IDENTITY = Identity(
    provider="franceconnect",
    subject="twice-at-once",
    email="twice@example.org",
    given_name="Deux",
    family_name="Fois",
    siret="",
    id_token="",
)


# serialized_rollback: the page tree the migrations made is there again for the next tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_first_sign_ins_make_one_account():
    barrier = threading.Barrier(4)
    users, errors = [], []

    def first_sign_in():
        try:
            barrier.wait()
            users.append(services.sign_in(IDENTITY).user.pk)
        except Exception as error:  # any error is the failure the test looks for
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_sign_in) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(users)) == 1
    assert get_user_model().objects.filter(email="twice@example.org").count() == 1
    assert LinkedIdentity.objects.filter(subject="twice-at-once").count() == 1
