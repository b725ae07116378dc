"""A field added in a new layout version runs from the template to the report; the workbooks
of the previous version still read and merge beside the new ones.

The new version is a test-only copy of the newest shipped layout with two amounts added — งบประมาณ
(budget) to the plan and งบประมาณที่ใช้ (budget spent) to the answers, before the evidence
link, where inserting a column once made a committed sample read as invalid.  Nothing in
itaxl is told about the fields: the layout file says it all.
"""

import csv
from pathlib import Path

import openpyxl
import pytest

import itaxl
from itaxl import official, schema, templates
from itaxl.fill import fill
from itaxl.framework import Catalogue
from itaxl.schema import Kind

from .conftest import FY, ORG, document_text, good_answers, good_header, good_progress_header, good_rows

BUDGET = '''
[[groups.measure]]
key = "budget"
label_th = "งบประมาณ (บาท)"
label_en = "Budget (baht)"
type = "decimal"
min = 0
places = 2
width = 14
help_th = "งบประมาณที่ตั้งไว้สำหรับมาตรการนี้ (บาท) ถ้ามี"
'''
SPENT = '''[[groups.progress_answer]]
key = "budget_spent"
label_th = "งบประมาณที่ใช้"
label_en = "Budget spent (baht)"
type = "decimal"
min = 0
places = 2
width = 14
help_th = "จำนวนเงินที่ใช้แล้ว (บาท) ไม่ติดลบ ทศนิยมไม่เกิน 2 ตำแหน่ง"

'''


def layout_2() -> schema.Layout:
    """The newest shipped layout with the two amounts added, as the next version."""
    newest = schema.default_layout()
    text = Path(newest.origin).read_text(encoding="utf-8")
    text = text.replace(f'version = "{newest.version}"', f'version = "{int(newest.version) + 1}-test"')
    answers = text.index("[[groups.progress_answer]]")
    evidence = text.index('key = "evidence_url"')
    before = text.rindex("[[groups.progress_answer]]", answers, evidence)
    measures_end = text.index("[[groups.progress_header]]")
    text = text[:measures_end] + BUDGET.lstrip() + "\n" + text[measures_end:before] + SPENT + text[before:]
    return schema.parse(text, f"schema-{int(newest.version) + 1}-test.toml")


@pytest.fixture(scope="module")
def layout():
    return layout_2()


@pytest.fixture(scope="module")
def catalogue(layout):
    return Catalogue(layouts=(layout,))


def _cells(path, sheet=None):
    book = openpyxl.load_workbook(path)
    sheets = [book[sheet]] if sheet else book.worksheets
    return {c.value: c for ws in sheets for row in ws.iter_rows() for c in row if c.value is not None}


def test_the_new_version_is_newer_and_has_its_own_identity(layout):
    shipped = schema.default_layout()
    assert layout.order > shipped.order and layout.sha256 != shipped.sha256
    table = layout.spec(Kind.PROGRESS, itaxl.framework.shipped(FY - 1)).table
    keys = [f.key for f in table.columns]
    assert keys.index("budget_spent") == keys.index("evidence_url") - 1
    assert schema.newest_layout([layout]) is layout


