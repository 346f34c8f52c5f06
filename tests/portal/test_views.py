"""The portal pages through Django's test client: sessions, verification, paying, plans, disputes,
preferences, language, help, and the security headers on every response."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from compliance.models import AuditEvent, ConsentRecord, Dispute, Hold
from compliance.services import gate_decide
from payments.choices import PlanStatus
from payments.models import CheckoutSession, InstalmentPlan, Payment
from portal import services
from portal.models import PortalSession, PortalSettings
from portal.selectors import SESSION_KEY
from tests.accounts.factories import AccountFactory, CustomerFactory

from .conftest import open_portal
from .helpers import INLINE_SCRIPT, page_text, weekday_noon_lagos

pytestmark = pytest.mark.django_db

PAGES = ["overview", "details", "pay", "plan", "my-plan", "dispute", "callback", "preferences", "help", "verify"]


# ---- headers, sessions, verification --------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_a_strict_csp_and_no_inline_script(verified_client, name):
    response = verified_client.get(reverse(f"portal:{name}"), follow=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    assert not INLINE_SCRIPT.search(page_text(response))
    assert 'name="csrfmiddlewaretoken"' in page_text(response)  # every page has a form (language, leave)


def test_brand_colours_and_name_come_from_the_creditor(portal_client, account):
    creditor = account.creditor
    creditor.brand_primary, creditor.display_name = "#5b2a86", "Naija Mobile"
    creditor.save()
    html = page_text(portal_client.get(reverse("portal:overview")))
    assert "--portal-primary:#5b2a86" in html and "Naija Mobile" in html
    assert "Collections CRM" not in html  # never the back office's pages


def test_no_portal_session_gets_the_session_ended_page(client, db):
    response = client.get(reverse("portal:overview"))
    assert response.status_code == 403
    assert "Your session has ended" in page_text(response)


def test_idle_session_expires_and_is_closed(portal_client, account):
    ps = PortalSession.objects.get(account=account)
    PortalSession.objects.filter(pk=ps.pk).update(last_seen_at=timezone.now() - timedelta(minutes=31))
    response = portal_client.get(reverse("portal:overview"))
    assert response.status_code == 403
    ps.refresh_from_db()
    assert ps.end_reason == "expired"
    assert AuditEvent.objects.filter(action="portal.session_ended", account_id=account.pk).exists()


@pytest.mark.parametrize("name", ["details", "plan", "my-plan", "dispute", "preferences"])
def test_sensitive_pages_need_verification_first(portal_client, name):
    response = portal_client.get(reverse(f"portal:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:verify"))


def test_low_risk_pages_open_at_once_without_personal_details(portal_client, account):
    html = page_text(portal_client.get(reverse("portal:overview")))
    assert "42,000.00" in html
    assert account.reference not in html and account.reference[-4:] not in html  # the verification answer
    assert portal_client.get(reverse("portal:pay")).status_code == 200


def test_verification_by_date_of_birth_rotates_the_session(portal_client, account):
    old_key = portal_client.session.session_key
    response = portal_client.post(reverse("portal:verify"), {
        "method": "dob", "date_of_birth": "1988-04-12", "reference_last4": account.reference[-4:].lower(),
        "next": "portal:details",
    })
    assert response.status_code == 302 and response["Location"] == reverse("portal:details")
    assert portal_client.session.session_key != old_key
    details = page_text(portal_client.get(reverse("portal:details")))
    assert account.reference in details and "40,000.00" in details and "1,500.00" in details
    assert AuditEvent.objects.filter(action="portal.verified", account_id=account.pk).exists()
    assert AuditEvent.objects.filter(action="portal.details_viewed", account_id=account.pk).count() == 1


def test_verification_by_postcode(portal_client, account):
    response = portal_client.post(reverse("portal:verify"), {
        "method": "postcode", "postcode": " 100 001 ", "reference_last4": account.reference[-4:],
    })
    assert response.status_code == 302
    assert PortalSession.objects.get(account=account).verified_method == "postcode"


def test_wrong_answers_lock_the_link_after_five_tries(portal_client, account):
    wrong = {"method": "dob", "date_of_birth": "1990-01-01", "reference_last4": account.reference[-4:]}
    for _ in range(4):
        response = portal_client.post(reverse("portal:verify"), wrong)
        assert response.status_code == 400
        assert "do not match" in page_text(response)
    response = portal_client.post(reverse("portal:verify"), wrong)
    assert response.status_code == 429 and "Too many tries" in page_text(response)
    right = {**wrong, "date_of_birth": "1988-04-12"}
    response = portal_client.post(reverse("portal:verify"), right)
    assert response.status_code == 429
    assert not PortalSession.objects.get(account=account).is_verified
    assert AuditEvent.objects.filter(action="portal.verify_failed", account_id=account.pk).count() == 5
    assert AuditEvent.objects.filter(action="portal.verify_locked", account_id=account.pk).exists()


def test_one_address_is_locked_across_many_accounts(client, creditor, settings):
    settings.PORTAL_VERIFY_MAX_FAILURES_PER_IP = 3
    for _ in range(3):
        acc = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor))
        ps = open_portal(client, acc)
        client.post(reverse("portal:verify"), {"method": "postcode", "postcode": "X", "reference_last4": "ZZZZ"})
    assert services.portal_verification_locked(session=ps, ip="127.0.0.1")
    cache.clear()
    assert not services.portal_verification_locked(session=ps, ip="127.0.0.1")


def test_leaving_ends_the_session(portal_client, account):
    response = portal_client.post(reverse("portal:leave"))
    assert response.status_code == 200
    assert SESSION_KEY not in portal_client.session
    assert PortalSession.objects.get(account=account).end_reason == "left"
    assert portal_client.get(reverse("portal:overview")).status_code == 403


# ---- paying ---------------------------------------------------------------------------------------


def _pay(client, amount="", how="part", token="tok-1"):
    return client.post(reverse("portal:pay"), {"how_much": how, "amount": amount, "token": token})


def test_pay_part_then_see_the_confirmation_and_new_balance(portal_client, account,
                                                             django_capture_on_commit_callbacks):
    response = _pay(portal_client, "2,500")
    assert response.status_code == 302
    offline_page = response["Location"]
    assert offline_page.startswith("/pay/offline/") and "next=%2Fp%2Fpay%2Fdone%2F" in offline_page
    checkout = CheckoutSession.objects.get(account=account)
    assert checkout.amount == Decimal("2500.00")
    page = portal_client.get(offline_page)
    assert 'name="next" value="/p/pay/done/"' in page_text(page)
    with django_capture_on_commit_callbacks(execute=True):
        done = portal_client.post(offline_page, {"outcome": "succeed", "next": "/p/pay/done/"})
    assert done["Location"].startswith("/p/pay/done/?session=")
    html = page_text(portal_client.get(done["Location"]))
    payment = Payment.objects.get(account=account)
    assert payment.confirmation_number in html
    assert "39,500.00" in html and "Thank you" in html
    account.refresh_from_db()
    assert account.balance == Decimal("39500.00")
    assert AuditEvent.objects.filter(action="portal.payment_started", account_id=account.pk).exists()


def test_pay_everything(portal_client, account):
    response = _pay(portal_client, how="all")
    assert response.status_code == 302
    assert CheckoutSession.objects.get(account=account).amount == account.balance


def test_double_submitted_payment_form_opens_one_checkout(portal_client, account,
                                                          django_capture_on_commit_callbacks):
    first, second = _pay(portal_client, "1000", token="same"), _pay(portal_client, "1000", token="same")
    assert first["Location"] == second["Location"]
    assert CheckoutSession.objects.filter(account=account).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        portal_client.post(first["Location"], {"outcome": "succeed"})
    # A third submit after paying goes to the confirmation, never to a second charge.
    third = _pay(portal_client, "1000", token="same")
    assert third["Location"].startswith("/p/pay/done/")
    assert Payment.objects.filter(account=account).count() == 1


def test_someone_elses_checkout_is_not_shown(portal_client, account, creditor):
    other = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor))
    from payments.services import checkout_start

    checkout = checkout_start(actor=services.portal_actor(), account=other, amount=Decimal("10"), idempotency_key="x")
    response = portal_client.get(f"{reverse('portal:pay-done')}?session={checkout.provider_session_id}")
    assert response.status_code == 404


def test_failed_payment_says_nothing_was_taken(portal_client, account, django_capture_on_commit_callbacks):
    page = _pay(portal_client, "500")["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        done = portal_client.post(page, {"outcome": "decline", "next": "/p/pay/done/"})
    html = page_text(portal_client.get(done["Location"]))
    assert "did not go through" in html
    account.refresh_from_db()
    assert account.balance == Decimal("42000.00")


def test_pay_the_next_instalment_early_prefills_its_amount(verified_client, account):
    _accept_plan(verified_client, count=3)
    html = page_text(verified_client.get(reverse("portal:pay") + "?next_instalment=1"))
    assert 'value="14000.00"' in html


# ---- plans ----------------------------------------------------------------------------------------


def _plan_post(client, *, count=3, first=None, action="preview", **extra):
    first = first or (timezone.localdate() + timedelta(days=5)).isoformat()
    return client.post(reverse("portal:plan"), {"frequency": "monthly", "first_date": first, "how": "count",
                                                "count": count, "each": "", "action": action, **extra})


def _accept_plan(client, count=3):
    preview = _plan_post(client, count=count)
    digest = preview.context["preview"]["terms_digest"]
    return _plan_post(client, count=count, action="accept", agree="1", terms_digest=digest), preview


def test_plan_preview_shows_every_instalment_and_the_total(verified_client, account):
    response = _plan_post(verified_client, count=3)
    assert response.status_code == 200
    html = page_text(response)
    assert html.count("14,000.00") >= 3 and "42,000.00" in html
    assert "You agree to pay" in html  # the plain-words terms
    assert not InstalmentPlan.objects.filter(account=account).exists()  # nothing stored before "agree"


def test_accepting_stores_the_plan_with_text_time_channel_and_ip(verified_client, account):
    accepted, preview = _accept_plan(verified_client)
    assert accepted.status_code == 302 and accepted["Location"] == reverse("portal:my-plan")
    plan = InstalmentPlan.objects.get(account=account)
    assert plan.status == PlanStatus.ACTIVE and plan.accepted_channel == "portal"
    assert plan.accepted_ip == "127.0.0.1" and plan.accepted_at is not None
    assert plan.terms_text == preview.context["preview"]["terms"]
    assert plan.instalments.count() == 3
    my_plan = page_text(verified_client.get(reverse("portal:my-plan")))
    assert my_plan.count("14,000.00") >= 3


def test_accepting_needs_the_tick_box(verified_client, account):
    preview = _plan_post(verified_client)
    response = _plan_post(verified_client, action="accept", terms_digest=preview.context["preview"]["terms_digest"])
    assert response.status_code == 400 and "tick the box" in page_text(response)
    assert not InstalmentPlan.objects.exists()


def test_plan_by_amount_each_time(verified_client, account):
    first = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = verified_client.post(reverse("portal:plan"), {
        "frequency": "monthly", "first_date": first, "how": "each", "each": "10000", "action": "preview"})
    items = response.context["preview"]["items"]
    assert len(items) == 5 and items[-1][1] == "NGN\xa02,000.00" or items[-1][1].endswith("2,000.00")


def test_quick_options_come_from_the_creditors_policy(verified_client, account):
    options = verified_client.get(reverse("portal:plan")).context["options"]
    assert {o["count"] for o in options} >= {3, 6}


# ---- my plan: move a date once -------------------------------------------------------------------


def test_move_one_date_once(verified_client, account):
    _accept_plan(verified_client)
    plan = InstalmentPlan.objects.get(account=account)
    first = plan.instalments.order_by("seq").first()
    response = verified_client.post(reverse("portal:my-plan"), {
        "instalment": first.pk, "new_date": (first.due_date + timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.due_date == timezone.localdate() + timedelta(days=12)
    assert AuditEvent.objects.filter(action="plan.instalment_moved", account_id=account.pk).exists()
    again = verified_client.post(reverse("portal:my-plan"), {
        "instalment": first.pk, "new_date": (first.due_date + timedelta(days=2)).isoformat()})
    assert again.status_code == 400 and "already moved a date" in page_text(again)
    first.refresh_from_db()
    assert first.due_date == timezone.localdate() + timedelta(days=12)


def test_move_is_refused_beyond_the_creditors_limit(verified_client, account):
    PortalSettings.objects.create(creditor=account.creditor, date_move_max_days=5)
    cache.clear()
    _accept_plan(verified_client)
    first = InstalmentPlan.objects.get(account=account).instalments.order_by("seq").first()
    response = verified_client.post(reverse("portal:my-plan"), {
        "instalment": first.pk, "new_date": (first.due_date + timedelta(days=6)).isoformat()})
    assert response.status_code == 400 and "at most 5 days" in page_text(response)


# ---- dispute --------------------------------------------------------------------------------------


def test_dispute_opens_at_once_with_a_hold_and_stops_collection(verified_client, account, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    response = verified_client.post(reverse("portal:dispute"), {
        "reason": "already_paid", "description": "I paid in March.", "evidence": upload})
    assert response.status_code == 302
    dispute = Dispute.objects.get(account=account)
    assert dispute.source == "portal" and dispute.evidence.count() == 1
    assert Hold.objects.filter(account=account, kind="dispute", status="active").exists()
    html = page_text(verified_client.get(reverse("portal:dispute")))
    assert f"D-{dispute.pk}" in html and "paused reminders" in html
    decision = gate_decide(customer=account.customer, account=account, channel="sms", purpose="collection",
                           actor=services.portal_actor(), at=weekday_noon_lagos())
    assert not decision.allowed and "hold:dispute" in decision.reasons
    assert AuditEvent.objects.filter(action="portal.dispute_opened", account_id=account.pk).exists()


# ---- preferences ----------------------------------------------------------------------------------


def _prefs(client, **extra):
    data = {"preferred_channel": "sms", "language": "en", "hours_start": "", "hours_end": ""}
    data.update(extra)
    return client.post(reverse("portal:preferences"), data)


def test_opt_out_of_sms_blocks_sms_at_once(verified_client, account):
    assert _prefs(verified_client, stop_sms="on").status_code == 302
    record = ConsentRecord.objects.get(customer=account.customer, channel="sms")
    assert record.status == "revoked" and record.source == "portal"
    decision = gate_decide(customer=account.customer, account=account, channel="sms", purpose="collection",
                           actor=services.portal_actor(), at=weekday_noon_lagos())
    assert not decision.allowed and "opted_out" in decision.reasons
    assert 'name="stop_sms" class="checkboxinput form-check-input" id="id_stop_sms" checked' in page_text(
        verified_client.get(reverse("portal:preferences")))
    # Opting back in is the customer's choice too.
    _prefs(verified_client)
    assert ConsentRecord.objects.filter(customer=account.customer, channel="sms").order_by("-id")[0].status == "granted"


def test_contact_hours_and_language_are_saved(verified_client, account):
    assert _prefs(verified_client, hours_start="10:00", hours_end="18:00", language="fr",
                  preferred_channel="email").status_code == 302
    customer = account.customer
    customer.refresh_from_db()
    assert (customer.language, customer.preferred_channel) == ("fr", "email")
    assert customer.contact_preference.hours_start.hour == 10
    assert AuditEvent.objects.filter(action="preference.changed", customer_id=customer.pk).exists()


def test_half_given_hours_get_a_plain_message(verified_client, account):
    response = _prefs(verified_client, hours_start="10:00")
    assert response.status_code == 400 and "both times" in page_text(response)


# ---- language -------------------------------------------------------------------------------------


def test_switching_language_keeps_the_page(portal_client):
    response = portal_client.post(reverse("portal:language"), {"language": "fr", "next": "/p/help/"})
    assert response["Location"] == "/p/help/"
    assert portal_client.get("/p/help/")["Content-Language"] == "fr"


def test_language_switch_never_redirects_off_the_portal(portal_client):
    response = portal_client.post(reverse("portal:language"), {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:overview")


# ---- help -----------------------------------------------------------------------------------------


def _plans(account, status, n):
    from collections_crm.history import system_user

    user = system_user()
    for _ in range(n):
        InstalmentPlan.objects.create(account=account, status=status, frequency="monthly", total=Decimal("10"),
                                      currency=account.currency, terms_text="t", terms_language="en",
                                      proposed_by=user, accepted_at=timezone.now())


def test_social_proof_only_with_enough_real_plans(portal_client, account):
    _plans(account, PlanStatus.COMPLETED, 20)
    _plans(account, PlanStatus.BROKEN, 5)
    assert 'data-testid="social-proof"' not in page_text(portal_client.get(reverse("portal:help")))  # 25 < 30
    cache.clear()
    _plans(account, PlanStatus.COMPLETED, 10)
    html = page_text(portal_client.get(reverse("portal:help")))
    assert 'data-testid="social-proof"' in html and "86%" in html and "35" in html


def test_social_proof_hidden_when_most_plans_break(portal_client, account):
    _plans(account, PlanStatus.COMPLETED, 15)
    _plans(account, PlanStatus.BROKEN, 20)
    assert 'data-testid="social-proof"' not in page_text(portal_client.get(reverse("portal:help")))


def test_help_uses_the_creditors_own_programmes(portal_client, account):
    PortalSettings.objects.create(creditor=account.creditor, assistance_programmes=[
        {"name": {"en": "Lifeline tariff"}, "description": {"en": "A lower rate for low incomes."},
         "url": "https://example.com/lifeline", "phone": "+2342017001000"},
        {"name": {"en": "Bad link"}, "description": {"en": "x"}, "url": "javascript:alert(1)"},
    ])
    html = page_text(portal_client.get(reverse("portal:help")))
    assert "Lifeline tariff" in html and "https://example.com/lifeline" in html
    assert "javascript:" not in html


# ---- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "limit"), [("overview", 8), ("pay", 4), ("help", 8), ("plan", 9)])
def test_pages_use_a_handful_of_queries(verified_client, django_assert_max_num_queries, name, limit):
    verified_client.get(reverse(f"portal:{name}"))  # warm the per-creditor caches
    with django_assert_max_num_queries(limit):
        assert verified_client.get(reverse(f"portal:{name}")).status_code == 200


# ---- routing to people ----------------------------------------------------------------------------


def test_dispute_routes_the_case_to_the_human_dispute_queue(verified_client, account):
    verified_client.post(reverse("portal:dispute"), {"reason": "not_mine", "description": "Not my meter."})
    account.case.refresh_from_db()
    assert account.case.queue == "disputes"


def test_callback_request_goes_to_the_callbacks_queue(portal_client, account):
    from accounts.models import CallbackRequest

    day = timezone.localdate() + timedelta(days=2)
    response = portal_client.post(reverse("portal:callback"), {
        "preferred_date": day.isoformat(), "slot": "evening", "channel": "voice", "note": "After work please."})
    assert response.status_code == 302
    request = CallbackRequest.objects.get(case=account.case)
    assert request.source == "portal" and request.channel == "voice"
    assert request.preferred_at.astimezone(ZoneInfo("Africa/Lagos")).hour == 17
    account.case.refresh_from_db()
    assert account.case.queue == "callbacks"
    html = page_text(portal_client.get(reverse("portal:callback")))
    assert 'data-testid="callback-open"' in html
    assert AuditEvent.objects.filter(action="portal.callback_requested", account_id=account.pk).exists()


def test_callback_day_must_be_within_two_weeks(portal_client, account):
    from accounts.models import CallbackRequest

    response = portal_client.post(reverse("portal:callback"), {
        "preferred_date": (timezone.localdate() + timedelta(days=30)).isoformat(), "slot": "morning",
        "channel": "voice"})
    assert response.status_code == 400 and "next two weeks" in page_text(response)
    assert not CallbackRequest.objects.exists()
