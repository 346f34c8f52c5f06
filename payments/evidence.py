"""Evidence-pack sections for payments: payments (with confirmation numbers), plans (with their stored
terms text), settlements, promises and receipts. Imported from PaymentsConfig.ready()."""

from compliance.evidence import evidence_section

from .models import InstalmentPlan, Payment, PromiseToPay, Receipt, Settlement


def _iso(value):
    return value.isoformat() if value else None


@evidence_section("payments", title="Payments, refunds and chargebacks")
def payments_rows(account):
    for p in Payment.objects.filter(account=account).order_by("created_at", "id"):
        yield {
            "confirmation_number": p.confirmation_number, "status": p.status, "amount": str(p.amount),
            "currency": p.currency, "reversed": str(p.reversed_amount), "credit": str(p.credit_amount),
            "credit_status": p.credit_status, "provider": p.provider, "provider_payment_id": p.provider_payment_id,
            "received_at": _iso(p.received_at), "failure_reason": p.failure_reason,
        }


@evidence_section("plans", title="Instalment plans and their terms")
def plans_rows(account):
    for plan in InstalmentPlan.objects.filter(account=account).prefetch_related("instalments").order_by("created_at"):
        yield {
            "id": plan.pk, "status": plan.status, "total": str(plan.total), "deferred": str(plan.deferred_amount),
            "currency": plan.currency, "terms_text": plan.terms_text, "terms_language": plan.terms_language,
            "accepted_at": _iso(plan.accepted_at), "accepted_channel": plan.accepted_channel,
            "accepted_ip": plan.accepted_ip, "outside_policy": plan.policy_reasons,
            "approved_by": plan.approved_by.username if plan.approved_by else None,
            "instalments": [
                {"seq": i.seq, "due": i.due_date.isoformat(), "amount": str(i.amount), "paid": str(i.paid_amount),
                 "status": i.status} for i in plan.instalments.all()
            ],
        }


@evidence_section("settlements", title="Settlement offers")
def settlements_rows(account):
    for s in Settlement.objects.filter(account=account).order_by("created_at"):
        yield {
            "status": s.status, "amount": str(s.amount), "percent": str(s.percent), "currency": s.currency,
            "expires_on": _iso(s.expires_on), "terms_text": s.terms_text, "accepted_at": _iso(s.accepted_at),
            "accepted_channel": s.accepted_channel, "accepted_ip": s.accepted_ip,
            "approved_by": s.approved_by.username if s.approved_by else None,
        }


@evidence_section("promises", title="Promises to pay")
def promises_rows(account):
    for p in PromiseToPay.objects.filter(account=account).select_related("taken_by").order_by("created_at"):
        yield {
            "amount": str(p.amount), "currency": p.currency, "due_date": p.due_date.isoformat(), "channel": p.channel,
            "taken_by": p.taken_by.username, "status": p.status, "paid": str(p.paid_amount),
            "resolved_at": _iso(p.resolved_at),
        }


@evidence_section("receipts", title="Payment receipts")
def receipts_rows(account):
    for r in Receipt.objects.filter(payment__account=account).order_by("created_at"):
        yield {"confirmation_number": r.confirmation_number, "language": r.language, "channel": r.channel,
               "text": r.text, "created_at": _iso(r.created_at), "sent_at": _iso(r.sent_at)}
