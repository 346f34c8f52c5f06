"""Attribution for django-simple-history outside requests: services say who acted and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import timezone

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


_HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


@cache
def history_copy_sql(model: type[models.Model]) -> str:
    """``INSERT INTO <history> … SELECT … FROM <table> WHERE {where}``: one history row per stored row, for
    bulk writes that record their own history (placement import, cadence enrolments). Parameters, in order:
    history date, change reason, history type, history user id, then the ``where`` clause's own."""
    qn = connection.ops.quote_name
    history_model = model.history.model
    tracked = [f.column for f in history_model._meta.concrete_fields if f.column not in _HISTORY_OWN]
    cols = ", ".join(qn(c) for c in tracked)
    return (
        f"INSERT INTO {qn(history_model._meta.db_table)} ({cols}, {qn('history_date')}, "  # noqa: S608
        f"{qn('history_change_reason')}, {qn('history_type')}, {qn('history_user_id')}) "
        f"SELECT {cols}, %s, %s, %s, %s FROM {qn(model._meta.db_table)} WHERE {{where}}"
    )


def history_copy_rows(model: type[models.Model], pks: Sequence[int], *, history_type: str, actor, reason: str,
                      at: datetime | None = None) -> None:
    """One history row per stored row in ``pks`` (copied by the database as it is now), attributed to
    ``actor`` and ``reason`` — what ``save_tracked`` records for one row, for rows written in bulk.
    ``history_type`` is simple-history's ``+`` (created) or ``~`` (changed)."""
    if not pks:
        return
    qn = connection.ops.quote_name
    params = [connection.ops.adapt_datetimefield_value(at or timezone.now()), reason[:100], history_type,
              getattr(actor, "pk", None)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(history_copy_sql(model).format(where=f"{qn('id')} = ANY(%s)"), [*params, list(pks)])
            return
        for i in range(0, len(pks), 500):  # SQLite: at most 999 parameters a statement
            chunk = list(pks[i:i + 500])
            where = f"{qn('id')} IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(history_copy_sql(model).format(where=where), [*params, *chunk])
