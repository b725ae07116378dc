"""The official documents an office publishes, rendered from its filled workbook.

A progress workbook becomes the "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและ
ความโปร่งใสภายในหน่วยงาน" an office posts on its website for the OIT; a measures
workbook becomes its "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" (the
O42-style document).  Both are laid out like the offices' own reports: a title
block, the table, and signature blocks; TH SarabunPSK 16, A4 landscape, the table
header repeated on every printed page.  ``thai_digits`` writes every number and
date in Thai digits, as most offices' documents do.

The columns are the schema's fields (their Thai labels), so the document always
says what the workbook holds.  It renders what the workbook says, mistakes
included; :func:`render` returns the workbook's problems so that the caller can
say how many there are.
"""

from __future__ import annotations

import datetime
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .atomic import write_bytes
from .cells import merge_text, write_text
from .errors import ItaxlError
from .problems import Problem, breaks_integrity
from .reader import Measure, Submission
from .framework import SHIPPED, Catalogue
from .schema import OFFICE_TYPE_BY_NAME, STATUS_LABELS, Field, Kind, TableSheet
from .thai import format_date, round_bounds, to_thai_digits

FONT = "TH SarabunPSK"
FONT_SIZE = 16
CREATED = datetime.datetime(2000, 1, 1)  # fixed document date: the same workbook gives the same report

TITLES = {
    Kind.PROGRESS.value: "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    Kind.MEASURES.value: "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
}

# Thai marks above and below the line take no width of their own.
_ZERO_WIDTH = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
CHARS_PER_WIDTH = 0.75  # characters of 16 pt Thai per unit of column width, on the safe side
LINE_HEIGHT = 27.0      # points per line of 16 pt Thai (marks above and below need the room)
MAX_LINES = 15          # lines in one table row; a longer cell continues on the next row


@dataclass(frozen=True)
class Column:
    """One column of the document: the fields it shows (the first names it, unless ``heading``
    does), its width and how a measure fills it."""

    keys: tuple[str, ...]
    width: float
    value: Callable[[Measure, "_Text"], str]
    heading: str = ""

    def title(self, table: TableSheet) -> str:
        return self.heading or next(f.label_th for f in table.columns if f.key == self.keys[0])


class _Text:
    """Numbers and dates as the document writes them (Arabic or Thai digits)."""

    def __init__(self, thai_digits: bool):
        self.thai_digits = thai_digits

    def __call__(self, value: object) -> str:
        text = "" if value is None else str(value).strip()
        return to_thai_digits(text) if self.thai_digits else text

    def date(self, day: datetime.date | None, *, abbreviated: bool = True) -> str:
        return format_date(day, abbreviated=abbreviated, thai_digits=self.thai_digits) if day else ""


def _field(key: str) -> Callable[[Measure, _Text], str]:
    return lambda m, t: t(getattr(m, key))


def _measure(m: Measure, t: _Text) -> str:
    return t(f"{m.number}. {m.measure}" if m.number is not None else m.measure)


def _period(m: Measure, t: _Text) -> str:
    if m.start and m.end and m.start != m.end:
        return f"{t.date(m.start)} –\n{t.date(m.end)}"
    return t.date(m.start or m.end)


def _indicator(framework):
    def value(m: Measure, t: _Text) -> str:
        found = framework.indicator(m.indicator) if m.indicator is not None else None
        return t(found.label) if found else ""
    return value


def _status(m: Measure, t: _Text) -> str:
    label = STATUS_LABELS.get(m.status, "") if m.status else ""
    return f"{label}\n({t.date(m.done_date)})" if m.done_date and label else label


def _columns(sub: Submission) -> tuple[Column, ...]:
    """The document's columns: those declared for its kind, then one for every field of the
    table that no declared column shows and that is not left out on purpose."""
    table = sub.spec.table
    if sub.kind == Kind.PROGRESS.value:
        declared = (
            Column(("measure", "number"), 30, _measure),
            Column(("method",), 34, _field("method"), "วิธีดำเนินการ"),
            Column(("start", "end"), 15, _period, "ระยะเวลา"),
            Column(("responsible",), 14, _field("responsible")),
            Column(("status", "done_date"), 14, _status),
            Column(("result",), 40, _field("result")),
            Column(("outcome",), 24, _field("outcome")),
        )
    else:
        declared = (
            Column(("indicator",), 16, _indicator(sub.framework)),
            Column(("issue",), 22, _field("issue")),
            Column(("measure", "number"), 30, _measure),
            Column(("method",), 38, _field("method"), "วิธีดำเนินการ"),
            Column(("start", "end"), 15, _period, "ระยะเวลา"),
            Column(("responsible",), 14, _field("responsible")),
            Column(("monitoring",), 26, _field("monitoring")),
        )
    shown = {k for c in declared for k in c.keys} | LEFT_OUT.get(sub.kind or "", frozenset())
    extra = tuple(Column((f.key,), f.width, _field_text(f)) for f in table.columns if f.key not in shown)
    return declared + extra


