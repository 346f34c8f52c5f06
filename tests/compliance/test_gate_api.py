"""API for consents, holds and disputes, and the email opt-out link page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance import services
from compliance.models import AuditEvent, ConsentRecord, Dispute, Hold

pytestmark = pytest.mark.django_db


def test_consent_record_and_list(agent_api, account):
    r = agent_api.post("/api/consents/", {"customer": account.customer_id, "channel": "sms", "status": "granted",
                                          "source": "agent", "evidence": "said yes on the call"}, format="json")
    assert r.status_code == 201 and r.data["actor"] == "agent.ada"
    r = agent_api.post("/api/consents/", {"customer": account.customer_id, "channel": "sms", "status": "revoked"},
                       format="json")
    assert r.status_code == 201
    listed = agent_api.get(f"/api/consents/?customer={account.customer_id}").data["results"]
    assert [c["status"] for c in listed] == ["revoked", "granted"]
    bad = agent_api.post("/api/consents/", {"customer": account.customer_id, "channel": "fax", "status": "granted"},
                         format="json")
    assert bad.status_code == 400


def test_hold_place_and_lift_by_role(agent_api, supervisor_api, account):
    now = timezone.now()
    bad = agent_api.post("/api/holds/", {"account": account.pk, "kind": "hardship_pause",
                                         "starts_at": now.isoformat(), "ends_at": (now - timedelta(days=1)).isoformat()},
                         format="json")
    assert bad.status_code == 400 and "end after it starts" in bad.data["detail"]
    assert not Hold.objects.exists()
    r = agent_api.post("/api/holds/", {"account": account.pk, "kind": "attorney", "reason": "Letter from counsel"},
                       format="json")
    assert r.status_code == 201
    hold_id = r.data["id"]
    assert agent_api.post(f"/api/holds/{hold_id}/lift/", {"reason": "x"}, format="json").status_code == 403
    r = supervisor_api.post(f"/api/holds/{hold_id}/lift/", {"reason": "Attorney withdrew"}, format="json")
    assert r.status_code == 200 and r.data["status"] == "lifted"


def test_dispute_open_with_file_and_resolve(agent_api, account, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("letter.txt", b"not mine", content_type="text/plain")
    r = agent_api.post("/api/disputes/", {"account": account.pk, "reason": "not_mine", "description": "Never lived there",
                                          "source": "agent", "files": [upload]}, format="multipart")
    assert r.status_code == 201, r.data
    assert r.data["files"] == ["letter.txt"] and r.data["hold"]
    r = agent_api.post(f"/api/disputes/{r.data['id']}/resolve/", {"outcome": "upheld", "note": "Identity confirmed"},
                       format="json")
    assert r.status_code == 200 and r.data["status"] == "upheld"
    assert not agent_api.get("/api/disputes/").data["results"][0]["status"] == "open"


def test_dispute_closed_account_is_400(agent_api, account):
    account.status = "paid"
    account.save()
    r = agent_api.post("/api/disputes/", {"account": account.pk, "reason": "not_mine"}, format="json")
    assert r.status_code == 400 and "closed" in r.data["detail"]
    assert not Dispute.objects.exists()


def test_anonymous_cannot_read(api_client, account):
    assert api_client.get("/api/holds/").status_code in (401, 403)


def test_opt_out_link_page(client, account):
    token = services.opt_out_link_token(customer=account.customer, channel="email")
    page = client.get(f"/c/opt-out/{token}/")
    assert page.status_code == 200 and b"Stop these emails?" in page.content
    done = client.post(f"/c/opt-out/{token}/")
    assert b"Done" in done.content
    assert ConsentRecord.objects.get().status == "revoked"
    replay = client.post(f"/c/opt-out/{token}/")
    forged = client.post("/c/opt-out/not-a-token/")
    for resp in (replay, forged):
        assert resp.status_code == 200 and b"This link can" in resp.content
    assert ConsentRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="consent.opt_out_link_rejected").count() == 2
