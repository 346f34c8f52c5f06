"""Audit API: supervisors read events (filters, cursor pages) and download evidence packs; agents 403."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.audit import audit_record
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(account, actor, n):
    for i in range(n):
        audit_record(actor=actor, action="gate.decision" if i % 2 else "payment.recorded", obj=account,
                     payload={"i": i})


def test_agent_cannot_read_audit_events(agent_api):
    assert agent_api.get("/api/audit-events/").status_code == 403


def test_supervisor_reads_filtered_pages(supervisor_api, supervisor, account):
    _events(account, supervisor, 7)
    response = supervisor_api.get("/api/audit-events/", {"action": "gate", "page_size": 2})
    assert response.status_code == 200
    page1 = response.json()
    assert [r["action"] for r in page1["results"]] == ["gate.decision"] * 2
    assert page1["results"][0]["seq"] > page1["results"][1]["seq"]  # newest first
    seen = [r["seq"] for r in page1["results"]]
    next_url = page1["next"]
    while next_url:
        page = supervisor_api.get(next_url).json()
        seen += [r["seq"] for r in page["results"]]
        next_url = page["next"]
    assert sorted(seen) == [2, 4, 6]
    row = page1["results"][0]
    assert row["account_id"] == account.pk and row["actor"] == supervisor.username and len(row["hash"]) == 64


def test_api_query_count_does_not_grow(supervisor_api, supervisor, account):
    _events(account, supervisor, 5)
    supervisor_api.get("/api/audit-events/")  # warm the per-user role cache
    with CaptureQueriesContext(connection) as small:
        supervisor_api.get("/api/audit-events/")
    _events(account, supervisor, 40)
    with CaptureQueriesContext(connection) as large:
        supervisor_api.get("/api/audit-events/")
    assert len(large) == len(small)


def test_bad_filter_is_400(supervisor_api):
    response = supervisor_api.get("/api/audit-events/", {"date_from": "soon"})
    assert response.status_code == 400 and "date_from" in response.json()


def test_evidence_pack_download(supervisor_api, supervisor, account):
    response = supervisor_api.get(f"/api/accounts/{account.pk}/evidence-pack/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "summary.html" in archive.namelist() and "chain_verification.json" in archive.namelist()
    assert AuditEvent.objects.filter(action="export.evidence_pack", actor=supervisor).count() == 1


def test_evidence_pack_refused_for_agent_and_recorded(agent_api, agent, account):
    response = agent_api.get(f"/api/accounts/{account.pk}/evidence-pack/")
    assert response.status_code == 403 and "supervisors" in response.json()["detail"]
    event = AuditEvent.objects.get()
    assert event.action == "export.denied" and event.actor_id == agent.pk
    assert event.payload == {"export": "evidence_pack", "reason": "role", "pk": str(account.pk)}


def test_evidence_pack_missing_account(supervisor_api):
    assert supervisor_api.get("/api/accounts/424242/evidence-pack/").status_code == 404
    assert AuditEvent.objects.get().payload["reason"] == "not_found"


def test_anonymous_gets_401_or_403(api_client, account):
    assert api_client.get(f"/api/accounts/{account.pk}/evidence-pack/").status_code in (401, 403)
    assert not AuditEvent.objects.exists()
