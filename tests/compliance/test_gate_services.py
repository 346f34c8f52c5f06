"""Services around the gate: decisions stored and audited, reservations, consent, holds, disputes."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from collections_crm.errors import ApplicationError
from compliance import services
from compliance.choices import AttemptStatus, HoldStatus
from compliance.evidence import evidence_sections
from compliance.models import AuditEvent, ConsentRecord, ContactAttempt, CreditorContactPolicy, Dispute, Hold
from compliance.services import ContactBlocked
from tests.accounts.factories import AccountFactory, CustomerFactory
from tests.compliance.gate_helpers import LAGOS_NOON

pytestmark = pytest.mark.django_db



@pytest.fixture
def ng_account(creditor):
    customer = CustomerFactory(creditor=creditor, time_zone="Africa/Lagos", country="NG")
    acc = AccountFactory(creditor=creditor, customer=customer)
    services.consent_grant(customer=customer, channel="sms", source="import", actor=_system(), evidence="row 4")
    return acc


def _system():
    from collections_crm.history import system_user

    return system_user()


def test_reserve_records_decision_attempt_and_audit(ng_account, agent):
    d = services.contact_reserve(customer=ng_account.customer, account=ng_account, channel="sms", actor=agent,
                                 at=LAGOS_NOON)
    assert d.allowed and d.reasons == ["allowed"] and d.rule_version == "NG@2026.1"
    assert d.attempt.status == AttemptStatus.RESERVED
    assert services.contact_send_guard(attempt=d.attempt) == d.attempt
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-2:] == ["gate.decision", "contact.reserved"]


def test_blocked_decision_has_no_attempt_and_backend_refuses(ng_account, agent):
    d = services.contact_reserve(customer=ng_account.customer, account=ng_account, channel="whatsapp", actor=agent,
                                 at=LAGOS_NOON)
    assert not d.allowed and d.reasons == ["no_consent"]
    assert not ContactAttempt.objects.exists()
    with pytest.raises(ContactBlocked):
        services.contact_send_guard(attempt=None)


def test_cap_enforced_through_reservations(ng_account, agent):
    customer = ng_account.customer
    for i in range(7):
        d = services.contact_reserve(customer=customer, account=ng_account, channel="voice", actor=agent,
                                     at=LAGOS_NOON + timedelta(minutes=i))
        assert d.allowed
    d = services.contact_reserve(customer=customer, account=ng_account, channel="voice", actor=agent,
                                 at=LAGOS_NOON + timedelta(hours=1))
    assert d.reasons == ["frequency_cap"] and d.next_allowed_at is not None
    # A busy signal does not count (1006.14(b)(3)): completing one as not connected frees a slot.
    services.contact_attempt_complete(attempt=ContactAttempt.objects.first(), outcome="busy", sent=False, actor=agent)
    assert services.contact_reserve(customer=customer, account=ng_account, channel="voice", actor=agent,
                                    at=LAGOS_NOON + timedelta(hours=1)).allowed


def test_conversation_starts_cooldown(ng_account, agent):
    d = services.contact_reserve(customer=ng_account.customer, account=ng_account, channel="voice", actor=agent,
                                 at=LAGOS_NOON)
    services.contact_attempt_complete(attempt=d.attempt, outcome="spoke", conversation=True, actor=agent)
    later = services.gate_decide(customer=ng_account.customer, account=ng_account, channel="voice", actor=agent,
                                 at=LAGOS_NOON + timedelta(days=2))
    assert later.reasons == ["conversation_cooldown"]


def test_keyword_opt_out_is_immediate_and_cancels_queued(ng_account, agent):
    customer = ng_account.customer
    d = services.contact_reserve(customer=customer, account=ng_account, channel="sms", actor=agent, at=LAGOS_NOON)
    assert services.opt_out_by_keyword(customer=customer, channel="sms", text="STOP", actor=agent)
    with pytest.raises(ContactBlocked):
        services.contact_send_guard(attempt=d.attempt)
    d.attempt.refresh_from_db()
    assert d.attempt.status == AttemptStatus.CANCELLED
    after = services.gate_decide(customer=customer, account=ng_account, channel="sms", actor=agent,
                                 at=LAGOS_NOON + timedelta(minutes=5))
    assert after.reasons == ["opted_out"]
    assert not services.opt_out_by_keyword(customer=customer, channel="sms", text="I will pay Friday", actor=agent)
    conf = services.contact_reserve(customer=customer, account=ng_account, channel="sms", purpose="opt_out_confirmation",
                                    actor=agent, at=LAGOS_NOON + timedelta(minutes=6))
    assert conf.allowed
    again = services.gate_decide(customer=customer, account=ng_account, channel="sms", purpose="opt_out_confirmation",
                                 actor=agent, at=LAGOS_NOON + timedelta(minutes=7))
    assert again.reasons == ["confirmation_not_due"]


def test_opt_out_link_single_use_and_forgery_audited(ng_account, agent):
    customer = ng_account.customer
    token = services.opt_out_link_token(customer=customer, channel="email")
    assert services.opt_out_by_link(token=token) is not None
    count = ConsentRecord.objects.count()
    assert services.opt_out_by_link(token=token) is None  # replay
    assert services.opt_out_by_link(token=token[:-2] + "xx") is None  # forged
    assert ConsentRecord.objects.count() == count
    assert AuditEvent.objects.filter(action="consent.opt_out_link_rejected").count() == 2


def test_hold_validation_and_expiry(ng_account, agent):
    start = LAGOS_NOON
    with pytest.raises(ApplicationError, match="end after it starts"):
        services.hold_place(account=ng_account, kind="hardship_pause", starts_at=start, ends_at=start, actor=agent)
    with pytest.raises(ApplicationError, match="needs an end date"):
        services.hold_place(account=ng_account, kind="hardship_pause", starts_at=start, actor=agent)
    assert not Hold.objects.exists()
    assert AuditEvent.objects.filter(action="hold.rejected").count() == 2
    now = datetime.now(UTC)
    hold = services.hold_place(account=ng_account, kind="hardship_pause", starts_at=now - timedelta(days=2),
                               ends_at=now - timedelta(minutes=1), actor=agent)
    assert services.holds_expire() == 1
    hold.refresh_from_db()
    assert hold.status == HoldStatus.EXPIRED
    assert services.holds_expire() == 0


def test_dispute_pauses_collection_and_resolution_resumes(ng_account, agent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 paid", content_type="application/pdf")
    dispute = services.dispute_open(account=ng_account, reason="already_paid", description="Paid in January",
                                    source="portal", actor=agent, files=[upload], disputed_amount=Decimal("1000.00"))
    assert dispute.hold.kind == "dispute" and dispute.evidence.count() == 1
    blocked = services.gate_decide(customer=ng_account.customer, account=ng_account, channel="sms", actor=agent,
                                   at=LAGOS_NOON)
    assert blocked.reasons == ["hold:dispute"]
    ack = services.gate_decide(customer=ng_account.customer, account=ng_account, channel="sms", actor=agent,
                               at=LAGOS_NOON, purpose="transactional")
    assert ack.allowed
    services.dispute_resolve(dispute=dispute, outcome="verified", note="Payment not found", actor=agent)
    assert services.gate_decide(customer=ng_account.customer, account=ng_account, channel="sms", actor=agent,
                                at=LAGOS_NOON).allowed
    with pytest.raises(ApplicationError):
        services.dispute_resolve(dispute=dispute, outcome="upheld", note="x", actor=agent)


def test_dispute_on_closed_account_refused_and_audited(ng_account, agent):
    ng_account.status = "paid"
    ng_account.save()
    with pytest.raises(ApplicationError, match="closed"):
        services.dispute_open(account=ng_account, reason="not_mine", actor=agent)
    assert not Dispute.objects.exists() and not Hold.objects.exists()
    assert AuditEvent.objects.filter(action="dispute.rejected", account_id=ng_account.pk).exists()


def test_policy_loosening_refused_tightening_versioned(ng_account, supervisor):
    creditor = ng_account.creditor
    with pytest.raises(ApplicationError) as exc:
        services.creditor_contact_policy_set(creditor=creditor, actor=supervisor, window_start=time(6))
    assert "window_start" in exc.value.extra
    assert not CreditorContactPolicy.objects.exists()
    assert AuditEvent.objects.filter(action="contact_policy.rejected").exists()
    policy = services.creditor_contact_policy_set(creditor=creditor, actor=supervisor, window_start=time(10),
                                                  channel_limits={"sms": [2, 7]})
    d = services.gate_decide(customer=ng_account.customer, account=ng_account, channel="sms", actor=supervisor,
                             at=LAGOS_NOON - timedelta(hours=3))
    assert d.reasons == ["outside_window"] and d.rule_version == f"NG@2026.1+creditor.{policy.version}"


def test_evidence_sections_registered(ng_account, agent):
    services.contact_reserve(customer=ng_account.customer, account=ng_account, channel="sms", actor=agent,
                             at=LAGOS_NOON)
    sections = {s.key: s for s in evidence_sections()}
    for key in ("consents", "holds", "disputes", "gate_decisions", "contact_attempts"):
        assert key in sections
    assert list(sections["gate_decisions"].rows(ng_account))[0]["allowed"] is True
    assert list(sections["consents"].rows(ng_account))[0]["source"] == "import"


def test_expire_holds_task(ng_account, agent):
    from compliance.tasks import expire_holds

    now = datetime.now(UTC)
    services.hold_place(customer=ng_account.customer, kind="hardship_pause", starts_at=now - timedelta(days=3),
                        ends_at=now - timedelta(hours=1), actor=agent)
    assert expire_holds.delay().get() == 1
    assert Hold.objects.get().status == HoldStatus.EXPIRED
    assert AuditEvent.objects.filter(action="hold.expired").exists()
