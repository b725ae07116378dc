"""Workbooks made by earlier releases read exactly as they did when they were made.

``tests/data/frozen/schema-1`` holds workbooks written by the release before the layout became
versioned data (the samples, corrected samples and templates of that release); ``pins.json``
beside them is what that release read from each: header, rows, the reader's structural
problems, every rule's problems, and the merge figures.  A change that alters any of these
alters how 7,849 offices' saved workbooks are read, and must change the pin on purpose.
"""

import json
from pathlib import Path

import pytest

from .data.frozen.pin import HERE, MERGED, figures, reading

SETS = sorted(p.parent.name for p in HERE.glob("*/pins.json"))


def _pins(name: str) -> dict:
    return json.loads((HERE / name / "pins.json").read_text(encoding="utf-8"))


CASES = [(name, rel) for name in SETS for rel in _pins(name)["files"]]


def test_every_frozen_workbook_is_pinned():
    for name in SETS:
        on_disk = {p.relative_to(HERE / name).as_posix() for p in (HERE / name).rglob("*.xlsx")}
        assert on_disk == set(_pins(name)["files"]), name
    assert CASES, "no frozen workbooks"


@pytest.mark.parametrize("name, rel", CASES, ids=[f"{n}/{r}" for n, r in CASES])
def test_a_frozen_workbook_reads_as_it_did(name, rel):
    expected = _pins(name)["files"][rel]
    got = json.loads(json.dumps(reading(HERE / name / rel, HERE / name), ensure_ascii=False))
    for part in ("kind", "schema_version", "org_code", "fiscal_year", "round", "header", "rows", "structural",
                 "checked"):
        assert got[part] == expected[part], f"{rel}: {part}"


@pytest.mark.parametrize("merged", sorted(MERGED))
def test_frozen_workbooks_merge_to_the_same_figures(merged):
    for name in SETS:
        got = json.loads(json.dumps(figures(HERE / name, merged), ensure_ascii=False))
        assert got == _pins(name)["merge"][merged]
