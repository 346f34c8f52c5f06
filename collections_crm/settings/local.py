"""The embedded default: SQLite, the filesystem Celery broker, dev outbox, offline gateway."""

from .base import *  # noqa: F403
from .base import _OUTREACH_DEV, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Every channel lands in the dev outbox (/dev/outbox/) unless set otherwise.
OUTREACH_BACKENDS = {**OUTREACH_BACKENDS, "email": env("OUTREACH_EMAIL_BACKEND", default=_OUTREACH_DEV)}  # noqa: F405
