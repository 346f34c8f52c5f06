"""Writes for consent, holds, disputes and the contact gate. Every change is audited in the same
transaction (compliance.audit.audit_record)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Creditor, Customer
from accounts.services_routing import account_reroute
from collections_crm.errors import ApplicationError
from collections_crm.history import history_copy_rows, save_tracked, system_user

from .audit import audit_record, audit_record_many
from .choices import (
    AttemptStatus,
    ConsentSource,
    ConsentStatus,
    DisputeSource,
    DisputeStatus,
    HoldKind,
    HoldStatus,
    Purpose,
)
from .gate import ContactRecord, check
from .keywords import is_opt_out
from .models import (
    ConsentRecord,
    ContactAttempt,
    ContactPreference,
    CreditorContactPolicy,
    Dispute,
    DisputeEvidence,
    GateDecision,
    Hold,
)
from .rules import ALL_CHANNELS, RuleLoosening, Tightening, profile_for, validate_tightening
from .selectors import (
    gate_context_for,
    gate_context_with_account,
    gate_contexts_by_customer,
    preference_values,
)

OPT_OUT_SALT = "compliance.opt-out-link"
OPT_OUT_LINK_MAX_AGE = timedelta(days=getattr(settings, "COMPLIANCE_OPT_OUT_LINK_DAYS", 60))
DISPUTE_SLA = timedelta(days=getattr(settings, "COMPLIANCE_DISPUTE_SLA_DAYS", 30))  # house policy


class ContactBlocked(ApplicationError):
    """A channel back-end was asked to send something the gate did not allow."""


def _channel(channel: str) -> str:
    if channel not in ALL_CHANNELS:
        raise ApplicationError("Unknown channel.", {"channel": channel})
    return channel


def _purpose(purpose: str) -> str:
    if purpose not in Purpose.values:
        raise ApplicationError("Unknown purpose.", {"purpose": purpose})
    return str(purpose)


# ---- the gate -------------------------------------------------------------------------------------


# Foreign keys are not re-validated row by row (full_clean would query each one): the rows come from our own
# code, the customer row is locked, and the database enforces the keys.
_DECISION_FKS = ("customer", "account", "actor")
_ATTEMPT_FKS = ("customer", "account", "decision")
_RESERVED = "contact reserved"


def _decision_row(*, customer, account, channel, purpose, actor, at, context) -> GateDecision:
    """The gate's answer as an unsaved, validated GateDecision row."""
    decision = check(customer=customer, account=account, channel=channel, at=at, purpose=purpose, context=context)
    row = GateDecision(
        customer=customer, account=account, channel=channel, purpose=purpose, at=at,
        allowed=decision.allowed, reasons=list(decision.reasons), next_allowed_at=decision.next_allowed_at,
        rule_version=decision.rule_version, zones=list(decision.zones),
        required_disclosures=list(decision.required_disclosures), actor=actor,
    )
    row.clean_fields(exclude=_DECISION_FKS)
    return row


def _decision_audit(row: GateDecision) -> dict:
    return {"action": "gate.decision", "obj": row, "account": row.account, "customer": row.customer, "payload": {
        "channel": row.channel, "purpose": row.purpose, "allowed": row.allowed, "reasons": row.reasons,
        "next_allowed_at": row.next_allowed_at, "rule_version": row.rule_version,
    }}


def _attempt_for(row: GateDecision) -> ContactAttempt:
    """The unsaved, validated reservation for an allowed decision."""
    attempt = ContactAttempt(customer=row.customer, account=row.account, channel=row.channel, purpose=row.purpose,
                             at=row.at, decision=row)
    attempt.clean_fields(exclude=_ATTEMPT_FKS)
    return attempt


def _reserved_audit(attempt: ContactAttempt) -> dict:
    return {"action": "contact.reserved", "obj": attempt, "account": attempt.account, "customer": attempt.customer,
            "payload": {"channel": attempt.channel, "purpose": attempt.purpose, "decision_id": attempt.decision_id}}


