"""Opt-out keywords (pure). Per-se revocation words from 47 CFR 64.1200(a)(10) plus equivalents in
Pidgin, French and Spanish. Override or extend with settings.COMPLIANCE_OPT_OUT_KEYWORDS
({"en": [...], ...}); the defaults below apply when the setting is absent."""

from __future__ import annotations

import re
import unicodedata

DEFAULT_KEYWORDS: dict[str, frozenset[str]] = {
    "en": frozenset({"stop", "stopall", "unsubscribe", "quit", "end", "revoke", "opt out", "optout", "cancel",
                     "stop texting me", "stop calling me", "do not contact me", "dont contact me"}),
    "pcm": frozenset({"stop am", "no send again", "make una stop", "no call me again", "comot my number",
                      "i no want message again"}),
    "fr": frozenset({"arret", "arreter", "stop", "desabonner", "desinscrire", "ne plus me contacter"}),
    "es": frozenset({"alto", "parar", "baja", "cancelar", "detener", "no me contacten"}),
}
# Politeness around a keyword does not change it; anything else ("end of month I pay") is read by a person.
_FILLER = frozenset({"please", "pls", "plz", "abeg", "me", "now", "thanks", "thank", "you", "por", "favor",
                     "svp", "merci", "gracias", "oga", "sir", "madam"})


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def keyword_sets() -> dict[str, frozenset[str]]:
    try:
        from django.conf import settings

        configured = getattr(settings, "COMPLIANCE_OPT_OUT_KEYWORDS", None)
    except Exception:  # used outside Django (pure tests)
        configured = None
    if not configured:
        return DEFAULT_KEYWORDS
    return {lang: frozenset(_normalise(w) for w in words) for lang, words in configured.items()}


def is_opt_out(text: str, language: str | None = None, keywords: dict[str, frozenset[str]] | None = None) -> bool:
    """True when ``text`` is an opt-out request: the message is a keyword phrase, give or take polite
    filler ("STOP please", "Abeg stop am"). ``language`` narrows to that set plus English."""
    sets = keywords or keyword_sets()
    words = _normalise(text)
    if not words:
        return False
    langs = [language, "en"] if language else list(sets)
    candidates = set().union(*(sets.get(lang, frozenset()) for lang in langs if lang))
    if words in candidates:
        return True
    stripped = " ".join(w for w in words.split() if w not in _FILLER)
    return stripped in candidates
