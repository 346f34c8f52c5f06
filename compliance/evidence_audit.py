"""Evidence-pack sections the audit side contributes: field history of the account, its customer and
its case, and the audit events about them. Imported (and so registered) from ComplianceConfig.ready()."""

from __future__ import annotations

from .audit_selectors import account_history, audit_events_for_account
from .evidence import evidence_section


@evidence_section("field_history", title="Field history (who changed what, when)")
def field_history(account):
    for entry in account_history(account):
        yield from entry.as_rows()


@evidence_section("audit_events", title="Audit log events")
def audit_events(account):
    for event in audit_events_for_account(account).iterator(chunk_size=2000):
        yield {
            "seq": event.seq,
            "at": event.at.isoformat(),
            "action": event.action,
            "actor": event.actor_username,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "account_id": event.account_id,
            "customer_id": event.customer_id,
            "payload": event.payload,
            "hash": event.hash,
        }
