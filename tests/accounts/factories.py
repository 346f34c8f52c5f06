"""factory_boy factories for the accounts domain."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.choices import AccountStatus, Channel, DelinquencyBucket, Language
from accounts.models import Account, AgentProfile, Case, Creditor, Customer, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pass-word-123")


class AgentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgentProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: p.user.first_name or p.user.username)
    languages = factory.LazyFunction(lambda: ["en"])
    skills = factory.LazyFunction(list)
    capacity = 25


class CreditorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creditor
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"lagos-power-{n}")
    name = "Lagos Power Distribution Ltd"
    display_name = "Lagos Power"
    country = "NG"
    currency = "NGN"
    default_phone_region = "NG"
    high_value_threshold = Decimal("500000.00")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    creditor = factory.SubFactory(CreditorFactory)
    external_ref = factory.Sequence(lambda n: f"C{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    phone = factory.Sequence(lambda n: f"+23480{n:08d}")
    country = "NG"
    time_zone = "Africa/Lagos"
    preferred_channel = Channel.SMS
    language = Language.ENGLISH
    date_of_birth = date(1988, 4, 12)
    postal_code = "100001"


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    creditor = factory.SubFactory(CreditorFactory)
    customer = factory.SubFactory(CustomerFactory, creditor=factory.SelfAttribute("..creditor"))
    reference = factory.Sequence(lambda n: f"ACC{n:07d}")
    product = "Electricity"
    currency = factory.LazyAttribute(lambda a: a.creditor.currency)
    principal = Decimal("40000.00")
    interest = Decimal("1500.00")
    fees = Decimal("500.00")
    credits = Decimal("0.00")
    placed_amount = factory.LazyAttribute(lambda a: a.principal + a.interest + a.fees - a.credits)
    balance = factory.LazyAttribute(lambda a: a.placed_amount)
    due_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=45))
    status = AccountStatus.OPEN
    delinquency_bucket = DelinquencyBucket.DPD_31_60


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    account = factory.SubFactory(AccountFactory)
    creditor = factory.LazyAttribute(lambda c: c.account.creditor)
