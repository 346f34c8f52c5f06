"""The portal's standard words: rights per jurisdiction, FAQ and budgeting tips (used when a creditor
has not written its own), and plain, translated messages for the errors services raise in English.
Rights follow compliance-reference.md: US validation notice basics (12 CFR 1006.34, 1006.38), UK CONC 7
and the Consumer Duty, Nigeria's CBN consumer-protection rules and the FCCPC."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RIGHTS = {
    "US": [
        _("You have the right to dispute this debt, or any part of it. If you tell us within 30 days of "
          "receiving our validation notice, we stop collecting until we send you proof of the debt."),
        _("You can ask for the name and address of the original creditor."),
        _("If you do not dispute within that time, we will assume the debt is valid — but you can still tell "
          "us about a problem at any time."),
        _("You can tell us when and how not to contact you, and you can stop texts or emails at any time."),
        _("Learn more about your rights at www.cfpb.gov/debt-collection."),
    ],
    "GB": [
        _("If you think this debt is wrong, tell us. We will pause and check before asking you to pay."),
        _("If you are struggling, we will work with you on an affordable plan. Free, confidential debt advice "
          "is available from MoneyHelper (moneyhelper.org.uk)."),
        _("You can ask for breathing space, which pauses interest, charges and contact for up to 60 days."),
        _("You can tell us how and when to contact you, and stop texts or emails at any time."),
    ],
    "NG": [
        _("If you think this debt is wrong, tell us. We will pause and check before asking you to pay."),
        _("We will never contact your family, friends or employer about this debt."),
        _("If you are not happy with how we treat you, you can complain to us, and then to the Federal "
          "Competition and Consumer Protection Commission (FCCPC)."),
        _("You can tell us how and when to contact you, and stop texts or emails at any time."),
    ],
    "": [
        _("If you think this debt is wrong, tell us. We will pause and check before asking you to pay."),
        _("You can tell us how and when to contact you, and stop texts or emails at any time."),
    ],
}


def rights_for(country: str) -> list:
    return RIGHTS.get((country or "").upper(), RIGHTS[""])


FAQ = [
    (_("Why am I being asked to pay?"),
     _("This page shows who you owe, what the amount is made of and since when. If something looks wrong, "
       "you can dispute it here.")),
    (_("Can I pay a little at a time?"),
     _("Yes. You can pay any part now, or set up a plan with dates and amounts that suit you.")),
    (_("What if I cannot pay right now?"),
     _("Tell us. Ask for a call back and a person will talk it through with you. We will not push you.")),
    (_("Is my card safe?"),
     _("Card payments are handled by a secure payment provider. We never see or keep your full card number.")),
]

TIPS = [
    _("Write down what comes in each month and what must go out first: rent, food, power and transport."),
    _("Pick a plan amount you can keep paying even in a hard month. A smaller amount you can keep is better."),
    _("Set your payment date just after you get paid."),
    _("If you owe more than one company, free debt advice can help you decide what to pay first."),
]

# Payments and compliance services speak English to the back office; the customer reads these instead.
ERRORS = {
    "amount_not_positive": _("Please enter an amount above zero."),
    "amount_above_balance": _("That is more than you owe. Please enter %(balance)s or less."),
    "amount_below_minimum": _("The smallest payment we can take is %(minimum)s."),
    "amount_precision": _("Please enter the amount like 2500 or 2500.50."),
    "currency_mismatch": _("Please enter the amount like 2500 or 2500.50."),
    "account_closed": _("This account is already closed. Nothing more is owed."),
    "gateway": _("The payment page could not be opened just now. Nothing was taken. Please try again soon."),
    "idempotency_key": _("This form is out of date. Please try again."),
    "plan_exists": _("You already have a plan. You can see it under “My plan”."),
    "outside_policy": _("That plan is outside what %(creditor)s can offer."),
    "terms_changed": _("Your balance changed while you were looking. Please check the new plan before you agree."),
    "stale": _("Your balance changed while you were looking. Please check the new plan before you agree."),
    "nothing_to_plan": _("There is nothing left to spread over a plan."),
    "too_many": _("That is more payments than the balance can be split into."),
    "schedule_incomplete": _("Please choose how often, when to start, and how many payments or how much each time."),
    "locked": _("Too many tries. For your safety, checking is paused for %(minutes)s minutes. Please try again later."),
    "mismatch": _("Those details do not match what we have. Please check and try again."),
    "bad_code": _("That code is not right or has expired. Please check it or ask for a new one."),
    "channel": _("We cannot send a code there."),
    "code_not_sent": _("We cannot send a code there right now. Please use your date of birth or postcode instead."),
    "code_limit": _("We have sent you enough codes for now. Please use the last one, or your date of birth or postcode."),
    "unknown_language": _("Sorry, that language is not available. You can choose English, Pidgin, French or Spanish."),
    "already_paid": _("That payment is already made."),
    "already_moved": _("You have already moved a date on this plan once. Please ask for a call if you need more help."),
    "not_later": _("Please choose a later date than the current one."),
    "too_far": _("A date can move by at most %(max_days)s days."),
    "overlaps_next": _("The new date must be before your next payment."),
    "too_long": _("That would make the plan longer than %(creditor)s allows."),
    "bad_state": _("This plan is no longer active."),
    "not_found": _("We could not find that payment on your plan."),
    "choice": _("Please choose from the list."),
    "dispute": _("We could not record the dispute. Please check the form or ask for a call."),
}

# Plain reasons from payments.schedule.check_schedule, in the customer's language.
PLAN_REASONS = {
    "Some instalments are below the smallest amount this creditor accepts.":
        _("Each payment must be at least %(minimum)s."),
    "The plan runs longer than this creditor allows.": _("The plan would run longer than %(months)s months."),
    "The first payment date is in the past.": _("The first payment date is in the past."),
    "That is more than this creditor allows to be deferred.": _("Part of the balance cannot be left for later."),
    "Every instalment must be more than zero.": _("Every payment must be more than zero."),
}


def error_message(code: str, **values) -> str:
    template = ERRORS.get(code) or ERRORS["dispute"]
    text = str(template)
    return text % values if values and "%(" in text else text
