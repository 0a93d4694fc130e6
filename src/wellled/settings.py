"""Django settings: every value that differs between machines is read from the environment here."""

import datetime
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" count as yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty strings."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("WELLLED_DATA_DIR", Path.cwd() / "data")).resolve()
DEBUG = env_bool("WELLLED_DEBUG", False)


def _secret_key() -> str:
    """The secret key from the environment; in debug, a key generated once and kept in the data directory."""
    key = os.environ.get("WELLLED_SECRET_KEY")
    if key:
        return key
    if not DEBUG and not env_bool("WELLLED_TESTING"):
        raise ImproperlyConfigured("Set WELLLED_SECRET_KEY (or WELLLED_DEBUG=1 for local development).")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("WELLLED_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("WELLLED_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # Single sign-on with OpenID Connect (ADR 0024): allauth's account and social-account apps, with the one
    # provider Wellled uses, configured per organisation in the database (core.SingleSignOn).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Two-factor sign-in with an authenticator app for Wellled passwords (ADR 0026).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "wellled.core",
    "wellled.frameworks",
    "wellled.plans",
    "wellled.reports",
    "wellled.measures",
    "wellled.assessments",
    "wellled.risks",
    "wellled.ftsu",
    "wellled.committees",
    "wellled.demo",
    "wellled.api",
    "wellled.accreditation",
    "wellled.improvement",
    "wellled.oversight",
    "wellled.information",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wellled.core.middleware.SessionRefreshMiddleware",  # after sessions: its answer is seen before theirs
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wellled.core.middleware.RequestIdMiddleware",
    "wellled.core.middleware.MalformedInputMiddleware",
    "wellled.core.middleware.LoginRequiredMiddleware",
    "wellled.core.middleware.CurrentOrganisationMiddleware",
    "wellled.core.middleware.TwoFactorRequiredMiddleware",
    "wellled.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it answers a locked-out sign-in
]

ROOT_URLCONF = "wellled.urls"
WSGI_APPLICATION = "wellled.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "wellled.jinja2.environment"},
    },
    {
        # Django's own templates (password reset e-mails, error pages of contrib apps).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

# How many times a connection runs the same query before psycopg prepares it (psycopg's own default is 5; the
# pages of one person repeat theirs within a few requests).
PREPARE_AFTER_USES = 2
_database_url = os.environ.get("WELLLED_DATABASE_URL") or os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # As the default SQLite set-up below: writers (the web server, the worker and its heartbeats) queue for the
        # lock rather than fail with "database is locked" after SQLite's default 5 seconds.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        )
    elif env_bool("WELLLED_DATABASE_PREPARED", True):
        # PostgreSQL: values travel apart from the SQL and a query asked twice on a connection is prepared, so the
        # server plans each page's queries once per connection rather than on every request (issue 24: half the
        # database's CPU per page). Set WELLLED_DATABASE_PREPARED=0 behind a pooler in transaction mode.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": PREPARE_AFTER_USES}
        )
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "wellled.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before any password is checked
    "wellled.core.auth.UsernameOrEmailBackend",
]
# Sign-in lockout (ADR 0014): after this many failures for one username from one address, that pair waits out the
# cool-off. Username and address together, so no one can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("WELLLED_SIGNIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("WELLLED_SIGNIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wellled.core.views.signin_locked_out"
# Across usernames (ADR 0023): an address that fails this many sign-ins within the cool-off, whatever names it
# tried, is refused until the failures age out. High, because a whole trust may share one address through its
# proxy; a password sprayed across many usernames stops here. The failure log is what it counts.
WELLLED_SIGNIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("WELLLED_SIGNIN_ADDRESS_FAILURE_LIMIT", 50))

