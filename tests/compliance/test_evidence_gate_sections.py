"""The evidence pack carries the contact gate's records: consents, holds, disputes, gate decisions, contact
attempts and preferences, each as CSV + JSON with the account's rows (and not another account's)."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from compliance.evidence_pack import evidence_pack_build
from compliance.services import (
    consent_grant,
    contact_attempt_complete,
    contact_preference_set,
    contact_reserve,
    dispute_open,
    hold_place,
)
from tests.accounts.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _rows(archive, key):
    from_csv = list(csv.DictReader(io.StringIO(archive.read(f"{key}.csv").decode("utf-8-sig"))))
    from_json = json.loads(archive.read(f"{key}.json"))["rows"]
    assert len(from_csv) == len(from_json)
    return from_csv, from_json


def test_pack_has_one_row_of_each_gate_record(account, agent, supervisor):
    customer = account.customer
    customer.country, customer.region, customer.time_zone = "US", "NY", "America/New_York"
    customer.email = customer.email or "ada@example.com"
    customer.save()
    other = AccountFactory(creditor=account.creditor, customer=customer)
    consent_grant(customer=customer, channel="email", source="agent", actor=agent, evidence="said yes on the call")
    at = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # Tuesday 12:00 in New York
    decision = contact_reserve(customer=customer, account=account, channel="email", actor=agent, at=at)
    assert decision.allowed
    contact_attempt_complete(attempt=decision.attempt, outcome="delivered", actor=agent)
    contact_reserve(customer=customer, account=other, channel="email", actor=agent, at=at)  # another account
    dispute = dispute_open(account=account, reason="not_mine", description="Not my debt", actor=agent)
    hold_place(customer=customer, account=None, kind="hardship_pause", reason="lost job", actor=agent,
               ends_at=timezone.now() + timedelta(days=14))
    contact_preference_set(customer=customer, actor=agent, hours_start=time(18), hours_end=time(20), days=[5])

    archive = zipfile.ZipFile(io.BytesIO(evidence_pack_build(account=account, actor=supervisor)))
    names = set(archive.namelist())
    for key in ("consents", "holds", "disputes", "gate_decisions", "contact_attempts", "contact_preferences"):
        assert {f"{key}.csv", f"{key}.json"} <= names, key

    consents, _ = _rows(archive, "consents")
    assert [(r["channel"], r["status"], r["evidence"]) for r in consents] == [
        ("email", "granted", "said yes on the call")]
    _, holds = _rows(archive, "holds")
    # The dispute places its own account hold; the hardship pause covers the customer.
    assert sorted((h["kind"], h["scope"]) for h in holds) == [("dispute", "account"), ("hardship_pause", "customer")]
    _, disputes = _rows(archive, "disputes")
    assert [(d["id"], d["reason"], d["status"]) for d in disputes] == [(dispute.pk, "not_mine", dispute.status)]
    _, decisions = _rows(archive, "gate_decisions")
    assert [(d["channel"], d["allowed"], d["rule_version"]) for d in decisions] == [
        ("email", True, decision.rule_version)]
    _, attempts = _rows(archive, "contact_attempts")
    assert [(a["channel"], a["status"], a["outcome"], a["decision_id"]) for a in attempts] == [
        ("email", "sent", "delivered", decision.pk)]
    _, prefs = _rows(archive, "contact_preferences")
    assert prefs[0]["hours_start"] == "18:00" and prefs[0]["days"] == [5]
    summary = archive.read("summary.html").decode()
    assert "Contact-gate decisions" in summary and "Not my debt" in summary
