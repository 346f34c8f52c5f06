"""The template editor's live preview: a threatening phrase shows a finding as the supervisor types;
fixing it makes the draft pass, and it saves and approves."""

from playwright.sync_api import expect

from outreach.models import MessageTemplate


def test_live_preview_flags_a_threat_and_clears_when_fixed(login, page, live_server, supervisor):
    login(supervisor)
    page.goto(f"{live_server.url}/outreach/templates/new/")
    page.get_by_label("Purpose").select_option("plan_offer")
    page.get_by_label("Channel").select_option("sms")
    page.get_by_label("Language").select_option("pcm")
    message = page.get_by_label("Message")
    message.fill("Hello {{ first_name }}, pay now or police go come carry you. {{ pay_link }}")

    status = page.locator("#care-status")
    expect(status).to_have_text("Must change before approval")
    expect(
        page.locator('#care-findings [data-category="arrest_criminal"]', has_text="police go come carry")
    ).to_be_visible()
    expect(page.locator("#sms-facts")).to_contain_text("SMS part")

    message.fill(
        "Hello {{ first_name }}, you fit pay small-small. Choose plan here: {{ pay_link }} "
        "{{ collector_disclosure }} {{ opt_out }}"
    )
    expect(status).to_have_text("Passes the care check")
    expect(page.locator("#rendered-body")).to_contain_text("Hello Ada, you fit pay small-small")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".alert")).to_contain_text("Approved")
    saved = MessageTemplate.objects.get(language="pcm", purpose="plan_offer", channel="sms", status="approved")
    assert saved.approved_by == supervisor and saved.body.startswith("Hello {{ first_name }}, you fit pay")


def test_unknown_variable_shows_its_line_in_the_preview(login, page, live_server, supervisor):
    login(supervisor)
    page.goto(f"{live_server.url}/outreach/templates/new/")
    page.get_by_label("Message").fill("Hi {{ first_name }}\n{{ ssn }}")
    expect(page.locator("#template-problem")).to_contain_text("Line 2: unknown variable")
