"""Typed readers for settings that come from the environment.

Every error names the variable, so a misconfigured deployment fails with one clear line.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, schemes: set[str], default: str | None = None) -> str | None:
    """A URL whose scheme and host are checked now rather than at first use."""
    value = env_str(name, default)
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.hostname or parts.path):
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(
            f"{name}={redact_url(value)!r} is not a valid URL (expected scheme: {allowed})."
        )
    return value


def database_from_env(name: str, default: str) -> dict:
    value = env_str(name, default) or default
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"{name}={redact_url(value)!r} is not a valid database URL: {error}"
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name}={redact_url(value)!r} names no database engine.")
    if config["ENGINE"].endswith("sqlite3"):
        # A shared SQLite file with the demo's eager Celery tasks and runserver threads.
        config.pop("CONN_MAX_AGE", None)
        config.pop("CONN_HEALTH_CHECKS", None)
    return config


def redact_url(url: str) -> str:
    """The URL with its password masked, for error messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url
