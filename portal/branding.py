"""Creditor colours made safe to read: text on the brand colour and links in the brand colour both meet
WCAG 2.1 AA contrast (4.5:1), whatever colours the creditor chose."""

from __future__ import annotations

from functools import lru_cache

WHITE, INK = "#ffffff", "#111111"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on ``background``."""
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK


def _darken(colour: str, share: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(v * (1 - share)) for v in (r, g, b)))


@lru_cache(maxsize=256)
def readable(colour: str, on: str = WHITE, ratio: float = 4.5) -> str:
    """``colour`` darkened just enough to be read on ``on`` (for links and headings in brand colour)."""
    share = 0.0
    candidate = colour
    while contrast(candidate, on) < ratio and share < 1:
        share += 0.05
        candidate = _darken(colour, share)
    return candidate


@lru_cache(maxsize=256)
def brand_palette(primary: str, accent: str) -> dict:
    """CSS custom properties for the portal's base template."""
    primary = primary if _valid(primary) else "#1f5f8b"
    accent = accent if _valid(accent) else "#f0a202"
    # Buttons and the header use the brand colour with whichever text reads; if neither reaches 4.5:1
    # (mid-tone colours), the button colour is darkened until white does.
    button = primary if contrast(text_on(primary), primary) >= 4.5 else readable(primary)
    return {"primary": button, "on_primary": text_on(button), "accent": accent, "link": readable(primary)}


def _valid(colour: str) -> bool:
    return isinstance(colour, str) and len(colour) == 7 and colour[0] == "#" and all(
        c in "0123456789abcdefABCDEF" for c in colour[1:])
