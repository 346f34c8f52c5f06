"""Reads for the contact gate and the compliance screens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import (
    BooleanField,
    DateTimeField,
    Exists,
    Expression,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Account, Creditor, Customer

from .choices import AttemptStatus, HoldStatus
from .gate import ConsentState, ContactRecord, GateContext, HoldSnapshot, Preferences
from .models import ConsentRecord, ContactAttempt, ContactPreference, CreditorContactPolicy, Dispute, Hold
from .rules import Tightening, holiday_dates, profile_for, zone, zones_for

# How far back the gate needs history: the longest cap window or cooldown, with a day to spare for zones.
HISTORY_DAYS = 32


def policy_tightening(policy: CreditorContactPolicy | None) -> Tightening | None:
    if policy is None:
        return None
    return Tightening(
        version=str(policy.version),
        window_start=policy.window_start,
        window_end=policy.window_end,
        quiet_weekdays=frozenset(policy.quiet_weekdays or ()),
        channel_limits={ch: (int(v[0]), int(v[1])) for ch, v in (policy.channel_limits or {}).items()},
    )


def customer_jurisdiction(customer: Customer) -> tuple[str, str]:
    return _jurisdiction(customer, customer.creditor)


def _jurisdiction(customer: Customer, creditor: Creditor) -> tuple[str, str]:
    country = customer.country or creditor.country
    region = customer.region if customer.country else (customer.region or creditor.region)
    return country.upper(), (region or "").upper()


def preferences_of(customer: Customer, pref: ContactPreference | None) -> Preferences:
    if pref is None:
        if customer.contact_hours_start and customer.contact_hours_end:
            return Preferences(hours_start=customer.contact_hours_start, hours_end=customer.contact_hours_end)
        return Preferences()
    defaults = Preferences()
    return Preferences(
        hours_start=pref.hours_start or customer.contact_hours_start,
        hours_end=pref.hours_end or customer.contact_hours_end,
        days=ContactPreference.mask_to_days(pref.days_mask),
        no_contact_at_work=pref.no_contact_at_work,
        work_start=pref.work_start or defaults.work_start,
        work_end=pref.work_end or defaults.work_end,
        work_days=ContactPreference.mask_to_days(pref.work_days_mask) if pref.work_days_mask else defaults.work_days,
    )


def contact_points_of(customer: Customer) -> frozenset[str]:
    points = set()
    if customer.email:
        points.add("email")
    if customer.phone:
        points |= {"sms", "whatsapp", "voice"}
    return frozenset(points)


def gate_context_for(*, customer: Customer, account: Account | None, at: datetime | None = None) -> GateContext:
    """Load everything the gate needs for one customer (and account) in a handful of queries."""
    at = at or timezone.now()
    creditor = customer.creditor
    policy = CreditorContactPolicy.objects.filter(creditor_id=creditor.pk).first()
    pref = ContactPreference.objects.filter(customer_id=customer.pk).first()
    consents: dict[str, ConsentState] = {}
    for rec in ConsentRecord.objects.filter(customer_id=customer.pk).order_by("channel", "-at", "-id"):
        consents.setdefault(rec.channel, ConsentState(rec.status, rec.at, rec.source))
    holds = tuple(
        HoldSnapshot(h.kind, h.account_id, h.starts_at, h.ends_at)
        for h in Hold.objects.filter(customer_id=customer.pk, status=HoldStatus.ACTIVE)
    )
    since = at - timedelta(days=HISTORY_DAYS)
    history = tuple(
        ContactRecord(a.at, a.channel, a.account_id, a.purpose, a.is_conversation)
        for a in ContactAttempt.objects.filter(
            customer_id=customer.pk, at__gte=since, status__in=AttemptStatus.counted()
        ).only("at", "channel", "account_id", "purpose", "is_conversation")
    )
    # Opt-out confirmations are looked for since the opt-out, however long ago.
    country, region = customer_jurisdiction(customer)
    profile = profile_for(country, region)
    years = tuple(sorted({at.year - 1, at.year, at.year + 1}))
    return GateContext(
        profile=profile,
        tightening=policy_tightening(policy),
        zones=zones_for(customer.time_zone, customer.possible_time_zones or (), country, region),
        account_id=account.pk if account is not None else None,
        holidays=holiday_dates(country, region, years),
        preferences=preferences_of(customer, pref),
        consents=consents,
        holds=holds,
        history=history,
        contact_points=contact_points_of(customer),
        account_closed=bool(account is not None and account.is_closed),
    )


def gate_contexts_by_customer(*, customers: Sequence[Customer], at: datetime | None = None
                              ) -> dict[int, GateContext]:
    """``gate_context_for`` for many customers at once, without an account (``account_id`` None, not
    closed): by customer pk, in a constant number of queries whatever the number of customers. Callers
    set the account with ``dataclasses.replace`` (see ``gate_context_with_account``)."""
    at = at or timezone.now()
    by_pk = {c.pk: c for c in customers}
    if not by_pk:
        return {}
    pks = list(by_pk)
    creditor_field = Customer._meta.get_field("creditor")
    missing = {c.creditor_id for c in by_pk.values() if not creditor_field.is_cached(c)}
    creditors = ({cr.pk: cr for cr in Creditor.objects.filter(pk__in=missing).only("country", "region")}
                 if missing else {})
    creditor_ids = {c.creditor_id for c in by_pk.values()}
    policies = {p.creditor_id: p for p in CreditorContactPolicy.objects.filter(creditor_id__in=creditor_ids)}
    prefs = {p.customer_id: p for p in ContactPreference.objects.filter(customer_id__in=pks)}
    consents: dict[int, dict[str, ConsentState]] = {pk: {} for pk in pks}
    for rec in (ConsentRecord.objects.filter(customer_id__in=pks).order_by("customer_id", "channel", "-at", "-id")
                .only("customer_id", "channel", "status", "at", "source")):
        consents[rec.customer_id].setdefault(rec.channel, ConsentState(rec.status, rec.at, rec.source))
    holds: dict[int, list[HoldSnapshot]] = {pk: [] for pk in pks}
    for h in (Hold.objects.filter(customer_id__in=pks, status=HoldStatus.ACTIVE)
              .only("customer_id", "kind", "account_id", "starts_at", "ends_at")):
        holds[h.customer_id].append(HoldSnapshot(h.kind, h.account_id, h.starts_at, h.ends_at))
    history: dict[int, list[ContactRecord]] = {pk: [] for pk in pks}
    since = at - timedelta(days=HISTORY_DAYS)
    for a in ContactAttempt.objects.filter(customer_id__in=pks, at__gte=since, status__in=AttemptStatus.counted()
                                           ).only("customer_id", "at", "channel", "account_id", "purpose",
                                                  "is_conversation"):
        history[a.customer_id].append(ContactRecord(a.at, a.channel, a.account_id, a.purpose, a.is_conversation))
    years = tuple(sorted({at.year - 1, at.year, at.year + 1}))
    contexts = {}
    for pk, customer in by_pk.items():
        creditor = customer.creditor if creditor_field.is_cached(customer) else creditors[customer.creditor_id]
        country, region = _jurisdiction(customer, creditor)
        contexts[pk] = GateContext(
            profile=profile_for(country, region),
            tightening=policy_tightening(policies.get(customer.creditor_id)),
            zones=zones_for(customer.time_zone, customer.possible_time_zones or (), country, region),
            account_id=None,
            holidays=holiday_dates(country, region, years),
            preferences=preferences_of(customer, prefs.get(pk)),
            consents=consents[pk],
            holds=tuple(holds[pk]),
            history=tuple(history[pk]),
            contact_points=contact_points_of(customer),
            account_closed=False,
        )
    return contexts


def gate_context_with_account(context: GateContext, account: Account | None, **changes) -> GateContext:
    """A customer's context (from ``gate_contexts_by_customer``) for one of their accounts (or none)."""
    return replace(context, account_id=account.pk if account is not None else None,
                   account_closed=bool(account is not None and account.is_closed), **changes)


