"""Proactive messages: an instalment due soon, a saved card about to expire, and a check-in (not a
demand) for a long-standing customer's first missed payment — each once, each through the gate."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from collections_crm.history import system_user
from outreach.cadences.proactive import _months_ending_within, proactive_run
from outreach.models import Message
from payments.models import Instalment, InstalmentPlan, SavedPaymentMethod
from tests.accounts.factories import CreditorFactory
from tests.outreach.messaging import LAGOS_NOON, contactable_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def _plan(account, *, status="active", card=None):
    return InstalmentPlan.objects.create(
        account=account, status=status, frequency="monthly", total=Decimal("300"), currency=account.currency,
        terms_text="3 monthly payments", terms_language="en", proposed_by=system_user(),
        accepted_at=LAGOS_NOON - timedelta(days=40) if status == "active" else None, autopay_method=card,
    )


def _instalment(plan, seq, due, status="due"):
    return Instalment.objects.create(plan=plan, seq=seq, due_date=due, amount=Decimal("100"), status=status)


def test_instalment_reminder_goes_once_within_the_window():
    creditor = CreditorFactory()
    account = contactable_account(creditor)
    plan = _plan(account)
    today = LAGOS_NOON.date()
    soon = _instalment(plan, 1, today + timedelta(days=2))
    later = _instalment(plan, 2, today + timedelta(days=20))
    counts = proactive_run(actor=system_user(), at=LAGOS_NOON)
    assert counts.get("instalment_due_sent") == 1
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at == LAGOS_NOON and later.reminded_at is None
    message = Message.objects.get(account=account, purpose="instalment_due")
    assert message.source == "proactive"
    proactive_run(actor=system_user(), at=LAGOS_NOON + timedelta(hours=2))
    assert Message.objects.filter(account=account, purpose="instalment_due").count() == 1


def test_card_expiry_heads_up_for_a_card_paying_a_plan():
    creditor = CreditorFactory()
    account = contactable_account(creditor)
    today = LAGOS_NOON.date()
    y, m = _months_ending_within(today, 30)[0]
    card = SavedPaymentMethod.objects.create(customer=account.customer, provider="offline", provider_customer_id="c",
                                             provider_method_id="pm_1", brand="visa", last4="4242", exp_month=m,
                                             exp_year=y)
    idle = SavedPaymentMethod.objects.create(customer=account.customer, provider="offline", provider_customer_id="c",
                                             provider_method_id="pm_2", brand="visa", last4="1111", exp_month=m,
                                             exp_year=y)
    _plan(account, card=card)
    counts = proactive_run(actor=system_user(), at=LAGOS_NOON)
    assert counts.get("card_expiring_sent") == 1
    card.refresh_from_db()
    idle.refresh_from_db()
    assert card.expiring_reported_at == LAGOS_NOON and idle.expiring_reported_at is None
    proactive_run(actor=system_user(), at=LAGOS_NOON + timedelta(hours=1))
    assert Message.objects.filter(purpose="card_expiring").count() == 1


def test_first_miss_checkin_only_for_a_long_standing_clean_record():
    creditor = CreditorFactory()
    today = LAGOS_NOON.date()
    loyal = contactable_account(creditor, customer_since=date(today.year - 6, 1, 1))
    newcomer = contactable_account(creditor, customer_since=today - timedelta(days=200))
    troubled = contactable_account(creditor, customer_since=date(today.year - 8, 1, 1))
    for account in (loyal, newcomer, troubled):
        _instalment(_plan(account), 1, today - timedelta(days=3), status="missed")
    _plan(troubled, status="broken")
    counts = proactive_run(actor=system_user(), at=LAGOS_NOON)
    assert counts.get("first_miss_checkin_sent") == 1
    checkin = Message.objects.get(purpose="first_miss_checkin")
    assert checkin.account == loyal
    proactive_run(actor=system_user(), at=LAGOS_NOON + timedelta(hours=3))
    assert Message.objects.filter(purpose="first_miss_checkin").count() == 1


def test_months_ending_within():
    assert _months_ending_within(date(2026, 11, 23), 30) == [(2026, 11)]
    assert _months_ending_within(date(2026, 12, 5), 30) == [(2026, 12)]
    assert _months_ending_within(date(2026, 12, 31), 31) == [(2026, 12), (2027, 1)]
