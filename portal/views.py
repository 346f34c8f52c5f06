"""Customer portal pages (/p/…). Thin: find the portal session, check it, validate a form, call one
service, render in the customer's language and the creditor's colours. No personal data in URLs."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Language
from collections_crm import money
from collections_crm.errors import ApplicationError
from payments import wording
from payments.choices import InstalmentStatus, PlanKind
from payments.models import Instalment
from payments.services import check_plan, plan_options, policy_for

from . import conf, content, selectors, services
from .branding import brand_palette
from .forms import (
    CallbackForm,
    CodeForm,
    CodeRequestForm,
    DisputeForm,
    LanguageForm,
    MoveDateForm,
    PayForm,
    PlanForm,
    PreferencesForm,
    VerifyForm,
)
from .security import portal_headers

SESSION_KEY, LANGUAGE_KEY = selectors.SESSION_KEY, selectors.LANGUAGE_KEY
SENSITIVE_PAGES = ("portal:details", "portal:plan", "portal:my-plan", "portal:dispute", "portal:preferences")
BAD_LINK_AUDIT_LIMIT = 20  # per address per lockout window; beyond it bad codes are not written to the chain


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _language_of(request, portal_session) -> str:
    chosen = request.session.get(LANGUAGE_KEY)
    if chosen in Language.values:
        return chosen
    return portal_session.account.customer.language if portal_session else settings.LANGUAGE_CODE


def _render(request, template, context=None, status=200):
    ps = getattr(request, "portal", None)
    base = {"portal": ps, "csp_nonce": getattr(request, "csp_nonce", "")}
    if ps is not None:
        creditor = ps.account.creditor
        base.update(account=ps.account, creditor=creditor, customer=ps.account.customer,
                    brand=brand_palette(creditor.brand_primary, creditor.brand_accent),
                    languages=[(code, _LANGUAGE_NAMES[code]) for code in Language.values],
                    current_path=request.path, callback_url=reverse("portal:callback"))
    base.update(context or {})
    return render(request, template, base, status=status)


_LANGUAGE_NAMES = {"en": "English", "pcm": "Naijá (Pidgin)", "fr": "Français", "es": "Español"}


def portal_page(*, sensitive=False, methods=("GET", "POST")):
    """Open the visitor's portal session (or show the 'session ended' page), switch to their language,
    and send sensitive pages through the light verification first."""

    def decorator(view):
        @wraps(view)
        @portal_headers
        def wrapped(request, *args, **kwargs):
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            ps = selectors.portal_session_get(request.session.get(SESSION_KEY))
            translation.activate(_language_of(request, ps))
            request.LANGUAGE_CODE = translation.get_language()
            if ps is None or services.portal_session_expired(ps):
                if ps is not None and ps.ended_at is None:
                    services.portal_session_end(session=ps, reason="expired")
                request.session.pop(SESSION_KEY, None)
                return _render(request, "portal/ended.html", status=403)
            services.portal_session_touch(ps)
            request.portal = ps
            if sensitive and not ps.is_verified:
                return redirect(f"{reverse('portal:verify')}?next={request.resolver_match.view_name}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# ---- entry ----------------------------------------------------------------------------------------


def _bad_link_allowed_to_audit(request) -> bool:
    key = services._ip_key(client_ip(request)).replace(":ip:", ":badlink:")
    return services._bump(key) <= BAD_LINK_AUDIT_LIMIT


def _resolve(code: str):
    from outreach.selectors import pay_link_resolve

    return pay_link_resolve(code)


@portal_headers
def entry(request, code: str):
    """/p/<code>: every bad code — unknown, forged, expired, used or revoked — gets the same page."""
    link = _resolve(code) if 4 <= len(code) <= 200 else None
    if link is None:
        if _bad_link_allowed_to_audit(request):
            services.portal_link_rejected(problem="unusable code")
        response = render(request, "portal/neutral.html", {"csp_nonce": request.csp_nonce}, status=404)
        # Django would log "Not Found: /p/<code>": a code is a key to someone's account, so keep it out of
        # the logs (the audit chain has the event, without the code).
        response._has_been_logged = True
        return response
    request.session.cycle_key()  # a fresh session id for every link opened: no fixation
    portal_session = services.portal_session_open(account=link.account, pay_link=link)
    request.session[SESSION_KEY] = portal_session.pk
    request.session.pop(LANGUAGE_KEY, None)
    return redirect("portal:overview")


# ---- overview and details -------------------------------------------------------------------------


def _overview_context(request):
    ps = request.portal
    account = ps.account
    lang = translation.get_language()
    psettings = selectors.portal_settings_for(account.creditor)
    return {
        "balance": money.format_money(account.balance, account.currency, lang),
        "rights": content.rights_for(account.creditor.country),
        "welcome": (psettings.welcome or {}).get(lang) or (psettings.welcome or {}).get("en", ""),
        "plan": selectors.active_plan_of(account),
        "dispute": selectors.open_dispute_of(account),
        "country": account.creditor.country,
    }


@portal_page(methods=("GET",))
def overview(request):
    return _render(request, "portal/overview.html", _overview_context(request))


@portal_page(sensitive=True, methods=("GET",))
def details(request):
    account = request.portal.account
    lang = translation.get_language()
    item = selectors.itemisation_of(account)
    fmt = lambda v: money.format_money(v, account.currency, lang)  # noqa: E731
    if not request.session.get("portal_details_seen"):
        services.audit_details_viewed(session=request.portal)
        request.session["portal_details_seen"] = True
    ctx = _overview_context(request)
    ctx.update(item={k: fmt(getattr(item, k)) for k in
                     ("principal", "interest", "fees", "credits", "placed", "paid_since", "balance")},
               has_credits=item.credits > 0)
    return _render(request, "portal/details.html", ctx)


# ---- verification ---------------------------------------------------------------------------------


def _next_page(request) -> str:
    name = request.POST.get("next") or request.GET.get("next") or "portal:details"
    return name if name in SENSITIVE_PAGES else "portal:details"


@portal_page()
def verify(request):
    ps = request.portal
    target = _next_page(request)
    if ps.is_verified:
        return redirect(target)
    form = VerifyForm(request.POST or None)
    error = None
    locked = services.portal_verification_locked(session=ps, ip=client_ip(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_verify(session=ps, ip=client_ip(request), method=form.cleaned_data["method"],
                                   date_of_birth=form.cleaned_data.get("date_of_birth"),
                                   postcode=form.cleaned_data.get("postcode") or "",
                                   reference_last4=form.cleaned_data["reference_last4"])
        except ApplicationError as exc:
            code = exc.extra.get("code", "mismatch")
            error = content.error_message(code, minutes=conf.lockout_minutes())
            locked = code == "locked"
        else:
            request.session.cycle_key()  # new session id once the visitor proved who they are
            return redirect(target)
    elif locked and request.method == "POST":
        error = content.error_message("locked", minutes=conf.lockout_minutes())
    if locked and not error:
        error = content.error_message("locked", minutes=conf.lockout_minutes())
    return _render(request, "portal/verify.html", {
        "form": form, "error": error, "next": target, "locked": locked,
    }, status=429 if locked else (400 if error or form.errors else 200))


@portal_page()
def verify_code(request):
    """The other way to confirm it is you: a six-digit code sent to the email or phone we have on file.
    POST ``send`` (with a channel) sends one through the contact gate; POST ``check`` checks it."""
    ps = request.portal
    target = _next_page(request)
    if ps.is_verified:
        return redirect(target)
    channels = services.portal_code_channels(ps)
    send_form = CodeRequestForm(request.POST if "send" in request.POST else None, channels=channels)
    code_form = CodeForm(request.POST if "check" in request.POST else None)
    error, sent_to = None, ps.code_channel if ps.code_hash else ""
    locked = services.portal_verification_locked(session=ps, ip=client_ip(request))
    if request.method == "POST" and not locked:
        try:
            if "send" in request.POST and send_form.is_valid():
                services.portal_code_send(session=ps, channel=send_form.cleaned_data["channel"])
                sent_to = send_form.cleaned_data["channel"]
            elif "check" in request.POST and code_form.is_valid():
                services.portal_code_check(session=ps, ip=client_ip(request), code=code_form.cleaned_data["code"])
                request.session.cycle_key()
                return redirect(target)
        except ApplicationError as exc:
            code = exc.extra.get("code", "bad_code")
            error = content.error_message(code, minutes=conf.lockout_minutes())
            locked = code == "locked"
    if locked and not error:
        error = content.error_message("locked", minutes=conf.lockout_minutes())
    failed = bool(error or send_form.errors or code_form.errors)
    return _render(request, "portal/verify_code.html", {
        "send_form": send_form, "code_form": code_form, "error": error, "next": target, "locked": locked,
        "sent_to": sent_to, "channels": channels,
    }, status=429 if locked else (400 if failed else 200))


# ---- language and leaving -------------------------------------------------------------------------


def _safe_back(path: str) -> str:
    return path if path.startswith("/p/") and "//" not in path and "\\" not in path else reverse("portal:overview")


@portal_page(methods=("POST",))
def language(request):
    form = LanguageForm(request.POST)
    back = _safe_back(request.POST.get("next") or "")
    code = form.data.get("language", "") if form.is_valid() else ""
    try:
        services.portal_language_choose(session=request.portal, language=code)
    except ApplicationError:
        messages.warning(request, content.error_message("unknown_language"))
        return redirect(back)
    request.session[LANGUAGE_KEY] = code
    return redirect(back)


@portal_headers
@require_POST
def leave(request):
    ps = selectors.portal_session_get(request.session.get(SESSION_KEY))
    lang = _language_of(request, ps)
    if ps is not None:
        services.portal_session_end(session=ps)
    request.session.flush()
    translation.activate(lang)
    return render(request, "portal/left.html", {"csp_nonce": request.csp_nonce})


# ---- paying ---------------------------------------------------------------------------------------


def _offsite_or_local(url: str) -> str:
    """The offline gateway's page lives on this site: send the customer there by path, so it works on any
    host name; Stripe's page is an absolute https URL."""
    site = settings.SITE_URL.rstrip("/")
    return url[len(site):] if url.startswith(site + "/") else url