def gate_contexts_for(*, targets: Sequence[tuple[Customer, Account | None]], at: datetime | None = None
                      ) -> list[GateContext]:
    """``gate_context_for`` for each (customer, account) in ``targets``, in a constant number of queries."""
    by_customer = gate_contexts_by_customer(customers=[customer for customer, _account in targets], at=at)
    return [gate_context_with_account(by_customer[customer.pk], account) for customer, account in targets]


def contact_preference_values(*, customer: Customer) -> dict:
    """The customer's recorded contact preferences as plain values (defaults when none recorded)."""
    pref = ContactPreference.objects.filter(customer_id=customer.pk).first()
    return {"customer": customer.pk, **preference_values(pref or ContactPreference(customer=customer))}


def preference_values(pref: ContactPreference) -> dict:
    """JSON-safe values of one preference row (also the audit payload of ``preference.changed``)."""

    def t(value):
        return value.strftime("%H:%M") if value is not None else None

    return {
        "hours_start": t(pref.hours_start), "hours_end": t(pref.hours_end),
        "days": sorted(ContactPreference.mask_to_days(pref.days_mask)),
        "no_contact_at_work": pref.no_contact_at_work,
        "work_start": t(pref.work_start), "work_end": t(pref.work_end),
        "work_days": sorted(ContactPreference.mask_to_days(pref.work_days_mask)),
    }


