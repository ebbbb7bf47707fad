"""A misconfigured deployment fails with one line naming the variable, not a traceback.

Each case runs manage.py in a subprocess with a crafted environment, as an operator would.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]
MANAGE = BASE_DIR / "manage.py"

# Everything the settings read; the subprocess starts from none of them.
SETTINGS_VARIABLES = (
    "DJANGO_ENV",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_INDEX_PREFIX",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "STORE_VAR_DIR",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
    "ANYMAIL_MAILGUN_API_KEY",
)


def production_env(**overrides):
    """A clean production environment, valid unless overridden (None removes a variable)."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="store.example.org",
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:63799/0",
        EMAIL_HOST="smtp.example.org",
        DEFAULT_FROM_EMAIL="Emploi Store <no-reply@store.example.org>",
        PYTHONDONTWRITEBYTECODE="1",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args, env):
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(MANAGE), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_one_line_error(result, *expected):
    assert result.returncode != 0, result.stdout + result.stderr
    lines = error_lines(result)
    assert len(lines) == 1, f"expected one line, got:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", env=production_env(SECRET_KEY=None))
    line = assert_one_line_error(result, "SECRET_KEY")
    assert line.startswith("Configuration error:")


def test_production_with_empty_secret_key_refuses_to_start():
    result = manage("check", env=production_env(SECRET_KEY=""))
    assert_one_line_error(result, "SECRET_KEY")


def test_production_refuses_debug():
    result = manage("check", env=production_env(DEBUG="1"))
    assert_one_line_error(result, "DEBUG must be off", "DJANGO_ENV=production")


def test_production_without_allowed_hosts_refuses_to_start():
    result = manage("check", env=production_env(ALLOWED_HOSTS=None))
    assert_one_line_error(result, "ALLOWED_HOSTS")


def test_production_without_redis_refuses_to_start():
    result = manage("check", env=production_env(REDIS_URL=None))
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr
    assert "CELERY_TASK_ALWAYS_EAGER=true" in result.stderr


def test_production_without_redis_starts_when_eager_tasks_are_asked_for():
    env = production_env(REDIS_URL=None, CELERY_TASK_ALWAYS_EAGER="true")
    result = manage("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"EMAIL_HOST": None}, "set EMAIL_HOST"),
        ({"EMAIL_BACKEND": "anymail.backends.mailgun.EmailBackend"}, "ANYMAIL_"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "reach nobody"),
        ({"DEFAULT_FROM_EMAIL": None}, "DEFAULT_FROM_EMAIL"),
    ],
    ids=["no-smtp-host", "anymail-without-settings", "console", "no-sender"],
)
def test_production_refuses_a_mail_configuration_that_cannot_send(overrides, expected):
    assert_one_line_error(manage("check", env=production_env(**overrides)), expected)


def test_production_sends_through_an_email_service_with_its_settings():
    env = production_env(
        EMAIL_HOST=None,
        EMAIL_BACKEND="anymail.backends.mailgun.EmailBackend",
        ANYMAIL_MAILGUN_API_KEY="key-test",
    )
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.ANYMAIL)", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "'MAILGUN_API_KEY': 'key-test'" in result.stdout


def test_unknown_django_env_is_refused():
    result = manage("check", env=production_env(DJANGO_ENV="staging"))
    assert_one_line_error(result, "DJANGO_ENV='staging'")


def test_bad_database_url_names_the_variable():
    result = manage("check", env=production_env(DATABASE_URL="notaurl://x"))
    assert_one_line_error(result, "DATABASE_URL='notaurl://x'", "not a valid database URL")


def test_bad_boolean_names_the_variable():
    result = manage("check", env=production_env(DEBUG="maybe"))
    assert_one_line_error(result, "DEBUG='maybe'", "not a boolean")


def test_unreachable_database_is_one_line_naming_database_url():
    password = "do-not-print-me"
    env = production_env(
        DJANGO_ENV="test",
        SECRET_KEY=None,
        DATABASE_URL=f"postgres://emploistore:{password}@127.0.0.1:1/emploistore",
    )
    result = manage("migrate", "--noinput", env=env)
    line = assert_one_line_error(result, "127.0.0.1:1/emploistore", "DATABASE_URL")
    assert line.startswith("Database unreachable (")
    assert password not in result.stdout + result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.redis
def test_check_services_names_redis_when_its_port_is_closed():
    env = production_env(
        DJANGO_ENV="test",
        SECRET_KEY=None,
        REDIS_URL="redis://127.0.0.1:1/0",
        ELASTICSEARCH_URL=None,
    )
    result = manage("check_services", env=env)
    assert result.returncode == 2  # degraded, as /readyz says: the database answers
    assert "degraded" in result.stderr
    output = result.stdout + result.stderr
    redis_lines = [line for line in result.stdout.splitlines() if line.startswith("redis")]
    assert len(redis_lines) == 1, output
    assert "UNREACHABLE" in redis_lines[0]
    assert "redis://127.0.0.1:1/0" in redis_lines[0]
    assert "REDIS_URL" in redis_lines[0]
    assert "unreachable: redis" in result.stderr
    # The database itself is fine: only redis is reported.
    assert "unreachable: database" not in output


def test_check_services_is_clean_when_everything_answers():
    env = production_env(
        DJANGO_ENV="test",
        SECRET_KEY=None,
        REDIS_URL=os.environ.get("REDIS_URL", ""),
        ELASTICSEARCH_URL=os.environ.get("ELASTICSEARCH_URL", ""),
    )
    if not env["REDIS_URL"] or not env["ELASTICSEARCH_URL"]:
        pytest.fail("REDIS_URL and ELASTICSEARCH_URL must be set for this suite")
    result = manage("check_services", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["database", "redis", "elasticsearch"]
    assert all(line.split()[1] == "ok" for line in lines), result.stdout
