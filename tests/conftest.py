"""Shared fixtures: users per role, API clients, and factory registration."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from tests.accounts.factories import (
    AccountFactory,
    CaseFactory,
    CreditorFactory,
    CustomerFactory,
    UserFactory,
)
from tests.celery_support import celery_worker  # noqa: F401 - the real-worker fixture, for every test module


def _user_with_role(role: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def agent(db):
    return _user_with_role("agent", "agent.ada")


@pytest.fixture
def supervisor(db):
    return _user_with_role("supervisor", "sup.sam")


@pytest.fixture
def admin_user(db):
    return _user_with_role("admin", "admin.ama")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def agent_api(agent):
    client = APIClient()
    client.force_authenticate(agent)
    return client


@pytest.fixture
def supervisor_api(supervisor):
    client = APIClient()
    client.force_authenticate(supervisor)
    return client


@pytest.fixture
def creditor(db):
    return CreditorFactory()


@pytest.fixture
def account(db, creditor):
    acc = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor))
    CaseFactory(account=acc)
    return acc


__all__ = ["AccountFactory", "CaseFactory", "CreditorFactory", "CustomerFactory"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need row locks, triggers and real concurrent connections: they run in
    the PostgreSQL pass of the suite and are deselected (not skipped) on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
