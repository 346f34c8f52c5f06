"""Classifying an inbound reply (pure: no ORM, no settings beyond the opt-out keyword override).

``classify(text, language=..., today=...)`` says what a reply is about — opt-out, dispute, complaint or
distress, hardship, callback request, promise to pay (with the date and amount pulled out), question —
from keyword sets in English, Nigerian Pidgin, French and Spanish. Opt-outs reuse
``compliance.keywords`` (the same words the gate honours). A reply in a language we have no words for
is ``unknown``: it is kept and a person reads it.

Order matters: the first kind that matches is the one acted on, most protective first (an opt-out is
honoured at once; a dispute pauses collection; distress goes to a trained person before any plan talk;
hardship before a promise — "I lost my job, I can pay 20 on Friday" is hardship). Other kinds found
are returned in ``also``."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from compliance.keywords import is_opt_out

LANGUAGES = ("en", "pcm", "fr", "es")
ORDER = ("dispute", "complaint", "hardship", "callback", "promise", "question")

# Phrases are matched on whole words after folding (lower case, no accents, no apostrophes).
# A trailing "*" matches any ending ("harass*" → harassing, harassment).
KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "dispute": ("not my debt", "not mine", "dont owe", "do not owe", "i owe nothing", "i owe you nothing",
                    "never had an account", "already paid", "i paid this", "i paid it", "paid in full",
                    "wrong amount", "wrong person", "wrong account", "identity theft", "stolen identity",
                    "dispute*", "fraud*", "not me", "never borrowed"),
        "complaint": ("complain*", "harass*", "leave me alone", "threaten*", "rude", "ombudsman", "disgust*",
                      "suicid*", "kill myself", "end my life", "depressed", "cant cope", "cannot cope",
                      "desperate", "scared", "im frightened", "so stressed", "abuse*"),
        "hardship": ("lost my job", "lost job", "unemployed", "no job", "laid off", "made redundant",
                     "cant afford", "cannot afford", "cant pay", "cannot pay", "can not pay", "unable to pay",
                     "no money", "broke", "sick", "illness", "hospital*", "medical", "bereave*", "passed away",
                     "funeral", "struggling", "hard time", "hardship", "short of money"),
        "callback": ("call me", "call me back", "callback", "call back", "ring me", "phone me",
                     "speak to someone", "talk to someone", "speak to a person", "talk to a person",
                     "speak to an agent", "can someone call", "give me a call"),
        "promise": ("i will pay", "ill pay", "i shall pay", "will pay", "can pay", "going to pay", "gonna pay",
                    "i pay", "promise to pay", "i promise", "will send", "will clear", "pay it on", "pay on",
                    "pay by"),
        "question": ("what", "why", "how much", "how do", "how can", "when", "where", "who", "is it",
                     "can i", "do i", "explain"),
    },
    "pcm": {
        "dispute": ("no be my debt", "no be my own", "i no owe", "i no get account", "i don pay", "i don pay am",
                    "i don pay finish", "no be me", "wrong amount", "una make mistake", "na mistake"),
        "complaint": ("una dey harass me", "harass*", "stop to dey disturb me", "una too disturb",
                      "dey disturb me", "i go report una", "complain*", "i wan die", "i tire for life",
                      "una dey threaten me", "wahala too much"),
        "hardship": ("i no get money", "money no dey", "i no fit pay", "work don go", "dem sack me",
                     "i lose my work", "i lose my job", "i dey sick", "hospital*", "things hard", "e hard for me",
                     "hand no reach", "i dey hustle", "nothing dey my hand"),
        "callback": ("call me", "make una call me", "abeg call me", "i wan talk to person", "make person call me",
                     "call me back", "i wan yarn with person"),
        "promise": ("i go pay", "i fit pay", "i go send", "i go clear", "i go balance", "i go settle",
                    "make i pay"),
        "question": ("wetin", "how much", "why una", "how i go", "when i go", "na how"),
    },
    "fr": {
        "dispute": ("pas ma dette", "je ne dois rien", "je ne dois pas", "deja paye", "jai deja paye",
                    "deja regle", "montant errone", "mauvais montant", "erreur de montant", "ce nest pas moi",
                    "contest*", "fraude", "usurpation didentite", "je nai jamais eu de compte"),
        "complaint": ("plainte", "me plaindre", "harcel*", "arretez de me harceler", "menace*", "inadmissible",
                      "scandaleux", "porter plainte", "desespere*", "suicid*", "en finir", "je craque"),
        "hardship": ("perdu mon emploi", "perdu mon travail", "au chomage", "chomage", "pas dargent",
                     "je ne peux pas payer", "je narrive pas a payer", "malade", "hopital", "difficultes",
                     "passe difficile", "deces", "licencie*", "fin de mois difficile"),
        "callback": ("appelez moi", "rappelez moi", "me rappeler", "mappeler", "parler a quelquun",
                     "parler a un conseiller", "parler a une personne", "pouvez vous mappeler"),
        "promise": ("je vais payer", "je payerai", "je paierai", "je peux payer", "je vais regler", "je reglerai",
                    "je vais verser", "je verserai", "je vous paie", "je paie"),
        "question": ("pourquoi", "comment", "combien", "quand", "quel", "quelle", "est ce que", "qui"),
    },
    "es": {
        "dispute": ("no es mi deuda", "no debo", "no les debo", "ya pague", "ya lo pague", "ya esta pagado",
                    "monto incorrecto", "cantidad incorrecta", "no soy yo", "fraude", "disputa*",
                    "robo de identidad", "nunca tuve cuenta"),
        "complaint": ("queja", "quejarme", "acoso", "me acosan", "dejen de acosarme", "amenaza*", "denunciar*",
                      "desesperad*", "suicid*", "quitarme la vida", "no aguanto"),
        "hardship": ("perdi mi trabajo", "perdi el trabajo", "sin trabajo", "desemplead*", "no tengo dinero",
                     "no puedo pagar", "no me alcanza", "enferm*", "hospital", "dificultades", "momento dificil",
                     "fallecio", "me despidieron"),
        "callback": ("llamenme", "llameme", "me pueden llamar", "pueden llamarme", "me llaman",
                     "hablar con alguien", "hablar con una persona", "hablar con un agente", "devuelvan la llamada"),
        "promise": ("voy a pagar", "pagare", "puedo pagar", "les pago", "le pago", "te pago", "voy a abonar",
                    "abonare", "depositare"),
        "question": ("por que", "cuanto", "como", "cuando", "donde", "quien", "que es"),
    },
}

WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"),
}
SHORT_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
    "fr": ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
           "novembre", "decembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}
RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tumoro": 1, "tomoro": 1, "next tomorrow": 2,
    "next week": 7, "aujourdhui": 0, "ce soir": 0, "demain": 1, "apres demain": 2, "la semaine prochaine": 7,
    "semaine prochaine": 7, "hoy": 0, "manana": 1, "pasado manana": 2, "la proxima semana": 7,
    "la semana que viene": 7,
}
MONTH_END = ("end of the month", "end of month", "month end", "month ending", "fin du mois", "fin de mois",
             "fin de mes", "final de mes", "final del mes", "month end reach")
MULTIPLIERS = {"k": 1000, "thousand": 1000, "mille": 1000, "mil": 1000, "m": 1_000_000, "million": 1_000_000,
               "millions": 1_000_000, "millon": 1_000_000, "millones": 1_000_000}


@dataclass(frozen=True)
class Classified:
    """What a reply is about. ``kind`` is a ``outreach.choices.Classification`` value; ``extracted`` holds
    ``amount`` (a decimal string) and ``date`` (ISO) for promises when found; ``language`` is the keyword
    set that matched; ``phrase`` the words that decided it."""

    kind: str
    language: str = ""
    phrase: str = ""
    extracted: dict = field(default_factory=dict)
    also: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower case without accents or apostrophes; punctuation kept (amounts and dates need it)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return text.replace("'", "").replace("\u2019", "").replace("`", "")


def words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def _pattern(phrase: str) -> re.Pattern:
    stem = phrase.endswith("*")
    body = re.escape(phrase.rstrip("*")).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<!\w){body}" + (r"\w*" if stem else r"(?!\w)"))


_PATTERNS = {lang: {kind: [(_pattern(p), p) for p in phrases] for kind, phrases in kinds.items()}
             for lang, kinds in KEYWORDS.items()}


def _languages(language: str | None) -> list[str]:
    order = [language] if language in LANGUAGES else []
    return order + [lang for lang in ("en", "pcm", "fr", "es") if lang not in order]


def _find(kind: str, text: str, languages: list[str]) -> tuple[str, str] | None:
    for lang in languages:
        for pattern, phrase in _PATTERNS[lang][kind]:
            if pattern.search(text):
                return lang, phrase
    return None


def classify(text: str, *, language: str | None = None, today: date | None = None,
             day_first: bool = True) -> Classified:
    """Classify one inbound message. ``today`` anchors relative dates ("Friday", "the 30th") and is the
    customer's local date; ``day_first`` reads 05/06 as 5 June (False: US order, May 6)."""
    today = today or date.today()
    raw = (text or "").strip()
    if not raw:
        return Classified(kind="unknown")
    if is_opt_out(raw, language):
        return Classified(kind="opt_out", language=language or "", phrase=words(raw))
    plain = words(raw)
    langs = _languages(language)
    found: dict[str, tuple[str, str]] = {}
    for kind in ORDER:
        if kind == "question":
            hit = _find(kind, plain, langs) if ("?" in raw or "¿" in raw) or _starts_with_question(plain, langs) \
                else None
            if hit is None and ("?" in raw or "¿" in raw):
                hit = (language or "", "?")
        else:
            hit = _find(kind, plain, langs)
        if hit:
            found[kind] = hit
    promise_terms = extract_promise(raw, today=today, day_first=day_first)
    if "promise" not in found and promise_terms.get("amount") and promise_terms.get("date") \
            and not found.keys() & {"dispute", "complaint", "hardship"}:
        # "50 on Friday" says it without a verb.
        found["promise"] = (language or "", "amount and date")
    if not found:
        return Classified(kind="unknown")
    kind = next(k for k in ORDER if k in found)
    lang, phrase = found[kind]
    extracted = promise_terms if kind == "promise" else {}
    return Classified(kind=kind, language=lang, phrase=phrase, extracted=extracted,
                      also=tuple(k for k in ORDER if k in found and k != kind))


