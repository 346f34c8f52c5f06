"""Bad input in the portal: each gets a plain message in the customer's language, and nothing is charged,
stored or changed twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance.models import Dispute, Hold
from payments.models import CheckoutSession, InstalmentPlan
from portal.selectors import LANGUAGE_KEY

from .helpers import page_text

pytestmark = pytest.mark.django_db


def _speak(client, language):
    session = client.session
    session[LANGUAGE_KEY] = language
    session.save()


@pytest.mark.parametrize(("language", "amount", "expected"), [
    ("en", "0", "Please enter an amount above zero."),
    ("pcm", "0", "Abeg put amount wey pass zero."),
    ("fr", "0", "Veuillez saisir un montant supérieur à zéro."),
    ("es", "0", "Introduzca un importe mayor que cero."),
    ("en", "50000", "That is more than you owe."),
    ("pcm", "50000", "That one pass wetin you owe."),
    ("fr", "50000", "C&#x27;est plus que ce que vous devez."),
    ("es", "50000", "Eso es más de lo que debe."),
    ("en", "12.345", "Please enter the amount like 2500 or 2500.50."),
    ("en", "ten", "Please enter the amount like 2500 or 2500.50."),
    ("en", "", "Please enter an amount above zero."),
])
def test_wrong_amounts_get_a_plain_message_and_nothing_is_charged(portal_client, account, language, amount,
                                                                  expected):
    _speak(portal_client, language)
    response = portal_client.post(reverse("portal:pay"), {"how_much": "part", "amount": amount, "token": "t1"})
    assert response.status_code == 400
    assert expected in page_text(response)
    assert not CheckoutSession.objects.exists()


def test_amount_above_balance_names_the_balance(portal_client):
    response = portal_client.post(reverse("portal:pay"), {"how_much": "part", "amount": "42000.01", "token": "t"})
    assert "42,000.00 or less" in page_text(response)


def test_a_plan_outside_policy_is_refused_in_plain_words(verified_client, account):
    account.creditor.min_instalment_amount = Decimal("5000.00")
    account.creditor.save()
    first = (timezone.localdate() + timedelta(days=3)).isoformat()
    _speak(verified_client, "pcm")
    response = verified_client.post(reverse("portal:plan"), {
        "frequency": "monthly", "first_date": first, "how": "count", "count": 12, "action": "preview"})
    html = page_text(response)
    assert response.status_code == 400
    assert "We no fit set up that plan" in html and "Each payment must reach at least" in html
    # Forcing "accept" with the same out-of-policy inputs stores nothing either.
    response = verified_client.post(reverse("portal:plan"), {
        "frequency": "monthly", "first_date": first, "how": "count", "count": 12, "action": "accept", "agree": "1",
        "terms_digest": "forged"})
    assert response.status_code == 400
    assert not InstalmentPlan.objects.exists()


def test_a_plan_too_long_for_the_creditor(verified_client, account):
    first = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = verified_client.post(reverse("portal:plan"), {
        "frequency": "monthly", "first_date": first, "how": "count", "count": 20, "action": "preview"})
    assert response.status_code == 400 and "longer than 12 months" in page_text(response)


def test_a_plan_starting_in_the_past(verified_client):
    response = verified_client.post(reverse("portal:plan"), {
        "frequency": "monthly", "first_date": (timezone.localdate() - timedelta(days=1)).isoformat(), "how": "count",
        "count": 3, "action": "preview"})
    assert response.status_code == 400 and "The first payment date is in the past." in page_text(response)


def test_accept_with_stale_terms_stores_nothing(verified_client, account):
    first = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = verified_client.post(reverse("portal:plan"), {
        "frequency": "monthly", "first_date": first, "how": "count", "count": 3, "action": "accept", "agree": "1",
        "terms_digest": "0" * 64})
    assert response.status_code == 400 and "Your balance changed while you were looking" in page_text(response)
    assert not InstalmentPlan.objects.exists()


def _dispute(client, upload):
    return client.post(reverse("portal:dispute"), {"reason": "wrong_amount", "description": "", "evidence": upload})


def test_a_50_mb_upload_gets_a_plain_message_and_no_dispute(verified_client, account, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _speak(verified_client, "es")
    big = SimpleUploadedFile("statement.pdf", b"%PDF" + b"0" * (50 * 1024 * 1024), content_type="application/pdf")
    response = _dispute(verified_client, big)
    assert response.status_code == 400
    assert "Ese archivo es demasiado grande. Envíe un archivo de menos de 10 MB." in page_text(response)
    assert not Dispute.objects.exists() and not Hold.objects.exists()


@pytest.mark.parametrize(("name", "data"), [
    ("setup.exe", b"MZ\x90\x00 program"),
    ("invoice.pdf", b"MZ\x90\x00 a program named like a pdf"),
])
def test_non_documents_are_refused(verified_client, account, name, data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _speak(verified_client, "fr")
    response = _dispute(verified_client, SimpleUploadedFile(name, data))
    assert response.status_code == 400
    html = page_text(response)
    assert "Nous n&#x27;acceptons que des documents" in html or "ne correspond pas au type" in html
    assert not Dispute.objects.exists()


def test_a_dispute_without_a_reason(verified_client):
    response = verified_client.post(reverse("portal:dispute"), {"description": "hmm"})
    assert response.status_code == 400 and not Dispute.objects.exists()


def test_unknown_language_code_gets_a_plain_message_in_the_current_language(portal_client):
    _speak(portal_client, "pcm")
    response = portal_client.post(reverse("portal:language"), {"language": "xx", "next": "/p/help/"}, follow=True)
    html = page_text(response)
    assert "Sorry, we no get that language." in html
    assert response["Content-Language"] == "pcm"
    assert portal_client.session[LANGUAGE_KEY] == "pcm"


def test_switch_to_pidgin_turns_the_page_into_pidgin(portal_client):
    portal_client.post(reverse("portal:language"), {"language": "pcm", "next": "/p/"})
    html = page_text(portal_client.get(reverse("portal:overview")))
    assert "Wetin you owe" in html and 'lang="pcm"' in html and "Pay small small with plan" in html


def test_wrong_verification_answer_in_french(portal_client, account):
    _speak(portal_client, "fr")
    response = portal_client.post(reverse("portal:verify"), {
        "method": "dob", "date_of_birth": "2000-01-01", "reference_last4": "0000"})
    assert "Ces informations ne correspondent pas" in page_text(response)


def test_get_on_a_post_only_page_is_refused_cleanly(portal_client):
    assert portal_client.get(reverse("portal:language")).status_code == 405


def test_forms_without_csrf_are_refused(account):
    from django.test import Client

    from .conftest import open_portal

    strict = Client(enforce_csrf_checks=True)
    open_portal(strict, account)
    response = strict.post(reverse("portal:pay"), {"how_much": "all", "token": "t"})
    assert response.status_code == 403
    assert not CheckoutSession.objects.exists()
