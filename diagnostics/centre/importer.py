"""The centre's import: check the whole file first, then open and write it in one transaction.

The order of the checks is the one in sync/FORMAT.md. Memory stays flat: the file is read
in blocks, the lines of a chunk are parsed together and each record judged as if alone (the
answers as the exporter writes them read and checked together: Sink.add_chunk), the rows
written in groups (SQLite: executemany of many-row INSERTs; PostgreSQL: a group none of whose
keys is held yet by COPY straight into its table, any other by COPY into a staging table, then
one INSERT ... SELECT; queries/dialect.py). On PostgreSQL, the tables the region's pages read
get fresh planner statistics after an import that changed a large share of them.

All of it runs in the caller's thread. A thread opening and judging the next groups while
this one writes them was built and measured (README, bench_centre_scale): slower on both
databases on two shared cores. That preparation is a small share of an import (PostgreSQL:
about a tenth; the server's COPY is most of it), it takes CPU from the server, and the writing
thread, woken many times a group by the server's socket, waits for the GIL the other holds.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import compress
from operator import not_

from cryptography.hazmat.primitives.asymmetric import ed25519
from flask_babel import gettext as _

from diagnostics import audit
from diagnostics.batch.container import CHUNK, BatchRefused, plaintext_chunks, read_header, scan
from diagnostics.batch.files import NOT_JSON, loads_lines
from diagnostics.batch.header import check_header
from diagnostics.batch.keys import unb64
from diagnostics.batch.kinds import KINDS
from diagnostics.batch.records import answer_lines, problem
from diagnostics.centre.touched import Touched
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.centre import batches as q
from diagnostics.queries.centre import summaries

GROUP = 5000
# A school numbers its batches 1, 2, 3...; a batch this far past the highest held is not a few
# lost USB sticks but an attack on the gap bookkeeping (docs/security.md).
MAX_SEQUENCE_STEP = 1000
# More quarantined records than this in one batch: the whole batch is refused instead.
MAX_QUARANTINE = 1000
# One record is one line within one 64 KiB chunk (FORMAT.md); a longer line is refused.
MAX_LINE = CHUNK
# Refusals of pushes logged row by row per address and hour; past it they are only counted.
REFUSALS_PER_HOUR = 20
GAPS_SHOWN = 20  # runs of missing batches named in one import's report


@dataclass
class Imported:
    """What one import did, for the command line, the upload page and the push answer."""

    school: str
    sequence: int
    already: bool = False
    records: int = 0
    quarantined: list = field(default_factory=list)
    quarantined_count: int = 0
    gaps: list = field(default_factory=list)
    previous_mismatch: bool = False


def import_batch(db, path, centre, source, address=None):
    """Import one batch file sealed to `centre` (its private keys: current or retired, see
    keystore.CentreKeys); BatchRefused on any doubt.

    `address` is the sender's network address for a push (None for files): its refusals are
    logged row by row only up to REFUSALS_PER_HOUR.
    """
    school_code = None
    try:
        with open(path, "rb") as handle:
            header, header_bytes = read_header(handle)
        check_header(header, header_bytes)
        school_code = header["school"]
        school = _enrolled(db, header)
        batch_hash = scan(path, _school_key(school))
        opener = centre.for_recipient(header["recipient"])
        if opener is None:
            raise BatchRefused(
                _(
                    "The batch is sealed to another centre key (%(fingerprint)s).",
                    fingerprint=header["recipient"],
                ),
                check="recipient",
            )
        if q.batch_by_hash(db, batch_hash):
            return Imported(school_code, header["sequence"], already=True)
        _check_step(db, school, header["sequence"])
        result = _write(db, path, header, school, opener, source, batch_hash)
    except BatchRefused as refused:
        _log_refusal(db, school_code, source, refused.reason, address)
        raise
    return result


def _log_refusal(db, school_code, source, reason, address):
    """Log a refusal; past the hourly limit of an address, only count it."""
    at = now()
    with transaction(db):
        if address is not None and q.refusals_from(db, address, _hour_ago(at)) >= (
            REFUSALS_PER_HOUR
        ):
            q.count_refusal(db, address, at[:13])
        else:
            q.reject(db, at, school_code, source, reason, address)


def _hour_ago(at):
    return (datetime.fromisoformat(at) - timedelta(hours=1)).isoformat(timespec="seconds")


def _check_step(db, school, sequence):
    highest = q.highest_sequence(db, school["id"])
    if sequence > highest + MAX_SEQUENCE_STEP:
        raise BatchRefused(
            _(
                "The batch number %(sequence)d is too far past the last one held (%(last)d): at most %(step)d batches may be missing in between.",  # noqa: E501
                sequence=sequence,
                last=highest,
                step=MAX_SEQUENCE_STEP,
            ),
            check="sequence",
        )


def _enrolled(db, header):
    school = q.school_by_code(db, header["school"])
    if school is None:
        raise BatchRefused(
            _(
                "The batch is signed by a school that is not enrolled: %(school)s.",
                school=header["school"],
            ),
            check="school",
        )
    if header["school_key"] != school["fingerprint"]:
        raise BatchRefused(
            _(
                "The batch is signed by another key than the one %(school)s enrolled.",
                school=header["school"],
            ),
            check="school_key",
        )
    return school


def _school_key(school):
    return ed25519.Ed25519PublicKey.from_public_bytes(unb64(school["signing_key"], 32))


class Sink:
    """Rows waiting to be written, by kind; written in groups."""

    def __init__(self, db, school_id, batch_id, names):
        self.db, self.school_id, self.batch_id, self.names = db, school_id, batch_id, names
        self.waiting = {kind: [] for kind in KINDS}
        self.values = {name: kind.centre_values for name, kind in KINDS.items()}
        self.held, self.shown = [], []  # quarantined rows waiting; the first ones, to report
        self.records = self.quarantined = 0
        self.touched = Touched(db, school_id)  # the children whose derived rows to recompute

    def add_chunk(self, chunk):
        """Check and queue the records of one decrypted chunk (whole lines, FORMAT.md): parsed
        together, each judged alone; a line's number is its place in the batch.

        In the common chunk, valid UTF-8 without U+0000, whose answers are all written as the
        exporter writes them and all have a real moment for a time, those answers are read
        and checked together (records.answer_lines) and the other lines one by one; any other
        chunk has all its lines judged one by one. Either way each record gets the verdict
        `problem` gives it alone, and each kind's rows are queued in the order of their lines."""
        nul = b"\\u0000" in chunk  # else no line of it can hold U+0000 (_nul_problem)
        if nul or not self._add_answers_apart(chunk):
            self._add_one_by_one(loads_lines(chunk), nul)

    def _add_answers_apart(self, chunk):
        """Queue the chunk's records, its exporter-written answers together; False (nothing
        done) when they cannot all be judged so."""
        try:
            text = chunk.decode("utf-8", "surrogatepass")  # as json.loads decodes each line
        except UnicodeDecodeError:
            return False
        found = answer_lines(text, self.school_id)
        if found is None:
            return False
        is_answer, rows = found
        others = list(map(not_, is_answer))
        parts = chunk.split(b"\n")[:-1]
        rest = list(compress(parts, others))
        parsed = loads_lines(b"\n".join(rest) + b"\n") if rest else []
        if any(type(record) is dict and record.get("kind") == "answer" for _l, record in parsed):
            return False  # an answer written otherwise: the answers' rows keep the lines' order
        places = compress(range(self.records + 1, self.records + 1 + len(parts)), others)
        for number, (line, record) in zip(places, parsed, strict=True):
            self._add(number, line, record, False)
        self.records += len(parts)
        queue = self.waiting["answer"]
        queue += rows
        if len(queue) >= GROUP:
            self.flush("answer")
        return True

    def _add_one_by_one(self, parsed, nul):
        for line, record in parsed:
            self.records += 1
            self._add(self.records, line, record, nul)

    def _add(self, number, line, record, nul):
        """Judge one record alone (`nul`: its chunk may hold U+0000, see _nul_problem) and
        queue its row, or quarantine it."""
        if record is NOT_JSON:
            self.hold(number, None, "not_json", line)
            return
        reason = problem(record, self.names) or (_nul_problem(record, line) if nul else None)
        if reason:
            self.hold(number, record, reason, line)
            return
        kind = record["kind"]
        queue = self.waiting[kind]
        queue.append(self.values[kind](record, self.school_id, self.batch_id))
        if len(queue) >= GROUP:
            self.flush(kind)

    def hold(self, number, record, reason, line):
        """Quarantine one line; past MAX_QUARANTINE the whole batch is refused."""
        self.quarantined += 1
        if self.quarantined > MAX_QUARANTINE:
            raise BatchRefused(
                _(
                    "More than %(num)d records of the batch break the format's rules: the whole batch is refused.",  # noqa: E501
                    num=MAX_QUARANTINE,
                ),
                check="quarantine",
            )
        kind = record.get("kind") if isinstance(record, dict) else None
        kind = kind[:40] if isinstance(kind, str) else None
        text = line.decode("utf-8", "replace").replace("\x00", "\ufffd")
        self.held.append((self.batch_id, number, kind, reason, text))
        if len(self.shown) < 100:
            self.shown.append({"line": number, "kind": kind, "reason": reason})

    def flush(self, kind=None):
        """Write the waiting rows of `kind` and of the kinds before it (an answer's session and
        code are then held when it is written), or of every kind, and the quarantine."""
        names = list(self.waiting)
        for name in names[: names.index(kind) + 1] if kind else names:
            spec = KINDS[name]
            self.touched.note(name, self.waiting[name])
            q.upsert(self.db, spec.table, spec.key, spec.columns, self.waiting[name])
            self.waiting[name] = []
        if kind is None and self.held:
            q.quarantine(self.db, self.held)
            self.held = []


