"""Database-enforced invariants of the accounts domain."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.choices import DelinquencyBucket
from accounts.models import Account
from collections_crm.history import save_tracked
from tests.accounts.factories import (
    AccountFactory,
    CaseFactory,
    CreditorFactory,
    CustomerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_one_account_per_creditor_reference():
    acc = AccountFactory(reference="DUP-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountFactory(reference="DUP-1", creditor=acc.creditor)
    # The same reference at another creditor is a different debt.
    AccountFactory(reference="DUP-1", creditor=CreditorFactory(slug="other"))


@pytest.mark.parametrize(
    "field, value",
    [("principal", Decimal("-1")), ("fees", Decimal("-0.01")), ("interest", Decimal("-5")), ("balance", Decimal("-1"))],
)
def test_negative_amounts_refused_by_database(field, value):
    acc = AccountFactory()
    setattr(acc, field, value)
    if field != "balance":
        acc.placed_amount = acc.principal + acc.interest + acc.fees - acc.credits
    with pytest.raises(IntegrityError), transaction.atomic():
        acc.save()


def test_unknown_status_refused_by_database():
    acc = AccountFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=acc.pk).update(status="lost")


def test_placed_amount_must_equal_itemisation():
    acc = AccountFactory()
    acc.placed_amount = acc.placed_amount + Decimal("1")
    with pytest.raises(ValidationError):
        acc.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        acc.save()


def test_case_priority_range_and_closed_time():
    case = CaseFactory()
    case.priority = 9
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()
    case.refresh_from_db()
    case.status = "closed"
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()


def test_customer_of_other_creditor_rejected_in_clean():
    acc = AccountFactory()
    acc.customer = CustomerFactory(creditor=CreditorFactory(slug="someone-else"))
    with pytest.raises(ValidationError):
        acc.full_clean()


def test_save_tracked_records_actor_and_reason():
    actor = UserFactory(username="sup.kemi")
    acc = AccountFactory()
    acc.balance = Decimal("100.00")
    save_tracked(acc, actor=actor, reason="Balance corrected")
    latest = acc.history.first()
    assert latest.history_user == actor
    assert latest.history_change_reason == "Balance corrected"
    assert latest.balance == Decimal("100.00")


@pytest.mark.parametrize(
    "days, bucket",
    [(0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (90, "61-90"), (180, "91-180"), (181, "181+")],
)
def test_bucket_for_days(days, bucket):
    assert DelinquencyBucket.for_days(days) == bucket


def test_choice_labels_follow_the_active_language_and_match_django():
    """``get_<field>_display`` reads a value → label map built once per field (collections_crm.choice_labels);
    the label is still translated when shown, and an unknown value shows as itself, as in Django."""
    from django.db.models import Model
    from django.utils import translation

    from accounts.choices import Queue

    case = CaseFactory.build(queue="high_value")
    field = case._meta.get_field("queue")
    for language in ("en", "fr", "pcm"):
        with translation.override(language):
            assert case.get_queue_display() == str(Queue.HIGH_VALUE.label)
            assert case.get_queue_display() == Model._get_FIELD_display(case, field)  # Django's own
    case.queue = "not-a-queue"
    assert case.get_queue_display() == "not-a-queue"
