"""The set-based form of the gate (contactable_accounts) picks exactly the accounts check() allows."""

import random
from datetime import UTC, datetime, time, timedelta

import pytest

from accounts.models import Account
from collections_crm.history import system_user
from compliance.choices import AttemptStatus
from compliance.gate import check
from compliance.models import (
    ConsentRecord,
    ContactAttempt,
    ContactPreference,
    CreditorContactPolicy,
    GateDecision,
    Hold,
)
from compliance.selectors import contactable_accounts, gate_context_for
from tests.accounts.factories import AccountFactory, CreditorFactory, CustomerFactory

pytestmark = pytest.mark.django_db

ZONES = ["", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Australia/Adelaide", "Africa/Lagos",
         "Europe/London"]
PLACES = [("US", "MA"), ("US", "WA"), ("US", "NY"), ("US", "NYC"), ("US", ""), ("NG", ""), ("GB", ""), ("FR", "")]


def _population(rng, now):
    actor = system_user()
    creditors = [CreditorFactory(country="US", region="MA", currency="USD"), CreditorFactory(country="NG")]
    CreditorContactPolicy.objects.create(creditor=creditors[0], version=2, window_start=time(9),
                                         channel_limits={"voice": [4, 7]})
    accounts = []
    for i in range(70):
        creditor = rng.choice(creditors)
        country, region = rng.choice(PLACES)
        tz = rng.choice(ZONES)
        customer = CustomerFactory(
            creditor=creditor, country=country, region=region, time_zone=tz,
            possible_time_zones=rng.choice([[], ["America/New_York", "America/Los_Angeles"], ["Asia/Kolkata"]])
            if not tz else [],
            email=rng.choice(["", f"p{i}@example.com", f"q{i}@example.com"]), phone=rng.choice(["", f"+1555{i:07d}"]),
            contact_hours_start=rng.choice([None, time(18)]), contact_hours_end=None,
        )
        if customer.contact_hours_start:
            customer.contact_hours_end = rng.choice([time(21), time(6)])
            customer.save()
        if rng.random() < 0.4:
            ContactPreference.objects.create(
                customer=customer, days_mask=rng.choice([0, 31, 96, 42]), no_contact_at_work=rng.random() < 0.5,
                hours_start=rng.choice([None, time(10)]) and None, work_days_mask=rng.choice([0, 3]),
            )
        for ch in ("sms", "voice", "email", "whatsapp"):
            for _ in range(rng.choice([0, 1, 2])):
                ConsentRecord.objects.create(customer=customer, channel=ch, status=rng.choice(["granted", "revoked"]),
                                             source="import", actor=actor, at=now - timedelta(days=rng.randint(1, 90),
                                                                                               minutes=rng.randint(0, 999)))
        for _ in range(rng.choice([1, 1, 2])):
            acc = AccountFactory(creditor=creditor, customer=customer, status=rng.choice(["open"] * 5 + ["paid"]))
            accounts.append(acc)
            if rng.random() < 0.2:
                kind = rng.choice(["dispute", "hardship_pause", "cease_communication", "attorney"])
                starts = now - timedelta(days=rng.randint(-2, 10))
                Hold.objects.create(customer=customer, account=rng.choice([acc, None]), kind=kind, starts_at=starts,
                                    ends_at=starts + timedelta(days=rng.randint(1, 9)) if kind == "hardship_pause"
                                    else None, placed_by=actor)
            for _ in range(rng.choice([0, 0, 2, 5, 8])):
                when = now - timedelta(minutes=rng.randint(1, 10 * 1440))
                ch = rng.choice(["voice", "voice", "sms", "email"])
                d = GateDecision.objects.create(customer=customer, account=acc, channel=ch, purpose="collection",
                                                at=when, allowed=True, reasons=["allowed"], rule_version="t",
                                                actor=actor)
                ContactAttempt.objects.create(
                    customer=customer, account=acc, channel=ch, purpose=rng.choice(["collection", "transactional"]),
                    at=when, decision=d, status=rng.choice([AttemptStatus.SENT, AttemptStatus.SENT, AttemptStatus.FAILED]),
                    is_conversation=ch == "voice" and rng.random() < 0.2,
                )
    return accounts


def test_setwise_agrees_with_check():
    rng = random.Random(20261123)
    now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    accounts = _population(rng, now)
    moments = [now + timedelta(hours=h) for h in (0, 3, 6, 9, 14, 19, 22)] + [now + timedelta(days=3, hours=1)]
    compared = allowed_total = 0
    for at in moments:
        contexts = {acc.pk: gate_context_for(customer=acc.customer, account=acc, at=at) for acc in accounts}
        for channel in ("voice", "sms", "email"):
            for purpose in ("collection", "campaign", "transactional"):
                chosen = set(contactable_accounts(queryset=Account.objects.all(), channel=channel, at=at,
                                                  purpose=purpose).values_list("pk", flat=True))
                expected = set()
                for acc in accounts:
                    if check(customer=acc.customer, account=acc, channel=channel, at=at, purpose=purpose,
                             context=contexts[acc.pk]).allowed:
                        expected.add(acc.pk)
                assert chosen == expected, (at, channel, purpose, chosen ^ expected)
                compared += len(accounts)
                allowed_total += len(expected)
    # The population must exercise both answers, or agreement would prove nothing.
    assert 0 < allowed_total < compared
