"""Settings for the RCP Portal, read from the environment.

Every value that differs between a laptop, CI and production comes from an
environment variable (see `.env.example`). The defaults are production-safe:
with DEBUG off the site refuses to start without a SECRET_KEY and sends every
security header `manage.py check --deploy` asks for.
"""

import datetime
import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-true"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Applications -----------------------------------------------------------------

INSTALLED_APPS = [
    # Django's admin with the portal's site (start pages, preferences, a scoped "view on site").
    "backoffice.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "import_export",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The portal's apps, from the shared leaf up to the project (README, "Map of the apps").
    "core",
    "reference",
    "rcps",
    "meetings",
    "recommendations",
    "surveys",
    "exchange",
    "practices",
    "members",
    "api",
    "backoffice",
    "portal",
]
# Development tooling (synthetic data, the benchmark) is installed where it is used: in
# development (DEBUG), in the test settings and in bench/settings.py.
if DEBUG:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A browser asking for French or Spanish, with no language chosen yet, is sent from an English
    # page to its /fr/ or /es/ twin: before the page cache, which keys pages by language.
    "core.languages.PreferredLanguageRedirectMiddleware",
    # Before sessions, CSRF and locale: a cached anonymous page skips them all (core.pagecache).
    "core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The back office and the API (outside the language prefixes) speak the user's remembered language.
    "core.languages.UnprefixedLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.StaffSessionLimitMiddleware",
    # After the session limit: staff and participants without their second factor are sent to give it.
    "members.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
            # Content in the active language and the language switcher, in every template.
            "builtins": ["core.templatetags.languages"],
        },
    },
]

# Database ---------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:password@127.0.0.1:5432/rcp_portal.
# Without it the portal runs on an embedded SQLite file inside the project.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compiling: PostgreSQL compiles a query whose estimated cost is high (a search through
    # thousands of matches), 25–30 ms spent on queries that then run in 20. The portal's queries
    # are short; it pays only on long analytical ones. Options given in DATABASE_URL come after, and win.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# dumpdata / loaddata and `manage.py backup` keep times to the microsecond (core/serialization).
SERIALIZATION_MODULES = {"json": "core.serialization.json", "jsonl": "core.serialization.jsonl"}

# Cache ------------------------------------------------------------------------

# Redis when REDIS_URL (or CACHE_URL) is set, e.g. redis://127.0.0.1:6379/1 — shared by every
# worker, so one write invalidates the page cache for all; otherwise local memory per process
# (each worker keeps its own copy and sees the shared generation only through the database
# signals of its own process: fine for one worker or development, use Redis in production).
CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
# Rate limits (the digest subscription) must be one count for all workers: Redis, or else a
# folder of this machine that every worker reads.
_PROJECT_KEY = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "core.rediscache.RedisCache", "LOCATION": CACHE_URL},
        "ratelimit": {"BACKEND": "core.rediscache.RedisCache", "LOCATION": CACHE_URL},
    }
    # A signed-in request reads its session from Redis, not the database; writes go to both, so
    # a flushed cache loses no session. Not with local memory: another worker's copy would
    # outlive a sign-out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get(
                "RATELIMIT_CACHE_DIR",
                str(Path(tempfile.gettempdir()) / f"rcp-portal-ratelimit-{_PROJECT_KEY}"),
            ),
        },
    }
# Anonymous GET requests for public pages are served from the cache (core.pagecache); a
# write to the portal's data invalidates at once the cached pages that depend on what it changed.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 24 * 60 * 60)
# Where tag versions are kept for every worker when the cache is local memory (core.pagecache).
PAGE_CACHE_VERSION_DIR = os.environ.get("PAGE_CACHE_VERSION_DIR", "")
# Option lists of the directories' filter forms, cached the same way (also when pages are not).
CHOICE_CACHE_ENABLED = env_bool("CHOICE_CACHE_ENABLED", True)

# Authentication ---------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes checks every login first: 5 failures for a user name from one address lock it
# out for 15 minutes (not for ever), and a successful login clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.backends.PortalModelBackend",
]
# Two-factor sign-in (members app, django-otp): required for staff and participants once
# MFA_GRACE_DAYS have passed since the account was created; a confirmed device is always asked for.
MFA_GRACE_DAYS = env_int("MFA_GRACE_DAYS", 7)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "RCP Portal")
# Members' area: how long an invitation link stays valid.
MEMBERS_INVITATION_DAYS = env_int("MEMBERS_INVITATION_DAYS", 14)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1 if env_bool("BEHIND_HTTPS_PROXY", False) else 0)
# The visitor's address behind that many proxies (core/clientip.py), for lockouts and rate limits alike.
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"

