"""Demo content of the Emploi Store: `manage.py load_demo` and `manage.py generate_catalogue`."""

import logging
from contextlib import contextmanager

from django.test.utils import override_settings


@contextmanager
def quiet():
    """No log line per page created or published, no e-mail per draft submitted."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        logger.setLevel(level)
