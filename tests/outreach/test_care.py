"""The care check (pure): every blocked category in every language, jargon, readability, disclosures."""

import pytest

from outreach.care import BLOCK, WARN, care_check, normalise
from outreach.care_phrases import BLOCKED

# One realistic offending sentence per category and language. Each must be caught.
SAMPLES = {
    "arrest_criminal": {
        "en": "Pay today or you will be arrested.",
        "pcm": "If you no pay, police go come carry you.",
        "fr": "Sans paiement, vous serez arrêté.",
        "es": "Si no paga, habrá una orden de arresto.",
    },
    "unlawful_threat": {
        "en": "We will seize your car today.",
        "pcm": "We go carry your car tomorrow.",
        "fr": "Nous allons saisir votre voiture.",
        "es": "Vamos a embargar su casa.",
    },
    "suit_threat": {
        "en": "We will take you to court.",
        "pcm": "We go drag you go court.",
        "fr": "Nous allons engager des poursuites judiciaires.",
        "es": "Iniciaremos una demanda judicial.",
    },
    "violence": {
        "en": "We know where you live.",
        "pcm": "We go deal with you.",
        "fr": "Vous le regretterez.",
        "es": "Sabemos dónde vive.",
    },
    "abusive": {
        "en": "Pay up, you deadbeat.",
        "pcm": "You be ole, mumu.",
        "fr": "Espèce de voleur.",
        "es": "Usted es un ladrón.",
    },
    "shaming": {
        "en": "We will tell your employer.",
        "pcm": "We go broadcast am give all your contacts.",
        "fr": "Nous allons prévenir votre famille.",
        "es": "Vamos a avisar a su jefe.",
    },
    "impersonation": {
        "en": "This is a FINAL COURT NOTICE from our legal department.",
        "pcm": "We be police, pay now.",
        "fr": "Un huissier passera chez vous.",
        "es": "Nuestros abogados tienen su caso.",
    },
    "misstatement": {
        "en": "The amount doubles tomorrow.",
        "pcm": "Di money go double next week.",
        "fr": "Vous n'avez aucun droit de contester.",
        "es": "No tiene derecho a disputar esta deuda.",
    },
    "overshadowing": {
        "en": "Ignore the notice and pay now.",
        "pcm": "No mind that letter, pay now or you go see.",
        "fr": "Ignorez la lettre et payez.",
        "es": "Ignore la carta y pague hoy.",
    },
    "false_urgency": {
        "en": "Last chance: borrow from friends if you must.",
        "pcm": "Go borrow money, pay sharp sharp.",
        "fr": "Dernière chance : empruntez à vos proches.",
        "es": "Última oportunidad: pida prestado a un amigo.",
    },
    "credit_reporting": {
        "en": "Your credit will be destroyed forever.",
        "pcm": "Nobody go ever borrow you money again.",
        "fr": "Votre crédit sera détruit.",
        "es": "Su crédito quedará destruido.",
    },
    "deceptive_prompt": {
        "en": "You missed a delivery, call us.",
        "pcm": "You don win! Call us.",
        "fr": "Votre colis vous attend, appelez-nous.",
        "es": "Tiene un paquete pendiente, llámenos.",
    },
}


def _check(body, *, language="en", channel="whatsapp", jurisdiction="NG", subject="", purpose=""):
    return care_check(
        body=body, subject=subject, channel=channel, language=language, jurisdiction=jurisdiction, purpose=purpose
    )


def test_every_reference_category_has_samples_in_every_language():
    assert set(SAMPLES) == {c.key for c in BLOCKED}
    for category in BLOCKED:
        assert set(category.patterns) == {"en", "pcm", "fr", "es"}
        assert set(SAMPLES[category.key]) == {"en", "pcm", "fr", "es"}


@pytest.mark.parametrize("language", ["en", "pcm", "fr", "es"])
@pytest.mark.parametrize("category", sorted(SAMPLES))
def test_blocked_category_is_caught(category, language):
    report = _check(SAMPLES[category][language] + " Pay here: {{ pay_link }}", language=language)
    caught = {f.category for f in report.findings if f.severity == BLOCK}
    assert category in caught, report.findings
    assert not report.passed


