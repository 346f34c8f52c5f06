"""Cadences: the shipped defaults, enrolment on placement and by command (set-wise, with history)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.choices import Queue
from accounts.models import Case
from accounts.placement.services import placement_import
from collections_crm.history import system_user
from outreach.cadences.choices import EnrolmentStatus
from outreach.cadences.models import Cadence, CadenceEnrolment
from outreach.cadences.rules import Segment, cadence_for
from outreach.cadences.services import cadence_create, cadence_defaults_load, cadence_enrol_cases
from tests.accounts.factories import AccountFactory, CaseFactory, CreditorFactory
from tests.accounts.placement_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def defaults(db):
    cadence_defaults_load(actor=system_user())
    return {c.slug: c for c in Cadence.objects.all()}


def test_defaults_are_shipped_with_library_purposes(defaults):
    from outreach.choices import Purpose

    assert {"friendly-reminders", "not-yet-due", "long-overdue-plan-first"} <= set(defaults)
    for cadence in defaults.values():
        steps = list(cadence.steps.all())
        assert steps and [s.order for s in steps] == list(range(1, len(steps) + 1))
        assert all(s.purpose in Purpose.values for s in steps)
        assert cadence.history.count() == 1


def test_placement_enrols_each_new_case_once_in_the_best_cadence(defaults):
    creditor = CreditorFactory()
    today = timezone.localdate()
    rows = [
        row(customer_ref="C1", account_reference="A1", due_date=str(today - timedelta(days=40))),
        row(customer_ref="C2", account_reference="A2", due_date=str(today + timedelta(days=10))),
        row(customer_ref="C3", account_reference="A3", due_date=str(today - timedelta(days=200))),
    ]
    record = placement_import(creditor=creditor, stream=io.BytesIO(csv_bytes(rows)), actor=system_user(),
                              file_name="p.csv")
    assert record.created == 3
    by_ref = {e.account.reference: e for e in CadenceEnrolment.objects.select_related("account", "cadence", "step")}
    assert by_ref["A1"].cadence.slug == "friendly-reminders"
    assert by_ref["A2"].cadence.slug == "not-yet-due"
    assert by_ref["A3"].cadence.slug == "long-overdue-plan-first"
    a2 = by_ref["A2"]
    # Due-date anchored: three days before the due date (midnight UTC), not at placement.
    assert a2.next_due_at.date() == today + timedelta(days=7)
    assert by_ref["A1"].next_due_at == by_ref["A1"].account.placed_at
    for e in by_ref.values():
        assert e.status == EnrolmentStatus.ACTIVE and e.step.order == 1
        h = e.history.get()
        assert h.history_type == "+" and h.history_user.username == "system"
    # Re-importing the same file changes nothing and enrols nobody twice.
    placement_import(creditor=creditor, stream=io.BytesIO(csv_bytes(rows)), actor=system_user(), file_name="p.csv")
    assert CadenceEnrolment.objects.count() == 3


def test_creditor_cadence_with_balance_band_wins_by_priority(defaults):
    creditor = CreditorFactory()
    mine = cadence_create(
        actor=system_user(), name="Big balances", slug="big", creditor=creditor, priority=20,
        balance_min=Decimal("10000"), steps=[{"anchor": "placement", "offset_days": 1, "channel": "email",
                                               "purpose": "plan_offer"}],
    )
    small = CaseFactory(account=AccountFactory(creditor=creditor, principal=Decimal("100"), interest=0, fees=0))
    big = CaseFactory(account=AccountFactory(creditor=creditor))
    counts = cadence_enrol_cases(cases=Case.objects.all(), actor=system_user())
    assert counts == {"big": 1, "friendly-reminders": 1}
    assert CadenceEnrolment.objects.get(case=big).cadence == mine
    assert CadenceEnrolment.objects.get(case=small).cadence.slug == "friendly-reminders"


def test_enrol_command_takes_existing_cases_once_and_skips_routed_ones(defaults):
    creditor = CreditorFactory()
    cases = [CaseFactory(account=AccountFactory(creditor=creditor)) for _ in range(5)]
    human = cases[0]
    human.queue = Queue.DISPUTES
    human.save()
    out = io.StringIO()
    call_command("cadence_enrol", "--no-progress", stdout=out)
    assert "4 cases enrolled" in out.getvalue()
    call_command("cadence_enrol", "--no-progress", stdout=out)
    assert CadenceEnrolment.objects.count() == 4
    assert not CadenceEnrolment.objects.filter(case=human).exists()


def test_rules_rank_priority_then_creditor_then_age():
    segs = [Segment(1, 0, None), Segment(2, 0, 7), Segment(3, 5, None, buckets=("181+",)),
            Segment(4, 0, 7, balance_max=Decimal("50"))]
    assert cadence_for(segs, creditor_id=7, bucket="1-30", balance=Decimal("10"), product="") == 2
    assert cadence_for(segs, creditor_id=7, bucket="181+", balance=Decimal("10"), product="") == 3
    assert cadence_for(segs, creditor_id=8, bucket="1-30", balance=Decimal("100"), product="") == 1
    assert cadence_for([], creditor_id=8, bucket="1-30", balance=Decimal("1"), product="") is None


