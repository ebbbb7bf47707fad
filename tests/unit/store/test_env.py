"""store.env: typed readers of environment variables; every error names its variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from store.env import (
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
    redact_url,
)

VARIABLE = "EMPLOISTORE_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def unset_variable(monkeypatch):
    monkeypatch.delenv(VARIABLE, raising=False)


def test_env_str_returns_default_when_unset():
    assert env_str(VARIABLE) is None
    assert env_str(VARIABLE, "fallback") == "fallback"


def test_env_str_strips_whitespace_and_keeps_empty_value(monkeypatch):
    monkeypatch.setenv(VARIABLE, "  valeur  ")
    assert env_str(VARIABLE, "fallback") == "valeur"
    monkeypatch.setenv(VARIABLE, "")
    assert env_str(VARIABLE, "fallback") == ""


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "yes", "on", " On "])
def test_env_bool_true_words(monkeypatch, word):
    monkeypatch.setenv(VARIABLE, word)
    assert env_bool(VARIABLE, default=False) is True


@pytest.mark.parametrize("word", ["0", "false", "False", "no", "off", ""])
def test_env_bool_false_words(monkeypatch, word):
    monkeypatch.setenv(VARIABLE, word)
    assert env_bool(VARIABLE, default=True) is False


def test_env_bool_default_when_unset():
    assert env_bool(VARIABLE, default=True) is True
    assert env_bool(VARIABLE) is False


def test_env_bool_refuses_other_words_and_names_the_variable(monkeypatch):
    monkeypatch.setenv(VARIABLE, "peut-être")
    with pytest.raises(ImproperlyConfigured, match=VARIABLE):
        env_bool(VARIABLE)


def test_env_int_parses_and_defaults(monkeypatch):
    assert env_int(VARIABLE, 7) == 7
    monkeypatch.setenv(VARIABLE, " 42 ")
    assert env_int(VARIABLE, 7) == 42
    monkeypatch.setenv(VARIABLE, "   ")
    assert env_int(VARIABLE, 7) == 7


def test_env_int_refuses_non_integer_and_names_the_variable(monkeypatch):
    monkeypatch.setenv(VARIABLE, "douze")
    with pytest.raises(ImproperlyConfigured, match=f"{VARIABLE}='douze' is not an integer"):
        env_int(VARIABLE, 0)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    assert env_list(VARIABLE, ["default"]) == ["default"]
    monkeypatch.setenv(VARIABLE, " store.example.org, ,www.example.org ,")
    assert env_list(VARIABLE, []) == ["store.example.org", "www.example.org"]
    monkeypatch.setenv(VARIABLE, "")
    assert env_list(VARIABLE, ["default"]) == []


def test_env_url_accepts_allowed_scheme(monkeypatch):
    monkeypatch.setenv(VARIABLE, "redis://127.0.0.1:6379/0")
    assert env_url(VARIABLE, {"redis"}) == "redis://127.0.0.1:6379/0"


def test_env_url_unset_or_empty_is_none(monkeypatch):
    assert env_url(VARIABLE, {"http"}) is None
    monkeypatch.setenv(VARIABLE, "")
    assert env_url(VARIABLE, {"http"}, "http://default.example.org") is None


def test_env_url_uses_default_when_unset():
    assert env_url(VARIABLE, {"http"}, "http://default.example.org") == (
        "http://default.example.org"
    )


@pytest.mark.parametrize("value", ["ftp://example.org", "example.org", "http://"])
def test_env_url_refuses_bad_urls_and_names_the_variable(monkeypatch, value):
    monkeypatch.setenv(VARIABLE, value)
    with pytest.raises(ImproperlyConfigured, match=f"{VARIABLE}=.*expected scheme: http, https"):
        env_url(VARIABLE, {"http", "https"})


def test_env_url_error_masks_the_password(monkeypatch):
    monkeypatch.setenv(VARIABLE, "ftp://user:s3cr3t@example.org/")
    with pytest.raises(ImproperlyConfigured) as error:
        env_url(VARIABLE, {"http"})
    assert "s3cr3t" not in str(error.value)
    assert "user:***@example.org" in str(error.value)


def test_database_from_env_reads_postgres_url(monkeypatch):
    monkeypatch.setenv(VARIABLE, "postgres://store:pw@db.example.org:5433/catalogue")
    config = database_from_env(VARIABLE, "sqlite:///default.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.org", 5433, "catalogue")
    assert config["USER"] == "store"
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_database_from_env_sqlite_default_has_no_persistent_connections():
    config = database_from_env(VARIABLE, "sqlite:////srv/emploistore/test.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/emploistore/test.sqlite3"
    assert "CONN_MAX_AGE" not in config
    assert "CONN_HEALTH_CHECKS" not in config


def test_database_from_env_empty_value_falls_back_to_default(monkeypatch):
    monkeypatch.setenv(VARIABLE, "")
    config = database_from_env(VARIABLE, "sqlite:////srv/emploistore/fallback.sqlite3")
    assert config["NAME"] == "/srv/emploistore/fallback.sqlite3"


def test_database_from_env_unknown_scheme_names_the_variable(monkeypatch):
    monkeypatch.setenv(VARIABLE, "notaurl://x")
    with pytest.raises(ImproperlyConfigured, match=f"{VARIABLE}='notaurl://x' is not a valid"):
        database_from_env(VARIABLE, "sqlite://")


def test_database_from_env_error_masks_the_password(monkeypatch):
    monkeypatch.setenv(VARIABLE, "notaurl://user:s3cr3t@host/x")
    with pytest.raises(ImproperlyConfigured) as error:
        database_from_env(VARIABLE, "sqlite://")
    assert "s3cr3t" not in str(error.value)


def test_redact_url_masks_only_the_password():
    assert redact_url("postgres://store:pw@db:5432/x") == "postgres://store:***@db:5432/x"
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert redact_url("redis://:only-password@cache:6379/0") == "redis://:***@cache:6379/0"
