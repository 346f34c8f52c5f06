"""Evidence-pack sections from the contact gate: consents, holds, disputes, gate decisions, attempts."""

from .evidence import evidence_section
from .models import ConsentRecord, ContactAttempt, ContactPreference, Dispute, GateDecision, Hold


@evidence_section("consents", title="Consents and opt-outs")
def consents(account):
    for c in ConsentRecord.objects.filter(customer_id=account.customer_id).order_by("at", "id"):
        yield {"channel": c.channel, "status": c.status, "source": c.source, "address": c.address,
               "evidence": c.evidence, "at": c.at.isoformat(), "by": c.actor.username}


@evidence_section("holds", title="Holds")
def holds(account):
    qs = Hold.objects.filter(customer_id=account.customer_id).filter(account__isnull=True) | Hold.objects.filter(
        account=account)
    for h in qs.order_by("starts_at", "id"):
        yield {"kind": h.kind, "scope": "account" if h.account_id else "customer", "status": h.status,
               "starts_at": h.starts_at.isoformat(), "ends_at": h.ends_at.isoformat() if h.ends_at else None,
               "reason": h.reason, "lifted_at": h.lifted_at.isoformat() if h.lifted_at else None,
               "lift_reason": h.lift_reason}


@evidence_section("disputes", title="Disputes")
def disputes(account):
    for d in Dispute.objects.filter(account=account).prefetch_related("evidence").order_by("opened_at", "id"):
        yield {"id": d.pk, "reason": d.reason, "description": d.description, "source": d.source,
               "status": d.status, "disputed_amount": str(d.disputed_amount) if d.disputed_amount else None,
               "opened_at": d.opened_at.isoformat(), "sla_due_at": d.sla_due_at.isoformat(),
               "resolved_at": d.resolved_at.isoformat() if d.resolved_at else None,
               "note": d.verification_note, "files": [e.name for e in d.evidence.all()]}


@evidence_section("gate_decisions", title="Contact-gate decisions")
def gate_decisions(account):
    for g in GateDecision.objects.filter(account=account).order_by("at", "id"):
        yield {"at": g.at.isoformat(), "channel": g.channel, "purpose": g.purpose, "allowed": g.allowed,
               "reasons": g.reasons, "next_allowed_at": g.next_allowed_at.isoformat() if g.next_allowed_at else None,
               "rule_version": g.rule_version, "zones": g.zones}


@evidence_section("contact_attempts", title="Contact attempts")
def contact_attempts(account):
    for a in ContactAttempt.objects.filter(account=account).order_by("at", "id"):
        yield {"at": a.at.isoformat(), "channel": a.channel, "purpose": a.purpose, "status": a.status,
               "outcome": a.outcome, "conversation": a.is_conversation, "decision_id": a.decision_id}


@evidence_section("contact_preferences", title="Contact preferences")
def contact_preferences(account):
    from .selectors import preference_values

    pref = ContactPreference.objects.filter(customer_id=account.customer_id).first()
    if pref is not None:
        yield {**preference_values(pref), "updated_at": pref.updated_at.isoformat()}
