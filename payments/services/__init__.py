"""Writes for payments, split by subdomain. Import from here."""

from .checkout import checkout_start, validate_amount
from .events import event_process
from .ledger import (
    ProviderPayment,
    payment_mark_disputed,
    payment_record_failure,
    payment_record_success,
    payment_reverse,
    reconcile,
)
from .methods import card_setup_start, payment_refund_credit
from .plans import (
    check_plan,
    instalment_move_date,
    plan_accept,
    plan_approve,
    plan_autopay_enable,
    plan_break,
    plan_cancel,
    plan_create,
    plan_options,
    plans_run_daily,
    short_plan_eligibility,
)
from .policy import policy_for
from .promises import promise_cancel, promise_create, promises_run_daily
from .settlements import settlement_accept, settlement_approve, settlement_cancel, settlement_offer

__all__ = [
    "ProviderPayment", "card_setup_start", "payment_refund_credit", "check_plan", "instalment_move_date", "checkout_start", "event_process", "payment_mark_disputed",
    "payment_record_failure", "payment_record_success", "payment_reverse", "plan_accept", "plan_approve", "plan_autopay_enable",
    "plan_break", "plan_cancel", "plan_create", "plan_options", "plans_run_daily", "policy_for",
    "promise_cancel", "promise_create", "promises_run_daily", "reconcile", "settlement_accept",
    "settlement_approve", "settlement_cancel", "settlement_offer", "short_plan_eligibility", "validate_amount",
]
