"""The offline gateway's pay page in a real browser: pay, then see a warm thank-you with the
confirmation number; a declined card says nothing was taken."""

from decimal import Decimal

from playwright.sync_api import expect

from payments.models import Payment
from payments.services import checkout_start


def _open(page, live_server, agent, account, key):
    session = checkout_start(actor=agent, account=account, amount=Decimal("2500.00"), idempotency_key=key)
    page.goto(live_server.url + session.url.split("127.0.0.1:8000", 1)[-1])
    return session


def test_customer_pays_on_the_offline_page(page, live_server, agent, account):
    _open(page, live_server, agent, account, "browser-pay")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2,500.00")
    page.get_by_role("button", name="Pay now").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    payment = Payment.objects.get(account=account)
    expect(page.locator("main")).to_contain_text(payment.confirmation_number)
    account.refresh_from_db()
    assert account.balance == Decimal("39500.00")


def test_declined_card_takes_nothing(page, live_server, agent, account):
    _open(page, live_server, agent, account, "browser-decline")
    page.get_by_role("button", name="Try a card that is declined").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("did not go through")
    account.refresh_from_db()
    assert account.balance == Decimal("42000.00")
