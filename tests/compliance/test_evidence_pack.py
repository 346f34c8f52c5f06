"""The evidence pack: one ZIP with a readable summary, CSV + JSON per section, field history, audit events
and the chain verification; the export itself is audited."""

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest

from collections_crm.history import save_tracked
from compliance.audit import audit_record, audit_verify_chain
from compliance.evidence import _SECTIONS, evidence_section
from compliance.evidence_pack import evidence_pack_build
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def payments_section():
    @evidence_section("test_payments", title="Payments (test)")
    def rows(account):
        return [{"amount": Decimal("100.00"), "confirmation": "=HYPERLINK(1)", "account": account.pk}]

    yield
    _SECTIONS.pop("test_payments")


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _csv_rows(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_pack_contents(account, supervisor, agent, payments_section):
    account.balance = Decimal("30000.00")
    save_tracked(account, actor=agent, reason="payment received")
    audit_record(actor=agent, action="payment.recorded", obj=account, payload={"amount": "12000.00"})

    archive = _open(evidence_pack_build(account=account, actor=supervisor))
    names = set(archive.namelist())
    assert {"summary.html", "manifest.json", "chain_verification.json", "field_history.csv", "field_history.json",
            "audit_events.csv", "audit_events.json", "test_payments.csv", "test_payments.json"} <= names

    history = _csv_rows(archive, "field_history.csv")
    balance_rows = [r for r in history if r["field"] == "balance"]
    assert len(balance_rows) == 1
    assert balance_rows[0]["old"] == "42000.00" and balance_rows[0]["new"] == "30000.00"
    assert agent.username in balance_rows[0]["user"] and balance_rows[0]["reason"] == "payment received"

    events = json.loads(archive.read("audit_events.json"))["rows"]
    assert [e["action"] for e in events] == ["payment.recorded"]

    payments = _csv_rows(archive, "test_payments.csv")
    assert payments == [{"amount": "100.00", "confirmation": "'=HYPERLINK(1)", "account": str(account.pk)}]
    assert json.loads(archive.read("test_payments.json"))["rows"][0]["amount"] == "100.00"

    chain = json.loads(archive.read("chain_verification.json"))
    assert chain["ok"] is True and chain["checked"] == 1

    summary = archive.read("summary.html").decode()
    assert account.reference in summary and account.customer.last_name in summary
    assert "Payments (test)" in summary and "30000.00" in summary

    export = AuditEvent.objects.get(action="export.evidence_pack")
    assert export.account_id == account.pk and export.actor_id == supervisor.pk
    assert export.payload["sections"]["test_payments"] == 1
    assert audit_verify_chain().ok


def test_pack_reports_a_broken_chain(account, supervisor):
    from tests.compliance.test_audit_chain import _tamper

    audit_record(actor=supervisor, action="hold.placed", obj=account)
    audit_record(actor=supervisor, action="hold.released", obj=account)
    _tamper(lambda: AuditEvent.objects.filter(seq=1).update(action="hold.changed"))
    archive = _open(evidence_pack_build(account=account, actor=supervisor))
    chain = json.loads(archive.read("chain_verification.json"))
    assert chain["ok"] is False and chain["first_broken_seq"] == 1
    assert "does NOT verify" in archive.read("summary.html").decode()


def test_a_failing_section_is_reported_not_hidden(account, supervisor):
    @evidence_section("test_broken", title="Broken (test)")
    def rows(account):
        raise RuntimeError("backend down")

    try:
        archive = _open(evidence_pack_build(account=account, actor=supervisor))
    finally:
        _SECTIONS.pop("test_broken")
    manifest = json.loads(archive.read("manifest.json"))
    broken = next(s for s in manifest["sections"] if s["key"] == "test_broken")
    assert "backend down" in broken["error"]
    assert "field_history.csv" in archive.namelist()