def test_a_new_amount_field_from_template_to_report(layout, catalogue, tmp_path):
    template = templates.measures(ORG, FY, tmp_path / "measures.xlsx", layout=layout)
    spec = layout.spec(Kind.MEASURES, itaxl.framework.shipped(FY - 1))
    letter = spec.table.letter_of("budget")
    book = openpyxl.load_workbook(template)
    table = book[spec.table.name]
    first = spec.table.first_data_row
    assert table[f"{letter}{spec.table.header_row}"].value == "งบประมาณ (บาท)"
    assert table[f"{letter}{first}"].number_format == "#,##0.00"
    assert not table[f"{letter}{first}"].protection.locked
    (dv,) = [dv for dv in table.data_validations.dataValidation if f"{letter}{first}" in str(dv.sqref)]
    assert dv.type == "decimal" and float(dv.formula1) == 0 and "งบประมาณ" in dv.prompt
    assert book["_itaxl"]["B3"].value == layout.version

    rows = [{**row, "budget": 1500.5 * (i + 1)} for i, row in enumerate(good_rows())]
    filled = fill(template, tmp_path / "filled.xlsx", header=good_header(), rows=rows, catalogue=catalogue)
    sub = itaxl.read(filled, catalogue=catalogue)
    assert sub.valid, sub.problems
    assert sub.layout is layout and [m.budget for m in sub.measures] == [1500.5, 3001.0, 4501.5]

    # -1 is refused at its cell with its own problem, naming the field
    wrong = fill(template, tmp_path / "wrong.xlsx", header=good_header(), catalogue=catalogue,
                 rows=[{**rows[0], "budget": -1}, *rows[1:]])
    (problem,) = [p for p in itaxl.read(wrong, catalogue=catalogue).problems if p.code == "number-out-of-range"]
    assert problem.is_error and problem.cell == f"{letter}{first}" and "งบประมาณ (บาท)" in problem.message_th
    too_precise = fill(template, tmp_path / "precise.xlsx", header=good_header(), catalogue=catalogue,
                       rows=[{**rows[0], "budget": 10.125}, *rows[1:]])
    assert "number-too-precise" in {p.code for p in itaxl.read(too_precise, catalogue=catalogue).problems}

    progress = templates.progress(filled, 6, tmp_path / "progress.xlsx", catalogue=catalogue)
    answers = [{**a, "budget_spent": 20000} for a in good_answers()]
    reported = fill(progress, tmp_path / "reported.xlsx", header=good_progress_header(), rows=answers,
                    catalogue=catalogue)
    back = itaxl.read(reported, catalogue=catalogue)
    assert back.valid, back.problems
    assert [m.budget for m in back.measures] == [1500.5, 3001.0, 4501.5]
    assert [m.budget_spent for m in back.measures] == [20000, 20000, 20000]

    # the report writes amounts with their decimals, in the report's digits
    (report,), _ = itaxl.report(filled, tmp_path / "report.docx", catalogue=catalogue, thai_digits=False)
    texts = set(document_text(report).split("\n"))
    assert "งบประมาณ (บาท)" in texts and "1,500.50" in texts
    written, _ = official.render(reported, tmp_path / "report-thai.docx", thai_digits=True, catalogue=catalogue)
    assert "๒๐,๐๐๐.๐๐" in set(document_text(written).split("\n"))


def test_workbooks_of_the_previous_version_merge_beside_the_new(layout, catalogue, tmp_path, measures_valid):
    template = templates.measures("6311006", FY, tmp_path / "measures-new.xlsx", layout=layout)
    rows = [{**row, "budget": 1500.5} for row in good_rows()]
    new = fill(template, tmp_path / "new.xlsx", header=good_header(), rows=rows, catalogue=catalogue)
    old = itaxl.read(measures_valid, catalogue=catalogue)
    assert old.valid and old.layout is schema.default_layout() and not hasattr(old.measures[0], "budget")

    result = itaxl.merge([measures_valid, new], catalogue=catalogue)
    assert result.summary["valid"] == 2 and result.summary["measures_out"] == 6
    frame = result.frames["measures"]
    assert list(frame[frame["org_code"] == "6311006"]["budget"]) == [1500.5] * 3
    assert frame[frame["org_code"] == ORG]["budget"].isna().all()

    consolidated = result.to_excel(tmp_path / "consolidated.xlsx")
    cells = _cells(consolidated, "มาตรการ")
    assert cells[1500.5].number_format == "#,##0.00"
    (path,) = [p for p in result.to_csv(tmp_path / "csv") if p.stem == "measures"]
    with open(path, encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    assert [r["budget"] for r in table if r["org_code"] == "6311006"] == ["1500.5"] * 3
