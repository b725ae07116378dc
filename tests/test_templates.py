"""The generated measures template, inspected with openpyxl and as a zip package."""

import zipfile

import openpyxl
import pytest

from itaxl import templates
from itaxl.errors import UnknownOfficeError, UsageError
from itaxl.framework import SHIPPED
from itaxl.schema import (
    MEASURES, SHEET_GUIDE, SHEET_LISTS, SHEET_META,
)

from .conftest import FY, ORG


@pytest.fixture(scope="module")
def book(measures_template):
    return openpyxl.load_workbook(measures_template)


def test_sheets_and_states(book):
    assert book.sheetnames == [SHEET_GUIDE, MEASURES.form.name, MEASURES.table.name, SHEET_LISTS, SHEET_META]
    assert book[SHEET_META].sheet_state == "veryHidden"
    assert book[SHEET_LISTS].sheet_state == "hidden"
    assert book.active.title == MEASURES.form.name


def test_every_sheet_and_the_structure_are_protected(book, measures_template):
    for ws in book.worksheets:
        assert ws.protection.sheet, ws.title
        # In OOXML a true flag means the action is forbidden: rows cannot be inserted or
        # deleted, while column widths and row heights stay adjustable for reading.
        assert ws.protection.insertRows and ws.protection.deleteRows and ws.protection.insertColumns
        assert not ws.protection.formatColumns and not ws.protection.formatRows
    assert book.security.lockStructure
    with zipfile.ZipFile(measures_template) as z:
        assert b'<workbookProtection lockStructure="1"/>' in z.read("xl/workbook.xml")


def test_password_protects_sheets_and_structure(tmp_path):
    path = templates.measures(ORG, FY, tmp_path / "p.xlsx", password="ลับ123")
    book = openpyxl.load_workbook(path)
    assert all(ws.protection.password for ws in book.worksheets)
    assert book.security.workbookPassword


def test_only_input_cells_are_unlocked(book):
    form = book[MEASURES.form.name]
    for f in MEASURES.form.fields:
        row = MEASURES.form.row_of(f.key)
        assert form.cell(row, 1).protection.locked, f.key   # label
        # With an office given, its identity and the fiscal year are locked; the rest are inputs.
        locked = f.key in ("org_code", "org_type", "org_name", "district", "province", "fiscal_year")
        assert form.cell(row, 2).protection.locked is locked, f.key
    form_values = {f.key: form.cell(MEASURES.form.row_of(f.key), 2).value for f in MEASURES.form.fields}
    assert form_values["org_code"] == ORG and form_values["org_name"] == "โคกสนวน"
    assert form_values["district"] == "ชำนิ" and form_values["province"] == "บุรีรัมย์"
    assert form_values["fiscal_year"] == FY and form_values["assessed_year"] == FY - 1

    table = book[MEASURES.table.name]
    header = MEASURES.table.header_row
    assert [c.value for c in table[header]] == [f.label_th for f in MEASURES.table.columns]
    assert all(c.protection.locked for c in table[header])
    first, last = MEASURES.table.first_data_row, MEASURES.table.first_data_row + MEASURES.default_rows - 1
    for row in (first, last):
        assert all(not c.protection.locked for c in table[row][: len(MEASURES.table.columns)])
    assert table.cell(last + 1, 1).protection.locked  # below the table: locked (default)
    assert last - first + 1 >= 30


def test_blank_template_lets_the_office_type_its_identity(blank_template):
    form = openpyxl.load_workbook(blank_template)[MEASURES.form.name]
    for key in ("org_code", "org_name", "district", "province"):
        cell = form.cell(MEASURES.form.row_of(key), 2)
        assert not cell.protection.locked and cell.value is None
    assert form.cell(MEASURES.form.row_of("fiscal_year"), 2).protection.locked