def _field_text(f: Field) -> Callable[[Measure, _Text], str]:
    def value(m: Measure, t: _Text) -> str:
        v = getattr(m, f.key)
        return t.date(v) if isinstance(v, datetime.date) else t(v)
    return value


LEFT_OUT = {
    # A progress report restates the plan briefly: the analysis behind each measure is in the
    # measures document, and the evidence links are published with the report.
    Kind.PROGRESS.value: frozenset({"indicator", "issue", "monitoring", "obstacles", "evidence_url"}),
}


def office_title(header: dict[str, Any]) -> str:
    """"องค์การบริหารส่วนตำบลโคกสนวน อำเภอชำนิ จังหวัดบุรีรัมย์" from the office cells."""
    name = str(header.get("org_name") or "").strip()
    office_type = OFFICE_TYPE_BY_NAME.get(str(header.get("org_type") or ""))
    if office_type and not name.startswith((office_type.full_th, office_type.name_th)):
        name = office_type.full_th + name
    parts = [name]
    if header.get("district"):
        parts.append(f"อำเภอ{header['district']}")
    if header.get("province"):
        parts.append(f"จังหวัด{header['province']}")
    return " ".join(p for p in parts if p)


def _subtitles(sub: Submission, t: _Text) -> list[str]:
    fy = sub.fiscal_year or 0
    lines = [f"ประจำปีงบประมาณ พ.ศ. {t(fy)}"]
    if sub.kind == Kind.PROGRESS.value and sub.round in (6, 12):
        start, end = round_bounds(fy, sub.round)
        lines[0] += (f" รอบ {t(sub.round)} เดือน "
                     f"({t.date(start, abbreviated=False)} – {t.date(end, abbreviated=False)})")
    lines.append(office_title(sub.header))
    h = sub.header
    framework = sub.framework
    if sub.kind == Kind.MEASURES.value and h.get("total_score") is not None:
        rated = "ระดับ" if framework.rating.kind == "letters" else "ผลการประเมิน"
        lines.append(f"จากผลการประเมิน ITA ปี พ.ศ. {t(h.get('assessed_year') or '')} "
                     f"ได้คะแนน {t(h['total_score'])} {rated} {h.get('grade') or '-'}")
    item = framework.measures_item if sub.kind == Kind.MEASURES.value else framework.progress_item
    if item is not None:
        lines.append(f"(ข้อ {t(item.code)} {item.title_th} ของการประเมิน ITA ปี พ.ศ. {t(fy)})")
    return lines


def _signatures(sub: Submission, t: _Text) -> list[tuple[str, str, str]]:
    """(role, name, position) of each signature block."""
    h = sub.header
    if sub.kind == Kind.PROGRESS.value:
        return [("ผู้รายงาน", h.get("reporter_name") or "", h.get("reporter_position") or ""),
                ("ผู้ตรวจรายงาน", h.get("reviewer_name") or "", h.get("reviewer_position") or "")]
    return [("ผู้จัดทำ", h.get("reporter_name") or "", h.get("reporter_position") or "")]


