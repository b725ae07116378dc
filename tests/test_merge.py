"""Merging submissions into the consolidated workbook."""

import datetime as dt
import json
import os
import shutil
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import itaxl
import itaxl.samples
import itaxl.thai
from itaxl import batch, templates
from itaxl.cli import cli
from itaxl.errors import OutputError

from .conftest import FY, good_answers, good_progress_header, good_rows

CODES = ["6311805", "6311006", "5210306", "6410124"]


def progress_file(directory, code, *, plan=None, answers=None, name=None, mtime=1_700_000_000, header=None):
    plan = plan if plan is not None else good_rows()
    data = templates.build_progress_from_data(
        code, FY, 12, plan, answers=answers if answers is not None else good_answers(),
        header={**good_progress_header(), "report_date": dt.date(2024, 10, 5), **(header or {})})
    path = directory / (name or f"{code}.xlsx")
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def inbox(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    for code in CODES[:3]:
        progress_file(box, code)
    return box


def test_merge_counts_reconcile_and_missing_offices_are_listed(inbox, tmp_path):
    result = itaxl.merge([inbox], roster=CODES)
    s = result.summary
    assert (s["found"], s["accepted"], s["submitted"], s["expected"], s["missing"]) == (3, 3, 3, 4, 1)
    assert s["measures_in"] == s["measures_out"] == 9 and s["progress_out"] == 9
    missing = result.frames["missing"]
    assert list(missing["org_code"]) == ["6410124"] and missing["reason"][0] == "ไม่พบไฟล์"
    offices = result.frames["offices"].set_index("org_code")
    assert offices.loc["6311805", "done"] == 1 and offices.loc["6311805", "percent_done"] == pytest.approx(33.3)
    assert "measures in 9 = out 9" in result.reconciliation()


def test_resubmission_newest_wins_identical_collapses_and_all_are_listed(inbox, tmp_path):
    newer = progress_file(inbox, "6311805", name="6311805-corrected.xlsx", mtime=1_800_000_000,
                          header={"reviewer_name": "นายใหม่ แก้ไข"})
    shutil.copy(inbox / "6311006.xlsx", inbox / "6311006-again.xlsx")
    broken = inbox / "5210306-bad.xlsx"
    broken.write_bytes(b"<html>")
    result = itaxl.merge([inbox])
    files = result.frames["files"].set_index("path")
    assert files.loc[str(newer), "status"] == "accepted" and files.loc[str(newer), "decided_by"] == "mtime"
    assert files.loc[str(inbox / "6311805.xlsx"), "status"] == "superseded"
    assert files.loc[str(inbox / "6311805.xlsx"), "superseded_by"] == str(newer)
    statuses = {files.loc[str(inbox / n), "status"] for n in ("6311006.xlsx", "6311006-again.xlsx")}
    assert statuses == {"accepted", "duplicate"}
    assert files.loc[str(broken), "status"] == "rejected"
    assert result.summary["found"] == 6 and len(files) == 6  # nothing silently dropped
    assert result.summary["measures_out"] == 9  # each office once
    problems = result.frames["problems"]
    assert list(problems[problems["file"] == str(broken)]["code"]) == ["file-not-xlsx"]


def test_core_modified_decides_before_mtime(tmp_path, filled):
    import re

    from .test_hostile import rezip

    a, b = filled(), filled(header={"reporter_position": "ปลัด"})
    for path, when in ((a, "2024-01-02T08:00:00Z"), (b, "2024-01-01T08:00:00Z")):
        with zipfile.ZipFile(path) as z:  # as Excel or LibreOffice would record the save
            core = z.read("docProps/core.xml")
        core = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.encode(), core)
        rezip(path, path.with_suffix(".tmp"), replace={"docProps/core.xml": core}).replace(path)
    os.utime(a, (1, 1))  # a is older on disk but saved later by the application
    result = itaxl.merge([a, b])
    files = result.frames["files"].set_index("path")
    assert files.loc[str(a), "status"] == "accepted" and files.loc[str(a), "decided_by"] == "modified"


