"""Retention (issue item 10): anonymise personal data once it is past its retention period, while the
audit chain keeps verifying.

- Customers whose accounts are ALL closed and whose last activity is older than
  ``settings.RETENTION["closed_account_personal_data"]`` days (12 CFR 1006.100: 3 years after the last
  collection activity) have their personal fields blanked — on the live row (a tracked save, so the
  anonymisation itself is in history) and on every historical row of theirs (history tables are not the
  audit chain, and old names in them would defeat the purpose).
- Other apps register purgers for their own record types (transcripts, consents…) with
  ``@retention_purger("call_transcripts")``: a function ``(cutoff, dry_run) -> {"count": n, "ids": [...]}``
  that anonymises or deletes rows older than ``cutoff``.
- Audit events are never touched (the PostgreSQL trigger would refuse anyway): they hold no personal data
  (see compliance/audit.py). The purge itself is recorded: one ``retention.anonymised`` event per customer
  and one ``retention.purge`` summary with counts and ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.choices import AccountStatus
from accounts.models import Account, Customer
from collections_crm.history import save_tracked

from .audit import audit_record
from .models import AuditEvent

ANONYMISED_NAME = "Anonymised"
# Field → the value it gets. Keeps external_ref (the creditor's pseudonymous key, needed to answer the
# creditor) and the non-identifying preferences.
CUSTOMER_PERSONAL_FIELDS: dict[str, object] = {
    "first_name": ANONYMISED_NAME,
    "last_name": "",
    "date_of_birth": None,
    "email": "",
    "phone": "",
    "address_line": "",
    "city": "",
    "postal_code": "",
    "vulnerability_flags": [],
    "vulnerability_note": "",
}

DEFAULT_RETENTION_DAYS = {"closed_account_personal_data": 1096, "call_transcripts": 1096, "consents": 1096}

Purger = Callable[[datetime, bool], dict]
_PURGERS: dict[str, Purger] = {}


def retention_purger(record_type: str):
    """Register ``func(cutoff, dry_run) -> {"count": int, "ids": list}`` for a record type whose days are
    ``settings.RETENTION[record_type]``."""

    def register(func: Purger) -> Purger:
        _PURGERS[record_type] = func
        return func

    return register


def retention_days(record_type: str) -> int:
    configured = getattr(settings, "RETENTION", {}) or {}
    return int(configured.get(record_type, DEFAULT_RETENTION_DAYS.get(record_type, 1096)))


@dataclass
class RetentionResult:
    dry_run: bool
    customers: list[int] = field(default_factory=list)
    history_rows: int = 0
    other: dict[str, dict] = field(default_factory=dict)
    event_seq: int | None = None

    def as_payload(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "customers_anonymised": len(self.customers),
            "customer_ids": self.customers,
            "history_rows_anonymised": self.history_rows,
            "other": {k: {"count": v.get("count", 0), "ids": list(v.get("ids", []))[:1000]}
                      for k, v in self.other.items()},
        }


def customers_past_retention(*, now: datetime | None = None):
    """Customers every one of whose accounts is closed, whose last activity (last account change or last
    audit event about them) is older than the retention period, and who are not anonymised yet."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days("closed_account_personal_data"))
    closed = [s.value for s in AccountStatus.closed_states()]
    open_accounts = Account.objects.filter(customer=OuterRef("pk")).exclude(status__in=closed)
    recent_events = AuditEvent.objects.filter(customer_id=OuterRef("pk"), at__gte=cutoff)
    already = AuditEvent.objects.filter(customer_id=OuterRef("pk"), action="retention.anonymised")
    return (
        Customer.objects.annotate(last_account_change=Max("accounts__updated_at"))
        .filter(accounts__isnull=False)
        .filter(~Exists(open_accounts), ~Exists(recent_events), ~Exists(already))
        .filter(Q(last_account_change__lt=cutoff))
        .filter(updated_at__lt=cutoff)
        .order_by("pk")
        .distinct()
    )


def _anonymise_customer(customer: Customer, *, actor) -> int:
    for name, value in CUSTOMER_PERSONAL_FIELDS.items():
        setattr(customer, name, value)
    # validate=False: the anonymised row must be saved even if an old stored value no longer validates.
    save_tracked(customer, actor=actor, reason="retention: personal data anonymised", validate=False)
    # History rows are plain tables (not the audit chain): blank the same fields in every version.
    return Customer.history.filter(id=customer.pk).update(**CUSTOMER_PERSONAL_FIELDS)


@transaction.atomic
def retention_apply(*, actor, dry_run: bool = False, now: datetime | None = None) -> RetentionResult:
    """Anonymise or purge everything past retention; record what was done (``retention.purge``). With
    ``dry_run`` nothing changes and nothing is recorded: the result says what would happen."""
    now = now or timezone.now()
    result = RetentionResult(dry_run=dry_run)
    for customer_id in list(customers_past_retention(now=now).values_list("pk", flat=True)):
        result.customers.append(customer_id)
        if dry_run:
            continue
        customer = Customer.objects.select_for_update().get(pk=customer_id)
        result.history_rows += _anonymise_customer(customer, actor=actor)
        audit_record(actor=actor, action="retention.anonymised", customer=customer,
                     obj=customer, payload={"fields": sorted(CUSTOMER_PERSONAL_FIELDS)})
    for record_type, purger in _PURGERS.items():
        cutoff = now - timedelta(days=retention_days(record_type))
        result.other[record_type] = purger(cutoff, dry_run)
    if not dry_run:
        result.event_seq = audit_record(actor=actor, action="retention.purge", payload=result.as_payload()).seq
    return result
