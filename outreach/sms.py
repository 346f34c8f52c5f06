"""SMS length and segment maths (pure; no Django).

A single SMS carries 140 octets. GSM-7 text fits 160 characters in one message, or 153 per part once
it is split (the user-data header takes 7 characters' room). Characters from the GSM-7 extension
table (``^{}\\[~]|€`` and form feed) are sent as an escape plus the character, so they count twice.
Anything outside GSM-7 forces UCS-2: 70 characters in one message, 67 per part. UCS-2 counts UTF-16
code units, so an emoji outside the Basic Multilingual Plane costs two, and a concatenated message
never splits a surrogate pair across parts.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"


@dataclass(frozen=True)
class SmsLength:
    """How a text will travel: its encoding, length in that encoding's units, parts, and room left."""

    encoding: str
    units: int
    segments: int
    per_segment: int
    remaining: int


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _gsm7_units(text: str) -> list[int]:
    return [2 if ch in GSM7_EXTENSION else 1 for ch in text]


def _ucs2_units(text: str) -> list[int]:
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _count_segments(units: list[int], per_part: int) -> int:
    """Greedy packing that never splits one character (an escape pair or a surrogate pair)."""
    segments, used = 1, 0
    for size in units:
        if used + size > per_part:
            segments += 1
            used = 0
        used += size
    return segments


def sms_length(text: str) -> SmsLength:
    """Encoding, units and segment count for ``text`` as one (possibly concatenated) SMS."""
    if is_gsm7(text):
        encoding, units, single, multi = GSM7, _gsm7_units(text), 160, 153
    else:
        encoding, units, single, multi = UCS2, _ucs2_units(text), 70, 67
    total = sum(units)
    if total <= single:
        return SmsLength(encoding, total, 1 if total else 0, single, single - total)
    segments = _count_segments(units, multi)
    return SmsLength(encoding, total, segments, multi, segments * multi - total)