def _decide(*, customer, account, channel, purpose, actor, at) -> GateDecision:
    context = gate_context_for(customer=customer, account=account, at=at)
    row = _decision_row(customer=customer, account=account, channel=channel, purpose=purpose, actor=actor, at=at,
                        context=context)
    row.save()
    return row


@transaction.atomic
def gate_decide(*, customer: Customer, account: Account | None, channel: str, purpose: str = Purpose.COLLECTION,
                actor, at: datetime | None = None) -> GateDecision:
    """Ask the gate and keep the answer (a GateDecision row and an audit event). Does not reserve."""
    row = _decide(customer=customer, account=account, channel=_channel(channel), purpose=_purpose(purpose),
                  actor=actor, at=at or timezone.now())
    audit_record(actor=actor, **_decision_audit(row))
    return row


@transaction.atomic
def contact_reserve(*, customer: Customer, account: Account | None, channel: str,
                    purpose: str = Purpose.COLLECTION, actor, at: datetime | None = None) -> GateDecision:
    """The door every sender uses: lock the customer row, decide, and when allowed record a reserved
    ContactAttempt in the same transaction, so concurrent workers see each other and cannot pass a cap.
    Returns the decision; ``decision.attempt`` is the reservation when allowed."""
    Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk", flat=True).first()
    at = at or timezone.now()
    row = _decide(customer=customer, account=account, channel=_channel(channel), purpose=_purpose(purpose),
                  actor=actor, at=at)
    entries = [_decision_audit(row)]
    if row.allowed:
        attempt = _attempt_for(row)
        save_tracked(attempt, actor=actor, reason=_RESERVED, validate=False)
        entries.append(_reserved_audit(attempt))
    else:
        _mark_no_attempt(row)
    audit_record_many(actor=actor, entries=entries)
    return row


def _mark_no_attempt(row: GateDecision) -> None:
    """Remember that a refused decision has no attempt (``row.attempt`` raises without a query)."""
    GateDecision.attempt.related.set_cached_value(row, None)


@dataclass(frozen=True)
class ReserveRequest:
    """One contact to reserve in ``contact_reserve_many``."""

    customer: Customer
    account: Account | None
    channel: str
    purpose: str = Purpose.COLLECTION


@transaction.atomic
def contact_reserve_many(*, requests: Sequence[ReserveRequest], actor, at: datetime | None = None
                         ) -> list[GateDecision]:
    """``contact_reserve`` for several contacts in one transaction. The decisions, in request order, are those
    reserving one by one in that order would give: a later request for the same customer sees an earlier
    one's reservation (caps). All the customers are locked first, in pk order (no deadlock between batches);
    decisions, reservations with their history rows and the audit events are written in bulk, so the
    number of queries does not grow with the batch."""
    requests = list(requests)
    if not requests:
        return []
    at = at or timezone.now()
    checked = [(_channel(r.channel), _purpose(r.purpose)) for r in requests]
    customers = {r.customer.pk: r.customer for r in requests}
    list(Customer.objects.select_for_update().filter(pk__in=sorted(customers)).order_by("pk")
         .values_list("pk", flat=True))
    contexts = gate_contexts_by_customer(customers=list(customers.values()), at=at)
    history = {pk: list(ctx.history) for pk, ctx in contexts.items()}
    rows = []
    for r, (channel, purpose) in zip(requests, checked, strict=True):
        pk = r.customer.pk
        context = gate_context_with_account(contexts[pk], r.account, history=tuple(history[pk]))
        row = _decision_row(customer=r.customer, account=r.account, channel=channel, purpose=purpose, actor=actor,
                            at=at, context=context)
        rows.append(row)
        if row.allowed:  # what contact_reserve's own reservation adds to the next decision's history
            history[pk].append(ContactRecord(at, channel, context.account_id, purpose, False))
        else:
            _mark_no_attempt(row)
    GateDecision.objects.bulk_create(rows)
    attempts = [_attempt_for(row) for row in rows if row.allowed]
    ContactAttempt.objects.bulk_create(attempts)
    history_copy_rows(ContactAttempt, [a.pk for a in attempts], history_type="+", actor=actor, reason=_RESERVED)
    entries = []
    for row in rows:
        entries.append(_decision_audit(row))
        if row.allowed:
            entries.append(_reserved_audit(row.attempt))
    audit_record_many(actor=actor, entries=entries)
    return rows


