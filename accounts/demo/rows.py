"""Fast bulk rows for the demo loader: plain dicts straight into the table, with explicit ids, and
the matching django-simple-history "+ created" rows.

Django's bulk_create spends most of its time compiling each value through the model fields (about
1,000 demo accounts a second, so a million would take a quarter of an hour). For a million-account
benchmark we prepare each column's value once per type and insert with PostgreSQL COPY, or
executemany on SQLite. Ids are reserved up front (the table's identity sequence on PostgreSQL; the
current maximum inside our write transaction on SQLite) so foreign keys can be filled in before the
rows are written. Only the demo loader uses this; services keep using the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from django.db import connection, models


class RowWriter:
    """Writes rows of one model (and its history rows) given dicts of attribute values."""

    def __init__(self, model: type[models.Model], *, now: datetime, history_user_id: int, reason: str):
        self.model = model
        self.table = model._meta.db_table
        self.postgres = connection.vendor == "postgresql"
        self.fields = list(model._meta.concrete_fields)
        self.defaults = self._defaults(now)
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.preps = [self._prep_for(f) for f in self.fields]
        history = model.history.model
        self.history_table = history._meta.db_table
        tracked = {f.attname for f in history._meta.concrete_fields}
        self.history_extra = {
            "history_date": now, "history_change_reason": reason[:100], "history_type": "+",
            "history_user_id": history_user_id,
        }
        self.history_attnames = [a for a in self.attnames if a in tracked] + list(self.history_extra)
        history_fields = {f.attname: f for f in history._meta.concrete_fields}
        self.history_columns = [history_fields[a].column for a in self.history_attnames]
        self.history_preps = [self._prep_for(history_fields[a]) for a in self.history_attnames]
        self._next_id: int | None = None

    def _defaults(self, now) -> dict:
        defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = now
            else:
                defaults[f.attname] = f.get_default()  # "" for text fields without a default, else None
        return defaults

    def _prep_for(self, field):
        if isinstance(field, models.JSONField):
            return json.dumps
        if self.postgres:
            return None
        if isinstance(field, models.DateTimeField):
            # SQLite keeps naive UTC text, as Django itself writes it.
            # Many rows share a timestamp (now, placement hours), so convert each value once.
            return lru_cache(maxsize=65536)(connection.ops.adapt_datetimefield_value)
        if isinstance(field, models.TimeField):
            return connection.ops.adapt_timefield_value
        return None

    def reserve_ids(self, count: int) -> list[int]:
        """Ids for ``count`` new rows, taken before the rows are written."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if self._next_id is None:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.table}"')  # noqa: S608 - our own table name
                self._next_id = cursor.fetchone()[0] + 1
        first, self._next_id = self._next_id, self._next_id + count
        return list(range(first, first + count))

    def complete(self, values: dict) -> dict:
        """The full row: model defaults (auto_now fields = now) overlaid with ``values``."""
        return {**self.defaults, **values}

    def write(self, rows: list[dict]) -> None:
        """Insert complete rows (each with its reserved id) and their "+ created" history rows."""
        if not rows:
            return
        self._insert(self.table, self.columns, self._tuples(rows, self.attnames, self.preps, {}))
        self._insert(
            self.history_table, self.history_columns,
            self._tuples(rows, self.history_attnames, self.history_preps, self.history_extra),
        )

    @staticmethod
    def _tuples(rows, attnames, preps, extra) -> Iterable[tuple]:
        pairs = list(zip(attnames, preps, strict=True))
        for row in rows:
            merged = {**row, **extra} if extra else row
            yield tuple(
                (prep(merged[a]) if merged[a] is not None else None) if prep else merged[a] for a, prep in pairs
            )

    def _insert(self, table: str, columns: list[str], tuples: Iterable[tuple]) -> None:
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
                    for values in tuples:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) VALUES ({marks})",  # noqa: S608
                    list(tuples),
                )

