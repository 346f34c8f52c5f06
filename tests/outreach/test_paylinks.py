"""Personal pay links: short, unguessable, checked before the database, expiring, revocable."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from collections_crm.errors import ApplicationError
from compliance.models import AuditEvent
from outreach.paylinks import CODE_LENGTH, code_is_well_formed, new_code
from outreach.selectors import pay_link_resolve
from outreach.services import pay_link_create, pay_link_mark_used, pay_link_revoke

pytestmark = pytest.mark.django_db


def test_code_shape_and_check():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == CODE_LENGTH >= 14 and code.isalnum() and code_is_well_formed(code)
    code = next(iter(codes))
    flipped = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert not code_is_well_formed(flipped)
    assert not code_is_well_formed(code[:-1])
    assert not code_is_well_formed(code + "x")
    assert not code_is_well_formed("../../etc/passwd")
    assert not code_is_well_formed(None)


@override_settings(PUBLIC_BASE_URL="https://pay.example.ng/", OUTREACH_PAY_LINK_DAYS=30)
def test_create_and_resolve(account, agent):
    link = pay_link_create(account=account, actor=agent)
    assert link.url == f"https://pay.example.ng/p/{link.code}"
    assert link.expires_at - link.created_at == timedelta(days=30)
    assert pay_link_resolve(link.code) == link
    assert link.history.first().history_user == agent
    pay_link_mark_used(pay_link=link)
    link.refresh_from_db()
    assert link.last_used_at is not None
    assert link.history.count() == 1  # a visit is not a history row


def test_forged_code_is_refused_without_a_query(account, agent, django_assert_num_queries):
    link = pay_link_create(account=account, actor=agent)
    forged = link.code[:-4] + ("0000" if link.code[-4:] != "0000" else "1111")
    with django_assert_num_queries(0):
        assert pay_link_resolve(forged) is None
        assert pay_link_resolve("short") is None


def test_unknown_expired_and_revoked_are_all_none(account, agent):
    unknown = new_code()
    assert pay_link_resolve(unknown) is None
    short = pay_link_create(account=account, actor=agent, ttl=timedelta(seconds=1))
    short.expires_at = timezone.now() - timedelta(seconds=1)
    short.created_at = short.expires_at - timedelta(seconds=1)
    short.save()
    assert pay_link_resolve(short.code) is None
    link = pay_link_create(account=account, actor=agent)
    pay_link_revoke(pay_link=link, actor=agent, reason="sent to a wrong number")
    assert pay_link_resolve(link.code) is None
    assert AuditEvent.objects.filter(action="pay_link.revoked").count() == 1
    pay_link_revoke(pay_link=link, actor=agent)  # twice: nothing more
    assert AuditEvent.objects.filter(action="pay_link.revoked").count() == 1


def test_bad_ttl_and_foreign_message_refused(account, agent):
    with pytest.raises(ApplicationError):
        pay_link_create(account=account, actor=agent, ttl=timedelta(0))
