"""Retention: customers whose accounts are all closed and past retention are anonymised (live row and
every history row); everyone else is untouched; the purge is recorded and the chain still verifies."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.choices import AccountStatus
from accounts.models import Customer
from collections_crm.history import save_tracked
from compliance.audit import audit_record, audit_verify_chain
from compliance.models import AuditEvent
from compliance.retention import retention_apply
from tests.accounts.factories import AccountFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

LATER = timedelta(days=1100)  # just past the 1096-day default


@pytest.fixture
def closed_customer(creditor, agent):
    customer = CustomerFactory(creditor=creditor, first_name="Chidi", last_name="Okafor", email="chidi@example.com")
    account = AccountFactory(creditor=creditor, customer=customer)
    customer.phone = "+2348030000001"
    save_tracked(customer, actor=agent, reason="new number")
    account.status = AccountStatus.PAID
    save_tracked(account, actor=agent, reason="paid in full")
    audit_record(actor=agent, action="payment.recorded", obj=account, payload={"amount": "42000.00"})
    return customer


@pytest.fixture
def open_customer(creditor):
    return AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor, first_name="Ngozi")).customer


def test_anonymises_past_retention_only(closed_customer, open_customer):
    system = UserFactory(username="system")
    result = retention_apply(actor=system, now=timezone.now() + LATER)
    assert result.customers == [closed_customer.pk]

    closed_customer.refresh_from_db()
    assert (closed_customer.first_name, closed_customer.last_name, closed_customer.email,
            closed_customer.phone, closed_customer.date_of_birth) == ("Anonymised", "", "", "", None)
    assert closed_customer.external_ref  # the creditor's key is kept
    for row in Customer.history.filter(id=closed_customer.pk):
        assert (row.first_name, row.email, row.phone, row.date_of_birth) == ("Anonymised", "", "", None)
    assert closed_customer.history.first().history_change_reason == "retention: personal data anonymised"

    open_customer.refresh_from_db()
    assert open_customer.first_name == "Ngozi"

    purge = AuditEvent.objects.get(action="retention.purge")
    assert purge.payload["customer_ids"] == [closed_customer.pk] and purge.payload["customers_anonymised"] == 1
    assert AuditEvent.objects.filter(action="retention.anonymised", customer_id=closed_customer.pk).count() == 1
    report = audit_verify_chain()
    assert report.ok and report.checked == AuditEvent.objects.count()

    # Running again finds nothing new to do.
    assert retention_apply(actor=system, now=timezone.now() + LATER).customers == []


def test_not_yet_past_retention(closed_customer):
    result = retention_apply(actor=UserFactory(username="system"), now=timezone.now() + timedelta(days=1000))
    assert result.customers == []
    closed_customer.refresh_from_db()
    assert closed_customer.first_name == "Chidi"


def test_customer_with_one_open_account_is_kept(closed_customer, creditor):
    AccountFactory(creditor=creditor, customer=closed_customer)
    assert retention_apply(actor=UserFactory(username="system"), now=timezone.now() + LATER).customers == []


@override_settings(RETENTION={"closed_account_personal_data": 10})
def test_retention_days_come_from_settings(closed_customer):
    result = retention_apply(actor=UserFactory(username="system"), now=timezone.now() + timedelta(days=11))
    assert result.customers == [closed_customer.pk]


def test_dry_run_changes_nothing(closed_customer, capsys):
    from unittest import mock

    events_before = AuditEvent.objects.count()
    with mock.patch("compliance.retention.timezone.now", return_value=timezone.now() + LATER):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"Would anonymise 1 customer(s): [{closed_customer.pk}]" in out
    closed_customer.refresh_from_db()
    assert closed_customer.first_name == "Chidi"
    assert AuditEvent.objects.count() == events_before


def test_command_applies_and_records(closed_customer, capsys):
    from unittest import mock

    with mock.patch("compliance.retention.timezone.now", return_value=timezone.now() + LATER):
        call_command("apply_retention")
    assert "Recorded as audit event" in capsys.readouterr().out
    closed_customer.refresh_from_db()
    assert closed_customer.first_name == "Anonymised"
    assert AuditEvent.objects.get(action="retention.purge").actor_username == "system"
    assert audit_verify_chain().ok
