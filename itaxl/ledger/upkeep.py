"""Keeping a ledger sound: export its files, verify its bytes and its database.

``export`` writes every counted file (every version with ``all_versions``) under a readable
name, ``<fiscal year>/<kind>[-r<round>]/<office>-v<version>.xlsx``, with ``manifest.csv``
naming each file's office, document, version, state, SHA-256 and original name.  Files that
name no office go under ``unplaced/`` with ``all_versions``.

``verify`` re-hashes every stored file and checks the database: SQLite's integrity and
foreign keys, rows whose file is missing, files no row names.  Before it looks it waits for any
``add`` at work and sweeps what an interrupted one left (temporary files and stored files it
never recorded: they were never acknowledged), and says how many.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
from pathlib import Path

import sqlalchemy as sa

from ..atomic import atomic_write
from ..cells import csv_text
from ..errors import OutputError
from .core import Ledger
from .documents import Version
from .tables import blobs, submissions


@dataclasses.dataclass
class Export:
    """What ``itaxl ledger export`` wrote."""

    directory: Path
    files: list[tuple[Path, Version]]
    manifest: Path

    def to_dict(self) -> dict:
        return {"directory": str(self.directory), "manifest": str(self.manifest),
                "files": [{"path": str(p.relative_to(self.directory)), "id": v.id, "sha256": v.sha256}
                          for p, v in self.files]}


MANIFEST_COLUMNS = ("file", "org_code", "kind", "fiscal_year", "round", "version", "counted", "state", "outcome",
                    "decision", "sha256", "size", "sent_at", "received_at", "original_name", "original_folder")


def export_name(v: Version) -> str:
    """A stored file's readable name in an export."""
    if v.document is None:
        return f"unplaced/{v.id:06d}-{v.sha256[:12]}.xlsx"
    kind = v.kind + (f"-r{v.round}" if v.round else "")
    return f"{v.fiscal_year}/{kind}/{v.org_code}-v{v.version}.xlsx"


def export(ledger: Ledger, directory: str | os.PathLike, *, all_versions: bool = False,
           force: bool = False) -> Export:
    """Copy the counted files (every file with ``all_versions``) into ``directory``."""
    out = Path(directory)
    if out.exists() and any(out.iterdir()) and not force:
        raise OutputError(f"{out} is not empty: export into a new folder (or give --force)")
    counted = {v.id for v in ledger.current().values()}
    chosen = [v for v in ledger.versions() if all_versions or v.id in counted]
    written = []
    for v in sorted(chosen, key=export_name):
        target = out / export_name(v)
        with atomic_write(target, force=force) as fh, open(ledger.store.path(v.sha256), "rb") as src:
            while chunk := src.read(1 << 20):
                fh.write(chunk)
        written.append((target, v))
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(MANIFEST_COLUMNS)
    for target, v in written:
        size = target.stat().st_size
        writer.writerow([csv_text(x) for x in (
            export_name(v), v.org_code or "", v.kind or "", v.fiscal_year or "", v.round or "", v.version or "",
            "yes" if v.id in counted else "", v.state, v.outcome or "", v.decision or "", v.sha256, size,
            v.sent_at, v.received_at, v.name, v.folder)])
    manifest = out / "manifest.csv"
    with atomic_write(manifest, force=True) as fh:
        fh.write(("\ufeff" + text.getvalue()).encode("utf-8"))
    return Export(out, written, manifest)


# --------------------------------------------------------------------------- verify


@dataclasses.dataclass
class Finding:
    """One thing wrong with a ledger."""

    code: str
    detail: str

    def to_dict(self) -> dict:
        return {"code": self.code, "detail": self.detail}


@dataclasses.dataclass
class Verification:
    """What ``itaxl ledger verify`` found; ``valid`` when nothing."""

    files: int
    rows: int
    findings: list[Finding]
    swept: tuple[int, int]
    """What an interrupted add had left and verify removed: (temporary files, unrecorded files)."""

    @property
    def valid(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict:
        return {"valid": self.valid, "files": self.files, "rows": self.rows,
                "swept": {"temporary": self.swept[0], "unrecorded": self.swept[1]},
                "findings": [f.to_dict() for f in self.findings]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def verify(ledger: Ledger) -> Verification:
    """Check every stored file's bytes against its SHA-256, and the database against the store."""
    findings: list[Finding] = []
    with ledger.store.alone():
        with ledger.engine.connect() as conn:
            known = {sha: size for sha, size in conn.execute(sa.select(blobs.c.sha256, blobs.c.size))}
            named = set(conn.execute(sa.select(submissions.c.sha256)).scalars())
            findings += _database_findings(conn)
        swept = ledger.store.sweep(known)
        for sha in sorted(named - set(known)):
            findings.append(Finding("row-without-blob", f"a submission names {sha}, which no blob row records"))
        stored = dict(ledger.store.stored())
        for sha, size in sorted(known.items()):
            path = stored.get(sha)
            if path is None:
                findings.append(Finding("file-missing", f"{sha} is recorded but its file is not in the store"))
                continue
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
            if digest.hexdigest() != sha:
                findings.append(Finding("file-changed", f"{path} no longer has the SHA-256 it was stored with"))
            elif path.stat().st_size != size:
                findings.append(Finding("file-size", f"{path} is {path.stat().st_size} bytes, recorded as {size}"))
    return Verification(len(stored), len(known), findings, swept)


def _database_findings(conn: sa.Connection) -> list[Finding]:
    if conn.dialect.name != "sqlite":
        return []  # PostgreSQL checks its constraints as it writes; its pages have their own checksums
    found = []
    integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        found += [Finding("database-integrity", line) for line in integrity]
    for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
        found.append(Finding("foreign-key", f"{table} row {rowid} names a missing {parent} row"))
    return found
