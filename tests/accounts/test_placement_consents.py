"""Consent columns in a placement file: recorded per channel, idempotent, never over the customer's choice."""

import io

import pytest

from accounts.models import Customer
from accounts.placement.services import placement_import
from collections_crm.history import system_user
from compliance import services as compliance
from compliance.models import AuditEvent, ConsentRecord
from tests.accounts.placement_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def run(creditor, actor, rows):
    return placement_import(creditor=creditor, stream=io.BytesIO(csv_bytes(rows)), actor=actor, file_name="p.csv")


def _states(customer):
    latest = {}
    for record in ConsentRecord.objects.filter(customer=customer).order_by("at", "id"):
        latest[record.channel] = (record.status, record.source)
    return latest


def test_consent_columns_are_recorded_per_channel_with_evidence(creditor, supervisor):
    result = run(creditor, supervisor, [row(consent_sms="yes", consent_whatsapp="", consent_email="no",
                                            consent_evidence="app sign-up 2024-03-01")])
    assert result.created == 1
    customer = Customer.objects.get(external_ref="C1")
    assert _states(customer) == {"sms": ("granted", "import")}  # "no" with nothing on record adds nothing
    record = ConsentRecord.objects.get(customer=customer)
    assert record.address == "+2348031234567" and record.evidence == "app sign-up 2024-03-01"
    assert record.actor == supervisor
    assert AuditEvent.objects.filter(action="consent.imported").count() == 1


def test_reimporting_the_same_file_records_nothing_new(creditor, supervisor):
    rows = [row(consent_sms="yes", consent_email="yes")]
    run(creditor, supervisor, rows)
    run(creditor, supervisor, rows)
    assert ConsentRecord.objects.count() == 2


def test_a_later_file_saying_no_revokes_a_grant_that_came_from_a_file(creditor, supervisor):
    run(creditor, supervisor, [row(consent_sms="yes")])
    run(creditor, supervisor, [row(consent_sms="no")])
    assert _states(Customer.objects.get(external_ref="C1"))["sms"] == ("revoked", "import")


def test_a_file_never_overrides_the_customers_own_stop(creditor, supervisor):
    run(creditor, supervisor, [row(consent_sms="yes")])
    customer = Customer.objects.get(external_ref="C1")
    compliance.opt_out_by_keyword(customer=customer, channel="sms", text="STOP", actor=system_user())
    run(creditor, supervisor, [row(consent_sms="yes", principal="41000")])
    assert _states(customer)["sms"] == ("revoked", "inbound_keyword")


def test_bad_consent_values_are_row_errors_with_a_plain_reason(creditor, supervisor):
    result = run(creditor, supervisor, [
        row(consent_sms="maybe"),
        row(customer_ref="C2", account_reference="A2", phone="", preferred_channel="email", consent_whatsapp="yes"),
    ])
    assert result.created == 0 and result.rejected == 2
    assert [(e["line"], e["column"], e["reason"]) for e in result.errors] == [
        (2, "consent_sms", "must be yes or no (or left empty)"),
        (3, "consent_whatsapp", "says yes, but there is no phone number"),
    ]
    assert not ConsentRecord.objects.exists()
