"""itaxl's workbooks in a real spreadsheet application: LibreOffice Calc, headless.

Filled by typing through LibreOffice's user interface (UNO dispatcher), re-saved by
LibreOffice, saved as .ods, printed to PDF. These tests need LibreOffice
(libreoffice-calc-nogui; libreoffice-writer-nogui prints the official report), its
Python bridge (python3-uno, for /usr/bin/python3), a Thai font (fonts-tlwg-laksaman)
and poppler-utils. Without them they skip and say why,
unless ITAXL_REQUIRE_LIBREOFFICE is set (CI sets it), where a missing part fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

import itaxl
from itaxl import libreoffice, samples, templates
from itaxl.schema import MEASURES, PROGRESS, Status

from .conftest import FY, ORG, base_letters, missing

pytestmark = pytest.mark.slow

UNO_PYTHON = os.environ.get("ITAXL_UNO_PYTHON", "/usr/bin/python3")
UNO_FILL = Path(__file__).parent / "lo" / "uno_fill.py"
@pytest.fixture(scope="session")
def soffice() -> str:
    found = libreoffice.find_soffice()
    if not found:
        missing("LibreOffice")
    return found


@pytest.fixture(scope="session")
def uno_python(soffice) -> str:
    try:
        subprocess.run([UNO_PYTHON, "-c", "import uno"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        missing(f"LibreOffice's Python bridge ({UNO_PYTHON} with uno)")
    return UNO_PYTHON


@pytest.fixture(scope="session")
def poppler() -> None:
    for tool in ("pdftotext", "pdftoppm", "pdfinfo"):
        if not shutil.which(tool):
            missing(f"poppler-utils ({tool})")


def _type_in(uno_python: str, soffice: str, source: Path, output: Path, ops: list[dict]) -> list[dict]:
    attempts = 3
    for attempt in range(attempts):
        spec = output.with_suffix(".json")
        spec.write_text(json.dumps({"soffice": soffice, "profile": str(output.parent / f"lo-profile-{attempt}"),
                                    "input": str(source), "output": str(output), "ops": ops}, ensure_ascii=False))
        try:
            run = subprocess.run([uno_python, str(UNO_FILL), str(spec)], capture_output=True, text=True,
                                 timeout=300)
        except subprocess.TimeoutExpired as exc:
            run = subprocess.CompletedProcess(exc.cmd, 1, "", f"timed out after {exc.timeout} s")
        # LibreOffice failing to start, open or type on a loaded machine (its UNO bridge
        # disposed, "opened no document") says nothing about itaxl's workbook: one more
        # session with a fresh profile, and the reason logged; only the last failure counts.
        if run.returncode == 0:
            break
        if attempt < attempts - 1:
            print(f"LibreOffice session failed, trying again: {run.stderr.strip()[-500:]}", file=sys.stderr)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def _type(sheet: str, cell: str, text: str) -> dict:
    return {"sheet": sheet, "cell": cell, "how": "type", "text": text}


def _intact(path: Path, sub) -> None:
    """Metadata read, fingerprint verified, no locked cell changed, sheets still protected."""
    codes = {p.code for p in sub.problems}
    assert sub.meta is not None and sub.kind
    assert not codes & {"metadata-edited", "locked-cell-changed", "not-itaxl", "protection-removed",
                        "locked-row-deleted", "locked-row-inserted", "locked-rows-reordered"}
    book = openpyxl.load_workbook(path)
    spec = MEASURES if sub.kind == "measures" else PROGRESS
    for name in (spec.form.name, spec.table.name):
        assert book[name].protection.sheet, f"{name} lost its protection"


TYPED_TEXT_WARNINGS = {"number-typed-as-text", "date-typed-as-text", "date-be-year-as-ce", "indicator-score-missing"}


def test_measures_template_filled_in_libreoffice(tmp_path, soffice, uno_python):
    template = templates.measures(ORG, FY, tmp_path / "template.xlsx")
    form, table = MEASURES.form, MEASURES.table
    row = table.first_data_row

    def col(key: str) -> str:
        return f"{table.letter_of(key)}{row}"

    ops = [
        _type(form.name, form.cell_of("total_score"), "๙๑.๕"),             # Thai digits
        _type(form.name, form.cell_of("grade"), "A"),                       # a dropdown value
        _type(form.name, form.cell_of("reporter_name"), "นางสาวสมศรี ใจดี"),
        _type(form.name, form.cell_of("reporter_position"), "นักวิเคราะห์นโยบายและแผน"),
        _type(form.name, form.cell_of("report_date"), "๑๕ ธันวาคม ๒๕๖๖"),  # a Thai date string
        _type(table.name, col("number"), "1"),
        _type(table.name, col("indicator"), "9 การเปิดเผยข้อมูล"),
        _type(table.name, col("measure"), "เผยแพร่ข้อมูลพื้นฐานบนเว็บไซต์ให้เป็นปัจจุบัน"),
        _type(table.name, col("method"), "๑. มอบหมายผู้รับผิดชอบ ๒. ตรวจสอบข้อมูลทุกเดือน"),
        _type(table.name, col("responsible"), "สำนักปลัด"),
        {"sheet": table.name, "cell": col("start"), "how": "date", "date": [2023, 10, 1]},  # entered as a date
        _type(table.name, col("end"), "30 ก.ย. 2567"),
        _type(form.name, form.cell_of("org_name"), "ชื่ออื่น"),            # a locked cell
    ]
    output = tmp_path / "filled.xlsx"
    cells = _type_in(uno_python, soffice, template, output, ops)

    locked = cells[-1]
    assert locked["after"] == locked["before"] == "โคกสนวน", "LibreOffice let a locked cell be typed into"
    assert cells[1]["after"] == "A" and cells[10]["type"] == "VALUE"

    sub = itaxl.read(output)
    errors = [p for p in sub.problems if p.is_error]
    assert not errors, errors
    assert {p.code for p in sub.problems} <= TYPED_TEXT_WARNINGS
    _intact(output, sub)
    assert sub.org_code == ORG and sub.header["total_score"] == 91.5 and sub.header["grade"] == "A"
    m = sub.measures[0]
    assert (m.indicator, m.responsible) == (9, "สำนักปลัด")
    assert (m.start.isoformat(), m.end.isoformat()) == ("2023-10-01", "2024-09-30")


def test_progress_template_filled_in_libreoffice(tmp_path, soffice, uno_python, progress_r6):
    form, table = PROGRESS.form, PROGRESS.table
    first = table.first_data_row

    def cell(key: str, i: int) -> str:
        return f"{table.letter_of(key)}{first + i}"

    ops = [
        _type(form.name, form.cell_of("reporter_name"), "นางสาวสมศรี ใจดี"),
        _type(form.name, form.cell_of("reporter_position"), "นักวิเคราะห์นโยบายและแผน"),
        _type(form.name, form.cell_of("reviewer_name"), "นายสมชาย รักดี"),
        _type(form.name, form.cell_of("reviewer_position"), "ปลัดองค์การบริหารส่วนตำบล"),
        {"sheet": form.name, "cell": form.cell_of("report_date"), "how": "date", "date": [2024, 4, 5]},
        _type(table.name, cell("status", 0), "อยู่ระหว่างดำเนินการ"),
        _type(table.name, cell("result", 0), "ปรับปรุงข้อมูลพื้นฐานบนเว็บไซต์แล้ว ๓ หมวด"),
        _type(table.name, cell("status", 1), "ดำเนินการแล้วเสร็จ"),
        _type(table.name, cell("result", 1), "ประชุมชี้แจงบุคลากร ๔๕ คน"),
        _type(table.name, cell("done_date", 1), "๑๕ มี.ค. ๒๕๖๗"),
        _type(table.name, cell("status", 2), "ยังไม่ดำเนินการ"),
        _type(table.name, cell("measure", 0), "แก้มาตรการ"),                # a locked plan cell
    ]
    output = tmp_path / "progress-filled.xlsx"
    cells = _type_in(uno_python, soffice, progress_r6, output, ops)
    assert cells[-1]["after"] == cells[-1]["before"] != "แก้มาตรการ"

    sub = itaxl.read(output)
    assert not [p for p in sub.problems if p.is_error], sub.problems
    assert {p.code for p in sub.problems} <= TYPED_TEXT_WARNINGS
    _intact(output, sub)
    assert [m.status for m in sub.measures] == [Status.IN_PROGRESS, Status.DONE, Status.NOT_STARTED]
    assert sub.measures[1].done_date.isoformat() == "2024-03-15"
    assert sub.header["report_date"].isoformat() == "2024-04-05"


def test_resaved_by_libreoffice_stays_valid(tmp_path, soffice):
    source = samples.INBOX_DIR / "resubmitted" / "progress-2566-6311805-r6.xlsx"
    before = source.read_bytes()
    copy = shutil.copy(source, tmp_path / "progress.xlsx")
    resaved = libreoffice.convert(copy, "xlsx", tmp_path / "resaved")
    assert source.read_bytes() == before
    original, again = itaxl.read(source), itaxl.read(resaved)
    assert again.valid, [p for p in again.problems if p.is_error]
    _intact(resaved, again)
    assert [m.answers() for m in again.measures] == [m.answers() for m in original.measures]
    assert again.plan_fingerprint() == original.plan_fingerprint()


def test_saved_as_ods_is_rejected_with_a_clear_message(tmp_path, soffice):
    ods = libreoffice.convert(samples.INBOX_DIR / "measures-2564-6410124.xlsx", "ods", tmp_path)
    sub = itaxl.read(ods)
    assert [p.code for p in sub.problems] == ["file-ods"]
    assert "save it as .xlsx" in sub.problems[0].message_en


# --------------------------------------------------------------------------- print and PDF


def _pdf_facts(pdf: Path, tmp_path: Path) -> tuple[str, tuple[int, int]]:
    """(text of the PDF, (width, height) of page 1 rendered to PNG)."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info, info
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True)
    png = prefix.with_suffix(".png").read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return text, (width, height)


