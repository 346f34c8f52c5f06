"""Money moving on an account: recording payments, allocating them (oldest instalment first),
overpayment credits, refunds and chargebacks, and the reconcile proof.

Every write here locks the account row first (``select_for_update``) so concurrent payments for one
account serialise, and updates ``Account.balance`` with history in the same transaction as the ledger
lines (``Allocation``). Invariant: balance == placed_amount − Σ allocations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.choices import AccountStatus
from accounts.models import Account
from accounts.services_routing import case_reroute
from collections_crm import money
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from .. import schedule, wording
from ..choices import (
    AllocationKind,
    CheckoutStatus,
    CreditStatus,
    InstalmentStatus,
    PaymentPurpose,
    PaymentStatus,
    PlanStatus,
    PromiseStatus,
    ReversalKind,
    SettlementStatus,
)
from ..models import (
    Allocation,
    CheckoutSession,
    Instalment,
    Payment,
    Receipt,
    Reversal,
)

ZERO = Decimal("0")
CONFIRMATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _save(obj, *, actor, reason: str):
    """save_tracked with field validation and clean(); check and unique constraints are left to the
    database (they exist there) instead of being re-run as one query each on the hot path."""
    # Foreign keys are not re-fetched either: they were just read under lock, and the DB enforces them.
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    return save_tracked(obj, actor=actor, reason=reason, validate=False)


def lock_account(account_id: int) -> Account:
    """The account row, locked for the rest of the transaction (serialises money on one account)."""
    return Account.objects.select_for_update().select_related("creditor", "customer").get(pk=account_id)


def _minor(amount: Decimal, currency: str) -> int:
    return money.to_minor(amount, currency)


def _major(units: int, currency: str) -> Decimal:
    return money.from_minor(units, currency)


def _confirmation_number() -> str:
    return "PAY-" + "".join(secrets.choice(CONFIRMATION_ALPHABET) for _ in range(8))


_NO_PLAN = object()


def active_plan(account: Account):
    """The account's active plan, remembered on the (locked) account object for this transaction."""
    cached = getattr(account, "_active_plan", _NO_PLAN)
    if cached is _NO_PLAN:
        cached = account.plans.filter(status=PlanStatus.ACTIVE).first()
        account._active_plan = cached
    return cached


def _forget_plan(account: Account) -> None:
    account.__dict__.pop("_active_plan", None)


def _account_status_after(account: Account) -> str:
    if account.status == AccountStatus.SETTLED:
        return AccountStatus.SETTLED
    if account.balance == ZERO:
        return AccountStatus.PAID
    if active_plan(account):
        return AccountStatus.IN_PLAN
    if account.status in (AccountStatus.PAID, AccountStatus.SETTLED, AccountStatus.IN_PLAN):
        return AccountStatus.OPEN
    return account.status


def _after_money_moved(account: Account, *, actor, reason: str) -> None:
    """The one hook after money moves or a plan breaks: brings the account status up to date, then routes
    its case again (``accounts.services_routing.case_reroute``: closes it when the account closed,
    reopens it when a reversal reopened the account, and moves it between queues as the balance and the
    broken plans say)."""
    status = _account_status_after(account)
    if status != account.status:
        account.status = status
        _save(account, actor=actor, reason=reason)
    case = getattr(account, "case", None)
    if case is None:
        return
    case_reroute(case=case, actor=actor, reason=reason)


def _open_instalments(account: Account) -> list[Instalment]:
    plan = active_plan(account)
    if plan is None:
        return []
    return list(
        plan.instalments.select_for_update().exclude(status=InstalmentStatus.PAID).order_by("due_date", "seq")
    )


def _refresh_instalment(inst: Instalment, *, actor, reason: str) -> None:
    if inst.paid_amount >= inst.amount:
        inst.status = InstalmentStatus.PAID
    elif inst.status == InstalmentStatus.MISSED:
        pass  # stays missed until fully paid
    elif inst.paid_amount > ZERO:
        inst.status = InstalmentStatus.PARTIAL
    else:
        inst.status = InstalmentStatus.DUE
    _save(inst, actor=actor, reason=reason)