# Freedom to Speak Up (issue 23, ADR 0054): counts below the threshold leave the guardian role only as "fewer than 5"
# (the national guardian's office's small-number rule); closed cases are erased after the retention period (NHS
# records management code: six years for this kind of record); the anonymous route's uses per address per hour.
WELLLED_FTSU_SUPPRESSION_THRESHOLD = int(os.environ.get("WELLLED_FTSU_SUPPRESSION_THRESHOLD", 5))
WELLLED_FTSU_RETENTION_YEARS = int(os.environ.get("WELLLED_FTSU_RETENTION_YEARS", 6))
WELLLED_FTSU_ROUTE_CONCERNS_PER_HOUR = int(os.environ.get("WELLLED_FTSU_ROUTE_CONCERNS_PER_HOUR", 5))
WELLLED_FTSU_ROUTE_READS_PER_HOUR = int(os.environ.get("WELLLED_FTSU_ROUTE_READS_PER_HOUR", 60))
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# The count is against the person, however they typed their name; the address is the connection's own unless
# WELLLED_PROXY_COUNT says how many proxies add to X-Forwarded-For (a header a client could otherwise forge).
AXES_USERNAME_CALLABLE = "wellled.core.auth.signin_username"
AXES_CLIENT_IP_CALLABLE = "wellled.core.auth.client_address"
WELLLED_PROXY_COUNT = int(os.environ.get("WELLLED_PROXY_COUNT") or 0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on (ADR 0024). Wellled's own sign-in page stays the way in; allauth runs only the OpenID Connect
# journey, and the adapter turns each organisation's core.SingleSignOn into an allauth app, checks the e-mail
# domain and creates or links the person (wellled.core.sign_on).
SOCIALACCOUNT_ADAPTER = "wellled.core.sign_on.SignOnAdapter"
ACCOUNT_ADAPTER = "wellled.core.sign_on.AccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the adapter links by e-mail itself, only within allowed domains
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the journey starts with a POST carrying the CSRF token
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the organisation's identity provider vouches for the address
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*"]
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
# The name authenticator apps show beside the code (ADR 0026).
OTP_TOTP_ISSUER = "Wellled"
# django-otp's own throttle counts wrong codes per person, so anyone with the password could lock the person out:
# Wellled counts them per session and network address instead (wellled.core.second_factor).
OTP_TOTP_THROTTLE_FACTOR = 0
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a working day of inactivity and with the browser (NHS services commonly do both). Using
# Wellled pushes the end forward: core.middleware.SessionRefreshMiddleware writes it at most every five minutes.
SESSION_COOKIE_AGE = int(os.environ.get("WELLLED_SESSION_SECONDS", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = env_bool("WELLLED_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# The redirect URI sent to the identity provider must match the one registered there: https on a server (behind a
# proxy that ends TLS the request itself looks like http), http for the local demo and the tests.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE else "http"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS only (ADR 0023): on by default whenever cookies are secure (debug off), each behind its own switch. gunicorn
# sees a request as HTTPS from the proxy's X-Forwarded-Proto (WELLLED_FORWARDED_ALLOW_IPS), so the redirect
# does not loop; /health/ is left answering plain HTTP for load balancers. HSTS: one year (OWASP's advice).
SECURE_SSL_REDIRECT = env_bool("WELLLED_SSL_REDIRECT", SECURE)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("WELLLED_HSTS_SECONDS") or (365 * 24 * 60 * 60 if SECURE else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WELLLED_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("WELLLED_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("WELLLED_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

# Uploaded files (assessment evidence, documents given with answers, uploaded papers) go through Django's storage API
# only, and are served by Wellled's own access-checked views, never at a public address (ADR 0058). By default they
# are kept in MEDIA_ROOT; with WELLLED_S3_BUCKET set, in S3-compatible object storage that every web machine shares.
# Secrets come only from the environment. A half-configured store is reported by `wellled check` (core.checks),
# naming the missing variable; nothing here contacts the store, so an unreachable one is reported on first use.
S3_SETTINGS = {
    "bucket": os.environ.get("WELLLED_S3_BUCKET", "").strip(),
    "endpoint_url": os.environ.get("WELLLED_S3_ENDPOINT_URL", "").strip(),
    "access_key": (
        os.environ.get("WELLLED_S3_ACCESS_KEY_ID") or os.environ.get("AWS_ACCESS_KEY_ID") or ""
    ).strip(),
    "secret_key": (
        os.environ.get("WELLLED_S3_SECRET_ACCESS_KEY") or os.environ.get("AWS_SECRET_ACCESS_KEY") or ""
    ).strip(),
    "region": (
        os.environ.get("WELLLED_S3_REGION")
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or ""
    ).strip(),
    "prefix": os.environ.get("WELLLED_S3_PREFIX", "").strip().strip("/"),
    "addressing_style": os.environ.get("WELLLED_S3_ADDRESSING_STYLE", "").strip().lower(),
    "acl": os.environ.get("WELLLED_S3_ACL", "").strip().lower() or "private",
}
# How long a web request waits on the object store before saying it cannot be reached (botocore's defaults are a
# minute to connect, tried five times). Our choice: a file of ten megabytes moves well within the read timeout.
S3_CONNECT_TIMEOUT_SECONDS = float(os.environ.get("WELLLED_S3_CONNECT_TIMEOUT_SECONDS", 5))
S3_READ_TIMEOUT_SECONDS = float(os.environ.get("WELLLED_S3_READ_TIMEOUT_SECONDS", 30))
S3_ATTEMPTS = 2
# Any of these set asks for object storage (a bucket then has to be named, and `wellled check` says so).
S3_VARIABLES = (
    "WELLLED_S3_BUCKET",
    "WELLLED_S3_ENDPOINT_URL",
    "WELLLED_S3_ACCESS_KEY_ID",
    "WELLLED_S3_SECRET_ACCESS_KEY",
    "WELLLED_S3_REGION",
    "WELLLED_S3_PREFIX",
    "WELLLED_S3_ADDRESSING_STYLE",
    "WELLLED_S3_ACL",
)
S3_WANTED = any(os.environ.get(name, "").strip() for name in S3_VARIABLES)


def s3_storage(s3: dict[str, str]) -> dict[str, Any]:
    """The STORAGES entry for django-storages' S3 backend from the values read above: private objects, never
    overwritten, and short timeouts so an unreachable store is said within seconds. The tests build theirs here."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": s3["bucket"] or None,
            "endpoint_url": s3["endpoint_url"] or None,
            "access_key": s3["access_key"] or None,  # None: boto3's own chain (an instance's role)
            "secret_key": s3["secret_key"] or None,
            "region_name": s3["region"] or None,
            "location": s3["prefix"],
            # Private unless the bucket has ACLs switched off (AWS's default since 2023): "none" sends no ACL, and
            # the bucket's policy and Block Public Access keep the objects private (docs/deployment.md).
            "default_acl": None if s3["acl"] == "none" else s3["acl"],
            "file_overwrite": False,
            # Wellled never hands out a storage address (files are streamed by its views); were one ever made, it
            # would be signed and short-lived rather than public.
            "querystring_auth": True,
            "querystring_expire": 60,
            "addressing_style": s3["addressing_style"]
            or ("path" if s3["endpoint_url"] else None),  # MinIO, Ceph and moto answer paths
            "client_config": Config(
                connect_timeout=S3_CONNECT_TIMEOUT_SECONDS,
                read_timeout=S3_READ_TIMEOUT_SECONDS,
                retries={"max_attempts": S3_ATTEMPTS, "mode": "standard"},
            ),
        },
    }


STORAGES = {
    "default": s3_storage(S3_SETTINGS)
    if S3_WANTED
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # in MEDIA_ROOT, read when first used
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get(
    "WELLLED_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("WELLLED_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WELLLED_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("WELLLED_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WELLLED_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WELLLED_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("WELLLED_EMAIL_FROM", "Wellled <wellled@localhost>")
# Where the file backend (the demo's: `wellled demo` writes e-mails here instead of sending them) puts each e-mail.
EMAIL_FILE_PATH = os.environ.get("WELLLED_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
# The site's address, set once: every e-mail and absolute link starts with it (core.url_kit.site_url). `wellled
# demo --addrport` and `wellled serve --bind` set it to the address they serve when it is not given.
SITE_URL = os.environ.get("WELLLED_SITE_URL", "http://127.0.0.1:8000")

# Background tasks (django-tasks, the backport of Django 6.0's tasks; ADR 0010). "database" queues them in the
# database for `wellled worker` (which `wellled demo` and `wellled serve` start for you); "immediate" runs them
# inside the request that asks, for a one-process installation that can wait.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("WELLLED_TASKS_BACKEND", "database").strip().lower()
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"WELLLED_TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[_tasks_backend]}}
# The worker writes a heartbeat this often; a worker or a running job silent for WELLLED_WORKER_STALE_SECONDS is
# taken for dead: /health/ says so, and the job is marked failed so it can be issued again (ADR 0022).
WELLLED_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WELLLED_WORKER_HEARTBEAT_SECONDS", 5))
WELLLED_WORKER_STALE_SECONDS = float(os.environ.get("WELLLED_WORKER_STALE_SECONDS", 60))

# Uploads are held in memory up to this size and refused beyond it (imports check their own limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest action-plan spreadsheet (.xlsx or .csv) that `wellled plan import` and the import pages accept.
WELLLED_MAX_UPLOAD_BYTES = int(os.environ.get("WELLLED_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))

# The REST API under /api/ (ADR 0027): personal access tokens or the browser's session, JSON and CSV, pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wellled.api.authentication.TokenAuthentication",
        "wellled.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wellled.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wellled.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wellled API",
    "DESCRIPTION": "Plans, actions, progress updates, reporting cycles, measures, assessments, issued board "
    "papers, ward accreditation, oversight and information requests of one organisation, as its people see them. "
    "See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its page need a signed-in person or a token, like every other page.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",  # Swagger UI from drf-spectacular-sidecar's static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "FindingSourceEnum": "wellled.plans.choices.FindingSource",
        "RatingSourceEnum": "wellled.assessments.choices.RatingSource",
        "MeasureKindEnum": "wellled.measures.choices.MeasureKind",
        "OrganisationKindEnum": "wellled.core.choices.OrganisationKind",
        "PlanKindEnum": "wellled.plans.choices.PlanKind",
        "RatingEnum": "wellled.assessments.choices.RatingValue",
        "ActionStateEnum": "wellled.plans.choices.ActionState",
        "CycleStateEnum": "wellled.plans.choices.CycleState",
        "DatePrecisionEnum": "wellled.plans.choices.DatePrecision",
        "AuditStateEnum": "wellled.accreditation.choices.AuditState",
        "EvidenceKindEnum": "wellled.oversight.choices.EvidenceKind",
        "RequestKindEnum": "wellled.information.models.RequestKind",
        "PanelDecisionEnum": "wellled.accreditation.choices.PanelDecision",
        "ExitDecisionEnum": "wellled.oversight.choices.ExitDecision",
        "RiskStatusEnum": "wellled.risks.choices.RiskStatus",
        "AssuranceLevelEnum": "wellled.risks.choices.AssuranceLevel",
        "ProjectStatusEnum": "wellled.improvement.choices.ProjectStatus",
        "ChairsReportStatusEnum": "wellled.committees.choices.ReportStatus",
        "EscalationStatusEnum": "wellled.committees.choices.EscalationStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WELLLED_LOG_LEVEL", "WARNING")},
}
