"""Settings of the Emploi Store, read from the environment in this one module.

DJANGO_ENV picks the profile: ``production`` (the default: nothing insecure is assumed),
``development`` (``make demo``) or ``test`` (``make test``). See README.md for every variable.
"""

import os
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from store.env import (
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("STORE_VAR_DIR") or BASE_DIR / "var")

ENVIRONMENTS = ("production", "development", "test")
ENVIRONMENT = env_str("DJANGO_ENV", "production")
if ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={ENVIRONMENT!r} is unknown (expected one of: {', '.join(ENVIRONMENTS)})."
    )
IS_PRODUCTION = ENVIRONMENT == "production"
IS_TEST = ENVIRONMENT == "test"

DEBUG = env_bool("DEBUG", ENVIRONMENT == "development")
if DEBUG and IS_PRODUCTION:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

# No default secret in production: refuse to start rather than sign sessions with a known key.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: production refuses to start without one "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = f"insecure-{ENVIRONMENT}-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost"])
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SITE_URL = env_url("SITE_URL", {"http", "https"}, "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "store",
    "cms",
    "catalogue",
    "catalogue.sync",
    "catalogue.stats",
    "catalogue.notifications",
    "reviews",
    "search",
    "selections",
    "onboarding",
    "identity",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_celery_beat",
    # The French State design system (DSFR): its static files and component templates.
    "dsfr",
    "widget_tweaks",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "web.csp.ScopedCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "store.urls"
WSGI_APPLICATION = "store.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "store" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "store.context_processors.store",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite in var/ by default (the embedded demo), PostgreSQL in tests and production.
DATABASES = {"default": database_from_env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery broker and cache. Without it Celery runs tasks eagerly, in process.
REDIS_URL = env_url("REDIS_URL", {"redis", "rediss", "unix"})
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Results only for tasks that ask for them (ignore_result=False), kept an hour.
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
if IS_PRODUCTION and REDIS_URL is None and "CELERY_TASK_ALWAYS_EAGER" not in os.environ:
    # Without a broker, tasks (feed syncs, indexing) would run inside web requests, beat would
    # not run and each worker would keep its own cache: only on purpose.
    raise ImproperlyConfigured(
        "REDIS_URL is not set: production needs Redis (Celery broker and shared cache). "
        "To run tasks in the web processes anyway, set CELERY_TASK_ALWAYS_EAGER=true."
    )
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queue of every task; a test run may isolate its own worker with another name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# Beat only ticks; each feed's own schedule (Feed.interval_hours, editable in the admin)
# decides whether that tick syncs it.
CELERY_BEAT_SCHEDULE = {
    "sync-due-feeds": {
        "task": "catalogue.enqueue_due_feeds",
        "schedule": env_int("SYNC_BEAT_SECONDS", 300),
    },
    # The search outbox is drained after each commit; this catches up after an outage.
    "drain-index-changes": {
        "task": "search.drain_index_changes",
        "schedule": env_int("SEARCH_DRAIN_SECONDS", 30),
    },
    # The safety net behind the outbox: repairs (and logs) any drift of the indexes.
    "reconcile-index": {
        "task": "search.reconcile_index",
        "schedule": env_int("SEARCH_RECONCILE_SECONDS", 900),
    },
    # Tokens of selection links that stopped working a year ago are cleared (selections.tasks).
    "forget-old-selection-tokens": {"task": "selections.forget_old_tokens", "schedule": 86_400},
    # Votes and reports held back (new accounts, over the daily budget) count once due.
    "qualify-review-signals": {
        "task": "reviews.qualify_signals",
        "schedule": env_int("REVIEWS_QUALIFY_SECONDS", 300),
    },
    # The counters aggregated in Redis go to the database (catalogue.stats.flush).
    "flush-stats-counters": {
        "task": "stats.flush_counters",
        "schedule": env_int("STATS_FLUSH_SECONDS", 300),
    },
    "snapshot-ratings": {"task": "stats.snapshot_ratings", "schedule": crontab(hour=23, minute=50)},
    # Notifications grouped in digests (catalogue.notifications.tasks).
    "notification-digests-hourly": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=5),
        "args": ["hourly"],
    },
    "notification-digests-daily": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=8, minute=0),
        "args": ["daily"],
    },
    "notification-weekly-figures": {
        "task": "notifications.send_weekly_figures",
        "schedule": crontab(day_of_week="mon", hour=8, minute=30),
    },
    # API tokens unused past API_TOKEN_INACTIVITY_DAYS (they already fail) are deleted.
    "forget-expired-api-tokens": {"task": "identity.forget_expired_tokens", "schedule": 86_400},
}
CELERY_TIMEZONE = "Europe/Paris"

