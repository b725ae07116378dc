"""A submission's state, outcome, decision and source can hold only the values itaxl knows.

On SQLite this rebuilds ``submissions`` (copy, drop, rename): the migration runs with foreign
keys off, so the drop does not cascade into ``results`` and ``audit``.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The values as this revision knew them (a migration is history: it does not import today's code).
CHECKS = {
    "ck_submissions_state": "state IN ('received', 'checked', 'unreadable', 'failed')",
    "ck_submissions_outcome": "outcome IS NULL OR outcome IN ('ok', 'warnings', 'errors')",
    "ck_submissions_decision": "decision IS NULL OR decision IN ('approved', 'has-issues', 'rejected')",
    "ck_submissions_source": "source IN ('folder', 'upload')",
}


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        for name, condition in CHECKS.items():
            batch.create_check_constraint(name, condition)


def downgrade() -> None:
    raise NotImplementedError("a ledger is never downgraded: restore the copy made before the upgrade")
