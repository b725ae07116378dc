"""Progress workbooks: generated from a measures workbook, locked, tamper-evident, validated."""

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import Font

import itaxl
from itaxl import templates
from itaxl.cli import cli
from itaxl.errors import SourceInvalidError
from itaxl.fill import LockedCellError, fill
from itaxl.schema import PROGRESS, SHEET_META, Status

from .conftest import FY, ORG, at, codes, good_answers, good_progress_header, good_rows

FORM, TABLE = PROGRESS.form, PROGRESS.table
F, T = FORM.name, TABLE.name
R1 = TABLE.first_data_row


def cell(key: str, row: int = R1) -> str:
    return f"{TABLE.letter_of(key)}{row}"


def answers_with(**changes) -> list[dict]:
    answers = good_answers()
    answers[0].update(changes)
    return answers


# --------------------------------------------------------------------------- generation


def test_progress_template_carries_the_plan_locked(progress_r6, measures_valid):
    book = openpyxl.load_workbook(progress_r6)
    table = book[T]
    plan = itaxl.read(measures_valid).measures
    for i, measure in enumerate(plan):
        row = R1 + i
        assert table[cell("measure", row)].value == measure.measure
        assert table[cell("method", row)].value == measure.method
        assert table[cell("number", row)].value == measure.number
        assert table[cell("start", row)].value.date() == measure.start
        for f in TABLE.columns:
            assert table[cell(f.key, row)].protection.locked is f.locked, f.key
    assert table.cell(R1 + len(plan), 1).value is None  # exactly one row per measure
    form = book[F]
    assert form[FORM.cell_of("org_code")].value == ORG and form[FORM.cell_of("org_code")].protection.locked
    assert form[FORM.cell_of("round")].value == 6
    assert form[FORM.cell_of("period")].value == "1 ต.ค. 2566 – 31 มี.ค. 2567"
    assert not form[FORM.cell_of("reviewer_name")].protection.locked
    assert all(ws.protection.sheet for ws in book.worksheets) and book.security.lockStructure
    assert book[SHEET_META].sheet_state == "veryHidden"
    meta = {r[0].value: r[1].value for r in book[SHEET_META].iter_rows(max_row=11)}
    assert meta["kind"] == "progress" and meta["round"] == "6" and meta["rows"] == "3"
    assert meta["source_fingerprint"] == itaxl.read(measures_valid).plan_fingerprint()


def test_status_dropdown_and_help(progress_r6):
    table = openpyxl.load_workbook(progress_r6)[T]
    dvs = {dv.formula1: dv for dv in table.data_validations.dataValidation}
    assert str(dvs["itaxl_status"].sqref) == f"{cell('status')}:{cell('status', R1 + 2)}"
    assert all(dv.prompt for dv in table.data_validations.dataValidation)


def test_round_12_period_is_the_whole_year(measures_valid, tmp_path):
    path = templates.progress(measures_valid, 12, tmp_path / "r12.xlsx")
    assert openpyxl.load_workbook(path)[F][FORM.cell_of("period")].value == "1 ต.ค. 2566 – 30 ก.ย. 2567"