# The cache is Redis's, and fails open (web.cache): when Redis is away, each process falls
# back on its own memory for a while rather than failing. Tests use memory, unless a test
# server asks for Redis (CACHE_ON_REDIS, the fault suite).
CACHE_ON_REDIS = env_bool("CACHE_ON_REDIS", bool(REDIS_URL) and not IS_TEST)
CACHE_TIMEOUT_SECONDS = float(env_str("CACHE_TIMEOUT_SECONDS", "0.5"))
CACHES = {
    "default": (
        {
            "BACKEND": "web.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            # A stopped or frozen Redis is given up on fast: the page goes on without it.
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
            },
        }
        if CACHE_ON_REDIS and REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Search: Elasticsearch when ELASTICSEARCH_URL is set, the database otherwise.
ELASTICSEARCH_URL = env_url("ELASTICSEARCH_URL", {"http", "https"})
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "emploistore")
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"
# A search waits this long for Elasticsearch (no retry on the request path), then is answered
# from the database backend; after a failure, the engine is left alone this long (per process).
SEARCH_TIMEOUT_SECONDS = float(env_str("SEARCH_TIMEOUT_SECONDS", "2"))
# Off in tests, so that a test of Elasticsearch fails (never passes on the database's answers)
# when the node is missing; the tests of the fallback turn it on.
SEARCH_FALLBACK = env_bool("SEARCH_FALLBACK", not IS_TEST)
SEARCH_BREAKER_SECONDS = env_int("SEARCH_BREAKER_SECONDS", 15)
# The editors' search in the Wagtail admin follows the same choice, with French analysis
# (Wagtail's default, the standard analyser, keeps « d'indemnisation » as one word).
FRENCH_ELISION = {
    "type": "elision",
    "articles_case": True,
    "articles": ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "lorsqu", "puisqu"],
}
WAGTAIL_FRENCH_ANALYSIS = {
    "filter": {
        "french_elision": FRENCH_ELISION,
        "french_light_stem": {"type": "stemmer", "language": "light_french"},
    },
    "analyzer": {
        "default": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["french_elision", "lowercase", "asciifolding", "french_light_stem"],
        },
        "edgengram_analyzer": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["french_elision", "asciifolding", "lowercase", "edgengram"],
        },
    },
}
WAGTAILSEARCH_BACKENDS = {
    "default": (
        {
            "BACKEND": "search.admin_search",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{ELASTICSEARCH_INDEX_PREFIX}-admin-",
            # Its index is updated as pages are saved: a node that hangs costs a save 2 s at
            # most (no retry), and then nothing for a while (search.admin_search's breaker).
            # Changes made while it is away reach it with `manage.py update_index`.
            "TIMEOUT": 2,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            "INDEX_SETTINGS": {"settings": {"analysis": WAGTAIL_FRENCH_ANALYSIS}},
        }
        if ELASTICSEARCH_URL
        else {"BACKEND": "wagtail.search.backends.database"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if IS_TEST:
    # Hashing cost is not what the tests measure.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A new account confirms its e-mail address by a signed link (store.verification), valid this
# many days; until then it may sign in, not review nor report.
EMAIL_VERIFICATION_DAYS = env_int("EMAIL_VERIFICATION_DAYS", 3)

# The public sign-in; the Wagtail admin keeps its own (WAGTAILADMIN_LOGIN_URL).
LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/compte/connexion/"

# Review moderation defaults; editors may override them in the admin (Paramètres → Modération
# des avis). A review is held as pending when one of these rules matches.
REVIEWS = {
    "MIN_ACCOUNT_AGE_HOURS": env_int("REVIEWS_MIN_ACCOUNT_AGE_HOURS", 24),
    "MAX_REVIEWS_PER_HOUR": env_int("REVIEWS_MAX_PER_HOUR", 5),
    "REPORTS_TO_HIDE": env_int("REVIEWS_REPORTS_TO_HIDE", 3),
    "BLOCKED_WORDS": env_list("REVIEWS_BLOCKED_WORDS", []),
    # Helpful votes and reports count only from accounts older than MIN_ACCOUNT_AGE_HOURS, and
    # this many per person per day; the others are recorded and count later (beat's task).
    "VOTES_PER_DAY": env_int("REVIEWS_VOTES_PER_DAY", 20),
    "REPORTS_PER_DAY": env_int("REVIEWS_REPORTS_PER_DAY", 5),
}

# Mediators' selections (selections/): how long a shared link works unless the mediator picks
# another duration, and the longest they may pick (days).
SELECTIONS = {
    "LINK_DAYS": env_int("SELECTIONS_LINK_DAYS", 90),
    "LINK_MAX_DAYS": env_int("SELECTIONS_LINK_MAX_DAYS", 365),
}

# Publishers' onboarding (onboarding/): how long an invitation to a publisher's team works.
ONBOARDING_INVITATION_DAYS = env_int("ONBOARDING_INVITATION_DAYS", 7)


# Sign-in with OpenID Connect (identity/): FranceConnect for the public, ProConnect for agents
# and professionals. A provider exists for the site only when its issuer and client id are set.
def oidc_provider_from_env(
    prefix: str, scopes: str, acr_values: str, token_auth_method: str
) -> dict | None:
    issuer = env_url(f"{prefix}_ISSUER", {"https", "http"})
    client_id = env_str(f"{prefix}_CLIENT_ID")
    if not issuer or not client_id:
        return None
    return {
        "issuer": issuer,
        "client_id": client_id,
        "client_secret": env_str(f"{prefix}_CLIENT_SECRET", ""),
        "scopes": env_str(f"{prefix}_SCOPES", scopes),
        "acr_values": env_str(f"{prefix}_ACR_VALUES", acr_values),
        # The mobile apps' redirect URIs that POST /api/v1/auth/oidc/ accepts.
        "mobile_redirect_uris": env_list(f"{prefix}_MOBILE_REDIRECT_URIS", []),
        # client_secret_post or client_secret_basic, as the provider registered the client.
        "token_auth_method": env_str(f"{prefix}_TOKEN_AUTH_METHOD", token_auth_method),
        # Its addresses count as confirmed (no link of ours) unless a token says email_verified
        # false: FranceConnect's and ProConnect's identity providers verify them.
        "trusts_email": env_bool(f"{prefix}_TRUSTS_EMAIL", True),
    }


OIDC_PROVIDERS = {
    name: provider
    for name, provider in {
        "franceconnect": oidc_provider_from_env(
            "FRANCECONNECT",
            "openid given_name family_name email",
            "eidas1",
            "client_secret_post",
        ),
        "proconnect": oidc_provider_from_env(
            "PROCONNECT",
            "openid email given_name usual_name siret",
            "",
            "client_secret_basic",
        ),
    }.items()
    if provider
}
# Calls to the providers (discovery, keys, token, userinfo) are bounded in time and size.
OIDC_HTTP_TIMEOUT_SECONDS = float(env_str("OIDC_HTTP_TIMEOUT_SECONDS", "5"))
OIDC_MAX_RESPONSE_BYTES = env_int("OIDC_MAX_RESPONSE_BYTES", 512 * 1024)
# An API token unused this long stops working (identity.tokens).
API_TOKEN_INACTIVITY_DAYS = env_int("API_TOKEN_INACTIVITY_DAYS", 90)

# French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Emploi Store"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "csv", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
# No avatars from Gravatar: the admin would send a hash of each user's address to a third
# party (and its Content-Security-Policy allows no image from elsewhere).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_WORKFLOW_ENABLED = True

# Client identity for every rate limit (web.throttles): how many reverse proxies of ours stand
# in front of the app and append to X-Forwarded-For. 0: the socket's address, the header is
# ignored (a client could write anything in it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} must be 0 or more.")

# The API (/api/v1/): token authentication for mobile clients, the session for the web site.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # One hashed token per device (identity.tokens); DRF's authtoken is kept only for the
        # migration that hashed its tokens into it.
        "identity.authentication.DeviceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "web.problems.exception_handler",
    # One implementation for the API and the site's forms (web.throttles): one atomic round
    # trip to Redis per check, the client as our own proxies saw it.
    "DEFAULT_THROTTLE_CLASSES": [
        "web.throttles.AnonRateThrottle",
        "web.throttles.UserRateThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
        # POST /api/v1/auth/token/ on top of the above: password guessing gets little room.
        "auth": env_str("API_THROTTLE_AUTH", "20/minute"),
        # Sign-in attempts on one account, whatever the address (token, site, admin).
        "auth_account": env_str("API_THROTTLE_AUTH_ACCOUNT", "10/hour"),
        # The site's OpenID sign-ins started or returning, per address (each calls the provider).
        "oidc_sign_in": env_str("API_THROTTLE_OIDC_SIGN_IN", "30/minute"),
        # E-mails sent on request to one address (password reset, sign-up, confirmation).
        "mail_address": env_str("API_THROTTLE_MAIL_ADDRESS", "3/hour"),
        # Writes on reviews, on top of the above (per user): room for people, not for floods.
        "review_post": env_str("API_THROTTLE_REVIEW_POST", "20/hour"),
        "review_vote": env_str("API_THROTTLE_REVIEW_VOTE", "120/hour"),
        "review_report": env_str("API_THROTTLE_REVIEW_REPORT", "30/hour"),
        # A mediator's writes on selections, site and API together.
        "selection_write": env_str("API_THROTTLE_SELECTION_WRITE", "300/hour"),
        # Publisher applications and invitations, site and API together.
        "publisher_apply": env_str("API_THROTTLE_PUBLISHER_APPLY", "10/hour"),
        "publisher_invite": env_str("API_THROTTLE_PUBLISHER_INVITE", "50/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Emploi Store API",
    "DESCRIPTION": "Le catalogue des services numériques pour l'emploi, pour les applications "
    "mobiles et les partenaires.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # A choice set whose field name another component uses too (onboarding's "kind"): named
    # here, else drf-spectacular warns (manage.py check) and hashes the name.
    "ENUM_NAME_OVERRIDES": {
        "PublisherApplicationKindEnum": "onboarding.models.Application.Kind",
    },
    # The public API only: not Wagtail's admin API (/admin/api/).
    "PREPROCESSING_HOOKS": ["store.api.schema.public_api_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "store.api.schema.document_errors",
    ],
    # Swagger UI and Redoc from the installed drf-spectacular-sidecar: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"

# Outside production, e-mails (password reset links) are printed on the console unless an SMTP
# server is given (EMAIL_HOST); EMAIL_BACKEND, when set, always wins.
EMAIL_HOST = env_str("EMAIL_HOST") or ""
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION or EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST_SET = bool(EMAIL_HOST)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# An e-mail service through django-anymail: EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend
# and its settings as ANYMAIL_<NAME> variables (ANYMAIL_MAILGUN_API_KEY → ANYMAIL's
# MAILGUN_API_KEY), read here and never given a default.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}
# Where the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend)
# writes its mails: a test's worker process, or someone reading the demo's mails as files.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mails"))
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Emploi Store <no-reply@localhost>")
if IS_PRODUCTION:
    # Mails reach people (notifications, password resets): a configuration that cannot send
    # them is refused at start-up, with what to set.
    if EMAIL_BACKEND.startswith("anymail.") and not ANYMAIL:
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND is {EMAIL_BACKEND} but no ANYMAIL_* variable is set "
            "(e.g. ANYMAIL_MAILGUN_API_KEY): the e-mail service would refuse every mail."
        )
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend" and not EMAIL_HOST_SET:
        raise ImproperlyConfigured(
            "Production sends mail: set EMAIL_HOST (SMTP server, with EMAIL_PORT, "
            "EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) or "
            "EMAIL_BACKEND=anymail.backends.<service>.EmailBackend with its ANYMAIL_* settings."
        )
    if EMAIL_BACKEND.rsplit(".", 2)[-2] in ("console", "locmem", "dummy", "filebased"):
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND is {EMAIL_BACKEND}: production mails would reach nobody."
        )
    if DEFAULT_FROM_EMAIL.rstrip(">").endswith("@localhost"):
        raise ImproperlyConfigured(
            "DEFAULT_FROM_EMAIL is not set: give the address the store's mails come from."
        )

# Content-Security-Policy (django-csp, web.csp): the public site runs no inline script or style
# (JSON-LD carries the request's nonce), is never framed, and browsers report violations to
# CONTENT_SECURITY_POLICY_REPORT_PATH, which logs them (logger web.csp). The admin keeps what
# Wagtail needs (CONTENT_SECURITY_POLICY_SCOPES).
CONTENT_SECURITY_POLICY_REPORT_PATH = "/csp-report/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": [CONTENT_SECURITY_POLICY_REPORT_PATH],
    }
}
CONTENT_SECURITY_POLICY_SCOPES = {
    # Wagtail's admin: its inline scripts and styles, image previews (blob:), page previews
    # in a frame of its own.
    "/admin/": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "report-uri": [CONTENT_SECURITY_POLICY_REPORT_PATH],
    },
    # The API's documentation: Swagger UI and Redoc inject their own styles (scripts stay
    # files of this site).
    "/api/docs/": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": [CONTENT_SECURITY_POLICY_REPORT_PATH],
    },
}
CONTENT_SECURITY_POLICY_SCOPES["/api/redoc/"] = CONTENT_SECURITY_POLICY_SCOPES["/api/docs/"]

