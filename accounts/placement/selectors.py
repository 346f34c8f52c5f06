"""Reads for placement imports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet

from ..models import PlacementImport


def placement_import_list() -> QuerySet[PlacementImport]:
    """Past imports, newest first, without the (possibly large) error rows."""
    return PlacementImport.objects.select_related("creditor", "actor").defer("errors")


def placement_import_get(pk: int) -> PlacementImport:
    return PlacementImport.objects.select_related("creditor", "actor").get(pk=pk)


def placement_error_csv_lines(placement: PlacementImport) -> Iterator[str]:
    """The rejected rows as CSV text (line, column, value, reason), one line at a time for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(["line", "column", "value", "reason"])
    yield flush()
    for error in placement.errors:
        writer.writerow([error["line"], error["column"], _safe(error["value"]), error["reason"]])
        yield flush()


def _safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
