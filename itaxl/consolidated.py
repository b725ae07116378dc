"""Writing a merge result: the consolidated workbook, CSV files and JSON.

Text from submissions is always written as text: never a formula, never a link.
A value that a spreadsheet would read as a formula when edited (starting with
= + - @, a tab or a CR) gets Excel's quote-prefix style in the workbook and a
leading apostrophe in CSV (the usual defence against CSV injection).  Text longer
than an Excel cell holds is cut with a visible marker; the reader has already
reported it as ``text-too-long``.

XlsxWriter makes the workbook: the summary with its charts, and each table's
frame (widths, header, filter, frozen panes, print setup).  The tables' data rows
are then written by :mod:`itaxl.xlsxrows`, which is several times faster for the
hundred thousand rows of a national merge; ``rows="xlsxwriter"`` writes them
cell by cell through XlsxWriter instead (the reference the fast path is tested
against).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .atomic import atomic_write
from . import cells
from .cells import formula_like
from . import typeset
from .fieldtypes import DATE_FORMAT
from .schema import STATUS_LABELS, Status
from .thai import format_date
from .xlsxrows import ColumnStyle, SheetRows, cell_text, excel_serial, splice_rows

if TYPE_CHECKING:
    from .consolidation import MergeResult, Table

FONT = "TH SarabunPSK"
FONT_SIZE = 14
CREATED = datetime.datetime(2000, 1, 1)  # fixed document date: the same inputs give the same workbook
ZIP_LEVEL = 3  # see write_consolidated

SHEETS = {  # table name → Thai sheet name, in workbook order (สรุป first)
    "offices": "หน่วยงาน", "measures": "มาตรการ", "progress": "ผลการดำเนินการ", "indicators": "ตัวชี้วัด",
    "missing": "ยังไม่ส่ง", "outside": "นอกขอบเขต", "problems": "ปัญหา", "files": "ไฟล์",
    "trends": "แนวโน้มรายปี", "trends_province": "แนวโน้มรายจังหวัด",  # a ledger merge of several years
}
SUMMARY_SHEET = "สรุป"

_WIDTHS = {
    "org_code": 10, "org_name": 18, "org_type": 11, "district": 14, "province": 13, "file": 50, "files": 40,
    "path": 50, "sha256": 20, "message_th": 60, "message_en": 50, "measure": 40, "weak_without_measure": 22,
    # problem codes, file states and reasons shown whole, not cut at the column's edge
    "code": 32, "severity": 10, "sheet": 16, "cell": 8, "file_status": 20, "status": 14, "decided_by": 40,
    "superseded_by": 40, "modified": 22, "kind": 10, "reason": 30, "in_figures": 20, "valid": 10,
    "measures_file": 12, "progress_r6_file": 16, "progress_r12_file": 16, "below_pass": 14,
    # the long texts, wider than in the templates: a row may not be taller than 409 pt
    "method": 60, "result": 60, "monitoring": 40, "outcome": 40, "issue": 36, "obstacles": 36,
}


def _width(table: "Table", key: str) -> float:
    """A column's width: the merge's own for its wide and fixed columns, else its field's."""
    return _WIDTHS.get(key) or table.widths.get(key, 12)


class _Formats:
    def __init__(self, book: Any):
        base = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top"}
        self.book, self.base, self.cache = book, base, {}

    def get(self, name: str, quote: bool = False) -> Any:
        key = (name, quote)
        if key not in self.cache:
            props = dict(self.base)
            props |= {
                "text": {}, "wrap": {"text_wrap": True}, "date": {"num_format": DATE_FORMAT, "align": "center"},
                # Numbers centred, so that they do not run into the text beside them ("2565accepted").
                "number": {"num_format": "#,##0", "align": "center"}, "year": {"num_format": "0", "align": "center"},
                "decimal": {"num_format": "0.00", "align": "center"},
                "percent": {"num_format": "0.0", "align": "center"},
                "header": {"bold": True, "bg_color": "#D9E7F5", "border": 1, "text_wrap": True, "valign": "vcenter"},
                "title": {"bold": True, "font_size": 20},
                "label": {"bold": True},
            }[name]
            if quote:
                props["quote_prefix"] = True
            self.cache[key] = self.book.add_format(props)
        return self.cache[key]

    def number(self, num_format: str) -> Any:
        """A number cell's format: centred, so that it does not run into the text beside it."""
        key = ("number", num_format)
        if key not in self.cache:
            self.cache[key] = self.book.add_format(self.base | {"num_format": num_format, "align": "center"})
        return self.cache[key]


