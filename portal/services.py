"""Writes for the customer portal. Every action is audited (``portal.*`` events, actor = the inactive
``portal`` user, with the account) in the same transaction; money, plans, disputes, consent and contact
preferences go through the payments and compliance services, never around them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.choices import Channel, Language
from accounts.models import Account
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance import services as compliance_services
from compliance.audit import audit_record
from compliance.choices import ConsentSource, DisputeSource
from payments import services as payment_services
from payments.choices import AcceptanceChannel, Frequency
from payments.models import Instalment, InstalmentPlan

from . import conf
from .choices import SessionEnd, VerificationMethod
from .models import PortalSession

PORTAL_USERNAME = "portal"
_actor_id: int | None = None


def portal_actor():
    """The inactive user every portal action is attributed to (the customer is not a back-office user);
    the audit event's account says whose portal it was."""
    global _actor_id
    User = get_user_model()
    if _actor_id is not None:
        user = User.objects.filter(pk=_actor_id, username=PORTAL_USERNAME).first()
        if user is not None:
            return user
    user, _ = User.objects.get_or_create(
        username=PORTAL_USERNAME,
        defaults={"is_active": False, "first_name": "Customer portal", "last_name": "(self-service)"},
    )
    _actor_id = user.pk
    return user


def _audit(session: PortalSession, action: str, payload: dict | None = None, obj=None):
    return audit_record(actor=portal_actor(), action=action, obj=obj or session, account=session.account,
                        payload={"portal_session": session.pk, **(payload or {})})


# ---- sessions -------------------------------------------------------------------------------------


@transaction.atomic
def portal_session_open(*, account: Account, pay_link=None) -> PortalSession:
    """Open a portal session on one account (the pay link was already resolved by the caller, which
    refuses unknown, forged, expired and revoked codes)."""
    now = timezone.now()
    session = PortalSession(account=account, pay_link_id=getattr(pay_link, "pk", None), opened_at=now,
                            last_seen_at=now)
    session.full_clean()
    session.save()
    if pay_link is not None:
        from outreach.services import pay_link_mark_used

        pay_link_mark_used(pay_link=pay_link, at=now)
    _audit(session, "portal.session_opened", {"pay_link": session.pay_link_id})
    return session


@transaction.atomic
def portal_link_rejected(*, problem: str) -> None:
    """An unknown, forged, expired or used code was tried: recorded without the code or any account."""
    audit_record(actor=portal_actor(), action="portal.link_rejected", payload={"problem": problem})


def portal_session_expired(session: PortalSession, now=None) -> bool:
    now = now or timezone.now()
    if session.ended_at is not None:
        return True
    if now - session.last_seen_at > timedelta(minutes=conf.idle_minutes()):
        return True
    return now - session.opened_at > timedelta(hours=conf.max_hours())


def portal_session_touch(session: PortalSession) -> None:
    """Keep an active session alive. Written at most once a minute: a page view is not worth a write."""
    now = timezone.now()
    if now - session.last_seen_at > timedelta(seconds=60):
        PortalSession.objects.filter(pk=session.pk).update(last_seen_at=now)
        session.last_seen_at = now


@transaction.atomic
def portal_session_end(*, session: PortalSession, reason: str = SessionEnd.LEFT) -> PortalSession:
    if session.ended_at is None:
        session.ended_at, session.end_reason = timezone.now(), reason
        session.save(update_fields=["ended_at", "end_reason"])
        _audit(session, "portal.session_ended", {"reason": reason})
    return session


@transaction.atomic
def audit_details_viewed(*, session: PortalSession) -> None:
    """The full account details were shown (once per session is enough for the record)."""
    _audit(session, "portal.details_viewed")


# ---- verification ---------------------------------------------------------------------------------


def _ip_key(ip: str | None) -> str:
    digest = hashlib.sha256((ip or "unknown").encode()).hexdigest()[:24]
    return f"portal:fail:ip:{digest}"


