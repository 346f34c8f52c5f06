"""Assignment: skills and language, capacity, least-loaded choice, next case, supervisor reassignment,
stale forms and closed cases refused with a clear message and nothing lost."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Case
from accounts.services_assignment import (
    CaseChanged,
    case_assign,
    case_close,
    case_reassign,
    case_release,
    case_take,
    case_take_next,
    case_wait,
    cases_wake_due,
)
from accounts.services_routing import case_flag_complaint, case_review_request, customer_vulnerability_set
from collections_crm.errors import ApplicationError
from compliance.models import AuditEvent
from compliance.services import dispute_open, dispute_resolve
from tests.accounts.factories import AccountFactory, AgentProfileFactory, CaseFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _case(creditor, *, language="en", principal=Decimal("40000.00")):
    customer = CustomerFactory(creditor=creditor, language=language)
    return CaseFactory(account=AccountFactory(creditor=creditor, customer=customer, principal=principal))


def _disputed(creditor, agent_actor, **kw):
    case = _case(creditor, **kw)
    dispute_open(account=case.account, reason="wrong_amount", actor=agent_actor)
    case.refresh_from_db()
    return case


@pytest.fixture
def trained(agent):
    AgentProfileFactory(user=agent, display_name="Ada", languages=["en", "fr"], skills=["disputes"], capacity=3)
    return agent


def test_next_case_is_the_most_urgent_one_the_agent_may_work(creditor, trained, supervisor):
    general = _case(creditor)
    case_review_request(case=general, actor=supervisor)
    dispute = _disputed(creditor, supervisor)
    _disputed(creditor, supervisor, language="pcm")  # Ada does not speak Pidgin
    taken = case_take_next(agent=trained)
    assert taken.pk == dispute.pk and taken.assignee == trained  # priority 1 before 3
    assert case_take_next(agent=trained).pk == general.pk
    with pytest.raises(ApplicationError, match="no case waiting"):
        case_take_next(agent=trained)
    assert AuditEvent.objects.filter(action="case.taken", object_id=str(dispute.pk)).exists()


def test_untrained_agents_never_get_dispute_or_vulnerable_cases(creditor, supervisor):
    plain = AgentProfileFactory(languages=["en"], skills=[]).user
    plain.groups.add(*supervisor.groups.model.objects.filter(name="agent"))
    _disputed(creditor, supervisor)
    vulnerable = _case(creditor)
    customer_vulnerability_set(customer=vulnerable.account.customer, flags=["health"], actor=supervisor)
    with pytest.raises(ApplicationError, match="no case waiting"):
        case_take_next(agent=plain)
    with pytest.raises(ApplicationError, match="not trained"):
        case_take_next(agent=plain, queue="disputes")


def test_capacity_is_respected(creditor, trained, supervisor):
    for _ in range(4):
        _disputed(creditor, supervisor)
    for _ in range(3):
        case_take_next(agent=trained)
    with pytest.raises(ApplicationError, match="your limit"):
        case_take_next(agent=trained)


def test_supervisor_assign_picks_the_least_loaded_qualified_agent(creditor, supervisor, trained):
    from tests.conftest import _user_with_role

    busy = trained
    idle = _user_with_role("agent", "agent.tunde")
    AgentProfileFactory(user=idle, display_name="Tunde", languages=["en"], skills=["disputes"], capacity=3)
    other = _user_with_role("agent", "agent.maria")
    AgentProfileFactory(user=other, display_name="Maria", languages=["en"], skills=[], capacity=10)
    first = _disputed(creditor, supervisor)
    case_assign(case=first, actor=supervisor, agent=busy)
    second = _disputed(creditor, supervisor)
    assigned = case_assign(case=second, actor=supervisor)  # no agent named: least loaded qualified
    assert assigned.assignee == idle
    with pytest.raises(ApplicationError, match="not trained"):
        case_assign(case=_disputed(creditor, supervisor), actor=supervisor, agent=other)


def test_agents_cannot_assign(creditor, trained, supervisor):
    case = _disputed(creditor, supervisor)
    with pytest.raises(ApplicationError, match="Only a supervisor"):
        case_assign(case=case, actor=trained, agent=trained)


def test_reassignment_records_who_when_and_from_whom(creditor, supervisor, trained):
    from tests.conftest import _user_with_role

    tunde = _user_with_role("agent", "agent.tunde")
    AgentProfileFactory(user=tunde, display_name="Tunde", languages=["en"], skills=["disputes"])
    case = _disputed(creditor, supervisor)
    case = case_take_next(agent=trained)
    case_reassign(case=case, actor=supervisor, agent=tunde, version=case.version)
    case.refresh_from_db()
    assert case.assignee == tunde
    event = AuditEvent.objects.get(action="case.reassigned")
    assert event.actor_id == supervisor.pk
    assert event.payload["from_user_id"] == trained.pk and event.payload["to_user_id"] == tunde.pk
    assert case.history.first().history_user == supervisor


def test_stale_form_after_reassignment_is_refused_and_nothing_lost(creditor, supervisor, trained):
    from tests.conftest import _user_with_role

    tunde = _user_with_role("agent", "agent.tunde")
    AgentProfileFactory(user=tunde, display_name="Tunde", languages=["en"], skills=["disputes"])
    case = _disputed(creditor, supervisor)
    case = case_take_next(agent=trained)
    seen = case.version  # Ada's form carries this
    case_reassign(case=case, actor=supervisor, agent=tunde, version=seen)
    with pytest.raises(CaseChanged, match="It is now with"):
        case_release(case=case, actor=trained, version=seen)
    with pytest.raises(CaseChanged):
        case_reassign(case=case, actor=supervisor, agent=trained, version=seen)  # the supervisor's old tab too
    case.refresh_from_db()
    assert case.assignee == tunde


def test_two_agents_clicking_the_same_case_one_wins_the_other_is_told(creditor, supervisor, trained):
    from tests.conftest import _user_with_role

    tunde = _user_with_role("agent", "agent.tunde")
    AgentProfileFactory(user=tunde, display_name="Tunde", languages=["en"], skills=["disputes"])
    case = _disputed(creditor, supervisor)
    case_take(case=case, agent=tunde, version=case.version)
    with pytest.raises(CaseChanged, match="took this case a moment ago"):
        case_take(case=case, agent=trained, version=case.version)


def test_close_refused_while_the_dispute_is_open_then_back_to_automated(creditor, supervisor, trained):
    case = _disputed(creditor, supervisor)
    case = case_take_next(agent=trained)
    with pytest.raises(ApplicationError, match="resolve it first"):
        case_close(case=case, actor=trained, version=case.version)
    dispute_resolve(dispute=case.account.disputes.get(), outcome="withdrawn", note="Withdrawn on the call",
                    actor=trained)
    case.refresh_from_db()
    assert case.queue == "automated" and case.assignee is None


def test_close_clears_a_complaint_and_a_closed_case_cannot_be_acted_on(creditor, supervisor, trained):
    case = _case(creditor)
    case_flag_complaint(case=case, actor=supervisor)
    case.refresh_from_db()
    case_take(case=case, agent=trained, version=case.version)
    case.refresh_from_db()
    seen = case.version
    case = case_close(case=case, actor=trained, version=seen, note="Apologised; sorted")
    assert case.queue == "automated" and not case.complaint_open and case.assignee is None
    with pytest.raises(CaseChanged):
        case_close(case=case, actor=trained, version=seen)


def test_waiting_case_comes_back_when_due(creditor, supervisor, trained):
    case = _disputed(creditor, supervisor)
    case = case_take_next(agent=trained)
    case = case_wait(case=case, actor=trained, until=timezone.now() + timedelta(days=2), version=case.version,
                     why="promise to pay")
    assert case.status == "waiting"
    assert cases_wake_due() == 0
    assert cases_wake_due(now=timezone.now() + timedelta(days=3)) == 1
    case.refresh_from_db()
    assert case.status == "open" and case.assignee == trained
    assert Case.objects.get(pk=case.pk).sla_due_at > timezone.now()