# Production hardening; `manage.py check --deploy` is clean with these.
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    SILENCED_SYSTEM_CHECKS = [
        # HSTS preload is an operator's decision, made per domain.
        "security.W021",
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "elastic_transport": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Publisher feed sync: limits of the outbound fetch (catalogue/sync/fetch.py). A feed URL is typed
# by a publisher, so private, loopback and link-local addresses are refused unless allowed here
# (no requests into the internal network); local profiles (demo, tests) allow them for 127.0.0.1.
SYNC_FETCH = {
    "TIMEOUT": env_int("SYNC_FETCH_TIMEOUT", 20),  # seconds: each operation and the whole fetch
    "MAX_BYTES": env_int("SYNC_FETCH_MAX_BYTES", 10 * 1024 * 1024),
    "MAX_REDIRECTS": env_int("SYNC_FETCH_MAX_REDIRECTS", 3),
    # Local runs (demo, tests) read feeds served on this machine; production never by default.
    "ALLOW_PRIVATE_ADDRESSES": env_bool("SYNC_ALLOW_PRIVATE_ADDRESSES", not IS_PRODUCTION),
    "USER_AGENT": f"EmploiStoreSync/1.0 (+{SITE_URL})",
}
for _variable, _key, _minimum in (
    ("SYNC_FETCH_TIMEOUT", "TIMEOUT", 1),
    ("SYNC_FETCH_MAX_BYTES", "MAX_BYTES", 1),
    ("SYNC_FETCH_MAX_REDIRECTS", "MAX_REDIRECTS", 0),
):
    if SYNC_FETCH[_key] < _minimum:
        raise ImproperlyConfigured(f"{_variable}={SYNC_FETCH[_key]} must be at least {_minimum}.")
# Icons and screenshots from feeds: their own, smaller cap.
SYNC_IMAGE_MAX_BYTES = env_int("SYNC_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
# An app missing from its feed is archived (unpublished, never deleted) after this many days.
SYNC_ARCHIVE_GRACE_DAYS = env_int("SYNC_ARCHIVE_GRACE_DAYS", 7)

# Personal data (the "Données personnelles" page shows these periods, cms.legal): what the
# retention tasks purge, each run logged. Beat runs them every night.
RETENTION = {
    # Accounts whose address was never confirmed, counted from the confirmation link's sending.
    "UNVERIFIED_ACCOUNT_DAYS": env_int("RETENTION_UNVERIFIED_ACCOUNT_DAYS", 30),
    # The e-mail address an anonymous visitor left on a problem report.
    "PROBLEM_REPORT_EMAIL_MONTHS": env_int("RETENTION_PROBLEM_REPORT_EMAIL_MONTHS", 12),
    # Messages, per-item errors, warnings and changes of publisher feed sync runs.
    "SYNC_RUN_DETAIL_MONTHS": env_int("RETENTION_SYNC_RUN_DETAIL_MONTHS", 6),
    # The token of a mediator's shared link, counted from its expiry or revocation.
    "SELECTION_LINK_DAYS": env_int("RETENTION_SELECTION_LINK_DAYS", 365),
}
for _variable, _key in (
    ("RETENTION_UNVERIFIED_ACCOUNT_DAYS", "UNVERIFIED_ACCOUNT_DAYS"),
    ("RETENTION_PROBLEM_REPORT_EMAIL_MONTHS", "PROBLEM_REPORT_EMAIL_MONTHS"),
    ("RETENTION_SYNC_RUN_DETAIL_MONTHS", "SYNC_RUN_DETAIL_MONTHS"),
    ("RETENTION_SELECTION_LINK_DAYS", "SELECTION_LINK_DAYS"),
):
    if RETENTION[_key] < 1:
        raise ImproperlyConfigured(f"{_variable}={RETENTION[_key]} must be at least 1.")
CELERY_BEAT_SCHEDULE |= {
    "retention-unverified-accounts": {
        "task": "store.purge_unverified_accounts",
        "schedule": crontab(hour=3, minute=10),
    },
    "retention-problem-report-emails": {
        "task": "catalogue.purge_problem_report_emails",
        "schedule": crontab(hour=3, minute=20),
    },
    "retention-sync-run-details": {
        "task": "catalogue.purge_sync_run_details",
        "schedule": crontab(hour=3, minute=30),
    },
}
# A new address is confirmed by a signed link sent to it (store.email_links), valid this long.
EMAIL_CHANGE_LINK_MAX_AGE = env_int("EMAIL_CHANGE_LINK_HOURS", 48) * 3600
# Only the cookies the "Gestion des cookies" page lists (session, CSRF, language): messages
# shown after an action travel in the session, not in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# A run that would archive more than this share of a feed's live apps archives nothing and is
# held until an editor confirms (an empty or truncated feed must not empty the catalogue).
SYNC_ARCHIVE_MAX_SHARE = env_int("SYNC_ARCHIVE_MAX_PERCENT", 20) / 100
