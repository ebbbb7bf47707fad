"""Attack tests (issue 13): each tries what an attacker would, asserts the attempt fails and
that the data is as it was."""

import pytest


@pytest.fixture
def rates(settings):
    """rates(scope="N/period", …): throttle rates for this test (read at each request)."""

    def override(**scopes):
        merged = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}

    return override
