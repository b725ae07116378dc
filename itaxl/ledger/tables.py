"""The ledger's tables, as SQLAlchemy Core objects: the one description of its database.

The migrations in :mod:`itaxl.ledger.migrations` build exactly these tables (a test compares
them); every query of the ledger is written against these objects, so SQLite and PostgreSQL
share one code path.

* ``blobs`` — each stored file once, by SHA-256 (the bytes live in the file store).
* ``submissions`` — each received file: who sent what, when, its version, state and decision.
  A document is an office's kind, fiscal year and round (``round`` is 0 for measures, so that
  the unique key holds no NULL); its versions are numbered 1, 2, … without a gap.
* ``results`` — each check of a submission (the first at intake, more with ``recheck``), with
  the itaxl version, framework and layout that made it and the whole submission as read.
* ``audit`` — every change of state or decision, never updated or deleted.
* ``intake`` — every entry each ``add`` found: stored, already received, refused or ignored.
* ``frameworks`` and ``layouts`` — the text of each framework and layout a stored result was
  read with, so that a result is read back without the file it came from.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

STATES = ("received", "checked", "unreadable", "failed")
"""Where a submission is: stored and not yet checked, checked, not a workbook itaxl can read
(no office, kind or year can be told), or not checked because of a bug in itaxl."""
OUTCOMES = ("ok", "warnings", "errors")
"""What the check of a ``checked`` submission found."""
DECISIONS = ("approved", "has-issues", "rejected")
"""What central staff decided about a submission (None: not decided)."""
SOURCES = ("folder", "upload")
"""How a file arrived: ``ledger add`` of a folder or file, or an upload to ``itaxl serve``."""


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"

blobs = sa.Table(
    "blobs", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("stored_at", sa.String(32), nullable=False),
)

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.String(32), nullable=False),
    sa.Column("command", sa.String(32), nullable=False),
    sa.Column("itaxl_version", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False, unique=True),
    sa.Column("org_code", sa.String(16)),
    sa.Column("kind", sa.String(16)),
    sa.Column("fiscal_year", sa.Integer),
    sa.Column("round", sa.Integer, nullable=False, server_default="0"),
    sa.Column("version", sa.Integer),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("folder", sa.Text, nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("sent_at", sa.String(32), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("outcome", sa.String(16)),
    sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
    sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
    sa.Column("decision", sa.String(16)),
    sa.Column("decided_by", sa.String(200)),
    sa.Column("decided_at", sa.String(32)),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("org_code", "kind", "fiscal_year", "round", "version", name="uq_submissions_version"),
    sa.CheckConstraint(_one_of("state", STATES), name="ck_submissions_state"),
    sa.CheckConstraint(f"outcome IS NULL OR {_one_of('outcome', OUTCOMES)}", name="ck_submissions_outcome"),
    sa.CheckConstraint(f"decision IS NULL OR {_one_of('decision', DECISIONS)}", name="ck_submissions_decision"),
    sa.CheckConstraint(_one_of("source", SOURCES), name="ck_submissions_source"),
    sa.Index("ix_submissions_document", "org_code", "kind", "fiscal_year", "round"),
)

results = sa.Table(
    "results", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("checked_at", sa.String(32), nullable=False),
    sa.Column("itaxl_version", sa.String(32), nullable=False),
    sa.Column("framework_sha256", sa.String(64)),
    sa.Column("schema_version", sa.String(16)),
    sa.Column("skipped", sa.Text, nullable=False, server_default=""),
    sa.Column("current", sa.Boolean, nullable=False),
    sa.Column("record", sa.Text, nullable=False),
    sa.Index("ix_results_current", "submission_id", "current"),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("before", sa.String(32)),
    sa.Column("after", sa.String(32)),
    sa.Column("note", sa.Text),
    sa.Index("ix_audit_submission", "submission_id"),
)

intake = sa.Table(
    "intake", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("sha256", sa.String(64)),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id")),
)

frameworks = sa.Table(
    "frameworks", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

layouts = sa.Table(
    "layouts", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("version", sa.String(16), nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)
