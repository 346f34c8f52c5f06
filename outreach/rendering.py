"""Rendering message templates safely.

Templates use Django template syntax, but through their own sandboxed ``Engine``:

- no loaders (no ``{% include %}``/``{% extends %}`` of files), no ``{% load %}``, no libraries;
- only a vetted set of tags (``if``, ``for``, ``with``, ``firstof``, ``comment``) and text filters;
- a documented, flat context (``TEMPLATE_VARIABLES``) of plain strings: no model objects, so a
  template can never reach a method or a relation;
- autoescape off for the text (SMS, WhatsApp, the plain part of an email); the HTML part of an email
  is the rendered text escaped as a whole (authors write plain text, never HTML).

``validate_template`` rejects broken syntax and unknown variables with the line number;
``render_message`` renders and measures SMS length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.template import (
    Context,
    Engine,
    Library,
    Node,
    TemplateSyntaxError,
    Variable,
    defaultfilters,
    defaulttags,
)
from django.template.base import FilterExpression, VariableNode
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from .sms import sms_length

# The documented context: name → what it holds. Shown in the editor and in the API schema.
TEMPLATE_VARIABLES: dict[str, str] = {
    "first_name": _("The customer's first name."),
    "amount_due": _("What is due now, with the currency (e.g. ₦12,500.00)."),
    "due_date": _("When it is or was due, written out in the message's language."),
    "pay_link": _("The customer's personal, secure pay link."),
    "creditor_name": _("The creditor's brand name, as customers know it."),
    "support_phone": _("The creditor's support phone number."),
    "support_email": _("The creditor's support email address."),
    "faq_link": _("A link to plain-words answers to common questions."),
    "agent_name": _("The name of the agent who looks after the customer."),
    "account_reference": _("The account reference, shortened to its last 4 characters."),
    "plan_summary": _("The plan in one line (e.g. 6 payments of ₦2,000, monthly)."),
    "plan_instalment_amount": _("One instalment of the plan, with the currency."),
    "plan_next_date": _("When the next instalment is due."),
    "plan_instalments_left": _("How many instalments are left."),
    "payment_amount": _("The payment just received, with the currency."),
    "payment_date": _("When the payment was received."),
    "balance_left": _("What is left to pay after this payment."),
    "card_last4": _("The last four digits of the saved card."),
    "card_expiry": _("When the saved card expires (month and year)."),
    "callback_time": _("When we will call the customer back."),
    "verification_code": _("The one-time code the customer asked for on the portal."),
    "budgeting_tip": _("A short, kind budgeting tip in the message's language."),
    "opt_out": _("The opt-out line for this channel and language (required in the US: 12 CFR 1006.6(e))."),
    "collector_disclosure": _(
        "The debt-collector disclosure where the law requires it (US: 12 CFR 1006.18(e)); empty elsewhere."
    ),
}

SAFE_TAGS = ("if", "for", "with", "firstof", "comment")
SAFE_FILTERS = (
    "default", "default_if_none", "lower", "upper", "title", "capfirst", "length", "pluralize", "yesno",
    "linebreaksbr", "truncatechars", "truncatewords", "first", "last", "cut", "floatformat", "wordcount",
)

safe_library = Library()
for _name in SAFE_TAGS:
    safe_library.tags[_name] = defaulttags.register.tags[_name]
for _name in SAFE_FILTERS:
    safe_library.filters[_name] = defaultfilters.register.filters[_name]


class SandboxEngine(Engine):
    """An Engine whose only built-ins are the vetted ones (Engine adds Django's defaults otherwise)."""

    default_builtins: list = []

    def get_template_builtins(self, builtins):
        return [safe_library]


def _engine(autoescape: bool) -> SandboxEngine:
    return SandboxEngine(loaders=[], libraries={}, builtins=[], autoescape=autoescape, debug=True)


ENGINE_TEXT = _engine(autoescape=False)


class TemplateProblem(ValueError):
    """A template that cannot be used: ``message`` in plain words, ``line`` 1-based, ``field``."""

    def __init__(self, message: str, *, line: int | None, field: str = "body"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field

    def as_dict(self) -> dict:
        return {"field": self.field, "line": self.line, "message": self.message}


def _expressions(node: Node):
    """Every FilterExpression a node evaluates, and the local names it defines."""
    exprs: list[FilterExpression] = []
    local: set[str] = set()
    if isinstance(node, VariableNode):
        exprs.append(node.filter_expression)
    if isinstance(node, defaulttags.IfNode):
        for condition, _nodelist in node.conditions_nodelists:
            stack = [condition]
            while stack:
                item = stack.pop()
                if item is None:
                    continue
                if hasattr(item, "value") and isinstance(item.value, FilterExpression):
                    exprs.append(item.value)
                stack += [getattr(item, "first", None), getattr(item, "second", None)]
    if isinstance(node, defaulttags.ForNode):
        exprs.append(node.sequence)
        local.update(node.loopvars)
        local.add("forloop")
    if isinstance(node, defaulttags.WithNode):
        exprs.extend(node.extra_context.values())
        local.update(node.extra_context)
    if isinstance(node, defaulttags.FirstOfNode):
        exprs.extend(node.vars)
    return exprs, local


def _walk(nodelist):
    for node in nodelist:
        yield node
        for attr in node.child_nodelists:
            child = getattr(node, attr, None)
            if child:
                yield from _walk(child)
        if isinstance(node, defaulttags.IfNode):
            for _cond, child in node.conditions_nodelists:
                yield from _walk(child)


def _variables(fexpr: FilterExpression) -> list[Variable]:
    found = [fexpr.var] if isinstance(fexpr.var, Variable) else []
    for _func, args in fexpr.filters:
        found += [arg for lookup, arg in args if lookup and isinstance(arg, Variable)]
    return found


def validate_source(source: str, *, field: str = "body") -> None:
    """Compile ``source`` in the sandbox; raise ``TemplateProblem`` for broken syntax or for any
    variable that is not in ``TEMPLATE_VARIABLES`` (with the line it is on)."""
    _checked(source, field)


@lru_cache(maxsize=512)
def _checked(source: str, field: str):
    """``validate_source``'s work, returning the compiled template. Kept for sources that passed (a
    batch renders one template for many messages); a problem is raised afresh each time."""
    try:
        template = ENGINE_TEXT.from_string(source)
    except TemplateSyntaxError as exc:
        line = getattr(exc, "template_debug", {}).get("line")
        raise TemplateProblem(f"Line {line}: {exc}", line=line, field=field) from exc
    nodes = list(_walk(template.nodelist))
    local: set[str] = set()
    for node in nodes:
        local |= _expressions(node)[1]
    for node in nodes:
        for fexpr in _expressions(node)[0]:
            for variable in _variables(fexpr):
                if variable.lookups is None:
                    continue  # a literal such as "yes" or 3
                name = ".".join(variable.lookups)
                if name in TEMPLATE_VARIABLES or variable.lookups[0] in local:
                    continue
                token = getattr(node, "token", None)
                line = token.lineno if token is not None else None
                raise TemplateProblem(
                    f"Line {line}: unknown variable “{name}”. Use one of the documented variables.",
                    line=line, field=field,
                )
    return template


def validate_template(*, subject: str, body: str) -> None:
    """Validate both parts of a template (the subject may be empty)."""
    if subject:
        validate_source(subject, field="subject")
    validate_source(body, field="body")


@dataclass(frozen=True)
class RenderedMessage:
    """A message ready for a channel: text, HTML for email, and SMS length facts."""

    subject: str
    body: str
    html_body: str = ""
    segments: int | None = None
    encoding: str = ""
    characters: int = 0


def render_message(*, template, context: dict) -> RenderedMessage:
    """Render a ``MessageTemplate`` (or anything with ``channel``, ``subject`` and ``body``) with a
    context of documented variables. Unknown keys in ``context`` are ignored; missing ones render
    empty."""
    values = {name: context.get(name, "") for name in TEMPLATE_VARIABLES}
    compiled_subject = _checked(template.subject, "subject") if template.subject else None
    body = _checked(template.body, "body").render(Context(values, autoescape=False)).strip()
    subject = ""
    if compiled_subject is not None:
        subject = " ".join(compiled_subject.render(Context(values, autoescape=False)).split())
    html_body = ""
    segments, encoding = None, ""
    if template.channel == "email":
        # Authors write plain text: escape the whole rendered text (their words and the values alike),
        # then turn blank lines into paragraphs.
        html_body = linebreaks(body, autoescape=True)
    if template.channel == "sms":
        length = sms_length(body)
        segments, encoding = length.segments, length.encoding
    return RenderedMessage(
        subject=subject, body=body, html_body=html_body, segments=segments, encoding=encoding,
        characters=len(body),
    )


# --- Disclosures: the exact words behind {{ opt_out }} and {{ collector_disclosure }} -------------

OPT_OUT_TEXT = {
    ("sms", "en"): "Reply STOP to stop texts to this number.",
    ("sms", "pcm"): "Reply STOP make we stop to dey send text to dis number.",
    ("sms", "fr"): "Répondez STOP pour ne plus recevoir de SMS à ce numéro.",
    ("sms", "es"): "Responda STOP para no recibir más mensajes en este número.",
    ("whatsapp", "en"): "Reply STOP to stop WhatsApp messages to this number.",
    ("whatsapp", "pcm"): "Reply STOP make we stop to dey send WhatsApp message to dis number.",
    ("whatsapp", "fr"): "Répondez STOP pour ne plus recevoir de messages WhatsApp à ce numéro.",
    ("whatsapp", "es"): "Responda STOP para no recibir más mensajes de WhatsApp en este número.",
    ("email", "en"): "To stop emails to this address, reply with STOP in the subject.",
    ("email", "pcm"): "If you no want email again for dis address, reply with STOP for subject.",
    ("email", "fr"): "Pour ne plus recevoir d'e-mails à cette adresse, répondez avec STOP en objet.",
    ("email", "es"): "Para no recibir más correos en esta dirección, responda con STOP en el asunto.",
}
# 12 CFR 1006.18(e): the full mini-Miranda (safe for initial and later communications alike) in the
# message's own language (1006.18(e)(4)).
COLLECTOR_TEXT = {
    "en": "This is a debt collector. We are trying to collect a debt. Any information we get will be used for that.",
    "pcm": "Na debt collector dey write you. We dey try collect debt. Any information wey we get, na for dat work we go use am.",
    "fr": "Ceci est un message d'une agence de recouvrement. Nous cherchons à recouvrer une dette. "
    "Toute information obtenue servira à cette fin.",
    "es": "Este mensaje es de un cobrador de deudas. Intentamos cobrar una deuda. "
    "Cualquier información que obtengamos se usará para ese fin.",
}
BUDGETING_TIPS = {
    "en": "Tip: list your bills by due date, then set a small amount aside each payday.",
    "pcm": "Small advice: write all your bills by di date wey dem due, then keep small money aside every payday.",
    "fr": "Astuce : notez vos factures par date, puis mettez un petit montant de côté à chaque paie.",
    "es": "Consejo: anote sus facturas por fecha y aparte una pequeña cantidad cada día de pago.",
}


def disclosure_context(*, channel: str, language: str, jurisdiction: str) -> dict:
    """``opt_out`` and ``collector_disclosure`` for one message. The opt-out line is given everywhere
    (it is kind and cheap); the collector disclosure only where the law requires it (US)."""
    lang = language if language in COLLECTOR_TEXT else "en"
    country = (jurisdiction or "").upper().split("-")[0]
    return {
        "opt_out": OPT_OUT_TEXT.get((channel, lang), ""),
        "collector_disclosure": COLLECTOR_TEXT[lang] if country == "US" else "",
    }


def sample_context(*, channel: str, language: str, creditor=None, jurisdiction: str = "") -> dict:
    """A made-up customer for the editor's live preview and for tests of the library."""
    lang = language if language in BUDGETING_TIPS else "en"
    name = getattr(creditor, "display_name", "") or "Lagos Power"
    symbol = "₦" if (getattr(creditor, "currency", "NGN") == "NGN") else (getattr(creditor, "currency", "") + " ")
    jurisdiction = jurisdiction or getattr(creditor, "country", "") or "NG"
    sample = {
        "first_name": "Ada",
        "amount_due": f"{symbol}12,500.00",
        "due_date": date_text(date(2026, 2, 14), lang),
        "pay_link": "https://pay.example.com/p/3kF9x",
        "creditor_name": name,
        "support_phone": getattr(creditor, "support_phone", "") or "+2348001234567",
        "support_email": getattr(creditor, "support_email", "") or "help@example.com",
        "faq_link": "https://pay.example.com/help",
        "agent_name": "Tolu",
        "account_reference": "…4821",
        "plan_summary": f"6 monthly payments of {symbol}2,100.00",
        "plan_instalment_amount": f"{symbol}2,100.00",
        "plan_next_date": date_text(date(2026, 3, 1), lang),
        "plan_instalments_left": "5",
        "payment_amount": f"{symbol}2,100.00",
        "payment_date": date_text(date(2026, 2, 10), lang),
        "balance_left": f"{symbol}10,400.00",
        "card_last4": "4242",
        "card_expiry": "03/2026",
        "callback_time": date_text(date(2026, 2, 12), lang) + ", 10:00",
        "verification_code": "483920",
        "budgeting_tip": BUDGETING_TIPS[lang],
    }
    sample.update(disclosure_context(channel=channel, language=lang, jurisdiction=jurisdiction))
    return sample


def date_text(value: date, language: str) -> str:
    """A date as the customer reads it in their language (long form: "14 February 2026")."""
    from babel.dates import format_date

    try:
        # Nigerian Pidgin readers use English month names (CLDR's Pidgin names are rarely used).
        return format_date(value, format="long", locale="en_NG" if language == "pcm" else language)
    except Exception:  # noqa: BLE001 - an unknown locale falls back to English wording
        return format_date(value, format="long", locale="en")
