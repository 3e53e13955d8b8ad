"""Base settings. Every value that differs between machines comes from an environment variable here.

Defaults are safe for production: DEBUG is off unless DJANGO_DEBUG=1 (make run sets it), there is no
secret key outside DEBUG, and the HTTPS/HSTS/cookie settings are on whenever DEBUG is off, so that
`manage.py check --deploy --fail-level WARNING` is clean with the production variables set.
The embedded default (SQLite + the server-less sqla+sqlite Celery broker) needs no service at all.
"""

from __future__ import annotations

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from accounts.roles import Role
from config.bootstrap import OWNER_COMMANDS
from core.crypto import derived_key, is_valid_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- core -----------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Commands that only read code (they serve nothing and sign nothing) run without production variables,
# so that `manage.py makemigrations --check` works as a gate on any checkout.
CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "procedure_doc"}
_code_only = len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py" and sys.argv[1] in CODE_ONLY_COMMANDS

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and _code_only:
    SECRET_KEY = secrets.token_urlsafe(50)  # never used to sign anything that outlives the command
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY chưa được đặt; bắt buộc khi DJANGO_DEBUG tắt / SECRET_KEY is not set; it is required "
            "when DJANGO_DEBUG is off (generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS and not _code_only:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS chưa được đặt; bắt buộc khi DJANGO_DEBUG tắt / ALLOWED_HOSTS is not set; it is "
        "required when DJANGO_DEBUG is off (comma-separated host names)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- personal data at rest (core.crypto, core.fields; docs/security.md, "Personal data") --------------
# FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys; the first encrypts, all decrypt (rotation: put the new
# key first, run `manage.py encryption_rotate`, then drop the old one). BLIND_INDEX_KEY: the separate HMAC
# key of the blind indexes (lookup and uniqueness of the CCCD). Generate either with
# python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'.
# In DEBUG, and in commands that only read code, they are derived from SECRET_KEY (never in production).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="")
if DEBUG or _code_only:
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [derived_key(SECRET_KEY, "field-encryption")]
    BLIND_INDEX_KEY = BLIND_INDEX_KEY or derived_key(SECRET_KEY, "blind-index")
