"""The care check: a linter for message templates (pure; no ORM).

``care_check()`` reads a template's subject and body (Django template source) and returns a
``CareReport``. It runs on every save, in the editor's live preview, and before approval: an approved
template must pass (no ``block`` findings).

What it checks, and how strictly:

- **Blocked wording** (``block``) — the categories of docs/compliance-reference.md section 5: arrest,
  unlawful threats, suit threats, violence, abuse, shaming, impersonation, misstating the amount,
  overshadowing dispute rights, false urgency, credit-reporting threats, deceptive prompts. Patterns
  in English, Pidgin, French and Spanish (``outreach.care_phrases``) are matched case- and
  accent-insensitively on word boundaries. English patterns always apply; the template's own
  language's patterns apply too.
- **Readability** (``block`` for English SMS and email over grade 6) — textstat's Flesch-Kincaid
  grade, computed with each ``{{ variable }}`` read as a one-syllable word.
- **Required disclosures** (``block``, United States email/SMS/WhatsApp) — the opt-out line
  (12 CFR 1006.6(e)) and the debt-collector disclosure (12 CFR 1006.18(e)). A template carries them
  either as the documented variables ``{{ opt_out }}`` and ``{{ collector_disclosure }}`` (rendered in
  the message's language and channel; the recommended way) or as written-out phrases. Global
  templates (jurisdiction ``"*"``) may go to any creditor, so they must meet every jurisdiction's
  requirements. The opt-out confirmation is exempt: after an opt-out, the one message allowed
  contains only the confirmation (12 CFR 1006.14(h)(2)(i)).
- **Jargon** (``warn``) with a plain alternative.
- **No help or option** (``warn``) — no pay link, plan, contact or help reference.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache

from . import care_phrases
from .readability import english_grade

BLOCK, WARN, INFO = "block", "warn", "info"
GRADE_TARGET = 6.0
READABILITY_CHANNELS = {"sms", "email"}
DISCLOSURE_CHANNELS = {"sms", "email", "whatsapp"}
ALL_JURISDICTIONS = "*"
# Which jurisdictions (ISO country code prefix) require which disclosures.
REQUIRED_DISCLOSURES: dict[str, tuple[str, ...]] = {"US": ("opt_out", "collector_disclosure")}
EXEMPT_PURPOSES = {"opt_out_confirmation"}

_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_VARIABLE = re.compile(r"\{\{(.*?)\}\}", re.S)


@dataclass(frozen=True)
class Finding:
    """One thing the care check noticed. ``line`` is 1-based within ``field`` (subject or body)."""

    severity: str
    category: str
    message: str
    phrase: str = ""
    suggestion: str = ""
    rule: str = ""
    line: int | None = None
    field: str = "body"


@dataclass(frozen=True)
class CareReport:
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    readability_grade: float | None = None

    @property
    def passed(self) -> bool:
        return not any(f.severity == BLOCK for f in self.findings)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == BLOCK]

    def as_dict(self) -> dict:
        """JSON-safe form, stored with the template and returned by the API."""
        return {
            "passed": self.passed,
            "readability_grade": self.readability_grade,
            "findings": [asdict(f) for f in self.findings],
        }


def normalise(text: str) -> str:
    """Lower case without accents, one character out for each character in (offsets stay valid)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1] or ch
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out).replace("’", "'")


def _mask_template_syntax(text: str) -> str:
    """Blank out tags, comments and variables (same length, newlines kept) so only prose is matched."""

    def blank(match: re.Match) -> str:
        return "".join("\n" if c == "\n" else " " for c in match.group(0))

    return _VARIABLE.sub(blank, _TAG.sub(blank, text))


def _prose_for_scoring(text: str) -> str:
    return re.sub(r"\s+", " ", _VARIABLE.sub("it", _TAG.sub(" ", text))).strip()


