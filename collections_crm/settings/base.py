"""Settings shared by every environment. Everything that differs between machines comes from the
environment (django-environ); see README "Production settings"."""

from pathlib import Path

import environ
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Where customers open their personal pay links (/p/<code>); the same site unless set apart.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default=SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "accounts",
    "compliance",
    "outreach",
    "payments",
    "desk",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "collections_crm.urls"
WSGI_APPLICATION = "collections_crm.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions let the web server, the worker and beat share one SQLite file
    # without "database is locked" errors on the embedded default.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs far more than it saves on this OLTP app's wide filters (seconds of
        # compile time for the contact gate's set-based query); see docs/benchmarks.md "Contact gate".
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Languages: English, Nigerian Pidgin, French, Spanish. Django has no Pidgin entry, so we add one.
LANG_INFO.setdefault(
    "pcm", {"bidi": False, "code": "pcm", "name": "Nigerian Pidgin", "name_local": "Naijá"}
)
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pcm", "Nigerian Pidgin"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries come from npm (package.json + package-lock.json), never copied by hand.
_NODE = BASE_DIR / "node_modules"
for _prefix, _path in [
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/chartjs", _NODE / "chart.js" / "dist"),
    ("vendor/axe", _NODE / "axe-core"),
]:
    if _path.exists():
        STATICFILES_DIRS.append((_prefix, _path))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"

# Uploads: keep big files on disk, never in memory. Placement uploads have their own size cap.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PLACEMENT_UPLOAD_MAX_BYTES = env.int("PLACEMENT_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsAgent"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "collections_crm.api.StableCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "collections_crm.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Collections CRM API",
    "DESCRIPTION": "Place accounts, read outcomes, act on cases.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Celery. The embedded default is kombu's filesystem transport: no server, shared by web, worker, beat.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery-queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        # kombu otherwise keeps its exchange table in ./control, wherever the process was started.
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Tasks a worker enqueues itself (a tick's send batches, a batch's sends) go to this queue; the test
# worker fixture points it at the worker's own queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One static schedule; each app adds its entries in collections_crm/settings/schedule.py.
from .schedule import CELERY_BEAT_SCHEDULE  # noqa: E402, F401

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="reminders@collections-crm.local")

# Integrations (see README). Empty keys select the offline gateway / dev channel back-ends.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
if not STRIPE_SECRET_KEY and not STRIPE_WEBHOOK_SECRET:
    # The offline gateway signs its events with Stripe's scheme; locally it needs some secret.
    STRIPE_WEBHOOK_SECRET = "whsec_offline_local_only"
PAYMENTS_OFFLINE_PAGE = env.bool("PAYMENTS_OFFLINE_PAGE", default=not STRIPE_SECRET_KEY)
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_SMS_FROM = env("TWILIO_SMS_FROM", default="")
TWILIO_WHATSAPP_FROM = env("TWILIO_WHATSAPP_FROM", default="")
# Where Twilio posts delivery status callbacks (signed); empty → PUBLIC_BASE_URL + the webhook path.
TWILIO_STATUS_CALLBACK_URL = env("TWILIO_STATUS_CALLBACK_URL", default="")

# Outreach: personal pay links, help link, and which back-end sends each channel (see README).
OUTREACH_PAY_LINK_DAYS = env.int("OUTREACH_PAY_LINK_DAYS", default=30)
OUTREACH_FAQ_URL = env("OUTREACH_FAQ_URL", default=PUBLIC_BASE_URL.rstrip("/") + "/help/")
_OUTREACH_DEV = "outreach.backends.dev.DevOutboxBackend"
OUTREACH_BACKENDS = {
    "email": env("OUTREACH_EMAIL_BACKEND", default="outreach.backends.email.EmailBackend"),
    "sms": env("OUTREACH_SMS_BACKEND", default="outreach.backends.twilio.TwilioBackend" if TWILIO_ACCOUNT_SID else _OUTREACH_DEV),
    "whatsapp": env(
        "OUTREACH_WHATSAPP_BACKEND", default="outreach.backends.twilio.TwilioBackend" if TWILIO_ACCOUNT_SID else _OUTREACH_DEV
    ),
    "voice": env("OUTREACH_VOICE_BACKEND", default="outreach.backends.voice.CallTaskBackend"),
}
# Shared secret the inbound-email provider sends (header X-Inbound-Secret); empty → endpoint refuses all.
OUTREACH_INBOUND_EMAIL_SECRET = env("OUTREACH_INBOUND_EMAIL_SECRET", default="")
OUTREACH_SEND_MAX_RETRIES = env.int("OUTREACH_SEND_MAX_RETRIES", default=5)
# The JSON-over-HTTP back-end (outreach.backends.http_sink): where it posts.
OUTREACH_HTTP_SINK_URL = env("OUTREACH_HTTP_SINK_URL", default="")
# How many requests the HTTP sink back-end has in flight at once when it sends a batch.
OUTREACH_HTTP_SINK_THREADS = env.int("OUTREACH_HTTP_SINK_THREADS", default=8)
# Messages queued together go to the worker in send tasks of at most this many.
OUTREACH_SEND_BATCH = env.int("OUTREACH_SEND_BATCH", default=100)
OUTREACH_HARDSHIP_PAUSE_DAYS = env.int("OUTREACH_HARDSHIP_PAUSE_DAYS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Customer portal (/p/): sessions end after PORTAL_IDLE_MINUTES without a request or PORTAL_MAX_HOURS in
# all; verification locks for PORTAL_LOCKOUT_MINUTES after too many failures per link or per address
# (counted in the cache: configure a shared cache, e.g. CACHE_URL=redis://…, when running several processes).
PORTAL_IDLE_MINUTES = env.int("PORTAL_IDLE_MINUTES", default=30)
PORTAL_MAX_HOURS = env.int("PORTAL_MAX_HOURS", default=4)
PORTAL_VERIFY_MAX_FAILURES = env.int("PORTAL_VERIFY_MAX_FAILURES", default=5)
PORTAL_VERIFY_MAX_FAILURES_PER_IP = env.int("PORTAL_VERIFY_MAX_FAILURES_PER_IP", default=20)
PORTAL_LOCKOUT_MINUTES = env.int("PORTAL_LOCKOUT_MINUTES", default=30)
PORTAL_UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Retention (days) per record type; see compliance/retention.py and README "Audit, evidence and
# retention". 12 CFR 1006.100: keep records until 3 years after the last collection activity on the debt;
# call recordings 3 years after each call. After that, personal data is anonymised (GDPR Art 5(1)(e),
# NDPA ss.24-26). 1096 days = 3 years including a leap day. The audit chain itself is never purged.
RETENTION = {
    "closed_account_personal_data": env.int("RETENTION_CLOSED_ACCOUNT_DAYS", default=1096),
    "call_transcripts": env.int("RETENTION_CALL_TRANSCRIPTS_DAYS", default=1096),
    "consents": env.int("RETENTION_CONSENTS_DAYS", default=1096),
}
