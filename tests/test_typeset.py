"""Text measured in the document font: the metrics file, line breaking, and LibreOffice's own layout."""

import json
import subprocess
from pathlib import Path

import pytest

from itaxl import typeset

from .conftest import missing

LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg")


def test_the_metrics_file_is_the_font_it_names():
    fonttools = pytest.importorskip("fontTools")
    assert fonttools
    regular, bold = LAKSAMAN / "Laksaman.ttf", LAKSAMAN / "Laksaman-Bold.ttf"
    if not regular.exists():
        missing("fonts-tlwg-laksaman")
    assert json.loads(typeset.METRICS_FILE.read_text("utf-8")) == typeset.extract(regular, bold)


def test_marks_above_and_below_take_no_width():
    assert typeset.width("กี่", 16) == typeset.width("ก", 16)
    assert typeset.width("ก", 32) == 2 * typeset.width("ก", 16)
    assert typeset.width("ก", 16, bold=True) != typeset.width("ก", 16)


@pytest.mark.parametrize("text", [
    "การดำเนินการเพื่อยกระดับการเปิดเผยข้อมูลสาธารณะ",
    "๑. ทุกกองจัดทำและเปิดเผยข้อมูลบนหน้าเว็บไซต์ให้เป็นปัจจุบัน\n๒. รายงานผู้บริหาร",
    "https://www.khoksanuan.go.th/news/123456789/abcdefghijklmnop",
    "No Gift Policy " * 10,
])
@pytest.mark.parametrize("room", [40.0, 120.0, 400.0])
def test_wrapped_lines_fit_and_keep_every_character(text, room):
    lines = typeset.wrap(text, room, 14)
    assert all(typeset.width(line, 14) <= room or len(line) == 1 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert len(lines) >= text.count("\n") + 1


def test_column_widths_round_trip():
    assert typeset.column_chars(typeset.column_points(17.5)) == pytest.approx(17.5)


@pytest.mark.slow
def test_libreoffice_sets_text_as_measured(tmp_path):
    """Width of a line and distance between lines, as LibreOffice prints them to PDF."""
    import shutil

    import xlsxwriter

    from itaxl import libreoffice

    if not libreoffice.find_soffice() or not shutil.which("pdftotext"):
        missing("LibreOffice or poppler-utils")
    text = "การดำเนินการเพื่อยกระดับ"  # one word to pdftotext
    path = tmp_path / "m.xlsx"
    book = xlsxwriter.Workbook(path, {"default_format_properties": {"font_name": "TH SarabunPSK", "font_size": 16}})
    sheet = book.add_worksheet()
    sheet.set_landscape()
    sheet.set_paper(9)
    for col, size in enumerate((14, 16)):
        sheet.set_column(col, col, 30)
        sheet.write(0, col, f"{text}\n{text}", book.add_format({"font_name": "TH SarabunPSK", "font_size": size,
                                                                  "text_wrap": True, "valign": "top"}))
    sheet.set_row(0, 200)
    book.close()
    pdf = libreoffice.convert(path, "pdf", tmp_path)
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    boxes = []
    for line in words.splitlines():
        if "<word" in line:
            values = dict(part.split('="') for part in line.strip()[6:].split('">')[0].split('" '))
            boxes.append({k: float(v) for k, v in values.items()})
    assert len(boxes) == 4
    first, second = sorted(boxes, key=lambda b: (b["xMin"], b["yMin"]))[:2]  # the 14 pt cell
    assert first["xMax"] - first["xMin"] == pytest.approx(typeset.width(text, 14), rel=0.01)
    assert second["yMin"] - first["yMin"] == pytest.approx(typeset.line_height(14), rel=0.01)
    left = [b for b in boxes if b["xMin"] > first["xMax"]]
    assert left[0]["xMin"] - first["xMin"] == pytest.approx(typeset.column_points(30), rel=0.01)
    assert left[0]["xMax"] - left[0]["xMin"] == pytest.approx(typeset.width(text, 16), rel=0.01)
