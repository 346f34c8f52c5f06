"""The evidence pack (issue item 9): for one account, one ZIP with a readable summary.html and, for every
registered evidence section, a CSV and a JSON file, plus chain_verification.json. It also answers a
data-subject access request (GDPR Art 15(3); NDPA ss.34-38): everything held about the person, in one
electronic copy."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Account

from .audit import audit_record, audit_verify_chain
from .evidence import evidence_sections

SUMMARY_ROW_LIMIT = 500  # the HTML shows at most this many rows per section; the CSV/JSON have them all


@dataclass
class SectionResult:
    key: str
    title: str
    columns: list[str]
    rows: list[dict]
    error: str = ""


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=_json_default, ensure_ascii=False)
    return str(value)


def _columns(rows: list[dict]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def _csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_safe(_cell(row.get(c))) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")  # BOM: spreadsheets then read UTF-8 names correctly


def _csv_safe(text: str) -> str:
    """Stop spreadsheet formula injection from data that came from outside (names, messages)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except (ArithmeticError, ValueError):
        return False
    return True


def _collect(account: Account) -> list[SectionResult]:
    results = []
    for section in evidence_sections():
        try:
            with transaction.atomic():  # a savepoint: a failed query must not poison the whole pack
                rows = [dict(r) for r in section.rows(account)]
        except Exception as exc:  # noqa: BLE001 — one broken section must not hide the others
            results.append(SectionResult(section.key, section.title, [], [], error=f"{type(exc).__name__}: {exc}"))
            continue
        results.append(SectionResult(section.key, section.title, _columns(rows), rows))
    return results


@transaction.atomic
def evidence_pack_build(*, account: Account, actor) -> bytes:
    """Build the ZIP for ``account`` and record ``export.evidence_pack`` in the audit chain (in one
    transaction, so a pack that failed to build leaves no event). Permission checks are the caller's."""
    account = Account.objects.select_related("creditor", "customer").get(pk=account.pk)
    generated_at = timezone.now()
    sections = _collect(account)
    chain = audit_verify_chain()
    event = audit_record(
        actor=actor,
        action="export.evidence_pack",
        obj=account,
        payload={
            "sections": {s.key: len(s.rows) for s in sections},
            "chain_ok": chain.ok,
            "chain_checked": chain.checked,
        },
    )
    summary = render_to_string(
        "compliance/evidence_summary.html",
        {
            "account": account,
            "customer": account.customer,
            "creditor": account.creditor,
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "columns": s.columns,
                    "rows": [[_cell(r.get(c)) for c in s.columns] for r in s.rows[:SUMMARY_ROW_LIMIT]],
                    "count": len(s.rows),
                    "truncated": len(s.rows) > SUMMARY_ROW_LIMIT,
                    "error": s.error,
                }
                for s in sections
            ],
            "chain": chain,
            "generated_at": generated_at,
            "actor": actor,
            "event": event,
        },
    )
    manifest = {
        "account_id": account.pk,
        "account_reference": account.reference,
        "creditor": account.creditor.slug,
        "generated_at": generated_at.isoformat(),
        "generated_by": getattr(actor, "username", ""),
        "audit_event_seq": event.seq,
        "sections": [
            {"key": s.key, "title": s.title, "rows": len(s.rows), "error": s.error,
             "files": [f"{s.key}.csv", f"{s.key}.json"]}
            for s in sections
        ],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", summary)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for s in sections:
            archive.writestr(f"{s.key}.csv", _csv_bytes(s.columns, s.rows))
            archive.writestr(
                f"{s.key}.json",
                json.dumps(
                    {"key": s.key, "title": s.title, "error": s.error, "rows": s.rows},
                    indent=2, default=_json_default, ensure_ascii=False,
                ),
            )
        archive.writestr("chain_verification.json", json.dumps(
            {**chain.as_dict(), "verified_at": generated_at.isoformat()}, indent=2))
    return out.getvalue()


def evidence_pack_filename(account: Account) -> str:
    return f"evidence-{account.creditor.slug}-{account.reference}-{timezone.localdate().isoformat()}.zip"