def consent_list(*, customer: Customer | None = None):
    qs = ConsentRecord.objects.select_related("customer", "actor")
    return qs.filter(customer=customer) if customer is not None else qs


def hold_list():
    return Hold.objects.select_related("customer", "account", "placed_by", "lifted_by")


def dispute_list():
    return Dispute.objects.select_related("account", "customer", "hold", "opened_by").prefetch_related("evidence")


# ---- the set-based form of the gate ---------------------------------------------------------------

_JURISDICTION_FIELDS = ("customer__country", "customer__region", "customer__time_zone",
                        "customer__possible_time_zones", "creditor_id", "creditor__country", "creditor__region")


def _combo_context(combo: dict, policies: dict, at: datetime, account_id=None) -> GateContext:
    """A context with only what is shared by every customer in one jurisdiction/zone combination."""
    country = (combo["customer__country"] or combo["creditor__country"] or "").upper()
    region = (combo["customer__region"] if combo["customer__country"] else
              (combo["customer__region"] or combo["creditor__region"])) or ""
    years = tuple(sorted({at.year - 1, at.year, at.year + 1}))
    return GateContext(
        profile=profile_for(country, region.upper()),
        tightening=policy_tightening(policies.get(combo["creditor_id"])),
        zones=zones_for(combo["customer__time_zone"], combo["customer__possible_time_zones"] or (), country,
                        region.upper()),
        account_id=account_id,
        holidays=holiday_dates(country, region.upper(), years),
    )


def _day_start(at: datetime, zones, days_back: int) -> datetime:
    """Earliest local midnight, over ``zones``, of the day ``days_back`` days before ``at``'s local day."""
    return min(
        datetime.combine(at.astimezone(zone(z)).date() - timedelta(days=days_back), time(0), tzinfo=zone(z))
        .astimezone(UTC)
        for z in zones
    )


