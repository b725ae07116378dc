"""Fill a real template the way an office does, then check what the validator says."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font

import itaxl
from itaxl import templates
from itaxl.schema import MEASURES, SHEET_META

from .conftest import FY, ORG, TOTAL, at, codes, good_rows

FORM, TABLE = MEASURES.form, MEASURES.table
F = FORM.name
T = TABLE.name
R1 = TABLE.first_data_row  # the first measure's row


def cell(key: str, row: int = R1) -> str:
    return f"{TABLE.letter_of(key)}{row}"


def rows_with(**changes) -> list[dict]:
    """The good rows with changes to the first one."""
    rows = good_rows()
    rows[0].update(changes)
    return rows


def test_a_correctly_filled_workbook_is_valid(filled):
    sub = itaxl.read(filled())
    assert sub.problems == []
    assert sub.valid and sub.kind == "measures" and sub.org_code == ORG and sub.fiscal_year == FY
    assert [m.number for m in sub.measures] == [1, 2, 3]
    assert [m.indicator for m in sub.measures] == [9, 4, 10]
    assert sub.measures[0].method.startswith("๑. ทุกกอง") and "\n" in sub.measures[0].method
    assert sub.measures[1].end == dt.date(2024, 3, 31)
    assert sub.header["total_score"] == TOTAL and sub.header["grade"] == "B"
    assert itaxl.validate(filled()) == []


def test_dataframe_has_one_row_per_measure(filled):
    frame = itaxl.read(filled()).to_frame()
    assert len(frame) == 3
    assert list(frame["org_code"].unique()) == [ORG]
    assert list(frame["indicator"]) == [9, 4, 10]
    assert {"measure", "method", "start", "end", "row"} <= set(frame.columns)


# --------------------------------------------------------------------------- header


def test_required_header_cell_missing(filled):
    sub = itaxl.read(filled(drop=("total_score", "reporter_name")))
    assert at(sub, "required-missing") == [(F, FORM.cell_of("total_score")), (F, FORM.cell_of("reporter_name"))]
    assert not sub.valid


def test_grade_outside_the_dropdown(filled):
    sub = itaxl.read(filled(header={"grade": "Z"}))
    assert at(sub, "invalid-choice") == [(F, FORM.cell_of("grade"))]


def test_score_out_of_range(filled):
    sub = itaxl.read(filled(header={"score_3": 120}))
    assert at(sub, "score-out-of-range") == [(F, FORM.cell_of("score_3"))]
    assert not sub.valid


def test_a_grade_typed_in_lower_case_is_read_and_said_back(filled):
    sub = itaxl.read(filled(header={"grade": "b"}))
    assert sub.header["grade"] == "B" and sub.valid
    assert [(p.code, p.cell, p.params["parsed"]) for p in sub.problems] == [("choice-typed", FORM.cell_of("grade"), "B")]


def test_grade_inconsistent_with_score(filled):
    sub = itaxl.read(filled(header={"grade": "AA"}))
    assert at(sub, "grade-mismatch") == [(F, FORM.cell_of("grade"))]
    assert "expected B" in sub.problems[0].message_en


def test_total_inconsistent_with_indicator_scores(filled):
    sub = itaxl.read(filled(header={"total_score": 95.5, "grade": "AA"}))
    assert at(sub, "total-mismatch") == [(F, FORM.cell_of("total_score"))]
    assert sub.valid  # the formula is inferred: a warning, not an error


def test_some_indicator_scores_missing(filled):
    sub = itaxl.read(filled(drop=("score_9", "score_10")))
    assert at(sub, "indicator-score-missing") == [(F, FORM.cell_of("score_9"))]
    assert "9, 10" in sub.problems[0].message_en


def test_assessed_year_must_be_fiscal_year_minus_one(filled):
    sub = itaxl.read(filled(header={"assessed_year": FY - 2}))
    assert at(sub, "assessed-year") == [(F, FORM.cell_of("assessed_year"))]


def test_score_typed_with_thai_digits_is_read_with_a_warning(filled):
    sub = itaxl.read(filled(header={"score_1": "๙๐.๐๒"}))
    assert at(sub, "number-typed-as-text") == [(F, FORM.cell_of("score_1"))]
    assert sub.header["score_1"] == 90.02 and sub.valid


def test_score_that_is_not_a_number(filled):
    sub = itaxl.read(filled(header={"total_score": "ดีมาก"}))
    assert at(sub, "number-invalid") == [(F, FORM.cell_of("total_score"))]
    assert at(sub, "required-missing") == []  # one message for the cell, not two


def test_report_date_typed_as_thai_text(filled):
    sub = itaxl.read(filled(header={"report_date": "๑๕ พฤศจิกายน ๒๕๖๖"}))
    assert at(sub, "date-typed-as-text") == [(F, FORM.cell_of("report_date"))]
    assert sub.header["report_date"] == dt.date(2023, 11, 15) and sub.valid


# --------------------------------------------------------------------------- office


def test_office_name_disagreeing_with_code_is_a_warning(filled, blank_template):
    sub = itaxl.read(filled(template=blank_template, header={"org_code": ORG, "org_name": "บ้านจั่น"}))
    assert at(sub, "office-name-mismatch") == [(F, FORM.cell_of("org_name"))]
    assert sub.valid and sub.org_code == ORG


def test_office_name_with_its_prefix_matches(filled, blank_template):
    sub = itaxl.read(filled(template=blank_template,
                            header={"org_code": "0" + ORG, "org_name": "องค์การบริหารส่วนตำบลโคกสนวน"}))
    assert sub.problems == [] and sub.org_code == ORG


def test_unknown_office_code(filled, blank_template):
    sub = itaxl.read(filled(template=blank_template, header={"org_code": "1234567", "org_name": "ที่ไหน"}))
    assert at(sub, "office-unknown") == [(F, FORM.cell_of("org_code"))]


def test_blank_template_needs_the_office(filled, blank_template):
    sub = itaxl.read(filled(template=blank_template))
    assert at(sub, "required-missing") == [(F, FORM.cell_of("org_code")), (F, FORM.cell_of("org_name"))]


# --------------------------------------------------------------------------- measures table


def test_required_measure_cell_missing(filled):
    sub = itaxl.read(filled(rows=rows_with(method="", responsible=None)))
    assert at(sub, "required-missing") == [(T, cell("method")), (T, cell("responsible"))]


def test_indicator_outside_the_dropdown(filled):
    sub = itaxl.read(filled(rows=rows_with(indicator="11 ความสุข")))
    assert at(sub, "invalid-choice") == [(T, cell("indicator"))]


@pytest.mark.parametrize("typed", ["ตัวชี้วัดที่ ๙", "9", "การเปิดเผยข้อมูล", "9.2", "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"])
def test_indicator_aliases_are_accepted(filled, typed):
    sub = itaxl.read(filled(rows=rows_with(indicator=typed)))
    assert sub.problems == [] and sub.measures[0].indicator == 9


def test_indicator_old_name_variant(filled):
    sub = itaxl.read(filled(rows=rows_with(indicator="การปรับปรุงระบบการทำงาน")))
    assert sub.measures[0].indicator == 8 and sub.valid


def test_date_that_does_not_parse(filled):
    sub = itaxl.read(filled(rows=rows_with(start="ต้นปี")))
    assert at(sub, "date-invalid") == [(T, cell("start"))]
    assert at(sub, "required-missing") == []


def test_date_typed_as_thai_text_is_accepted_with_a_warning(filled):
    sub = itaxl.read(filled(rows=rows_with(start="๑ ต.ค. ๖๖")))
    assert at(sub, "date-typed-as-text") == [(T, cell("start"))]
    assert sub.measures[0].start == dt.date(2023, 10, 1) and sub.valid


def test_period_typed_in_the_start_cell_fills_an_empty_end(filled):
    sub = itaxl.read(filled(rows=rows_with(start="ตุลาคม ๒๕๖๖ ถึง กันยายน ๒๕๖๗", end=None)))
    m = sub.measures[0]
    assert (m.start, m.end) == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))
    assert sub.valid and at(sub, "date-typed-as-text") == [(T, cell("start"))]


def test_date_outside_the_fiscal_year(filled):
    sub = itaxl.read(filled(rows=rows_with(end=dt.date(2024, 10, 31))))
    assert at(sub, "date-outside-fiscal-year") == [(T, cell("end"))]
    assert not sub.valid


def test_end_before_start(filled):
    sub = itaxl.read(filled(rows=rows_with(start=dt.date(2024, 3, 1), end=dt.date(2024, 2, 1))))
    assert at(sub, "date-order") == [(T, cell("end"))]


def test_repeated_numbers(filled):
    rows = good_rows()
    rows[2]["number"] = 2
    sub = itaxl.read(filled(rows=rows))
    assert at(sub, "numbering-repeated") == [(T, cell("number", R1 + 2))]
    # named as the office knows it: the title of the measure that has the number, not an Excel row
    assert f"the measure '{rows[1]['measure'][:20]}" in sub.problems[0].message_en and not sub.valid
    assert "แถว" not in sub.problems[0].message_th


def test_numbering_that_restarts_is_repeated(filled):
    rows = good_rows() + good_rows()[:1]
    rows[3] = {**rows[3], "number": 1, "measure": "มาตรการที่สี่"}
    sub = itaxl.read(filled(rows=rows))
    assert at(sub, "numbering-repeated") == [(T, cell("number", R1 + 3))]


def test_numbering_gap_is_a_warning(filled):
    rows = good_rows()
    rows[2]["number"] = 5
    sub = itaxl.read(filled(rows=rows))
    assert at(sub, "numbering-gap") == [(T, cell("number", R1 + 2))]
    assert sub.valid


def test_same_text_pasted_into_several_measures(filled):
    rows = good_rows()
    rows[2]["method"] = rows[1]["method"]
    sub = itaxl.read(filled(rows=rows))
    assert at(sub, "duplicate-text") == [(T, cell("method", R1 + 2))]
    assert sub.valid


def test_leftover_placeholder_text(filled):
    sub = itaxl.read(filled(rows=rows_with(
        responsible="สำนักปลัด (หน่วยงาน อาจ กำหนด เป็น ตำแหน่ง ใน รายละเอียดก็ได้)", monitoring="........")))
    assert at(sub, "placeholder-text") == [(T, cell("responsible")), (T, cell("monitoring"))]


def test_dots_only_in_a_required_cell_count_as_missing(filled):
    sub = itaxl.read(filled(rows=rows_with(method="......")))
    assert (T, cell("method")) in at(sub, "required-missing")


def test_no_measures_at_all(filled):
    sub = itaxl.read(filled(rows=[]))
    assert at(sub, "measures-none") == [(T, f"A{R1}")]


def test_empty_rows_between_measures_are_skipped(filled):
    rows = good_rows()
    rows.insert(1, {})
    sub = itaxl.read(filled(rows=rows))
    assert [m.row for m in sub.measures] == [R1, R1 + 2, R1 + 3]


def test_formula_in_an_input_cell(filled, tmp_path):
    path = filled()
    book = openpyxl.load_workbook(path)
    book[T][cell("measure")] = '=HYPERLINK("http://example.invalid","คลิก")'
    book[F][FORM.cell_of("total_score")] = "=80+1.5"
    book.save(path)
    sub = itaxl.read(path)
    assert set(at(sub, "formula-in-cell")) == {(T, cell("measure")), (F, FORM.cell_of("total_score"))}
    assert not sub.valid


def test_text_that_looks_like_a_formula_is_just_text(filled):
    sub = itaxl.read(filled(rows=rows_with(monitoring="=ทุกเดือน")))
    assert sub.valid and sub.measures[0].monitoring == "=ทุกเดือน"


# --------------------------------------------------------------------------- tampering and identity


def _edit(path, sheet, ref, value, *, unprotect=True, reprotect=True):
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    if unprotect:
        ws.protection.sheet = False
    ws[ref] = value
    ws.protection.sheet = reprotect
    book.save(path)
    return path


def test_edited_locked_cell_is_named(filled):
    path = _edit(filled(), F, FORM.cell_of("org_name"), "บ้านจั่น")
    sub = itaxl.read(path)
    assert at(sub, "locked-cell-changed") == [(F, FORM.cell_of("org_name"))]
    assert "โคกสนวน" in sub.problems[0].message_en and not sub.valid


def test_edited_table_header_is_named(filled):
    sub = itaxl.read(_edit(filled(), T, f"D{TABLE.header_row}", "อะไรก็ได้"))
    assert at(sub, "locked-cell-changed") == [(T, f"D{TABLE.header_row}")]


def test_protection_removed_is_a_warning(filled):
    sub = itaxl.read(_edit(filled(), T, "Z99", None, reprotect=False))
    assert at(sub, "protection-removed") == [(T, None)]
    assert sub.valid


def test_edited_metadata_sheet(filled):
    sub = itaxl.read(_edit(filled(), SHEET_META, "B5", "6311006"))
    assert at(sub, "metadata-edited") == [(SHEET_META, None)]
    assert not sub.valid


def test_metadata_sheet_that_is_merely_hidden_is_accepted(filled):
    path = filled()
    book = openpyxl.load_workbook(path)
    book[SHEET_META].sheet_state = "hidden"  # what LibreOffice does on save
    book.save(path)
    assert itaxl.read(path).problems == []


def test_resaved_with_other_widths_and_fonts_stays_valid(filled):
    path = filled()
    book = openpyxl.load_workbook(path)
    ws = book[T]
    ws.column_dimensions["D"].width = 80
    ws.row_dimensions[R1].height = 200
    for row in ws.iter_rows(min_row=1, max_row=R1 + 2):
        for c in row:
            c.font = Font(name="Tahoma", size=11)
    book.save(path)
    assert itaxl.read(path).problems == []


def test_hmac_signed_workbook(tmp_path, filled):
    key = b"central-office-secret-key-2567"
    template = templates.measures(ORG, FY, tmp_path / "signed.xlsx", key=key)
    path = filled(template=template)
    assert itaxl.read(path, key=key).problems == []
    assert [p.code for p in itaxl.read(path).problems] == ["fingerprint-unverified"]
    assert at(itaxl.read(path, key=b"another-key-of-enough-length"), "metadata-edited") == [(SHEET_META, None)]


def test_forged_metadata_is_caught_with_a_key(tmp_path, filled):
    """Someone edits a locked cell and rewrites the manifest and its SHA-256 digest."""
    from itaxl.metadata import MANIFEST_FIRST_ROW, fingerprint, manifest_cells
    from itaxl.reader import _Context, _read_metadata
    from itaxl.xlsxread import XlsxPackage

    key = b"central-office-secret-key-2567"
    path = filled(template=templates.measures(ORG, FY, tmp_path / "signed.xlsx", key=key))
    with XlsxPackage(str(path)) as pkg:
        meta = _read_metadata(pkg, _Context(str(path)))
    index = next(i for i, e in enumerate(meta.manifest) if e[:2] == (F, FORM.cell_of("org_name")))
    meta.manifest[index] = (F, FORM.cell_of("org_name"), "บ้านจั่น")
    meta.fingerprint_mode = "sha256"
    forged = fingerprint(meta)
    book = openpyxl.load_workbook(path)
    book[F][FORM.cell_of("org_name")] = "บ้านจั่น"
    for row, chunk in enumerate(manifest_cells(meta.manifest), start=MANIFEST_FIRST_ROW):
        book[SHEET_META][f"A{row}"] = chunk
    book[SHEET_META]["B10"] = "sha256"
    book[SHEET_META]["B11"] = forged
    book.save(path)
    # A plain digest cannot tell (only the register notices the name, as a warning) …
    assert codes(itaxl.read(path)) == {"office-name-mismatch"}
    # … a keyed one can.
    assert at(itaxl.read(path, key=key), "metadata-edited") == [(SHEET_META, None)]


def test_wrong_kind_and_schema_version(filled):
    sub = itaxl.read(_edit(filled(), SHEET_META, "B2", "budget"))
    assert codes(sub) == {"unknown-kind"}
    sub = itaxl.read(_edit(filled(), SHEET_META, "B3", "99"))
    assert codes(sub) == {"unknown-schema-version"}


def test_plain_workbook_is_not_itaxl(tmp_path):
    path = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "มาตรการ"
    book.save(path)
    sub = itaxl.read(path)
    assert codes(sub) == {"not-itaxl"} and sub.kind is None


# --------------------------------------------------------------------------- files that are not workbooks


def _ole2(*streams: str) -> bytes:
    """The start of an OLE2 compound file naming the given streams (as its directory would)."""
    body = b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + body


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


@pytest.mark.parametrize("content, code", [
    (b"", "file-empty"),
    (b"<!DOCTYPE html><html><body>login</body></html>", "file-not-xlsx"),
    (b"%PDF-1.7\n...", "file-not-xlsx"),
    (b"just some text", "file-not-xlsx"),
    (_ole2("Workbook", "SummaryInformation"), "file-legacy-xls"),
    (_ole2("EncryptionInfo", "EncryptedPackage"), "file-encrypted"),
    (b"PK\x03\x04" + b"\0" * 100, "file-corrupt"),
    (_ods(), "file-ods"),
])
def test_files_that_are_not_xlsx(tmp_path, content, code):
    path = tmp_path / "submission.xlsx"
    path.write_bytes(content)
    sub = itaxl.read(path)
    assert [p.code for p in sub.problems] == [code]
    assert sub.problems[0].file == str(path)


def test_truncated_workbook(filled):
    path = filled()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert [p.code for p in itaxl.read(path).problems] == ["file-corrupt"]


def test_missing_file(tmp_path):
    assert [p.code for p in itaxl.read(tmp_path / "nope.xlsx").problems] == ["file-missing"]


def test_be_year_entered_as_ce_is_read_as_be(filled):
    # LibreOffice/Excel in a C.E. locale store "30 ก.ย. 2567" as 30 Sep 2567 C.E. (shown as 3110).
    end = MEASURES.table.letter_of("end") + str(MEASURES.table.first_data_row)
    sub = itaxl.read(_edit(filled(), MEASURES.table.name, end, dt.datetime(2567, 9, 30)))
    assert at(sub, "date-be-year-as-ce") == [(MEASURES.table.name, end)]
    assert sub.measures[0].end == dt.date(2024, 9, 30)
    assert "date-outside-fiscal-year" not in codes(sub)
