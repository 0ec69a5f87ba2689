"""Settings for the follow-up system, read from the environment.

`DATABASE_URL` selects the database (PostgreSQL in production and CI); without it an
embedded SQLite file is used so that a newcomer can start the app with one command.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "backoffice.apps.FollowUpAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "imports",
    "rest_framework",
    "django_filters",
    "goals",
    "activities",
    "indicators",
    "followups",
    "responsibilities",
    "deadlines",
    "reports",
    "actionplans",
    "qualityreports",
    "public",
    "access",
    "audit",
    "backoffice",
    "knox",
    "axes",
    "corsheaders",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    # Before anything reads the body or the query: NUL in parameters, API body size.
    "core.input_middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: refuses logins after repeated failures.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
_postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# A PostgreSQL connection is kept for a minute (checked before reuse), so that each request
# does not pay for a new one and prepared statements (below) are reused.
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _postgresql else 0)
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if _postgresql:
    # psycopg 3 binds parameters on the server and prepares a statement run 5 times on one
    # connection, so that PostgreSQL parses and plans it once (bench/api_bench.py measures
    # the API with it). Behind a connection pooler in transaction mode without support
    # for prepared statements (PgBouncer before 1.21), set DATABASE_PREPARE_THRESHOLD to
    # an empty value, which turns preparing off.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault(
        "server_side_binding", env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    )
    _threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    _options.setdefault("prepare_threshold", int(_threshold) if _threshold else None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses an account/address pair after repeated failed logins.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Single sign-on via OpenID Connect (e.g. Azure AD / Entra ID), off unless configured.
OIDC_ENABLED = bool(env.str("OIDC_RP_CLIENT_ID", default=""))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("mozilla_django_oidc.auth.OIDCAuthenticationBackend")
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    # Roles are still granted per board in the admin; SSO only proves who the person is.
    OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)
    LOGIN_REDIRECT_URL = "/admin/"
    LOGOUT_REDIRECT_URL = "/"

# API tokens (django-rest-knox): stored hashed, expiring; scoped per board in access.TokenScope.
KNOX_TOKEN_MODEL = "knox.AuthToken"
REST_KNOX = {"TOKEN_TTL": None, "AUTO_REFRESH": False}

# Sessions end after inactivity (each request renews the cookie) and with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Stored files (published editions, rendered previews, import uploads): a folder by default,
# any S3-compatible object store when STORAGE_S3_BUCKET is set (django-storages).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
if env.str("STORAGE_S3_BUCKET", default=""):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("STORAGE_S3_BUCKET"),
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("STORAGE_S3_REGION", default="") or None,
            "access_key": env.str("STORAGE_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("STORAGE_S3_SECRET_KEY", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Behind nginx, published editions can be sent by nginx itself: set this to an internal
# location that serves MEDIA_ROOT (e.g. "/_editions/" with `location /_editions/ { internal;
# alias /srv/malfolj/media/; }`); the app then answers with X-Accel-Redirect and no body.
# Only with the filesystem storage; empty (default): the app streams the file (sendfile).
REPORTS_ACCEL_REDIRECT = env.str("REPORTS_ACCEL_REDIRECT", default="")

# Every role holder signs in here (the admin's own sign-in accepts role holders too).
LOGIN_URL = "public:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Behind a TLS proxy: it must set X-Forwarded-Proto (and overwrite one sent by the client);
# then Django knows a request was https, redirects plain http and sends HSTS.
if env.bool("BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# The health check is asked by load balancers over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site
# only; no inline scripts anywhere (the API docs' views add what their bundles need).
# Inline styles stay allowed: the admin, the charts (SVG) and both API UIs set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The follow-up workbench writes many rows in one POST.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

# Imports (admin and `import_kolada`): the largest file and the most data rows accepted.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
# The widest sheet, the most filled cells and the most an xlsx may unpack to: with these a
# 20 MB file of any shape is read in bounded memory and time (tests/hostile/).
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=1_000_000)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=150 * 1024 * 1024)

# Reports: the longest a PDF may take to lay out before its worker process is stopped.
REPORT_RENDER_TIMEOUT = env.int("REPORT_RENDER_TIMEOUT", default=120)

# One JSON object per line (LOG_FORMAT=json, the default of scripts/serve) or plain text;
# every request is logged once with its request id (core.requestlog), which is also sent
# back as X-Request-ID and taken from a proxy's X-Request-ID.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.requestlog.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="text"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# REST API (read side): /api/v1/, OpenAPI schema at /api/schema/, docs at /api/docs/.
INSTALLED_APPS += ["drf_spectacular", "drf_spectacular_sidecar", "tombstones"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "access.tokens.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.api.renderers.CSVRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON only, with a depth limit and no NaN/Infinity (core.safeinput.jsonsafe); other
    # content types are a 415.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.SafeJSONParser"],
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/minute"),
        # Per signed-in user or token's user: each API client is throttled on its own.
        "user": env.str("API_USER_RATE", default="1200/minute"),
        "api_write": env.str("API_WRITE_RATE", default="60/minute"),
    },
    # Clients are told apart by REMOTE_ADDR unless a trusted proxy count is configured.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
# The largest API request body: the documented bulk batch (5000 values) with every text
# field at its longest (category 40, text_value 200, note 500 characters) in 4-byte UTF-8
# characters is 15.9 MB even with two-space indentation; 20 MB leaves room for more
# whitespace or escapes (tests/hostile/test_api_bodies.py builds that batch). Larger bodies get a
# JSON 413 naming the limit.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=20 * 1024 * 1024)
# Shared state: with REDIS_URL the cache (API throttles, job bookkeeping) and the rendered API
# pages keyed by their ETag (core/api/caching.py) live in Redis, shared by every process and
# server; without it, in the database (one table, see `createcachetable`, run by
# scripts/run and scripts/serve) so that processes of one machine still agree.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "malfolj",
        },
        "api": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "malfolj-api",
            "TIMEOUT": 300,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": "cache_entries",
        },
        "api": {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": "cache_entries",
            "KEY_PREFIX": "api",
            "TIMEOUT": 300,
        },
    }

# Background jobs (Django's Tasks API, django-tasks backport): PDF editions and previews. In
# the database by default (worker: `manage.py db_worker`, started by scripts/run); on Redis
# with RQ when REDIS_URL is set (workers: `manage.py rqworker default`). `manage.py
# process_jobs` runs every pending job and exits, for scripts and CI.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail (deadline reminders): printed on the console unless configured. In production set
# EMAIL_URL (smtp+tls://user:password@host:587) or EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL. SITE_URL makes the links in e-mails.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Målfölj <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The API answers in the language of Accept-Language (the reader and admin: Swedish unless
# the visitor chose English).
ACCEPT_LANGUAGE_PATHS = ("/api/",)

# CORS (django-cors-headers): any web page may read the anonymous read endpoints; never the
# write endpoints, never with credentials (no cookies, no Authorization header).
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_URLS_REGEX = (
    r"^/api/(?!v1/indicator-values/bulk/|v1/follow-ups/[0-9]+/text/)(v1/|dcat\.jsonld$|schema/)"
)
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Content-Disposition", "Content-Language"]

# Open data (DCAT-AP-SE description at /api/dcat.jsonld): licence of the published data,
# publisher and contact point.
OPEN_DATA_LICENSE = env.str(
    "OPEN_DATA_LICENSE", default="http://creativecommons.org/publicdomain/zero/1.0/"
)
# Empty names fall back to the municipality's name; set the e-mail address in production.
OPEN_DATA_PUBLISHER_NAME = env.str("OPEN_DATA_PUBLISHER_NAME", default="")
OPEN_DATA_PUBLISHER_URL = env.str("OPEN_DATA_PUBLISHER_URL", default="")
OPEN_DATA_CONTACT_NAME = env.str("OPEN_DATA_CONTACT_NAME", default="")
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default="")

SPECTACULAR_SETTINGS = {
    "TITLE": "Målfölj API",
    "DESCRIPTION": (
        "The boards' plans, goals, activities, follow-ups and indicator values. Anyone reads "
        "the published content without signing in; a token scoped to boards also reads "
        "drafts and writes values (`/api/v1/indicator-values/bulk/`) and follow-up texts "
        "(`/api/v1/follow-ups/{id}/text/`, with `If-Match`).\n\n"
        "- Lists are paginated (`page`, `page_size` up to 1000) in a stable order, "
        "filterable, and available as CSV with `?format=csv` (one page).\n"
        "- Whole datasets: every list as one file of all matching rows, e.g. "
        "`/api/v1/indicator-values/all.csv?indicator=12` (`pandas.read_csv` reads it), "
        "`all.sv.csv` for Swedish Excel (semicolon, decimal comma) and `all.xlsx`.\n"
        "- Kolada: `/api/v1/kolada/` speaks Kolada's API v2 (pykolada: "
        "`pykolada.pykolada.BASE_URL = '<site>/api/v1/kolada/'`), `/api/v1/kolada/v3/` "
        "its API v3 (koladapy: `KoladaAPI(base_url='<site>/api/v1/kolada/v3/')`).\n"
        "- Open data: `/api/dcat.jsonld` describes the datasets (DCAT-AP-SE) with licence, "
        "publisher and contact; the read endpoints allow CORS.\n"
        "- Send `If-None-Match` or `If-Modified-Since` to get 304 when nothing changed. "
        "Sync with `changed_since` and `/api/v1/deletions/`.\n"
        "- Answers in English or Swedish, by `Accept-Language`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_common_responses",
    ],
}
