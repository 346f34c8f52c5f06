"""Writing a placement file: customers, accounts and their cases, with attributed history.

The file is read as a stream and written in chunks (``CHUNK_ROWS`` rows per transaction), so memory
stays flat however long the file is. Within a chunk every decision is made before anything is written,
so a row is either written whole (customer, account, case and their history rows) or rejected whole.
A chunk commits on its own: if the process dies half-way, the rows already committed are complete and
re-importing the same file finishes the job without duplicating anything (idempotency comes from the
(creditor, external_ref) and (creditor, reference) keys, not from remembering files).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from ..choices import PlacementSource, PlacementStatus, Queue, RoutingReason
from ..models import Account, Case, Creditor, Customer, PlacementImport
from .consents import import_consents
from .reader import StreamStats, bytes_done, validated_chunks
from .rows import HeaderError, PlacedRow, RowContext, RowError
from .writer import TableWriter, allocate_ids, copy_to_history, key_filter, select_dicts

CHUNK_ROWS = 20_000
ACCOUNT_FIELDS = (
    "product", "principal", "interest", "fees", "credits", "placed_amount", "balance", "opened_on", "due_date",
    "itemization_date", "last_payment_date",
)
CUSTOMER_FILL_FIELDS = (
    "first_name", "last_name", "date_of_birth", "email", "phone", "address_line", "city", "postal_code",
    "region", "country", "preferred_channel", "language", "customer_since",
)


class _Stopped(Exception):
    """The import stopped part-way; the message says where and what to do."""


def _validation_workers() -> int:
    """Default processes that validate rows while this one writes (0: validate inline, the default, so web
    and Celery workers never fork). The command and the benchmark ask for workers explicitly."""
    return getattr(settings, "PLACEMENT_VALIDATION_WORKERS", 0)


def _read_ahead() -> bool:
    """Validate the next chunk in a thread while this one is written (no fork, so fine in web and Celery
    workers). Off by default: measured on PostgreSQL it gained nothing (the import waits on the database's
    own CPU on this 2-core machine) and held two more chunks, 274 → 497 MB peak RSS at 200,000 rows."""
    return getattr(settings, "PLACEMENT_READ_AHEAD", False)


def _max_stored_errors() -> int:
    return getattr(settings, "PLACEMENT_MAX_STORED_ERRORS", 20_000)


def placement_import(
    *,
    creditor: Creditor,
    stream: BinaryIO,
    actor,
    file_name: str,
    progress: Callable[[int], None] | None = None,
    source: str = PlacementSource.COMMAND,
    chunk_rows: int = CHUNK_ROWS,
    workers: int | None = None,
) -> PlacementImport:
    """Import a placement CSV (a binary stream) for ``creditor``, attributed to ``actor``.

    Returns the ``PlacementImport`` with its counts and rejected rows. A file that cannot be read at all
    (empty, not UTF-8, bad header) comes back with status ``failed`` and a plain ``message``; nothing is
    written for it. ``progress`` is called with the bytes read so far after each chunk. ``workers`` > 0
    validates in that many forked processes beside the writes (for big files from the command line).

    Deliberately not one big transaction: chunks commit separately so a million-row file neither holds
    its locks for minutes nor keeps its rows in memory (see the module docstring).
    """
    if not creditor.is_active:
        raise ApplicationError(f"{creditor.display_name} is not active; its accounts cannot be placed.")
    record = save_tracked(
        PlacementImport(creditor=creditor, actor=actor, source=source, file_name=(file_name or "upload.csv")[-255:]),
        actor=actor, reason="Placement import started",
    )
    ctx = RowContext(
        currency=creditor.currency, phone_region=creditor.default_phone_region,
        language=creditor.default_language, today=timezone.localdate(),
    )
    stats = StreamStats()
    cap = _max_stored_errors()
    errors: list[dict] = []

    def keep(row_errors: list[RowError]) -> None:
        for e in row_errors:
            if len(errors) < cap:
                errors.append(e.as_dict())
            else:
                record.errors_truncated = True

    workers = _validation_workers() if workers is None else workers
    chunks = validated_chunks(stream, ctx, stats, chunk_rows=chunk_rows, workers=workers, read_ahead=_read_ahead())
    try:
        for batch in chunks:
            good: list[PlacedRow] = []
            for item in batch:
                if isinstance(item, PlacedRow):
                    good.append(item)
                else:
                    record.rejected += 1
                    keep(item)
            record.rows_total += len(batch)
            try:
                created, updated, unchanged, refused = _write_chunk(creditor=creditor, rows=good, actor=actor)
            except IntegrityError:
                # Only a concurrent import of the same accounts gets here (every rule is checked first).
                first = batch[0].line if isinstance(batch[0], PlacedRow) else batch[0][0].line
                raise _Stopped(
                    f"Stopped at line {first}: another import wrote some of these accounts at the same time. "
                    "The rows before that line are in; import the same file again to finish."
                ) from None
            record.created += created
            record.updated += updated
            record.unchanged += unchanged
            record.rejected += len(refused)
            for row_errors in refused:
                keep(row_errors)
            if progress:
                progress(bytes_done(stats))
    except (HeaderError, _Stopped) as exc:
        record.status = PlacementStatus.FAILED
        record.message = str(exc)
    else:
        record.status = PlacementStatus.DONE
    finally:
        chunks.close()  # stops a read-ahead thread before the stream is handed back
    record.sha256 = stats.sha256
    record.size_bytes = stats.bytes_read
    record.errors = sorted(errors, key=lambda e: e["line"])
    record.finished_at = timezone.now()
    with transaction.atomic():
        save_tracked(record, actor=actor, reason=f"Placement import {record.status}")
        audit_record(
            actor=actor, action="placement.imported", obj=record, creditor=creditor,
            payload={
                "file_name": record.file_name, "sha256": record.sha256, "status": record.status,
                "rows": record.rows_total, "created": record.created, "updated": record.updated,
                "unchanged": record.unchanged, "rejected": record.rejected, "message": record.message,
            },
        )
    if progress:
        progress(stats.bytes_read)
    return record


def _insertable(model) -> list:
    """Every stored column except the key, from the model itself (so fields added later are filled with
    their defaults rather than breaking the import)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


