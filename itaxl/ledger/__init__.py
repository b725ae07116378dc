"""The submission ledger: every file kept, every answer remembered, re-merges in seconds.

A ledger is a SQLite database in a folder (``./itaxl-ledger/`` by default) or a PostgreSQL
database for a national host, beside a store of the received files named by their SHA-256.
Its verbs are the twins of ``itaxl ledger …``:

>>> from itaxl.ledger import Ledger
>>> with Ledger.open("itaxl-ledger", create=True) as ledger:   # doctest: +SKIP
...     ledger.add(["inbox/"], jobs=2).stats
...     ledger.status(fiscal_year=2567).figures()
...     ledger.merge().to_excel("consolidated.xlsx")

Modules: :mod:`.database` (where a ledger lives, migrations), :mod:`.tables` (its tables),
:mod:`.store` (the stored files), :mod:`.codec` (a checked submission as stored),
:mod:`.documents` (versions and which one counts), :mod:`.intake` (add, recheck),
:mod:`.review` (decisions, history), :mod:`.figures` (status, merge, trends) and
:mod:`.upkeep` (export, verify).
"""

__all__ = ["Ledger", "LedgerError"]


def __getattr__(name: str):
    # Imported when first used: ``itaxl validate`` and the other commands start without SQLAlchemy.
    if name == "Ledger":
        from .core import Ledger
        return Ledger
    if name == "LedgerError":
        from .database import LedgerError
        return LedgerError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