def contactable_accounts(*, queryset, channel: str, at: datetime | None = None, purpose: str = "collection"):
    """The accounts in ``queryset`` the gate would allow a ``channel`` contact with at ``at``: the same rules
    as compliance.gate.check, as one SQL filter (no Python loop over accounts). Rules that depend only on
    the jurisdiction and zone are evaluated once per distinct combination in Python; the per-customer ones
    (consent, opt-out, holds, caps, cooldown, preferences, contact points) become SQL conditions.
    ``tests/compliance/test_gate_setwise.py`` proves it agrees with check()."""
    from django.db.models import Count, F
    from django.db.models.functions import Cast

    from .choices import Purpose
    from .gate import COUNTED_PURPOSES, HOLD_BLOCKS, _timed_reasons

    at = at or timezone.now()
    if purpose not in (Purpose.COLLECTION, Purpose.CAMPAIGN, Purpose.TRANSACTIONAL):
        raise ValueError("contactable_accounts supports collection, campaign and transactional purposes")
    collecting = purpose in (Purpose.COLLECTION, Purpose.CAMPAIGN)
    creditor_ids = queryset.values("creditor_id").distinct()
    policies = {p.creditor_id: p for p in CreditorContactPolicy.objects.filter(creditor_id__in=creditor_ids)}

    # Latest consent record per customer for this channel, as two id sets computed once (hashed NOT IN /
    # IN), rather than a correlated subquery per account.
    records = ConsentRecord.objects.filter(channel=channel)
    newer = records.filter(customer_id=OuterRef("customer_id")).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")))
    latest = records.exclude(Exists(newer))
    revoked_ids = latest.filter(status="revoked").values("customer_id")
    granted_ids = latest.filter(status="granted").values("customer_id")
    qs = queryset.annotate(
        _hours_start=Coalesce("customer__contact_preference__hours_start", "customer__contact_hours_start"),
        _hours_end=Coalesce("customer__contact_preference__hours_end", "customer__contact_hours_end"),
        _days=Coalesce("customer__contact_preference__days_mask", Value(0)),
        _work_days=Coalesce("customer__contact_preference__work_days_mask", Value(0)),
        _no_work=Coalesce("customer__contact_preference__no_contact_at_work", Value(False)),
    )
    # Per-customer rules that do not depend on the zone.
    qs = qs.exclude(customer_id__in=revoked_ids)
    if channel == "email":
        qs = qs.exclude(customer__email="")
    else:
        qs = qs.exclude(customer__phone="")
    if collecting:
        from accounts.choices import AccountStatus

        qs = qs.exclude(status__in=AccountStatus.closed_states())
    blocking = [kind for kind, purposes in HOLD_BLOCKS.items() if purpose in purposes]
    # Customer-wide holds and this account's holds, each as an id set computed once.
    active_holds = (Hold.objects.filter(status=HoldStatus.ACTIVE, kind__in=blocking, starts_at__lte=at)
                    .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at)))
    qs = qs.exclude(customer_id__in=active_holds.filter(account__isnull=True).values("customer_id"))
    qs = qs.exclude(pk__in=active_holds.filter(account__isnull=False).values("account_id"))

    live = ContactAttempt.objects.filter(status__in=AttemptStatus.counted())
    counted = live.filter(purpose__in=COUNTED_PURPOSES)
    # JSON equality differs between databases; compare the list as the database's own text instead.
    # Each distinct jurisdiction/zone combination is one text key; combinations that share the same
    # local times, consent rule and caps form one class, so the filter is a few IN-list tests per row.
    key_expr = _FlatConcat(
        "customer__country", Value("|"), "customer__region", Value("|"), "customer__time_zone", Value("|"),
        Cast("customer__possible_time_zones", TextField()), Value("|"), Cast("creditor_id", TextField()),
        Value("|"), "creditor__country", Value("|"), "creditor__region",
    )
    combos = list(queryset.order_by().annotate(_key=key_expr).values(*_JURISDICTION_FIELDS, "_key").distinct())
    qs = qs.annotate(_key=key_expr)
    classes: dict[tuple, list[str]] = {}
    for combo in combos:
        ctx = _combo_context(combo, policies, at)
        if _timed_reasons(ctx, channel, str(purpose), at):  # outside the window or a quiet day here
            continue
        p = ctx.effective
        consent_needed = purpose == Purpose.CAMPAIGN or (
            purpose == Purpose.COLLECTION and channel in p.consent_channels)
        caps = tuple(sorted(
            (cap.per, tuple(sorted(cap.channels)), _day_start(at, ctx.zones, cap.days - 1), cap.limit)
            for cap in p.caps if collecting and channel in cap.channels
        ))
        cooldown = (_day_start(at, ctx.zones, p.conversation_cooldown_days - 1)
                    if collecting and p.conversation_cooldown_days and channel in p.cooldown_channels else None)
        classes.setdefault((ctx.zones, consent_needed, caps, cooldown), []).append(combo["_key"])

    # The cheap per-row conditions (local hours, days, work times, consent) are one OR branch per class;
    # the subqueries over contact attempts (caps, cooldown) are built once per distinct (cap, window start)
    # and applied only to the rows of the classes that need them, so each is one hashed scan whatever the
    # number of classes (it used to be one scan per class).
    branches: list[tuple[list[str], Q]] = []
    annotations: dict[str, object] = {}
    cap_keys: dict[tuple, list[str]] = {}
    cooldown_keys: dict[datetime, list[str]] = {}
    consent_keys: list[str] = []
    for (zones, consent_needed, caps, cooldown), keys in classes.items():
        cond = Q()
        if consent_needed:
            consent_keys.extend(keys)
        for tz_name in zones:
            local = at.astimezone(zone(tz_name))
            lt, bit = local.time(), 1 << local.weekday()
            he = F("_hours_end")
            cond &= (Q(_hours_start__isnull=True) | Q(_hours_end__isnull=True)
                     | (Q(_hours_start__lte=he) & Q(_hours_start__lte=lt, _hours_end__gt=lt))
                     | (Q(_hours_start__gt=he) & (Q(_hours_start__lte=lt) | Q(_hours_end__gt=lt))))
            day_name = f"_day_ok_{bit}"
            annotations[day_name] = F("_days").bitand(bit)
            cond &= Q(_days=0) | ~Q(**{day_name: 0})
            if channel == "voice":
                work_name = f"_work_ok_{bit}"
                annotations[work_name] = F("_work_days").bitand(bit)
                work_day = ~Q(**{work_name: 0})
                if local.weekday() < 5:  # no work days given: Monday-Friday (gate.Preferences)
                    work_day |= Q(_work_days=0)
                annotations["_ws"] = Coalesce("customer__contact_preference__work_start", Value(time(9, 0)))
                annotations["_we"] = Coalesce("customer__contact_preference__work_end", Value(time(17, 0)))
                cond &= ~(Q(_no_work=True) & work_day & Q(_ws__lte=lt, _we__gt=lt))
        for cap in caps:
            cap_keys.setdefault(cap, []).extend(keys)
        if cooldown is not None:
            cooldown_keys.setdefault(cooldown, []).extend(keys)
        branches.append((keys, cond))
    # One simple CASE on the key: the (costly) key is built once per row and only its class's conditions
    # are evaluated (an OR of "key IN (...) AND ..." built the key once per class tried).
    qs = qs.annotate(**annotations).filter(_KeyedCondition(key_expr, branches))
    # Each occurrence of a subquery is its own hashed SubPlan in PostgreSQL (one scan each), so every id
    # set below appears once; the cheap hashed id test comes first so the rest is evaluated only for the
    # few rows it matches.
    if consent_keys:
        all_keys = {k for keys, _cond in branches for k in keys}
        if set(consent_keys) == all_keys:  # every allowed class needs consent: no key to build
            qs = qs.exclude(~Q(customer_id__in=granted_ids))
        else:
            qs = qs.exclude(~Q(customer_id__in=granted_ids) & Q(_key__in=consent_keys))
    # Caps: the window start differs per class (local midnight in its zones). A cap is reached from a
    # later start only if it is reached from the earliest, so one grouped scan from the earliest start
    # gives the candidates; for those few rows only, an indexed count from the row's own start decides.
    by_cap: dict[tuple, dict[str, datetime]] = {}
    for (per, cap_channels, start, limit), keys in cap_keys.items():
        by_cap.setdefault((per, cap_channels, limit), {}).update(dict.fromkeys(keys, start))
    for n, ((per, cap_channels, limit), starts) in enumerate(by_cap.items()):
        field_name = "customer_id" if per == "customer" else "account_id"
        outer = "customer_id" if per == "customer" else "pk"
        window = counted.filter(channel__in=cap_channels).exclude(**{f"{field_name}__isnull": True})
        candidates = (window.filter(at__gte=min(starts.values())).order_by().values(field_name)
                      .annotate(n=Count("id")).filter(n__gte=limit).values(field_name))
        start_name = f"_cap_start_{n}"
        exact = Subquery(window.filter(**{field_name: OuterRef(outer)}, at__gte=OuterRef(start_name)).order_by()
                         .values(field_name).annotate(n=Count("id")).values("n")[:1])
        qs = _exclude_at_cap(qs, outer, candidates, start_name, starts, key_expr, exact, limit, n)
    if cooldown_keys:
        # A conversation about the debt on any call starts the cooldown, whatever the call was for.
        starts = {k: start for start, keys in cooldown_keys.items() for k in keys}
        talked = live.filter(is_conversation=True, at__lte=at, account__isnull=False)
        candidates = talked.filter(at__gte=min(starts.values())).values("account_id")
        qs = qs.alias(_cooldown_start=_KeyedValue(key_expr, starts, DateTimeField())).exclude(
            Q(pk__in=candidates)
            & Exists(talked.filter(account_id=OuterRef("pk"), at__gte=OuterRef("_cooldown_start"))))
    return qs


