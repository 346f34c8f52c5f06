"""Small placement files written from dicts, for tests."""

import csv
import io

from accounts.placement.rows import COLUMNS

GOOD = {
    "customer_ref": "C1", "first_name": "Ngozi", "last_name": "Eze", "email": "ngozi@example.com",
    "phone": "0803 123 4567", "preferred_channel": "sms", "language": "en", "account_reference": "A1",
    "product": "Electricity", "currency": "NGN", "principal": "40,000.00", "interest": "1500", "fees": "500",
    "credits": "0", "due_date": "2024-01-15",
}


def row(**changes) -> dict:
    return {**GOOD, **changes}


def csv_bytes(rows: list[dict], *, columns=None, bom=False, encoding="utf-8") -> bytes:
    columns = columns or list(COLUMNS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