def contact_send_guard(*, attempt: ContactAttempt | None) -> ContactAttempt:
    """Channel back-ends call this before sending: no reserved attempt with an allowed decision, no send.
    Also refuses when the channel was opted out after the reservation (an opt-out is effective at once)."""
    if attempt is None or attempt.pk is None:
        raise ContactBlocked("This message has no contact-gate decision.", {"reason": "no_decision"})
    attempt = ContactAttempt.objects.select_related("decision").get(pk=attempt.pk)
    if attempt.status != AttemptStatus.RESERVED or not attempt.decision.allowed:
        raise ContactBlocked("This message was not allowed by the contact gate.", {"attempt": attempt.pk})
    if attempt.purpose != Purpose.OPT_OUT_CONFIRMATION:
        latest = (ConsentRecord.objects.filter(customer_id=attempt.customer_id, channel=attempt.channel)
                  .order_by("-at", "-id").first())
        if latest is not None and latest.status == ConsentStatus.REVOKED and latest.at >= attempt.decision.at:
            raise ContactBlocked("The customer opted out of this channel.", {"reason": "opted_out"})
    return attempt


def contact_send_guard_many(*, attempts: Sequence[ContactAttempt]) -> dict[int, ContactBlocked | None]:
    """``contact_send_guard`` for several attempts in two queries: by attempt pk, None when it may be sent,
    else the ContactBlocked that ``contact_send_guard`` would raise."""
    out: dict[int, ContactBlocked | None] = {}
    pks = [a.pk for a in attempts if a is not None and a.pk is not None]
    if len(pks) < len(attempts):
        out[None] = ContactBlocked("This message has no contact-gate decision.", {"reason": "no_decision"})
    stored = {a.pk: a for a in ContactAttempt.objects.filter(pk__in=pks).select_related("decision")}
    if len(stored) < len(set(pks)):
        raise ContactAttempt.DoesNotExist(f"No contact attempt {sorted(set(pks) - set(stored))}.")
    sendable = []
    for attempt in stored.values():
        if attempt.status != AttemptStatus.RESERVED or not attempt.decision.allowed:
            out[attempt.pk] = ContactBlocked("This message was not allowed by the contact gate.",
                                             {"attempt": attempt.pk})
        else:
            out[attempt.pk] = None
            if attempt.purpose != Purpose.OPT_OUT_CONFIRMATION:
                sendable.append(attempt)
    if sendable:
        # Only a record at or after the decision can block, so older ones need not be read (the latest
        # record overall is then the latest of these).
        latest: dict[tuple[int, str], tuple[str, datetime]] = {}
        for customer_id, channel, status, at in (
            ConsentRecord.objects.filter(customer_id__in={a.customer_id for a in sendable},
                                         channel__in={a.channel for a in sendable},
                                         at__gte=min(a.decision.at for a in sendable))
            .order_by("customer_id", "channel", "-at", "-id").values_list("customer_id", "channel", "status", "at")
        ):
            latest.setdefault((customer_id, channel), (status, at))
        for attempt in sendable:
            status, at = latest.get((attempt.customer_id, attempt.channel), (None, None))
            if status == ConsentStatus.REVOKED and at >= attempt.decision.at:
                out[attempt.pk] = ContactBlocked("The customer opted out of this channel.", {"reason": "opted_out"})
    return out


_COMPLETED = "contact completed"


def _completed_audit(attempt: ContactAttempt) -> dict:
    # account/customer/creditor ids come from the attempt's own keys (no related row is loaded for them).
    return {"action": "contact.completed", "obj": attempt, "payload": {
        "status": attempt.status, "outcome": attempt.outcome, "conversation": attempt.is_conversation}}