def _apply(account: Account, payment: Payment, *, actor) -> None:
    """Allocate a newly successful payment: instalments oldest first, the rest to the account, any
    excess kept as a credit flagged for refund."""
    cur = account.currency
    instalments = _open_instalments(account)
    result = schedule.allocate(
        _minor(payment.amount, cur),
        balance=_minor(account.balance, cur),
        open_items=[(inst, _minor(inst.outstanding, cur)) for inst in instalments],
    )
    on_instalments = 0
    for inst, units in result.per_item:
        amount = _major(units, cur)
        Allocation.objects.create(
            account=account, payment=payment, instalment=inst, kind=AllocationKind.PAYMENT, amount=amount
        )
        inst.paid_amount += amount
        _refresh_instalment(inst, actor=actor, reason="Payment allocated")
        on_instalments += units
    rest = result.to_account - on_instalments
    if rest:
        Allocation.objects.create(account=account, payment=payment, kind=AllocationKind.PAYMENT, amount=_major(rest, cur))
    if result.credit:
        payment.credit_amount = _major(result.credit, cur)
        payment.credit_status = CreditStatus.REFUND_DUE
        audit_record(actor=actor, action="payment.overpaid", obj=payment, account=account,
                     payload={"credit": str(payment.credit_amount), "currency": cur})
    applied = _major(result.to_account, cur)
    account.balance -= applied
    account.last_payment_date = timezone.localdate()
    _save(account, actor=actor, reason=f"Payment {payment.confirmation_number}")
    _after_payment(account, payment, applied=applied, actor=actor)


def _after_payment(account: Account, payment: Payment, *, applied: Decimal, actor) -> None:
    """A payment keeps promises, advances or completes a plan, and can complete a settlement."""
    left = applied + payment.credit_amount
    for promise in account.promises.select_for_update().filter(status=PromiseStatus.OPEN).order_by("due_date", "id"):
        if left <= ZERO:
            break
        take = min(left, promise.amount - promise.paid_amount)
        promise.paid_amount += take
        left -= take
        if promise.paid_amount >= promise.amount:
            promise.status, promise.resolved_at = PromiseStatus.KEPT, timezone.now()
            audit_record(actor=actor, action="promise.kept", obj=promise, account=account,
                         payload={"payment": payment.confirmation_number})
        _save(promise, actor=actor, reason="Payment received")
    plan = active_plan(account)
    if plan and not plan.instalments.exclude(status=InstalmentStatus.PAID).exists():
        plan.status = PlanStatus.COMPLETED
        _save(plan, actor=actor, reason="Every instalment paid")
        _forget_plan(account)
        audit_record(actor=actor, action="plan.completed", obj=plan, account=account)
    settlement = account.settlements.select_for_update().filter(status=SettlementStatus.ACCEPTED).first()
    if settlement and account.balance > ZERO:
        paid_since = (
            Allocation.objects.filter(account=account, created_at__gte=settlement.accepted_at)
            .exclude(kind=AllocationKind.SETTLEMENT_DISCOUNT).aggregate(total=Sum("amount"))["total"] or ZERO
        )
        if paid_since >= settlement.amount:
            discount = account.balance
            Allocation.objects.create(account=account, kind=AllocationKind.SETTLEMENT_DISCOUNT, amount=discount)
            account.balance = ZERO
            account.status = AccountStatus.SETTLED
            _save(account, actor=actor, reason="Settled")
            settlement.status, settlement.paid_at = SettlementStatus.PAID, timezone.now()
            _save(settlement, actor=actor, reason="Settlement paid")
            audit_record(actor=actor, action="settlement.paid", obj=settlement, account=account,
                         payload={"discount": str(discount), "currency": account.currency})
    _after_money_moved(account, actor=actor, reason="Payment received")


def _send_receipt_later(receipt_pk: int) -> None:
    from ..tasks import send_receipt

    send_receipt.delay(receipt_pk)


def _receipt(account: Account, payment: Payment) -> Receipt:
    customer = account.customer
    return Receipt.objects.create(
        payment=payment, confirmation_number=payment.confirmation_number, language=customer.language,
        channel=customer.preferred_channel,
        text=wording.receipt_text(
            language=customer.language, reference=account.reference, currency=account.currency,
            amount=payment.amount, balance=account.balance, day=timezone.localdate(),
            number=payment.confirmation_number,
        ),
    )


