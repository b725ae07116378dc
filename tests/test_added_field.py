"""The schema owns every row and table: a field added to a copy of it appears everywhere.

The copy is made by replacing the schema's field tuples for the length of one test;
nothing else in itaxl is told about the new field.
"""

import csv

import openpyxl
import pytest

import itaxl
from itaxl import schema, templates
from itaxl.fill import fill
from itaxl.schema import Field, FieldType, Kind, spec_for

from .conftest import FY, ORG, good_answers, good_header, good_progress_header, good_rows

BUDGET = Field("budget", "งบประมาณ (บาท)", "Budget (baht)", FieldType.INTEGER, width=14,
               help_th="งบประมาณที่ใช้ในมาตรการนี้ (บาท) ถ้ามี")
SPENT = Field("spent", "ใช้จ่ายแล้ว (บาท)", "Spent (baht)", FieldType.INTEGER, width=14,
              help_th="จำนวนเงินที่ใช้จ่ายแล้ว (บาท)")


@pytest.fixture
def added(monkeypatch):
    monkeypatch.setattr(schema, "MEASURE_COLUMNS", (*schema.MEASURE_COLUMNS, BUDGET))
    monkeypatch.setattr(schema, "PROGRESS_INPUT_COLUMNS", (*schema.PROGRESS_INPUT_COLUMNS, SPENT))
    monkeypatch.setattr(schema, "_SPECS", {})
    yield
    schema._SPECS.clear()


def _texts(path) -> list:
    book = openpyxl.load_workbook(path)
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_an_added_field_runs_from_template_to_report(added, tmp_path):
    assert BUDGET in spec_for(Kind.MEASURES).table.columns
    assert SPENT in spec_for(Kind.PROGRESS).table.input_columns
    template = templates.measures(ORG, FY, tmp_path / "measures.xlsx")
    assert BUDGET.label_th in _texts(template)

    rows = [{**row, "budget": 1000 * (i + 1)} for i, row in enumerate(good_rows())]
    filled = fill(template, tmp_path / "filled.xlsx", header=good_header(), rows=rows)
    sub = itaxl.read(filled)
    assert sub.valid and [m.budget for m in sub.measures] == [1000, 2000, 3000]
    assert list(sub.to_frame()["budget"]) == [1000, 2000, 3000]

    # A value of the wrong type is named with the new field's label.
    wrong = fill(template, tmp_path / "wrong.xlsx", header=good_header(),
                 rows=[{**rows[0], "budget": "หนึ่งพันบาท"}, *rows[1:]])
    problem = next(p for p in itaxl.read(wrong).problems if p.code == "number-invalid")
    assert BUDGET.label_th in problem.message_th and problem.cell.startswith(spec_for(Kind.MEASURES).table.letter_of("budget"))

    progress = templates.progress(filled, 6, tmp_path / "progress.xlsx")
    assert BUDGET.label_th in _texts(progress) and SPENT.label_th in _texts(progress)
    answers = [{**a, "spent": 500} for a in good_answers()]
    reported = fill(progress, tmp_path / "reported.xlsx", header=good_progress_header(), rows=answers)
    back = itaxl.read(reported)
    assert back.valid and [m.budget for m in back.measures] == [1000, 2000, 3000]
    assert [m.spent for m in back.measures] == [500, 500, 500]

    result = itaxl.merge([filled, reported])
    measures, progress_table = result.tables["measures"], result.tables["progress"]
    assert BUDGET.label_th in measures.headers and SPENT.label_th in progress_table.headers
    assert list(result.frames["measures"]["budget"]) == [1000, 2000, 3000]
    assert list(result.frames["progress"]["spent"]) == [500, 500, 500]
    consolidated = result.to_excel(tmp_path / "consolidated.xlsx")
    assert BUDGET.label_th in _texts(consolidated) and SPENT.label_th in _texts(consolidated)
    (csv_measures,) = [p for p in result.to_csv(tmp_path / "csv") if p.stem == "measures"]
    with open(csv_measures, encoding="utf-8-sig") as fh:
        assert "budget" in next(csv.reader(fh))

    (report,), _ = itaxl.report(filled, tmp_path / "report.xlsx")
    texts = _texts(report)
    assert BUDGET.label_th in texts and "3000" in texts
    (report,), _ = itaxl.report(reported, tmp_path / "report-progress.xlsx")
    assert SPENT.label_th in _texts(report)
