"""The supervisor audit pages: agents get 403 (and a refused export is audited), the list filters and
stays within a query budget, history shows field diffs with who and when, the CSV streams."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collections_crm.history import save_tracked
from compliance.audit import audit_record, audit_verify_chain
from compliance.models import AuditEvent
from tests.accounts.factories import AccountFactory, CreditorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        reverse("audit:event-list"),
        reverse("audit:history-pick"),
        reverse("audit:object-history", args=["accounts", "account", 1]),
        reverse("audit:account", args=[1]),
    ],
)
def test_agent_cannot_see_audit_pages(client, agent, url):
    client.force_login(agent)
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("audit:event-list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name,args", [("audit:event-csv", []), ("audit:evidence-pack", "account")])
def test_agent_export_is_refused_and_recorded(client, agent, account, name, args):
    client.force_login(agent)
    url = reverse(name, args=[account.pk] if args else [])
    before = AuditEvent.objects.exclude(action__startswith="auth.").count()
    response = client.get(url)
    assert response.status_code == 403
    denied = AuditEvent.objects.get(action="export.denied")
    assert denied.actor_id == agent.pk
    assert not AuditEvent.objects.filter(action__in=["export.audit_csv", "export.evidence_pack"]).exists()
    assert AuditEvent.objects.exclude(action__startswith="auth.").count() == before + 1
    assert audit_verify_chain().ok


def test_evidence_for_missing_account_is_404_and_recorded(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("audit:evidence-pack", args=[999999]))
    assert response.status_code == 404
    denied = AuditEvent.objects.get(action="export.denied")
    assert denied.payload["reason"] == "not_found"


def _events(account, agent, n=30):
    other = AccountFactory(creditor=CreditorFactory(slug="other-co"))
    for i in range(n):
        audit_record(actor=agent, action="gate.decision" if i % 2 else "payment.recorded", obj=account,
                     payload={"i": i})
    audit_record(actor=agent, action="consent.granted", obj=other)
    return other


def test_list_filters_by_action_prefix_and_creditor(client, supervisor, agent, account):
    other = _events(account, agent, n=6)
    client.force_login(supervisor)
    response = client.get(reverse("audit:event-list"), {"action": "gate"})
    assert response.status_code == 200
    events = list(response.context["events"])
    assert len(events) == 3 and {e.action for e in events} == {"gate.decision"}

    response = client.get(reverse("audit:event-list"), {"creditor": other.creditor.slug})
    assert [e.action for e in response.context["events"]] == ["consent.granted"]

    response = client.get(reverse("audit:event-list"), {"account": account.pk, "user": agent.username.upper()})
    assert len(response.context["events"]) == 6
    assert response.context["chart"]["labels"]  # the per-day chart has data


def test_list_query_count_is_bounded(client, supervisor, agent, account):
    _events(account, agent, n=10)
    client.force_login(supervisor)
    url = reverse("audit:event-list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _events(account, agent, n=60)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small) <= 12


def test_invalid_filter_is_a_clear_message_not_500(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("audit:event-list"), {"date_from": "yesterday", "account": "abc"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()
    response = client.get(reverse("audit:event-csv"), {"date_from": "yesterday"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export.audit_csv").exists()


def test_csv_export_streams_the_filtered_list(client, supervisor, agent, account):
    _events(account, agent, n=4)
    client.force_login(supervisor)
    response = client.get(reverse("audit:event-csv"), {"action": "payment"})
    assert response.status_code == 200 and response.streaming
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("seq,at,action,actor")
    assert len(lines) == 1 + 2 and all(",payment.recorded," in line for line in lines[1:])
    export = AuditEvent.objects.get(action="export.audit_csv")
    assert export.payload == {"filters": {"action": "payment"}} and export.actor_id == supervisor.pk


def test_object_history_shows_field_diff_with_user(client, supervisor, agent, account):
    agent.first_name, agent.last_name = "Ada", "Obi"
    agent.save()
    account.balance = Decimal("1234.00")
    save_tracked(account, actor=agent, reason="payment received")
    audit_record(actor=agent, action="payment.recorded", obj=account, payload={"amount": "40766.00"})
    client.force_login(supervisor)
    response = client.get(reverse("audit:object-history", args=["accounts", "account", account.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert entries[0].kind == "changed" and entries[-1].kind == "created"
    change = next(c for c in entries[0].changes if c.field == "balance")
    assert (str(change.old), str(change.new)) == ("42000.00", "1234.00")
    body = response.content.decode()
    assert "Ada Obi (agent.ada)" in body and "42000.00" in body and "1234.00" in body
    assert "payment.recorded" in body


def test_history_works_for_any_tracked_model(client, supervisor, creditor):
    creditor.display_name = "Lagos Power Plc"
    save_tracked(creditor, actor=supervisor, reason="rebrand")
    client.force_login(supervisor)
    response = client.get(reverse("audit:history-pick"), {"model": "accounts.creditor", "pk": creditor.pk})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "Lagos Power Plc" in response.content.decode()


@pytest.mark.parametrize(
    "args",
    [["accounts", "nosuchmodel", 1], ["compliance", "auditevent", 1], ["accounts", "account", "not-a-number"],
     ["accounts", "account", 987654]],
)
def test_history_bad_input_is_404(client, supervisor, args):
    client.force_login(supervisor)
    assert client.get(reverse("audit:object-history", args=args)).status_code == 404


def test_history_pick_unknown_model_is_clear(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("audit:history-pick"), {"model": "compliance.auditevent", "pk": "1"})
    assert response.status_code == 400 and "keeps no history" in response.content.decode()


def test_account_page_merges_account_customer_case(client, supervisor, agent, account):
    customer = account.customer
    customer.email = "new.address@example.com"
    save_tracked(customer, actor=agent, reason="customer asked")
    case = account.case
    case.priority = 1
    save_tracked(case, actor=agent, reason="escalated")
    audit_record(actor=agent, action="hold.placed", obj=account)
    client.force_login(supervisor)
    response = client.get(reverse("audit:account", args=[account.pk]))
    assert response.status_code == 200
    kinds = {(i["kind"], i["entry"].model_label if i["kind"] == "history" else i["event"].action)
             for i in response.context["timeline"]}
    assert {("history", "accounts.account"), ("history", "accounts.customer"), ("history", "accounts.case"),
            ("event", "hold.placed")} <= kinds
    body = response.content.decode()
    assert "new.address@example.com" in body and reverse("audit:evidence-pack", args=[account.pk]) in body


def test_supervisor_downloads_evidence_pack(client, supervisor, account):
    client.force_login(supervisor)
    response = client.get(reverse("audit:evidence-pack", args=[account.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert account.reference in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export.evidence_pack", account_id=account.pk).count() == 1


def test_nav_shows_audit_to_supervisors_only(client, supervisor, agent):
    client.force_login(supervisor)
    assert reverse("audit:event-list") in client.get(reverse("home")).content.decode()
    client.force_login(agent)
    assert reverse("audit:event-list") not in client.get(reverse("home")).content.decode()


def test_account_page_query_count_does_not_grow_with_history(client, supervisor, agent, account):
    client.force_login(supervisor)
    url = reverse("audit:account", args=[account.pk])
    client.get(url)

    def change(n):
        for i in range(n):
            account.balance = account.balance - 1
            save_tracked(account, actor=agent, reason=f"payment {i}")
            audit_record(actor=agent, action="payment.recorded", obj=account, payload={"i": i})

    change(2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    change(15)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)


def test_object_links_follow_whether_the_model_keeps_history(client, supervisor, agent, account):
    audit_record(actor=agent, action="hold.placed", obj=account)
    audit_record(actor=agent, action="gate.decision", object_type="compliance.gatedecision", object_id=7,
                 account=account)
    client.force_login(supervisor)
    body = client.get(reverse("audit:event-list")).content.decode()
    assert f"?model=accounts.account&amp;pk={account.pk}" in body
    assert "?model=compliance.gatedecision&amp;object_id=7" in body
    response = client.get(reverse("audit:event-list"), {"model": "compliance.gatedecision", "object_id": "7"})
    assert [e.action for e in response.context["events"]] == ["gate.decision"]