@transaction.atomic
def contact_attempt_complete(*, attempt: ContactAttempt, outcome: str, conversation: bool = False,
                             actor, sent: bool = True) -> ContactAttempt:
    """Record how a reserved attempt ended. ``sent=False`` means it never connected (busy signal, send
    failure): it stops counting towards caps. A conversation starts the 7-day call cooldown."""
    attempt = ContactAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != AttemptStatus.RESERVED:
        raise ApplicationError("This contact attempt is already complete.", {"status": attempt.status})
    attempt.status = AttemptStatus.SENT if sent else AttemptStatus.FAILED
    attempt.outcome = outcome[:40]
    attempt.is_conversation = bool(conversation and sent)
    attempt.completed_at = timezone.now()
    attempt.clean_fields(exclude=_ATTEMPT_FKS)
    save_tracked(attempt, actor=actor, reason=_COMPLETED, validate=False)
    audit_record(actor=actor, **_completed_audit(attempt))
    return attempt


@transaction.atomic
def contact_attempt_complete_many(*, attempts: Sequence[ContactAttempt], outcome: str, actor,
                                  sent: bool = True) -> None:
    """``contact_attempt_complete`` for several attempts (none is a conversation), in one transaction and a
    constant number of queries: one update, history rows and audit events in bulk. Refuses the whole batch
    (nothing changes) if any attempt is already complete, as completing them one by one would."""
    pks = [a.pk for a in attempts]
    if not pks:
        return
    # The account and customer come along (unlocked) for the audit events' creditor id.
    locked = {a.pk: a for a in ContactAttempt.objects.select_for_update(of=("self",)).filter(pk__in=pks)
              .select_related("account", "customer").order_by("pk")}
    if len(locked) < len(set(pks)):
        raise ContactAttempt.DoesNotExist(f"No contact attempt {sorted(set(pks) - set(locked))}.")
    seen = set()
    for pk in pks:
        if locked[pk].status != AttemptStatus.RESERVED or pk in seen:
            status = locked[pk].status if pk not in seen else AttemptStatus.SENT if sent else AttemptStatus.FAILED
            raise ApplicationError("This contact attempt is already complete.", {"status": status})
        seen.add(pk)
    values = {"status": AttemptStatus.SENT if sent else AttemptStatus.FAILED, "outcome": outcome[:40],
              "is_conversation": False, "completed_at": timezone.now()}
    for attempt in locked.values():
        for name, value in values.items():
            setattr(attempt, name, value)
    next(iter(locked.values())).clean_fields(exclude=_ATTEMPT_FKS)  # the same values on every row
    # A plain UPDATE, with the history rows recorded right after from the stored rows (style.md).
    ContactAttempt.objects.filter(pk__in=pks).update(**values)
    history_copy_rows(ContactAttempt, sorted(locked), history_type="~", actor=actor, reason=_COMPLETED)
    audit_record_many(actor=actor, entries=[_completed_audit(locked[pk]) for pk in pks])


@transaction.atomic
def contact_attempt_cancel(*, attempt: ContactAttempt, actor, reason: str = "") -> ContactAttempt:
    attempt = ContactAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != AttemptStatus.RESERVED:
        return attempt
    attempt.status = AttemptStatus.CANCELLED
    attempt.outcome = reason[:40]
    save_tracked(attempt, actor=actor, reason="contact cancelled")
    audit_record(actor=actor, action="contact.cancelled", obj=attempt, customer=attempt.customer,
                 account=attempt.account, payload={"reason": reason})
    return attempt


# ---- consent and opt-outs -------------------------------------------------------------------------


def _consent_write(*, customer, channel, status, source, actor, evidence="", address="", link_nonce=None):
    if source not in ConsentSource.values:
        raise ApplicationError("Unknown consent source.", {"source": source})
    rec = ConsentRecord(customer=customer, channel=_channel(channel), status=status, source=source,
                        evidence=evidence, address=address, actor=actor, link_nonce=link_nonce)
    rec.full_clean()
    rec.save()
    audit_record(actor=actor, action=f"consent.{status}", obj=rec, customer=customer,
                 payload={"channel": channel, "source": source, "evidence": evidence[:500]})
    return rec


