"""A supervisor reviews the audit log in a real browser: filters by action, opens an account's history and
reads a field diff (who, old → new); an agent is refused."""

from decimal import Decimal

from playwright.sync_api import expect

from collections_crm.history import save_tracked
from compliance.audit import audit_record


def test_supervisor_filters_and_reads_a_balance_diff(login, page, live_server, supervisor, agent, account):
    agent.first_name, agent.last_name = "Ada", "Obi"
    agent.save()
    account.balance = Decimal("30000.00")
    save_tracked(account, actor=agent, reason="payment received")
    audit_record(actor=agent, action="payment.recorded", obj=account, payload={"amount": "12000.00"})
    audit_record(actor=agent, action="gate.decision", obj=account, payload={"allowed": True})

    login(supervisor)
    page.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.locator("#events-chart")).to_be_visible()

    page.get_by_label("Action").fill("payment")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("payment.recorded")

    rows.first.get_by_role("link", name=str(account.pk), exact=True).click()
    expect(page.get_by_role("heading", name=f"Account {account.reference}")).to_be_visible()
    diff_row = page.locator(".history-diff tr", has_text="balance").first
    expect(diff_row).to_contain_text("42000.00")
    expect(diff_row).to_contain_text("30000.00")
    entry = page.locator(".history-entry", has=diff_row)
    expect(entry).to_contain_text("Ada Obi (agent.ada)")
    expect(entry).to_contain_text("payment received")
    expect(page.get_by_role("link", name="Download evidence pack (ZIP)")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download evidence pack (ZIP)").click()
    assert download.value.suggested_filename.endswith(".zip")


def test_agent_is_refused(login, page, live_server, agent):
    login(agent)
    expect(page.get_by_role("link", name="Audit")).to_have_count(0)
    response = page.goto(f"{live_server.url}/audit/")
    assert response.status == 403
