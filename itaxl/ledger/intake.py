"""Files into the ledger: stored once, checked once, every entry accounted for.

:func:`add` walks its inputs exactly as ``itaxl validate`` does.  Each file is copied into the
store while it is hashed (one read), so the check reads exactly the bytes that are kept and a
file changed on disk meanwhile cannot get another file's answer.  Bytes the ledger already
holds are "already received", with the first receipt.  Every entry found is recorded in the
``intake`` table: stored, already received, refused (with its problem) or ignored (with the
reason).  Rows are written in transactions of up to :data:`BATCH` files, after their bytes
are synced; a file is acknowledged only once its transaction has committed.

:func:`recheck` reads every stored file again with today's rules and records a new result
where anything changed; the earlier result stays, no longer current, and the audit says so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
from typing import Callable, Iterable, Iterator

import sqlalchemy as sa

from .. import __version__
from ..batch import has_failed, read_many, refused
from ..errors import OutputError, UsageError
from ..fieldtypes import BE_AS_CE_YEARS
from ..guard import DEFAULT_LIMITS, Limits
from ..inputs import shown, walk
from ..problems import Problem
from ..reader import Submission
from ..rules import EVERY_RULE, Checklist
from ..schema import Kind
from ..thai import be_to_ce
from . import codec, database
from .core import Ledger, as_stamp, batches, default_actor, insert_ignore, now, version_query
from .documents import CHECKED, FAILED, UNREADABLE, Version
from .tables import blobs, intake, results, submissions

BATCH = 64
"""Files recorded per transaction: few enough that a crash loses little work, enough that
8,000 files do not cost 8,000 synced commits."""

STORED, ALREADY, REFUSED, IGNORED = "stored", "already received", "refused", "ignored"
_CHUNK = 1 << 20


@dataclasses.dataclass
class Receipt:
    """What became of one entry an ``add`` found."""

    path: str
    outcome: str
    reason: str = ""
    version: Version | None = None
    """The stored submission; for "already received", the first receipt of those bytes (its
    ``received_at`` says when)."""
    problems: list[Problem] = dataclasses.field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return self.outcome == REFUSED or (self.outcome == STORED and any(p.is_error for p in self.problems))

    def to_dict(self) -> dict:
        v = self.version
        return {"path": self.path, "outcome": self.outcome, "reason": self.reason,
                "submission": None if v is None else {
                    "id": v.id, "sha256": v.sha256, "org_code": v.org_code, "kind": v.kind,
                    "fiscal_year": v.fiscal_year, "round": v.round or None, "version": v.version,
                    "state": v.state, "outcome": v.outcome, "received_at": v.received_at, "sent_at": v.sent_at},
                "problems": [p.to_dict() for p in self.problems]}


@dataclasses.dataclass
class AddReport:
    """What ``itaxl ledger add`` did: a receipt for every entry found, ``stats`` and :meth:`to_json`."""

    receipts: list[Receipt]
    ledger: str
    created: bool

    @property
    def stats(self) -> dict[str, int]:
        count = lambda outcome: sum(r.outcome == outcome for r in self.receipts)  # noqa: E731
        stored = [r for r in self.receipts if r.outcome == STORED]
        return {"found": len(self.receipts), "stored": len(stored), "already": count(ALREADY),
                "refused": count(REFUSED), "ignored": count(IGNORED),
                "valid": sum(not r.has_errors for r in stored), "invalid": sum(r.has_errors for r in stored),
                "unreadable": sum(r.version is not None and r.version.state == UNREADABLE for r in stored),
                "failed": sum(r.version is not None and r.version.state == FAILED for r in stored)}

    @property
    def valid(self) -> bool:
        """True when no new file has an error and nothing was refused."""
        return not any(r.has_errors for r in self.receipts)

    @property
    def exit_code(self) -> int:
        return 3 if self.stats["failed"] else 0 if self.valid else 1

    def to_dict(self) -> dict:
        return {"ledger": self.ledger, "created": self.created, "receipts": [r.to_dict() for r in self.receipts],
                "summary": self.stats}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


@dataclasses.dataclass
class _Arrival:
    """A file copied into the store, waiting for its check and its row."""

    path: str
    sha256: str
    size: int
    sent_at: str


def as_ce(moment: datetime.date) -> datetime.date:
    """A date or moment typed with its B.E. year (2567-10-01) in C.E.; a C.E. one as it is."""
    if moment.year >= BE_AS_CE_YEARS[0]:
        return moment.replace(year=be_to_ce(moment.year))
    return moment


def parse_received(when: str | datetime.date) -> str:
    """``--received``: a date (2024-10-01, or its B.E. year 2567-10-01, taken as the start of
    that day in Thailand) or an ISO date and time; as the ledger writes moments."""
    if isinstance(when, datetime.datetime):
        moment = when
    elif isinstance(when, datetime.date):
        moment = datetime.datetime.combine(when, datetime.time())
    else:
        try:
            moment = datetime.datetime.fromisoformat(when.strip())
        except ValueError:
            raise UsageError(f"--received {when!r}: give a date as YYYY-MM-DD (or a date and time)") from None
    moment = as_ce(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    return as_stamp(moment)


def add(ledger: Ledger, paths: Iterable[str | os.PathLike], *, jobs: int = 1,
        received: str | datetime.date | None = None,
        actor: str | None = None, key: bytes | None = None, limits: Limits = DEFAULT_LIMITS,
        checklist: Checklist = EVERY_RULE, progress: Callable[[int], None] | None = None) -> AddReport:
    """Store and check every new file under ``paths``; a receipt for every entry found.

    ``received`` (a date or text, see :func:`parse_received`) is the date the office sent these
    files; without it, each file's modification time.  ``progress`` is called with 1 per entry."""
    actor = actor or default_actor()
    received = parse_received(received) if received is not None else None
    own = [ledger.location.store] + ([ledger.location.sqlite_file.parent] if ledger.location.sqlite_file else [])
    found = walk(paths, outputs=own)
    receipts: dict[int, Receipt] = {}
    for i in found.ignored:
        receipts[len(receipts)] = Receipt(shown(i.path), IGNORED, i.reason)
    for r in found.refused:
        sub = refused(r)
        receipts[len(receipts)] = Receipt(shown(r.path), REFUSED, sub.problems[0].message_en, None, sub.problems)
    with ledger.store.writing(when_alone=lambda: _sweep(ledger)):
        with ledger.writer.begin() as conn:
            run_id = ledger.start_run(conn, "add", actor)
        arrivals: list[tuple[int, _Arrival]] = []
        seen: dict[str, int] = {}
        for path in found.files:
            slot = len(receipts)
            receipts[slot] = Receipt(shown(path), "")
            try:
                arrival = _arrive(ledger, path, limits, received)
            except OSError as exc:
                receipts[slot] = Receipt(shown(path), REFUSED, f"cannot be read: {exc.strerror or exc}")
                continue
            if arrival is None:
                receipts[slot] = Receipt(shown(path), REFUSED,
                                         f"larger than the limit of {limits.max_file_bytes >> 20} MiB "
                                         "(raise it with --max-file-mb)")
                continue
            if arrival.sha256 in seen:  # the same bytes twice in this run
                receipts[slot] = Receipt(shown(path), ALREADY, f"the same file as {receipts[seen[arrival.sha256]].path}")
                continue
            seen[arrival.sha256] = slot
            arrivals.append((slot, arrival))
        firsts = _first_receipts(ledger, [a.sha256 for _, a in arrivals])
        new = []
        for slot, arrival in arrivals:
            first = firsts.get(arrival.sha256)
            if first is not None:
                receipts[slot] = Receipt(receipts[slot].path, ALREADY, "", first)
            else:
                new.append((slot, arrival))
        checked = read_many([str(ledger.store.path(a.sha256)) for _, a in new], jobs=jobs, key=key, limits=limits,
                            keep_manifest=False, checklist=checklist, catalogue=ledger.catalogue)
        with _database_full(ledger):
            for group in batches(zip(new, checked), BATCH):
                for (slot, arrival), sub, version in record(ledger, group, run_id=run_id, actor=actor,
                                                            skipped=checklist.skipped):
                    receipts[slot] = (Receipt(receipts[slot].path, STORED, "", version, sub.problems) if version.id
                                      else Receipt(receipts[slot].path, ALREADY, "", version))
            _record_intake(ledger, run_id, [receipts[i] for i in sorted(receipts)])
    if progress:
        progress(len(receipts))
    return AddReport([receipts[i] for i in sorted(receipts)], ledger.location.shown, ledger.created)


