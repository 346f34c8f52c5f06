"""The compliance models in the admin: every one registered; append-only evidence is view-only."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from compliance.models import (
    AuditEvent,
    ConsentRecord,
    ContactAttempt,
    ContactPreference,
    CreditorContactPolicy,
    Dispute,
    DisputeEvidence,
    GateDecision,
    Hold,
)
from compliance.services import consent_grant
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

EVIDENCE = (AuditEvent, ConsentRecord, GateDecision, ContactAttempt)
ALL = (*EVIDENCE, ContactPreference, CreditorContactPolicy, Dispute, DisputeEvidence, Hold)


def test_every_compliance_model_is_registered_with_history_where_it_has_it():
    for model in ALL:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, SimpleHistoryAdmin) == hasattr(model, "history"), model


def test_evidence_is_view_only_even_for_a_superuser(client, account, agent):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    record = consent_grant(customer=account.customer, channel="sms", source="agent", actor=agent)
    for model in EVIDENCE:
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, model
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403, model
    url = reverse("admin:compliance_consentrecord_change", args=[record.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(url, {"status": "revoked"}).status_code == 403
    delete = reverse("admin:compliance_consentrecord_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.status == "granted"
    for model in (Hold, Dispute, ContactPreference, CreditorContactPolicy):
        opts = model._meta
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