def test_invalid_files_rejected_unless_included(inbox):
    bad = progress_file(inbox, "6410124", answers=[{}, {}, {}])  # no statuses: errors
    assert itaxl.merge([inbox]).frames["files"].set_index("path").loc[str(bad), "status"] == "rejected"
    result = itaxl.merge([inbox], include_invalid=True)
    assert result.frames["files"].set_index("path").loc[str(bad), "status"] == "accepted"
    assert result.summary["measures_out"] == 12


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 6), st.booleans()), min_size=1, max_size=6))
def test_every_measure_of_every_accepted_file_appears_exactly_once(tmp_path_factory, files):
    box = tmp_path_factory.mktemp("box")
    for i, (code, n, _) in enumerate(files):
        plan = [{**good_rows()[0], "number": k, "measure": f"มาตรการ {code} ฉบับ {i} ข้อ {k}"} for k in range(1, n + 1)]
        answers = [{"status": "ยังไม่ดำเนินการ"}] * n
        progress_file(box, code, plan=plan, answers=answers, name=f"{code}-{i}.xlsx", mtime=1_700_000_000 + i)
    result = itaxl.merge([box])
    accepted = [e.sub for e in result.files if e.status == "accepted"]
    expected = sorted((s.org_code, m.measure) for s in accepted for m in s.measures)
    measures = result.frames["measures"]
    assert sorted(zip(measures["org_code"], measures["measure"])) == expected
    assert len(set(expected)) == len(expected)
    assert {s.org_code for s in accepted} == {code for code, _, _ in files}
    # the newest file of each office won
    for code in {c for c, _, _ in files}:
        last = max(i for i, (c, _, _) in enumerate(files) if c == code)
        assert any(s.path.endswith(f"{code}-{last}.xlsx") for s in accepted)


def test_consolidated_workbook(inbox, tmp_path):
    result = itaxl.merge([inbox], roster=CODES)
    out = result.to_excel(tmp_path / "consolidated.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["สรุป", "หน่วยงาน", "มาตรการ", "ผลการดำเนินการ", "ตัวชี้วัด", "ยังไม่ส่ง", "นอกขอบเขต",
                              "ปัญหา", "ไฟล์"]
    measures = book["มาตรการ"]
    assert measures.max_row == 10 and measures.freeze_panes == "A2" and measures.auto_filter.ref
    assert measures["A2"].font.name == "TH SarabunPSK"
    assert book["ตัวชี้วัด"].conditional_formatting
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        # progress reports only: no ITA result, so no rating chart, and สรุป says so
        assert len(charts) == 3
        assert "(ไม่มีข้อมูล / no data)" in [c.value for row in book["สรุป"].iter_rows() for c in row]
        assert b"<c:pieChart>" in z.read("xl/charts/chart1.xml")