for _name, _missing in (
    ("FIELD_ENCRYPTION_KEYS", not FIELD_ENCRYPTION_KEYS),
    ("BLIND_INDEX_KEY", not BLIND_INDEX_KEY),
):
    if _missing:
        raise ImproperlyConfigured(
            f"{_name} chưa được đặt; bắt buộc khi DJANGO_DEBUG tắt / {_name} is not set; it is required when "
            "DJANGO_DEBUG is off (generate a key with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
if not all(is_valid_key(key) for key in FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS chứa khóa không hợp lệ / FIELD_ENCRYPTION_KEYS holds an invalid key "
        "(each is url-safe base64 of 32 bytes, as Fernet.generate_key() makes)."
    )
if len(BLIND_INDEX_KEY) < 32:
    raise ImproperlyConfigured(
        "BLIND_INDEX_KEY quá ngắn / BLIND_INDEX_KEY is too short (at least 32 characters; a Fernet key "
        "will do)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "guardian",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "viewflow",
    "viewflow.workflow",
    # ours, lowest layer first (docs/architecture.md §2)
    "core",
    "accounts",
    "dossiers",
    "councils",
    "documents",
    "notifications",
    "workflows",
    "web",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.UploadScriptMiddleware",  # the upload script is told where to go, not redirected
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.UploadNamesMiddleware",  # keeps a folder path sent in a file name, to refuse it
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.security_log.SecurityLogMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",  # signs out after SESSION_IDLE_TIMEOUT_SECONDS idle
    "accounts.middleware.TwoFactorMiddleware",  # no page but the sign-in steps before the second factor
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a locked-out login into the 429 page
]

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.notifications",
                "web.context_processors.roles",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
# DATABASE_URL: the application's connection (web server, worker, beat and every other command). On
# PostgreSQL, a role that owns nothing and holds only the privileges core.db_roles grants it.
# DATABASE_MIGRATE_URL: the same database as the tables' owner, for the commands that create tables or hand
# out privileges (config.bootstrap.OWNER_COMMANDS, through manage.py); unset, they use DATABASE_URL (one
# URL, one role).
_owner_command = len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py" and sys.argv[1] in OWNER_COMMANDS
_app_database = env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
_migrate_url = env.str("DATABASE_MIGRATE_URL", default="")  # not a setting: it holds the owner's password
# The role core.db_roles.grant_app_role gives the application's privileges to.
DATABASE_APP_ROLE = _app_database.get("USER") or ""
DATABASES = {"default": env.db_url_config(_migrate_url) if _owner_command and _migrate_url else _app_database}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web server and the worker share the file without
    # "database is locked" errors. secure_delete: a deleted row is overwritten with zeros, so that the
    # sealed ballot box deleted at a ballot's close leaves nothing in the file (docs/security.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth and permissions -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out (username, IP) before any check
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no AnonymousUser row
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# OWASP ASVS 5.0 (6.2): at least 8 characters, common and breached-list passwords refused, no rule on
# which kinds of character (composition rules are forbidden there, so no NumericPasswordValidator), and
# no upper limit below 64 (Django's forms have none; the hashers take any length).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed out after this long without a request (accounts.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# Casting a ballot and recording a decision need a password (and code) entered this recently.
REAUTH_MAX_AGE_SECONDS = env.int("REAUTH_MAX_AGE_SECONDS", default=300)

# Login throttling (django-axes) on the pair (username, client address): guessing from one address is
# slowed, but nobody can lock a user out of the other addresses they sign in from. A success resets it.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "web.account_views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.auth.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# Reverse proxies in front of the site that append the client's address to X-Forwarded-For (0: none,
# the address is REMOTE_ADDR; behind one nginx: 1). Never more than there are, or clients choose theirs.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Second factor (TOTP, django-otp): required for these roles and for staff and superusers; other users
# may enrol and, once they have, are asked for the code too (accounts.auth.two_factor_required).
TWO_FACTOR_REQUIRED_ROLES = env.list(
    "TWO_FACTOR_REQUIRED_ROLES",
    default=[
        Role.COUNCIL_MEMBER.value,
        Role.COUNCIL_SECRETARY.value,
        Role.MINISTRY_CLERK.value,
        Role.MINISTRY_LEADER.value,
        Role.SYSTEM_ADMINISTRATOR.value,
    ],
)
# An invitation (a one-time link to set a password and enrol the second factor) is valid this many days.
ACCOUNT_INVITATION_DAYS = env.int("ACCOUNT_INVITATION_DAYS", default=7)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Nghệ nhân")
# Wrong codes: django-otp's TOTPDevice waits 1, 2, 4, 8 ... seconds (times this factor) after each.
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_TOTP_THROTTLE_FACTOR", default=1)

# --- language, time, formats ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- files ----------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
# Uploaded evidence lives outside the web root and is served only through permission-checking views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = None
# Uploaded files are written whole or not at all (core/storage.py); Django's default storage leaves a
# partly written file behind when the disk fills up.
STORAGES = {
    "default": {"BACKEND": "core.storage.WholeFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
# Rows a page of the dossier list, the inbox, the documents and the notifications (`?trang=2`, ...). A
# page's cost is its rows' rendering: 25 keep every list within 5x a plain page (make bench).
LIST_PAGE_SIZE = env.int("LIST_PAGE_SIZE", default=25)

# Largest upload per attachment kind (Attachment.Kind), "default" for the kinds not listed.
ATTACHMENT_MAX_BYTES = {
    "default": env.int("ATTACHMENT_MAX_BYTES_DEFAULT", default=20 * 1024 * 1024),
    "skills_media": env.int("ATTACHMENT_MAX_BYTES_SKILLS_MEDIA", default=200 * 1024 * 1024),
}

# A list of nominees uploaded from Excel (/ho-so/nhap-excel/): its largest size, its most rows under the
# header, and how long its preview waits for the officer's confirmation before it is deleted.
NOMINEE_IMPORT_MAX_BYTES = env.int("NOMINEE_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
NOMINEE_IMPORT_MAX_ROWS = env.int("NOMINEE_IMPORT_MAX_ROWS", default=500)
NOMINEE_IMPORT_TTL_SECONDS = env.int("NOMINEE_IMPORT_TTL_SECONDS", default=2 * 3600)

# The public comment form: at most this many comments from one connection per window.
PUBLIC_COMMENTS_PER_WINDOW = env.int("PUBLIC_COMMENTS_PER_WINDOW", default=5)
PUBLIC_COMMENT_WINDOW_SECONDS = env.int("PUBLIC_COMMENT_WINDOW_SECONDS", default=3600)
# A ceiling on the comments one nominee can receive in a day (local days), whoever sends them.
PUBLIC_COMMENTS_PER_DOSSIER_PER_DAY = env.int("PUBLIC_COMMENTS_PER_DOSSIER_PER_DAY", default=200)

# Generated documents (documents/): retries of a failed build, and the PDF rendition where LibreOffice
# is installed (found on PATH unless DOCUMENTS_SOFFICE names the program; each conversion has a timeout).
DOCUMENTS_MAX_ATTEMPTS = env.int("DOCUMENTS_MAX_ATTEMPTS", default=4)
DOCUMENTS_RETRY_BACKOFF_SECONDS = env.int("DOCUMENTS_RETRY_BACKOFF_SECONDS", default=30)
DOCUMENTS_SOFFICE = env.str("DOCUMENTS_SOFFICE", default="")
# A document still queued (or left generating by a worker that died) this long after its request is
# queued again by beat (documents.requeue_stale); a ready one is never rebuilt, so this is safe.
DOCUMENTS_STALE_SECONDS = env.int("DOCUMENTS_STALE_SECONDS", default=600)
DOCUMENTS_PDF_TIMEOUT_SECONDS = env.int("DOCUMENTS_PDF_TIMEOUT_SECONDS", default=120)
# Where the public sends written comments on the Government-portal posting (the Ministry's address).
MINISTRY_COMMENT_ADDRESS = env.str(
    "MINISTRY_COMMENT_ADDRESS", default="Bộ Công Thương, số 54 Hai Bà Trưng, phường Cửa Nam, thành phố Hà Nội"
)
# Whom the accessibility statement names for reports of barriers (an e-mail address or a telephone
# number of the operator); without it, the statement gives the Ministry's postal address above.
ACCESSIBILITY_CONTACT = env.str("ACCESSIBILITY_CONTACT", default="")

# --- e-mail ---------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Nghệ nhân <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- cache ----------------------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Celery ---------------------------------------------------------------------------------------
# The broker: RabbitMQ (amqp://) in production, Redis (redis://) supported, the server-less sqla+sqlite
# one on a developer's machine (docs/deployment.md says why and how each is set up).
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# A task's message is acknowledged after the task ran: a worker killed, or a broker lost, in the middle
# of a task leaves the message to be delivered again (every task is idempotent: docs/operations.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A lost broker connection is retried for ever, at start-up and later: the worker waits for the broker
# instead of exiting (the supervisor restarts it anyway if it exits: deploy/).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# AMQP heartbeats: a connection the broker stopped answering is noticed within about two intervals.
CELERY_BROKER_HEARTBEAT = env.int("CELERY_BROKER_HEARTBEAT", default=30)
# The tasks running when the connection is lost finish their database work; their messages come back
# and are redelivered, which the tasks' idempotence turns into nothing. Killing them instead would leave
# an e-mail claimed but not sent (marked interrupted, never resent) for a broker's hiccup.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False


def _broker_transport_options(url: str) -> dict:
    """Per broker: publisher confirms on AMQP (a publish the broker did not take raises, so the hand-over
    is retried by the sweep); on Redis, a visibility timeout longer than the longest retry countdown
    (notifications wait up to an hour between attempts: a shorter one would deliver a waiting retry
    twice), keepalive and a socket timeout so that a broker gone without closing the connection is
    noticed, and redis-py's health checks."""
    if url.startswith(("amqp://", "amqps://", "pyamqp://")):
        return {"confirm_publish": True}
    if url.startswith(("redis://", "rediss://", "sentinel://")):
        return {
            "visibility_timeout": env.int("CELERY_REDIS_VISIBILITY_TIMEOUT", default=7200),
            "socket_keepalive": True,
            "socket_timeout": 30,
            "socket_connect_timeout": 5,
            "retry_on_timeout": True,
            "health_check_interval": 10,
        }
    return {}


CELERY_BROKER_TRANSPORT_OPTIONS = _broker_transport_options(CELERY_BROKER_URL)
# The worker's processes: a prefork pool of one process per core unless CELERY_WORKER_CONCURRENCY says
# otherwise; each process is replaced after this many tasks and when it grows above this many KiB
# (python-docx and the PDF conversion hold large documents), so that a leak cannot grow for ever.
CELERY_WORKER_POOL = "prefork"
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=0) or None  # None: the cores
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=500)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The outbox's relay. A step's events and documents are rows of its transaction, queued on the broker
# after the commit, which records `handed_over_at`. Every HANDOVER_SECONDS the hand-over sweeps queue what
# nobody queued for HANDOVER_SECONDS (a process died after its commit, or the broker was down): so it is on
# its way within a minute, and a row already queued is not queued again (no copies piled on a backlog).
# A row queued but still not done after *_STALE_SECONDS (the broker lost the message) is queued again by
# the sweeps every SWEEP_SECONDS. Never twice in effect: each task is idempotent, an e-mail is claimed.
HANDOVER_SECONDS = env.int("HANDOVER_SECONDS", default=30)
SWEEP_SECONDS = env.int("SWEEP_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.heartbeat", "schedule": 60.0, "kwargs": {"source": "beat"}},
    "deadlines": {"task": "workflows.fire_due_timers", "schedule": 300.0},
    "rate-counters-prune": {"task": "core.rate_counters_prune", "schedule": crontab(hour=3, minute=30)},
    "documents-requeue-stale": {"task": "documents.requeue_stale", "schedule": float(HANDOVER_SECONDS)},
    "events-hand-over": {"task": "notifications.hand_over", "schedule": float(HANDOVER_SECONDS)},
    # batch documents of a batch cut short (its dossiers' steps are kept; their list is not lost)
    "batch-documents-flush": {"task": "workflows.flush_batch_documents", "schedule": 60.0},
    # reminders and escalation (each sent once, whenever the sweep runs), and lost tasks queued again
    "notification-reminders": {"task": "notifications.reminder_sweep", "schedule": float(SWEEP_SECONDS)},
    # the sealed ballot box's dead rows, when a close could not remove them at once (docs/security.md)
    "sealed-ballot-box": {"task": "councils.purge_sealed_box", "schedule": 300.0},
    # the daily digest, at 07:00 Vietnam time (CELERY_TIMEZONE)
    "notification-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(hour=env.int("NOTIFICATIONS_DIGEST_HOUR", default=7), minute=0),
    },
}
# A worker whose last heartbeat is older than this is reported as not running on the health page (and
# /health/worker/ answers 503): three missed beats.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=180)