def _starts_with_question(plain: str, langs: list[str]) -> bool:
    return any(plain == p or plain.startswith(p + " ") for lang in langs for p in KEYWORDS[lang]["question"])


# ---- promise terms ----------------------------------------------------------------------------------------

_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<cur>[₦$£€]|ngn|usd|gbp|eur|naira|dollars?|pounds?|euros?)?\s?"
    r"(?P<num>\d{1,3}(?:[,.\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"\s?(?P<mult>k|thousand|mille|mil|m|million|millions|millon|millones)?(?!\w)"
    r"(?:\s?(?P<cur2>naira|dollars?|pounds?|euros?|ngn|usd|gbp|eur))?"
)
_ORDINAL = r"(?:st|nd|rd|th|er|e|eme|o|º)"


def _date_patterns(day_first: bool):
    months = {name: i + 1 for names in MONTHS.values() for i, name in enumerate(names)}
    months.update({name[:3]: i + 1 for i, name in enumerate(MONTHS["en"])})
    month_alt = "|".join(sorted(months, key=len, reverse=True))
    return months, [
        # 30 november, 30th of November, 30 de noviembre, le 30 novembre
        ("day_month", re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORDINAL}?\s*(?:of\s+|de\s+)?(?P<m>{month_alt})(?!\w)")),
        # november 30, nov 30th
        ("month_day", re.compile(rf"(?<!\w)(?P<m>{month_alt})\s+(?P<d>\d{{1,2}}){_ORDINAL}?(?!\w)")),
        # 30/11, 30/11/2026, 30-11 (or 11/30 for US customers)
        ("numeric", re.compile(r"(?<![\d/.,])(?P<a>\d{1,2})[/-](?P<b>\d{1,2})(?:[/-](?P<y>\d{2,4}))?(?![\d/.,\w])")),
        # the 30th, for 30th, on the 5th, le 15, el 30
        ("ordinal", re.compile(rf"(?:(?<!\w)(?:on the|on|for|by|the|le|el|del|au|jusquau|before)\s+"
                               rf"(?P<d>\d{{1,2}}){_ORDINAL}?(?!\w))|(?:(?<!\w)(?P<d2>\d{{1,2}}){_ORDINAL}(?!\w))")),
    ]