def _put(ws: Any, fmt: _Formats, row: int, col: int, value: Any, kind: str = "text") -> None:
    """Write one value with the type it has; strings always as strings."""
    if value is None or value == "":
        return
    if isinstance(value, Status):
        ws.write_string(row, col, STATUS_LABELS[value], fmt.get("text"))
    elif isinstance(value, str):
        text = cell_text(value)
        ws.write_string(row, col, text, fmt.get(kind if kind in ("wrap", "label", "title", "header") else "text",
                                                formula_like(text)))
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt.get("text"))
    elif isinstance(value, (datetime.date, datetime.datetime)):
        ws.write_datetime(row, col, value, fmt.get("date"))
    elif isinstance(value, (int, float)) and math.isfinite(value):
        ws.write_number(row, col, value, fmt.get(kind if kind in ("decimal", "percent") else "number"))
    else:
        ws.write_string(row, col, cell_text(str(value)), fmt.get("text"))


ROW_PADDING = 1  # points above and below a data row's lines: a table, not a document
ONE_LINE = typeset.row_height(1, FONT_SIZE, padding=ROW_PADDING)
"""A data row's height: one line of 14 pt Thai with its marks above and below."""
PRINTED_SIZE = 10.5  # points: the smallest a table's text may print at
MARGIN = 0.5  # inches, left and right


def _setup(ws: Any, keys: tuple[str, ...], widths: list[float], n_rows: int, *,
           header_row: int = 0) -> None:
    """Print set-up of a table sheet: A4 landscape, as many pages wide as keep its text at
    :data:`PRINTED_SIZE` or larger, with the office's code and name repeated on each."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=MARGIN, right=MARGIN, top=0.6, bottom=0.6)
    ws.set_footer(f'&C&"{FONT}"&12&A — หน้า &P / &N')
    width = sum(typeset.column_points(w, FONT_SIZE) for w in widths)
    page = typeset.A4_LANDSCAPE[0] - 2 * 72 * MARGIN
    pages = max(1, math.ceil(width * PRINTED_SIZE / FONT_SIZE / page))
    ws.fit_to_pages(pages, 0)
    if pages > 1 and "org_name" in keys:
        ws.repeat_columns(0, keys.index("org_name"))
    ws.repeat_rows(header_row)
    ws.freeze_panes(header_row + 1, 0)
    ws.set_default_row(ONE_LINE)
    if n_rows:
        ws.autofilter(header_row, 0, header_row + n_rows, len(keys) - 1)


def row_heights(table: "Table") -> list[float | None]:
    """Each data row's height: tall enough for its texts, every text column wrapping (estimated
    at once, see :func:`itaxl.typeset.estimate_lines`), None for a row of one line; at most
    :data:`itaxl.typeset.MAX_ROW_HEIGHT`."""
    import numpy as np

    if not table.rows:
        return []
    lines = np.ones(len(table.rows), dtype=np.int64)
    for c, key in enumerate(table.keys):
        texts = [v if isinstance(v, str) else "" for v in (row[c] for row in table.rows)]
        room = typeset.text_points(_width(table, key), FONT_SIZE)
        lines = np.maximum(lines, typeset.estimate_lines(texts, room, FONT_SIZE))
    heights = np.minimum(typeset.MAX_ROW_HEIGHT, np.ceil(lines * typeset.line_height(FONT_SIZE) + 2 * ROW_PADDING))
    return [None if n == 1 else float(h) for n, h in zip(lines.tolist(), heights.tolist())]


def _column_kinds(table: "Table", key: str) -> tuple[str, str]:
    """The format names of one column's text and numbers.  Every text column wraps: a text cut at
    its column's edge hides what a reviewer needs (rows are as tall as their text, :func:`row_heights`).
    A number takes its column's format (:attr:`Table.formats`: a field's type, a year without
    thousands separator), else ``#,##0``."""
    return "wrap", table.formats.get(key, NUMBER_FORMAT)