def _nul_problem(record, line):
    """A text field holding U+0000, which a PostgreSQL text column cannot store: quarantined on
    either database, so both hold the same (JSON-encoded columns escape it and are fine)."""
    if b"\\u0000" not in line:
        return None
    for name, value in record.items():
        if isinstance(value, str) and "\x00" in value:
            return f"field:{name[:40]}"
    return None


def _write(db, path, header, school, centre, source, batch_hash):
    with transaction(db):  # one transaction: a failure anywhere below leaves the database as it was
        batch_id = q.add_batch(db, school["id"], header, batch_hash, now(), source)
        sink = Sink(db, school["id"], batch_id, q.names_allowed(db))
        for chunk in plaintext_chunks(path, centre.kem):
            sink.add_chunk(chunk)
        expected = sum(header["counts"].values())
        if sink.records != expected:
            raise BatchRefused(
                _(
                    "The batch holds %(found)d records but its header says %(expected)d.",
                    found=sink.records,
                    expected=expected,
                ),
                check="count",
            )
        sink.flush()
        # A batch comes from one school: the derived rows of the children it touched are
        # recomputed from their records (centre/touched.py).
        sink.touched.refresh()
        summaries.refresh_statistics(db)  # PostgreSQL, after the commit, when much changed
        q.finish_batch(db, batch_id, sink.records, sink.quarantined)
        # In the import's own transaction: one commit, and no import without its entry.
        audit.record(
            db, None, "import_batch", f"school:{header['school']}", f"sequence {header['sequence']}"
        )
    return Imported(
        header["school"],
        header["sequence"],
        records=sink.records,
        quarantined=sink.shown,
        quarantined_count=sink.quarantined,
        gaps=q.gap_ranges(db, school["id"], limit=GAPS_SHOWN),
        previous_mismatch=_previous_mismatch(db, school["id"], header),
    )


def _previous_mismatch(db, school_id, header):
    before = q.hashes_of_sequence(db, school_id, header["sequence"] - 1)
    return bool(before) and header["previous"] not in before


def ranges_text(ranges, shown=GAPS_SHOWN):
    """Runs of missing batches for people: "2, 5–9, 12", and "…" past the first `shown`."""
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges[:shown])
    return text + (", …" if len(ranges) > shown else "")
