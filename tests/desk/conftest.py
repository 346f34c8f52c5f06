import pytest

from accounts.services_routing import case_review_request
from compliance.services import dispute_open
from tests.accounts.factories import AccountFactory, AgentProfileFactory, CaseFactory, CustomerFactory


@pytest.fixture
def desk_agent(agent):
    AgentProfileFactory(user=agent, display_name="Ada", languages=["en", "fr"], skills=["disputes"], capacity=10)
    return agent


@pytest.fixture
def make_case(creditor, supervisor):
    def make(*, dispute=False, review=False, assignee=None, **account_kw):
        customer = CustomerFactory(creditor=creditor)
        case = CaseFactory(account=AccountFactory(creditor=creditor, customer=customer, **account_kw))
        if dispute:
            dispute_open(account=case.account, reason="wrong_amount", description="Says it was paid", actor=supervisor)
        if review:
            case_review_request(case=case, actor=supervisor)
        case.refresh_from_db()
        if assignee is not None:
            case.assignee = assignee
            case.version += 1
            case.save()
        return case

    return make