def _arrive(ledger: Ledger, path: str, limits: Limits, received: str | None) -> _Arrival | None:
    """Copy a file into the store while hashing it; None when it is over the size limit.

    A file that cannot be read raises :class:`OSError` (the caller refuses it); a store that
    cannot be written (a full disk) stops the run: :class:`~itaxl.errors.OutputError`."""
    st = os.stat(path)
    if st.st_size > limits.max_file_bytes:
        return None
    digest = hashlib.sha256()
    data = bytearray()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            data += chunk
    sha = digest.hexdigest()
    try:
        ledger.store.put(bytes(data), sha)
    except OSError as exc:
        raise OutputError(f"cannot store {shown(path)} in {ledger.store.root}: {exc.strerror or exc}; "
                          "nothing of this file was recorded") from None
    sent = received or as_stamp(datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc))
    return _Arrival(path, sha, len(data), sent)


@contextlib.contextmanager
def _database_full(ledger: Ledger) -> Iterator[None]:
    """A database that cannot grow stops the run with exit 2; what committed before is whole."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        text = str(exc.orig or exc)
        if "full" not in text.lower() and "no space" not in text.lower():
            raise
        raise OutputError(f"the ledger database {ledger.location.shown} cannot grow ({text.splitlines()[0]}); "
                          "the files recorded before this are complete, the rest were not recorded") from None


def _first_receipts(ledger: Ledger, shas: list[str]) -> dict[str, Version]:
    return {v.sha256: v for chunk in batches(shas, 500) for v in ledger.versions(submissions.c.sha256.in_(chunk))}


def state_of(sub: Submission) -> tuple[str, str | None]:
    """(state, outcome) of a checked submission."""
    if has_failed(sub):
        return FAILED, None
    if sub.kind is None:
        return UNREADABLE, None
    if any(p.is_error for p in sub.problems):
        return CHECKED, "errors"
    return CHECKED, "warnings" if any(p.is_warning for p in sub.problems) else "ok"


def document_of(sub: Submission, state: str) -> tuple[str, str, int, int] | None:
    """(office, kind, fiscal year, round) of a submission that names them all, else None."""
    if state != CHECKED or not sub.org_code or sub.fiscal_year is None or sub.kind is None:
        return None
    if sub.kind == Kind.PROGRESS.value:
        return (sub.org_code, sub.kind, sub.fiscal_year, sub.round) if sub.round else None
    return (sub.org_code, sub.kind, sub.fiscal_year, 0)


def record(ledger: Ledger, group: list, *, run_id: int, actor: str, skipped: list[str],
           source: str = "folder") -> list[tuple]:
    """Record checked arrivals in one transaction: ``group`` holds ((slot, arrival), submission).

    Returns ((slot, arrival), submission, version) for each; a version with ``id`` 0 is another
    writer's receipt of the same bytes that committed first (then "already received")."""
    keys = []
    for (_, arrival), sub in group:
        state, _ = state_of(sub)
        doc = document_of(sub, state)
        keys.append(f"sha:{arrival.sha256}")
        if doc is not None:
            keys.append(_lock_key(doc))
    out = []
    with ledger.writer.begin() as conn:
        for lock in sorted(set(keys)):  # one order for every writer: no deadlock
            database.document_lock(conn, lock)
        for (slot, arrival), sub in group:
            first = conn.execute(sa.select(submissions.c.id).where(submissions.c.sha256 == arrival.sha256)).scalar()
            if first is not None:
                out.append(((slot, arrival), sub, dataclasses.replace(_version(conn, first), id=0)))
                continue
            out.append(((slot, arrival), sub, _insert(ledger, conn, arrival, sub, run_id=run_id, actor=actor,
                                                      skipped=skipped, source=source)))
    return out


