"""On PostgreSQL with real threads: two agents taking cases at the same moment never get the same one;
two agents clicking the same case — one wins, the other is told."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from accounts.services_assignment import CaseChanged, case_take, case_take_next
from accounts.services_routing import case_review_request
from collections_crm.history import system_user
from tests.accounts.factories import (
    AccountFactory,
    AgentProfileFactory,
    CaseFactory,
    CreditorFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _agents(n):
    group = Group.objects.get(name="agent")
    users = []
    for i in range(n):
        user = UserFactory(username=f"agent.thread{i}")
        user.groups.add(group)
        AgentProfileFactory(user=user, languages=["en"], skills=["disputes"], capacity=10)
        users.append(user)
    return users


def _run(n, target):
    barrier, results, errors = threading.Barrier(n), [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # collected and checked below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_next_case_never_hands_out_the_same_case():
    creditor = CreditorFactory()
    actor = system_user()
    cases = [CaseFactory(account=AccountFactory(creditor=creditor)) for _ in range(6)]
    for case in cases:
        case_review_request(case=case, actor=actor)
    agents = _agents(8)
    results, errors = _run(8, lambda i: case_take_next(agent=agents[i]).pk)
    assert len(results) == 6 and len(set(results)) == 6
    assert len(errors) == 2 and all("no case waiting" in e.message for e in errors)


def test_two_agents_take_the_same_case_one_wins_the_other_is_told():
    creditor = CreditorFactory()
    case = CaseFactory(account=AccountFactory(creditor=creditor))
    case = case_review_request(case=case, actor=system_user())
    agents = _agents(2)
    results, errors = _run(2, lambda i: case_take(case=case, agent=agents[i], version=case.version).assignee_id)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], CaseChanged) and "took this case a moment ago" in errors[0].message
    case.refresh_from_db()
    assert case.assignee_id == results[0]