def test_text_from_submissions_stays_text(tmp_path):
    risky = ['=HYPERLINK("http://x","คลิก")', "+66 81 234 5678", "-", "@user", "=1+1"]
    plan = [{**good_rows()[0], "number": i + 1, "measure": text, "method": text} for i, text in enumerate(risky)]
    box = tmp_path / "box"
    box.mkdir()
    progress_file(box, "6311805", plan=plan, answers=[{"status": "ยังไม่ดำเนินการ"}] * len(risky))
    result = itaxl.merge([box])
    out = result.to_excel(tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(out)["มาตรการ"]
    col = result.tables["measures"].keys.index("measure") + 1
    cells = [sheet.cell(r, col) for r in range(2, 2 + len(risky))]
    assert [(c.value, c.data_type) for c in cells] == [(t, "s") for t in risky]
    assert all(c.quotePrefix for c in cells)
    csv_dir = tmp_path / "csv"
    result.to_csv(csv_dir)
    assert "'=HYPERLINK" in (csv_dir / "measures.csv").read_text("utf-8-sig")


def test_same_inputs_same_workbook(inbox, tmp_path):
    a = itaxl.merge([inbox]).to_excel(tmp_path / "a.xlsx").read_bytes()
    b = itaxl.merge([inbox]).to_excel(tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_interrupted_write_leaves_no_partial_file(inbox, tmp_path, monkeypatch):
    from itaxl import xlsxrows

    out = tmp_path / "c.xlsx"
    out.write_bytes(b"previous report")
    result = itaxl.merge([inbox])
    original = xlsxrows.SheetRows.xml_blocks

    def failing(self):  # interrupted half way through the progress rows
        blocks = original(self)
        yield next(blocks)
        if self.sheet == "ผลการดำเนินการ":
            raise KeyboardInterrupt
        yield from blocks

    monkeypatch.setattr(xlsxrows.SheetRows, "xml_blocks", failing)
    with pytest.raises(KeyboardInterrupt):
        result.to_excel(out)
    assert out.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx", "inbox"]


def test_a_worker_crash_costs_only_its_file(inbox, monkeypatch):
    crash_on = str(inbox / "6311006.xlsx")
    original = batch._read_one

    def fragile(task):
        if task[0] == crash_on:
            os._exit(3)  # what a segfault in a parsing library looks like to the pool
        return original(task)

    monkeypatch.setattr(batch, "_read_one", fragile)  # inherited by forked workers
    result = itaxl.merge([inbox], jobs=2)
    files = result.frames["files"].set_index("path")
    assert files.loc[crash_on, "status"] == "rejected"
    assert (files["status"] == "accepted").sum() == 2
    problems = result.frames["problems"]
    assert "crashed" in problems[problems["file"] == crash_on]["message_en"].iloc[0]


def test_cli_merge(inbox, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("org_code,name\n" + "\n".join(CODES) + "\n", "utf-8")
    out = tmp_path / "c.xlsx"
    summary = tmp_path / "s.json"
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out), "--roster", str(roster),
                                      "--json", str(summary), "--csv", str(tmp_path / "csv"), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "found 3 = read 3 + refused 0 + ignored 0\nfiles: accepted 3, rejected 0" in result.output
    assert json.loads(summary.read_text("utf-8"))["summary"]["missing"] == 1
    assert (tmp_path / "csv" / "measures.csv").exists()
    again = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    same = CliRunner().invoke(cli, ["merge", str(inbox / "6311805.xlsx"), "-o", str(inbox / "6311805.xlsx"),
                                    "--force"])
    assert same.exit_code == 2 and "overwrite an input" in same.output


def test_roster_errors_are_clear(tmp_path, inbox):
    bad = tmp_path / "roster.csv"
    bad.write_text("org_code\n6311805\nโคกสนวน\n", "utf-8")
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(tmp_path / "c.xlsx"), "--roster", str(bad)])
    assert result.exit_code == 2 and "line 3" in result.output


def test_measures_only_merge_writes_a_workbook_without_empty_charts(filled, tmp_path):
    result = itaxl.merge([filled(), filled(header={"reporter_position": "ปลัด"})])
    out = result.to_excel(tmp_path / "c.xlsx")
    assert result.summary["progress_out"] == 0 and result.summary["measures_out"] == 3
    summary = openpyxl.load_workbook(out)["สรุป"]
    from itaxl.consolidated import DATA_COL
    from itaxl.utility import column_letter

    assert "(ไม่มีข้อมูล / no data)" in [c.value for c in summary[column_letter(DATA_COL)]]


def test_the_summary_sheet_shows_figures_that_add_up(inbox, tmp_path):
    progress_file(inbox, "5210306", name="other-province.xlsx")  # ระยอง: outside บุรีรัมย์
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = itaxl.merge([inbox], province="บุรีรัมย์")
    sheet = openpyxl.load_workbook(result.to_excel(tmp_path / "c.xlsx"))["สรุป"]
    shown = {row[0]: row[1] for row in sheet.iter_rows(min_col=1, max_col=2, values_only=True) if row[0]}
    files = ("ไฟล์ที่รับ", "ไฟล์ที่ไม่รับ (มีข้อผิดพลาด)", "ไฟล์ของหน่วยงานนอกขอบเขต", "ไฟล์ที่มีฉบับใหม่กว่า", "ไฟล์ซ้ำ")
    parts = ("    อ่านได้", "    อ่านไม่ได้หรือไม่ใช่แบบฟอร์ม", "    ข้าม (ไฟล์ล็อก ไฟล์ระบบ)")
    assert sum(shown[k] for k in files) == shown["    อ่านได้"] + shown["    อ่านไม่ได้หรือไม่ใช่แบบฟอร์ม"]
    assert sum(shown[k] for k in parts) == shown["ไฟล์ที่พบ"] == 5
    assert shown["หน่วยงานที่ต้องส่ง"] == shown["หน่วยงานที่ส่งแล้ว"] + shown["หน่วยงานที่ยังไม่ส่ง"] == 209
    assert shown["หน่วยงานที่ส่งแล้ว"] == shown["    ผ่านการตรวจสอบ"] + shown["    ไม่ผ่านการตรวจสอบ"] == 2
    assert shown["หน่วยงานนอกขอบเขตที่ส่งมา (ไม่นับ)"] == 1 and shown["ไฟล์ของหน่วยงานนอกขอบเขต"] == 1


