"""placement_import: what lands, what is refused, idempotency, updates with attributed history."""

import io
from decimal import Decimal

import pytest

from accounts.models import Account, Case, Customer, PlacementImport
from accounts.placement.services import placement_import
from collections_crm.errors import ApplicationError
from compliance.models import AuditEvent
from tests.accounts.factories import CreditorFactory
from tests.accounts.placement_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def run(creditor, actor, rows, **kwargs):
    data = rows if isinstance(rows, bytes) else csv_bytes(rows)
    return placement_import(creditor=creditor, stream=io.BytesIO(data), actor=actor, file_name="p.csv", **kwargs)


def test_good_rows_become_customer_account_and_case_with_history(creditor, supervisor):
    result = run(creditor, supervisor, [row(), row(account_reference="A2", principal="100")])
    assert (result.status, result.created, result.rejected) == ("done", 2, 0)
    customer = Customer.objects.get(creditor=creditor, external_ref="C1")
    assert customer.phone == "+2348031234567" and customer.time_zone == "Africa/Lagos"
    assert customer.accounts.count() == 2  # one person, two accounts
    account = Account.objects.get(creditor=creditor, reference="A1")
    assert account.placed_amount == Decimal("42000.00") == account.balance
    assert account.case.queue == "automated" and account.case.routing_reason == "automated"
    for obj in (customer, account, account.case):
        record = obj.history.get()
        assert record.history_type == "+" and record.history_user == supervisor


def test_bad_rows_are_reported_and_never_half_written(creditor, supervisor):
    rows = [
        row(),
        row(customer_ref="C2", account_reference="A2", principal="-1"),  # new customer, bad account
        row(customer_ref="C3", account_reference="A3", phone="12", email=""),
        row(customer_ref="C4", account_reference="A4", due_date="2024-02-30"),
        row(customer_ref="C5", account_reference="A1"),  # duplicate reference in the file
    ]
    result = run(creditor, supervisor, rows)
    assert (result.created, result.rejected, result.rows_total) == (1, 4, 5)
    assert not Customer.objects.filter(external_ref__in=["C2", "C3", "C4", "C5"]).exists()
    assert [(e["line"], e["column"]) for e in result.errors] == [
        (3, "principal"), (4, "phone"), (5, "due_date"), (6, "account_reference"),
    ]


def test_reimporting_the_same_file_changes_nothing(creditor, supervisor):
    data = csv_bytes([row(), row(customer_ref="C2", account_reference="A2", region="LA")])
    first = run(creditor, supervisor, data)
    history_before = (Account.history.count(), Customer.history.count(), Case.history.count())
    second = run(creditor, supervisor, data)
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert (Account.objects.count(), Customer.objects.count(), Case.objects.count()) == (2, 2, 2)
    assert (Account.history.count(), Customer.history.count(), Case.history.count()) == history_before
    assert first.sha256 == second.sha256


def test_changed_balance_updates_with_history_of_the_actor(creditor, supervisor, admin_user):
    run(creditor, supervisor, [row()])
    result = run(creditor, admin_user, [row(balance="30000")])
    assert (result.created, result.updated) == (0, 1)
    account = Account.objects.get(reference="A1")
    assert account.balance == Decimal("30000.00")
    latest, first = account.history.all()[:2]
    assert latest.history_type == "~" and latest.history_user == admin_user
    assert first.balance == Decimal("42000.00") and first.history_user == supervisor
    assert latest.history_change_reason == "Placement update"


def test_account_of_another_customer_or_currency_is_refused(creditor, supervisor):
    run(creditor, supervisor, [row()])
    result = run(creditor, supervisor, [row(customer_ref="C9"), row(account_reference="A1", currency="USD")])
    reasons = [e["reason"] for e in result.errors]
    assert "already placed for customer C1" in reasons[0]
    assert result.rejected == 2 and not Customer.objects.filter(external_ref="C9").exists()


def test_reimport_fills_in_but_never_erases_or_resets_preferences(creditor, supervisor):
    run(creditor, supervisor, [row(preferred_channel="whatsapp", language="pcm", city="Ibadan")])
    result = run(creditor, supervisor, [row(preferred_channel="", language="", city="", email="new@example.com")])
    customer = Customer.objects.get(external_ref="C1")
    assert (customer.preferred_channel, customer.language, customer.city) == ("whatsapp", "pcm", "Ibadan")
    assert customer.email == "new@example.com"
    assert customer.history.first().history_user == supervisor
    assert result.unchanged == 1  # the account itself did not change


def test_customer_spanning_chunks_is_one_person(creditor, supervisor):
    rows = [row(account_reference=f"A{i}") for i in range(5)]
    result = run(creditor, supervisor, rows, chunk_rows=2)
    assert result.created == 5
    assert Customer.objects.filter(creditor=creditor).count() == 1


