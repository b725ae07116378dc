"""Write ``pins.json``: what each frozen workbook reads as, with the release that made it.

Run once when a frozen set is added (``python tests/data/frozen/pin.py schema-1``); the
test ``tests/test_frozen.py`` then holds every later release to it.  Never re-run it to make
a failing test pass: a changed pin is a changed reading of workbooks offices already hold.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def plain(value):
    """A read value as JSON: dates as ISO text, statuses by their value, tuples as lists."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (int, float, str)):
        return value.value
    return value


def reading(path: Path, root: Path) -> dict:
    """What the reader alone (no content rules) and the full check say about one workbook."""
    import itaxl
    from itaxl.reader import read_workbook

    sub = read_workbook(path)
    checked = itaxl.read(path)
    return {
        "kind": sub.kind, "schema_version": sub.schema_version, "org_code": sub.org_code,
        "fiscal_year": sub.fiscal_year, "round": sub.round,
        "header": {k: plain(v) for k, v in sorted(sub.header.items())},
        "rows": [{"row": m.row, **{k: plain(v) for k, v in m.values.items()}} for m in sub.measures],
        "structural": [[p.code, p.sheet, p.cell] for p in sub.problems],
        "checked": [[p.code, p.sheet, p.cell] for p in checked.problems],
    }


MERGED = {"inbox": ("*.xlsx", "broken/*.xlsx", "resubmitted/*.xlsx"), "corrected": ("corrected/*.xlsx",)}
"""The sets merged, as the samples are: one inbox, and the corrected files on their own (merged
together, which of two equal files wins would depend on their mtimes after a checkout)."""


def figures(root: Path, merged: str) -> dict:
    import itaxl

    files = sorted(p for pattern in MERGED[merged] for p in root.glob(pattern))
    return itaxl.merge(files, include_invalid=True).summary  # every sample has errors: count them anyway


def pins(name: str) -> dict:
    root = HERE / name
    files = sorted(p for p in root.rglob("*.xlsx"))
    return {
        "files": {p.relative_to(root).as_posix(): reading(p, root) for p in files},
        "merge": {merged: figures(root, merged) for merged in MERGED},
    }


if __name__ == "__main__":  # pragma: no cover - run by hand when a frozen set is added
    name = sys.argv[1]
    (HERE / name / "pins.json").write_text(
        json.dumps(pins(name), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