NUMBER_FORMAT = "#,##0"


def _column_writer(ws: Any, fmt: _Formats, table: "Table", key: str) -> Callable[[int, int, Any], None]:
    """The function that writes one column's values through XlsxWriter: chosen once, not per cell.

    Each type is written as :mod:`itaxl.xlsxrows` writes it (the tests hold the two equal).
    """
    kind, number_format = _column_kinds(table, key)
    plain, quoted = fmt.get(kind), fmt.get(kind, quote=True)
    number, date = fmt.number(number_format), fmt.get("date")
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime

    def string(row: int, col: int, value: str) -> None:
        value = cell_text(value)
        write_string(row, col, value, quoted if formula_like(value) else plain)

    def write(row: int, col: int, value: Any) -> None:
        kind = type(value)
        if kind is str:
            string(row, col, value)
        elif kind is int or (kind is float and math.isfinite(value)):
            write_number(row, col, value, number)
        elif kind is bool:
            ws.write_boolean(row, col, value, plain)
        elif isinstance(value, datetime.date):
            if excel_serial(value) is None:
                string(row, col, value.isoformat())
            else:
                write_datetime(row, col, value, date)
        else:
            string(row, col, _status_text(value))

    return write


def _table_frame(book: Any, fmt: _Formats, name: str, table: "Table") -> Any:
    """A table's sheet without its data rows: widths, header, filter, panes, print setup."""
    ws = book.add_worksheet(SHEETS[name])
    widths = [_width(table, key) for key in table.keys]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_row(0, typeset.fit_row(zip(table.headers, widths), FONT_SIZE, FONT_SIZE, least=2, bold=True))
    for col, header in enumerate(table.headers):
        ws.write_string(0, col, header, fmt.get("header"))
    _setup(ws, table.keys, widths, len(table.rows))
    indicator_cols = [c for c, k in enumerate(table.keys) if k.startswith("indicator_")]
    if name == "indicators" and table.rows and indicator_cols:
        ws.conditional_format(1, indicator_cols[0], len(table.rows), indicator_cols[-1], {
            "type": "3_color_scale", "min_color": HEAT[0][1], "mid_color": HEAT[1][1], "max_color": HEAT[2][1]})
        _heat_legend(book, ws, len(table.keys) + 1)
    return ws


HEAT = (("น้อยที่สุด", "#F8696B"), ("กลาง", "#FFEB84"), ("มากที่สุด", "#63BE7B"))
"""The heat map's colours, fewest measures first, with what each says."""


def _heat_legend(book: Any, ws: Any, col: int) -> None:
    """What the colours of the measures-per-indicator table say, beside its header."""
    ws.set_column(col, col, 22)
    ws.write_string(0, col, "สีแสดงจำนวนมาตรการของตัวชี้วัด เทียบกับตัวชี้วัดอื่น", book.add_format(
        {"font_name": FONT, "font_size": FONT_SIZE, "bold": True, "text_wrap": True, "valign": "vcenter"}))
    for i, (label, colour) in enumerate(HEAT, start=1):
        ws.set_column(col + i, col + i, 11)
        ws.write_string(0, col + i, label, book.add_format(
            {"font_name": FONT, "font_size": FONT_SIZE, "bg_color": colour, "border": 1, "align": "center",
             "valign": "vcenter"}))