def test_same_reference_for_two_creditors_is_two_accounts(supervisor):
    one, two = CreditorFactory(), CreditorFactory()
    run(one, supervisor, [row()])
    assert run(two, supervisor, [row()]).created == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"customer_ref,first_name\nC1,Ada\n", "missing required column"),
        (csv_bytes([row()], columns=[*row().keys(), "colour"]), "unknown column"),
        ("customer_ref,first_name\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused_whole(creditor, supervisor, data, message):
    result = run(creditor, supervisor, data)
    assert result.status == "failed" and message in result.message
    assert not Account.objects.exists() and not Customer.objects.exists()


def test_import_is_recorded_and_audited(creditor, supervisor):
    result = run(creditor, supervisor, [row(), row(account_reference="A2", principal="x")])
    stored = PlacementImport.objects.get(pk=result.pk)
    assert (stored.created, stored.rejected, stored.actor) == (1, 1, supervisor)
    assert stored.history.first().history_user == supervisor
    event = AuditEvent.objects.get(action="placement.imported")
    assert event.payload["created"] == 1 and event.creditor_id == creditor.pk


def test_inactive_creditor_is_refused(supervisor):
    creditor = CreditorFactory(is_active=False)
    with pytest.raises(ApplicationError, match="not active"):
        run(creditor, supervisor, [row()])


def test_stored_errors_are_capped(creditor, supervisor, settings):
    settings.PLACEMENT_MAX_STORED_ERRORS = 2
    result = run(creditor, supervisor, [row(account_reference=f"A{i}", principal="-1") for i in range(4)])
    assert result.rejected == 4 and len(result.errors) == 2 and result.errors_truncated


def test_validation_in_worker_processes_gives_the_same_result(creditor, supervisor):
    rows = [row(account_reference=f"A{i}", principal="-1" if i == 3 else "10") for i in range(7)]
    result = run(creditor, supervisor, rows, chunk_rows=2, workers=2)
    assert (result.created, result.rejected) == (6, 1)
    assert result.errors[0]["line"] == 5


def test_the_documented_example_imports_as_documented(creditor, supervisor):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "placement-format.md").read_text()
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    result = run(creditor, supervisor, example.encode())
    assert (result.created, result.rejected) == (4, 0), result.errors
    assert Customer.objects.get(external_ref="C000200").time_zone == "America/Denver"
    assert Account.objects.get(reference="ACC-77002").balance == Decimal("9000.00")
    assert Customer.objects.filter(external_ref="C000124").count() == 1


def test_a_write_conflict_stops_cleanly_with_where_to_resume(creditor, supervisor, monkeypatch):
    from django.db import IntegrityError

    from accounts.placement import services

    calls = {"n": 0}
    real = services._write_chunk

    def second_chunk_conflicts(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(**kwargs)

    monkeypatch.setattr(services, "_write_chunk", second_chunk_conflicts)
    result = run(creditor, supervisor, [row(account_reference=f"A{i}") for i in range(4)], chunk_rows=2)
    assert result.status == "failed" and "Stopped at line 4" in result.message
    assert result.created == 2 and Account.objects.count() == 2


ODD_REFERENCES = ['A"1', "A\\2", "A,3", "{A4}", "A 5", "NULL", "Ä6 ñ", "'A7'", "A8\\\"", ""]


def test_references_with_quotes_commas_and_backslashes_are_found_again(creditor, supervisor):
    """The chunk's lookups pass their keys as one PostgreSQL array literal: every kind of reference must
    come back unchanged, or a re-import would place the same accounts again."""
    rows = [row(customer_ref=ref or "C-empty", account_reference=ref or "A-empty") for ref in ODD_REFERENCES]
    first = run(creditor, supervisor, rows)
    assert (first.created, first.rejected) == (len(rows), 0), first.errors
    again = run(creditor, supervisor, rows)
    assert (again.created, again.unchanged, again.rejected) == (0, len(rows), 0), again.errors
    changed = run(creditor, supervisor, [{**r, "principal": "99"} for r in rows])
    assert changed.updated == len(rows)
    assert set(Account.objects.filter(creditor=creditor).values_list("reference", flat=True)) == {
        ref or "A-empty" for ref in ODD_REFERENCES
    }


def test_read_ahead_gives_the_same_result_as_validating_inline(creditor, supervisor, settings):
    rows = [row(account_reference=f"A{i}", customer_ref=f"C{i % 3}", principal="-1" if i % 4 == 3 else "10")
            for i in range(11)]
    seen = []
    settings.PLACEMENT_READ_AHEAD = True
    ahead = run(creditor, supervisor, rows, chunk_rows=2, progress=seen.append)
    settings.PLACEMENT_READ_AHEAD = False
    inline = run(CreditorFactory(), supervisor, rows, chunk_rows=2)
    for field in ("status", "rows_total", "created", "rejected", "errors", "sha256", "size_bytes"):
        assert getattr(ahead, field) == getattr(inline, field), field
    assert seen == sorted(seen) and seen[-1] == ahead.size_bytes and len(seen) == 7  # 6 chunks, then the end


def test_read_ahead_hands_a_header_error_to_the_import(creditor, supervisor, settings):
    settings.PLACEMENT_READ_AHEAD = True
    result = run(creditor, supervisor, b"nothing,useful\n1,2\n")
    assert result.status == "failed" and "header row" in result.message


def test_read_ahead_thread_stops_when_the_consumer_stops():
    """Closing the chunk generator early stops and joins the thread: the stream is not read afterwards."""
    import threading
    from datetime import date

    from accounts.placement.reader import StreamStats, validated_chunks
    from accounts.placement.rows import RowContext

    data = csv_bytes([row(account_reference=f"A{i}") for i in range(50)])
    stream = io.BytesIO(data)
    ctx = RowContext(currency="NGN", phone_region="NG", language="en", today=date(2025, 6, 1))
    chunks = validated_chunks(stream, ctx, StreamStats(), chunk_rows=5, read_ahead=True)
    assert len(next(chunks)) == 5
    chunks.close()
    assert not [t for t in threading.enumerate() if t.name == "placement-validation"]
    stream.close()  # the thread is gone, so nothing reads the closed stream
