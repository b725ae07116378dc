"""The fast row writer gives the same cells as XlsxWriter, and text stays text."""

import datetime as dt
import io
import math
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import itaxl
from itaxl import xlsxrows
from itaxl.consolidated import SHEETS, SUMMARY_SHEET, write_consolidated
from itaxl.fieldtypes import EXCEL_CELL_LIMIT
from itaxl.schema import Status

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "inbox"

TRICKY = [
    '=HYPERLINK("http://x","click")', "+66 81 234 5678", "-", "@user", "\tindented", "a & b < c > d",
    "_x0041_ stays as typed", "control\x01\x1f removed", "ฐานข้อมูล ๑๒๓ ๔ ต.ค. ๒๕๖๖", "emoji 😀 fine",
    "line one\nline two", "  spaces kept  ", "\ufffe\uffff",
]
ODD_VALUES = [
    dt.date(1899, 1, 1), dt.datetime(2024, 3, 5, 13, 30), float("nan"), float("inf"), True, 12, 74.83,
    Status.DONE, 2 ** 40,
]


def _result_with_odd_cells():
    """The sample merge, with tricky values put into the problems and progress tables."""
    result = itaxl.merge([SAMPLES], include_invalid=True)
    for name, values in (("problems", TRICKY), ("progress", ODD_VALUES + TRICKY)):
        table = result.tables[name]
        for i, value in enumerate(values):
            row = list(table.rows[i % len(table.rows)])
            row[len(row) - 1 - i % 3] = value
            table.rows[i % len(table.rows)] = tuple(row)
    return result


def _cells(path):
    book = openpyxl.load_workbook(path)
    out = {}
    for ws in book.worksheets:
        out[ws.title, "filter"] = ws.auto_filter.ref
        out[ws.title, "panes"] = ws.freeze_panes
        out[ws.title, "dims"] = ws.dimensions
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                value = c.value
                if isinstance(value, float) and math.isnan(value):
                    value = "nan"
                out[ws.title, c.coordinate] = (value, c.data_type, c.number_format, c.quotePrefix,
                                              c.alignment.wrap_text, c.font.name, c.font.sz)
    return out


def test_xml_rows_give_the_same_cells_as_xlsxwriter(tmp_path):
    result = _result_with_odd_cells()
    fast = _cells(write_consolidated(result, tmp_path / "fast.xlsx"))
    reference = _cells(write_consolidated(result, tmp_path / "reference.xlsx", rows="xlsxwriter"))
    assert set(fast) == set(reference)
    assert {k: (fast[k], reference[k]) for k in fast if fast[k] != reference[k]} == {}
    assert sum(1 for k in fast if k[0] == SHEETS["progress"]) > 50


def test_every_text_is_a_text_cell_and_formula_like_text_is_quoted(tmp_path):
    path = write_consolidated(_result_with_odd_cells(), tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(path)[SHEETS["problems"]]
    found = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    for text in TRICKY:
        cleaned = xlsxrows.cell_text(text)
        shown = cleaned.replace("_x0041_", "_x005F_x0041_")  # openpyxl does not undo Excel's escape
        if not cleaned:
            continue
        cell = found[shown]
        assert cell.data_type == "s"
        assert cell.quotePrefix == cleaned.startswith(("=", "+", "-", "@", "\t"))
    with zipfile.ZipFile(path) as package:
        xml = package.read(f"xl/worksheets/sheet{list(SHEETS).index('problems') + 2}.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml and "_x005F_x0041_" in xml


def test_odd_values(tmp_path):
    path = write_consolidated(_result_with_odd_cells(), tmp_path / "c.xlsx")
    values = {c.value for row in openpyxl.load_workbook(path)[SHEETS["progress"]].iter_rows(min_row=2)
              for c in row}
    assert {"1899-01-01", "nan", "inf", True, 12, 74.83, 2 ** 40, "ดำเนินการแล้วเสร็จ"} <= values
    assert dt.datetime(2024, 3, 5, 13, 30) in values


def test_text_is_cut_to_what_a_cell_holds_counting_utf16():
    text = "😀" * 20000  # 40,000 UTF-16 units in 20,000 characters
    cut = xlsxrows.cell_text(text)
    assert len(cut.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert cut.endswith(xlsxrows.TRUNCATED) and cut.startswith("😀😀")
    assert xlsxrows.cell_text("ก" * EXCEL_CELL_LIMIT) == "ก" * EXCEL_CELL_LIMIT


def test_a_failing_disk_stops_the_writer_and_raises():
    class Full(io.BytesIO):
        def write(self, data):
            if self.tell() > 10:
                raise OSError(28, "No space left on device")
            return super().write(data)

    produced = []

    def blocks():
        for i in range(1000):
            produced.append(i)
            yield b"x" * 100

    with pytest.raises(OSError, match="No space"):
        xlsxrows._pipe(Full(), blocks())
    assert len(produced) < 1000  # it stopped making XML once the disk failed


def test_rows_land_in_the_named_sheets_and_summary_is_untouched(tmp_path):
    result = itaxl.merge([SAMPLES], include_invalid=True)
    path = write_consolidated(result, tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(path)
    shown = {name: title for name, title in SHEETS.items() if name in result.tables}
    assert "trends" not in shown  # a merge of files has no years side by side (a ledger merge may)
    assert book.sheetnames == [SUMMARY_SHEET, *shown.values()]
    for name, title in shown.items():
        table = result.tables[name]
        ws = book[title]
        assert ws.max_row == len(table.rows) + 1
        assert [c.value for c in ws[1]][:len(table.headers)] == list(table.headers)
        legend = [c.value for c in ws[1]][len(table.headers):]
        # the heat map's legend beside the indicators' header, one cell apart; nothing beside the others
        from itaxl.consolidated import HEAT

        assert legend == ([None, legend[1], *(label for label, _ in HEAT)] if name == "indicators" else [])


def test_piping_shortens_thread_switches_and_restores_them():
    seen = []

    class Stream:
        def write(self, block):
            seen.append((block, sys.getswitchinterval()))
            if block == b"bad":
                raise OSError("disk full")

    before = sys.getswitchinterval()
    xlsxrows._pipe(Stream(), [b"a", b"b"])
    assert [b for b, _ in seen] == [b"a", b"b"]
    assert all(interval <= xlsxrows.PIPE_SWITCH_INTERVAL for _, interval in seen)
    assert sys.getswitchinterval() == before
    with pytest.raises(OSError, match="disk full"):
        xlsxrows._pipe(Stream(), [b"c", b"bad", b"d"])
    assert sys.getswitchinterval() == before