def _assert_thai(text: str, expected: list[str]) -> None:
    """Thai text came out as Thai letters (no tofu, no empty boxes) and every expected letter is
    there: words are compared as letters, since a line may break inside a long run of Thai and
    pdftotext reads the lines of side-by-side cells in turn."""
    assert re.search("[\u0e01-\u0e2e]{5}", text), "no Thai text in the PDF"
    missing = Counter(base_letters("".join(expected))) - Counter(base_letters(text))
    assert not missing, missing


@pytest.mark.parametrize("kind", ["measures", "progress"])
def test_templates_print_to_a4_landscape_pdf_in_thai(kind, tmp_path, soffice, poppler, measures_valid):
    if kind == "measures":
        workbook = templates.measures(ORG, FY, tmp_path / "measures.xlsx")
        expected = ["โคกสนวน", MEASURES.form.name, "ปีงบประมาณ"]
    else:
        workbook = templates.progress(measures_valid, 6, tmp_path / "progress.xlsx")
        expected = ["การดำเนินการเพื่อยกระดับการเปิดเผยข้อมูลสาธารณะ", "ทุกกอง"]
    text, (width, height) = _pdf_facts(libreoffice.convert(workbook, "pdf", tmp_path), tmp_path)
    assert width > height  # landscape
    _assert_thai(text, expected)


