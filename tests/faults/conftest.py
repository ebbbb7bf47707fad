import pytest
from django.db import connections
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the rows the migrations made once a faults test's flush has taken them.

    Django restores them at the start of the next serialized-rollback test only, which is
    enough while transactional tests run last. xdist does not keep that order here: the faults
    group, its largest unit of work, goes first, and the tests after it on that worker expect
    the site, the page tree and the reference data."""
    result = yield
    connection = connections["default"]
    if item.get_closest_marker("faults") and hasattr(connection, "_test_serialized_contents"):
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    return result