@dataclass(frozen=True)
class ProviderPayment:
    """What a provider told us about one payment attempt."""

    provider: str
    provider_payment_id: str
    amount: Decimal
    currency: str
    charge_id: str = ""
    checkout_session_id: str = ""
    purpose: str = PaymentPurpose.ONE_OFF
    plan_id: int | None = None
    card_brand: str = ""
    card_last4: str = ""
    failure_reason: str = ""


def _get_or_start(account: Account, info: ProviderPayment) -> tuple[Payment, bool]:
    payment = Payment.objects.select_for_update().filter(provider_payment_id=info.provider_payment_id).first()
    if payment is not None:
        if payment.account_id != account.pk:
            raise ApplicationError("This payment belongs to another account.", {"code": "account_mismatch"})
        return payment, False
    session = None
    if info.checkout_session_id:
        session = CheckoutSession.objects.filter(provider_session_id=info.checkout_session_id).first()
    payment = Payment(
        account=account, provider=info.provider, provider_payment_id=info.provider_payment_id,
        amount=info.amount, currency=info.currency, checkout_session=session, purpose=info.purpose,
        plan_id=info.plan_id, provider_charge_id=info.charge_id,
    )
    return payment, True


def _check_money(account: Account, info: ProviderPayment) -> None:
    if info.currency != account.currency:
        raise ApplicationError(
            f"The payment is in {info.currency} but the account is in {account.currency}.",
            {"code": "currency_mismatch"},
        )
    if info.amount <= ZERO:
        raise ApplicationError("A payment must be more than zero.", {"code": "amount_not_positive"})


@transaction.atomic
def payment_record_success(*, actor, account_id: int, info: ProviderPayment) -> Payment:
    """Record a successful payment once (by provider payment id), allocate it, issue its receipt.
    Reporting the same success again — or after a failure — is safe; a late failure never undoes it."""
    account = lock_account(account_id)
    _check_money(account, info)
    payment, _created = _get_or_start(account, info)
    if payment.pk and payment.status != PaymentStatus.PENDING and payment.status != PaymentStatus.FAILED:
        return payment  # already succeeded (or since refunded / disputed): nothing to do
    if payment.pk and payment.amount != info.amount:
        payment.amount = info.amount
    payment.status = PaymentStatus.SUCCEEDED
    payment.failure_reason = ""
    payment.received_at = timezone.now()
    payment.confirmation_number = payment.confirmation_number or _confirmation_number()
    payment.card_brand = info.card_brand or payment.card_brand
    payment.card_last4 = info.card_last4 or payment.card_last4
    payment.provider_charge_id = info.charge_id or payment.provider_charge_id
    _save(payment, actor=actor, reason="Payment succeeded")
    _apply(account, payment, actor=actor)
    if payment.credit_amount:
        _save(payment, actor=actor, reason="Overpayment kept as a credit")
    if payment.checkout_session_id:
        session = payment.checkout_session
        session.status = CheckoutStatus.COMPLETE
        _save(session, actor=actor, reason="Paid")
    receipt = _receipt(account, payment)
    transaction.on_commit(lambda: _send_receipt_later(receipt.pk))
    audit_record(actor=actor, action="payment.recorded", obj=payment, account=account, payload={
        "amount": str(payment.amount), "currency": payment.currency, "confirmation": payment.confirmation_number,
        "provider": payment.provider, "provider_payment_id": payment.provider_payment_id,
        "credit": str(payment.credit_amount),
    })
    # A refund or chargeback that arrived before this success waits for it; apply it now.
    for waiting in Reversal.objects.select_for_update().filter(
        provider_payment_id=payment.provider_payment_id, applied_at__isnull=True
    ).order_by("id"):
        _apply_reversal(account, payment, waiting, actor=actor)
    return payment


@transaction.atomic
def payment_record_failure(*, actor, account_id: int, info: ProviderPayment) -> Payment:
    """Record a failed attempt. A failure reported after the success (out of order) changes nothing."""
    account = lock_account(account_id)
    _check_money(account, info)
    payment, _created = _get_or_start(account, info)
    if payment.pk and payment.status != PaymentStatus.PENDING:
        return payment
    payment.status = PaymentStatus.FAILED
    payment.failure_reason = info.failure_reason[:300]
    _save(payment, actor=actor, reason="Payment failed")
    if payment.checkout_session_id and payment.checkout_session.status == CheckoutStatus.OPEN:
        session = payment.checkout_session
        session.status = CheckoutStatus.FAILED
        _save(session, actor=actor, reason="Payment failed")
    audit_record(actor=actor, action="payment.failed", obj=payment, account=account,
                 payload={"amount": str(payment.amount), "reason": payment.failure_reason})
    return payment