def _lines(text: str, width: float) -> int:
    """How many printed lines ``text`` takes in a column of ``width`` (an estimate that errs long)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, math.ceil(len(_ZERO_WIDTH.sub("", part)) / per_line)) for part in text.split("\n"))


def _pieces(text: str, width: float) -> list[str]:
    """``text`` cut at spaces into pieces of at most :data:`MAX_LINES` lines each."""
    if _lines(text, width) <= MAX_LINES:
        return [text]
    pieces, current = [], ""
    for token in re.split(r"(?<=\s)", text):
        if current and _lines(current + token, width) > MAX_LINES:
            pieces.append(current.rstrip())
            current = ""
        current += token
    return [*pieces, current.rstrip()] if current.strip() else pieces


def build(sub: Submission, *, thai_digits: bool = False) -> bytes:
    """The document for one read workbook, as .xlsx bytes (deterministic)."""
    import xlsxwriter

    t = _Text(thai_digits)
    columns = _columns(sub)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": TITLES[sub.kind or ""], "created": CREATED})
    base = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top", "text_wrap": True}
    title = book.add_format({**base, "bold": True, "font_size": FONT_SIZE + 2, "align": "center", "valign": "vcenter"})
    centred = book.add_format({**base, "align": "center"})
    head = book.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "border": 1,
                            "bg_color": "#F2F2F2"})
    quoted_title, quoted_centred = (book.add_format({**props, "quote_prefix": True}) for props in (
        {**base, "bold": True, "font_size": FONT_SIZE + 2, "align": "center", "valign": "vcenter"},
        {**base, "align": "center"}))
    edges = {(top, bottom, quote): book.add_format({**base, "left": 1, "right": 1, "top": int(top),
                                                    "bottom": int(bottom), "quote_prefix": quote})
             for top in (False, True) for bottom in (False, True) for quote in (False, True)}
    sheet = book.add_worksheet("รายงาน" if sub.kind == Kind.PROGRESS.value else "มาตรการ")
    last = len(columns) - 1
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)

    row = 0
    for line in [TITLES[sub.kind or ""], *_subtitles(sub, t)]:
        merge_text(sheet, row, 0, row, last, line, *((title, quoted_title) if row == 0 else (centred, quoted_centred)))
        sheet.set_row(row, 30)
        row += 1
    row += 1
    header_row = row
    for col, column in enumerate(columns):
        sheet.write_string(row, col, column.title(sub.spec.table), head)
    row += 1
    for m in sub.measures:
        cells = [_pieces(column.value(m, t), column.width) for column in columns]
        height = max(len(pieces) for pieces in cells)
        for offset in range(height):
            lines = 1
            for col, (column, pieces) in enumerate(zip(columns, cells)):
                text = pieces[offset] if offset < len(pieces) else ""
                lines = max(lines, _lines(text, column.width))
                top, bottom = offset == 0, offset == height - 1
                write_text(sheet, row, col, text, edges[top, bottom, False], edges[top, bottom, True])
            sheet.set_row(row, lines * LINE_HEIGHT + 8)
            row += 1

    row += 2
    span = max(1, (last + 1) // max(1, len(_signatures(sub, t))))
    for i, (role, name, position) in enumerate(_signatures(sub, t)):
        first = i * span
        lines = ["ลงชื่อ ....................................................", f"({name or ' ' * 40})",
                 position or "ตำแหน่ง ..............................................", role]
        for offset, line in enumerate(lines):
            merge_text(sheet, row + offset, first, row + offset, min(first + span - 1, last), line, centred,
                       quoted_centred)
    report_date = sub.header.get("report_date")
    if isinstance(report_date, datetime.date):
        merge_text(sheet, row + 4, 0, row + 4, min(span - 1, last), f"วันที่ {t.date(report_date, abbreviated=False)}",
                   centred, quoted_centred)
    end_row = row + 5

    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, end_row, last)
    sheet.set_footer(f"&C&\"{FONT}\"&14หน้า &P / &N")
    sheet.hide_gridlines(2)
    book.close()
    return buffer.getvalue()


def render(source: str | os.PathLike, output: str | os.PathLike, *, thai_digits: bool = False,
           force: bool = True, catalogue: Catalogue = SHIPPED) -> tuple[Path, list[Problem]]:
    """Read ``source`` (a filled measures or progress workbook) and write its document to ``output``.

    Returns the path written and the workbook's problems (the document shows what the
    workbook says, errors included).  Raises :class:`ItaxlError` when the workbook is not
    one itaxl can vouch for (not an itaxl workbook, tampered, no measures).
    """
    from .rules import read

    sub = read(source, catalogue=catalogue)
    fatal = [p for p in sub.problems if breaks_integrity(p)]
    if fatal or sub.kind not in TITLES or sub.spec is None:
        first = fatal[0] if fatal else None
        reason = f"{first.code}: {first.message_en}" if first else "not a measures or progress workbook"
        raise ItaxlError(f"{source}: cannot make the report ({reason})")
    if not sub.measures:
        raise ItaxlError(f"{source}: the workbook has no measures to report")
    return write_bytes(output, build(sub, thai_digits=thai_digits), force=force, inputs=(source,)), sub.problems
