"""The issue's "Bad input" clause, one case each, through the door a user would use: a clear message,
nothing changed, and the attempt in the audit log. (The forged/replayed opt-out link is
tests/compliance/test_gate_api.py::test_opt_out_link_page; the closed-account dispute is here and in
test_gate_services.py.)"""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from collections_crm.errors import ApplicationError
from compliance import services
from compliance.audit import audit_verify_chain
from compliance.models import AuditEvent, ConsentRecord, CreditorContactPolicy, Dispute, Hold

pytestmark = pytest.mark.django_db


def test_forged_and_replayed_opt_out_link(client, account):
    token = services.opt_out_link_token(customer=account.customer, channel="email")
    client.post(f"/c/opt-out/{token}/")
    before = ConsentRecord.objects.count()
    for url in (f"/c/opt-out/{token}/", f"/c/opt-out/{token[:-3]}abc/"):
        page = client.post(url)
        assert page.status_code == 200 and b"This link can" in page.content
    assert ConsentRecord.objects.count() == before == 1
    rejected = AuditEvent.objects.filter(action="consent.opt_out_link_rejected")
    assert rejected.count() == 2 and audit_verify_chain().ok


def test_hold_ending_before_it_starts(agent_api, account):
    start = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    r = agent_api.post("/api/holds/", {"account": account.pk, "kind": "hardship_pause",
                                       "starts_at": start.isoformat(),
                                       "ends_at": (start - timedelta(days=1)).isoformat()}, format="json")
    assert r.status_code == 400 and "end after it starts" in str(r.data)
    assert not Hold.objects.exists()
    assert AuditEvent.objects.filter(action="hold.rejected", account_id=account.pk).count() == 1


def test_dispute_on_a_closed_account(agent_api, account):
    account.status = "paid"
    account.save()
    r = agent_api.post("/api/disputes/", {"account": account.pk, "reason": "not_mine"}, format="json")
    assert r.status_code == 400 and "closed" in r.data["detail"]
    assert not Dispute.objects.exists() and not Hold.objects.exists()
    assert AuditEvent.objects.filter(action="dispute.rejected", account_id=account.pk).count() == 1


def test_profile_that_loosens_the_law(account, supervisor):
    creditor = account.creditor
    with pytest.raises(ApplicationError, match="loosen the contact rules below the law") as exc:
        services.creditor_contact_policy_set(creditor=creditor, actor=supervisor, window_start=time(6),
                                             channel_limits={"voice": [20, 7]})
    assert "earlier than the law allows" in exc.value.extra["window_start"]
    assert "looser than the law" in exc.value.extra["channel_limits.voice"]
    assert not CreditorContactPolicy.objects.exists()
    assert AuditEvent.objects.filter(action="contact_policy.rejected").count() == 1


def test_export_for_an_account_the_user_may_not_see(client, agent, account):
    client.force_login(agent)
    r = client.get(reverse("audit:evidence-pack", args=[account.pk]))
    assert r.status_code == 403 and "Content-Disposition" not in r
    assert not AuditEvent.objects.filter(action="export.evidence_pack").exists()
    denied = AuditEvent.objects.get(action="export.denied")
    assert denied.actor_id == agent.pk and denied.payload == {"export": "evidence_pack", "reason": "role",
                                                              "pk": str(account.pk)}
