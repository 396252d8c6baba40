"""Settings for the case tracker, read from the environment (see README, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

APP_ENV = env_str("APP_ENV", "development")
if APP_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"APP_ENV must be 'development' or 'production', not {APP_ENV!r}")
PRODUCTION = APP_ENV == "production"

# A development default that production refuses just below (hence the lint exemptions).
_DEV_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production needs SECRET_KEY set to a random value of 50+ characters.")

# Keys name tokens of people's names for search (see cases/search.py). Separate
# from SECRET_KEY so rotating one does not silently invalidate the other.
_DEV_SEARCH_KEY = "development-only-search-key"
NAME_SEARCH_KEY = env_str("NAME_SEARCH_KEY", _DEV_SEARCH_KEY)
if PRODUCTION and (NAME_SEARCH_KEY == _DEV_SEARCH_KEY or len(NAME_SEARCH_KEY) < 32):
    raise ImproperlyConfigured("Production needs NAME_SEARCH_KEY set to a random value of 32+ characters.")

# Identity fields are encrypted with these Fernet keys, newest first (cases/crypto.py). Separate
# from SECRET_KEY: a leaked signing key must not also open the identities.
_DEV_FIELD_KEY = "wkXoOpJ0Kvfic8LN-KiorufGqMqHR4eeyjO03XrLU4U="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [_DEV_FIELD_KEY])
if PRODUCTION and (not FIELD_ENCRYPTION_KEYS or _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("Production needs FIELD_ENCRYPTION_KEYS set to Fernet keys of its own.")

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Case tracker (development)")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    # django-otp's own devices keep seeds and recovery codes in plain text: ours are in accounts.models.
    "django_otp",
    "axes",
    "accounts",
    "cases",
    "appeals",
    "exports",
    "reminders",
    "imports",
    "front",
    # After exports, whose `db_worker` (exports/worker.py) takes the place of this library's own.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.middleware.RefuseNulCharactersMiddleware",
    # In production WhiteNoise serves the collected static files; in development runserver does.
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRODUCTION else []),
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "accounts.language.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.twofactor.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.AbsoluteSessionTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock after repeated wrong passwords or second-factor codes. Failures are counted per address and,
# separately, per account, so changing address does not reset an account's count. What was typed (the
# request's parameters) is never stored: accounts/lockout.py.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_VERBOSE = False
# A correct password alone must not wipe the count, or wrong codes could be guessed in endless rounds of
# logging in again: the count starts afresh only once both factors passed (accounts/twofactor.py).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_TLS_PROXY", False) else None
OTP_TOTP_ISSUER = ORGANISATION_NAME

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "reminders.context_processors.deadlines_due",
            ],
        },
    },
]

# The embedded default lives in var/, which a fresh clone does not have yet.
_DEFAULT_SQLITE = BASE_DIR / "var" / "db.sqlite3"
if "DATABASE_URL" not in os.environ:
    _DEFAULT_SQLITE.parent.mkdir(mode=0o700, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_DEFAULT_SQLITE}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is checked before each request reuses it: after the database restarted, the first
        # request on each web worker reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer at all (its network gone, not only its server) is a quick "briefly
    # unavailable" page, not a request that hangs until the web server's timeout kills the worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5, minimum=1
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's, with the database file and its journal readable by the server's account only.
    DATABASES["default"]["ENGINE"] = "config.private_sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # A few people at once: readers never wait for the writer (WAL), and a writer waits its turn
        # for up to 20 s instead of failing with "database is locked". secure_delete: deleted rows are
        # overwritten, not left readable in free pages, so an erased identity cannot be carved out of
        # a seized laptop's database file (cases.services.erase_identity also checkpoints the WAL).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON",
        "timeout": 20,
        # Take the write lock when a transaction begins: one that read first and then asks to write
        # cannot wait for it (SQLite refuses at once, to avoid a deadlock), so it would fail.
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new passwords; the others only to read hashes made before a change of default.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# WhiteNoise serves the collected static files with far-future caching under hashed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Attached files and export ZIPs, and the folders made for them, are the server account's alone, whatever the
# umask (config/private_sqlite does the same for the SQLite database).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Each person's key, wrapped by FIELD_ENCRYPTION_KEYS, apart from the database and its backups (cases/keystore.py).
KEY_STORE_PATH = Path(env_str("KEY_STORE_PATH", str(BASE_DIR / "var" / "keys.sqlite3")))
# Spreadsheet imports (imports/reading.py): the largest file accepted, the most rows in one sheet, and what an
# XLSX workbook may unpack to in all and per byte packed (a "zip bomb" is refused before it is opened).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=1)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 500 * 1024 * 1024, minimum=1)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 200, minimum=10)
# Uploaded evidence is never served from MEDIA_URL directly; see cases/views.py.
MEDIA_URL = "/media-not-served/"
SOURCE_FILE_MAX_BYTES = env_int("SOURCE_FILE_MAX_BYTES", 20 * 1024 * 1024)
# A bulk export ZIP is a copy of many identities: it is deleted this long after the export was asked for.
EXPORT_DOWNLOAD_HOURS = env_int("EXPORT_DOWNLOAD_HOURS", 24, minimum=1)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "front:case_list"
LOGOUT_REDIRECT_URL = "login"

# Messages can quote record values (an edit conflict shows what the other editor changed): kept in the
# server-side session, never in a cookie on the user's disk.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Idle timeout: the cookie's age, renewed by every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# Absolute timeout, however active the session (cases/middleware.py).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Nothing inline and nothing from elsewhere: every script and style is a file we serve.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Bulk exports run in the background: `manage.py db_worker` executes the queued tasks.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# `db_worker` (exports/worker.py) says it is alive every WORKER_BEAT_SECONDS. A worker not heard from for
# WORKER_LEASE_SECONDS has stopped (killed, or its machine is gone): the tasks it was running go back to the queue
# for the next worker, and the health check says no worker is running. A worker on the same machine whose process
# is gone is known to have stopped at once. The lease must outlast a few missed beats, or a busy worker would be
# taken for stopped.
WORKER_BEAT_SECONDS = env_float("WORKER_BEAT_SECONDS", 5, minimum=0.05)
WORKER_LEASE_SECONDS = env_float("WORKER_LEASE_SECONDS", 30, minimum=3 * WORKER_BEAT_SECONDS)
# The worker also counts again, every FIGURES_RECOUNT_SECONDS, the figures viewed within the hour that records changed
# since (exports/counted.py), so that their next view reads them instead of counting every record.
FIGURES_RECOUNT_SECONDS = env_float("FIGURES_RECOUNT_SECONDS", 10, minimum=0.05)
# A bulk export interrupted this many times (its worker stopped, or the database went away) fails, saying so,
# with a button to try again: a job that kills its worker every time must not do so for ever.
EXPORT_ATTEMPTS = env_int("EXPORT_ATTEMPTS", 3, minimum=1)
# Mail: email digests of deadlines (reminders/digest.py, `manage.py send_digests`), through Django's mailers.
# Development without an EMAIL_HOST prints mail to the console; otherwise SMTP, encrypted unless the server is
# on this machine (reminders/checks.py refuses the rest at `check --deploy`).
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    _SMTP if PRODUCTION or "EMAIL_HOST" in os.environ else "django.core.mail.backends.console.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25, minimum=1),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "use_ssl": env_bool("EMAIL_USE_SSL", False),
    "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
}
if _SMTP_OPTIONS["use_tls"] and _SMTP_OPTIONS["use_ssl"]:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL (TLS from the start), not both.")
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _SMTP_OPTIONS if _MAIL_BACKEND == _SMTP else {}}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "case-tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open, for links in digests and the calendar address.
SITE_URL = env_str(
    "SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000"
).rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https://, not {SITE_URL!r}")
# A run of send_digests before this hour (TIME_ZONE) sends nothing, so an hourly cron line mails in the morning
# and retries failures later in the day; `send_digests --now` does not wait.
DIGEST_SEND_HOUR = env_int("DIGEST_SEND_HOUR", 7, minimum=0)
if DIGEST_SEND_HOUR > 23:
    raise ImproperlyConfigured(f"DIGEST_SEND_HOUR must be an hour from 0 to 23, not {DIGEST_SEND_HOUR}")
# A digest the mail server refused is tried again by the next runs of the same period, this many times in all.
DIGEST_MAX_ATTEMPTS = env_int("DIGEST_MAX_ATTEMPTS", 5, minimum=1)

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Every login would be logged at INFO; lockouts come at WARNING and stay. The document libraries' INFO is
    # chatter (pikepdf announces itself on every start).
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}