@transaction.atomic
def consent_grant(*, customer: Customer, channel: str, source: str, actor, evidence: str = "",
                  address: str = "") -> ConsentRecord:
    """Record that the customer agreed to be contacted on ``channel``."""
    return _consent_write(customer=customer, channel=channel, status=ConsentStatus.GRANTED, source=source,
                          actor=actor, evidence=evidence, address=address)


@transaction.atomic
def consent_revoke(*, customer: Customer, channel: str, source: str, actor, evidence: str = "",
                   address: str = "", link_nonce: str | None = None) -> ConsentRecord:
    """Opt the customer out of ``channel`` at once: reserved attempts on that channel are cancelled, so a
    queued message does not leave (and contact_send_guard refuses it regardless)."""
    rec = _consent_write(customer=customer, channel=channel, status=ConsentStatus.REVOKED, source=source,
                         actor=actor, evidence=evidence, address=address, link_nonce=link_nonce)
    queued = ContactAttempt.objects.select_for_update().filter(
        customer=customer, channel=channel, status=AttemptStatus.RESERVED
    ).exclude(purpose=Purpose.OPT_OUT_CONFIRMATION)
    for attempt in queued:
        contact_attempt_cancel(attempt=attempt, actor=actor, reason="opted out")
    return rec


@transaction.atomic
def opt_out_by_keyword(*, customer: Customer, channel: str, text: str, actor) -> bool:
    """Inbound message: if it is an opt-out keyword (in the customer's language or English), revoke
    that channel now. Returns whether it did."""
    if not is_opt_out(text, customer.language):
        return False
    consent_revoke(customer=customer, channel=channel, source=ConsentSource.INBOUND_KEYWORD, actor=actor,
                   evidence=text[:500])
    return True


def opt_out_link_token(*, customer: Customer, channel: str = "email") -> str:
    """A signed, expiring, single-use token for the opt-out link in an email (12 CFR 1006.6(e))."""
    payload = {"c": customer.pk, "ch": channel, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=OPT_OUT_SALT, compress=True)


def opt_out_link_read(token: str) -> dict | None:
    """The token's payload, or None if forged or expired."""
    try:
        return signing.loads(token, salt=OPT_OUT_SALT, max_age=OPT_OUT_LINK_MAX_AGE)
    except signing.BadSignature:
        return None


@transaction.atomic
def opt_out_by_link(*, token: str, actor=None) -> ConsentRecord | None:
    """Revoke by email link. A forged, expired or replayed token changes nothing and is audited."""
    actor = actor or system_user()
    payload = opt_out_link_read(token)
    customer = None
    if payload is not None:
        customer = Customer.objects.filter(pk=payload.get("c")).first()
    if payload is None or customer is None or payload.get("ch") not in ALL_CHANNELS:
        audit_record(actor=actor, action="consent.opt_out_link_rejected", payload={"problem": "invalid or expired"})
        return None
    if ConsentRecord.objects.filter(link_nonce=payload["n"]).exists():
        audit_record(actor=actor, action="consent.opt_out_link_rejected", customer=customer,
                     payload={"problem": "already used"})
        return None
    return consent_revoke(customer=customer, channel=payload["ch"], source=ConsentSource.EMAIL_LINK, actor=actor,
                          evidence="email opt-out link", link_nonce=payload["n"])


# ---- holds ----------------------------------------------------------------------------------------


def _reject(*, actor, action, message, extra, **refs):
    """Audit a refused attempt in its own transaction (the caller's is about to roll back)."""
    with transaction.atomic():
        audit_record(actor=actor, action=action, payload={"message": message, **extra}, **refs)