def test_same_source_same_bytes(measures_valid, tmp_path):
    a = templates.progress(measures_valid, 6, tmp_path / "a.xlsx").read_bytes()
    b = templates.progress(measures_valid, 6, tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_refused_from_a_measures_workbook_with_errors(filled, tmp_path):
    bad = filled(header={"grade": "AA"})
    with pytest.raises(SourceInvalidError) as info:
        templates.progress(bad, 6, tmp_path / "p.xlsx")
    assert [p.code for p in info.value.problems] == ["grade-mismatch"]
    assert not (tmp_path / "p.xlsx").exists()
    result = CliRunner().invoke(cli, ["template", "progress", "--from", str(bad), "--round", "6",
                                      "-o", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 1 and "grade-mismatch" in result.output


def test_batch_from_a_directory(filled, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    filled().rename(inbox / "good.xlsx")
    filled(drop=("grade",)).rename(inbox / "bad.xlsx")
    out = tmp_path / "outbox"
    result = CliRunner().invoke(cli, ["template", "progress", "--from", str(inbox), "--round", "12", "-o", str(out)])
    assert result.exit_code == 1
    assert [p.name for p in out.iterdir()] == [f"progress-{FY}-{ORG}-r12.xlsx"]
    assert "bad.xlsx" in result.output and "required-missing" in result.output


def test_the_office_cannot_write_the_plan(progress_r6, tmp_path):
    with pytest.raises(LockedCellError):
        fill(progress_r6, tmp_path / "x.xlsx", rows=[{"measure": "แก้ไขมาตรการ"}])


# --------------------------------------------------------------------------- filled and read back


def test_filled_progress_is_valid(filled_progress):
    sub = itaxl.read(filled_progress())
    assert sub.problems == []
    assert sub.kind == "progress" and sub.round == 6 and sub.org_code == ORG
    assert [m.status for m in sub.measures] == [Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED]
    assert [m.measure for m in sub.measures] == [r["measure"] for r in good_rows()]
    assert sub.measures[0].done_date == dt.date(2024, 2, 6)


def test_dataframe_has_plan_and_progress_columns(filled_progress):
    frame = itaxl.read(filled_progress()).to_frame()
    assert len(frame) == 3
    assert list(frame["status"]) == ["done", "in_progress", "not_started"]
    assert {"round", "measure", "method", "result", "evidence_url", "done_date"} <= set(frame.columns)


def test_round_12_from_round_6_carries_the_answers(filled_progress, tmp_path):
    r6 = filled_progress()
    r12 = templates.progress(r6, 12, tmp_path / "r12.xlsx")
    book = openpyxl.load_workbook(r12)
    table, form = book[T], book[F]
    assert table[cell("status")].value == "ดำเนินการแล้วเสร็จ"
    assert table[cell("result", R1 + 1)].value == good_answers()[1]["result"]
    assert not table[cell("result")].protection.locked  # still editable
    assert form[FORM.cell_of("reviewer_name")].value == "นายสุรศักดิ์ เพ็งภาค"
    assert form[FORM.cell_of("report_date")].value is None  # a new report date for a new report
    sub = itaxl.read(r12)
    assert sub.round == 12 and [m.status for m in sub.measures][0] is Status.DONE
    assert sub.meta.source_fingerprint == itaxl.read(r6).meta.source_fingerprint
    # The office updates rather than retypes: finish measure 2, then it validates.
    answers = [{}, {"status": "ดำเนินการแล้วเสร็จ", "done_date": dt.date(2024, 6, 1)}, {}]
    updated = fill(r12, tmp_path / "r12-filled.xlsx", header={"report_date": dt.date(2024, 10, 10)}, rows=answers)
    assert itaxl.read(updated).problems == []


def test_round_6_cannot_come_from_round_12(filled_progress, tmp_path, measures_valid):
    r12 = templates.progress(measures_valid, 12, tmp_path / "r12.xlsx")
    with pytest.raises(SourceInvalidError, match="round 12 cannot become round 6"):
        templates.progress(r12, 6, tmp_path / "again.xlsx")


# --------------------------------------------------------------------------- tampering


def _tamper(path, change):
    book = openpyxl.load_workbook(path)
    ws = book[T]
    ws.protection.sheet = False
    change(ws)
    ws.protection.sheet = True
    book.save(path)
    return itaxl.read(path)


def test_edited_locked_measure_text(filled_progress):
    def edit(ws):
        ws[cell("measure", R1 + 1)] = "มาตรการที่แก้ไขแล้ว"
    sub = _tamper(filled_progress(), edit)
    assert at(sub, "locked-cell-changed") == [(T, cell("measure", R1 + 1))]
    assert not sub.valid


def test_deleted_row(filled_progress):
    sub = _tamper(filled_progress(), lambda ws: ws.delete_rows(R1 + 1))
    assert at(sub, "locked-row-deleted") == [(T, f"A{R1 + 1}")]
    assert "row 5" in [p for p in sub.problems if p.code == "locked-row-deleted"][0].message_en


def test_inserted_row(filled_progress):
    def insert(ws):
        ws.insert_rows(R1 + 1)
        ws[cell("number", R1 + 1)] = 9
        ws[cell("measure", R1 + 1)] = "มาตรการที่แทรกเพิ่ม"
    sub = _tamper(filled_progress(), insert)
    assert at(sub, "locked-row-inserted") == [(T, f"A{R1 + 1}")]


def test_swapped_rows(filled_progress):
    def swap(ws):
        a, b = R1, R1 + 2
        for col in range(1, len(TABLE.columns) + 1):
            x, y = ws.cell(a, col), ws.cell(b, col)
            x.value, y.value = y.value, x.value
    sub = _tamper(filled_progress(), swap)
    assert at(sub, "locked-rows-reordered") == [(T, f"A{R1}"), (T, f"A{R1 + 2}")]


def test_edited_metadata(filled_progress):
    path = filled_progress()
    book = openpyxl.load_workbook(path)
    book[SHEET_META]["B7"] = "12"  # round
    book.save(path)
    assert at(itaxl.read(path), "metadata-edited") == [(SHEET_META, None)]


def test_protection_removed_only(filled_progress):
    path = filled_progress()
    book = openpyxl.load_workbook(path)
    book[T].protection.sheet = False
    book.save(path)
    sub = itaxl.read(path)
    assert codes(sub) == {"protection-removed"} and sub.valid


def test_resaved_with_other_widths_fonts_and_comments_stays_valid(filled_progress):
    path = filled_progress()
    book = openpyxl.load_workbook(path)
    ws = book[T]
    for letter in "ABCDEFGHIJ":
        ws.column_dimensions[letter].width = 12
    for row in ws.iter_rows(min_row=1, max_row=R1 + 2):
        for c in row:
            c.font = Font(name="Angsana New", size=14, bold=True)
    ws[cell("measure")].comment = openpyxl.comments.Comment("ตรวจแล้ว", "central")
    book.save(path)
    assert itaxl.read(path).problems == []


# --------------------------------------------------------------------------- progress rules


def test_status_required_on_every_measure(filled_progress):
    sub = itaxl.read(filled_progress(answers=answers_with(status=None)))
    assert at(sub, "required-missing") == [(T, cell("status"))]


@pytest.mark.parametrize("typed", ["ดำเนินงานเสร็จแล้ว", "เสร็จสิ้น", "ดำเนินการแล้ว"])
def test_status_spellings_of_the_seeds_are_accepted(filled_progress, typed):
    sub = itaxl.read(filled_progress(answers=answers_with(status=typed)))
    assert sub.measures[0].status is Status.DONE
    # read, and said in a note (no warning): the office sees which status itaxl understood
    (note,) = sub.problems
    assert (note.code, note.severity.value, note.cell) == ("choice-typed", "info", cell("status"))
    assert f"'{typed}'" in note.message_th and "'ดำเนินการแล้วเสร็จ'" in note.message_th


@pytest.mark.parametrize("typed", ["ดำเนินการแล้วเสร็จ", " ดำเนินการแล้วเสร็จ "])
def test_a_status_chosen_from_the_list_says_nothing(filled_progress, typed):
    assert itaxl.read(filled_progress(answers=answers_with(status=typed))).problems == []


def test_unknown_status(filled_progress):
    sub = itaxl.read(filled_progress(answers=answers_with(status="/")))
    assert at(sub, "invalid-choice") == [(T, cell("status"))]


def test_done_needs_a_result(filled_progress):
    sub = itaxl.read(filled_progress(answers=answers_with(result=None)))
    assert at(sub, "done-without-result") == [(T, cell("result"))]


def test_done_needs_a_completion_date(filled_progress):
    sub = itaxl.read(filled_progress(answers=answers_with(done_date=None)))
    assert at(sub, "done-without-date") == [(T, cell("done_date"))]


def test_in_progress_needs_a_result(filled_progress):
    answers = good_answers()
    answers[1]["result"] = None
    sub = itaxl.read(filled_progress(answers=answers))
    assert at(sub, "in-progress-without-result") == [(T, cell("result", R1 + 1))]


def test_completion_date_outside_the_fiscal_year(filled_progress):
    sub = itaxl.read(filled_progress(answers=answers_with(done_date=dt.date(2023, 9, 1))))
    assert at(sub, "date-outside-fiscal-year") == [(T, cell("done_date"))]


def test_completion_date_outside_round_6(filled_progress):
    sub = itaxl.read(filled_progress(answers=answers_with(done_date=dt.date(2024, 4, 2)),
                                     header={"report_date": dt.date(2024, 4, 30)}))
    assert at(sub, "date-outside-round") == [(T, cell("done_date"))]


def test_completion_date_after_the_report_date(tmp_path, measures_valid):
    r12 = templates.progress(measures_valid, 12, tmp_path / "r12.xlsx")
    header = {**good_progress_header(), "report_date": dt.date(2024, 9, 30)}
    answers = good_answers()
    answers[2] = {"status": "ดำเนินการแล้วเสร็จ", "result": "ประกาศนโยบายไม่รับของขวัญแล้ว",
                  "done_date": dt.date(2024, 10, 1)}
    sub = itaxl.read(fill(r12, tmp_path / "late.xlsx", header=header, rows=answers))
    assert (T, cell("done_date", R1 + 2)) in at(sub, "date-after-report")
    answers[2]["done_date"] = "30 ก.ย. 2567"  # typed as text, on the report date: fine
    sub = itaxl.read(fill(r12, tmp_path / "ok.xlsx", header=header, rows=answers))
    assert sub.valid and at(sub, "date-after-report") == []


def test_report_date_before_the_round_ends(filled_progress):
    sub = itaxl.read(filled_progress(header={"report_date": dt.date(2024, 3, 15)}))
    assert at(sub, "report-before-round-end") == [(F, FORM.cell_of("report_date"))]


@pytest.mark.parametrize("url", ["www.khoksanuan.go.th/news", "ftp://files.example.com/x", "https://", "ดูที่เว็บไซต์"])
def test_malformed_evidence_link(filled_progress, url):
    sub = itaxl.read(filled_progress(answers=answers_with(evidence_url=url)))
    assert at(sub, "url-invalid") == [(T, cell("evidence_url"))]


def test_reporter_and_reviewer_required(filled_progress):
    sub = itaxl.read(filled_progress(drop=("reviewer_name", "reporter_position")))
    assert at(sub, "required-missing") == [(F, FORM.cell_of("reporter_position")), (F, FORM.cell_of("reviewer_name"))]


def test_same_result_pasted_into_several_measures(filled_progress):
    answers = good_answers()
    answers[1]["result"] = answers[0]["result"]
    sub = itaxl.read(filled_progress(answers=answers))
    assert at(sub, "duplicate-text") == [(T, cell("result", R1 + 1))]
    assert sub.valid


def test_everything_done_on_the_report_date(filled_progress):
    end_of_round = dt.date(2024, 3, 31)
    answers = [{"status": "ดำเนินการแล้วเสร็จ", "result": f"ดำเนินการตามมาตรการที่ {i} แล้ว",
                "done_date": end_of_round} for i in range(1, 4)]
    sub = itaxl.read(filled_progress(answers=answers, header={"report_date": end_of_round}))
    assert at(sub, "all-done-on-report-date") == [(T, None)]
    assert sub.valid


def test_text_that_looks_like_a_formula_stays_text_in_the_progress_template(filled, tmp_path):
    risky = ['=HYPERLINK("http://x","คลิก")', "+66 81 234 5678", "-ข่าวประชาสัมพันธ์", "@user"]
    rows = good_rows()
    for row, text in zip(rows, risky):
        row["monitoring"] = text
    rows[0]["method"] = risky[3]
    source = filled(rows=rows)
    path = templates.progress(source, 6, tmp_path / "p.xlsx")
    table = openpyxl.load_workbook(path)[T]
    for i, text in enumerate(risky[:3]):
        c = table[cell("monitoring", R1 + i)]
        assert (c.value, c.data_type) == (text, "s") and c.quotePrefix
    assert [m.monitoring for m in itaxl.read(path).measures] == risky[:3]