def _apply_reversal(account: Account, payment: Payment, reversal: Reversal, *, actor) -> None:
    cur = account.currency
    still_held = payment.amount - payment.reversed_amount
    amount = min(reversal.amount, still_held)
    if amount <= ZERO:
        reversal.applied_at = timezone.now()
        reversal.payment = payment
        _save(reversal, actor=actor, reason="Nothing left to reverse")
        return
    # Each payment allocation, net of earlier reversals against the same instalment, newest first.
    lines: dict[int | None, Decimal] = {}
    for alloc in payment.allocations.all().order_by("id"):
        lines[alloc.instalment_id] = lines.get(alloc.instalment_id, ZERO) + alloc.amount
    order = sorted(lines.items(), key=lambda kv: (kv[0] is not None, kv[0] or 0), reverse=True)
    credit_left = payment.credit_amount if payment.credit_status == CreditStatus.REFUND_DUE else ZERO
    result = schedule.reverse(
        _minor(amount, cur), credit=_minor(credit_left, cur),
        allocations=[(key, _minor(value, cur)) for key, value in order if value > ZERO],
    )
    reversal.payment = payment
    reversal.applied_at = timezone.now()
    _save(reversal, actor=actor, reason="Reversal applied")
    back_to_account = ZERO
    for instalment_id, units in result.per_allocation:
        value = _major(units, cur)
        Allocation.objects.create(account=account, payment=payment, instalment_id=instalment_id,
                                  reversal=reversal, kind=AllocationKind.REVERSAL, amount=-value)
        back_to_account += value
        if instalment_id:
            inst = Instalment.objects.select_for_update().get(pk=instalment_id)
            inst.paid_amount -= value
            _refresh_instalment(inst, actor=actor, reason="Payment reversed")
    if result.from_credit:
        payment.credit_amount -= _major(result.from_credit, cur)
        if payment.credit_amount == ZERO:
            payment.credit_status = CreditStatus.REFUNDED
    payment.reversed_amount += amount
    if reversal.kind == ReversalKind.CHARGEBACK:
        payment.status = PaymentStatus.CHARGED_BACK
    else:
        payment.status = (PaymentStatus.REFUNDED if payment.reversed_amount == payment.amount
                          else PaymentStatus.PARTIALLY_REFUNDED)
    _save(payment, actor=actor, reason=f"{reversal.get_kind_display()} applied")
    if back_to_account:
        if account.status == AccountStatus.SETTLED:
            _unsettle(account, actor=actor)
        account.balance += back_to_account
        _save(account, actor=actor, reason=f"{reversal.get_kind_display()} of {payment.confirmation_number}")
        plan = account.plans.filter(status=PlanStatus.COMPLETED).first()
        if plan and plan.instalments.exclude(status=InstalmentStatus.PAID).exists():
            plan.status = PlanStatus.ACTIVE
            _save(plan, actor=actor, reason="Payment reversed: plan open again")
            _forget_plan(account)
    audit_record(
        actor=actor, action="payment.refunded" if reversal.kind == ReversalKind.REFUND else "payment.charged_back",
        obj=payment, account=account,
        payload={"amount": str(amount), "to_account": str(back_to_account), "ref": reversal.provider_ref},
    )
    _after_money_moved(account, actor=actor, reason="Payment reversed")


def _unsettle(account: Account, *, actor) -> None:
    """Money behind a settlement came back: the settlement discount is withdrawn too."""
    discount = (
        Allocation.objects.filter(account=account, kind=AllocationKind.SETTLEMENT_DISCOUNT)
        .aggregate(total=Sum("amount"))["total"] or ZERO
    )
    if discount:
        Allocation.objects.create(account=account, kind=AllocationKind.SETTLEMENT_DISCOUNT, amount=-discount)
        account.balance += discount
    account.status = AccountStatus.OPEN
    for settlement in account.settlements.filter(status=SettlementStatus.PAID):
        settlement.status = SettlementStatus.CANCELLED
        _save(settlement, actor=actor, reason="Payment reversed")


