"""Builders for messaging tests: a Nigerian customer the gate will allow at a plain Tuesday noon."""

from datetime import UTC, datetime

from collections_crm.history import system_user
from compliance import services as compliance
from tests.accounts.factories import AccountFactory, CaseFactory, CustomerFactory
from tests.compliance.gate_helpers import LAGOS_NOON, plain_tuesday_noon_lagos  # noqa: F401 - re-exported


def contactable_account(creditor, *, channels=("sms",), language="en", **customer_fields):
    """An open account (with its case) whose customer consented to ``channels``."""
    customer = CustomerFactory(creditor=creditor, time_zone="Africa/Lagos", country="NG", language=language,
                               **customer_fields)
    account = AccountFactory(creditor=creditor, customer=customer)
    CaseFactory(account=account)
    for channel in channels:
        compliance.consent_grant(customer=customer, channel=channel, source="import", actor=system_user(),
                                 evidence="placement row")
    return account


def zone_where_it_is(hour: int) -> str:
    """A fixed-offset zone where the local hour is now ``hour`` (for sends that go now, not at a set time)."""
    offset = hour - datetime.now(UTC).hour
    if offset > 14:
        offset -= 24
    if offset < -12:
        offset += 24
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
