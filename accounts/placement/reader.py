"""Streaming a placement file: bytes → UTF-8 lines (BOM or not) → CSV records → validated rows.
Pure and constant-memory apart from one small entry per account reference (to refuse a reference
repeated inside the file). The file's SHA-256 and the bytes read are counted on the way through.
"""

from __future__ import annotations

import csv
import hashlib
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .rows import HeaderError, PlacedRow, RowContext, RowError, check_header, validate_row

BOM = b"\xef\xbb\xbf"
NOT_UTF8 = "this line is not UTF-8 text; save the file as “CSV UTF-8” and import it again"
csv.field_size_limit(1_000_000)


@dataclass
class StreamStats:
    """Filled in while reading: what was read and its fingerprint."""

    bytes_read: int = 0
    lines: int = 0
    sha256: str = ""
    handed_bytes: int = -1  # with a read-ahead thread: the bytes behind the chunks handed over so far
    _hash: object = field(default_factory=hashlib.sha256, repr=False)


def bytes_done(stats: StreamStats) -> int:
    """How far into the file the rows handed to the caller reach (a read-ahead thread may be further)."""
    return stats.bytes_read if stats.handed_bytes < 0 else stats.handed_bytes


def _text_lines(stream: BinaryIO, stats: StreamStats, bad_lines: set[int]) -> Iterator[str]:
    digest = stats._hash
    first = True
    for raw in stream:
        stats.bytes_read += len(raw)
        stats.lines += 1
        digest.update(raw)
        if first:
            first = False
            if raw.startswith(BOM):
                raw = raw[len(BOM):]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.add(stats.lines)
            yield raw.decode("utf-8", errors="replace")
    stats.sha256 = digest.hexdigest()


def read_placements(
    stream: BinaryIO, ctx: RowContext, stats: StreamStats
) -> Iterator[PlacedRow | list[RowError]]:
    """Yield each data row as a ``PlacedRow`` or its list of errors. Raises ``HeaderError`` when the
    file cannot be read at all (empty, not UTF-8, bad header, no rows)."""
    for item in read_records(stream, stats):
        yield validate_row(item[0], item[1], ctx) if isinstance(item, tuple) else item


def read_records(stream: BinaryIO, stats: StreamStats) -> Iterator[tuple[int, dict] | list[RowError]]:
    """The CSV side only: yield (line, column → text) for each row still to validate, or the errors of a
    row refused here (not UTF-8, unreadable CSV, reference repeated in the file)."""
    bad_lines: set[int] = set()
    lines = _text_lines(stream, stats, bad_lines)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise HeaderError("The file is empty.") from None
    except csv.Error as exc:
        raise HeaderError(f"The header row cannot be read as CSV ({exc}).") from None
    if bad_lines:
        raise HeaderError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” (Excel: File › Save As › CSV UTF-8) and try again."
        )
    names = check_header(header)
    width = len(names)
    seen_refs: dict[int, int] = {}
    ref_index = names.index("account_reference")
    previous_end = reader.line_num
    rows = 0
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            previous_end = reader.line_num
            rows += 1
            yield [RowError(start, "", "", f"this line cannot be read as CSV ({exc})")]
            continue
        end = previous_end = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # blank line
        rows += 1
        if bad_lines and any(n in bad_lines for n in range(start, end + 1)):
            yield [RowError(start, "", "", NOT_UTF8)]
            continue
        raw = dict(zip(names, cells, strict=False))
        if len(cells) > width:
            raw[None] = cells[width:]
        reference = cells[ref_index].strip() if len(cells) > ref_index else ""
        if reference:
            key = hash(reference)
            first_line = seen_refs.setdefault(key, start)
            if first_line != start:
                yield [
                    RowError(
                        start, "account_reference", reference,
                        f"appears more than once in this file (first on line {first_line}); each account once per file",
                    )
                ]
                continue
        yield (start, raw)
    if rows == 0:
        raise HeaderError("The file has a header row but no accounts.")


def _validate_batch(batch: list, ctx: RowContext) -> list:
    return [validate_row(item[0], item[1], ctx) if isinstance(item, tuple) else item for item in batch]


def validated_chunks(
    stream: BinaryIO, ctx: RowContext, stats: StreamStats, *, chunk_rows: int, workers: int = 0, window: int = 3,
    read_ahead: bool = False,
) -> Iterator[list[PlacedRow | list[RowError]]]:
    """Chunks of validated rows, in file order. With ``workers`` > 0 validation runs in that many forked
    processes while this one reads the CSV and the caller writes; at most ``window`` chunks per worker are
    in flight, so memory stays flat however far ahead the reader could run. With ``read_ahead`` (and no
    workers) one thread reads and validates the next chunk while the caller writes this one: no fork, and
    the writer mostly waits on the database, which releases the GIL."""
    records = chunked(read_records(stream, stats), chunk_rows)
    if workers <= 0:
        batches = (_validate_batch(batch, ctx) for batch in records)
        yield from _in_thread(batches, stats) if read_ahead else batches
        return
    import multiprocessing

    pending: deque = deque()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for batch in records:
            pending.append(pool.apply_async(_validate_batch, (batch, ctx)))
            if len(pending) >= window * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


_END = object()


def _in_thread(batches: Iterator[list], stats: StreamStats) -> Iterator[list]:
    """Produce ``batches`` in a thread, one ready chunk ahead of the consumer (so at most three chunks
    exist at once: the one being written, the one waiting, the one being validated). An exception in the
    thread (a HeaderError) is raised here; when the consumer stops early the thread stops after its
    current chunk and is joined, so the stream is never read after this generator is closed.
    ``stats.handed_bytes`` says how far into the file the chunks handed over so far reach."""
    handoff: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    bytes_read = 0

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put((batch, stats.bytes_read)):
                    return
            put((_END, stats.bytes_read))
        except BaseException as exc:  # handed to the consumer, raised there
            put((exc, stats.bytes_read))

    thread = threading.Thread(target=produce, name="placement-validation", daemon=True)
    thread.start()
    try:
        while True:
            item, bytes_read = handoff.get()
            if item is _END:
                break
            if isinstance(item, BaseException):
                raise item
            stats.handed_bytes = bytes_read
            yield item
    finally:
        stop.set()
        thread.join()
        batches.close()


def chunked(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