def test_the_workbook_shows_file_states_in_thai_and_the_tables_keep_english(inbox, tmp_path):
    shutil.copy(inbox / "6311006.xlsx", inbox / "6311006-again.xlsx")
    result = itaxl.merge([inbox])
    sheet = openpyxl.load_workbook(result.to_excel(tmp_path / "c.xlsx"))["ไฟล์"]
    header = [c.value for c in sheet[1]]
    shown = {row[header.index("ไฟล์")]: (row[header.index("สถานะ")], row[header.index("ตัดสินโดย")],
                                          row[header.index("ชนิด")])
             for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert shown[str(inbox / "6311805.xlsx")] == ("รับ", "ไฟล์เดียว", "รายงานผล")
    assert {shown[str(inbox / n)][0] for n in ("6311006.xlsx", "6311006-again.xlsx")} == {"รับ", "ซ้ำ"}
    files = result.frames["files"].set_index("path")
    assert files.loc[str(inbox / "6311805.xlsx"), "status"] == "accepted"  # the data keep their values


def test_the_summary_sheet_names_its_years_scope_and_date_and_counts_problems_by_severity(tmp_path):
    from itaxl import samples

    result = itaxl.merge([samples.INBOX_DIR], roster=samples.ROSTER, include_invalid=True)
    s = result.summary
    assert s["errors"] + s["warnings"] + s["notes"] == s["problems"] and s["errors"] and s["notes"]
    runner = CliRunner()
    out = tmp_path / "c.xlsx"
    done = runner.invoke(cli, ["merge", str(samples.INBOX_DIR), "--roster", str(samples.ROSTER), "-o", str(out),
                               "--include-invalid", "--as-of", "2024-01-31", "--quiet"])
    assert done.exit_code == 1, done.output
    sheet = openpyxl.load_workbook(out)["สรุป"]
    assert sheet["A2"].value == "ปีงบประมาณ พ.ศ. 2564, 2565, 2566   ·   4 จังหวัด (7 หน่วยงาน)   ·   ข้อมูล ณ วันที่ 31 มกราคม 2567"
    labels = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1)}
    # notes (values read correctly) are not counted as problems to fix
    assert (labels["ข้อผิดพลาด (ต้องแก้)"], labels["คำเตือน (ควรตรวจสอบ)"], labels["หมายเหตุ (อ่านค่าได้ ไม่ต้องแก้)"]) \
        == (s["errors"], s["warnings"], s["notes"])
    # without --as-of, the date is the day the newest file counted was saved: the same files, the same title
    again = tmp_path / "d.xlsx"
    runner.invoke(cli, ["merge", str(samples.INBOX_DIR), "-o", str(again), "--include-invalid", "--quiet"])
    newest = max(e.sub.modified for e in result.files if e.sub.modified).date()
    assert openpyxl.load_workbook(again)["สรุป"]["A2"].value.endswith(
        "ข้อมูล ณ วันที่ " + itaxl.thai.format_date(newest))


def test_one_province_is_named_in_the_title(tmp_path):
    from itaxl.consolidated import subtitle

    result = itaxl.merge([itaxl.samples.INBOX_DIR], province="บุรีรัมย์", include_invalid=True)
    assert subtitle(result, dt.date(2023, 4, 30)) == (
        f"ปีงบประมาณ พ.ศ. 2566   ·   จังหวัดบุรีรัมย์ ({result.summary['expected']} หน่วยงาน)   ·   "
        "ข้อมูล ณ วันที่ 30 เมษายน 2566")
