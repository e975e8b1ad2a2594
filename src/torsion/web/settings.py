"""Django settings for Torsion: the one place where configuration lives.

Everything a person running Torsion may change comes from environment variables, each documented
here with its default. Nothing secret is stored in the repository: without ``TORSION_SECRET_KEY``
a key is generated once and kept in the data folder.

Environment variables
---------------------
TORSION_DATA_DIR
    Folder for the SQLite database, recordings, logs and the generated secret key.
    Default: ``./var`` relative to the current directory.
DATABASE_URL
    A database URL such as ``postgres://user:password@host:5432/torsion``. Default: the embedded
    SQLite database ``<data dir>/torsion.sqlite3``.
TORSION_ENV
    ``local`` (default; served on this computer over plain HTTP) or ``production`` (served behind
    HTTPS: secure cookies, HSTS, a secret key and allowed hosts must be given; demo data refused).
TORSION_DEBUG
    ``1`` shows Django's debug pages. Default ``0``. Never allowed with ``TORSION_ENV=production``.
TORSION_SECRET_KEY
    Django's secret key. Required in production.
TORSION_ALLOWED_HOSTS
    Comma-separated host names. Default ``127.0.0.1,localhost`` (required in production).
TORSION_CSRF_TRUSTED_ORIGINS
    Comma-separated origins such as ``https://torsion.example.org`` (production behind a proxy).
TORSION_EMAIL_BACKEND
    Django e-mail backend path. Default: the console backend (messages are printed to the log).
TORSION_DEFAULT_FROM_EMAIL
    Sender address of password-reset mail. Default ``torsion@localhost``.
TORSION_MAX_UPLOAD_MB
    Largest recording accepted, in megabytes. Default 200.
TORSION_TASK_SECONDS
    Shortens every guided recording task to this many seconds (for trials of the recording pages).
TORSION_TASKS_IMMEDIATE
    ``1`` runs background work (analysis of recordings) inside the request instead of the worker.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent

# --- Where data lives --------------------------------------------------------------------------
DATA_DIR = Path(os.environ.get("TORSION_DATA_DIR") or "var").expanduser().resolve()
RECORDINGS_DIR = DATA_DIR / "recordings"
LOG_DIR = DATA_DIR / "logs"
STATIC_ROOT = DATA_DIR / "static"
for _folder in (DATA_DIR, RECORDINGS_DIR, LOG_DIR, STATIC_ROOT):
    _folder.mkdir(parents=True, exist_ok=True)

# --- Environment -------------------------------------------------------------------------------
TORSION_ENV = os.environ.get("TORSION_ENV", "local")
if TORSION_ENV not in {"local", "production"}:
    raise ImproperlyConfigured(f"TORSION_ENV must be 'local' or 'production', not {TORSION_ENV!r}.")
PRODUCTION = TORSION_ENV == "production"
DEBUG = _env_flag("TORSION_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("TORSION_DEBUG cannot be on when TORSION_ENV=production.")


def _secret_key() -> str:
    key = os.environ.get("TORSION_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("TORSION_SECRET_KEY must be set when TORSION_ENV=production.")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Created with owner-only permissions before anything is written to it.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = _env_list("TORSION_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("TORSION_ALLOWED_HOSTS must be set when TORSION_ENV=production.")
CSRF_TRUSTED_ORIGINS = _env_list("TORSION_CSRF_TRUSTED_ORIGINS", "")

# --- Applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "torsion.web.accounts",
    "torsion.web.core",
    "torsion.web.learn",
    "torsion.web.records",
    "torsion.web.recordings",
    "torsion.web.assessments",
    "torsion.web.clinic",
    "torsion.web.audit",
    "torsion.web.exchange",
    "torsion.web.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "torsion.web.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "torsion.web.audit.recorder.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "torsion.web.urls"
WSGI_APPLICATION = "torsion.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "torsion.web.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "torsion.web.core.forms.TorsionFormRenderer"

# --- Database ----------------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "torsion.sqlite3"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # The web server and the analysis worker write at the same time: write-ahead logging,
                # immediate transactions and a generous timeout keep every saved entry.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Log-in throttling: five failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

EMAIL_BACKEND = os.environ.get("TORSION_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("TORSION_DEFAULT_FROM_EMAIL", "torsion@localhost")

# --- Security ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "torsion.web.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies are marked Secure whenever debug is off. Browsers accept Secure cookies from
# http://127.0.0.1 and http://localhost (trustworthy origins), so a local install still works.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_flag("TORSION_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

#: Content-Security-Policy sent with every page: everything the app uses, it serves itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Camera and microphone are allowed for this site only (the recording pages need them).
PERMISSIONS_POLICY = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"

# --- Uploads -----------------------------------------------------------------------------------
TORSION_MAX_UPLOAD_BYTES = int(float(os.environ.get("TORSION_MAX_UPLOAD_MB", "200")) * 1024 * 1024)
TORSION_TASK_SECONDS = int(os.environ["TORSION_TASK_SECONDS"]) if os.environ.get("TORSION_TASK_SECONDS") else None
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None
FILE_UPLOAD_PERMISSIONS = 0o600

# --- Background work ---------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if _env_flag("TORSION_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TORSION_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files (served by the app itself: no CDN) ---------------------------------------------
STATIC_URL = "/static/"

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": RECORDINGS_DIR}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": LOG_DIR / "torsion.log",
            "maxBytes": 5 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "plain",
        },
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["file", "console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
