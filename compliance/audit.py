"""Writing and verifying the audit chain. ``audit_record`` is the one way to append an event; it runs in
the caller's transaction so the event commits (or rolls back) with the change it describes.

THE RULE FOR PAYLOADS: no personal data in an audit event. Ids, codes, reasons, channels, amounts and
field *names* only — never a name, email, phone number, address, date of birth, message text or
transcript. The chain is append-only (on PostgreSQL a trigger refuses UPDATE and DELETE), so anything
written here can never be anonymised; retention (``compliance.retention``) anonymises the records the
events point to and the chain keeps verifying. Personal data belongs in the tracked models and their
simple-history tables, where retention can reach it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEvent

GENESIS_HASH = "0" * 64
# Events appended inside ``audit_appends_deferred`` wait here (in order) until the block ends.
_deferred: ContextVar[list[AuditEvent] | None] = ContextVar("audit_deferred", default=None)
_CHAIN_LOCK_KEY = 7_402_113  # pg_advisory_xact_lock key that serialises appends to the chain


def canonical(payload: Any) -> str:
    """The one serialisation the hash is computed over: sorted keys, no spaces, str() for the rest."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _event_body(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "creditor_id": event.creditor_id,
        "account_id": event.account_id,
        "customer_id": event.customer_id,
        "payload": event.payload,
    }


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(_event_body(event))).encode()).hexdigest()


def _related(obj, name: str):
    """``obj.<name>``, except that a foreign key not yet loaded is returned as a ``_Ref`` (its id), so no
    row is fetched just to name it."""
    if isinstance(obj, _Ref):
        obj = obj.load()
    if obj is None:
        return None
    meta = getattr(obj, "_meta", None)  # obj may be a lazy proxy (request.user): ask its _meta, not its type
    field = _fk_fields(meta.model).get(name) if meta is not None else None
    if field is not None and not field.is_cached(obj):
        return _Ref(obj, field)
    return getattr(obj, name, None)


class _Ref:
    """A foreign key of ``owner`` known by its id; ``load()`` fetches the row when more is needed."""

    __slots__ = ("field", "owner")

    def __init__(self, owner, field):
        self.owner, self.field = owner, field

    @property
    def pk(self):
        return getattr(self.owner, self.field.attname)

    def load(self):
        return getattr(self.owner, self.field.name)

    def __bool__(self):
        return self.pk is not None


_FK_FIELDS: dict[type, dict] = {}


def _fk_fields(model: type) -> dict:
    fields = _FK_FIELDS.get(model)
    if fields is None:
        fields = {f.name: f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one}
        _FK_FIELDS[model] = fields
    return fields


def _refs(obj, account, customer, creditor) -> dict:
    """Derive account/customer/creditor ids from whatever the caller passed (foreign keys are read as ids,
    so no related row is loaded just to name it)."""
    label = obj._meta.label if obj is not None else ""
    if account is None:
        account = obj if label == "accounts.Account" else _related(obj, "account")
    if customer is None:
        customer = obj if label == "accounts.Customer" else _related(obj, "customer")
        customer = customer or _related(account, "customer")
    if creditor is None:
        creditor = obj if label == "accounts.Creditor" else _related(obj, "creditor")
        creditor = creditor or _related(account, "creditor") or _related(customer, "creditor")
    return {
        "account_id": getattr(account, "pk", None),
        "customer_id": getattr(customer, "pk", None),
        "creditor_id": getattr(creditor, "pk", None),
    }


def _chain_head() -> tuple[int, str]:
    """Take the chain lock (PostgreSQL; held until the transaction ends) and read the last event's seq and
    hash — under the lock, in a statement of its own, so no other writer can append in between."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def _event(*, actor, at, action: str, obj: models.Model | None = None, account=None, customer=None,
           creditor=None, payload: dict | None = None, object_type: str = "", object_id: str | int = ""
           ) -> AuditEvent:
    """An unsaved, unchained event (seq and hashes are set by the caller, under the chain lock)."""
    return AuditEvent(
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else str(object_id or ""),
        payload=json.loads(canonical(payload or {})),
        **_refs(obj, account, customer, creditor),
    )


def _chain(events: Sequence[AuditEvent], head: tuple[int, str]) -> None:
    seq, prev_hash = head
    for event in events:
        seq += 1
        event.seq, event.prev_hash = seq, prev_hash
        event.hash = prev_hash = event_hash(prev_hash, event)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    account=None,
    customer=None,
    creditor=None,
    payload: dict | None = None,
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Append one event to the chain, in the current transaction. ``action`` is a dotted verb such as
    ``consent.revoked``, ``gate.decision``, ``payment.recorded``, ``auth.login``. ``object_type`` and
    ``object_id`` name the object when there is no instance to pass (e.g. it was just deleted).
    ``payload`` holds ids, codes and amounts only — see the module docstring."""
    return _append([_event(actor=actor, at=timezone.now(), action=action, obj=obj, account=account,
                           customer=customer, creditor=creditor, payload=payload, object_type=object_type,
                           object_id=object_id)])[0]


def audit_record_many(*, actor, entries: Sequence[dict]) -> list[AuditEvent]:
    """Append several events in order, in the current transaction: the same chain as calling
    ``audit_record`` for each, with one lock, one read of the chain head and one bulk insert. Each entry
    holds ``audit_record``'s keyword arguments except ``actor``."""
    if not entries:
        return []
    at = timezone.now()
    return _append([_event(actor=actor, at=at, **entry) for entry in entries])


def _append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain ``events`` after the head and insert them — or, inside ``audit_appends_deferred``, keep them
    for the end of its block."""
    pending = _deferred.get()
    if pending is not None:
        pending.extend(events)
        return events
    # No savepoint of its own: a failed append must fail the caller's change anyway, and the nearest
    # enclosing atomic block rolls back; outside a transaction this still starts one (the lock needs it).
    with transaction.atomic(savepoint=False):
        _chain(events, _chain_head())
        AuditEvent.objects.bulk_create(events)
    return events


@contextmanager
def audit_appends_deferred() -> Iterator[None]:
    """Inside a transaction, around a batch's writes: the events appended in the block are collected
    and chained at its end, in their order, with one lock, one head read and one insert. The chain's
    lock (held from the head read to commit) is then held only for the end of the transaction instead
    of for all the batch's writes, so concurrent batches overlap. Inside the block an event has no
    ``seq`` or hash yet; nothing in it may catch a database error and carry on (the events of a rolled-back
    savepoint would still be written). An exception drops the collected events with the transaction.
    Nested blocks join the outermost one."""
    if _deferred.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit_appends_deferred() needs an enclosing transaction.")
    events: list[AuditEvent] = []
    token = _deferred.set(events)
    try:
        yield
    finally:
        _deferred.reset(token)
    if events:
        _append(events)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""


    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_broken_seq": self.first_broken_seq,
            "problem": self.problem,
        }


def audit_verify_chain(
    *, batch_size: int = 5000, on_progress: Callable[[int], None] | None = None
) -> ChainReport:
    """Walk the chain in order; report the first event whose link or content does not verify.
    ``on_progress(n)`` is called after every ``batch_size`` events (for a progress bar)."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if on_progress is not None and checked and checked % batch_size == 0:
            on_progress(batch_size)
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(False, checked, event.seq, "link to the previous event does not match")
        if event_hash(prev_hash, event) != event.hash:
            return ChainReport(False, checked, event.seq, "content was changed after it was written")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    if on_progress is not None and checked % batch_size:
        on_progress(checked % batch_size)
    return ChainReport(True, checked)