# --- notifications --------------------------------------------------------------------------------
# The one address of the site that every link leaving a page is built from: e-mails (the dossier, the
# notifications page, an invitation), documents (the public comment page). `make run WEB_PORT=8101` exports
# its port, so that the links of a local run point at that port. NOTIFICATIONS_SITE_URL is its former name.
SITE_URL = env.str(
    "SITE_URL",
    default=env.str(
        "NOTIFICATIONS_SITE_URL", default=f"http://127.0.0.1:{env.int('WEB_PORT', default=8000)}"
    ),
)
# Reminder leads (not periods of the law: those are in the rulebook).
NOTIFICATIONS_DEADLINE_REMINDER_DAYS = env.int("NOTIFICATIONS_DEADLINE_REMINDER_DAYS", default=2)
NOTIFICATIONS_BALLOT_REMINDER_HOURS = env.int("NOTIFICATIONS_BALLOT_REMINDER_HOURS", default=24)
# An event not dispatched or an e-mail not sent after this long is queued again by the sweep.
NOTIFICATIONS_STALE_SECONDS = env.int("NOTIFICATIONS_STALE_SECONDS", default=600)

# --- validators -----------------------------------------------------------------------------------
# core.validators.check_cccd asks this function whether the first three digits of a CCCD number are a
# former province's birth-registration code (core sits below accounts, so it is named, not imported).
CCCD_PROVINCE_LOOKUP = "accounts.selectors.former_province_by_cccd_code"

# --- viewflow -------------------------------------------------------------------------------------
VIEWFLOW = {"AUTOREGISTER": False}

# --- security (on whenever DEBUG is off) ----------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", True) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only; no inline
# script or style (our templates have none; htmx's indicator style is switched off in base.html), no
# plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Browser features the site never uses, switched off (core.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# --- logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # UTC times, and line breaks in messages escaped (core.security_log.SafeUtcFormatter)
    "formatters": {
        "plain": {
            "()": "core.security_log.SafeUtcFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every failed and successful sign-in (kept), and a banner at every start (not: a
    # command's output, such as the one-line configuration errors, stays one line)
    # pikepdf announces its logger bridge at INFO when first imported: not news for an operator
    "loggers": {"axes.apps": {"level": "WARNING"}, "pikepdf": {"level": "WARNING"}},
}

# --- demo data --------------------------------------------------------------------------------------
# Password given to every demo user by `manage.py seed_demo` (local demonstration only).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="nghenhan-demo-2026")