def _column_style(fmt: _Formats, table: "Table", key: str) -> ColumnStyle:
    """The styles of one column's cells, as XF indices of the workbook being made."""
    kind, number_format = _column_kinds(table, key)
    number = fmt.number(number_format)
    # _get_xf_index() is how XlsxWriter itself numbers a format when a cell uses it;
    # the rows written by xlsxrows use the formats without XlsxWriter seeing them.
    return ColumnStyle(text=fmt.get(kind)._get_xf_index(), quoted=fmt.get(kind, quote=True)._get_xf_index(),
                       number=number._get_xf_index(), date=fmt.get("date")._get_xf_index())


def _status_text(value: Any) -> str:
    return STATUS_LABELS[value] if isinstance(value, Status) else str(value)


def _write_cells(ws: Any, fmt: _Formats, table: "Table") -> None:
    """The data rows through XlsxWriter, cell by cell (the reference for :mod:`itaxl.xlsxrows`)."""
    writers = [_column_writer(ws, fmt, table, key) for key in table.keys]
    for r, (row, height) in enumerate(zip(table.rows, row_heights(table)), start=1):
        if height is not None:
            ws.set_row(r, height)  # before the row's cells: constant_memory writes rows in order
        for c, value in enumerate(row):
            if value is not None and value != "":
                writers[c](r, c, value)


