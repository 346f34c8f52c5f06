"""The evidence-pack registry. Each app registers the sections it can contribute for one account
(interactions, consents, holds, disputes, payments…); the pack builder asks every section in turn.

    @evidence_section("consents", title="Consents and opt-outs")
    def consents(account):
        return [{"channel": ..., "granted_at": ...}, ...]   # rows of plain, JSON-safe values
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class EvidenceSection:
    key: str
    title: str
    rows: Callable[..., Iterable[dict]]


_SECTIONS: dict[str, EvidenceSection] = {}


def evidence_section(key: str, *, title: str):
    def register(func):
        _SECTIONS[key] = EvidenceSection(key=key, title=title, rows=func)
        return func

    return register


def evidence_sections() -> list[EvidenceSection]:
    return list(_SECTIONS.values())
