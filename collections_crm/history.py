"""Attribution for django-simple-history outside requests: services say who acted and why."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import models

SYSTEM_USERNAME = "system"


def system_user():
    """The user unattended work (Celery, commands without --actor) is attributed to."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "System", "last_name": "(automated)"},
    )
    return user


def save_tracked(obj: models.Model, *, actor, reason: str, validate: bool = True, **save_kwargs):
    """full_clean() then save(), with the history row attributed to ``actor`` and ``reason``."""
    if validate:
        obj.full_clean()
    obj._history_user = actor
    obj._change_reason = reason[:100]
    obj.save(**save_kwargs)
    return obj
