"""The inbound classifier (pure): each kind in each language, promise terms, unknown languages."""

from datetime import date

import pytest

from outreach.classify import classify, extract_promise

FRIDAY_BASE = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize("text,language,kind", [
    # opt-out (compliance keywords)
    ("STOP", "en", "opt_out"), ("Abeg stop am", "pcm", "opt_out"), ("ARRÊT", "fr", "opt_out"),
    ("baja por favor", "es", "opt_out"),
    # dispute
    ("This is not my debt", "en", "dispute"), ("I already paid this last month", "en", "dispute"),
    ("Dis one no be my debt o", "pcm", "dispute"), ("I don pay am since", "pcm", "dispute"),
    ("Ce n'est pas ma dette", "fr", "dispute"), ("J'ai déjà payé", "fr", "dispute"),
    ("No es mi deuda", "es", "dispute"), ("Ya pagué todo", "es", "dispute"),
    # complaint / distress
    ("Stop harassing me, I will complain", "en", "complaint"), ("I can't cope anymore", "en", "complaint"),
    ("Una dey harass me every day", "pcm", "complaint"), ("C'est du harcèlement", "fr", "complaint"),
    ("Dejen de acosarme", "es", "complaint"),
    # hardship
    ("I lost my job last week", "en", "hardship"), ("I can't afford it right now", "en", "hardship"),
    ("Abeg, I no get money now, dem sack me", "pcm", "hardship"), ("J'ai perdu mon emploi", "fr", "hardship"),
    ("Perdí mi trabajo y no tengo dinero", "es", "hardship"),
    # hardship wins over a promise in the same breath
    ("I lost my job but I can pay 20 on Friday", "en", "hardship"),
    # callback
    ("Please call me after 5", "en", "callback"), ("Abeg make una call me", "pcm", "callback"),
    ("Rappelez-moi svp", "fr", "callback"), ("Llámenme mañana por favor", "es", "callback"),
    # promise
    ("I'll pay 50 on Friday", "en", "promise"), ("I go pay 20k for 30th", "pcm", "promise"),
    ("Je vais payer 50 euros vendredi", "fr", "promise"), ("Voy a pagar 100 el 15 de diciembre", "es", "promise"),
    ("50 on friday", "en", "promise"),
    # question
    ("Why is the amount higher than last month?", "en", "question"), ("Wetin be dis charge?", "pcm", "question"),
    ("Pourquoi ce montant ?", "fr", "question"), ("¿Cuánto debo?", "es", "question"),
    ("How much is left", "en", "question"),
    # unknown: a language without a keyword set, or nothing we recognise
    ("Ẹ jọ̀ọ́, ẹ ṣeun", "yo", "unknown"), ("Mo ti gbọ", "yo", "unknown"), ("ok", "en", "unknown"), ("", "en", "unknown"),
])
def test_kinds(text, language, kind):
    assert classify(text, language=language, today=FRIDAY_BASE).kind == kind


@pytest.mark.parametrize("text,language,amount,when", [
    ("I'll pay 50 on Friday", "en", "50", date(2026, 11, 27)),
    ("I go pay 20k for 30th", "pcm", "20000", date(2026, 11, 30)),
    ("I go pay 20k for 5th", "pcm", "20000", date(2026, 12, 5)),  # the 5th has passed: next month
    ("I will pay ₦15,000 tomorrow", "en", "15000", date(2026, 11, 24)),
    ("I will pay $120.50 by December 3rd", "en", "120.50", date(2026, 12, 3)),
    ("I will pay 2.5k next week", "en", "2500", date(2026, 11, 30)),
    ("Je paierai 75,50 € le 2 décembre", "fr", "75.50", date(2026, 12, 2)),
    ("Je vais payer 20 000 demain", "fr", "20000", date(2026, 11, 24)),
    ("Voy a pagar 100 el 15 de diciembre", "es", "100", date(2026, 12, 15)),
    ("Pagaré 30 mil el viernes", "es", "30000", date(2026, 11, 27)),
    ("I will pay 40 on 05/12", "en", "40", date(2026, 12, 5)),
    ("I go pay 5000 month end", "pcm", "5000", date(2026, 11, 30)),
])
def test_promise_terms(text, language, amount, when):
    result = classify(text, language=language, today=FRIDAY_BASE)
    assert result.kind == "promise"
    assert result.extracted["amount"] == amount and result.extracted["date"] == when.isoformat()


def test_us_order_dates():
    assert extract_promise("I will pay 40 on 12/05", today=FRIDAY_BASE, day_first=False)["date"] == "2026-12-05"


def test_promise_without_amount_or_date_keeps_what_it_has():
    result = classify("I will pay soon", language="en", today=FRIDAY_BASE)
    assert result.kind == "promise" and result.extracted == {}
    assert classify("I will pay on Friday", language="en", today=FRIDAY_BASE).extracted == {"date": "2026-11-27"}


def test_other_kinds_are_kept_in_also():
    result = classify("This is not my debt, stop harassing me. Call me?", language="en", today=FRIDAY_BASE)
    assert result.kind == "dispute" and {"complaint", "callback", "question"} <= set(result.also)


def test_reply_in_another_known_language_is_still_read():
    # A French speaker on an English account: the other sets are tried too.
    assert classify("Je vais payer 20 demain", language="en", today=FRIDAY_BASE).kind == "promise"