def _next_day_of_month(day: int, today: date) -> date | None:
    year, month = today.year, today.month
    for _ in range(3):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        month = 1 if month == 12 else month + 1
        year = year + 1 if month == 1 else year
    return None


def _month_day(month: int, day: int, today: date, year: int | None = None) -> date | None:
    try:
        candidate = date(year or today.year, month, day)
    except ValueError:
        return None
    if year is None and candidate < today:
        try:
            candidate = date(today.year + 1, month, day)
        except ValueError:
            return None
    return candidate


def extract_date(text: str, *, today: date, day_first: bool = True) -> tuple[date | None, tuple[int, int] | None]:
    """The first date the text names, and where it is (to keep its digits out of the amount)."""
    folded = fold(text)
    months, patterns = _date_patterns(day_first)
    for kind, pattern in patterns:
        match = pattern.search(folded)
        if not match:
            continue
        found = None
        if kind in ("day_month", "month_day"):
            found = _month_day(months[match["m"]], int(match["d"]), today)
        elif kind == "numeric":
            a, b = int(match["a"]), int(match["b"])
            day, month = (a, b) if day_first else (b, a)
            year = int(match["y"]) if match["y"] else None
            if year is not None and year < 100:
                year += 2000
            if 1 <= month <= 12:
                found = _month_day(month, day, today, year)
        else:
            day = int(match["d"] or match["d2"])
            found = _next_day_of_month(day, today) if 1 <= day <= 31 else None
        if found:
            return found, match.span()
    plain = words(text)
    for phrase in MONTH_END:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", plain):
            return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1]), None
    for phrase, days in sorted(RELATIVE_DAYS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", plain):
            return today + timedelta(days=days), None
    for names in WEEKDAYS.values():
        for index, name in enumerate(names):
            if re.search(rf"(?<!\w){name}(?!\w)", plain):
                return today + timedelta(days=(index - today.weekday()) % 7), None
    for index, name in enumerate(SHORT_WEEKDAYS):
        if re.search(rf"(?<!\w){name}(?!\w)", plain):
            return today + timedelta(days=(index - today.weekday()) % 7), None
    return None, None


def _amount(match: re.Match) -> Decimal | None:
    number = match["num"].replace("\u202f", " ")
    separators = re.findall(r"[,. ]", number)
    if separators:
        last = separators[-1]
        tail = number.rsplit(last, 1)[1]
        if len(tail) == 3 and (len(separators) > 1 or last in (" ",) or match["mult"] is None):
            number = re.sub(r"[,. ]", "", number)  # thousands: 20,000 / 20.000 / 20 000
        else:
            head = re.sub(r"[,. ]", "", number.rsplit(last, 1)[0])
            number = f"{head}.{tail}"  # decimals: 12.50 / 12,50 / 2.5k
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if match["mult"]:
        value *= MULTIPLIERS[match["mult"]]
    return value if value > 0 else None


def extract_promise(text: str, *, today: date, day_first: bool = True) -> dict:
    """``{"date": "2026-11-27", "amount": "50"}`` with whatever of the two the text gives."""
    when, span = extract_date(text, today=today, day_first=day_first)
    folded = fold(text)
    if span:
        folded = folded[: span[0]] + " " * (span[1] - span[0]) + folded[span[1]:]
    terms: dict = {}
    if when:
        terms["date"] = when.isoformat()
    for match in _AMOUNT.finditer(folded):
        value = _amount(match)
        if value is not None:
            terms["amount"] = str(int(value)) if value == value.to_integral() else f"{value:f}"
            terms["amount_text"] = match.group(0).strip()
            break
    return terms
