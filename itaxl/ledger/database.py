"""Where a ledger lives and how itaxl talks to its database: SQLite in a folder, or PostgreSQL.

A ledger is named as people write it: a folder (``./itaxl-ledger/``, holding ``ledger.db`` and
the stored files) or a PostgreSQL URL (``postgresql://user@host/db``, its files in the folder
given with ``--store``).  :func:`connect` opens it, creating it only when asked, upgrading one
made by an older itaxl (SQLite: after a copy of the database file; PostgreSQL: in one
transaction) and refusing one made by a newer itaxl.

SQLite is opened the way several writers can share it: WAL, ``synchronous=FULL``, a busy
timeout, foreign keys on, and every writing transaction (on an engine with the ``WRITE``
execution option, :attr:`itaxl.ledger.Ledger.writer`) begun with ``BEGIN IMMEDIATE`` so that
two writers never both read "the highest version" before either writes.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from ..errors import UsageError

DB_NAME = "ledger.db"
"""The SQLite database file inside a ledger folder."""
STORE_NAME = "files"
"""The folder of stored files inside a ledger folder (SQLite; PostgreSQL names its own)."""
MIGRATIONS = Path(__file__).parent / "migrations"
WRITE = "itaxl_write"
"""The execution option of the engine the ledger writes with."""


class LedgerError(UsageError):
    """A ledger cannot be used as asked: missing, made by a newer itaxl, or its files elsewhere."""


@dataclasses.dataclass(frozen=True)
class Location:
    """Where a ledger's database and its stored files are."""

    url: sa.URL
    store: Path
    shown: str
    """How messages name the ledger (a PostgreSQL URL without its password)."""

    @property
    def sqlite_file(self) -> Path | None:
        return Path(self.url.database) if self.url.get_backend_name() == "sqlite" else None


def locate(target: str | os.PathLike | None = None, store: str | os.PathLike | None = None) -> Location:
    """The ledger named by ``target`` (``--ledger``, else ``ITAXL_LEDGER``, else ``./itaxl-ledger``)."""
    text = os.fspath(target) if target is not None else os.environ.get("ITAXL_LEDGER") or "itaxl-ledger"
    store = store if store is not None else os.environ.get("ITAXL_STORE") or None
    if text.startswith(("postgresql:", "postgres:", "postgresql+")):
        try:
            url = sa.make_url(text)
        except sa.exc.ArgumentError as exc:
            raise LedgerError(f"not a PostgreSQL URL: {exc}") from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        if store is None:
            raise LedgerError("a PostgreSQL ledger keeps its files in a folder: give it with --store DIR "
                              "(or ITAXL_STORE)")
        return Location(url, Path(store), url.render_as_string(hide_password=True))
    folder = Path(text)
    return Location(sa.URL.create("sqlite", database=str(folder / DB_NAME)),
                    Path(store) if store is not None else folder / STORE_NAME, str(folder))


def exists(location: Location) -> bool:
    """Whether the ledger has been made (for PostgreSQL: its tables exist)."""
    if location.sqlite_file is not None:
        return location.sqlite_file.is_file()
    engine = _engine(location)
    try:
        with engine.connect() as conn:
            return sa.inspect(conn).has_table("alembic_version")
    except sa.exc.OperationalError as exc:
        raise LedgerError(f"cannot reach the ledger database {location.shown}: {_first_line(exc)}") from None
    finally:
        engine.dispose()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _engine(location: Location, *, foreign_keys: bool = True) -> sa.Engine:
    if location.sqlite_file is None:
        return sa.create_engine(location.url, pool_pre_ping=True)
    engine = sa.create_engine(location.url, poolclass=sa.pool.NullPool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # the driver begins nothing: the hook below does
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000",
                       f"foreign_keys={'ON' if foreign_keys else 'OFF'}"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        # A writer takes the write lock as it begins, so that two never both read "the highest
        # version" first; a reader begins deferred and, with WAL, waits for nobody.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

    return engine


# --------------------------------------------------------------------------- migrations


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    """The newest ledger revision this itaxl knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _known() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def revision_of(conn: sa.Connection) -> str | None:
    """The revision a ledger's database is at (None: not a ledger)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def migrate(location: Location, revision: str = "head") -> str | None:
    """Bring the database to ``revision``; the copy of a SQLite database made first, or None.

    Runs on a connection with foreign keys off (SQLite rebuilds tables to alter them, and a
    rebuild with them on cascades deletes into the audit), then checks every foreign key."""
    from alembic import command

    engine = _engine(location, foreign_keys=False)
    backup = None
    try:
        with engine.connect() as conn:
            current = revision_of(conn)
            conn.rollback()
        target = head() if revision == "head" else revision
        if current is not None and current not in _known():
            raise LedgerError(f"the ledger {location.shown} was made by a newer itaxl (revision {current}); "
                              f"this itaxl knows up to {head()}: upgrade itaxl to use it")
        if current == target:
            return None
        if current is not None and location.sqlite_file is not None:
            backup = location.sqlite_file.with_name(f"{DB_NAME}.before-{target}")
            _copy_sqlite(engine, backup)
        with engine.execution_options(**{WRITE: True}).connect() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            conn.commit()
            _check_foreign_keys(conn)
    finally:
        engine.dispose()
    return str(backup) if backup else None


def _copy_sqlite(engine: sa.Engine, target: Path) -> None:
    """A consistent copy of the database (SQLite's online backup, WAL included)."""
    import sqlite3

    target.unlink(missing_ok=True)
    with engine.connect() as conn:
        source = conn.connection.driver_connection
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()


def _check_foreign_keys(conn: sa.Connection) -> None:
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL checks every foreign key as it writes
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    conn.rollback()
    if broken:
        raise RuntimeError(f"ledger migration left {len(broken)} rows with a broken foreign key: {broken[:5]}")


def connect(location: Location, *, create: bool = False) -> tuple[sa.Engine, str | None, bool]:
    """An engine for the ledger at ``location``: (engine, the copy made before an upgrade, created).

    A missing ledger is made only with ``create`` (``ledger add``); otherwise refused, so that a
    command run from the wrong folder cannot report every office as missing."""
    made = False
    if not exists(location):
        if not create:
            raise LedgerError(f"no ledger at {location.shown}: give it with --ledger (or ITAXL_LEDGER), "
                              "or make it with 'itaxl ledger add'")
        if location.sqlite_file is not None:
            try:
                location.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LedgerError(f"cannot make the ledger folder {location.shown}: {exc.strerror}") from None
        made = True
    backup = migrate(location)
    try:
        location.store.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot use the file store {location.store}: {exc.strerror}") from None
    return _engine(location), backup, made


def document_lock(conn: sa.Connection, key: str) -> None:
    """Serialise writers numbering the versions of one document (a no-op on SQLite, whose
    ``BEGIN IMMEDIATE`` already admits one writer at a time)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
