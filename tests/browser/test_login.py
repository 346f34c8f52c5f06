"""A back-office user signs in through the real form and lands on the home page."""

from playwright.sync_api import expect


def test_agent_signs_in_and_out(login, page, agent):
    login(agent)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_wrong_password_gets_plain_message(login, page, agent):
    login(agent, password="not-it")
    expect(page.locator("form")).to_contain_text("Please enter a correct username and password")
