"""Test settings: SQLite in memory by default; DATABASE_URL/CELERY_BROKER_URL switch to PostgreSQL/Redis."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/collections-crm-test-media")  # noqa: S108
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
