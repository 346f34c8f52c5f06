"""Customer journeys: raise a dispute → the case is in the human dispute queue and collection contact
stops; opt out of SMS → the gate blocks SMS; switch to Pidgin → the page is in Pidgin; ask for a call.
axe-core on every page."""

from playwright.sync_api import expect

from accounts.choices import Queue
from compliance.services import gate_decide
from portal.services import portal_actor
from tests.portal.helpers import weekday_noon_lagos

from .portal_helpers import assert_accessible, open_pay_link, verify_with_date_of_birth


def _gate(account, channel):
    return gate_decide(customer=account.customer, account=account, channel=channel, purpose="collection",
                       actor=portal_actor(), at=weekday_noon_lagos())


def test_dispute_goes_to_a_person_and_reminders_stop(page, live_server, account):
    open_pay_link(page, live_server, account)
    page.get_by_role("link", name="Dispute", exact=True).click()
    verify_with_date_of_birth(page, account)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us something is wrong")
    assert_accessible(page, live_server)
    page.get_by_label("Already paid").check()
    page.get_by_label("Tell us more").fill("I paid this at the office in March.")
    page.get_by_role("button", name="Send my dispute").click()
    expect(page.locator("main")).to_contain_text("We have your dispute")
    expect(page.locator("main")).to_contain_text("paused reminders")
    assert_accessible(page, live_server)
    account.case.refresh_from_db()
    assert account.case.queue == Queue.DISPUTES
    decision = _gate(account, "sms")
    assert not decision.allowed and "hold:dispute" in decision.reasons


def test_opt_out_of_sms_then_no_more_sms(page, live_server, account):
    assert "opted_out" not in _gate(account, "sms").reasons
    open_pay_link(page, live_server, account)
    page.get_by_role("link", name="Preferences").click()
    verify_with_date_of_birth(page, account)
    expect(page.get_by_role("heading", level=1)).to_have_text("How we contact you")
    assert_accessible(page, live_server)
    page.get_by_label("Stop text messages").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("We will follow your choices")
    expect(page.get_by_label("Stop text messages")).to_be_checked()
    decision = _gate(account, "sms")
    assert not decision.allowed and "opted_out" in decision.reasons


def test_switch_to_pidgin(page, live_server, account):
    open_pay_link(page, live_server, account)
    page.get_by_label("Language").select_option("pcm")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("Wetin you owe")
    expect(page.locator("html")).to_have_attribute("lang", "pcm")
    expect(page.get_by_role("link", name="Pay small small with plan")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("link", name="Help").click()
    expect(page.locator("main")).to_contain_text("Questions wey people dey ask")
    assert_accessible(page, live_server)


def test_ask_for_a_call_and_read_help(page, live_server, account):
    open_pay_link(page, live_server, account)
    page.get_by_role("link", name="Talk to a person").click()
    assert_accessible(page, live_server)
    page.get_by_label("Which day?").fill(weekday_noon_lagos().date().isoformat())
    page.get_by_label("Evening (5pm–8pm)").check()
    page.get_by_label("Phone call").check()
    page.get_by_role("button", name="Ask for a call").click()
    expect(page.get_by_test_id("callback-open")).to_be_visible()
    assert_accessible(page, live_server)
    account.case.refresh_from_db()
    assert account.case.queue == Queue.CALLBACKS
    page.get_by_role("link", name="Help").click()
    expect(page.locator("main")).to_contain_text("Budgeting tips")
    assert_accessible(page, live_server)


def test_bad_link_and_ended_pages_are_accessible(page, live_server, db):
    response = page.goto(f"{live_server.url}/p/notarealcode1234")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page, live_server)
    page.goto(f"{live_server.url}/p/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session has ended")
    assert_accessible(page, live_server)