def _exclude_at_cap(qs, outer, candidates, start_name, starts, key_expr, exact, limit, n):
    count_name = f"_cap_n_{n}"
    qs = qs.alias(**{start_name: _KeyedValue(key_expr, starts, DateTimeField())})
    qs = qs.alias(**{count_name: Coalesce(exact, 0)})
    return qs.exclude(Q(**{f"{outer}__in": candidates}) & Q(**{f"{start_name}__isnull": False})
                      & Q(**{f"{count_name}__gte": limit}))


class _FlatConcat(Func):
    """``COALESCE(a, '') || COALESCE(b, '') || ...`` as one flat chain (Django's Concat nests pairs, which
    overflows SQLite's parser stack once the key is used inside a correlated subquery)."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()

    def __init__(self, *expressions):
        super().__init__(*(Coalesce(e, Value(""), output_field=TextField()) for e in expressions))


class _KeyedCondition(Expression):
    """``CASE (CASE key WHEN k THEN class ... END) WHEN class THEN condition ... ELSE FALSE END``: true
    when the row's key belongs to a class whose condition holds. Simple CASE evaluates its operand once."""

    conditional = True

    def __init__(self, key, branches: list[tuple[list[str], Q]]):
        super().__init__(output_field=BooleanField())
        self.key, self.branches = key, branches
        self.conditions = [cond for _keys, cond in branches]

    def get_source_expressions(self):
        return [self.key, *self.conditions]

    def set_source_expressions(self, exprs):
        self.key, *self.conditions = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        c = self.copy()
        c.key = self.key.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        c.conditions = [cond.resolve_expression(query, allow_joins, reuse, summarize, for_save)
                        for cond in self.conditions]
        return c

    def as_sql(self, compiler, connection):
        if not self.branches:
            return "1 = 0", []
        key_sql, params = compiler.compile(self.key)
        params = list(params)
        inner, outer, outer_params = [], [], []
        for n, ((keys, _), cond) in enumerate(zip(self.branches, self.conditions, strict=True)):
            for k in keys:
                inner.append(f"WHEN %s THEN {n}")
                params.append(k)
            try:
                cond_sql, cond_params = compiler.compile(cond)
            except FullResultSet:
                cond_sql, cond_params = "1 = 1", []
            except EmptyResultSet:
                cond_sql, cond_params = "1 = 0", []
            outer.append(f"WHEN {n} THEN ({cond_sql or '1 = 1'})")
            outer_params += cond_params
        sql = f"(CASE (CASE {key_sql} {' '.join(inner)} ELSE -1 END) {' '.join(outer)} ELSE 1 = 0 END)"
        return sql, [*params, *outer_params]


class _KeyedValue(Expression):
    """``CASE key WHEN k1 THEN v1 ... END``: the simple CASE form evaluates the (costly) key once per row."""

    def __init__(self, key, mapping: dict, output_field):
        super().__init__(output_field=output_field)
        self.key, self.mapping = key, mapping

    def get_source_expressions(self):
        return [self.key]

    def set_source_expressions(self, exprs):
        (self.key,) = exprs

    def as_sql(self, compiler, connection):
        key_sql, params = compiler.compile(self.key)
        params, parts = list(params), []
        for k, v in self.mapping.items():
            k_sql, k_params = compiler.compile(Value(k, output_field=TextField()))
            v_sql, v_params = compiler.compile(Value(v, output_field=self.output_field))
            parts.append(f"WHEN {k_sql} THEN {v_sql}")
            params += [*k_params, *v_params]
        return f"CASE {key_sql} {' '.join(parts)} ELSE NULL END", params