def test_dropdowns_come_from_the_hidden_list_sheet(book):
    table = book[MEASURES.table.name]
    letter = MEASURES.table.letter_of("indicator")
    lists = {dv.formula1: dv for dv in table.data_validations.dataValidation if dv.type == "list"}
    assert "itaxl_indicator" in lists
    dv = lists["itaxl_indicator"]
    assert f"{letter}{MEASURES.table.first_data_row}" in str(dv.sqref)
    assert dv.promptTitle and dv.prompt  # Thai help text
    target = book.defined_names["itaxl_indicator"].attr_text
    sheet, ref = target.split("!")
    values = [c.value for row in book[sheet.strip("'")][ref.replace("$", "")] for c in row]
    assert values == [i.label for i in SHIPPED.for_plan(FY).indicators]
    grade = book[MEASURES.form.name].data_validations.dataValidation
    assert any(dv.formula1 == "itaxl_grade" for dv in grade)


def test_every_input_column_has_thai_help(book):
    table = book[MEASURES.table.name]
    covered = {str(dv.sqref).split(":")[0].rstrip("0123456789") for dv in table.data_validations.dataValidation
               if dv.prompt}
    assert covered == {MEASURES.table.letter_of(f.key) for f in MEASURES.table.input_columns}


def test_dates_show_buddhist_era_and_text_cells_are_text(book):
    table = book[MEASURES.table.name]
    row = MEASURES.table.first_data_row
    for f in MEASURES.table.columns:
        fmt = table.cell(row, MEASURES.table.column_of(f.key) + 1).number_format
        if f.type.name == "date":
            assert fmt == "[$-107041E]d mmm yyyy"
        elif f.type.name in ("text", "longtext", "choice"):
            assert fmt == "@"
    assert table.cell(row, MEASURES.table.column_of("method") + 1).alignment.wrap_text


def test_print_layout_and_font(book):
    for name in (MEASURES.form.name, MEASURES.table.name):
        ws = book[name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize in (9, "9")
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
        assert ws.page_setup.fitToHeight == 0
    table = book[MEASURES.table.name]
    assert table.print_title_rows == f"${MEASURES.table.header_row}:${MEASURES.table.header_row}"
    assert table.freeze_panes == f"A{MEASURES.table.first_data_row}"
    cell = table.cell(MEASURES.table.first_data_row, 4)
    assert cell.font.name == "TH SarabunPSK" and cell.font.sz == 16


def test_metadata_sheet(book):
    meta = {r[0].value: r[1].value for r in book[SHEET_META].iter_rows(max_row=11)}
    assert meta["format"] == "itaxl-workbook" and meta["kind"] == "measures"
    assert meta["org_code"] == ORG and meta["fiscal_year"] == str(FY)
    assert meta["schema_version"] and meta["itaxl_version"]
    assert len(meta["fingerprint"]) == 64 and meta["fingerprint_mode"] == "sha256"


def test_same_arguments_same_bytes(tmp_path):
    a = templates.measures(ORG, FY, tmp_path / "a.xlsx").read_bytes()
    b = templates.measures(ORG, FY, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    assert templates.build_measures(ORG, FY + 1) != a


def test_rows_option(tmp_path):
    path = templates.measures(ORG, FY, tmp_path / "r.xlsx", rows=45)
    table = openpyxl.load_workbook(path)[MEASURES.table.name]
    last = MEASURES.table.first_data_row + 44
    assert not table.cell(last, 1).protection.locked and table.cell(last + 1, 1).protection.locked


def test_unknown_office_and_bad_year_are_refused(tmp_path):
    with pytest.raises(UnknownOfficeError, match="1234567"):
        templates.measures("1234567", FY, tmp_path / "x.xlsx")
    with pytest.raises(UsageError, match="2024"):
        templates.measures(ORG, 2024, tmp_path / "y.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_batch_writes_stable_names(tmp_path):
    paths = templates.measures_batch(["6311805", "06311006"], FY, tmp_path)
    assert [p.name for p in paths] == ["measures-2567-6311805.xlsx", "measures-2567-6311006.xlsx"]


def test_batch_checks_every_code_before_writing(tmp_path):
    with pytest.raises(UnknownOfficeError):
        templates.measures_batch(["6311805", "9999999"], FY, tmp_path)
    assert list(tmp_path.iterdir()) == []