def hold_place(*, customer: Customer | None = None, account: Account | None = None, kind: str,
               starts_at: datetime | None = None, ends_at: datetime | None = None, reason: str = "",
               actor) -> Hold:
    """Place a hold on one account (or, with only a customer, on all their accounts)."""
    if customer is None and account is None:
        raise ApplicationError("A hold needs a customer or an account.")
    customer = customer or account.customer
    starts_at = starts_at or timezone.now()
    problem = None
    if kind not in HoldKind.values:
        problem = ("Unknown hold kind.", {"kind": kind})
    elif ends_at is not None and ends_at <= starts_at:
        problem = ("A hold must end after it starts.", {"starts_at": starts_at, "ends_at": ends_at})
    elif kind == HoldKind.HARDSHIP_PAUSE and ends_at is None:
        problem = ("A hardship pause needs an end date.", {"ends_at": None})
    if problem:
        _reject(actor=actor, action="hold.rejected", message=problem[0], extra={"kind": kind, **problem[1]},
                customer=customer, account=account)
        raise ApplicationError(*problem)
    return _hold_create(customer=customer, account=account, kind=kind, starts_at=starts_at, ends_at=ends_at,
                        reason=reason, actor=actor)


@transaction.atomic
def _hold_create(*, customer, account, kind, starts_at, ends_at, reason, actor) -> Hold:
    hold = Hold(customer=customer, account=account, kind=kind, starts_at=starts_at, ends_at=ends_at,
                reason=reason, placed_by=actor)
    save_tracked(hold, actor=actor, reason=f"hold placed: {kind}")
    audit_record(actor=actor, action="hold.placed", obj=hold, customer=customer, account=account,
                 payload={"kind": kind, "starts_at": starts_at, "ends_at": ends_at, "reason": reason})
    return hold


@transaction.atomic
def hold_lift(*, hold: Hold, reason: str, actor, status: str = HoldStatus.LIFTED) -> Hold:
    """End a hold now (an agent or supervisor decided, or it expired)."""
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if hold.status != HoldStatus.ACTIVE:
        raise ApplicationError("This hold is no longer active.", {"status": hold.status})
    hold.status = status
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason
    save_tracked(hold, actor=actor, reason=f"hold {status}")
    audit_record(actor=actor, action=f"hold.{status}", obj=hold, customer=hold.customer, account=hold.account,
                 payload={"kind": hold.kind, "reason": reason})
    return hold


def holds_expire(*, now: datetime | None = None) -> int:
    """Mark timed holds whose end has passed as expired (the gate already ignores them after ends_at)."""
    now = now or timezone.now()
    actor = system_user()
    count = 0
    for hold in Hold.objects.filter(status=HoldStatus.ACTIVE, ends_at__lte=now):
        hold_lift(hold=hold, reason="end date reached", actor=actor, status=HoldStatus.EXPIRED)
        count += 1
    return count


# ---- disputes -------------------------------------------------------------------------------------


def dispute_open(*, account: Account, reason: str, description: str = "", source: str = DisputeSource.AGENT,
                 actor, files=(), disputed_amount: Decimal | None = None) -> Dispute:
    """Open a dispute: pause collection of the disputed debt with a dispute hold (1006.38(c)), keep the
    evidence, set the SLA. A dispute on a closed account is refused (and the attempt audited)."""
    from .choices import DisputeReason

    problem = None
    if account.is_closed:
        problem = ("This account is closed, so it cannot be disputed here. Please contact us instead.",
                   {"status": account.status})
    elif reason not in DisputeReason.values:
        problem = ("Please choose a reason for the dispute.", {"reason": reason})
    elif source not in DisputeSource.values:
        problem = ("Unknown dispute source.", {"source": source})
    elif disputed_amount is not None and (disputed_amount <= 0 or disputed_amount > account.balance):
        problem = ("The disputed amount must be more than zero and no more than the balance.",
                   {"disputed_amount": str(disputed_amount)})
    if problem:
        _reject(actor=actor, action="dispute.rejected", message=problem[0], extra=problem[1], account=account)
        raise ApplicationError(*problem)
    return _dispute_create(account=account, reason=reason, description=description, source=source, actor=actor,
                           files=files, disputed_amount=disputed_amount)