def test_accents_and_case_do_not_hide_a_phrase():
    assert not _check("LA POLICÍA irá a su casa.", language="es").passed
    assert not _check("la policia ira a su casa.", language="es").passed
    assert not _check("Vous serez ARRETE.", language="fr").passed


def test_finding_carries_the_line_and_the_phrase():
    report = _check("Hello {{ first_name }},\nThanks.\nWe will tell your boss.", language="en")
    finding = next(f for f in report.findings if f.category == "shaming")
    assert finding.line == 3
    assert finding.phrase == "tell your boss"
    assert finding.rule.startswith("12 CFR 1006.14(e)")


def test_variables_are_not_read_as_words():
    # A variable named like a blocked word must not trip the check; only prose is matched.
    report = _check("Hi {{ first_name }}. Pay here: {{ pay_link }}", language="en")
    assert report.passed


def test_kind_words_that_resemble_blocked_ones_pass():
    body = "Hi {{ first_name }}, we wanted to check in. We can help with a plan: {{ pay_link }}"
    report = _check(body, language="en", channel="sms")
    assert report.passed, report.findings


def test_jargon_is_flagged_with_a_plain_alternative():
    report = _check("Kindly remit the delinquent amount pursuant to your obligor terms. {{ pay_link }}")
    jargon = {f.phrase.lower(): f for f in report.findings if f.category == "jargon"}
    assert {"remit", "delinquent", "pursuant to", "obligor"} <= set(jargon)
    assert jargon["remit"].suggestion == "Try: pay"
    assert all(f.severity == WARN for f in jargon.values())
    assert report.passed  # jargon alone warns; it does not block


def test_readability_over_grade_six_blocks_english_sms_and_email():
    hard = (
        "Notwithstanding previous correspondence, the organisation respectfully requests immediate consideration "
        "of the accumulated obligations documented in accompanying statements. {{ pay_link }}"
    )
    for channel in ("sms", "email"):
        report = _check(hard, channel=channel)
        assert report.readability_grade > 6
        assert "readability" in {f.category for f in report.blocking}
    # Not a blocking rule for WhatsApp, but the grade is still reported.
    whatsapp = _check(hard, channel="whatsapp")
    assert whatsapp.readability_grade > 6 and whatsapp.passed


def test_simple_english_is_at_or_under_grade_six():
    report = _check("Hi {{ first_name }}. Your bill is due soon. You can pay here: {{ pay_link }}", channel="sms")
    assert report.readability_grade <= 6
    assert report.passed


def test_us_needs_the_opt_out_line_and_collector_disclosure():
    body = "Hi {{ first_name }}, a reminder. Pay here: {{ pay_link }}"
    us = _check(body, channel="sms", jurisdiction="US-MA")
    assert {"disclosure_opt_out", "disclosure_collector"} <= {f.category for f in us.blocking}
    assert _check(body, channel="sms", jurisdiction="NG").passed
    # A global template may go anywhere: it must meet the US rules too.
    assert not _check(body, channel="sms", jurisdiction="*").passed


def test_disclosures_by_variable_or_by_written_phrase():
    with_vars = "Hi. Pay here: {{ pay_link }} {{ collector_disclosure }} {{ opt_out }}"
    assert _check(with_vars, channel="email", jurisdiction="US").passed
    written = "Hola. Pague aquí: {{ pay_link }} Este mensaje es de un cobrador de deudas. Responda STOP para no recibir más."
    assert _check(written, channel="sms", language="es", jurisdiction="US").passed


def test_opt_out_confirmation_needs_no_disclosure_or_option():
    report = _check(
        "You will get no more texts from {{ creditor_name }}.", channel="sms", jurisdiction="US",
        purpose="opt_out_confirmation",
    )
    assert report.passed
    assert not report.findings


def test_no_help_or_option_is_a_warning():
    report = _check("Your account is overdue.", channel="whatsapp")
    assert [f.category for f in report.findings] == ["no_option"]
    assert report.findings[0].severity == WARN
    assert report.passed


def test_subject_is_checked_too():
    report = _check("Pay here: {{ pay_link }}", subject="FINAL WARNING", channel="email")
    finding = next(f for f in report.blocking if f.category == "false_urgency")
    assert finding.field == "subject" and finding.line == 1


def test_normalise_keeps_offsets():
    text = "Éste ÇA ñ"
    assert len(normalise(text)) == len(text)
    assert normalise(text) == "este ca n"
