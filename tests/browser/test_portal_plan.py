"""Customer journey: verify, build a 3-instalment plan, see every instalment and the terms before
agreeing, then see it on "My plan". axe-core on each page."""

import pytest
from playwright.sync_api import expect

from payments.choices import PlanStatus
from payments.models import InstalmentPlan

from .portal_helpers import assert_accessible, open_pay_link, verify_with_date_of_birth


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_build_a_three_instalment_plan_and_see_it(page, live_server, account):
    open_pay_link(page, live_server, account)
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    assert_accessible(page, live_server)
    verify_with_date_of_birth(page, account)

    expect(page.get_by_role("heading", level=1)).to_have_text("Pay in parts")
    assert_accessible(page, live_server)
    page.get_by_label("How often?").select_option("monthly")
    page.get_by_label("How many payments").check()
    page.get_by_label("Number of payments").fill("3")
    page.get_by_role("button", name="See my plan").click()

    expect(page.get_by_role("heading", level=2).first).to_contain_text("3 payments")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table tfoot")).to_contain_text("42,000.00")
    expect(page.get_by_test_id("terms")).to_contain_text("You agree to pay")
    assert_accessible(page, live_server)
    page.get_by_label("I have read the terms and I agree to this plan.").check()
    page.get_by_role("button", name="Agree and set up my plan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    expect(page.locator("main")).to_contain_text("Your plan is set up")
    expect(page.locator("table tbody tr")).to_have_count(3)
    assert_accessible(page, live_server)
    plan = InstalmentPlan.objects.get(account=account)
    assert plan.status == PlanStatus.ACTIVE and plan.accepted_channel == "portal" and plan.accepted_ip

    page.get_by_role("link", name="Full details", exact=False).count()  # nav stays usable
    page.goto(f"{live_server.url}/p/details/")
    expect(page.locator("main")).to_contain_text(account.reference)
    assert_accessible(page, live_server)
