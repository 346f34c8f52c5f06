"""The one Celery app. Tasks live in each app's ``tasks.py`` and are thin: ids in, service call."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_crm.settings.local")

app = Celery("collections_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
