"""Real threads and real connections on PostgreSQL: duplicate deliveries at the same moment, and two
payments for one account at once, are applied exactly once and in a consistent order."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from payments.choices import EventStatus, InstalmentStatus
from payments.models import Allocation, CheckoutSession, Instalment, Payment, ProviderEvent, Receipt
from payments.services import checkout_start, plan_accept, plan_create, reconcile

from .factories import post_event, succeeded

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*jobs):
    """Start every job at the same instant, each on its own thread (and so its own DB connection)."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def runner(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - surfaced to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    return results


def test_same_event_delivered_twice_at_once_is_applied_once(account):
    event = succeeded(account, Decimal("1500.00"), intent="pi_dup")
    responses = run_together(*[lambda: post_event(Client(), event) for _ in range(4)])
    assert sorted(r.status_code for r in responses) == [200] * 4
    assert sorted(r.json()["duplicate"] for r in responses) == [False, True, True, True]
    assert ProviderEvent.objects.get().status == EventStatus.PROCESSED
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    account.refresh_from_db()
    assert account.balance == Decimal("40500.00")
    assert reconcile()[1] == []


def test_two_event_types_for_one_payment_at_once_count_once(account):
    a = succeeded(account, Decimal("700.00"), intent="pi_same")
    b = succeeded(account, Decimal("700.00"), intent="pi_same")  # different event id, same PaymentIntent
    run_together(lambda: post_event(Client(), a), lambda: post_event(Client(), b))
    assert Payment.objects.count() == 1
    assert Allocation.objects.count() == 1
    assert reconcile()[1] == []


def test_two_payments_for_one_account_at_once_serialise(account, agent):
    start = timezone.localdate() + timedelta(days=3)
    plan = plan_create(actor=agent, account=account, frequency="monthly", count=3, start=start)
    plan_accept(actor=agent, plan=plan, channel="phone")
    amounts = [Decimal("10000.00"), Decimal("9000.00"), Decimal("8000.00"), Decimal("7000.00")]
    events = [succeeded(account, amount, intent=f"pi_c{i}") for i, amount in enumerate(amounts)]
    run_together(*[lambda e=e: post_event(Client(), e) for e in events])
    account.refresh_from_db()
    assert account.balance == Decimal("42000.00") - sum(amounts)
    assert Payment.objects.count() == 4
    instalments = list(Instalment.objects.filter(plan=plan).order_by("seq"))
    # Oldest first, whatever order the payments landed in: 34,000 fills #1 and #2 and 6,000 of #3.
    assert [i.paid_amount for i in instalments] == [Decimal("14000.00"), Decimal("14000.00"), Decimal("6000.00")]
    assert [i.status for i in instalments] == [InstalmentStatus.PAID, InstalmentStatus.PAID, InstalmentStatus.PARTIAL]
    assert reconcile()[1] == []


def test_double_click_at_once_creates_one_checkout(account, agent):
    sessions = run_together(*[
        lambda: checkout_start(actor=agent, account=account, amount=Decimal("100.00"), idempotency_key="dbl")
        for _ in range(3)
    ])
    assert len({s.pk for s in sessions}) == 1
    assert CheckoutSession.objects.count() == 1
