"""The one-time code: sent through the contact gate to the customer's own phone or email, checked once,
limited, and refused plainly when the gate holds it back."""

import re

import pytest

from collections_crm.history import system_user
from compliance import services as compliance
from outreach.models import DevOutboxEntry, Message
from portal.models import PortalSession
from tests.outreach.conftest import library  # noqa: F401  (the default templates)
from tests.outreach.messaging import contactable_account, zone_where_it_is

from .conftest import open_portal

pytestmark = pytest.mark.django_db
URL = "/p/verify/code/"


@pytest.fixture
def reachable(creditor, library):  # noqa: F811
    account = contactable_account(creditor, channels=("sms", "email"))
    account.customer.time_zone = zone_where_it_is(12)  # noon where the customer is, right now
    account.customer.save()
    return account


def _sent_code(account) -> str:
    entry = DevOutboxEntry.objects.filter(message__account=account, message__purpose="verification_code").latest("id")
    return re.search(r"\b(\d{6})\b", entry.body).group(1)


def test_a_code_by_text_goes_through_the_gate_and_confirms_it_is_you(client, reachable,
                                                                     django_capture_on_commit_callbacks):
    session = open_portal(client, reachable)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(URL, {"send": "1", "channel": "sms", "next": "portal:details"})
    assert sent.status_code == 200 and b"We sent a code to your phone" in sent.content
    message = Message.objects.get(account=reachable, purpose="verification_code")
    assert message.gate_decision.allowed and message.to_address == reachable.customer.phone
    code = _sent_code(reachable)
    wrong = client.post(URL, {"check": "1", "code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and b"not right or has expired" in wrong.content
    done = client.post(URL, {"check": "1", "code": code, "next": "portal:details"})
    assert done.status_code == 302 and done["Location"].endswith("/p/details/")
    session.refresh_from_db()
    assert session.verified_method == "code"
    # A code works once: the next check finds nothing to compare with.
    assert PortalSession.objects.get(pk=session.pk).code_hash == ""


def test_an_opted_out_channel_gets_no_code_and_a_plain_way_round(client, reachable):
    compliance.consent_revoke(customer=reachable.customer, channel="sms", source="agent", actor=system_user())
    open_portal(client, reachable)
    refused = client.post(URL, {"send": "1", "channel": "sms"})
    assert refused.status_code == 400
    assert b"cannot send a code there right now" in refused.content
    assert not DevOutboxEntry.objects.filter(message__account=reachable).exists()


def test_codes_are_limited_per_session(client, reachable):
    open_portal(client, reachable)
    for _ in range(3):
        assert client.post(URL, {"send": "1", "channel": "email"}).status_code == 200
    fourth = client.post(URL, {"send": "1", "channel": "email"})
    assert fourth.status_code == 400 and b"enough codes" in fourth.content
    assert Message.objects.filter(account=reachable, purpose="verification_code").count() == 3


def test_a_channel_we_have_no_address_for_is_not_offered(client, reachable):
    customer = reachable.customer
    customer.email = ""
    customer.save()
    open_portal(client, reachable)
    page = client.get(URL)
    assert b'value="sms"' in page.content and b'value="email"' not in page.content
    assert client.post(URL, {"send": "1", "channel": "email"}).status_code == 400