class _RowShape:
    """Builds a model's insert rows from dicts: defaults and auto-now columns are worked out once per chunk
    (``Field.get_default`` per value was a tenth of the import), then each row is a copy of the defaults with
    the given values put in place."""

    def __init__(self, model, now, *, with_id: bool):
        fields = _insertable(model)
        if with_id:
            fields = [model._meta.pk, *fields]
        self.fields = fields
        self.names = [f.name for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = [
            now if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) else
            (None if f.primary_key else f.get_default())
            for f in fields
        ]
        self._position = {name: i for i, name in enumerate(self.attnames)}
        self._mutable = [i for i, d in enumerate(self.defaults) if isinstance(d, list | dict)]

    def values(self, given: dict) -> list:
        """The row in field order: the given values by attname (other keys ignored), defaults elsewhere.
        A mutable default (a JSONField's list) is copied so rows never share it."""
        out = self.defaults.copy()
        for i in self._mutable:
            out[i] = out[i].copy()
        position = self._position
        for name, value in given.items():
            i = position.get(name)
            if i is not None:
                out[i] = value
        return out


def _existing_accounts(creditor: Creditor, refs: list[str]) -> dict[str, dict]:
    """The chunk's accounts already stored. PostgreSQL: raw SQL with one array parameter (psycopg returns
    Decimal and date itself); elsewhere the ORM, whose converters give the same types."""
    if connection.vendor != "postgresql":
        return {
            a["reference"]: a
            for a in Account.objects.filter(creditor=creditor, reference__in=refs).values(
                "id", "reference", "currency", "delinquency_bucket", "customer__external_ref", *ACCOUNT_FIELDS
            )
        }
    where, params = key_filter("reference", refs)
    cols = ", ".join(f'a."{c}"' for c in ("id", "reference", "currency", "delinquency_bucket", *ACCOUNT_FIELDS))
    sql = (
        f'SELECT {cols}, c."external_ref" AS "customer__external_ref" '  # noqa: S608 (names are ours)
        f'FROM "{Account._meta.db_table}" a JOIN "{Customer._meta.db_table}" c ON c."id" = a."customer_id" '
        f'WHERE a."creditor_id" = %s AND a.{where}'
    )
    return {a["reference"]: a for a in select_dicts(sql, [creditor.pk, *params])}


