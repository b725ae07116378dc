"""The ledger as an object: open it, then call its verbs (the twins of ``itaxl ledger …``).

>>> from itaxl.ledger import Ledger
>>> with Ledger.open("itaxl-ledger", create=True) as book:     # doctest: +SKIP
...     report = book.add(["inbox/"], jobs=2)
...     book.status(fiscal_year=2567).to_json()
...     book.merge().to_excel("consolidated.xlsx")
"""

from __future__ import annotations

import dataclasses
import datetime
import getpass
import os
import socket
from typing import TYPE_CHECKING, Iterable, Iterator

import sqlalchemy as sa

from .. import __version__
from ..framework import SHIPPED, Catalogue, Framework
from ..framework import parse as parse_framework
from ..reader import Submission
from ..schema import Layout, shipped_layouts
from ..schema import parse as parse_layout
from . import codec, database
from .documents import Version, current_versions
from .store import FileStore
from .tables import audit, frameworks, layouts, results, runs, submissions

if TYPE_CHECKING:
    from . import figures, intake, review, upkeep


def now() -> str:
    """The time as the ledger writes it: UTC, to the microsecond, sortable as text."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def as_stamp(moment: datetime.datetime) -> str:
    """A moment as the ledger writes it (naive times are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


def default_actor() -> str:
    """Who a change is recorded as made by when nobody says: the user at this host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"


class Ledger:
    """An opened ledger: its database and its file store.  Use :meth:`open`."""

    def __init__(self, location: database.Location, engine: sa.Engine, *, backup: str | None, created: bool,
                 catalogue: Catalogue = SHIPPED):
        self.location = location
        self.engine = engine
        """Reads (a deferred transaction each)."""
        self.writer = engine.execution_options(**{database.WRITE: True})
        """Writes: each transaction takes SQLite's write lock as it begins."""
        self.store = FileStore(location.store)
        self.backup = backup
        """The copy of the database made before an upgrade this open did (SQLite), or None."""
        self.created = created
        """Whether this open made the ledger."""
        self.catalogue = catalogue
        self._frameworks: dict[str, Framework | None] = {}
        self._layouts: dict[tuple[str, str], Layout | None] = {}
        self._kept: set[str] = set()

    @classmethod
    def open(cls, target: str | os.PathLike | None = None, *, store: str | os.PathLike | None = None,
             create: bool = False, catalogue: Catalogue = SHIPPED) -> "Ledger":
        """The ledger at ``target`` (a folder or a PostgreSQL URL; see :func:`database.locate`).

        A missing ledger is made only with ``create``; one made by an older itaxl is upgraded,
        one made by a newer itaxl refused (:class:`database.LedgerError`)."""
        location = database.locate(target, store)
        engine, backup, created = database.connect(location, create=create)
        return cls(location, engine, backup=backup, created=created, catalogue=catalogue)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading rows

    def versions(self, where=None) -> list[Version]:
        """Every stored submission (or those ``where`` selects), oldest first."""
        query = version_query().order_by(submissions.c.id)
        if where is not None:
            query = query.where(where)
        with self.engine.connect() as conn:
            return [Version(*row) for row in conn.execute(query)]

    def current(self, *, fiscal_year: int | None = None) -> dict[tuple, Version]:
        """The counted version of every document (of ``fiscal_year``, when given)."""
        where = submissions.c.fiscal_year == fiscal_year if fiscal_year is not None else None
        return current_versions(self.versions(where))

    def submissions_of(self, versions: Iterable[Version]) -> list[Submission]:
        """The stored results of these versions, as submissions (no workbook is opened).

        Read and decoded a few hundred at a time: the stored text of a national ledger is
        several hundred megabytes, and only its decoded values are kept."""
        out: list[Submission] = []
        with self.engine.connect() as conn:
            for chunk in batches(versions, 500):
                query = sa.select(results.c.submission_id, results.c.record).where(
                    results.c.submission_id.in_([v.id for v in chunk]), results.c.current.is_(True))
                records = {sid: record for sid, record in conn.execute(query)}
                out += [codec.load(records.pop(v.id), path=self.display_name(v), source=str(self.store.path(v.sha256)),
                                   framework=self.framework, layout=self.layout) for v in chunk]
        return out

    @staticmethod
    def display_name(v: Version) -> str:
        """How reports name a stored file: its folder and original name."""
        return f"{v.folder}/{v.name}" if v.folder else v.name

    # ------------------------------------------------------------------ frameworks and layouts

    def framework(self, sha256: str) -> Framework | None:
        """The framework of that SHA-256: known to this run, or kept in the ledger."""
        if sha256 not in self._frameworks:
            found = self.catalogue.by_sha(sha256)
            if found is None:
                row = self._kept_text(frameworks, sha256)
                found = parse_framework(*row) if row else None
            self._frameworks[sha256] = found
        return self._frameworks[sha256]

    def layout(self, version: str, sha256: str) -> Layout | None:
        """The layout of that version and SHA-256: shipped, given, or kept in the ledger."""
        key = (version, sha256)
        if key not in self._layouts:
            found = next((l for l in (*self.catalogue.layouts, *shipped_layouts())
                          if l.version == version and l.sha256 == sha256), None)
            if found is None:
                row = self._kept_text(layouts, sha256)
                found = parse_layout(*row) if row else None
            self._layouts[key] = found
        return self._layouts[key]

    def _kept_text(self, table: sa.Table, sha256: str) -> tuple[str, str] | None:
        """(text, origin) of the framework or layout of that SHA-256 the ledger kept, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table.c.text, table.c.origin).where(table.c.sha256 == sha256)).first()
        return (row.text, row.origin) if row else None

    def keep_identity(self, conn: sa.Connection, sub: Submission) -> None:
        """Keep the text of the framework and layout ``sub`` was read with (once each)."""
        if sub.framework is not None and sub.framework.sha256 not in self._kept:
            insert_ignore(conn, frameworks, {"sha256": sub.framework.sha256, "year": sub.framework.year,
                                             "origin": sub.framework.origin, "text": sub.framework.text})
            self._kept.add(sub.framework.sha256)
            self._frameworks.setdefault(sub.framework.sha256, sub.framework)
        if sub.layout is not None and sub.layout.sha256 not in self._kept:
            insert_ignore(conn, layouts, {"sha256": sub.layout.sha256, "version": sub.layout.version,
                                          "origin": sub.layout.origin, "text": sub.layout.text})
            self._kept.add(sub.layout.sha256)

    # ------------------------------------------------------------------ runs and audit

    def start_run(self, conn: sa.Connection, command: str, actor: str) -> int:
        return conn.execute(sa.insert(runs).values(started_at=now(), command=command, itaxl_version=__version__,
                                                   actor=actor)).inserted_primary_key[0]

    @staticmethod
    def audit(conn: sa.Connection, submission_id: int, actor: str, action: str, before: str | None,
              after: str | None, note: str | None = None, at: str | None = None) -> None:
        conn.execute(sa.insert(audit).values(submission_id=submission_id, at=at or now(), actor=actor,
                                             action=action, before=before, after=after, note=note))

    # ------------------------------------------------------------------ the verbs

    def add(self, paths: Iterable[str | os.PathLike], **options) -> "intake.AddReport":
        """Store and check every new file under ``paths`` (``itaxl ledger add``); see :mod:`.intake`."""
        from . import intake

        return intake.add(self, paths, **options)

    def recheck(self, **options) -> "intake.RecheckReport":
        """Check every stored file again with today's rules (``itaxl ledger recheck``)."""
        from . import intake

        return intake.recheck(self, **options)

    def decide(self, org_code: str, decision: str, **options) -> Version:
        """Record a staff decision about a version (``itaxl ledger decide``); see :mod:`.review`."""
        from . import review

        return review.decide(self, org_code, decision, **options)

    def history(self, org_code: str) -> "review.History":
        """Every version of every document of an office (``itaxl ledger history``)."""
        from . import review

        return review.history(self, org_code)

    def status(self, **options) -> "figures.Status":
        """Who sent what for a fiscal year (``itaxl ledger status``); see :mod:`.figures`."""
        from . import figures

        return figures.status(self, **options)

    def merge(self, **options):
        """The consolidated result from stored results (``itaxl ledger merge``): no workbook is read."""
        from . import figures

        return figures.merge(self, **options)

    def trends(self, **options) -> "figures.Trends":
        """Each office's figures by fiscal year, and each province's (``itaxl ledger trends``)."""
        from . import figures

        return figures.trends(self, **options)

    def export(self, directory: str | os.PathLike, **options) -> "upkeep.Export":
        """Write the stored files under readable names with a manifest (``itaxl ledger export``)."""
        from . import upkeep

        return upkeep.export(self, directory, **options)

    def verify(self) -> "upkeep.Verification":
        """Re-hash every stored file and check the database (``itaxl ledger verify``)."""
        from . import upkeep

        return upkeep.verify(self)


def version_query() -> sa.Select:
    """A query for submissions as :class:`Version` rows (``Version(*row)``)."""
    return sa.select(*(submissions.c[f.name] for f in dataclasses.fields(Version)))


def insert_ignore(conn: sa.Connection, table: sa.Table, values: dict) -> None:
    """Insert a row unless one with its primary key exists (safe when two writers race)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(table).values(**values).on_conflict_do_nothing())


def batches(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of up to ``size``, as they come (an iterator is not read ahead)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
