"""No formula from any text, in any output.

Text that a spreadsheet would take for a formula goes into every input cell and
every header field; every verb runs on it; every part of every workbook written
is scanned for formula elements and every CSV field for an unprefixed trigger.
"""

from __future__ import annotations

import csv
import datetime
import re
import subprocess
import sys
import zipfile
from itertools import cycle

import pytest

import itaxl
from itaxl import templates
from itaxl.fill import fill
from itaxl.schema import FORMULA_TRIGGERS, Kind, spec_for

from .conftest import document_text, good_header, good_progress_header, good_rows

PAYLOADS = ('=HYPERLINK("http://example.invalid","click")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-1+1",
            "\t=1+1")
FORMULA_ELEMENT = re.compile(rb"<(?:x:)?f[\s>/]")  # a cell formula (SpreadsheetML, with or without prefix)
FIELD_ELEMENT = re.compile(rb"<w:(?:instrText|fldSimple|fldChar)[\s>/]")  # a Word field (the text a document computes)
CHART_RANGE = re.compile(rb"<c:f>([^<]*)</c:f>")  # a chart's series: itaxl's own reference into its summary
SUMMARY_RANGE = re.compile(r"^'?สรุป'?!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?$")


def _hostile(fields, base: dict, payloads) -> dict:
    """``base`` with every text field (every field, when ``base`` is empty) replaced by a payload."""
    out = dict(base)
    for f in fields:
        if not base or (f.type.free_text and f.key in base):
            out[f.key] = next(payloads)
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, measures_template, blank_template):
    """Workbooks full of formula-like text: anything anywhere, and the same in a valid plan and report."""
    d = tmp_path_factory.mktemp("hostile")
    payloads = cycle(PAYLOADS)
    spec_m, spec_p = spec_for(Kind.MEASURES), spec_for(Kind.PROGRESS)
    inputs = [f for f in spec_m.form.fields if f.is_input]
    anything = fill(blank_template, d / "anything.xlsx", header=_hostile(inputs, {}, payloads),
                    rows=[_hostile(spec_m.table.input_columns, {}, payloads) for _ in range(3)])
    plan = fill(measures_template, d / "plan.xlsx", header=_hostile(inputs, good_header(), payloads),
                rows=[_hostile(spec_m.table.input_columns, row, payloads) for row in good_rows()])
    assert itaxl.read(plan).valid, itaxl.read(plan).problems
    progress = templates.progress(plan, 6, d / "progress-template.xlsx")
    answers = [{"status": "ดำเนินการแล้วเสร็จ", "result": next(payloads), "outcome": next(payloads),
                "obstacles": next(payloads), "evidence_url": "https://example.go.th/a",
                "done_date": datetime.date(2024, 2, 6)} for _ in good_rows()]
    header = {k: (next(payloads) if isinstance(v, str) else v) for k, v in good_progress_header().items()}
    report = fill(progress, d / "report.xlsx", header=header, rows=answers)
    assert itaxl.read(report).valid, itaxl.read(report).problems
    assert [f.key for f in spec_p.form.fields if f.is_input and f.type.free_text]  # the header had text to attack
    return d, anything, plan, report


def _itaxl(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "itaxl.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_every_verb_writes_text_as_text(hostile, tmp_path):
    d, anything, plan, report = hostile
    runs = [
        ("validate", anything, plan, report, "--annotate", tmp_path / "returns"),
        ("merge", d, "-o", tmp_path / "c.xlsx", "--include-invalid", "--csv", tmp_path / "csv",
         "--json", tmp_path / "c.json"),
        ("report", report, "-o", tmp_path / "report-progress.docx"),
        ("report", plan, "-o", tmp_path / "report-measures.docx"),
        ("template", "progress", "--from", plan, "--round", "12", "-o", tmp_path / "r12-from-plan.xlsx"),
        ("template", "progress", "--from", report, "--round", "12", "-o", tmp_path / "r12-carried.xlsx"),
    ]
    for args in runs:
        proc = _itaxl(*args, cwd=tmp_path)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, (args, proc.stderr)
    books = sorted(tmp_path.rglob("*.xlsx"))
    copies = sorted(p.name for p in (tmp_path / "returns").iterdir())
    assert "anything-itaxl-check.xlsx" in copies  # the others have nothing to fix
    assert len(books) == 3 + len(copies)  # the consolidated workbook, 2 templates
    documents = sorted(tmp_path.glob("report-*.docx"))
    assert len(documents) == 2
    seen = set()
    for document in documents:
        with zipfile.ZipFile(document) as z:
            body = z.read("word/document.xml")
            assert not FIELD_ELEMENT.search(body), f"{document.name} holds a field"
            seen.update(p for p in PAYLOADS if _xml_escape(p).replace("&quot;", '"').encode() in body
                        or _xml_escape(p).encode() in body)
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                data = z.read(name)
                assert not FORMULA_ELEMENT.search(data), f"{book.name}:{name} holds a formula"
                for ref in CHART_RANGE.findall(data):
                    assert SUMMARY_RANGE.match(ref.decode()), (book.name, name, ref)
                seen.update(p for p in PAYLOADS if _xml_escape(p).encode() in data or
                            _xml_escape(p).replace("&quot;", '"').encode() in data)
    assert set(PAYLOADS) - {"\t=1+1"} <= seen  # the payloads were written, as text
    csvs = sorted((tmp_path / "csv").glob("*.csv"))
    assert csvs
    for path in csvs:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                assert not [v for v in row if v.startswith(FORMULA_TRIGGERS)], (path.name, row)
    written = "".join(p.read_text("utf-8-sig") for p in csvs)
    assert "'=cmd|' /C calc'!A0" in written and "'@SUM(1+1)" in written


def test_the_annotated_copy_and_report_keep_the_text_readable(hostile, tmp_path):
    """Written as text, read back by itaxl the same: nothing was turned into something else."""
    _d, _anything, plan, report = hostile
    copy = itaxl.annotate(plan, tmp_path / "plan-check.xlsx")  # the verb, whatever modules are loaded
    if copy is not None:
        assert [m.measure for m in itaxl.read(copy).measures] == [m.measure for m in itaxl.read(plan).measures]
    rendered = itaxl.report(report, tmp_path / "r.docx")[0][0]
    text = document_text(rendered)
    reporter = itaxl.read(report).header["reporter_name"]
    assert reporter in text
    # the payloads are there as the office typed them, as text, and the document computes nothing
    assert [p for p in PAYLOADS if p.strip() in text]
    with zipfile.ZipFile(rendered) as z:
        assert not FIELD_ELEMENT.search(z.read("word/document.xml"))


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_formula_cells_in_a_submission_are_problems_in_every_verb(tmp_path, filled):
    """A real formula in an input cell is reported, and its cached value never becomes data."""
    import openpyxl

    path = filled()
    book = openpyxl.load_workbook(path)
    ws = book[spec_for(Kind.MEASURES).table.name]
    ws["D4"] = "=A1&\"x\""
    book.save(path)
    sub = itaxl.read(path)
    assert ("formula-in-cell", "D4") in [(p.code, p.cell) for p in sub.problems]
    result = itaxl.merge([path], include_invalid=True)
    assert "=A1" not in " ".join(str(v) for v in result.frames["measures"]["measure"])