def variables_used(text: str) -> set[str]:
    """Root names of every ``{{ variable }}`` in ``text`` (``{{ plan.next_date|date }}`` → ``plan``)."""
    names = set()
    for expr in _VARIABLE.findall(text):
        match = re.match(r"\s*([A-Za-z_][\w.]*)", expr)
        if match:
            names.add(match.group(1))
    return names


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _languages(language: str) -> list[str]:
    return ["en"] if language in ("en", "") else ["en", language]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _scan(text: str, fieldname: str, language: str) -> list[Finding]:
    masked = normalise(_mask_template_syntax(text))
    findings: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for category in care_phrases.BLOCKED:
        for lang in _languages(language):
            patterns = category.patterns.get(lang, ())
            if not patterns:
                continue
            for match in _compiled(patterns).finditer(masked):
                phrase = text[match.start() : match.end()]
                line = _line_of(text, match.start())
                key = (category.key, line, phrase.lower())
                if key in seen:
                    continue
                seen.add(key)
                findings.append(
                    Finding(
                        severity=BLOCK, category=category.key, message=category.label, phrase=phrase,
                        suggestion=category.suggestion, rule=category.rule, line=line, field=fieldname,
                    )
                )
    for lang in _languages(language):
        for pattern, word, plain in care_phrases.JARGON.get(lang, ()):
            for match in re.finditer(pattern, masked):
                findings.append(
                    Finding(
                        severity=WARN, category="jargon", message=f"Jargon: “{word}”",
                        phrase=text[match.start() : match.end()], suggestion=f"Try: {plain}",
                        line=_line_of(text, match.start()), field=fieldname,
                    )
                )
    return findings


def _has_any(text: str, patterns_by_lang: dict[str, tuple[str, ...]], language: str) -> bool:
    masked = normalise(_mask_template_syntax(text))
    return any(
        _compiled(patterns_by_lang[lang]).search(masked)
        for lang in _languages(language)
        if patterns_by_lang.get(lang)
    )


def _required_disclosures(jurisdiction: str) -> set[str]:
    if jurisdiction == ALL_JURISDICTIONS:
        return {d for required in REQUIRED_DISCLOSURES.values() for d in required}
    country = (jurisdiction or "").upper().split("-")[0]
    return set(REQUIRED_DISCLOSURES.get(country, ()))


def care_check(
    *,
    body: str,
    subject: str = "",
    channel: str,
    language: str,
    jurisdiction: str,
    purpose: str = "",
) -> CareReport:
    """Lint a template. ``jurisdiction`` is an ISO country code, optionally with a region
    (``"US"``, ``"US-MA"``, ``"NG"``), or ``"*"`` for a global template that any creditor may use."""
    findings: list[Finding] = []
    if subject:
        findings += _scan(subject, "subject", language)
    findings += _scan(body, "body", language)
    whole = f"{subject}\n{body}"
    used = variables_used(whole)

    grade = english_grade(_prose_for_scoring(body)) if language == "en" else None
    if grade is not None:
        grade = round(grade, 1)
        if channel in READABILITY_CHANNELS and grade > GRADE_TARGET:
            findings.append(
                Finding(
                    severity=BLOCK, category="readability",
                    message=f"Reading grade {grade:.1f} is above the target of {GRADE_TARGET:.0f}",
                    suggestion="Use shorter sentences and everyday words.",
                    rule="FCA PRIN 2A consumer understanding; DEON literacy fit",
                )
            )

    if channel in DISCLOSURE_CHANNELS and purpose not in EXEMPT_PURPOSES:
        required = _required_disclosures(jurisdiction)
        if "opt_out" in required and "opt_out" not in used and not _has_any(
            whole, care_phrases.OPT_OUT_PHRASES, language
        ):
            findings.append(
                Finding(
                    severity=BLOCK, category="disclosure_opt_out",
                    message="Missing the opt-out line",
                    suggestion="Add {{ opt_out }} (it renders the right words for the channel and language).",
                    rule="12 CFR 1006.6(e)",
                )
            )
        if "collector_disclosure" in required and "collector_disclosure" not in used and not _has_any(
            whole, care_phrases.COLLECTOR_PHRASES, language
        ):
            findings.append(
                Finding(
                    severity=BLOCK, category="disclosure_collector",
                    message="Missing the debt-collector disclosure",
                    suggestion="Add {{ collector_disclosure }}.",
                    rule="12 CFR 1006.18(e)",
                )
            )

    if purpose not in EXEMPT_PURPOSES:
        offers_help = any(name.startswith(care_phrases.HELP_VARIABLES) for name in used) or _has_any(
            whole, care_phrases.HELP_PHRASES, language
        )
        if not offers_help:
            findings.append(
                Finding(
                    severity=WARN, category="no_option",
                    message="The message offers no help or option",
                    suggestion="Add a way forward: {{ pay_link }}, a plan, {{ support_phone }} or {{ faq_link }}.",
                )
            )
    return CareReport(findings=tuple(findings), readability_grade=grade)