# Staff sessions end after 30 idle minutes: a request renews the session and its cookie when
# the last renewal is a minute old (core.middleware.SessionRenewalMiddleware), not on every page.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_RENEW_INTERVAL = env_int("SESSION_RENEW_INTERVAL", 60)
# ... and after 8 hours in all, however active (core.middleware.StaffSessionLimitMiddleware).
STAFF_SESSION_MAX_AGE = env_int("STAFF_SESSION_MAX_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Internationalisation -----------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
# Public pages: English unprefixed, /fr/… and /es/… (portal/urls.py, i18n_patterns). The catalogues
# (locale/, .po and the compiled .mo, both committed) translate the interface; content carries
# fr/es columns beside the original (core/languages.py, README "Languages").
LOCALE_PATHS = [BASE_DIR / "locale"]
# The remembered choice (the switcher sets it, a login restores the user's own): one year, whole site.
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
# One date style in every language: "4 June 2009", ranges "4–5 June 2009" (portal/formats/ overrides
# English's "June 4, 2009"; French and Spanish already write the day first).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True

# Static files and uploads -------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are served through a view that checks their visibility,
# never straight from MEDIA_ROOT, so confidential files cannot be guessed.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DOCUMENT_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)

# Surveys: the largest file a respondent may upload, and the reminder steps (days before the
# deadline) at which `manage.py send_survey_reminders` (cron, daily) reminds those who have not submitted.
SURVEY_MAX_UPLOAD_SIZE = env_int("SURVEY_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
SURVEY_REMINDER_DAYS = [int(days) for days in os.environ.get("SURVEY_REMINDER_DAYS", "14,3,1").split(",") if days]
# The site's public address, for links in e-mails sent outside a request (digests,
# notifications, set-password links).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail -----------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "RCP Portal <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Administrators", address) for address in env_list("ADMIN_EMAILS")]

# Security headers -------------------------------------------------------------
# Production defaults; a local run (DEBUG=true, plain http) switches off the
# ones that need https.

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # The __Host- prefix pins the cookie to this exact host, https and path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Third-party apps -------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"

# The back office: which processes are the GFMD's own (edited by the GFMD Support Unit), and
# spreadsheet import/export.
GFMD_PROCESS_SLUGS = env_list("GFMD_PROCESS_SLUGS", "gfmd")
# Dispatches between processes are published by their sender; the Support Unit can require that
# they be submitted to it for moderation first, like dispatches to the GFMD.
EXCHANGE_MODERATE_BETWEEN_RCPS = env_bool("EXCHANGE_MODERATE_BETWEEN_RCPS", False)
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The portal's own CSV/XLSX formats (backoffice/spreadsheets.py) protect formulas without losing
# data; this library setting (which strips them) then never applies, but stays on as a default.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_MAX_UPLOAD_SIZE = env_int("IMPORT_MAX_UPLOAD_SIZE", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The JSON API (portal/api/): public reads, writes with a token an administrator creates for a
# secretariat user in the back office; JSON only; throttled per address and per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": None,
    # Error messages in the reader's language (Accept-Language), Django's untranslated 404 included.
    "EXCEPTION_HANDLER": "api.views.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "user": os.environ.get("API_USER_RATE", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RCP Portal API",
    "DESCRIPTION": (
        "Public directories of regional consultative processes on migration, their meetings, documents, "
        "recommendations, focal points and countries, with the same filters as the pages; and, with a "
        "token, submissions by a secretariat for its own processes."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the vendored drf-spectacular-sidecar files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.allow_empty_query_values",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProcessKindEnum": "rcps.models.Process.Kind",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "DocumentKindEnum": "meetings.models.Document.Kind",
        "RecommendationKindEnum": "recommendations.models.Recommendation.Kind",
    },
}
# iCalendar event UIDs are meeting-<id>@CALENDAR_UID_DOMAIN: keep it when the site moves.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "rcp-portal")
# The all-meetings calendar holds the newest this many meetings (every upcoming one first).
CALENDAR_MAX_EVENTS = env_int("CALENDAR_MAX_EVENTS", 500)

# Logging: errors to stderr, where gunicorn and systemd collect them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
