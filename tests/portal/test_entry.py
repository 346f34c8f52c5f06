"""/p/<code>: a good pay link opens a portal session on its one account; unknown, forged, expired and
revoked codes all get the same neutral page (404) with nothing that tells them apart."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import AuditEvent
from outreach.models import PayLink
from outreach.services import pay_link_create, pay_link_revoke
from portal import services
from portal.models import PortalSession
from portal.selectors import SESSION_KEY
from tests.accounts.factories import AccountFactory, CustomerFactory

pytestmark = pytest.mark.django_db
NONCE = re.compile(r"nonce-?[=\"']?[\w-]+")


def _link(account, **kwargs):
    return pay_link_create(account=account, actor=services.portal_actor(), **kwargs)


def _neutral(client, code):
    response = client.get(f"/p/{code}")
    assert response.status_code == 404
    return NONCE.sub("", response.content.decode())


def test_a_good_link_opens_a_session_on_its_account_only(client, account):
    link = _link(account)
    client.get("/")  # some earlier session id
    before = client.session.session_key
    response = client.get(f"/p/{link.code}")
    assert response.status_code == 302 and response["Location"] == reverse("portal:overview")
    assert client.session.session_key != before
    ps = PortalSession.objects.get(pk=client.session[SESSION_KEY])
    assert ps.account_id == account.pk and ps.pay_link_id == link.pk
    assert link.code not in response["Location"]
    link.refresh_from_db()
    assert link.last_used_at is not None
    assert AuditEvent.objects.filter(action="portal.session_opened", account_id=account.pk).exists()
    assert client.get(reverse("portal:overview")).status_code == 200


def test_every_bad_code_gets_the_same_neutral_page(client, account):
    good = _link(account)
    expired = _link(account)
    PayLink.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(days=40),
                                                 expires_at=timezone.now() - timedelta(seconds=1))
    revoked = pay_link_revoke(pay_link=_link(account), actor=services.portal_actor(), reason="wrong number")
    tampered = good.code[:-1] + ("A" if good.code[-1] != "A" else "B")
    pages = {_neutral(client, code) for code in (
        "doesnotexist0000", tampered, expired.code, revoked.code, "x", "a" * 300, "%2e%2e")}
    assert len(pages) == 1
    page = pages.pop()
    assert "This link does not work" in page
    assert account.creditor.display_name not in page and account.customer.first_name not in page
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="portal.link_rejected").exists()
    assert not AuditEvent.objects.filter(action="portal.link_rejected", account_id__isnull=False).exists()


def test_a_new_link_replaces_the_session_of_an_earlier_one(client, creditor):
    first = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor))
    second = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor))
    client.get(f"/p/{_link(first).code}")
    client.get(f"/p/{_link(second).code}")
    html = client.get(reverse("portal:overview")).content.decode()
    assert second.customer.first_name in html and first.customer.first_name not in html


def test_bad_codes_stop_being_audited_after_a_limit(client, db):
    for i in range(25):
        client.get(f"/p/unknowncode{i:05d}")
    assert AuditEvent.objects.filter(action="portal.link_rejected").count() == 20


def test_bad_codes_are_not_written_to_the_log(client, db, caplog):
    with caplog.at_level("DEBUG"):
        client.get("/p/secretcode123456")
    assert "secretcode123456" not in caplog.text