def _write_summary(book: Any, fmt: _Formats, result: "MergeResult", as_of: datetime.date | None) -> None:
    s = result.summary
    ws = book.add_worksheet(SUMMARY_SHEET)
    ws.set_column(0, 0, 46)
    ws.set_column(1, 1, 8)
    ws.set_column(CHART_FIRST_COL, CHART_FIRST_COL + CHART_COLS - 1, CHART_COL_WIDTH)
    ws.set_column(DATA_COL, DATA_COL, 30)
    ws.set_column(DATA_COL + 1, DATA_COL + 1, 10)
    ws.set_default_row(ONE_LINE)
    cells: dict[tuple[int, int], tuple[Any, str]] = {}
    cells[(0, 0)] = ("รายงานสรุปมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "title")
    cells[(1, 0)] = (subtitle(result, as_of), "text")
    headline = [
        ("หน่วยงานที่ต้องส่ง", s["expected"]), ("หน่วยงานที่ส่งแล้ว", s["submitted"]),
        ("    ผ่านการตรวจสอบ", s["valid"]), ("    ไม่ผ่านการตรวจสอบ", s["invalid"]),
        ("หน่วยงานที่ยังไม่ส่ง", s["missing"]),
        ("หน่วยงานที่นับในตัวเลขและแผนภูมิ" + (" (รวมที่มีข้อผิดพลาด)" if s["in_figures"] > s["valid"] else ""),
         s["in_figures"]),
        ("หน่วยงานนอกขอบเขตที่ส่งมา (ไม่นับ)", s["outside_offices"]),
        ("ไฟล์ที่พบ", s["found"]), ("    อ่านได้", s["read"]), ("    อ่านไม่ได้หรือไม่ใช่แบบฟอร์ม", s["refused"]),
        ("    ข้าม (ไฟล์ล็อก ไฟล์ระบบ)", s["ignored"]),
        ("ไฟล์ที่รับ", s["accepted"]), ("ไฟล์ที่ไม่รับ (มีข้อผิดพลาด)", s["rejected"]),
        ("ไฟล์ของหน่วยงานนอกขอบเขต", s["outside"]),
        ("ไฟล์ที่มีฉบับใหม่กว่า", s["superseded"]), ("ไฟล์ซ้ำ", s["duplicate"]),
        ("จำนวนมาตรการ", s["measures_out"]), ("จำนวนรายการรายงานผล", s["progress_out"]),
        *((f"สถานะ: {label}", n) for label, n in s["status_counts"].items()),
        ("หน่วยงานที่คะแนน ITA ต่ำกว่าเกณฑ์ผ่าน", s["below_pass"]),
        ("ข้อผิดพลาด (ต้องแก้)", s["errors"]), ("คำเตือน (ควรตรวจสอบ)", s["warnings"]),
        ("หมายเหตุ (อ่านค่าได้ ไม่ต้องแก้)", s["notes"]),
        *((("รหัสปัญหาที่ไม่ได้ตรวจ (--skip)", len(result.skipped)),) if result.skipped else ()),
    ]
    for i, (label, value) in enumerate(headline, start=3):
        cells[(i, 0)] = (label, "label")
        cells[(i, 1)] = (value, "number")

    # Chart data beside the page (outside the print area): one block per chart.
    blocks: list[tuple[str, str, list[tuple[str, float]], str]] = [
        ("status", "สัดส่วนสถานะการดำเนินการ", list(s["status_counts"].items()), "pie"),
        ("grade", "การกระจายผลการประเมิน ITA" + (f" ปี {next(iter(s['rating_counts']))}"
                                                   if len(s["rating_counts"]) == 1 else ""),
         _ratings(s["rating_counts"]), "column"),
        ("indicator", "จำนวนมาตรการรายตัวชี้วัด", _per_indicator(result), "bar"),
        ("group", f"ร้อยละแล้วเสร็จราย{result.group_label}", _completion_by_group(result), "bar"),
    ]
    row = 2
    placed = []
    for key, title, data, chart_type in blocks:
        cells[(row, DATA_COL)] = (title, "label")
        if not data:  # e.g. no progress reports among the inputs: no chart to draw
            cells[(row + 1, DATA_COL)] = ("(ไม่มีข้อมูล / no data)", "text")
            row += 3
            continue
        for i, (label, value) in enumerate(data, start=1):
            cells[(row + i, DATA_COL)] = (label, "text")
            cells[(row + i, DATA_COL + 1)] = (value, "percent" if key == "group" else "number")
        placed.append((title, row + 1, row + len(data), chart_type, key, data))
        row += len(data) + 2
    for (r, c) in sorted(cells):
        value, kind = cells[(r, c)]
        _put(ws, fmt, r, c, value, kind)
    ws.set_row(0, typeset.row_height(1, 20, padding=2))

    # The charts in a 2 × 2 grid beside the headline figures: one A4 landscape page.
    for i, (title, first, last, chart_type, key, data) in enumerate(placed):
        chart = book.add_chart({"type": chart_type})
        chart.add_series({
            "name": title,
            "categories": [SUMMARY_SHEET, first, DATA_COL, last, DATA_COL],
            "values": [SUMMARY_SHEET, first, DATA_COL + 1, last, DATA_COL + 1],
            "data_labels": {"value": True, "font": {"name": FONT, "size": 11}},
        })
        chart.set_title({"name": title, "name_font": {"name": FONT, "size": 14}})
        chart.set_legend({"position": "bottom", "font": {"name": FONT, "size": 11}} if chart_type == "pie"
                         else {"none": True})
        if chart_type != "pie":
            _axes(chart, key, [v for _, v in data])
        chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
        ws.insert_chart(2, CHART_FIRST_COL, chart,
                        {"x_offset": (i % 2) * CHART_SIZE[0], "y_offset": (i // 2) * CHART_SIZE[1],
                         "object_position": 3})
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_area(0, 0, max(len(headline) + 3, 2 + 2 * CHART_SIZE[1] // 26), CHART_FIRST_COL + CHART_COLS - 1)
    ws.fit_to_pages(1, 1)


def subtitle(result: "MergeResult", as_of: datetime.date | None = None) -> str:
    """What the workbook covers: the fiscal year(s), the scope and the date of its data —
    ``as_of``, or the day the newest file it counts was saved (the same files, the same line)."""
    offices = result.tables["offices"]
    at = {k: offices.keys.index(k) for k in ("fiscal_year", "province", "district")}
    years = sorted({r[at["fiscal_year"]] for r in offices.rows if r[at["fiscal_year"]]})
    provinces = sorted({r[at["province"]] for r in offices.rows if r[at["province"]]})
    districts = sorted({r[at["district"]] for r in offices.rows if r[at["district"]]})
    if len(provinces) == 1:
        scope = (f"อำเภอ{districts[0]} " if len(districts) == 1 else "") + f"จังหวัด{provinces[0]}"
    else:
        scope = f"{len(provinces)} จังหวัด"
    parts = [("ปีงบประมาณ พ.ศ. " + ", ".join(map(str, years))) if years else "",
             f"{scope} ({result.summary['expected']} หน่วยงาน)"]
    day = as_of or max((e.sub.modified for e in result.files if e.sub.modified), default=None)
    if day is not None:
        day = day.date() if isinstance(day, datetime.datetime) else day
        parts.append(f"ข้อมูล ณ วันที่ {format_date(day)}")
    return "   ·   ".join(p for p in parts if p)


CHART_FIRST_COL, CHART_COLS = 2, 6  # a 2 × 2 grid of charts over six columns beside the figures
CHART_COL_WIDTH = 13.6  # digits of 14 pt: six such columns and the figures fill an A4 landscape page
# A chart is anchored to the cells under it, and the application draws it over those cells.
# XlsxWriter finds the cells assuming Calibri 11 (a column of w digits is 7 w + 5 pixels);
# a chart as wide as three columns *by that count* covers three columns in any application.
CHART_SIZE = (3 * (int(CHART_COL_WIDTH * 7 + 0.5) + 5), 300)  # pixels
DATA_COL = CHART_FIRST_COL + CHART_COLS + 1


def _axes(chart: Any, key: str, values: list[float]) -> None:
    """Counts on whole-number steps from 0; shares from 0 to 100 %."""
    axis = {"num_font": {"name": FONT, "size": 11}, "min": 0}
    if key == "group":
        axis |= {"max": 100, "major_unit": 20, "num_format": '0"%"'}
    else:
        top = max(values, default=0)
        axis |= {"major_unit": max(1, math.ceil(top / 5)), "num_format": "0"}
    names = {"num_font": {"name": FONT, "size": 10}, "interval_unit": 1}  # every category named
    if key == "grade":
        chart.set_y_axis(axis)
        chart.set_x_axis(names)
    else:  # bar charts: the values run along x
        chart.set_x_axis(axis)
        chart.set_y_axis(names | {"reverse": True})


def _per_indicator(result: "MergeResult") -> list[tuple[str, float]]:
    """Measures per indicator, named as the indicators table names its columns."""
    names = {int(k.removeprefix("indicator_")): h for k, h in zip(result.tables["indicators"].keys,
                                                                  result.tables["indicators"].headers)
             if k.startswith("indicator_")}
    table = result.tables["measures"]
    col = table.keys.index("indicator")
    counts = dict.fromkeys(names, 0)
    for row in table.rows:
        if row[col] in counts:
            counts[row[col]] += 1
    return [(names[n], counts[n]) for n in sorted(names)]


def _ratings(counts: dict[str, dict[str, int]]) -> list[tuple[str, float]]:
    """Each assessment year's ratings on its own scale; the year is named when there are several."""
    several = len(counts) > 1
    return [(f"{name} (ITA {year})" if several else name, n)
            for year, scale in counts.items() for name, n in scale.items()]


def _completion_by_group(result: "MergeResult") -> list[tuple[str, float]]:
    offices = result.tables["offices"]
    code, group = offices.keys.index("org_code"), offices.keys.index(result.group_key)
    group_of = {row[code]: row[group] for row in offices.rows}
    table = result.tables["progress"]
    st, at = table.keys.index("status"), table.keys.index("org_code")
    totals: dict[str, list[int]] = {}
    for row in table.rows:
        t = totals.setdefault(group_of.get(row[at]) or "-", [0, 0])
        t[0] += row[st] is Status.DONE
        t[1] += 1
    return [(name, round(100 * d / n, 1)) for name, (d, n) in sorted(totals.items()) if n]


def write_consolidated(result: "MergeResult", path: str | os.PathLike, *, force: bool = True,
                       inputs: tuple = (), rows: str = "xml", as_of: datetime.date | None = None) -> Path:
    """Write the consolidated workbook atomically.

    ``rows="xml"`` (the default) writes the tables' data rows with :mod:`itaxl.xlsxrows`;
    ``rows="xlsxwriter"`` writes them through XlsxWriter.  Both give the same cells.
    Members are compressed at zlib level :data:`ZIP_LEVEL`: for 8,000 offices level 3
    wrote in 5.8 s and 56 MB, XlsxWriter's default 6 in 11.0 s and 42 MB, level 1 in
    5.5 s and 86 MB.
    """
    import xlsxwriter

    if rows not in ("xml", "xlsxwriter"):
        raise ValueError(f"rows must be 'xml' or 'xlsxwriter', not {rows!r}")
    cells = rows == "xlsxwriter"
    frame = io.BytesIO()
    book = xlsxwriter.Workbook(frame, {
        "constant_memory": cells, "use_zip64": True, "strings_to_numbers": False,
        "strings_to_formulas": False, "strings_to_urls": False,
        "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE},
    })
    book.set_properties({"title": "รายงานสรุปมาตรการส่งเสริมคุณธรรมและความโปร่งใส", "author": "itaxl",
                         "created": CREATED})
    fmt = _Formats(book)
    _write_summary(book, fmt, result, as_of)
    sheets = []
    for name in (n for n in SHEETS if n in result.tables):
        table = _in_thai(result.tables[name])
        ws = _table_frame(book, fmt, name, table)
        if cells:
            _write_cells(ws, fmt, table)
        elif table.rows:
            styles = [_column_style(fmt, table, key) for key in table.keys]
            sheets.append(SheetRows(SHEETS[name], table.rows, styles, first_row=2, as_text=_status_text,
                                    heights=row_heights(table)))
    book.close()
    with atomic_write(path, force=force, inputs=inputs) as fh:
        splice_rows(frame.getvalue(), fh, sheets, level=ZIP_LEVEL)
    return Path(path)


def _in_thai(table: "Table") -> "Table":
    """The table as the workbook shows it: its values under their Thai labels (:attr:`Table.labels`:
    file states, what decided them, severities, kinds, an office's states); the library's
    tables, CSV and JSON keep the values."""
    maps = table.labels
    columns = [(i, maps[key]) for i, key in enumerate(table.keys) if key in maps]
    if not columns:
        return table
    rows = []
    for row in table.rows:
        row = list(row)
        for i, words in columns:
            row[i] = words.get(row[i], row[i])
        rows.append(tuple(row))
    return dataclasses.replace(table, rows=rows)


def csv_text(value: Any) -> Any:
    """A value for CSV (see :func:`itaxl.cells.csv_text`); a status as its Thai label."""
    if isinstance(value, Status):
        value = STATUS_LABELS[value]
    return cells.csv_text(value)


def write_csv(result: "MergeResult", directory: str | os.PathLike, *, force: bool = True) -> list[Path]:
    """One UTF-8 (with BOM, for Excel) CSV per table, written atomically; keys as column names."""
    out = []
    for name, table in result.tables.items():
        path = Path(directory) / f"{name}.csv"
        with atomic_write(path, force=force) as fh:
            text = _TextWriter(fh)
            writer = csv.writer(text)
            writer.writerow(table.keys)
            for row in table.rows:
                writer.writerow([csv_text(v) for v in row])
        out.append(path)
    return out


class _TextWriter:
    """A text view of the binary atomic file, UTF-8 with a byte-order mark."""

    def __init__(self, fh: Any):
        self.fh = fh
        fh.write("\ufeff".encode("utf-8"))

    def write(self, text: str) -> int:
        return self.fh.write(text.encode("utf-8"))


def write_json(result: "MergeResult", path: str | os.PathLike, *, force: bool = True) -> Path:
    """The summary figures and per-office table as JSON."""
    offices = result.tables["offices"]
    doc = {"summary": result.summary,
           "offices": [dict(zip(offices.keys, row)) for row in offices.rows],
           "ignored": [i.to_dict() for i in result.ignored], "skipped": result.skipped}
    data = json.dumps(doc, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    with atomic_write(path, force=force) as fh:
        fh.write(data)
    return Path(path)

