"""Plain-words texts in the customer's language (en, pcm, fr, es): plan and settlement terms, receipts.
These are the texts shown before acceptance and stored with it, so they are built from explicit
per-language sentences rather than the back office's UI language."""

from __future__ import annotations

from collections_crm.money import format_money

LANGUAGES = ("en", "pcm", "fr", "es")

_PLAN = {
    "en": {
        "intro": "You agree to pay {creditor} {total} for account {ref} in {count} payments:",
        "line": "- {amount} on {day}",
        "deferred": "{deferred} of the balance is set aside for now; we will agree how to handle it later.",
        "missed": "If a payment is late we will remind you first. If it is still unpaid {grace} days after "
                  "its date, the plan may end and we will get in touch to talk about what works for you.",
        "early": "You can pay more or pay early at any time, with no extra charge.",
        "help": "If things change, tell us — we can look at the plan again.",
    },
    "pcm": {
        "intro": "You gree to pay {creditor} {total} for account {ref} for {count} times:",
        "line": "- {amount} for {day}",
        "deferred": "We keep {deferred} of the balance aside for now; we go talk about am later.",
        "missed": "If payment late, we go remind you first. If e never pay {grace} days after the date, the "
                  "plan fit end and we go call you make we find wetin go work for you.",
        "early": "You fit pay more or pay early any time, no extra charge.",
        "help": "If anything change for you, tell us — we fit look the plan again.",
    },
    "fr": {
        "intro": "Vous acceptez de payer {total} à {creditor} pour le compte {ref} en {count} versements :",
        "line": "- {amount} le {day}",
        "deferred": "{deferred} du solde est mis de côté pour l'instant ; nous en reparlerons plus tard.",
        "missed": "Si un versement est en retard, nous vous le rappellerons d'abord. S'il n'est toujours pas "
                  "payé {grace} jours après sa date, le plan peut prendre fin et nous vous contacterons pour "
                  "trouver une solution qui vous convient.",
        "early": "Vous pouvez payer plus ou plus tôt à tout moment, sans frais.",
        "help": "Si votre situation change, dites-le-nous : nous pouvons revoir le plan.",
    },
    "es": {
        "intro": "Acepta pagar {total} a {creditor} por la cuenta {ref} en {count} pagos:",
        "line": "- {amount} el {day}",
        "deferred": "{deferred} del saldo queda aparte por ahora; lo acordaremos más adelante.",
        "missed": "Si un pago se retrasa, primero le avisaremos. Si sigue sin pagarse {grace} días después "
                  "de su fecha, el plan puede terminar y le contactaremos para buscar lo que le funcione.",
        "early": "Puede pagar más o antes en cualquier momento, sin coste adicional.",
        "help": "Si su situación cambia, díganoslo: podemos revisar el plan.",
    },
}

_SETTLEMENT = {
    "en": "{creditor} will accept {amount} instead of the full balance of {balance} for account {ref} if it "
          "is paid by {expires}. Once paid, the account is closed as settled (not paid in full). If it is "
          "not paid by then, this offer ends and the balance stays as it was.",
    "pcm": "{creditor} go collect {amount} instead of the full {balance} for account {ref} if you pay am "
           "before {expires}. Once you pay, we go close the account as settled (no be full payment). If you "
           "no pay before that day, the offer go end and the balance go remain as e be.",
    "fr": "{creditor} acceptera {amount} au lieu du solde total de {balance} pour le compte {ref} s'il est "
          "payé avant le {expires}. Une fois payé, le compte est clos comme réglé par transaction (et non "
          "payé en totalité). Sinon, l'offre prend fin et le solde reste inchangé.",
    "es": "{creditor} aceptará {amount} en lugar del saldo total de {balance} por la cuenta {ref} si se "
          "paga antes del {expires}. Una vez pagado, la cuenta se cierra como liquidada (no pagada en su "
          "totalidad). Si no se paga para entonces, la oferta termina y el saldo sigue igual.",
}

_RECEIPT = {
    "en": "Thank you. We received {amount} for account {ref} on {day}. Confirmation number: {number}. "
          "Balance now: {balance}.",
    "pcm": "Thank you. We don receive {amount} for account {ref} for {day}. Confirmation number: {number}. "
           "Balance remain: {balance}.",
    "fr": "Merci. Nous avons reçu {amount} pour le compte {ref} le {day}. Numéro de confirmation : {number}. "
          "Solde restant : {balance}.",
    "es": "Gracias. Recibimos {amount} para la cuenta {ref} el {day}. Número de confirmación: {number}. "
          "Saldo actual: {balance}.",
}


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "en"


def plan_terms(*, language, creditor, reference, currency, schedule, deferred, grace_days) -> str:
    """``schedule`` is a list of (date, Decimal)."""
    words = _PLAN[_lang(language)]
    fmt = lambda amount: format_money(amount, currency, _lang(language))  # noqa: E731
    total = sum((amount for _day, amount in schedule), start=0)
    lines = [words["intro"].format(creditor=creditor, total=fmt(total), ref=reference, count=len(schedule))]
    lines += [words["line"].format(amount=fmt(amount), day=day.isoformat()) for day, amount in schedule]
    if deferred:
        lines.append(words["deferred"].format(deferred=fmt(deferred)))
    lines += [words["missed"].format(grace=grace_days), words["early"], words["help"]]
    return "\n".join(lines)


def settlement_terms(*, language, creditor, reference, currency, amount, balance, expires) -> str:
    lang = _lang(language)
    return _SETTLEMENT[lang].format(
        creditor=creditor, ref=reference, amount=format_money(amount, currency, lang),
        balance=format_money(balance, currency, lang), expires=expires.isoformat(),
    )


def receipt_text(*, language, reference, currency, amount, balance, day, number) -> str:
    lang = _lang(language)
    return _RECEIPT[lang].format(
        amount=format_money(amount, currency, lang), balance=format_money(balance, currency, lang),
        ref=reference, day=day.isoformat(), number=number,
    )
