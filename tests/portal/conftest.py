"""Portal fixtures: a client with a portal session open on one account (as if the pay link was opened),
verified or not."""

import pytest
from django.core.cache import cache

from portal import services
from portal.selectors import SESSION_KEY


def open_portal(client, account, *, verified=False):
    portal_session = services.portal_session_open(account=account)
    if verified:
        services.portal_verify(session=portal_session, ip="127.0.0.1", method="dob",
                               date_of_birth=account.customer.date_of_birth,
                               reference_last4=account.reference[-4:])
    session = client.session
    session[SESSION_KEY] = portal_session.pk
    session.save()
    return portal_session


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal_client(client, account):
    open_portal(client, account)
    return client


@pytest.fixture
def verified_client(client, account):
    open_portal(client, account, verified=True)
    return client