@transaction.atomic
def payment_reverse(*, actor, kind: str, provider_ref: str, provider_payment_id: str, amount: Decimal,
                    currency: str, account_id: int | None = None, reason: str = "") -> Reversal:
    """Record a refund or chargeback once (by provider ref). If its payment is not recorded yet
    (delivered out of order), it waits and is applied when the payment is."""
    payment = Payment.objects.filter(provider_payment_id=provider_payment_id).first()
    account_id = payment.account_id if payment else account_id
    account = lock_account(account_id) if account_id else None
    existing = Reversal.objects.select_for_update().filter(provider_ref=provider_ref).first()
    if existing:
        return existing
    if amount <= ZERO:
        raise ApplicationError("A refund must be more than zero.", {"code": "amount_not_positive"})
    reversal = Reversal.objects.create(
        kind=kind, provider_ref=provider_ref, provider_payment_id=provider_payment_id, amount=amount,
        currency=currency, reason=reason[:200],
    )
    if payment is not None:
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment is not None and payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        _apply_reversal(account, payment, reversal, actor=actor)
    return reversal


@transaction.atomic
def payment_mark_disputed(*, actor, provider_payment_id: str, dispute_id: str, status: str) -> Payment | None:
    """A card dispute opened (money not yet taken back) or was won (back to succeeded)."""
    payment = Payment.objects.filter(provider_payment_id=provider_payment_id).first()
    if payment is None:
        return None
    lock_account(payment.account_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if status == "open" and payment.status == PaymentStatus.SUCCEEDED:
        payment.status = PaymentStatus.DISPUTED
    elif status == "won" and payment.status == PaymentStatus.DISPUTED:
        payment.status = PaymentStatus.SUCCEEDED
    else:
        return payment
    _save(payment, actor=actor, reason=f"Card dispute {status}")
    audit_record(actor=actor, action=f"payment.dispute_{status}", obj=payment, account=payment.account,
                 payload={"dispute": dispute_id})
    return payment


# ---------------------------------------------------------------- reconcile


@dataclass(frozen=True)
class ReconcileLine:
    account_id: int
    reference: str
    currency: str
    placed: Decimal
    allocated: Decimal
    balance: Decimal
    problem: str

    @property
    def difference(self) -> Decimal:
        return self.placed - self.allocated - self.balance


def reconcile(*, account_ids: list[int] | None = None) -> tuple[int, list[ReconcileLine]]:
    """Prove balance == placed − net allocations for every account, and that every payment's money is
    fully accounted for (allocated + credit + reversed == amount). Returns (checked, problems)."""
    problems: list[ReconcileLine] = []
    accounts = Account.objects.all().order_by("id")
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    totals = dict(
        Allocation.objects.values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total")
    )
    checked = 0
    for acc in accounts.only("id", "reference", "currency", "placed_amount", "balance").iterator(chunk_size=2000):
        checked += 1
        allocated = totals.get(acc.id) or ZERO
        if acc.placed_amount - allocated != acc.balance:
            problems.append(ReconcileLine(acc.id, acc.reference, acc.currency, acc.placed_amount, allocated,
                                          acc.balance, "balance differs from placed amount minus allocations"))
    per_payment = dict(
        Allocation.objects.filter(payment__isnull=False).values("payment_id").annotate(total=Sum("amount"))
        .values_list("payment_id", "total")
    )
    payments = Payment.objects.exclude(status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED])
    if account_ids is not None:
        payments = payments.filter(account_id__in=account_ids)
    for p in payments.select_related("account").iterator(chunk_size=2000):
        held = (per_payment.get(p.id) or ZERO) + (p.credit_amount if p.credit_status == CreditStatus.REFUND_DUE else ZERO)
        if held + p.reversed_amount != p.amount:
            problems.append(ReconcileLine(p.account_id, p.account.reference, p.currency, p.amount, held,
                                          p.reversed_amount, f"payment {p.confirmation_number} is not fully accounted for"))
    failed_with_lines = Allocation.objects.filter(payment__status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED])
    for alloc in failed_with_lines.select_related("account"):
        problems.append(ReconcileLine(alloc.account_id, alloc.account.reference, alloc.account.currency,
                                      ZERO, alloc.amount, ZERO, "allocation from a payment that did not succeed"))
    return checked, problems