def _existing_customers(creditor: Creditor, refs: list[str]) -> dict[str, dict]:
    """The chunk's customers already stored (as ``_existing_accounts``)."""
    names = ("id", "external_ref", "time_zone", "possible_time_zones", *CUSTOMER_FILL_FIELDS)
    if connection.vendor != "postgresql":
        return {
            c["external_ref"]: c
            for c in Customer.objects.filter(creditor=creditor, external_ref__in=refs).values(*names)
        }
    where, params = key_filter("external_ref", refs)
    cols = ", ".join(f'"{c}"' for c in names)
    sql = f'SELECT {cols} FROM "{Customer._meta.db_table}" WHERE "creditor_id" = %s AND {where}'  # noqa: S608
    return {c["external_ref"]: c for c in select_dicts(sql, [creditor.pk, *params])}


@transaction.atomic
def _write_chunk(*, creditor: Creditor, rows: list[PlacedRow], actor) -> tuple[int, int, int, list[list[RowError]]]:
    """Write one chunk of valid rows. Returns (created, updated, unchanged, errors of refused rows).
    Every decision is taken before the first write, so a refused row leaves nothing behind.

    Per chunk, whatever its size: one lookup of the accounts and one of the customers already stored; on
    PostgreSQL the new rows' ids are drawn from the sequences up front and customers, accounts and cases go
    in with one ``COPY`` each, and each table's history with one ``INSERT … SELECT``."""
    if not rows:
        return 0, 0, 0, []
    if connection.vendor == "postgresql":
        # Each chunk's commit returns without waiting for its WAL to reach disk. A crash can lose the
        # last chunks committed (well under a second of them), never half a chunk, and never a chunk the
        # finished PlacementImport record counts: that record commits normally, which flushes the WAL of
        # every chunk before it. The import is idempotent, so running the file again completes it.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
    now = timezone.now()
    existing_accounts = _existing_accounts(creditor, [r.account["reference"] for r in rows])
    customers = _existing_customers(creditor, list({r.customer["external_ref"] for r in rows}))

    refused: list[list[RowError]] = []
    accepted: list[PlacedRow] = []
    for row in rows:
        account = existing_accounts.get(row.account["reference"])
        if account is not None:
            if account["customer__external_ref"] != row.customer["external_ref"]:
                refused.append([RowError(
                    row.line, "customer_ref", row.customer["external_ref"],
                    f"account {account['reference']} is already placed for customer "
                    f"{account['customer__external_ref']}",
                )])
                continue
            if account["currency"] != row.account["currency"]:
                refused.append([RowError(
                    row.line, "currency", row.account["currency"],
                    f"account {account['reference']} is held in {account['currency']}; its currency cannot change",
                )])
                continue
        accepted.append(row)

    # Customers: new ones inserted, known ones filled in (first row in the chunk speaks for the person).
    new_customers: dict[str, dict] = {}
    changed_customers: dict[str, dict] = {}
    created_customer_ids: set[int] = set()
    for row in accepted:
        ref = row.customer["external_ref"]
        if ref in new_customers or ref in changed_customers:
            continue
        current = customers.get(ref)
        if current is None:
            new_customers[ref] = row.customer
        elif _fill_customer(current, row.customer, skip=row.defaulted):
            changed_customers[ref] = current
    if new_customers:
        ids = allocate_ids(Customer, len(new_customers))
        shape = _RowShape(Customer, now, with_id=ids is not None)
        if ids is not None:
            values = [
                shape.values({"id": pk, "creditor_id": creditor.pk, **given})
                for pk, given in zip(ids, new_customers.values(), strict=True)
            ]
            by_ref = dict(zip(new_customers, ids, strict=True))
        else:
            values = [shape.values({"creditor_id": creditor.pk, **given}) for given in new_customers.values()]
        TableWriter(Customer, shape.names).insert(values)
        if ids is None:
            by_ref = _existing_customer_ids(creditor, list(new_customers))
        for ref, pk in by_ref.items():
            customers[ref] = {"id": pk}
        created_customer_ids.update(by_ref.values())
        copy_to_history(Customer, keys=list(by_ref.values()), history_type="+", actor_id=actor.pk,
                        reason="Placed", at=now)
    if changed_customers:
        names = [*CUSTOMER_FILL_FIELDS, "time_zone", "possible_time_zones", "updated_at"]
        TableWriter(Customer, names).update(
            (c["id"], [now if n == "updated_at" else c[n] for n in names]) for c in changed_customers.values()
        )
        copy_to_history(Customer, keys=[c["id"] for c in changed_customers.values()], history_type="~",
                        actor_id=actor.pk, reason="Placement update", at=now)

    # Consent the file states per channel, where it changes something (never over a customer's own choice).
    import_consents(rows=accepted, customer_ids={ref: c["id"] for ref, c in customers.items()}, actor=actor,
                    at=now, creditor=creditor, new_customers=created_customer_ids)

    # Accounts: new ones inserted with their case; changed ones updated; the rest counted as unchanged.
    new_accounts: list[PlacedRow] = []
    changed_accounts: list[tuple[int, list]] = []
    update_names = [*ACCOUNT_FIELDS, "delinquency_bucket", "updated_at"]
    unchanged = 0
    for row in accepted:
        account = existing_accounts.get(row.account["reference"])
        if account is None:
            new_accounts.append(row)
            continue
        changed = [f for f in ACCOUNT_FIELDS if account[f] != row.account[f]]
        if not changed:
            unchanged += 1
            continue
        merged = {**account, **row.account}
        if "due_date" not in changed:
            # The bucket moves with the calendar (accounts_refresh_buckets), not with a re-placement.
            merged["delinquency_bucket"] = account["delinquency_bucket"]
        merged["updated_at"] = now
        changed_accounts.append((account["id"], [merged[n] for n in update_names]))
    if new_accounts:
        ids = allocate_ids(Account, len(new_accounts))
        shape = _RowShape(Account, now, with_id=ids is not None)
        values = []
        for i, row in enumerate(new_accounts):
            given = {
                "creditor_id": creditor.pk, "customer_id": customers[row.customer["external_ref"]]["id"],
                "placed_at": now, **row.account,
            }
            if ids is not None:
                given["id"] = ids[i]
            values.append(shape.values(given))
        TableWriter(Account, shape.names).insert(values)
        account_ids = ids if ids is not None else list(
            Account.objects.filter(creditor=creditor, reference__in=[r.account["reference"] for r in new_accounts])
            .values_list("id", flat=True)
        )
        copy_to_history(Account, keys=account_ids, history_type="+", actor_id=actor.pk, reason="Placed", at=now)
        case_shape = _RowShape(Case, now, with_id=False)
        TableWriter(Case, case_shape.names).insert(
            case_shape.values({
                "account_id": pk, "creditor_id": creditor.pk, "queue": Queue.AUTOMATED,
                "routing_reason": RoutingReason.AUTOMATED, "opened_at": now,
            })
            for pk in account_ids
        )
        copy_to_history(Case, keys=account_ids, where_column="account_id", history_type="+", actor_id=actor.pk,
                        reason="Placed", at=now)
        # Enrolment on placement: each new case joins the best-matching cadence, set-wise, in this chunk.
        from outreach.cadences.services import cadence_enrol_accounts

        cadence_enrol_accounts(account_ids=account_ids, actor=actor, at=now)
    if changed_accounts:
        TableWriter(Account, update_names).update(changed_accounts)
        copy_to_history(Account, keys=[pk for pk, _v in changed_accounts], history_type="~", actor_id=actor.pk,
                        reason="Placement update", at=now)
    return len(new_accounts), len(changed_accounts), unchanged, refused


def _existing_customer_ids(creditor: Creditor, refs: list[str]) -> dict[str, int]:
    return dict(Customer.objects.filter(creditor=creditor, external_ref__in=refs).values_list("external_ref", "id"))


def _fill_customer(customer: dict, values: dict, *, skip: frozenset[str] = frozenset()) -> list[str]:
    """Re-placement fills in: a non-empty value in the file replaces the stored one; an empty value never
    erases what we know (the customer may have told us more since), and a channel or language the file did
    not give is not reset to the default. Returns the changed field names."""
    changed = []
    for name in CUSTOMER_FILL_FIELDS:
        if name in skip:
            continue
        value = values[name]
        if value not in ("", None) and customer[name] != value:
            customer[name] = value
            changed.append(name)
    if values["time_zone"] and customer["time_zone"] != values["time_zone"]:
        customer["time_zone"], customer["possible_time_zones"] = values["time_zone"], []
        changed += ["time_zone", "possible_time_zones"]
    elif values["possible_time_zones"] and not customer["time_zone"] and (
        customer["possible_time_zones"] != values["possible_time_zones"]
    ):
        customer["possible_time_zones"] = values["possible_time_zones"]
        changed.append("possible_time_zones")
    return changed