@transaction.atomic
def _dispute_create(*, account, reason, description, source, actor, files, disputed_amount) -> Dispute:
    now = timezone.now()
    hold = _hold_create(customer=account.customer, account=account, kind=HoldKind.DISPUTE, starts_at=now,
                        ends_at=None, reason=f"dispute: {reason}", actor=actor)
    dispute = Dispute(account=account, customer=account.customer, reason=reason, description=description,
                      source=source, disputed_amount=disputed_amount, opened_at=now, sla_due_at=now + DISPUTE_SLA,
                      hold=hold, opened_by=actor)
    save_tracked(dispute, actor=actor, reason="dispute opened")
    for upload in files:
        evidence = DisputeEvidence(dispute=dispute, file=upload, name=getattr(upload, "name", "evidence")[:200],
                                   uploaded_by=actor)
        evidence.full_clean()
        evidence.save()
    audit_record(actor=actor, action="dispute.opened", obj=dispute, account=account, payload={
        "reason": reason, "source": source, "disputed_amount": disputed_amount, "files": len(files),
        "hold_id": hold.pk,
    })
    account_reroute(account=account, actor=actor, reason="dispute opened")
    return dispute


@transaction.atomic
def dispute_resolve(*, dispute: Dispute, outcome: str, note: str, actor) -> Dispute:
    """Close a dispute as upheld, verified (collection may resume) or withdrawn; lifts its hold."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if outcome not in DisputeStatus.resolved_states():
        raise ApplicationError("Choose an outcome: upheld, verified or withdrawn.", {"outcome": outcome})
    if not dispute.is_open:
        raise ApplicationError("This dispute is already resolved.", {"status": dispute.status})
    if not note.strip():
        raise ApplicationError("Please add a note explaining the outcome.", {"note": ""})
    dispute.status = outcome
    dispute.verification_note = note
    dispute.resolved_at = timezone.now()
    dispute.resolved_by = actor
    save_tracked(dispute, actor=actor, reason=f"dispute {outcome}")
    if dispute.hold_id and dispute.hold.status == HoldStatus.ACTIVE:
        hold_lift(hold=dispute.hold, reason=f"dispute {outcome}", actor=actor)
    audit_record(actor=actor, action="dispute.resolved", obj=dispute, account=dispute.account,
                 payload={"outcome": outcome, "note": note})
    account_reroute(account=dispute.account, actor=actor, reason=f"dispute {outcome}")
    return dispute


@transaction.atomic
def dispute_verifying(*, dispute: Dispute, note: str, actor) -> Dispute:
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.status != DisputeStatus.OPEN:
        raise ApplicationError("Only an open dispute can move to verification.", {"status": dispute.status})
    dispute.status = DisputeStatus.VERIFYING
    dispute.verification_note = note
    save_tracked(dispute, actor=actor, reason="dispute verifying")
    audit_record(actor=actor, action="dispute.verifying", obj=dispute, account=dispute.account, payload={"note": note})
    return dispute


# ---- creditor tightening --------------------------------------------------------------------------


def creditor_contact_policy_set(*, creditor: Creditor, actor, window_start=None, window_end=None,
                                quiet_weekdays=(), channel_limits=None) -> CreditorContactPolicy:
    """Tighten the law's profile for one creditor. Anything looser than the law is refused with a
    clear message per field, nothing is changed, and the attempt is audited."""
    limits = {ch: (int(v[0]), int(v[1])) for ch, v in (channel_limits or {}).items()}
    tightening = Tightening(window_start=window_start, window_end=window_end,
                            quiet_weekdays=frozenset(quiet_weekdays), channel_limits=limits)
    try:
        validate_tightening(profile_for(creditor.country, creditor.region), tightening)
    except RuleLoosening as exc:
        _reject(actor=actor, action="contact_policy.rejected", message=str(exc), extra={"problems": exc.problems},
                creditor=creditor)
        raise ApplicationError("This would loosen the contact rules below the law.", exc.problems) from exc
    return _policy_save(creditor=creditor, actor=actor, window_start=window_start, window_end=window_end,
                        quiet_weekdays=sorted(set(quiet_weekdays)), channel_limits=limits)


@transaction.atomic
def _policy_save(*, creditor, actor, window_start, window_end, quiet_weekdays, channel_limits):
    policy = CreditorContactPolicy.objects.select_for_update().filter(creditor=creditor).first()
    if policy is None:
        policy = CreditorContactPolicy(creditor=creditor, version=1)
    else:
        policy.version += 1
    policy.window_start, policy.window_end = window_start, window_end
    policy.quiet_weekdays = quiet_weekdays
    policy.channel_limits = {ch: list(v) for ch, v in channel_limits.items()}
    policy.updated_by = actor
    save_tracked(policy, actor=actor, reason="contact policy set")
    audit_record(actor=actor, action="contact_policy.set", obj=policy, creditor=creditor, payload={
        "version": policy.version, "window_start": window_start, "window_end": window_end,
        "quiet_weekdays": quiet_weekdays, "channel_limits": policy.channel_limits,
    })
    return policy


# ---- the customer's contact preferences ----------------------------------------------------------

_UNSET = object()
_PREFERENCE_FIELDS = ("hours_start", "hours_end", "days", "no_contact_at_work", "work_start", "work_end",
                      "work_days")


def _days_mask(days, field: str) -> int:
    days = list(days or ())
    if any(not isinstance(d, int) or isinstance(d, bool) or d not in range(7) for d in days):
        raise ApplicationError("Weekdays are 0 (Monday) to 6 (Sunday).", {field: days})
    return ContactPreference.days_to_mask(days)


@transaction.atomic
def contact_preference_set(*, customer: Customer, actor, hours_start=_UNSET, hours_end=_UNSET, days=_UNSET,
                           no_contact_at_work=_UNSET, work_start=_UNSET, work_end=_UNSET, work_days=_UNSET,
                           reason: str = "customer asked") -> ContactPreference:
    """Record when the customer wants (and does not want) to be contacted: preferred hours (a span that may
    run past midnight), the weekdays contact is welcome (empty = any), and whether they may be called at
    work (with their work hours/days; default Monday-Friday 09:00-17:00). Times outside these are the
    customer's designated inconvenient times (12 CFR 1006.6(b)(1)); the gate honours them at once. Only the
    arguments given change. Agents record the customer's own wishes here; the portal calls the same
    service. History + audit event ``preference.changed`` with the before and after values."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()  # serialise with contact_reserve
    pref = ContactPreference.objects.filter(customer_id=customer.pk).first() or ContactPreference(customer=customer)
    before = preference_values(pref) if pref.pk else None
    given = {k: v for k, v in dict(hours_start=hours_start, hours_end=hours_end, days=days,
                                   no_contact_at_work=no_contact_at_work, work_start=work_start,
                                   work_end=work_end, work_days=work_days).items() if v is not _UNSET}
    if "hours_start" in given or "hours_end" in given:
        start = given.get("hours_start", pref.hours_start)
        end = given.get("hours_end", pref.hours_end)
        if (start is None) != (end is None):
            raise ApplicationError("Give both the start and the end of the preferred hours, or neither.",
                                   {"hours_start": str(start), "hours_end": str(end)})
        if start is not None and start == end:
            raise ApplicationError("The preferred hours must not start and end at the same time.",
                                   {"hours_start": str(start)})
        pref.hours_start, pref.hours_end = start, end
    if "days" in given:
        mask = _days_mask(given["days"], "days")
        pref.days_mask = mask
    if "work_days" in given:
        pref.work_days_mask = _days_mask(given["work_days"], "work_days")
    if "no_contact_at_work" in given:
        pref.no_contact_at_work = bool(given["no_contact_at_work"])
    if "work_start" in given or "work_end" in given:
        ws = given.get("work_start", pref.work_start)
        we = given.get("work_end", pref.work_end)
        if (ws is None) != (we is None) or (ws is not None and ws >= we):
            raise ApplicationError("Work hours need a start before their end.",
                                   {"work_start": str(ws), "work_end": str(we)})
        pref.work_start, pref.work_end = ws, we
    after = preference_values(pref)
    if before == after:
        return pref
    save_tracked(pref, actor=actor, reason=reason)
    audit_record(actor=actor, action="preference.changed", obj=pref, customer=customer,
                 payload={"before": before, "after": after, "reason": reason})
    return pref