def _lock_key(doc: tuple) -> str:
    """What writers numbering a document's versions lock (:func:`database.document_lock`)."""
    return "doc:" + ":".join(map(str, doc))


def _next_version(conn: sa.Connection, doc: tuple) -> int:
    """The number of a document's next version; call it holding the document's lock."""
    org, kind, year, round_ = doc
    return 1 + (conn.execute(sa.select(sa.func.max(submissions.c.version)).where(
        submissions.c.org_code == org, submissions.c.kind == kind, submissions.c.fiscal_year == year,
        submissions.c.round == round_)).scalar() or 0)


def _version(conn: sa.Connection, submission_id: int) -> Version:
    row = conn.execute(version_query().where(submissions.c.id == submission_id)).one()
    return Version(*row)


def _insert(ledger: Ledger, conn: sa.Connection, arrival: _Arrival, sub: Submission, *, run_id: int, actor: str,
            skipped: list[str], source: str) -> Version:
    state, outcome = state_of(sub)
    doc = document_of(sub, state)
    version = _next_version(conn, doc) if doc is not None else None
    insert_ignore(conn, blobs, {"sha256": arrival.sha256, "size": arrival.size, "stored_at": now()})
    ledger.keep_identity(conn, sub)
    folder, name = os.path.split(shown(arrival.path))
    received_at = now()
    values = dict(
        sha256=arrival.sha256, org_code=sub.org_code if doc else (sub.org_code or None),
        kind=sub.kind, fiscal_year=sub.fiscal_year, round=doc[3] if doc else (sub.round or 0), version=version,
        name=name, folder=folder, source=source, sent_at=arrival.sent_at, received_at=received_at, run_id=run_id,
        state=state, outcome=outcome, errors=sum(p.is_error for p in sub.problems),
        warnings=sum(p.is_warning for p in sub.problems))
    sid = conn.execute(sa.insert(submissions).values(**values)).inserted_primary_key[0]
    _insert_result(conn, sid, sub, skipped)
    ledger.audit(conn, sid, actor, "received", None, "received", at=received_at)
    ledger.audit(conn, sid, actor, "checked", "received", _state_text(state, outcome), at=received_at)
    return _version(conn, sid)