def test_consolidated_workbook_prints_to_a4_landscape_pdf(tmp_path, soffice, poppler):
    result = itaxl.merge([samples.INBOX_DIR], roster=samples.ROSTER, include_invalid=True)
    consolidated = result.to_excel(tmp_path / "consolidated.xlsx")
    text, (width, height) = _pdf_facts(libreoffice.convert(consolidated, "pdf", tmp_path), tmp_path)
    assert width > height
    _assert_thai(text, ["สุนทรภู่", "โคกสะอาด", "เมืองแกลง"])


def _reported_office_files() -> list[str]:
    """One workbook per sample office: its progress report, or its measures when it has none."""
    chosen: dict[str, str] = {}
    for path in sorted(samples.INBOX_DIR.glob("*.xlsx")):
        kind, _, code = path.stem.split("-")[:3]
        if kind == "progress" or code not in chosen:
            chosen[code] = path.name
    return sorted(chosen.values())


@pytest.mark.parametrize("name", _reported_office_files())
def test_official_report_pdf_holds_every_measure_and_result(name, tmp_path, soffice, poppler):
    source = samples.INBOX_DIR / name
    if not libreoffice.has_writer(soffice):
        missing("LibreOffice Writer (libreoffice-writer-nogui), which prints the official report")
    (document, pdf), _ = itaxl.report(source, tmp_path / "report.docx", pdf=True, thai_digits=True)
    assert document.is_file() and pdf.is_file()
    text, (width, height) = _pdf_facts(pdf, tmp_path)
    assert width > height
    sub = itaxl.read(source)
    _assert_thai(text, [m.measure for m in sub.measures] + [m.result for m in sub.measures if m.result])
    assert "ผู้รายงาน" in text if sub.kind == "progress" else "ผู้จัดทำ" in text
