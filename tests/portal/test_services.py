"""Portal services without HTTP: one-time codes (checked like the other answers, counted and locked
alike), the branding contrast rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from collections_crm.errors import ApplicationError
from portal import services
from portal.branding import brand_palette, contrast
from portal.models import PortalSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_session(account):
    return services.portal_session_open(account=account)


def test_a_one_time_code_verifies_once(portal_session):
    code = services.portal_code_issue(session=portal_session, channel="sms")
    assert len(code) == 6 and code not in portal_session.code_hash
    services.portal_code_check(session=portal_session, ip="10.0.0.1", code=code)
    portal_session.refresh_from_db()
    assert portal_session.verified_method == "code" and portal_session.code_hash == ""


def test_wrong_or_expired_codes_are_refused_and_counted(portal_session):
    code = services.portal_code_issue(session=portal_session, channel="email")
    with pytest.raises(ApplicationError) as wrong:
        services.portal_code_check(session=portal_session, ip="10.0.0.2", code="000000" if code != "000000" else "1")
    assert wrong.value.extra["code"] == "bad_code"
    PortalSession.objects.filter(pk=portal_session.pk).update(code_expires_at=timezone.now() - timedelta(seconds=1))
    portal_session.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.portal_code_check(session=portal_session, ip="10.0.0.2", code=code)
    assert PortalSession.objects.get(pk=portal_session.pk).failed_checks == 2


def test_codes_go_only_to_contact_points_on_file(portal_session, account):
    account.customer.email = ""
    account.customer.save()
    assert services.portal_code_channels(portal_session) == ["sms"]
    with pytest.raises(ApplicationError):
        services.portal_code_issue(session=portal_session, channel="email")


@pytest.mark.parametrize(("primary", "accent"), [("#f2c14e", "#0b6e4f"), ("#ffffff", "#000000"), ("#5b2a86", "#ffb400"),
                                                 ("#777777", "#777777"), ("bogus", "#12")])
def test_brand_colours_always_meet_aa_contrast(primary, accent):
    palette = brand_palette(primary, accent)
    assert contrast(palette["primary"], palette["on_primary"]) >= 4.5
    assert contrast(palette["link"], "#ffffff") >= 4.5
