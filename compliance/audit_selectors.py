"""Reads for the audit pages, the audit API and the evidence pack: audit events and field-by-field
history timelines of any model that carries ``HistoricalRecords``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404

from .models import AuditEvent

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def audit_event_list() -> QuerySet[AuditEvent]:
    """Newest first. Events keep plain ids (no joins needed): the list shows usernames stored on them."""
    return AuditEvent.objects.order_by("-seq")


def audit_events_for_account(account) -> QuerySet[AuditEvent]:
    """Everything that happened to the account, its customer (any of their accounts' customer-level
    events) or its case."""
    case_id = getattr(getattr(account, "case", None), "pk", None)
    condition = Q(account_id=account.pk) | Q(customer_id=account.customer_id, account_id__isnull=True)
    if case_id:
        condition |= Q(object_type="accounts.case", object_id=str(case_id))
    return AuditEvent.objects.filter(condition).order_by("seq")


def audit_events_for_object(model: type[models.Model], pk) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id=str(pk)).order_by("seq")


def audit_events_per_day(queryset: QuerySet[AuditEvent]) -> dict:
    """{"labels": [dates], "datasets": [{"label": action family, "data": [...]}]} for Chart.js."""
    rows = (
        queryset.order_by()
        .annotate(day=TruncDate("at"))
        .values("day", "action")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    days: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        day = row["day"].isoformat() if row["day"] else ""
        if day not in days:
            days.append(day)
        family = row["action"].split(".", 1)[0]
        counts.setdefault(family, {}).setdefault(day, 0)
        counts[family][day] += row["n"]
    return {
        "labels": days,
        "datasets": [
            {"label": family, "data": [by_day.get(d, 0) for d in days]} for family, by_day in sorted(counts.items())
        ],
    }


# --- Field history (django-simple-history) ---------------------------------------------------------


def history_models() -> list[type[models.Model]]:
    """Every model that carries HistoricalRecords, in label order."""
    return sorted(
        (m for m in apps.get_models() if getattr(m._meta, "simple_history_manager_attribute", None)),
        key=lambda m: m._meta.label_lower,
    )


def history_model_for(app_label: str, model_name: str) -> type[models.Model]:
    """The tracked model named in a URL, or 404 (unknown models and models without history alike)."""
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as exc:
        raise Http404("No such model.") from exc
    if not getattr(model._meta, "simple_history_manager_attribute", None):
        raise Http404("This model keeps no history.")
    return model


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    """One historical record of one object, with what changed since the record before it."""

    model_label: str
    model_name: str
    object_id: str
    history_id: int
    at: datetime
    kind: str  # created / changed / deleted
    user: str
    user_id: int | None
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    snapshot: dict = field(default_factory=dict)

    def as_rows(self) -> list[dict]:
        """Flat rows for CSV/JSON: one per changed field (one row for a record with no field change)."""
        base = {
            "model": self.model_label,
            "object_id": self.object_id,
            "history_id": self.history_id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "user": self.user,
            "reason": self.reason,
        }
        if not self.changes:
            return [{**base, "field": "", "old": "", "new": ""}]
        return [{**base, "field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in self.changes]


def _plain(value) -> Any:
    if value is None or isinstance(value, bool | int | str | list | dict):
        return value
    return str(value)


def _user_label(record) -> str:
    user = record.history_user
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()


def object_history(model: type[models.Model], pk) -> list[HistoryEntry]:
    """The whole history of one object (also after it was deleted), oldest first, each record diffed
    against the one before it with simple-history's ``diff_against``. Two queries in all."""
    manager = getattr(model, model._meta.simple_history_manager_attribute)
    pk_name = model._meta.pk.attname
    records = list(
        manager.filter(**{pk_name: pk}).select_related("history_user").order_by("history_date", "history_id")
    )
    labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
    tracked = [f.attname for f in records[0].tracked_fields] if records else []
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [FieldChange(c.field, labels.get(c.field, c.field), c.old, c.new) for c in delta.changes]
        entries.append(
            HistoryEntry(
                model_label=model._meta.label_lower,
                model_name=str(model._meta.verbose_name),
                object_id=str(pk),
                history_id=record.history_id,
                at=record.history_date,
                kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                user=_user_label(record),
                user_id=record.history_user_id,
                reason=record.history_change_reason or "",
                changes=changes,
                snapshot={name: _plain(getattr(record, name)) for name in tracked} if previous is None else {},
            )
        )
        previous = record
    return entries


def account_history(account) -> list[HistoryEntry]:
    """The account's, its customer's and its case's history merged into one timeline, oldest first."""
    from accounts.models import Account, Case, Customer

    entries = object_history(Account, account.pk) + object_history(Customer, account.customer_id)
    case = Case.objects.filter(account=account).only("pk").first()
    if case is not None:
        entries += object_history(Case, case.pk)
    return sorted(entries, key=lambda e: (e.at, e.history_id))
