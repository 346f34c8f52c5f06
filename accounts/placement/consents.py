"""Consent from a placement file: what the creditor says each customer agreed to, per channel.

A file can grant or record "no consent", but it never overrides what the customer or an agent decided:
once the latest record for a (customer, channel) came from anywhere but an import — a STOP reply, the
portal, an agent, an email link — the file is ignored for that channel (an opt-out is the customer's,
47 CFR 64.1200(a)(10)). Re-importing the same file writes nothing (only changes are recorded)."""

from __future__ import annotations

from django.db import connection

from compliance.audit import audit_record
from compliance.choices import ConsentSource, ConsentStatus
from compliance.models import ConsentRecord

from .rows import PlacedRow
from .writer import TableWriter, key_filter, select_dicts

_RECORD_FIELDS = ("customer", "channel", "status", "source", "address", "evidence", "link_nonce", "at", "actor")


def _latest(customer_ids: list[int]) -> dict[tuple[int, str], tuple[str, str]]:
    """(customer, channel) → (status, source) of the latest consent record, one query."""
    if not customer_ids:
        return {}
    where, params = key_filter("customer_id", customer_ids)
    # The table name comes from the model and the keys are bound parameters.
    table = ConsentRecord._meta.db_table
    distinct = "DISTINCT ON (customer_id, channel) " if connection.vendor == "postgresql" else ""
    sql = (f"SELECT {distinct}customer_id, channel, status, source FROM {table} "  # noqa: S608
           f"WHERE {where} ORDER BY customer_id, channel, at DESC, id DESC")
    rows = select_dicts(sql, params)
    latest: dict[tuple[int, str], tuple[str, str]] = {}
    for row in rows:
        latest.setdefault((row["customer_id"], row["channel"]), (row["status"], row["source"]))
    return latest


def import_consents(
    *, rows: list[PlacedRow], customer_ids: dict[str, int], actor, at, creditor=None,
    new_customers: frozenset[int] | set[int] = frozenset(),
) -> int:
    """Record the consents a chunk of rows states, where they change something. Returns how many.
    ``new_customers``: ids of customers created in this chunk (they have no record yet to look up).
    The records go in with one set-wise insert (``COPY`` on PostgreSQL), like the rest of the chunk."""
    wanted: dict[tuple[int, str], tuple[bool, str, str]] = {}
    for row in rows:
        if not row.consents:
            continue
        pk = customer_ids[row.customer["external_ref"]]
        for channel, granted in row.consents.items():
            address = row.customer["email"] if channel == "email" else row.customer["phone"]
            wanted.setdefault((pk, channel), (granted, address, row.consent_evidence))
    if not wanted:
        return 0
    latest = _latest(sorted({pk for pk, _c in wanted if pk not in new_customers}))
    records = []
    granted_count = 0
    customers = set()
    for (pk, channel), (granted, address, evidence) in wanted.items():
        status = ConsentStatus.GRANTED if granted else ConsentStatus.REVOKED
        current = latest.get((pk, channel))
        if current is not None and (current[1] != ConsentSource.IMPORT or current[0] == status):
            continue
        if current is None and not granted:
            continue  # no consent on record already means no consent
        records.append((pk, channel, status, ConsentSource.IMPORT, address, evidence or "placement file", None, at,
                        actor.pk))
        granted_count += granted
        customers.add(pk)
    if records:
        TableWriter(ConsentRecord, _RECORD_FIELDS).insert(records)
        audit_record(actor=actor, action="consent.imported", creditor=creditor, object_type="compliance.consentrecord",
                     payload={"granted": granted_count, "revoked": len(records) - granted_count,
                              "customers": len(customers)})
    return len(records)
