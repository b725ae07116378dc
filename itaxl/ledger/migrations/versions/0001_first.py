"""The first ledger: files, submissions, results, audit, intake, frameworks and layouts.

Revision ID: 0001
Revises:
"""

from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("stored_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("itaxl_version", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
    )
    op.create_table(
        "submissions",
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
    )
    op.create_index("ix_submissions_document", "submissions", ["org_code", "kind", "fiscal_year", "round"])
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("checked_at", sa.String(32), nullable=False),
        sa.Column("itaxl_version", sa.String(32), nullable=False),
        sa.Column("framework_sha256", sa.String(64)),
        sa.Column("schema_version", sa.String(16)),
        sa.Column("skipped", sa.Text, nullable=False, server_default=""),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_results_current", "results", ["submission_id", "current"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.String(32)),
        sa.Column("after", sa.String(32)),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_audit_submission", "audit", ["submission_id"])
    op.create_table(
        "intake",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("sha256", sa.String(64)),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id")),
    )
    op.create_table(
        "frameworks",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "layouts",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("a ledger is never downgraded: restore the copy made before the upgrade")
