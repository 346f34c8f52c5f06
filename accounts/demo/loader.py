"""Writes the demo portfolio: creditors through their service, demo staff, then customers, accounts
and cases in bulk batches, with their "+ created" history rows written in bulk too and attributed
to the acting user (the system user for ``manage.py seed_demo``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.choices import AccountStatus, CaseStatus, Queue, RoutingReason
from accounts.models import Account, AgentProfile, Case, Creditor, Customer, User
from accounts.services import creditor_create
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked

from .brands import CREDITORS, STAFF
from .population import PortfolioGenerator
from .rows import RowWriter

HISTORY_REASON = "Demo portfolio loaded"


@dataclass
class DemoSeedResult:
    """What a seed run made: counts per model and the demo sign-ins (username, role)."""

    creditors: int = 0
    customers: int = 0
    accounts: int = 0
    cases: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def split_by_share(total: int, shares: list[Decimal]) -> list[int]:
    """Whole account counts per creditor that add up to ``total`` (largest remainder)."""
    exact = [Decimal(total) * s / sum(shares) for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def demo_creditors_ensure(*, actor) -> list[Creditor]:
    """The demo creditors, created (with history) when missing; existing ones are left as they are."""
    creditors = []
    for spec in CREDITORS:
        creditor = Creditor.objects.filter(slug=spec["slug"]).first()
        if creditor is None:
            creditor = creditor_create(actor=actor, slug=spec["slug"], **spec["fields"])
        creditors.append(creditor)
    return creditors


def demo_staff_ensure(*, actor, password: str) -> list[tuple[str, str]]:
    """One demo sign-in per role (agents with profiles). Existing users keep their password."""
    logins = []
    hashed = make_password(password)  # one slow hash for all demo users: they share the password
    for spec in STAFF:
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = User(
                username=spec["username"], first_name=spec["first_name"], last_name=spec["last_name"],
                email=f"{spec['username']}@collections-crm.example.com",
                is_staff=spec["role"] == "admin", is_superuser=spec["role"] == "admin",
            )
            user.password = hashed
            save_tracked(user, actor=actor, reason="Demo user created")
        user.groups.add(Group.objects.get(name=spec["role"]))
        if spec["profile"] and not AgentProfile.objects.filter(user=user).exists():
            save_tracked(AgentProfile(user=user, **spec["profile"]), actor=actor, reason="Demo agent profile")
        logins.append((spec["username"], str(spec["role"])))
    return logins


@transaction.atomic
def demo_seed(
    *,
    actor,
    accounts: int,
    seed: int,
    password: str,
    today: date | None = None,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> DemoSeedResult:
    """Load the demo portfolio in one transaction (all of it or nothing), with a "+ created" history
    row per customer, account and case attributed to ``actor``. Refuses when the demo creditors
    already have accounts, so a second run never duplicates or mixes data."""
    if accounts < 0:
        raise ApplicationError("The number of accounts cannot be negative.", {"accounts": accounts})
    result = DemoSeedResult()
    creditors = demo_creditors_ensure(actor=actor)
    result.creditors = len(creditors)
    existing = Account.objects.filter(creditor__in=creditors).count()
    if existing:
        raise ApplicationError(
            f"The demo portfolio is already loaded ({existing} accounts); use a fresh database, "
            "or --if-empty to skip.",
            {"existing_accounts": existing},
        )
    result.logins = demo_staff_ensure(actor=actor, password=password)

    today = today or timezone.localdate()
    now = timezone.now()
    writers = {
        model: RowWriter(model, now=now, history_user_id=actor.pk, reason=HISTORY_REASON)
        for model in (Customer, Account, Case)
    }
    gen = PortfolioGenerator(seed=seed, today=today)
    counts = split_by_share(accounts, [spec["share"] for spec in CREDITORS])
    for creditor, spec, count in zip(creditors, CREDITORS, counts, strict=True):
        prefix = spec["reference_prefix"]
        customer_no = 0
        last_customer: dict | None = None
        for start in range(0, count, batch_size):
            size = min(batch_size, count - start)
            new_customers: list[dict] = []
            drafts: list[tuple[dict, dict]] = []
            for n in range(start, start + size):
                if last_customer is None or not gen.reuses_customer():
                    customer_no += 1
                    fields = gen.customer(market=spec["market"], external_ref=f"{prefix}C{customer_no:07d}")
                    last_customer = writers[Customer].complete({"creditor_id": creditor.pk, **fields})
                    new_customers.append(last_customer)
                draft = gen.account(
                    creditor_slug=creditor.slug, reference=f"{prefix}{n + 1:08d}",
                    customer_since=last_customer["customer_since"],
                )
                drafts.append((last_customer, draft))
            for row, pk in zip(new_customers, writers[Customer].reserve_ids(len(new_customers)), strict=True):
                row["id"] = pk
            account_rows = [
                writers[Account].complete(
                    {"id": pk, "creditor_id": creditor.pk, "customer_id": customer["id"],
                     "currency": creditor.currency, "product": spec["product"], **draft}
                )
                for (customer, draft), pk in zip(drafts, writers[Account].reserve_ids(len(drafts)), strict=True)
            ]
            case_rows = [
                writers[Case].complete({"id": pk, **_case_for(account)})
                for account, pk in zip(account_rows, writers[Case].reserve_ids(len(account_rows)), strict=True)
            ]
            writers[Customer].write(new_customers)
            _demo_consents(new_customers, actor=actor, at=now)
            writers[Account].write(account_rows)
            writers[Case].write(case_rows)
            result.customers += len(new_customers)
            result.accounts += len(account_rows)
            result.cases += len(case_rows)
            if progress:
                progress(size)
    return result


def _demo_consents(customers: list[dict], *, actor, at) -> None:
    """Consent as a creditor's file would state it: texts and emails agreed at sign-up, except for one
    customer in ten who never agreed to texts (so the demo shows the gate holding back)."""
    from compliance.models import ConsentRecord

    records = []
    for customer in customers:
        channels = []
        if customer.get("phone") and int(customer["id"]) % 10 != 7:
            channels += ["sms", "whatsapp"]
        if customer.get("email"):
            channels.append("email")
        records += [
            ConsentRecord(customer_id=customer["id"], channel=channel, status="granted", source="import",
                          address=customer["email"] if channel == "email" else customer["phone"],
                          evidence="Demo placement: agreed at sign-up", at=at, actor=actor)
            for channel in channels
        ]
    ConsentRecord.objects.bulk_create(records, batch_size=5000)


def _case_for(account: dict) -> dict:
    closed = account["status"] in AccountStatus.closed_states()
    return {
        "account_id": account["id"],
        "creditor_id": account["creditor_id"],
        "queue": Queue.AUTOMATED.value,
        "routing_reason": RoutingReason.AUTOMATED.value,
        "status": (CaseStatus.CLOSED if closed else CaseStatus.OPEN).value,
        "priority": 3,
        "opened_at": account["placed_at"],
        "routed_at": account["placed_at"],
        "closed_at": account["placed_at"] if closed else None,
    }


def demo_portfolio_digest() -> str:
    """SHA-256 over every demo account's seeded facts (natural keys, never database ids or clocks),
    so two runs with the same seed into fresh databases can be compared."""
    digest = hashlib.sha256()
    rows = (
        Account.objects.filter(creditor__slug__in=[spec["slug"] for spec in CREDITORS])
        .order_by("creditor__slug", "reference")
        .values_list(
            "creditor__slug", "reference", "principal", "interest", "fees", "credits", "placed_amount",
            "balance", "due_date", "delinquency_bucket", "status", "customer__external_ref",
            "customer__first_name", "customer__last_name", "customer__phone", "customer__email",
            "customer__language", "customer__preferred_channel", "customer__time_zone",
            "customer__possible_time_zones", "customer__vulnerability_flags", "customer__customer_since",
        )
    )
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(tuple(str(v) for v in row)).encode())
    return digest.hexdigest()
