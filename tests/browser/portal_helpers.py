"""Shared steps for the portal browser tests: open a real pay link, verify, and run axe-core."""

from django.templatetags.static import static

from outreach.services import pay_link_create
from portal.services import portal_actor

BLOCKING_IMPACTS = {"serious", "critical"}


def open_pay_link(page, live_server, account):
    link = pay_link_create(account=account, actor=portal_actor())
    page.goto(f"{live_server.url}/p/{link.code}")
    return link


def verify_with_date_of_birth(page, account):
    page.get_by_label("My date of birth").check()
    page.get_by_label("Date of birth", exact=True).fill(account.customer.date_of_birth.isoformat())
    page.get_by_label("Last 4 characters of your account number").fill(account.reference[-4:])
    page.get_by_role("button", name="Continue").click()


def assert_accessible(page, live_server):
    """axe-core (served by our own static files, so the portal's CSP allows it) finds no serious or
    critical WCAG 2.1 A/AA violation."""
    page.add_script_tag(url=live_server.url + static("vendor/axe/axe.min.js"))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
    }""")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{page.url}: {blocking}"