@portal_page()
def pay(request):
    ps = request.portal
    account = ps.account
    lang = translation.get_language()
    if account.is_closed or account.balance <= 0:
        return _render(request, "portal/pay.html", {"closed": True})
    initial = {"token": secrets.token_urlsafe(24)}
    if request.GET.get("next_instalment"):
        next_inst = _next_instalment(selectors.active_plan_of(account))
        if next_inst is not None:
            initial.update(how_much=PayForm.PART, amount=str(next_inst.outstanding))
    form = PayForm(request.POST or None, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            checkout = services.portal_payment_start(
                session=ps, amount=form.cleaned_data["amount_value"], idempotency_key=form.cleaned_data["token"],
                return_path=reverse("portal:pay-done"),
            )
        except ApplicationError as exc:
            form.add_error(None, content.error_message(exc.extra.get("code", "gateway")))
        else:
            if checkout.status == "complete":
                return redirect(f"{reverse('portal:pay-done')}?session={checkout.provider_session_id}")
            return redirect(_offsite_or_local(checkout.url))
    minimum = min(selectors.min_payment_for(account.creditor), account.balance)
    return _render(request, "portal/pay.html", {
        "form": form, "balance": money.format_money(account.balance, account.currency, lang),
        "minimum": money.format_money(minimum, account.currency, lang), "currency": account.currency,
    }, status=400 if form.errors else 200)


@portal_page(methods=("GET",))
def pay_done(request):
    account = request.portal.account
    lang = translation.get_language()
    checkout = selectors.checkout_for(account, request.GET.get("session", ""))
    if checkout is None:
        return _render(request, "portal/pay_done.html", {"missing": True}, status=404)
    account.refresh_from_db(fields=["balance", "status"])
    payment = checkout.payment
    outcome = request.GET.get("status", "")
    state = "paid" if payment else ("cancelled" if outcome == "cancelled" else
                                    "failed" if outcome in ("decline", "error") or checkout.status == "failed"
                                    else "waiting")
    return _render(request, "portal/pay_done.html", {
        "state": state, "payment": payment, "checkout": checkout,
        "amount": money.format_money(checkout.amount, checkout.currency, lang),
        "balance": money.format_money(account.balance, account.currency, lang),
        "receipt": getattr(payment, "receipt", None) if payment else None,
    })


def _next_instalment(plan):
    if plan is None:
        return None
    for inst in plan.instalments.all():
        if inst.status != InstalmentStatus.PAID:
            return inst
    return None


# ---- plans ----------------------------------------------------------------------------------------


def _plan_reasons(account, reasons: list[str]) -> list[str]:
    lang = translation.get_language()
    out = []
    for reason in reasons:
        template = content.PLAN_REASONS.get(reason)
        if template is None:
            continue
        out.append(str(template) % {
            "minimum": money.format_money(account.creditor.min_instalment_amount, account.currency, lang),
            "months": account.creditor.max_plan_months,
        } if "%(" in str(template) else str(template))
    return out or [content.error_message("outside_policy", creditor=account.creditor.display_name)]


def _quick_options(account, lang):
    """The creditor's ready-made plans for this balance (cached a few minutes per account, balance, day and
    language: building them checks every candidate schedule against the policy)."""
    key = f"portal:options:{account.pk}:{account.balance}:{timezone.localdate()}:{lang}"
    options = cache.get(key)
    if options is None:
        options = _build_quick_options(account, lang)
        cache.set(key, options, 300)
    return options


def _build_quick_options(account, lang):
    options = []
    for option in plan_options(account=account, language=lang):
        if option.kind not in (PlanKind.STANDARD, PlanKind.SHORT):
            continue
        first = option.schedule[0]
        options.append({
            "frequency": option.frequency, "count": len(option.schedule), "first_date": first[0].isoformat(),
            "first_amount": money.format_money(first[1], account.currency, lang),
            "frequency_label": _frequency_label(option.frequency),
        })
    return options


def _frequency_label(frequency: str) -> str:
    return {"weekly": _("every week"), "fortnightly": _("every two weeks"), "monthly": _("every month")}.get(
        frequency, frequency)


@portal_page(sensitive=True)
def plan(request):
    ps = request.portal
    account = ps.account
    lang = translation.get_language()
    if selectors.active_plan_of(account) is not None:
        return redirect("portal:my-plan")
    if account.is_closed or account.balance <= 0:
        return _render(request, "portal/plan.html", {"closed": True})
    data = request.POST if request.method == "POST" else None
    default_start = timezone.localdate() + timedelta(days=7)
    form = PlanForm(data, account=account, initial={"frequency": "monthly", "first_date": default_start,
                                                    "how": "count", "count": 3})
    ctx = {"form": form, "balance": money.format_money(account.balance, account.currency, lang)}
    if request.method == "POST" and form.is_valid():
        items, frequency = form.cleaned_data["items"], form.cleaned_data["frequency"]
        reasons = check_plan(account=account, frequency=frequency, items=items)
        if reasons:
            ctx["problems"] = _plan_reasons(account, reasons)
        else:
            terms = wording.plan_terms(
                language=lang, creditor=account.creditor.display_name, reference=account.reference,
                currency=account.currency, schedule=items, deferred=0,
                grace_days=policy_for(account.creditor).grace_days,
            )
            if request.POST.get("action") == "accept":
                if not request.POST.get("agree"):
                    ctx["problems"] = [_("Please tick the box to say you agree to the terms.")]
                else:
                    try:
                        services.portal_plan_accept(session=ps, frequency=frequency, items=items, language=lang,
                                                    shown_terms_digest=request.POST.get("terms_digest", ""),
                                                    ip=client_ip(request))
                    except ApplicationError as exc:
                        code = exc.extra.get("code", "outside_policy")
                        ctx["problems"] = (_plan_reasons(account, exc.extra.get("reasons", []))
                                           if code == "outside_policy" else
                                           [content.error_message(code, creditor=account.creditor.display_name)])
                    else:
                        messages.success(request, _("Your plan is set up. Thank you!"))
                        return redirect("portal:my-plan")
            ctx.update(preview={
                "items": [(day, money.format_money(amount, account.currency, lang)) for day, amount in items],
                "count": len(items),
                "total": money.format_money(sum(a for _d, a in items), account.currency, lang),
                "terms": terms, "terms_digest": services.terms_digest(terms),
                "frequency_label": _frequency_label(frequency),
            })
    if "preview" not in ctx:
        ctx["options"] = _quick_options(account, lang)
    status = 400 if (form.errors or ctx.get("problems")) else 200
    return _render(request, "portal/plan.html", ctx, status=status)


@portal_page(sensitive=True)
def my_plan(request):
    ps = request.portal
    account = ps.account
    lang = translation.get_language()
    plan = selectors.active_plan_of(account)
    psettings = selectors.portal_settings_for(account.creditor)
    form = None
    if plan is not None and psettings.date_move_allowed:
        form = MoveDateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            inst = Instalment.objects.select_related("plan").filter(
                pk=form.cleaned_data["instalment"], plan__account=account).first()
            try:
                if inst is None:
                    raise ApplicationError("not found", {"code": "not_found"})
                services.portal_instalment_move(session=ps, instalment=inst, new_date=form.cleaned_data["new_date"],
                                                max_days=psettings.date_move_max_days)
            except ApplicationError as exc:
                form.add_error("new_date", content.error_message(
                    exc.extra.get("code", "bad_state"), max_days=psettings.date_move_max_days,
                    creditor=account.creditor.display_name))
            else:
                messages.success(request, _("Your payment date is moved."))
                return redirect("portal:my-plan")
    rows = []
    if plan is not None:
        for inst in plan.instalments.all():
            rows.append({"inst": inst, "amount": money.format_money(inst.amount, account.currency, lang),
                         "paid": inst.status == InstalmentStatus.PAID,
                         "outstanding": money.format_money(inst.outstanding, account.currency, lang)})
    next_inst = _next_instalment(plan)
    moved = plan is not None and Instalment.history.filter(plan_id=plan.pk, history_change_reason="Date moved").exists()
    return _render(request, "portal/my_plan.html", {
        "plan": plan, "rows": rows, "next_inst": next_inst, "move_form": form if not moved else None,
        "moved": moved, "max_days": psettings.date_move_max_days,
        "total": money.format_money(plan.total, account.currency, lang) if plan else "",
        "balance": money.format_money(account.balance, account.currency, lang),
    }, status=400 if form is not None and form.errors else 200)


# ---- dispute, callback, preferences, help -----------------------------------------------------------


@portal_page(sensitive=True)
def dispute(request):
    ps = request.portal
    account = ps.account
    current = selectors.open_dispute_of(account)
    form = DisputeForm(request.POST or None, request.FILES or None)
    error = None
    if current is None and request.method == "POST" and form.is_valid():
        files = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
        try:
            services.portal_dispute_open(session=ps, reason=form.cleaned_data["reason"],
                                         description=form.cleaned_data.get("description") or "", files=files)
        except ApplicationError as exc:
            error = (content.error_message("account_closed") if "closed" in exc.message
                     else content.error_message("dispute"))
        else:
            return redirect("portal:dispute")
    return _render(request, "portal/dispute.html", {"form": form, "current": current, "error": error},
                   status=400 if (form.errors or error) else 200)


@portal_page()
def callback(request):
    ps = request.portal
    account = ps.account
    case = getattr(account, "case", None)
    current = selectors.open_callback_of(case)
    form = CallbackForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid() and case is not None:
        data = form.cleaned_data
        try:
            services.portal_callback_request(session=ps, day=data["preferred_date"], slot=data["slot"],
                                             channel=data["channel"], note=data.get("note") or "")
        except ApplicationError as exc:
            error = content.error_message("account_closed" if exc.extra.get("code") == "closed" else "choice")
        else:
            messages.success(request, _("Thank you. A person will get in touch at the time you chose."))
            return redirect("portal:callback")
    return _render(request, "portal/callback.html", {
        "form": form, "current": current, "error": error, "has_case": case is not None,
        "current_day": (current.preferred_at.astimezone(ZoneInfo(account.customer.zones[0])).date()
                        if current and current.preferred_at else None),
    }, status=400 if (form.errors or error) else 200)


@portal_page(sensitive=True)
def preferences(request):
    ps = request.portal
    customer = ps.account.customer
    stopped = selectors.opted_out_channels(customer)
    start, end = selectors.contact_hours_of(customer)
    initial = {"preferred_channel": customer.preferred_channel, "language": customer.language,
               "hours_start": start, "hours_end": end, **{f"stop_{ch}": ch in stopped for ch in
                                                          selectors.OPT_OUT_CHANNELS}}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.portal_preferences_save(
                session=ps, preferred_channel=data["preferred_channel"], language=data["language"],
                hours_start=data.get("hours_start"), hours_end=data.get("hours_end"),
                opted_out=form.opted_out(), currently_opted_out=stopped,
            )
        except ApplicationError:
            form.add_error(None, content.error_message("choice"))
        else:
            request.session[LANGUAGE_KEY] = data["language"]
            translation.activate(data["language"])
            messages.success(request, _("Saved. We will follow your choices from now on."))
            return redirect("portal:preferences")
    return _render(request, "portal/preferences.html", {"form": form},
                   status=400 if form.errors else 200)


@portal_page(methods=("GET",))
def help_page(request):
    account = request.portal.account
    lang = translation.get_language()
    psettings = selectors.portal_settings_for(account.creditor)

    def pick(texts):
        if isinstance(texts, dict):
            return texts.get(lang) or texts.get("en") or ""
        return str(texts or "")

    faq = [(pick(e.get("q")), pick(e.get("a"))) for e in psettings.faq if isinstance(e, dict)] or content.FAQ
    tips = [pick(t) for t in psettings.budgeting_tips] or content.TIPS
    programmes = [{"name": pick(p.get("name")), "description": pick(p.get("description")),
                   "url": p.get("url", "") if str(p.get("url", "")).startswith("https://") else "",
                   "phone": p.get("phone", "")} for p in psettings.assistance_programmes if isinstance(p, dict)]
    return _render(request, "portal/help.html", {
        "faq": faq, "tips": tips, "programmes": programmes,
        "proof": selectors.social_proof_for(account.creditor, psettings),
    })


def reverse_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
