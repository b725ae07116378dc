"""Alembic's entry point for the ledger's migrations, run from code by :mod:`itaxl.ledger.database`.

The connection is handed in (``config.attributes["connection"]``): on SQLite with foreign keys
off, because a table rebuild (batch mode, the only way SQLite alters a table) would otherwise
fire ``ON DELETE CASCADE`` and silently empty the audit.
"""

from alembic import context

from itaxl.ledger.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
