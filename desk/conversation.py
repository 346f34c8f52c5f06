"""The guided conversation, pure: questions that help a customer tell us what is going on, and words that
keep the call kind. Chosen by why the case is with a person. Based on the FCA's guidance on treating
customers in financial difficulty fairly (FG21/1: listen, signpost, no pressure) and Reg F's ban on
harassment and false urgency (12 CFR 1006.14, 1006.18)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

OPENING = [
    _("Thank you for taking the time to talk with me."),
    _("I'm here to find something that works for you, not to pressure you."),
    _("Take your time; there's no rush."),
]

UNDERSTAND = [
    _("How are things for you at the moment?"),
    _("Has anything changed recently — work, health, family — that makes paying harder?"),
    _("What do you have coming in each month, and what has to go out first (rent, food, bills)?"),
    _("Is there a day in the month when paying is easiest for you?"),
    _("Would a smaller amount now, and more later, help?"),
    _("Is there anyone you'd like us to speak to on your behalf?"),
]

BY_REASON = {
    "dispute": [
        _("Can you tell me what you think is wrong with the amount or the account?"),
        _("Do you have anything that shows it — a receipt, a statement, a letter?"),
        _("While we look into it, we won't ask you to pay the part you dispute."),
    ],
    "vulnerability": [
        _("Is there anything that would make talking with us easier — a different time, a different way?"),
        _("Would it help to know about free debt advice? I can give you the details."),
        _("We can pause things for a while if you need breathing space."),
    ],
    "complaint": [
        _("I'm sorry this has been frustrating. Can you tell me what happened?"),
        _("What would put this right for you?"),
    ],
    "callback": [
        _("You asked us to call — what can I help with today?"),
    ],
    "broken_plan": [
        _("The last plan didn't work out — that happens. What got in the way?"),
        _("Would a smaller amount, or different dates, be easier to keep up with?"),
    ],
    "high_value": [
        _("It's a large amount; let's look at it in steps that you can manage."),
    ],
    "requested": [],
    "automated": [],
}

AVOID = [
    _("Don't say \"you must pay today\" or suggest anything bad will happen if they don't."),
    _("Don't mention credit scores, courts or arrest."),
    _("If they say they can't talk now, offer to call back at a time they choose."),
]


@dataclass(frozen=True)
class Guide:
    opening: list
    questions: list
    avoid: list


def guide_for(routing_reason: str) -> Guide:
    """What to ask and how to say it, for a case routed for ``routing_reason``."""
    return Guide(OPENING, [*BY_REASON.get(routing_reason, []), *UNDERSTAND], AVOID)