def _link_key(session: PortalSession) -> str:
    if session.pay_link_id:
        return f"portal:fail:link:{session.pay_link_id}"
    return f"portal:fail:account:{session.account_id}"


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str) -> int:
    timeout = conf.lockout_minutes() * 60
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def portal_verification_locked(*, session: PortalSession, ip: str | None) -> bool:
    """Too many failed checks on this link (or from this address) in the lockout window."""
    return (_count(_link_key(session)) >= conf.max_failures_per_link()
            or _count(_ip_key(ip)) >= conf.max_failures_per_ip())


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _norm_postcode(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _last4(reference: str) -> str:
    return "".join(ch for ch in reference.upper() if ch.isalnum())[-4:]


def _locked_error():
    return ApplicationError("Too many tries. Please wait and try again later.", {"code": "locked"})


def _failed(session: PortalSession, ip: str | None, method: str) -> None:
    link, by_ip = _bump(_link_key(session)), _bump(_ip_key(ip))
    with transaction.atomic():
        PortalSession.objects.filter(pk=session.pk).update(failed_checks=session.failed_checks + 1)
        session.failed_checks += 1
        locked = link >= conf.max_failures_per_link() or by_ip >= conf.max_failures_per_ip()
        _audit(session, "portal.verify_failed", {"method": method, "locked": locked})


@transaction.atomic
def _verified(session: PortalSession, method: str) -> PortalSession:
    session.verified_at, session.verified_method = timezone.now(), method
    session.code_hash, session.code_expires_at = "", None
    session.full_clean()
    session.save(update_fields=["verified_at", "verified_method", "code_hash", "code_expires_at"])
    _audit(session, "portal.verified", {"method": method})
    return session


def portal_verify(*, session: PortalSession, ip: str | None, method: str, date_of_birth: date | None = None,
                  postcode: str = "", reference_last4: str = "") -> PortalSession:
    """Light verification: date of birth or postcode, plus the last four characters of the account
    reference. Wrong answers count against the link and the address; after too many the check is locked
    for ``PORTAL_LOCKOUT_MINUTES`` (nothing tells which part was wrong)."""
    if portal_verification_locked(session=session, ip=ip):
        with transaction.atomic():
            _audit(session, "portal.verify_locked", {"method": method})
        raise _locked_error()
    customer = session.account.customer
    ok_ref = _same(_last4(reference_last4 or ""), _last4(session.account.reference))
    if method == VerificationMethod.DATE_OF_BIRTH:
        ok_fact = customer.date_of_birth is not None and date_of_birth == customer.date_of_birth
    elif method == VerificationMethod.POSTCODE:
        ok_fact = _same(_norm_postcode(postcode), _norm_postcode(customer.postal_code))
    else:
        raise ApplicationError("Unknown way to check.", {"code": "method"})
    if not (ok_ref and ok_fact):
        _failed(session, ip, method)
        if portal_verification_locked(session=session, ip=ip):
            raise _locked_error()
        raise ApplicationError("Those details do not match what we have.", {"code": "mismatch"})
    return _verified(session, method)


def _code_digest(session: PortalSession, code: str) -> str:
    return hashlib.sha256(f"{session.pk}:{session.opened_at.isoformat()}:{code}".encode()).hexdigest()


def portal_code_channels(session: PortalSession) -> list[str]:
    """Where a one-time code can go: the customer's email and mobile number on file."""
    customer = session.account.customer
    return [ch for ch, present in ((Channel.EMAIL, customer.email), (Channel.SMS, customer.phone)) if present]


@transaction.atomic
def portal_code_issue(*, session: PortalSession, channel: str) -> str:
    """Make a new six-digit code for this session (replacing any earlier one) and return it for sending."""
    if channel not in portal_code_channels(session):
        raise ApplicationError("We have no address for that.", {"code": "channel"})
    code = f"{secrets.randbelow(10**6):06d}"
    session.code_hash = _code_digest(session, code)
    session.code_expires_at = timezone.now() + timedelta(minutes=conf.code_minutes())
    session.code_channel = channel
    session.save(update_fields=["code_hash", "code_expires_at", "code_channel"])
    _audit(session, "portal.code_issued", {"channel": channel})
    return code


MAX_CODES_PER_SESSION = 3  # so the portal cannot be used to flood a customer's phone or inbox


def portal_code_send(*, session: PortalSession, channel: str, at: datetime | None = None):
    """Issue a one-time code and send it to the customer's own email or phone, through the contact gate
    (purpose ``verification_code``, transactional). Raises ``ApplicationError`` (code ``code_not_sent``)
    when the gate holds it back, e.g. the customer opted out of that channel; the visitor can still use
    their date of birth or postcode. At most three codes per portal session."""
    from outreach.choices import MessageSource, MessageStatus
    from outreach.services import message_queue

    sends = _bump(f"portal:code-sends:{session.pk}")
    if sends > MAX_CODES_PER_SESSION:
        raise ApplicationError("We have sent enough codes for now.", {"code": "code_limit"})
    code = portal_code_issue(session=session, channel=channel)
    account = session.account
    message = message_queue(
        customer=account.customer, account=account, channel=channel, purpose="verification_code",
        actor=portal_actor(), source=MessageSource.SYSTEM, extra_context={"verification_code": code}, at=at,
    )
    if message.status == MessageStatus.BLOCKED:
        with transaction.atomic():
            session.code_hash, session.code_expires_at = "", None
            session.save(update_fields=["code_hash", "code_expires_at"])
            _audit(session, "portal.code_not_sent", {"channel": channel, "reasons": message.status_reason})
        raise ApplicationError("We cannot send a code there right now.", {"code": "code_not_sent"})
    return message


def portal_code_check(*, session: PortalSession, ip: str | None, code: str) -> PortalSession:
    """Check a one-time code; failures count like any other failed check."""
    if portal_verification_locked(session=session, ip=ip):
        with transaction.atomic():
            _audit(session, "portal.verify_locked", {"method": VerificationMethod.ONE_TIME_CODE})
        raise _locked_error()
    fresh = session.code_hash and session.code_expires_at and session.code_expires_at > timezone.now()
    if not (fresh and _same(_code_digest(session, (code or "").strip()), session.code_hash)):
        _failed(session, ip, VerificationMethod.ONE_TIME_CODE)
        if portal_verification_locked(session=session, ip=ip):
            raise _locked_error()
        raise ApplicationError("That code is not right or has expired.", {"code": "bad_code"})
    return _verified(session, VerificationMethod.ONE_TIME_CODE)


# ---- language -------------------------------------------------------------------------------------


@transaction.atomic
def portal_language_choose(*, session: PortalSession, language: str) -> str:
    if language not in Language.values:
        raise ApplicationError("We do not have that language yet.", {"code": "unknown_language"})
    _audit(session, "portal.language_chosen", {"language": language})
    return language


# ---- paying ---------------------------------------------------------------------------------------


@transaction.atomic
def portal_payment_start(*, session: PortalSession, amount: Decimal, idempotency_key: str, return_path: str):
    """Open (or find again, on a double submit) the checkout for ``amount``."""
    checkout = payment_services.checkout_start(
        actor=portal_actor(), account=session.account, amount=amount, idempotency_key=f"portal:{idempotency_key}",
        return_path=return_path,
    )
    _audit(session, "portal.payment_started", {"amount": str(amount), "checkout": checkout.provider_session_id})
    return checkout


# ---- plans ----------------------------------------------------------------------------------------


def terms_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def portal_plan_accept(*, session: PortalSession, frequency: str, items: list[tuple[date, Decimal]],
                       language: str, shown_terms_digest: str, ip: str | None) -> InstalmentPlan:
    """Create the plan the customer built and accept it at once, with the exact terms they were shown
    (if the terms would differ — the balance moved meanwhile — nothing is stored)."""
    actor = portal_actor()
    plan = payment_services.plan_create(actor=actor, account=session.account, frequency=frequency, items=items,
                                        language=language)
    if terms_digest(plan.terms_text) != shown_terms_digest:
        raise ApplicationError("The plan changed since you looked at it.", {"code": "terms_changed"})
    plan = payment_services.plan_accept(actor=actor, plan=plan, channel=AcceptanceChannel.PORTAL, ip=ip)
    _audit(session, "portal.plan_accepted", {"plan": plan.pk, "instalments": len(items)}, obj=plan)
    return plan


@transaction.atomic
def portal_instalment_move(*, session: PortalSession, instalment: Instalment, new_date: date,
                           max_days: int) -> Instalment:
    if instalment.plan.account_id != session.account_id:
        raise ApplicationError("That payment is not on this account.", {"code": "not_found"})
    inst = payment_services.instalment_move_date(actor=portal_actor(), instalment=instalment, new_date=new_date,
                                                 max_days=max_days, channel=AcceptanceChannel.PORTAL)
    _audit(session, "portal.instalment_moved", {"instalment": inst.seq}, obj=inst.plan)
    return inst


# ---- disputes -------------------------------------------------------------------------------------


def portal_dispute_open(*, session: PortalSession, reason: str, description: str, files=()):
    """The customer disputes the debt: compliance opens it with its hold (collection pauses at once)."""
    dispute = compliance_services.dispute_open(
        account=session.account, reason=reason, description=description, source=DisputeSource.PORTAL,
        actor=portal_actor(), files=files,
    )
    with transaction.atomic():
        _audit(session, "portal.dispute_opened", {"dispute": dispute.pk, "files": len(files)}, obj=dispute)
    return dispute


# ---- talk to a person ----------------------------------------------------------------------------

SLOT_START = {"morning": time(9), "afternoon": time(12), "evening": time(17)}


def portal_callback_request(*, session: PortalSession, day: date, slot: str, channel: str, note: str = ""):
    """The customer asks a person to get in touch: desk's callback request (routes the case to the
    callbacks queue), with the preferred moment in the customer's own time zone."""
    from accounts.choices import CallbackSource
    from accounts.services_routing import callback_request_create

    if slot not in SLOT_START:
        raise ApplicationError("Please choose from the list.", {"code": "choice"})
    account = session.account
    zone = ZoneInfo(account.customer.zones[0])
    preferred_at = datetime.combine(day, SLOT_START[slot], tzinfo=zone)
    with transaction.atomic():
        request = callback_request_create(case=account.case, preferred_at=preferred_at, channel=channel, note=note,
                                          source=CallbackSource.PORTAL, actor=portal_actor())
        _audit(session, "portal.callback_requested", {"callback": request.pk, "channel": channel, "slot": slot},
               obj=request)
    return request


# ---- preferences ----------------------------------------------------------------------------------


@transaction.atomic
def portal_preferences_save(*, session: PortalSession, preferred_channel: str, language: str,
                            hours_start, hours_end, opted_out: set[str], currently_opted_out: set[str]):
    """Save the customer's own wishes: channel and language on the customer, contact hours through
    ``contact_preference_set``, opt-outs (and opting back in) through consent records — effective at once."""
    actor = portal_actor()
    customer = session.account.customer
    if preferred_channel not in Channel.values or language not in Language.values:
        raise ApplicationError("Please choose from the list.", {"code": "choice"})
    changed = []
    if (customer.preferred_channel, customer.language) != (preferred_channel, language):
        changed = [f for f, old, new in (("preferred_channel", customer.preferred_channel, preferred_channel),
                                         ("language", customer.language, language)) if old != new]
        customer.preferred_channel, customer.language = preferred_channel, language
        save_tracked(customer, actor=actor, reason="Customer changed it in the portal")
    compliance_services.contact_preference_set(customer=customer, actor=actor, hours_start=hours_start,
                                               hours_end=hours_end, reason="customer, in the portal")
    for channel in sorted(opted_out - currently_opted_out):
        compliance_services.consent_revoke(customer=customer, channel=channel, source=ConsentSource.PORTAL,
                                           actor=actor, evidence="portal preferences")
    for channel in sorted(currently_opted_out - opted_out):
        compliance_services.consent_grant(customer=customer, channel=channel, source=ConsentSource.PORTAL,
                                          actor=actor, evidence="portal preferences")
    _audit(session, "portal.preferences_saved", {
        "fields": changed, "opted_out": sorted(opted_out - currently_opted_out),
        "opted_in": sorted(currently_opted_out - opted_out),
    })
    return customer


FREQUENCIES = (Frequency.WEEKLY, Frequency.FORTNIGHTLY, Frequency.MONTHLY)
