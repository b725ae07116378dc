"""A checked submission as the ledger keeps it: JSON that reads back to the same values.

The ledger stores what the reader made of each workbook (its header, rows, problems and
identity) so that a merge, a status or a history never opens the workbook again.
:func:`dump` and :func:`load` are exact inverses for everything a :class:`~itaxl.reader.Submission`
holds that a merge reads: ``load(dump(sub))`` has the same header, measures, problems and
identity.  Typed values travel tagged (``{"d": "2024-01-05"}`` for a day, ``{"s": "done"}``
for a status, ``{"p": [start, end]}`` for a period typed as text), everything else as JSON.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, Callable

from ..framework import Framework
from ..metadata import Metadata
from ..problems import Problem, Severity
from ..reader import Measure, Submission
from ..schema import Kind, Layout, Status

FORMAT = 1
"""The version of the stored JSON; a ledger refuses a record of a format it does not know."""


def _value(v: Any) -> Any:
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    if isinstance(v, Status):
        return {"s": v.value}
    if isinstance(v, datetime.datetime):
        return {"dt": v.isoformat()}
    if isinstance(v, datetime.date):
        return {"d": v.isoformat()}
    if isinstance(v, tuple):
        return {"p": [_value(x) for x in v]}
    raise TypeError(f"the ledger cannot keep a value of type {type(v).__name__}: {v!r}")


def _typed(v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    (tag, x), = v.items()
    if tag == "s":
        return Status(x)
    if tag == "d":
        return datetime.date.fromisoformat(x)
    if tag == "dt":
        return datetime.datetime.fromisoformat(x)
    if tag == "p":
        return tuple(_typed(y) for y in x)
    raise ValueError(f"unknown tag {tag!r} in a stored value")


def _problem(p: Problem) -> list:
    return [p.severity.value, p.code, p.sheet, p.cell, p.message_th, p.message_en,
            {k: _value(v) if isinstance(v, (str, int, float, bool, type(None))) else str(v)
             for k, v in p.params.items()}]


def dump(sub: Submission) -> str:
    """The submission as the ledger stores it (compact JSON, keys sorted: the same bytes each time)."""
    meta = None
    if sub.meta is not None:
        meta = {k: v for k, v in sub.meta.__dict__.items() if k != "manifest"}
    record = {
        "format": FORMAT,
        "path": sub.path, "kind": sub.kind, "schema_version": sub.schema_version, "org_code": sub.org_code,
        "fiscal_year": sub.fiscal_year, "round": sub.round, "sha256": sub.sha256, "size": sub.size,
        "modified": sub.modified.isoformat() if sub.modified else None,
        "header": {k: _value(v) for k, v in sub.header.items()},
        "rows": [[m.row, {k: _value(v) for k, v in m.values.items()}] for m in sub.measures],
        "problems": [_problem(p) for p in sub.problems],
        "meta": meta,
        "framework": sub.framework.sha256 if sub.framework is not None else None,
        "layout": [sub.layout.version, sub.layout.sha256] if sub.layout is not None else None,
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def load(text: str, *, path: str, source: str,
         framework: Callable[[str], Framework | None], layout: Callable[[str, str], Layout | None]) -> Submission:
    """The submission :func:`dump` stored, named ``path`` (``source``: where its bytes are now).

    ``framework`` finds a framework by SHA-256 and ``layout`` a layout by version and SHA-256:
    the ledger keeps the text of each, so a framework given once with ``--framework`` is found
    again without its file."""
    r = json.loads(text)
    if r.get("format") != FORMAT:
        raise ValueError(f"stored submission of format {r.get('format')!r}, this itaxl reads format {FORMAT}")
    sub = Submission(path=path, source=source, kind=r["kind"], schema_version=r["schema_version"],
                     org_code=r["org_code"], fiscal_year=r["fiscal_year"], round=r["round"],
                     sha256=r["sha256"], size=r["size"],
                     modified=datetime.datetime.fromisoformat(r["modified"]) if r["modified"] else None,
                     header={k: _typed(v) for k, v in r["header"].items()})
    sub.framework = framework(r["framework"]) if r["framework"] else None
    sub.layout = layout(*r["layout"]) if r["layout"] else None
    if r["meta"] is not None:
        sub.meta = Metadata(**r["meta"])
    spec = sub.spec
    if r["rows"]:
        if spec is None:
            raise ValueError(f"{path}: stored rows, but its framework or layout is not known")
        sub.measures = [Measure(row, {k: _typed(v) for k, v in values.items()}, spec.table)
                        for row, values in r["rows"]]
    sub.problems = [Problem(Severity(s), code, path, sheet, cell, th, en, {k: _typed(v) for k, v in params.items()})
                    for s, code, sheet, cell, th, en, params in r["problems"]]
    if sub.kind is not None:
        Kind(sub.kind)  # a stored kind this itaxl does not know is a ledger from elsewhere
    return sub