def _state_text(state: str, outcome: str | None) -> str:
    return f"{state}/{outcome}" if outcome else state


def _insert_result(conn: sa.Connection, sid: int, sub: Submission, skipped: list[str]) -> None:
    conn.execute(sa.update(results).where(results.c.submission_id == sid, results.c.current.is_(True))
                 .values(current=False))
    conn.execute(sa.insert(results).values(
        submission_id=sid, checked_at=now(), itaxl_version=__version__,
        framework_sha256=sub.framework.sha256 if sub.framework else None, schema_version=sub.schema_version,
        skipped=" ".join(skipped), current=True, record=codec.dump(sub)))


def _record_intake(ledger: Ledger, run_id: int, receipts: list[Receipt]) -> None:
    rows = [{"run_id": run_id, "path": r.path, "outcome": r.outcome, "reason": r.reason,
             "sha256": r.version.sha256 if r.version else None, "submission_id": r.version.id if r.version else None}
            for r in receipts]
    with ledger.writer.begin() as conn:
        for chunk in batches(rows, 500):
            conn.execute(sa.insert(intake), chunk)


def _sweep(ledger: Ledger) -> tuple[int, int]:
    """Remove what an interrupted add left in the store (called when no other writer is at work)."""
    with ledger.engine.connect() as conn:
        known = set(conn.execute(sa.select(blobs.c.sha256)).scalars())
    return ledger.store.sweep(known)


