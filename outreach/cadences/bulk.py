"""Set-wise writes with history for enrolments: one ``INSERT … SELECT`` or ``UPDATE`` per group and the
matching history rows copied from the stored rows in the same transaction (style.md: bulk changes record
their own history rows; never a ``QuerySet.update()`` that history does not see)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from collections_crm.history import history_copy_sql


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)




def history_where(model, *, where: str, params: Sequence, history_type: str, actor_id: int, reason: str,
                  at: datetime) -> None:
    """One history row per stored row matching ``where`` (SQL over the model's own columns)."""
    sql = history_copy_sql(model).format(where=where)
    at_db = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        cursor.execute(sql, [at_db, reason[:100], history_type, actor_id, *params])


def update_with_history(model, *, queryset, values: dict, marker: str, marker_params: Sequence,
                        actor_id: int, reason: str, at: datetime) -> int:
    """``UPDATE`` the rows of ``queryset`` (a subquery, no ids through Python) with ``values``, then copy
    the rows the update marked — ``marker`` is SQL over the model's columns that only they now match
    (e.g. this tick's instant in ``ended_at``) — to history. Returns the number of rows updated."""
    done = model._base_manager.filter(pk__in=queryset.order_by().values("pk")).update(**values)
    if done:
        history_where(model, where=marker, params=marker_params, history_type="~", actor_id=actor_id,
                      reason=reason, at=at)
    return done


def insert_select(model, *, columns: Sequence[str], queryset) -> int:
    """``INSERT INTO model (columns) SELECT …`` from a ``values()`` queryset whose selected expressions
    come in the same order as ``columns``. Returns the number of rows inserted."""
    sql, params = queryset.query.sql_with_params()
    cols = ", ".join(_qn(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {_qn(model._meta.db_table)} ({cols}) {sql}", params)  # noqa: S608
        return cursor.rowcount


def ids_in(field: str, ids: Sequence[int]) -> Q:
    """``field`` in ``ids`` as a filter: one array parameter on PostgreSQL (a 20,000-id chunk is not a
    20,000-placeholder statement), a plain ``IN`` list elsewhere."""
    if connection.vendor == "postgresql":
        # One array literal for the server to parse: psycopg adapting a 20,000-int list costs ~170 ms.
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", ["{" + ",".join(map(str, map(int, ids))) + "}"])})
    return Q(**{f"{field}__in": list(ids)})
