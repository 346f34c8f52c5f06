"""On PostgreSQL, concurrent workers reserving contacts with the same customer cannot pass a cap: the
customer row lock in contact_reserve serialises decide-and-record."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection

from collections_crm.history import system_user
from compliance import services
from compliance.models import ContactAttempt, GateDecision
from compliance.rules import holiday_dates
from tests.accounts.factories import AccountFactory, CreditorFactory, CustomerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _plain_tuesday_noon_lagos():
    day = datetime.now(UTC).date() + timedelta(days=1)
    while day.weekday() != 1 or day in holiday_dates("NG", "", (day.year,)):
        day += timedelta(days=1)
    return datetime.combine(day, time(11), tzinfo=UTC)


def test_concurrent_workers_cannot_exceed_the_cap():
    creditor = CreditorFactory()
    customer = CustomerFactory(creditor=creditor, time_zone="Africa/Lagos")
    account = AccountFactory(creditor=creditor, customer=customer)
    actor = system_user()
    at = _plain_tuesday_noon_lagos()
    workers, barrier, results, errors = 16, threading.Barrier(16), [], []

    def worker(i):
        try:
            barrier.wait()
            d = services.contact_reserve(customer=customer, account=account, channel="voice", actor=actor,
                                         at=at + timedelta(seconds=i))
            results.append(d.allowed)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == workers
    # 12 CFR 1006.14(b)(2)(i): at most 7 calls in 7 days; the rest were refused with the reason recorded.
    assert results.count(True) == 7
    assert ContactAttempt.objects.filter(account=account).count() == 7
    assert GateDecision.objects.filter(account=account, allowed=False, reasons=["frequency_cap"]).count() == workers - 7


def test_overlapping_batches_cannot_exceed_the_cap_nor_deadlock():
    """Batches lock all their customers in pk order in one statement, so two workers with overlapping
    batches (in opposite orders) and single reservations in between queue up instead of deadlocking."""
    from compliance.audit import audit_verify_chain
    from compliance.services import ReserveRequest

    creditor = CreditorFactory()
    accounts = [AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor, time_zone="Africa/Lagos"))
                for _ in range(4)]
    actor = system_user()
    at = _plain_tuesday_noon_lagos()
    # Each batch asks for 5 calls per account, in opposite orders; two singles also ask for each account.
    forward = [ReserveRequest(customer=a.customer, account=a, channel="voice") for a in accounts for _ in range(5)]
    batches = [forward, forward[::-1]]
    barrier, results, errors = threading.Barrier(4), [], []

    def batch_worker(requests):
        try:
            barrier.wait()
            for _ in range(2):
                results.extend(d.allowed for d in services.contact_reserve_many(requests=requests, actor=actor,
                                                                               at=at))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    def single_worker(order):
        try:
            barrier.wait()
            for a in order:
                results.append(services.contact_reserve(customer=a.customer, account=a, channel="voice",
                                                        actor=actor, at=at).allowed)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=batch_worker, args=(b,)) for b in batches]
    threads += [threading.Thread(target=single_worker, args=(o,)) for o in (accounts, accounts[::-1])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 2 * 2 * 20 + 2 * 4
    # 12 CFR 1006.14(b)(2)(i): 7 calls in 7 days per account, however the workers interleaved.
    assert results.count(True) == 7 * 4
    for a in accounts:
        assert ContactAttempt.objects.filter(account=a).count() == 7
        assert GateDecision.objects.filter(account=a).count() == 2 * 2 * 5 + 2
    assert audit_verify_chain().ok
