"""Settings of bench/api.py's gunicorn only: the project's settings, with bench/api_urls.py as
the URLconf (the store's URLs plus the bare baseline endpoint). Selected there by
DJANGO_SETTINGS_MODULE=bench.api_settings; never part of a deployment."""

from store.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
