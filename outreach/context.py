"""The real context a message template renders with: the documented variables
(``outreach.rendering.TEMPLATE_VARIABLES``) filled from the customer, the account, its plan, the
creditor's brand and the agent, as plain strings in the message's language."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from collections_crm.money import format_money

from .rendering import BUDGETING_TIPS, TEMPLATE_VARIABLES, date_text, disclosure_context

PLAN_FREQUENCY = {
    "en": {"weekly": "weekly", "fortnightly": "every two weeks", "monthly": "monthly",
           "custom": "on the dates you chose"},
    "pcm": {"weekly": "every week", "fortnightly": "every two weeks", "monthly": "every month",
            "custom": "for di dates wey you pick"},
    "fr": {"weekly": "chaque semaine", "fortnightly": "toutes les deux semaines", "monthly": "chaque mois",
           "custom": "aux dates choisies"},
    "es": {"weekly": "cada semana", "fortnightly": "cada dos semanas", "monthly": "cada mes",
           "custom": "en las fechas elegidas"},
}


def money_text(amount, currency: str, language: str, country: str = "") -> str:
    """Money as the customer reads it: the language's conventions in the creditor's country where CLDR
    knows that pair (en_NG → ₦12,500.00, en_US → $40.00), else the language's own."""
    from babel.numbers import format_currency

    base = {"pcm": "en"}.get(language, language)
    if country:
        locale = _locale(f"{base}_{country.upper()}")
        if locale is not None:
            try:
                return format_currency(amount, currency, locale=locale)
            except ValueError:
                pass
    return format_money(amount, currency, language)


@lru_cache(maxsize=64)
def _locale(tag: str):
    """CLDR's locale for ``tag`` (e.g. en_NG), or None when it knows no such pair."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return None


def _lang(language: str) -> str:
    return language if language in BUDGETING_TIPS else "en"


def agent_name_for(*, case=None, actor=None) -> str:
    """The name the customer knows: the case's assignee, else the human who sent it, else empty."""
    for user in (getattr(case, "assignee", None), actor):
        if user is None or not getattr(user, "is_active", False):
            continue
        profile = getattr(user, "agent_profile", None) if hasattr(user, "agent_profile") else None
        name = getattr(profile, "display_name", "") or user.first_name
        if name:
            return name
    return ""


_UNSET = object()


def active_plans_for(accounts) -> dict:
    """Each account's active plan (with its instalments), as ``plan_context`` would find it, for a batch
    of accounts in two queries: {account id: plan}; accounts without one are left out."""
    from payments.choices import PlanStatus
    from payments.models import InstalmentPlan

    plans: dict = {}
    ids = {account.pk for account in accounts}
    if ids:
        for plan in (InstalmentPlan.objects.filter(account_id__in=ids, status=PlanStatus.ACTIVE)
                     .order_by("account_id", "-created_at").prefetch_related("instalments")):
            plans.setdefault(plan.account_id, plan)
    return plans


def plan_context(*, account, language: str, plan=_UNSET) -> dict:
    """plan_* variables from the account's active plan (empty when there is none). ``plan``: the active
    plan already fetched (``active_plans_for``; None for none)."""
    from payments.choices import InstalmentStatus, PlanStatus

    if plan is _UNSET:
        plan = (account.plans.filter(status=PlanStatus.ACTIVE).order_by("-created_at")
                .prefetch_related("instalments").first())
    if plan is None:
        return {}
    lang = _lang(language)
    open_ones = [i for i in sorted(plan.instalments.all(), key=lambda i: i.seq)
                 if i.status in (InstalmentStatus.DUE, InstalmentStatus.PARTIAL, InstalmentStatus.MISSED)]
    if not open_ones:
        return {}
    nxt = open_ones[0]
    amount = money_text(nxt.amount - nxt.paid_amount, plan.currency, lang, account.creditor.country)
    freq = PLAN_FREQUENCY[lang].get(plan.frequency, "")
    return {
        "plan_summary": f"{len(open_ones)} × {amount}, {freq}".strip(", "),
        "plan_instalment_amount": amount,
        "plan_next_date": date_text(nxt.due_date, lang),
        "plan_instalments_left": str(len(open_ones)),
    }


def message_context(*, customer, account, channel: str, language: str, case=None, actor=None,
                    pay_link_url: str = "", extra: dict | None = None, plan=_UNSET) -> dict:
    """Every documented variable for one message. ``extra`` (e.g. payment_amount for a receipt,
    callback_time) fills or overrides documented names only; anything else is ignored. ``plan``: see
    ``plan_context``."""
    lang = _lang(language)
    creditor = account.creditor
    country = (creditor.country or "").upper() + (f"-{creditor.region}" if creditor.region else "")
    values = {
        "first_name": customer.first_name,
        "amount_due": money_text(account.balance, account.currency, lang, creditor.country),
        "due_date": date_text(account.due_date, lang),
        "pay_link": pay_link_url,
        "creditor_name": creditor.display_name,
        "support_phone": creditor.support_phone,
        "support_email": creditor.support_email,
        "faq_link": settings.OUTREACH_FAQ_URL,
        "agent_name": agent_name_for(case=case, actor=actor),
        "account_reference": "…" + account.reference[-4:],
        "budgeting_tip": BUDGETING_TIPS[lang],
        **plan_context(account=account, language=lang, plan=plan),
        **disclosure_context(channel=channel, language=lang, jurisdiction=country),
    }
    for key, value in (extra or {}).items():
        if key in TEMPLATE_VARIABLES:
            values[key] = "" if value is None else str(value)
    return values
