"""`itaxl report`: the document an office publishes, rendered from its filled workbook."""

from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner

import itaxl
import itaxl.samples
from itaxl import official, samples
from itaxl.cli import cli
from itaxl.thai import thai_digits_in_text, to_thai_digits

SAMPLES = samples.INBOX_DIR
REPORTS = sorted(p.name for p in SAMPLES.glob("*.xlsx"))


_PAGE_NUMBER = re.compile(r"^หน้า [๐-๙]+ / [๐-๙]+$")


def _text(path) -> str:
    """Every cell's text, column by column (a long cell continues in the next row of its column),
    without the rows that number the pages (in Thai digits, a row at each page's foot)."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return "\n".join(str(c.value) for col in sheet.iter_cols() for c in col
                     if c.value is not None and not _PAGE_NUMBER.match(str(c.value)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", REPORTS)
def test_report_holds_every_measure_and_result(name, tmp_path):
    (xlsx,), problems = itaxl.report(SAMPLES / name, tmp_path / "report.xlsx")
    sub = itaxl.read(SAMPLES / name)
    text = _squash(_text(xlsx))
    assert _squash(sub.spec.table.title_th) in text
    assert _squash(official.office_title(sub.header)) in text
    for m in sub.measures:
        for key in ("measure", "method", "result", "outcome", "responsible"):
            # in Thai digits, as the document writes them by default (links and codes as they are)
            assert _squash(thai_digits_in_text(getattr(m, key))) in text, (m.row, key)
    assert problems == sub.problems
    (arabic,), _ = itaxl.report(SAMPLES / name, tmp_path / "arabic.xlsx", thai_digits=False)
    assert all(_squash(m.measure) in _squash(_text(arabic)) for m in sub.measures)


def test_progress_report_layout(tmp_path):
    (xlsx,), _ = itaxl.report(SAMPLES / "progress-2566-prachak-r12.xlsx", tmp_path / "r.xlsx", thai_digits=False)
    book = openpyxl.load_workbook(xlsx)
    sheet = book.worksheets[0]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows  # the table header repeats on every page
    header_row = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
    headings = [c.value for c in sheet[header_row]]
    assert headings == ["มาตรการ/แนวทาง", "วิธีดำเนินการ", "ระยะเวลา", "ผู้รับผิดชอบ", "สถานะ",
                        "ผลการดำเนินการ", "ผลลัพธ์/ความสำเร็จ"]
    assert sheet["A1"].font.name == "TH SarabunPSK" and sheet["A1"].font.sz >= 16
    text = _text(xlsx)
    assert "รอบ 12 เดือน (1 ตุลาคม 2565\u00a0– 30 กันยายน 2566)" in text  # the dash kept with its date
    for role, name in (("ผู้รายงาน", "นายสุรศักดิ์ คำแหวน"), ("ผู้ตรวจรายงาน", "นายสุรศักดิ์ เพ็งภาค")):
        assert role in text and f"({name})" in text


def test_thai_digits(tmp_path):
    (xlsx,), _ = itaxl.report(SAMPLES / "progress-2566-6311805-r6.xlsx", tmp_path / "r.xlsx", thai_digits=True)
    text = _text(xlsx)
    assert "ประจำปีงบประมาณ พ.ศ.\u00a0๒๕๖๖ รอบ ๖ เดือน (๑ ตุลาคม ๒๕๖๕\u00a0– ๓๑ มีนาคม ๒๕๖๖)" in text
    # no line breaks between พ.ศ. and its year, nor before a period's dash
    assert "(ข้อ O43 " in text and "ITA ปี\u00a0พ.ศ.\u00a0๒๕๖๖)" in text
    assert "ภายในวันที่ ๑๐" in text  # the office's own Thai digits, beside itaxl's
    assert "(ข้อ O43 " in text  # an item code is a code: written as the NACC writes it
    assert not re.search(r"[0-9]", text.replace("O43", "").replace("e6", "").replace("e7", "")
                         .replace("e8", "").replace("e9", "")), "Arabic digits left"
    assert to_thai_digits("2566") in text


def test_a_measure_longer_than_a_page_continues_on_the_next():
    text = "คำ " * 2000
    page = 450.0
    rows = official._lay_out([["สั้น", text]], [100.0, 300.0], 300.0, page, [])
    body = [r for r in rows if r.kind == "body"]
    assert len(body) > 2 and [r.kind for r in rows].count("break") == len(body) - 1
    assert _squash("".join(r.cells[1] for r in body)) == _squash(text)
    assert body[0].height <= 300 and all(r.height <= page for r in body)
    assert body[0].top and not body[0].bottom and body[-1].bottom and not body[-1].top


def test_a_measure_that_does_not_fit_the_rest_of_a_page_fills_it_and_continues():
    short, tall = ["บรรทัดเดียว"], ["\n".join(f"บรรทัด {n}" for n in range(12))]
    rows = official._lay_out([short, tall, short], [200.0], 200.0, 450.0, [])
    assert [r.kind for r in rows] == ["body", "body", "break", "body", "body", "end"]
    first, rest = rows[1], rows[3]
    assert first.top and not first.bottom and rest.bottom and not rest.top
    assert first.cells[0].split("\n") + rest.cells[0].split("\n") == tall[0].split("\n")  # every line, once
    assert rows[2].height < official._body_height(official.KEEP_LINES)  # the page ends full, not in a hole


def _lines(n: int) -> list[str]:
    return ["\n".join(f"บรรทัด {i}" for i in range(n))]


def test_a_measure_that_would_leave_a_lone_line_moves_whole():
    room = official._body_height(4) + official._body_height(2)  # after four lines, room for two
    rows = official._lay_out([_lines(4), _lines(3)], [200.0], room, 450.0, [])
    assert [r.kind for r in rows] == ["body", "break", "body", "end"]  # two and one: moved whole
    rows = official._lay_out([_lines(4), _lines(5)], [200.0], room, 450.0, [])
    assert [len(r.cells[0].split("\n")) for r in rows if r.kind == "body"] == [4, 2, 3]  # cut: two and three


def test_the_last_line_of_a_cut_measure_never_stands_alone():
    room = official._body_height(7)  # seven of eight lines would fit: six go first, two follow
    rows = official._lay_out([_lines(8)], [200.0], room, 450.0, [])
    body = [r for r in rows if r.kind == "body"]
    assert [len(r.cells[0].split("\n")) for r in body] == [6, 2]


def test_same_workbook_same_report(tmp_path):
    a, _ = itaxl.report(SAMPLES / "measures-2564-6410124.xlsx", tmp_path / "a.xlsx")
    b, _ = itaxl.report(SAMPLES / "measures-2564-6410124.xlsx", tmp_path / "b.xlsx")
    assert a[0].read_bytes() == b[0].read_bytes()


def test_tampered_workbook_is_refused_and_nothing_written(tmp_path):
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(cli, ["report", str(SAMPLES / "broken" / "progress-2565-5210306-r12-edited.xlsx"),
                                      "-o", str(out)])
    assert result.exit_code == 1 and "locked-cell-changed" in result.output and not out.exists()


def test_cli_says_when_libreoffice_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("ITAXL_SOFFICE", str(tmp_path / "no-soffice"))
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(cli, ["report", str(SAMPLES / "measures-2564-6410124.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 1
    assert "LibreOffice is not installed" in result.output and out.exists() and not out.with_suffix(".pdf").exists()


def test_cli_refuses_a_non_xlsx_output(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(SAMPLES / "measures-2564-6410124.xlsx"),
                                      "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and ".xlsx" in result.output


def test_the_signatures_never_stand_alone_under_a_repeated_header():
    signature = [official._Row("signature", ["ลงชื่อ"], official._body_height(4))]
    room = official._body_height(3) + official._body_height(3)  # two measures of three lines fill it
    rows = official._lay_out([_lines(3), _lines(3)], [200.0], room, 450.0, signature)
    kinds = [r.kind for r in rows]
    # the second measure moved to the signatures' page: each page holds a measure
    assert kinds == ["body", "break", "body", "signature", "end"]
    # a page's only measure stays where it is (moving it would leave a page of nothing)
    alone = official._lay_out([_lines(3)], [200.0], official._body_height(3), 450.0, signature)
    assert [r.kind for r in alone] == ["body", "break", "signature", "end"]


def test_the_last_measure_carries_its_last_lines_to_the_signatures_page():
    signature = [official._Row("signature", ["ลงชื่อ"], official._body_height(4))]
    room = official._body_height(10)  # the measure's ten lines fit, the signatures after them do not
    rows = official._lay_out([_lines(10)], [200.0], room, 450.0, signature)
    assert [r.kind for r in rows] == ["body", "break", "body", "signature", "end"]
    assert [len(r.cells[0].split("\n")) for r in rows if r.kind == "body"] == [8, 2]


def test_thai_digits_are_the_default_and_no_cell_mixes_them(tmp_path):
    """An official document in Thai digits throughout: itaxl's numbers and the office's own,
    so that no cell reads "1. ตัวชี้วัดที่ ๙"; links and codes with Latin letters as written."""
    (xlsx,), _ = itaxl.report(SAMPLES / "measures-2564-6410124.xlsx", tmp_path / "r.xlsx")
    cells = [c for c in _text(xlsx).split("\n") if c]
    mixed = [c for c in cells if re.search(r"(?<![A-Za-z0-9])[0-9]+(?![0-9A-Za-z])", c) and re.search("[๐-๙]", c)]
    assert mixed == []
    assert "๑. การสร้างฐานความคิดแยกแยะประโยชน์ส่วนตัว และประโยชน์ส่วนรวม" in _text(xlsx)  # seed 001, Arabic
    result = CliRunner().invoke(cli, ["report", str(SAMPLES / "measures-2564-6410124.xlsx"), "-o",
                                      str(tmp_path / "a.xlsx"), "--arabic-digits"])
    assert result.exit_code in (0, 1) and "1. การสร้างฐานความคิด" in _text(tmp_path / "a.xlsx")


def test_a_workbook_with_errors_gives_a_draft_and_exit_1(tmp_path):
    out, clean = tmp_path / "draft.xlsx", tmp_path / "clean.xlsx"
    result = CliRunner().invoke(cli, ["report", str(SAMPLES / "measures-2564-6410124.xlsx"), "-o", str(out)])
    assert result.exit_code == 1 and out.exists() and "draft" in result.output
    assert official.DRAFT in openpyxl.load_workbook(out).worksheets[0].oddHeader.right.text
    corrected = itaxl.samples.CORRECTED_DIR / "measures-2564-6410124.xlsx"
    done = CliRunner().invoke(cli, ["report", str(corrected), "-o", str(clean)])
    assert done.exit_code == 0 and not openpyxl.load_workbook(clean).worksheets[0].oddHeader.right.text
