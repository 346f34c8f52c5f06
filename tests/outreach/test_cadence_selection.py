"""The tick's set-wise SQL selection agrees with a per-case Python evaluation (enrolment_verdict) on
varied data: exits and their reason, skipped steps, sends and their channel, and the gate pre-filter
agrees with compliance.gate.check for the same instant."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.choices import AccountStatus, CaseStatus, Queue
from collections_crm.history import system_user
from compliance.gate import check
from compliance.models import ConsentRecord, Dispute, Hold
from compliance.selectors import gate_context_for
from outreach.cadences.models import Cadence, CadenceDispatch, CadenceEnrolment, CadenceStep
from outreach.cadences.selectors import enrolment_verdict, gate_prefiltered, tick_selection
from payments.models import InstalmentPlan, Payment
from tests.accounts.factories import AccountFactory, CaseFactory, CreditorFactory, CustomerFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # a Tuesday afternoon in Lagos and London


def _population(rng: random.Random, n: int):
    actor = system_user()
    creditor = CreditorFactory(slug=f"sel-{rng.randrange(10**9)}")
    cadences = []
    for active in (True, rng.random() < 0.8):
        cadence = Cadence.objects.create(name="c", slug=f"c-{rng.randrange(10**9)}", is_active=active, created_by=actor)
        for order in (1, 2):
            CadenceStep.objects.create(
                cadence=cadence, order=order, anchor="last_contact", offset_days=3,
                channel=rng.choice(["preferred", "sms", "email", "whatsapp"]), purpose="friendly_reminder",
                require_no_payment=rng.random() < 0.5, require_no_reply=rng.random() < 0.5,
                require_not_in_plan=rng.random() < 0.5,
            )
        cadences.append(cadence)
    for i in range(n):
        customer = CustomerFactory(
            creditor=creditor, preferred_channel=rng.choice(["sms", "email", "whatsapp"]),
            time_zone=rng.choice(["Africa/Lagos", "Europe/London", "America/New_York"]),
            country=rng.choice(["NG", "GB", "US"]), region="",
            email=rng.choice(["", f"s{i}@example.com"]), phone=rng.choice(["", f"+23480{i:08d}"]),
        )
        principal = Decimal(rng.choice(["0"] + ["100", "5000"] * 6))
        account = AccountFactory(
            creditor=creditor, customer=customer, principal=principal, interest=0, fees=0,
            status=rng.choice([AccountStatus.OPEN] * 30 + [AccountStatus.PAID, AccountStatus.IN_PLAN,
                                                          AccountStatus.RECALLED, AccountStatus.SETTLED]),
        )
        case = CaseFactory(
            account=account, queue=rng.choice([Queue.AUTOMATED] * 14 + [Queue.DISPUTES, Queue.HIGH_VALUE]),
            status=rng.choice([CaseStatus.OPEN] * 20 + [CaseStatus.CLOSED]),
            closed_at=AT,
        )
        cadence = rng.choice(cadences)
        step = cadence.steps.order_by("order").first() if rng.random() < 0.6 else cadence.steps.order_by("order").last()
        last_step_at = AT - timedelta(days=rng.randint(1, 9))
        enrolment = CadenceEnrolment.objects.create(
            case=case, account=account, cadence=cadence, step=step, last_step_at=last_step_at,
            next_due_at=AT + timedelta(hours=rng.choice([-30, -1, 0, 2])),
        )
        lease = rng.choice([None, None, None, AT - timedelta(minutes=1), AT + timedelta(minutes=5)])
        if lease is not None:
            CadenceDispatch.objects.create(enrolment=enrolment, until=lease)
        for _ in range(rng.choice([0, 0, 1, 2])):
            ConsentRecord.objects.create(
                customer=customer, channel=rng.choice(["sms", "email", "whatsapp"]),
                status=rng.choice(["granted", "revoked"]), source="import", actor=actor,
                at=AT - timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 600)),
            )
        if rng.random() < 0.1:
            starts = AT + timedelta(days=rng.choice([-3, 1]))
            kind = rng.choice(["dispute", "hardship_pause", "cease_communication"])
            ends = rng.choice([None, AT - timedelta(hours=1), AT + timedelta(days=2)])
            if ends is not None and ends <= starts or (ends is None and kind == "hardship_pause"):
                ends = starts + timedelta(days=3)
            Hold.objects.create(customer=customer, account=rng.choice([None, account]), kind=kind,
                                status=rng.choice(["active", "active", "lifted"]), placed_by=actor,
                                starts_at=starts, ends_at=ends)
        if rng.random() < 0.1:
            Dispute.objects.create(account=account, customer=customer, reason="wrong_amount", source="portal", opened_by=actor,
                                   status=(status := rng.choice(["open", "verifying", "withdrawn"])), sla_due_at=AT,
                                   resolved_at=AT if status == "withdrawn" else None)
        if rng.random() < 0.2:
            status = rng.choice(["proposed", "pending_approval", "active", "broken"])
            InstalmentPlan.objects.create(
                account=account, status=status, frequency="monthly", total=Decimal("100"), currency="NGN",
                terms_text="t", terms_language="en", proposed_by=actor,
                accepted_at=AT if status == "active" else None,
            )
        if rng.random() < 0.3:
            Payment.objects.create(
                account=account, provider="offline", provider_payment_id=f"p-{rng.randrange(10**12)}",
                amount=Decimal("10"), currency="NGN", status=rng.choice(["succeeded", "failed", "pending"]),
                received_at=last_step_at + timedelta(hours=rng.choice([-5, 5])),
            )


def _sql_view(at):
    sel = tick_selection(at=at)
    out = {pk: ("exit", reason) for pk, reason in sel["exit"].values_list("pk", "_exit")}
    out.update({pk: ("skip", "") for pk in sel["skip"].values_list("pk", flat=True)})
    out.update({pk: ("send", ch) for pk, ch in sel["send"].values_list("pk", "_channel")})
    return out, sel


def _python_view(at):
    out = {}
    for e in CadenceEnrolment.objects.select_related("account__customer", "case", "step", "cadence"):
        lease = CadenceDispatch.objects.filter(enrolment=e).first()
        leased = lease is not None and lease.until > at
        verdict = enrolment_verdict(e, at=at)
        if verdict[0] != "wait" and not leased:
            out[e.pk] = verdict
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_setwise_selection_agrees_with_per_case_evaluation(seed, django_db_setup):
    with transaction.atomic():
        _population(random.Random(seed), 24)
        sql, sel = _sql_view(AT)
        assert sql == _python_view(AT)
        # The gate pre-filter keeps exactly the sends the pure gate allows at this instant.
        allowed = set(gate_prefiltered(sel["send"], at=AT).values_list("pk", flat=True))
        expected = set()
        for e in CadenceEnrolment.objects.filter(pk__in=[pk for pk, v in sql.items() if v[0] == "send"]).select_related(
                "account__customer"):
            customer = e.account.customer
            ctx = gate_context_for(customer=customer, account=e.account, at=AT)
            if check(context=ctx, channel=sql[e.pk][1], at=AT).allowed:
                expected.add(e.pk)
        assert allowed == expected
        transaction.set_rollback(True)
