"""Settings for Healing, read from the environment (see docs/settings.md).

Two ways to run from one code base:
- embedded default: no environment at all -> SQLite under var/, Celery tasks run eagerly;
- team server: DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker and result backend).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from healing.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HEALING_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-healing-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production mode): use a long random value."
        )
    SECRET_KEY = _DEV_SECRET_KEY
# Key rotation (docs/operations.md): the previous keys, still accepted for signatures made with
# them (sessions, password-reset links) while the new SECRET_KEY signs everything new.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

if DEBUG:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DEBUG is off (production mode): "
            "a comma-separated list of the host names the app answers to."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Three floors: healing's shared apps, then interviews, then coding (docs/architecture.md).
    "healing.accounts",
    "healing.tokens",
    "healing.jobs",
    "healing.audit",
    "interviews",
    "coding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "healing.api.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this sign-in passed a two-factor code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "healing.accounts.sessions.IdleTimeoutMiddleware",
    "healing.jobs.middleware.JobRefusedMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "healing.urls"
WSGI_APPLICATION = "healing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_url("DATABASE_URL", schemes={"postgres", "postgresql"})
if _database_url:
    try:
        _default_db = dj_database_url.parse(
            _database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from None
    _default_db["ENGINE"] = "django.db.backends.postgresql"
    # No JIT compilation: the analyses' queries (docs/performance.md) are estimated costly
    # enough to trigger it, and compiling took longer (0.1–1.4 s) than running them.
    _default_db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "healing.sqlite3"),
        # dev.py run serves with threads in two processes. IMMEDIATE takes the write lock when a
        # transaction begins, so a writer waits (up to `timeout` seconds) instead of failing with
        # "database is locked" when it upgrades a read; WAL lets readers go on while one writes.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL",
        },
    }
# Lets several checkouts (or helpers) run the suite against one PostgreSQL server at once.
_test_db_name = env_str("TEST_DATABASE_NAME")
if _test_db_name:
    _default_db["TEST"] = {"NAME": _test_db_name}
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (``include=``) are PostgreSQL's; SQLite builds the same index without the
# included columns, which is what the embedded default wants: the warning says nothing to act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes={"redis", "rediss"})
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the Job table, not in Redis results
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 60 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = env_int(
    "CELERY_TASK_SOFT_TIME_LIMIT", CELERY_TASK_TIME_LIMIT - 60, minimum=5
)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE") or "healing"
# Redis redelivers an unacknowledged message after the visibility timeout: longer than the
# longest job (its hard time limit) plus a margin, or a running job would be started twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 10 * 60,
    # Starting a job with Redis down answers 503 within seconds rather than hanging the request.
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Celery beat (run with the worker: ``celery -A healing worker --beat``) sweeps for jobs whose
# worker died: every minute, so such a job ends within HEALING_JOB_HEARTBEAT_TIMEOUT + 60 s.
CELERY_BEAT_SCHEDULE = {
    "sweep-lost-jobs": {"task": "healing.jobs.tasks.sweep_lost_jobs", "schedule": 60.0},
}
# A running job's runner beats at most every HEALING_JOB_HEARTBEAT_SECONDS (with its progress);
# one silent for HEALING_JOB_HEARTBEAT_TIMEOUT seconds lost its worker.
HEALING_JOB_HEARTBEAT_SECONDS = env_int("HEALING_JOB_HEARTBEAT_SECONDS", 5, minimum=1)
HEALING_JOB_HEARTBEAT_TIMEOUT = env_int("HEALING_JOB_HEARTBEAT_TIMEOUT", 120, minimum=30)
# Exports, reports and imports one person may have waiting or running at once.
HEALING_MAX_ACTIVE_JOBS_PER_USER = env_int("HEALING_MAX_ACTIVE_JOBS_PER_USER", 3, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Accepts every password; after any password change (account page, reset link, admin,
    # changepassword) Django calls its password_changed, which revokes the user's API tokens.
    {"NAME": "healing.tokens.validators.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE") or "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Search ------------------------------------------------------------------------------------
# How long a regular-expression search may run over the transcripts of one page (milliseconds),
# and in a job that codes the hits; longer is a 400 naming the pattern (docs/search.md).
HEALING_SEARCH_REGEX_MS = env_int("HEALING_SEARCH_REGEX_MS", 2000, minimum=10)
HEALING_SEARCH_REGEX_JOB_MS = env_int("HEALING_SEARCH_REGEX_JOB_MS", 30000, minimum=10)

# --- Uploads and imports ---------------------------------------------------------------------
HEALING_MAX_UPLOAD_BYTES = env_int("HEALING_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
# Largest REFI-QDA project (.qdpx) accepted for import; it may hold documents and media.
HEALING_MAX_QDPX_BYTES = env_int("HEALING_MAX_QDPX_BYTES", 100 * 1024 * 1024, minimum=1024)
# Who may create a study from a whole-study file (JSON or REFI-QDA): "staff" (default) or "any"
# signed-in user. An import brings people, authors and times a file claims (docs/api.md).
HEALING_STUDY_IMPORT = (env_str("HEALING_STUDY_IMPORT") or "staff").strip().lower()
if HEALING_STUDY_IMPORT not in {"staff", "any"}:
    raise ImproperlyConfigured(
        f"HEALING_STUDY_IMPORT={HEALING_STUDY_IMPORT!r}: use staff (the default) or any."
    )
# Who may create a new study (the "New study" page and POST /api/v1/studies/): "staff" or "any"
# signed-in user. A team server (DATABASE_URL set) defaults to staff, the embedded SQLite
# default to any (one person on their own machine). HEALING_STUDY_CREATORS sets it.
STUDY_CREATORS = (
    (env_str("HEALING_STUDY_CREATORS") or ("staff" if _database_url else "any")).strip().lower()
)
if STUDY_CREATORS not in {"staff", "any"}:
    raise ImproperlyConfigured(
        f"HEALING_STUDY_CREATORS={STUDY_CREATORS!r}: use staff or any (the default is staff "
        "on a team server, any in the embedded SQLite set-up)."
    )
# Uploads above this size are streamed to a temporary file instead of being held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = HEALING_MAX_UPLOAD_BYTES + 1024 * 1024

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A sign-in lasts at most this long, and ends sooner after HEALING_SESSION_IDLE_MINUTES without a
# request from the person (healing/accounts/sessions.py).
SESSION_COOKIE_AGE = env_int("HEALING_SESSION_MAX_HOURS", 12, minimum=1) * 3600
HEALING_SESSION_IDLE_MINUTES = env_int("HEALING_SESSION_IDLE_MINUTES", 30, minimum=0)

# Sign-in throttling and lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, sign-ins from there are refused for the cool-off time, even with
# the right password. Behind a proxy, see docs/operations.md for the client address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("HEALING_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("HEALING_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Personal API tokens expire: the creator picks 30, 90 or 365 days, never more than this.
HEALING_TOKEN_MAX_DAYS = env_int("HEALING_TOKEN_MAX_DAYS", 365, minimum=1)
# Two-factor (TOTP, django-otp): the issuer name an authenticator app shows next to the account.
OTP_TOTP_ISSUER = env_str("HEALING_OTP_ISSUER") or "Healing"

# Password reset mails: printed on the console in the embedded default; set EMAIL_URL-like
# settings on a team server (docs/settings.md).
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "healing@localhost"
PASSWORD_RESET_TIMEOUT = 3600
CSRF_COOKIE_HTTPONLY = False  # the page's scripts read it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from the app's own origin, no inline script,
# no plug-ins, no framing. Inline *styles* stay allowed: code colours are the study's own data,
# set per element, and the vendored Swagger UI injects its styles at run time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The cache holds rate-limit counters: Redis on a team server (shared by every process).
CACHES = {
    "default": (
        {"BACKEND": "healing.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_PREFIX"] = "healing"

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "healing.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every endpoint needs a signed-in user; views then scope by membership.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "healing.api.base.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "healing.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "healing.api.throttles.UserRateThrottle",
        "healing.api.throttles.TokenRateThrottle",
        "healing.api.throttles.AnonRateThrottle",
    ],
}
# Requests per user, per personal token and per address without a sign-in; more answer 429
# with Retry-After. Generous for a person coding (the workspace polls every few seconds) and for
# scripts paging through an export; tight for a loop that hammers the server.
HEALING_API_RATES: dict[str, str | None] = {
    "user": env_str("HEALING_API_RATE_USER") or "240/min",
    "token": env_str("HEALING_API_RATE_TOKEN") or "240/min",
    "anon": env_str("HEALING_API_RATE_ANON") or "30/min",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Healing API",
    "DESCRIPTION": "Code clinician-patient interviews; export coded data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "interviews.models.Role",
        "ParticipantRoleEnum": "interviews.models.ParticipantRole",
        "TurnRoleEnum": "interviews.models.TurnRole",
        "ExportLayerEnum": "coding.exchange.api.EXPORT_LAYERS",
        "CodingLayerEnum": "coding.models.Layer",
        "MemoTypeEnum": "coding.models.MemoType",
        "AttributeTypeEnum": "interviews.models.AttributeType",
        "DeidKindEnum": "interviews.models.DeidKind",
        "QueryLayerEnum": "coding.queries.evaluate.QUERY_LAYERS",
        "SegmentOrderEnum": "coding.retrieval.segments.ORDERS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "healing.api.schema.add_error_responses",
    ],
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