# --------------------------------------------------------------------------- recheck


@dataclasses.dataclass
class Change:
    """A stored file whose check says something else today."""

    version: Version
    before: str
    after: str
    added: list[str]
    removed: list[str]

    def to_dict(self) -> dict:
        return {"id": self.version.id, "name": self.version.name, "org_code": self.version.org_code,
                "before": self.before, "after": self.after, "codes_added": self.added, "codes_removed": self.removed}


@dataclasses.dataclass
class RecheckReport:
    """What ``itaxl ledger recheck`` found: how many files were checked, and what changed."""

    checked: int
    changes: list[Change]

    @property
    def stats(self) -> dict[str, int]:
        return {"checked": self.checked, "changed": len(self.changes)}

    def to_dict(self) -> dict:
        return {"summary": self.stats, "changes": [c.to_dict() for c in self.changes]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def recheck(ledger: Ledger, *, jobs: int = 1, actor: str | None = None, key: bytes | None = None,
            limits: Limits = DEFAULT_LIMITS, checklist: Checklist = EVERY_RULE) -> RecheckReport:
    """Check every stored file again; record a new result wherever the answer changed."""
    actor = actor or default_actor()
    versions = ledger.versions()
    before = {v.id: s for v, s in zip(versions, ledger.submissions_of(versions))}
    changes = []
    paths = [str(ledger.store.path(v.sha256)) for v in versions]
    for group in batches(zip(versions, read_many(paths, jobs=jobs, key=key, limits=limits, keep_manifest=False,
                                                  checklist=checklist, catalogue=ledger.catalogue)), BATCH):
        with ledger.writer.begin() as conn:
            for v, sub in group:
                old = before[v.id]
                sub.path = old.path
                if codec.dump(sub) == codec.dump(old):  # values, problems and identity as stored
                    continue
                changes.append(_rechecked(ledger, conn, v, old, sub, actor, checklist.skipped))
    return RecheckReport(len(versions), changes)


def _rechecked(ledger: Ledger, conn: sa.Connection, v: Version, old: Submission, sub: Submission, actor: str,
               skipped: list[str]) -> Change:
    state, outcome = state_of(sub)
    values: dict = dict(state=state, outcome=outcome, errors=sum(p.is_error for p in sub.problems),
                        warnings=sum(p.is_warning for p in sub.problems))
    doc = document_of(sub, state)
    if v.version is None and doc is not None:  # readable now (a bug fixed): it joins its document
        database.document_lock(conn, _lock_key(doc))
        org, kind, year, round_ = doc
        values.update(org_code=org, kind=kind, fiscal_year=year, round=round_, version=_next_version(conn, doc))
    conn.execute(sa.update(submissions).where(submissions.c.id == v.id).values(**values))
    _insert_result(conn, v.id, sub, skipped)
    ledger.keep_identity(conn, sub)
    after = _state_text(state, outcome)
    before_text = _state_text(v.state, v.outcome)
    old_codes, new_codes = {p.code for p in old.problems}, {p.code for p in sub.problems}
    added, removed = sorted(new_codes - old_codes), sorted(old_codes - new_codes)
    ledger.audit(conn, v.id, actor, "rechecked", before_text, after,
                 note=f"itaxl {__version__}: +{','.join(added) or '-'} -{','.join(removed) or '-'}")
    return Change(v, before_text, after, added, removed)
