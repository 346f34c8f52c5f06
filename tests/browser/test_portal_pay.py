"""Customer journey: open a pay link on a phone → pay part → see the confirmation and the new balance;
the same path with JavaScript off. axe-core checks every page on the way."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from payments.models import Payment

from .portal_helpers import assert_accessible, open_pay_link


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_pay_part_from_a_pay_link(page, live_server, account):
    open_pay_link(page, live_server, account)
    expect(page.get_by_role("heading", level=1)).to_contain_text(account.customer.first_name)
    expect(page.locator("main")).to_contain_text("42,000.00")
    expect(page.locator("main")).to_contain_text("Your rights")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Pay now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay")
    assert_accessible(page, live_server)
    page.get_by_label("Part of it").check()
    page.get_by_label("Amount").fill("2500")
    page.get_by_role("button", name="Continue to payment").click()

    # The offline gateway's hosted page stands in for Stripe Checkout.
    expect(page.get_by_role("heading", level=1)).to_contain_text("2,500.00")
    page.get_by_role("button", name="Pay now").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("your payment went through")
    payment = Payment.objects.get(account=account)
    expect(page.locator("main")).to_contain_text(payment.confirmation_number)
    expect(page.get_by_test_id("new-balance")).to_contain_text("39,500.00")
    assert_accessible(page, live_server)
    account.refresh_from_db()
    assert account.balance == Decimal("39500.00")


def test_the_pay_path_works_without_javascript(browser, live_server, account):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        open_pay_link(page, live_server, account)
        page.get_by_role("link", name="Pay now").click()
        page.get_by_label("Part of it").check()
        page.get_by_label("Amount").fill("1000")
        page.get_by_role("button", name="Continue to payment").click()
        page.get_by_role("button", name="Pay now").click()
        expect(page.get_by_test_id("new-balance")).to_contain_text("41,000.00")
    finally:
        context.close()


def test_wrong_amount_is_a_plain_message(page, live_server, account):
    open_pay_link(page, live_server, account)
    page.get_by_role("link", name="Pay now").click()
    page.get_by_label("Part of it").check()
    page.get_by_label("Amount").fill("99999")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.locator("main")).to_contain_text("That is more than you owe. Please enter")
    assert_accessible(page, live_server)
    assert not Payment.objects.exists()
