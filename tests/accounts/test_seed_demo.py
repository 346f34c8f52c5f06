"""manage.py seed_demo: a realistic, deterministic demo portfolio with complete, attributed history."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.choices import Channel, DelinquencyBucket, Language, Queue, Skill
from accounts.demo.brands import CREDITORS, DEFAULT_DEMO_PASSWORD
from accounts.demo.loader import demo_portfolio_digest, split_by_share
from accounts.demo.population import PortfolioGenerator
from accounts.models import Account, AgentProfile, Case, Creditor, Customer, User
from collections_crm.history import SYSTEM_USERNAME

N = 400


def seed(accounts=N, seed=11, **options) -> str:
    out = StringIO()
    call_command("seed_demo", accounts=accounts, seed=seed, no_progress=True, stdout=out, **options)
    return out.getvalue()


def wipe_portfolio():
    from compliance.models import ConsentRecord

    ConsentRecord.objects.all().delete()
    Case.objects.all().delete()
    Account.objects.all().delete()
    Customer.objects.all().delete()


# --- pure parts, no database ------------------------------------------------------------------

def test_split_by_share_adds_up_exactly():
    shares = [spec["share"] for spec in CREDITORS]
    for total in (0, 1, 7, 999, 1_000_000):
        counts = split_by_share(total, shares)
        assert sum(counts) == total
    assert split_by_share(100, shares) == [35, 20, 25, 20]


def test_generator_is_deterministic_and_itemised():
    today = date(2026, 1, 15)
    first, second = PortfolioGenerator(seed=5, today=today), PortfolioGenerator(seed=5, today=today)
    other = PortfolioGenerator(seed=6, today=today)
    draws = []
    for gen in (first, second, other):
        customer = gen.customer(market="US", external_ref="X1")
        account = gen.account(creditor_slug="bay-state-auto", reference="R1", customer_since=customer["customer_since"])
        draws.append((customer, account))
    assert draws[0] == draws[1]
    assert draws[0] != draws[2]
    account = draws[0][1]
    assert account["placed_amount"] == account["principal"] + account["interest"] + account["fees"] - account["credits"]
    assert Decimal("0") <= account["balance"] <= account["placed_amount"]


# --- the command ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_seed_demo_routes_at_most_the_cases_asked_and_says_how_to_route_the_rest():
    from accounts.services_routing import cases_needing_routing

    out = seed(route=3)
    waiting = cases_needing_routing().count()
    moved = Case.history.filter(history_change_reason__startswith="Routed").values("id").distinct().count()
    assert 1 <= moved <= 3 < waiting
    assert Case.objects.exclude(queue=Queue.AUTOMATED).count() == moved
    assert "route_cases" in out and f"of {waiting:,} cases" in out


@pytest.mark.django_db
def test_seed_demo_covers_buckets_languages_channels_and_markets():
    seed()
    assert Account.objects.count() == N and Case.objects.count() == N
    assert set(Creditor.objects.values_list("slug", flat=True)) >= {spec["slug"] for spec in CREDITORS}
    assert set(Account.objects.values_list("delinquency_bucket", flat=True)) == set(DelinquencyBucket.values)
    assert set(Customer.objects.values_list("language", flat=True)) == set(Language.values)
    assert set(Customer.objects.values_list("preferred_channel", flat=True)) == set(Channel.values)
    # Cases are routed after loading: high-value and vulnerable customers go to people, the rest stay automated.
    assert {Queue.AUTOMATED, Queue.HIGH_VALUE, Queue.VULNERABLE} <= set(Case.objects.values_list("queue", flat=True))
    for case in Case.objects.select_related("account__customer").exclude(status="closed"):
        if case.account.customer.vulnerability_flags:
            assert case.queue in (Queue.DISPUTES, Queue.VULNERABLE)

    today = timezone.localdate()
    for account in Account.objects.select_related("customer", "creditor"):
        assert account.placed_amount == account.principal + account.interest + account.fees - account.credits
        assert 0 <= account.balance <= account.placed_amount
        assert account.currency == account.creditor.currency
        assert account.delinquency_bucket == DelinquencyBucket.for_days(account.days_past_due(today))
        assert account.customer.creditor_id == account.creditor_id

    nigerians = Customer.objects.filter(creditor__country="NG")
    assert all(c.phone.startswith("+234") and c.time_zone == "Africa/Lagos" for c in nigerians)
    assert set(nigerians.values_list("language", flat=True)) == {Language.ENGLISH, Language.PIDGIN}
    americans = Customer.objects.filter(creditor__country="US")
    assert all(c.phone.startswith("+1") for c in americans)
    assert set(americans.values_list("language", flat=True)) == {Language.ENGLISH, Language.SPANISH}
    unknown_zone = americans.filter(time_zone="")
    assert unknown_zone.exists()
    assert all(len(c.possible_time_zones) >= 2 and c.region == "" for c in unknown_zone)
    assert set(Customer.objects.filter(creditor__country="GB").values_list("language", flat=True)) == {
        Language.ENGLISH, Language.FRENCH,
    }
    vulnerable = Customer.objects.exclude(vulnerability_flags=[]).count()
    assert 0 < vulnerable < Customer.objects.count() * 0.15
    # Some accounts are big enough to need a person (high-value routing comes later).
    assert any(
        Account.objects.filter(creditor=c, balance__gte=c.high_value_threshold).exists()
        for c in Creditor.objects.all()
    )
    # Customers have been with the creditor for years, not all since last week.
    since = sorted(Customer.objects.values_list("customer_since", flat=True))
    assert (since[-1] - since[0]).days > 5 * 365


@pytest.mark.django_db
def test_demo_users_have_roles_profiles_and_printed_logins(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = seed(accounts=10)
    roles = {
        "agent.ada": "agent", "agent.tunde": "agent", "agent.maria": "agent",
        "sup.kemi": "supervisor", "admin.ama": "admin",
    }
    for username, role in roles.items():
        user = User.objects.get(username=username)
        assert user.groups.filter(name=role).exists()
        assert user.has_role(role)
        assert user.check_password(DEFAULT_DEMO_PASSWORD)
        assert username in output
    assert DEFAULT_DEMO_PASSWORD in output
    admin = User.objects.get(username="admin.ama")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.get(username="agent.ada").has_role("supervisor")
    tunde = AgentProfile.objects.get(user__username="agent.tunde")
    assert set(tunde.languages) == {"en", "pcm"} and Skill.DISPUTES in tunde.skills
    maria = AgentProfile.objects.get(user__username="agent.maria")
    assert set(maria.languages) == {"en", "es"} and Skill.VULNERABILITY in maria.skills


@pytest.mark.django_db
def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    output = seed(accounts=5)
    assert User.objects.get(username="sup.kemi").check_password("another-demo-pass")
    assert "another-demo-pass" in output


@pytest.mark.django_db
def test_same_seed_same_portfolio_other_seed_other_portfolio():
    seed(seed=11)
    first = demo_portfolio_digest()
    references = list(Account.objects.order_by("reference").values_list("reference", "balance"))
    wipe_portfolio()
    seed(seed=11)
    assert demo_portfolio_digest() == first
    assert list(Account.objects.order_by("reference").values_list("reference", "balance")) == references
    wipe_portfolio()
    seed(seed=12)
    assert demo_portfolio_digest() != first


@pytest.mark.django_db
def test_if_empty_does_nothing_the_second_time_and_a_plain_rerun_is_refused():
    seed(accounts=50, if_empty=True)
    counts = (Account.objects.count(), Customer.objects.count(), Case.objects.count(), User.objects.count())
    history = Account.history.count()
    output = seed(accounts=50, if_empty=True)
    assert "leaving the data as it is" in output
    assert (Account.objects.count(), Customer.objects.count(), Case.objects.count(), User.objects.count()) == counts
    assert Account.history.count() == history
    with pytest.raises(CommandError, match="already loaded"):
        seed(accounts=50)
    assert Account.objects.count() == counts[0]


@pytest.mark.django_db
def test_bad_arguments_give_a_clear_error():
    with pytest.raises(CommandError, match="--accounts must be 0 or more"):
        seed(accounts=-1)
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_seed_demo_history_is_complete_and_attributed_to_the_system_user():
    seed(accounts=120)
    system = User.objects.get(username=SYSTEM_USERNAME)
    for model in (Customer, Account, Case):
        created = model.history.filter(history_type="+")
        assert created.count() == model.objects.count() > 0
        assert set(created.values_list("history_user_id", flat=True)) == {system.pk}
        assert set(created.values_list("history_change_reason", flat=True)) == {"Demo portfolio loaded"}
        assert set(created.values_list("id", flat=True)) == set(model.objects.values_list("id", flat=True))
    account = Account.objects.order_by("id").first()
    record = account.history.get()
    assert (record.reference, record.balance, record.delinquency_bucket) == (
        account.reference, account.balance, account.delinquency_bucket,
    )
    for creditor in Creditor.objects.filter(slug__in=[spec["slug"] for spec in CREDITORS]):
        assert creditor.history.get().history_user == system
    for username in ("agent.ada", "sup.kemi", "admin.ama"):
        assert User.objects.get(username=username).history.first().history_user == system
    assert Group.objects.get(name="agent").user_set.filter(username="agent.maria").exists()


@pytest.mark.django_db
def test_demo_customers_carry_the_consent_a_creditor_file_would_state():
    """Texts and emails agreed at sign-up for most, so the demo's reminders can go out; one in ten
    never agreed to texts, so the gate visibly holds those back."""
    from compliance.models import ConsentRecord

    seed(accounts=200)
    with_phone = Customer.objects.exclude(phone="").count()
    sms = ConsentRecord.objects.filter(channel="sms", status="granted", source="import").count()
    assert 0.8 * with_phone <= sms < with_phone
    assert ConsentRecord.objects.filter(channel="email").count() == Customer.objects.exclude(email="").count()
