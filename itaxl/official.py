"""The official documents an office publishes, rendered from its filled workbook.

A progress workbook becomes the "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและ
ความโปร่งใสภายในหน่วยงาน" an office posts on its website for the OIT; a measures
workbook becomes its "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" (the
O42-style document).  Both are laid out like the offices' own reports: a title
block, the table, and signature blocks; TH SarabunPSK 16, A4 landscape, the table
header repeated on every printed page.  Every number and date is in Thai digits, as
official documents write them — the office's own text included, links and codes with
Latin letters (O43, e6) as they are — so that no cell mixes the two; ``thai_digits=False``
writes Arabic digits throughout.

The columns are the schema's fields (their Thai labels), so the document always
says what the workbook holds.  It renders what the workbook says, mistakes
included; :func:`render` returns the workbook's problems so that the caller can
say how many there are.
"""

from __future__ import annotations

import datetime
import io
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from .atomic import write_bytes
from .cells import merge_text, write_text
from .errors import ItaxlError
from .problems import Problem, breaks_integrity
from .rulebook import SCORES
from .reader import Measure, Submission
from .fieldtypes import Url
from .framework import SHIPPED, Catalogue, assessed_year
from .schema import OFFICE_TYPE_BY_NAME, ROUNDS, STATUS_LABELS, Field, Kind, TableSheet
from . import typeset
from .thai import format_date, round_bounds, thai_digits_in_text

FONT = "TH SarabunPSK"
FONT_SIZE = 16   # title block and signatures
TABLE_SIZE = 14  # the table: offices' own reports set their tables a size smaller
CREATED = datetime.datetime(2000, 1, 1)  # fixed document date: the same workbook gives the same report

@dataclass(frozen=True)
class Column:
    """One column of the document: the fields it shows (the first names it, unless ``heading``
    does), its width and how a measure fills it."""

    keys: tuple[str, ...]
    width: float
    value: Callable[[Measure, "_Text"], str]
    heading: str = ""
    show: str = "field"

    def title(self, table: TableSheet) -> str:
        return self.heading or next(f.label_th for f in table.columns if f.key == self.keys[0])


class _Text:
    """Numbers and dates as the document writes them (Arabic or Thai digits)."""

    def __init__(self, thai_digits: bool):
        self.thai_digits = thai_digits

    def __call__(self, value: object) -> str:
        text = "" if value is None else str(value).strip()
        return thai_digits_in_text(text) if self.thai_digits else text

    def date(self, day: datetime.date | None, *, abbreviated: bool = True) -> str:
        return format_date(day, abbreviated=abbreviated, thai_digits=self.thai_digits) if day else ""


def _field(f: Field) -> Callable[[Measure, _Text], str]:
    """A column showing one field as its type writes it: text as written, a date as the document
    writes dates, an amount with its decimals."""
    def value(m: Measure, t: _Text) -> str:
        return f.type.report_text(getattr(m, f.key), thai_digits=t.thai_digits)
    return value


def _measure(m: Measure, t: _Text) -> str:
    return t(f"{m.number}. {m.measure}" if m.number is not None else m.measure)


def _number(m: Measure, t: _Text) -> str:
    return t(m.number)


def _numbers_alone(columns: tuple[Column, ...], measures: list[Measure]) -> tuple[Column, ...]:
    """The measure column of a plan in which no measure has a title (issues and steps only, as
    some offices write it) shows the numbers alone, headed as the number is: the page's width
    goes to the texts there are."""
    if any(m.measure and m.measure.strip() for m in measures):
        return columns
    return tuple(replace(c, keys=c.keys[1:], value=_number, heading="") if c.value is _measure and c.keys[1:] else c
                 for c in columns)


def _period(m: Measure, t: _Text) -> str:
    if m.start and m.end and m.start != m.end:
        return f"{t.date(m.start)}{NBSP}–\n{t.date(m.end)}"
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
    """The document's columns: those its layout declares for its kind, then one for every field of
    the table that no declared column shows and that the layout does not leave out."""
    spec = sub.spec
    table = spec.table
    shows: dict[str, Callable[[Measure, _Text], str]] = {
        "numbered": _measure, "period": _period, "indicator": _indicator(sub.framework), "status": _status}
    declared = tuple(
        Column(c.fields, c.width, shows[c.show] if c.show != "field" else _field(table.field(c.fields[0])), c.heading,
               c.show)
        for c in spec.report.columns)
    shown = {k for c in declared for k in c.keys} | spec.report.left_out
    extra = tuple(Column((f.key,), f.width, _field(f)) for f in table.columns if f.key not in shown)
    return declared + extra


def office_title(header: dict[str, Any]) -> str:
    """"องค์การบริหารส่วนตำบลโคกสนวน อำเภอชำนิ จังหวัดบุรีรัมย์" from the office cells."""
    parts = [_office_name(header)]
    if header.get("district"):
        parts.append(f"อำเภอ{header['district']}")
    if header.get("province"):
        parts.append(f"จังหวัด{header['province']}")
    return " ".join(p for p in parts if p)


def _office_name(header: dict[str, Any]) -> str:
    """The office's full name without its district and province: "องค์การบริหารส่วนตำบลโคกสนวน"."""
    name = str(header.get("org_name") or "").strip()
    office_type = OFFICE_TYPE_BY_NAME.get(str(header.get("org_type") or ""))
    if office_type and not name.startswith((office_type.full_th, office_type.name_th)):
        name = office_type.full_th + name
    return name


def _rated(framework) -> str:
    """How a result's rating is introduced: "ระดับ A", or "ผลการประเมิน ผ่าน" for a verbal rating."""
    return "ระดับ" if framework.rating.kind == "letters" else "ผลการประเมิน"


DRAFT = "ร่าง"
"""Printed at the top of every page of the document of a workbook that still has errors."""
NBSP = "\u00a0"
"""Between words no line may break between: พ.ศ. and its year (not "…ปี พ.ศ." with "๒๕๖๖)"
alone on the next line), a dash and the date before it."""


def _year(t: _Text, year: object) -> str:
    return f"ปี{NBSP}พ.ศ.{NBSP}{t(year)}"


def _subtitles(sub: Submission, t: _Text, *, result: bool = True) -> list[str]:
    fy = sub.fiscal_year or 0
    lines = [f"ประจำปีงบประมาณ พ.ศ.{NBSP}{t(fy)}"]
    if sub.kind == Kind.PROGRESS.value and sub.round in ROUNDS:
        start, end = round_bounds(fy, sub.round)
        lines[0] += (f" รอบ {t(sub.round)} เดือน "
                     f"({t.date(start, abbreviated=False)}{NBSP}– {t.date(end, abbreviated=False)})")
    lines.append(office_title(sub.header))
    h = sub.header
    framework = sub.framework
    if result and sub.kind == Kind.MEASURES.value and h.get("total_score") is not None:
        lines.append(f"จากผลการประเมิน ITA {_year(t, h.get('assessed_year') or '')} "
                     f"ได้คะแนน {t(h['total_score'])} {_rated(framework)} {h.get('grade') or '-'}")
    item = framework.measures_item if sub.kind == Kind.MEASURES.value else framework.progress_item
    if item is not None:
        lines.append(f"(ข้อ {item.code} {item.title_th} ของการประเมิน ITA {_year(t, fy)})")  # a code, as written
    return lines


def _signatures(sub: Submission, t: _Text) -> list[tuple[str, str, str]]:
    """(role, name, position) of each signature block."""
    h = sub.header
    if sub.kind == Kind.PROGRESS.value:
        return [("ผู้รายงาน", h.get("reporter_name") or "", h.get("reporter_position") or ""),
                ("ผู้ตรวจรายงาน", h.get("reviewer_name") or "", h.get("reviewer_position") or "")]
    return [("ผู้จัดทำ", h.get("reporter_name") or "", h.get("reporter_position") or "")]


# --------------------------------------------------------------------------- layout

MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 0.5, 0.6, 0.7  # inches
HEADER_FOOTER = 0.3                          # inches from the edge to the footer
MARGIN_TOP_DRAFT = 0.95  # inches: room above the table for the page header that says DRAFT
DRAFT_SIZE = 18          # points: the size of that header
# LibreOffice sets the body of a page with a header lower than the top margin says (by about
# 12 points, whatever the header's size): the layout plans its pages with this much less room.
DRAFT_LAYOUT_ALLOWANCE = 0.25  # inches
SAFETY = 0.97   # of a page's height used: room for a renderer that sets lines a little taller
MIN_COLUMN = 46.0     # points: the narrowest column
LONGEST_WORD = 110.0  # points: a longer word (a URL) is broken rather than widen its column
SHORT_LINE = 80.0     # points: a column whose lines are all this short keeps them whole
LONGEST_WORD_LEAST = 72.0  # points: at its narrowest, a column breaks a longer compound between its words


@dataclass
class _Row:
    """One row of the document: its cells' texts, its height in points, and its kind."""

    kind: str               # title, subtitle, gap, header, body, break, signature, end
    cells: list[str]
    height: float
    top: bool = True        # body rows: the first row of a measure (draws its top border)
    bottom: bool = True     # body rows: the last row of a measure


def _printable(top: float = MARGIN_TOP) -> tuple[float, float]:
    # A little narrower than the page: column widths are stored rounded to pixels, and a
    # table one point too wide prints its last column on pages of its own.
    page_width, page_height = typeset.A4_LANDSCAPE
    width = (page_width - 2 * 72 * MARGIN_SIDE) * SAFETY
    height = page_height - 72 * (top + MARGIN_BOTTOM)
    return width, height


def _widths(columns: tuple[Column, ...], texts: list[list[str]], headings: list[str], *,
            least: bool = False, room: float | None = None) -> list[float]:
    """Column widths in points that fill the page's width: each column at least as wide as the
    longest word of its heading and (up to :data:`LONGEST_WORD`) of its texts, the rest of the
    width shared by how much text each column holds (of the ways tried on the samples, the one
    that gives the fewest lines); ``room`` is the table's width (the report workbook's page)."""
    room = room if room is not None else _printable()[0]
    need, weight = [], []
    for c, heading in enumerate(headings):
        lines = [line for row in texts for line in row[c].split("\n")]
        widest_line = max((typeset.width(line, TABLE_SIZE) for line in lines), default=0.0)
        if widest_line <= SHORT_LINE:  # short lines (a period's dates): kept whole
            longest = widest_line
        else:
            longest = max(min(typeset.width(w, TABLE_SIZE), LONGEST_WORD_LEAST if least else LONGEST_WORD)
                          for row in texts for w in typeset.words(row[c]))
        # A heading breaks at spaces; at its narrowest (``least``), between Thai words too.
        heading_words = typeset.words(heading) if least else heading.split()
        longest = max([longest] + [typeset.width(w, TABLE_SIZE, bold=True) for w in heading_words])
        need.append(max(MIN_COLUMN, longest + 2 * typeset.CELL_PADDING + 1))
        weight.append(sum(typeset.width(row[c], TABLE_SIZE) for row in texts) + 1)
    if least:  # the narrowest each column may be
        return need
    if sum(need) > room:  # more columns than the page holds at their widest words: shrink alike
        return [n * room / sum(need) for n in need]
    spare = room - sum(need)
    return [n + spare * w / sum(weight) for n, w in zip(need, weight)]


def _fewest_lines(widths: list[float], texts: list[list[str]], least: list[float], padding: float) -> list[float]:
    """``widths`` moved between columns, a step at a time, while the table gets shorter: the sum
    over its rows of the lines in each row's fullest cell (a column of short entries gives its
    spare width to the long texts beside it).  No column gets narrower than ``least``."""
    measured = [[typeset.Measured(text, TABLE_SIZE) if text else None for text in row] for row in texts]
    memo: dict[tuple[int, float], list[int]] = {}

    def column(c: int, w: float) -> list[int]:
        key = (c, round(w, 3))
        if key not in memo:
            memo[key] = [m[c].lines(w - 2 * padding) if m[c] else 1 for m in measured]
        return memo[key]

    def total(ws: list[float]) -> int:
        per_column = [column(c, w) for c, w in enumerate(ws)]
        return sum(max(lines) for lines in zip(*per_column)) if texts else 0

    widths, best = list(widths), total(widths)
    for step in (48.0, 24.0, 12.0, 6.0):
        improved = True
        while improved:
            improved = False
            for give in range(len(widths)):
                if widths[give] - step < least[give]:
                    continue
                for take in range(len(widths)):
                    if take == give:
                        continue
                    tried = list(widths)
                    tried[give] -= step
                    tried[take] += step
                    found = total(tried)
                    if found < best:
                        widths, best, improved = tried, found, True
                        break
                if improved:
                    break
    return widths


def _wrapped(text: str, width: float) -> list[str]:
    return typeset.wrap(text, width - 2 * typeset.CELL_PADDING, TABLE_SIZE) if text else [""]


def _body_height(lines: int) -> float:
    return typeset.row_height(lines, TABLE_SIZE)


def _lay_out(texts: list[list[str]], widths: list[float], first_page: float, page: float,
             signatures: list[_Row]) -> list[_Row]:
    """The table's rows and where pages break (``_Row.kind == "break"`` marks a new page).

    ``first_page`` and ``page`` are the heights left for rows under the headings of the first
    and of every other page.  A measure that does not fit the rest of a page fills it and
    continues, cut between lines, on the next (as a Word table's row breaks across pages), so
    no page ends in a hole; it starts the next page whole only when either part would be
    fewer than :data:`KEEP_LINES` lines.  The signature blocks stay together.
    """
    rows: list[_Row] = []
    room = first_page
    fresh = True
    line = typeset.line_height(TABLE_SIZE)

    def new_page() -> None:
        nonlocal room, fresh
        rows.append(_Row("break", [], room))  # its height: what is left of the page
        room, fresh = page, True

    needed = sum(r.height for r in signatures)
    for i, cells in enumerate(texts):
        wrapped = [_wrapped(text, w) for text, w in zip(cells, widths)]
        count = max(len(w) for w in wrapped)
        height = _body_height(count)
        # The last measure is cut when the signatures would not fit after it: its last lines
        # go over with them, so that they never stand alone under a repeated header.
        carry = i == len(texts) - 1 and count >= 2 * KEEP_LINES
        if height <= typeset.MAX_ROW_HEIGHT:
            if height > room and not fresh and height <= page and not _splits(count, _lines_in(room, line)):
                new_page()
            if height <= room and not (carry and height + needed > room):
                rows.append(_Row("body", cells, height))
                room -= height
                fresh = False
                continue
        # Taller than the rest of the page, or than a row may be: cut it between lines, into
        # rows that fill the page and continue on the next.
        start = 0
        while start < count:
            fit = _lines_in(min(room, typeset.MAX_ROW_HEIGHT), line)
            if fit < KEEP_LINES and not fresh:
                new_page()
                continue
            end = min(count, start + max(1, fit))
            if 0 < count - end < KEEP_LINES and end - start > KEEP_LINES:  # no lone last line over the page
                end = count - KEEP_LINES
            over = (carry and end == count and _body_height(end - start) + needed > room
                    and count - KEEP_LINES > start)
            if over:
                end = count - KEEP_LINES
            piece = ["\n".join(w[start:end]) for w in wrapped]
            rows.append(_Row("body", piece, _body_height(end - start), top=start == 0, bottom=end == count))
            room -= rows[-1].height
            fresh = False
            start = end
            if over:  # the last lines start the signatures' page
                new_page()
    if needed > room:
        # The signatures never stand alone under a repeated header: the last row goes with them
        # when the page it leaves keeps another row and the two fit a page together.
        last = rows[-1] if rows and rows[-1].kind == "body" else None
        carried = last is not None and len(rows) > 1 and rows[-2].kind == "body" and last.height + needed <= page
        if carried:
            rows.pop()
            room += last.height
        new_page()
        if carried:
            rows.append(last)
            room -= last.height
    return rows + signatures + [_Row("end", [], room - needed)]


KEEP_LINES = 2
"""The fewest lines of a measure cut across pages that either page holds (Word's widow and
orphan control keeps two)."""


def _lines_in(height: float, line: float) -> int:
    """How many table lines a row of this height holds."""
    return int((height - 2 * typeset.ROW_PADDING) // line)


def _splits(count: int, fit: int) -> bool:
    """Whether a measure of ``count`` lines, ``fit`` of which fit the rest of the page, is cut
    there (or a line or so before, to carry :data:`KEEP_LINES` over) rather than moved whole."""
    return fit >= KEEP_LINES and count >= 2 * KEEP_LINES


def _spans(columns: int, blocks: int) -> list[tuple[int, int]]:
    """The first and last column of each of ``blocks`` side-by-side blocks."""
    span = max(1, columns // blocks)
    return [(i * span, columns - 1 if i == blocks - 1 else i * span + span - 1) for i in range(blocks)]


def _signature_rows(sub: Submission, t: _Text, widths: list[float]) -> list[_Row]:
    """The signature blocks' rows, each tall enough for its longest text in its block's width."""
    signatures = _signatures(sub, t)
    lines = [["ลงชื่อ ...................................................." for _ in signatures],
             [f"({name})" if name else "(....................................................)"
              for _, name, _ in signatures],
             [position or "ตำแหน่ง ..............................................." for _, _, position in signatures],
             [role for role, _, _ in signatures]]
    report_date = sub.header.get("report_date")
    if isinstance(report_date, datetime.date):
        lines.append([f"วันที่ {t.date(report_date, abbreviated=False)}"] + [""] * (len(signatures) - 1))
    spans = _spans(len(widths), len(signatures))
    room = [sum(widths[a:b + 1]) - 2 * typeset.CELL_PADDING for a, b in spans]
    return [_Row("signature", texts, typeset.row_height(
        max(typeset.lines(text, r, FONT_SIZE) for text, r in zip(texts, room)), FONT_SIZE)) for texts in lines]


def build(sub: Submission, *, thai_digits: bool = True) -> bytes:
    """The document for one read workbook, as .xlsx bytes (deterministic).

    Laid out here rather than left to the spreadsheet: column widths fill an A4 landscape
    page by how much text each column holds, a column no measure fills is left out, row
    heights come from the text measured in the document font (:mod:`itaxl.typeset`), a
    measure that does not fit the rest of a page fills it and continues on the next, and the
    signature blocks stay together.  Printed at 100 %, so the pages are the ones laid out.
    """
    import xlsxwriter

    t = _Text(thai_digits)
    declared = _numbers_alone(_columns(sub), sub.measures)
    texts_all = [[c.value(m, t) for c in declared] for m in sub.measures]
    keep = [i for i, c in enumerate(declared) if any(row[i].strip() for row in texts_all)] or [0]
    columns = tuple(declared[i] for i in keep)
    texts = [[row[i] for i in keep] for row in texts_all]
    headings = [c.title(sub.spec.table) for c in columns]
    widths = _widths(columns, texts, headings)
    room_width = sum(widths)
    draft = any(p.is_error for p in sub.problems)  # not for publishing until the office fixes it
    top = MARGIN_TOP_DRAFT if draft else MARGIN_TOP
    _, page_height = _printable(top + (DRAFT_LAYOUT_ALLOWANCE if draft else 0.0))

    title_rows = []
    for n, line in enumerate([sub.spec.table.title_th, *_subtitles(sub, t)]):
        size = FONT_SIZE + 2 if n == 0 else FONT_SIZE
        lines = typeset.lines(line, room_width - 2 * typeset.CELL_PADDING, size, bold=n == 0)
        title_rows.append(_Row("title" if n == 0 else "subtitle", [line], typeset.row_height(lines, size)))
    title_rows.append(_Row("gap", [], 8))
    header_lines = max(typeset.lines(h, w - 2 * typeset.CELL_PADDING, TABLE_SIZE, bold=True)
                       for h, w in zip(headings, widths))
    header = _Row("header", headings, typeset.row_height(header_lines, TABLE_SIZE))
    # Thai digits: no spreadsheet writes a footer's page number in Thai digits, so each page
    # ends with a row that says which page it is.
    number_row = typeset.row_height(1, FONT_SIZE - 2) if thai_digits else 0.0
    page = page_height * SAFETY - number_row - header.height
    first = page - sum(r.height for r in title_rows)
    signatures = [_Row("gap", [], typeset.row_height(1, FONT_SIZE)), *_signature_rows(sub, t, widths)]
    laid = _lay_out(texts, widths, first, page, signatures)
    pages = 1 + sum(r.kind == "break" for r in laid)

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_format_properties": {
        "font_name": FONT, "font_size": FONT_SIZE}})
    book.set_properties({"title": sub.spec.table.title_th, "created": CREATED})
    f = _formats(book)
    sheet = book.add_worksheet("รายงาน" if sub.kind == Kind.PROGRESS.value else "มาตรการ")
    last = len(columns) - 1
    for col, w in enumerate(widths):
        sheet.set_column(col, col, typeset.column_chars(w))

    row = 0
    for r in title_rows:
        if r.cells:
            style = "title" if r.kind == "title" else "centred"
            merge_text(sheet, row, 0, row, last, r.cells[0], f[style], f[style + "+q"])
        sheet.set_row(row, r.height)
        row += 1
    header_row = row
    for col, heading in enumerate(headings):
        sheet.write_string(row, col, heading, f["head"])
    sheet.set_row(row, header.height)
    row += 1
    page_starts = []

    def page_number(page: int, left: float) -> None:
        """The page's number at its foot: the row takes up what the page has left."""
        nonlocal row
        sheet.merge_range(row, 0, row, last, None)
        sheet.write_string(row, 0, f"หน้า {t(page)} / {t(pages)}", f["page"])
        sheet.set_row(row, number_row + max(0.0, left))
        row += 1

    signature_rows = [r for r in laid if r.kind in ("gap", "signature")]
    left_at_end = next(r.height for r in laid if r.kind == "end")
    for r in laid:
        if r.kind == "break":
            if thai_digits:
                page_number(len(page_starts) + 1, r.height)
            page_starts.append(row)
            continue
        if r.kind == "body":
            for col, text in enumerate(r.cells):
                write_text(sheet, row, col, text, f[("edge", r.top, r.bottom)], f[("edge+q", r.top, r.bottom)])
            sheet.set_row(row, r.height)
            row += 1
    row = _write_signatures(sheet, f, signature_rows, row, len(columns))
    if thai_digits:
        page_number(pages, left_at_end)
    end_row = row - 1

    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_print_scale(100)
    sheet.set_margins(left=MARGIN_SIDE, right=MARGIN_SIDE, top=top, bottom=MARGIN_BOTTOM)
    sheet.repeat_rows(header_row)
    sheet.set_h_pagebreaks(page_starts)
    sheet.print_area(0, 0, end_row, last)
    if not thai_digits:
        sheet.set_footer(f"&C&\"{FONT}\"&14หน้า &P / &N", {"margin": HEADER_FOOTER})
    if draft:
        sheet.set_header(f'&R&"{FONT},Bold"&{DRAFT_SIZE}{DRAFT}', {"margin": HEADER_FOOTER})
    sheet.hide_gridlines(2)
    book.close()
    return buffer.getvalue()


def _formats(book: Any) -> dict:
    base = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top", "text_wrap": True}
    f: dict = {}
    for name, props in {
        "title": {**base, "bold": True, "font_size": FONT_SIZE + 2, "align": "center", "valign": "vcenter"},
        "centred": {**base, "align": "center"},
    }.items():
        f[name] = book.add_format(props)
        f[name + "+q"] = book.add_format({**props, "quote_prefix": True})
    f["page"] = book.add_format({**base, "font_size": FONT_SIZE - 2, "align": "right", "valign": "bottom"})
    f["head"] = book.add_format({**base, "font_size": TABLE_SIZE, "bold": True, "align": "center",
                                 "valign": "vcenter", "border": 1, "bg_color": "#F2F2F2"})
    for top in (False, True):
        for bottom in (False, True):
            for quote in (False, True):
                f[("edge+q" if quote else "edge", top, bottom)] = book.add_format(
                    {**base, "font_size": TABLE_SIZE, "left": 1, "right": 1, "top": int(top),
                     "bottom": int(bottom), "quote_prefix": quote})
    return f


def _write_signatures(sheet: Any, f: dict, rows: list[_Row], row: int, columns: int) -> int:
    """The signature blocks side by side, each centred over its share of the columns."""
    for r in rows:
        for (first, last), text in zip(_spans(columns, len(r.cells)) if r.cells else [], r.cells):
            if text:
                merge_text(sheet, row, first, row, last, text, f["centred"], f["centred+q"])
        sheet.set_row(row, r.height)
        row += 1
    return row


# --------------------------------------------------------------------------- the Word document

BODY_SIZE = FONT_SIZE      # the opening paragraph and the signatures
HEAD_FILL = "F2F2F2"       # the table header's shading
GROUP_FILL = "FAFAFA"      # an indicator's row above its measures
WEAK_FILL = "FDE9E7"       # an indicator scored below the pass mark
CELL_PADDING_DOCX = 4.0    # points inside a table cell, left and right
CELL_PADDING_DOCX_V = 1.5  # points inside a table cell, above and below
JOINT = 1.0                # points: the paragraph between the table and its last rows' own table
DOCX_MARGINS = (MARGIN_SIDE, 0.5, 0.6)  # inches: side, top, bottom
DOCX_MARGIN_TOP_DRAFT = 0.8              # inches: room above the table for ร่าง
DOCX_WIDTH = typeset.A4_LANDSCAPE[0] - 2 * 72 * MARGIN_SIDE  # points: the tables' width
TAIL_LINES = 1
"""The last measure's lines that go over with the signatures when they do not fit under it:
one, so that the page it leaves is at least three quarters full (the signatures and a line
take a quarter of a page)."""
SIGNATURE_GAP = 10.0       # points above the signature blocks
PAGE_NUMBERS = "thaiNumbers"  # Word's page-number format for Thai digits
ANALYSIS = "analysis_{number}"
"""Each indicator's analysis (the layout's field for each indicator, from version 2)."""
LINE_SPACING = 1.3
"""A line's pitch in ems, set exactly: TH SarabunPSK's own single spacing.  Laksaman, which
LibreOffice draws in its place, would space single lines 1.65 em apart and print a third
more pages."""


def _line(size: float) -> float:
    return LINE_SPACING * size


def _cell_text(cell, text: str, *, bold: bool = False, align=None, keep_with_next: bool = False) -> None:
    from . import word

    paragraph = word.paragraph_format(word.cell_paragraph(cell), align=align, line=_line(TABLE_SIZE),
                                      keep_with_next=keep_with_next)
    word.text(paragraph, text, bold=bold, size=TABLE_SIZE)


def _head_of_office(header: dict[str, Any]) -> str:
    """The title of the office's elected head: "นายกองค์การบริหารส่วนตำบลโคกสนวน"."""
    office_type = OFFICE_TYPE_BY_NAME.get(str(header.get("org_type") or ""))
    name = str(header.get("org_name") or "").strip()
    return office_type.head_of(name) if office_type and name else ""


def _score(sub: Submission, key: str, t: _Text) -> str:
    """A score of the office sheet as its field writes it ("๘๖.๕๗"), or "" when not given."""
    value = sub.header.get(key)
    if value is None or value == "":
        return ""
    fields = {f.key: f for f in sub.spec.form.fields}
    return fields[key].type.report_text(value, thai_digits=t.thai_digits) if key in fields else t(value)


def _scores(sub: Submission) -> dict[int, float]:
    """Each indicator's score as a number, for the indicators the office gave one."""
    scores = {}
    for indicator in sub.framework.indicators:
        value = sub.header.get(SCORES.format(number=indicator.number))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            scores[indicator.number] = float(value)
    return scores


def _listed(items: list[str]) -> str:
    """"๒, ๔ และ ๕": items as a Thai sentence lists them."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} และ {items[-1]}"


def _opening(sub: Submission, t: _Text) -> str:
    """The paragraph that says what the document answers ("ตามที่ ..."), as offices open theirs."""
    office = _office_name(sub.header)
    fy = sub.fiscal_year or 0
    assessed = sub.header.get("assessed_year") or assessed_year(fy)
    rating = sub.framework.rating
    if sub.kind == Kind.MEASURES.value:
        result = ""
        if sub.header.get("total_score") is not None:
            result = (f" {office}ได้คะแนน {_score(sub, 'total_score', t)} "
                      f"{_rated(sub.framework)} {sub.header.get('grade') or '-'}")
        weak = [n for n, v in _scores(sub).items() if v < rating.pass_mark]
        aim = (f" โดยเฉพาะตัวชี้วัดที่ได้คะแนนต่ำกว่า {t(f'{rating.pass_mark:g}')} คะแนน "
               f"(ตัวชี้วัดที่ {_listed([t(n) for n in weak])})") if weak else ""
        return (f"ตามที่สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) "
                f"ได้ประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                f"ประจำปีงบประมาณ พ.ศ.{NBSP}{t(assessed)}{result} นั้น {office}ได้วิเคราะห์ผลการประเมิน"
                f"รายตัวชี้วัด และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                f"ประจำปีงบประมาณ พ.ศ.{NBSP}{t(fy)} จำนวน {t(len(sub.measures))} มาตรการ "
                f"เพื่อแก้ไขและพัฒนาผลการประเมิน{aim} ดังนี้")
    period = ""
    if sub.round in ROUNDS:
        start, end = round_bounds(fy, sub.round)
        period = (f" รอบ {t(sub.round)} เดือน ({t.date(start, abbreviated=False)}{NBSP}– "
                  f"{t.date(end, abbreviated=False)})")
    counts = {status: sum(m.status == status for m in sub.measures) for status in STATUS_LABELS}
    told = [f"{label} {t(counts[status])} มาตรการ" for status, label in STATUS_LABELS.items() if counts[status]]
    untold = sum(not m.status for m in sub.measures)
    if untold:
        told.append(f"ยังไม่ระบุสถานะ {t(untold)} มาตรการ")
    return (f"ตามที่{office}ได้วิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ.{NBSP}{t(assessed)} "
            f"และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ "
            f"พ.ศ.{NBSP}{t(fy)} จำนวน {t(len(sub.measures))} มาตรการ นั้น บัดนี้ได้ดำเนินการตามมาตรการ"
            f"ดังกล่าว{period} แล้ว จึงขอรายงานผลการดำเนินการ" + (f" ({' '.join(told)})" if told else "")
            + " ดังนี้")


def _docx_heading(doc, sub: Submission, t: _Text) -> None:
    """Title, fiscal year (and round), office and the ITA item, centred; then the opening."""
    from . import word

    title = word.paragraph_format(doc.add_paragraph(), align=word.CENTRE, line=_line(FONT_SIZE + 2))
    word.text(title, sub.spec.table.title_th, bold=True, size=FONT_SIZE + 2)
    for line in _subtitles(sub, t, result=False):
        word.text(word.paragraph_format(doc.add_paragraph(), align=word.CENTRE, line=_line(BODY_SIZE)), line,
                  bold=True)
    opening = word.paragraph_format(doc.add_paragraph(), align=word.THAI_JUSTIFY, before=10, after=6,
                                    line=_line(BODY_SIZE), first_line=36)
    word.text(opening, _opening(sub, t))


def _heading_row(table, widths: list[float], headings: list[str]) -> None:
    from . import word

    row = word.add_row(table, widths)
    word.repeat_as_header(row)
    for cell, heading in zip(row.cells, headings):
        word.shade(cell, HEAD_FILL)
        _cell_text(cell, heading, bold=True, align=word.CENTRE)


def _spanning_row(table, widths: list[float], text: str, *, bold: bool = False, fill: str | None = None,
                  keep_with_next: bool = False):
    """A row of one cell across the table's width."""
    from . import word

    row = word.add_row(table, widths)
    cell = row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]
    if fill:
        word.shade(cell, fill)
    word.keep_whole(row)
    _cell_text(cell, text, bold=bold, keep_with_next=keep_with_next)
    return row


def _analysis(doc, sub: Submission, t: _Text) -> None:
    """The measures document's analysis of the ITA result: each indicator's score against the
    pass mark (those below it marked), the office's analysis of it and the measures that answer it."""
    from . import word

    rating = sub.framework.rating
    scores = _scores(sub)
    answered: dict[int, list[str]] = {}
    for m in sub.measures:
        if m.indicator is not None and m.number is not None:
            answered.setdefault(m.indicator, []).append(t(m.number))
    analyses = {i.number: str(sub.header.get(ANALYSIS.format(number=i.number)) or "").strip()
                for i in sub.framework.indicators}
    if not scores and not any(analyses.values()):
        return
    assessed = sub.header.get("assessed_year") or assessed_year(sub.fiscal_year or 0)
    heading = word.paragraph_format(doc.add_paragraph(), before=6, after=4, line=_line(BODY_SIZE),
                                    keep_with_next=True)
    word.text(heading, f"ผลการประเมิน ITA ปี{NBSP}พ.ศ.{NBSP}{t(assessed)} รายตัวชี้วัด "
                       f"(เกณฑ์ผ่าน {t(f'{rating.pass_mark:g}')} คะแนน)", bold=True)
    headings = ["ตัวชี้วัด", "คะแนน", "เทียบเกณฑ์", "ผลการวิเคราะห์", "มาตรการลำดับที่"]
    shown = [True, bool(scores), bool(scores), any(analyses.values()), bool(answered)]
    room = DOCX_WIDTH
    widths_all = [190.0, 56.0, 90.0, 0.0, 120.0]
    flexible = 3 if shown[3] else 0  # the analysis takes the width left, or else the indicator's name
    widths_all[flexible] = 0.0
    widths_all[flexible] = room - sum(w for w, keep in zip(widths_all, shown) if keep)
    widths = [w for w, keep in zip(widths_all, shown) if keep]
    table = word.table(doc, widths, padding=(CELL_PADDING_DOCX_V, CELL_PADDING_DOCX))
    _heading_row(table, widths, [h for h, keep in zip(headings, shown) if keep])
    for indicator in sub.framework.indicators:
        score = scores.get(indicator.number)
        weak = score is not None and score < rating.pass_mark
        verdict = "" if score is None else ("ต่ำกว่าเกณฑ์" if weak else "ผ่านเกณฑ์")
        cells = [t(f"{indicator.number}. {indicator.name_th} ({indicator.instrument})"),
                 _score(sub, SCORES.format(number=indicator.number), t), verdict, analyses[indicator.number],
                 ", ".join(answered.get(indicator.number, []))]
        row = word.add_row(table, widths)
        for cell, text, centred in zip(row.cells, [c for c, keep in zip(cells, shown) if keep],
                                       [c for c, keep in zip([False, True, True, False, True], shown) if keep]):
            if weak:
                word.shade(cell, WEAK_FILL)
            _cell_text(cell, text, bold=weak and text == verdict, align=word.CENTRE if centred else None)
    word.paragraph_format(doc.add_paragraph(), after=4)


def _groups(sub: Submission, t: _Text) -> list[tuple[str, list[Measure]]]:
    """The measures under their indicators, in the framework's order (a measure naming none, or
    one the framework lacks, last), each group in the office's order."""
    by_number: dict[int | None, list[Measure]] = {}
    for m in sub.measures:
        found = sub.framework.indicator(m.indicator) if m.indicator is not None else None
        by_number.setdefault(found.number if found else None, []).append(m)
    scores = {n: _score(sub, SCORES.format(number=n), t) for n in by_number if n is not None}
    groups = []
    for indicator in sub.framework.indicators:
        if indicator.number in by_number:
            label = f"ตัวชี้วัดที่ {t(indicator.number)} {indicator.name_th}"
            if scores.get(indicator.number):
                label += f" (คะแนน {scores[indicator.number]})"
            groups.append((label, by_number[indicator.number]))
    if None in by_number:
        groups.append(("มาตรการที่ไม่ได้ระบุตัวชี้วัด" if groups else "", by_number[None]))
    return groups


def _links(sub: Submission) -> tuple[Field, ...]:
    """The table's web-address fields (the evidence): each measure's links go on a line of its own."""
    return tuple(f for f in sub.spec.table.columns if isinstance(f.type, Url))


def _measures_table(doc, sub: Submission, t: _Text) -> None:
    """The table of measures: a header repeated on every page, the measures under their
    indicators, rows that break across pages as Word's do, each measure's evidence links below it."""
    from . import word

    declared = tuple(c for c in _numbers_alone(_columns(sub), sub.measures) if c.show != "indicator")
    groups = _groups(sub, t)
    ordered = [m for _, ms in groups for m in ms]
    texts_all = [[c.value(m, t) for c in declared] for m in ordered]
    keep = [i for i, c in enumerate(declared) if any(row[i].strip() for row in texts_all)] or [0]
    columns = tuple(declared[i] for i in keep)
    headings = [c.title(sub.spec.table) for c in columns]
    texts = {id(m): [row[i] for i in keep] for m, row in zip(ordered, texts_all)}
    rows = list(texts.values())
    least = [w + 2 * (CELL_PADDING_DOCX - typeset.CELL_PADDING) for w in _widths(columns, rows, headings, least=True)]
    widths = _fewest_lines(_widths(columns, rows, headings, room=DOCX_WIDTH), rows, least, CELL_PADDING_DOCX)
    links = [f for f in _links(sub) if f.key not in {k for c in columns for k in c.keys}]
    table = word.table(doc, widths, padding=(CELL_PADDING_DOCX_V, CELL_PADDING_DOCX))
    _heading_row(table, widths, headings)
    for label, measures in groups:
        if label:
            _spanning_row(table, widths, label, bold=True, fill=GROUP_FILL, keep_with_next=True)
        for m in measures:
            evidence = [f"{f.label_th}: {value}" for f in links if (value := str(getattr(m, f.key) or "").strip())]
            if m is ordered[-1]:
                _last_measure(doc, table, widths, texts[id(m)], evidence, sub, t)
                break
            row = word.add_row(table, widths)
            for cell, text in zip(row.cells, texts[id(m)]):
                _cell_text(cell, text)
            for line in evidence:
                _spanning_row(table, widths, line)


def _last_measure(doc, table, widths: list[float], texts: list[str], evidence: list[str], sub: Submission,
                  t: _Text) -> None:
    """The last measure and the signatures, which never stand alone on a page.

    The measure's final :data:`TAIL_LINES` lines (as the document font wraps them), its
    evidence and the signature blocks go into a table of their own, right under the main one
    and drawn as its continuation, whose rows are never split and whose paragraphs are kept
    with the next: LibreOffice keeps a table together only when it fits on one page, so the
    main table cannot carry the keep.
    """
    from . import word

    wrapped = [typeset.wrap(text, w - 2 * CELL_PADDING_DOCX, TABLE_SIZE) if text else [] for text, w in zip(texts, widths)]
    cut = max((len(w) for w in wrapped), default=0) - TAIL_LINES
    if cut >= KEEP_LINES:
        head = word.add_row(table, widths)
        for cell, lines in zip(head.cells, wrapped):
            _cell_text(cell, "\n".join(lines[:cut]).rstrip())
            word.open_edge(cell, "bottom")
        texts = ["\n".join(lines[cut:]) for lines in wrapped]
    joint = word.paragraph_format(doc.add_paragraph(), line=JOINT, keep_with_next=True)
    word.text(joint, " ", size=JOINT)
    tail_table = word.table(doc, widths, padding=(CELL_PADDING_DOCX_V, CELL_PADDING_DOCX))
    tail = word.add_row(tail_table, widths)
    word.keep_whole(tail)
    for cell, text in zip(tail.cells, texts):
        if cut >= KEEP_LINES:
            word.open_edge(cell, "top")
        _cell_text(cell, text, keep_with_next=True)
    for line in evidence:
        _spanning_row(tail_table, widths, line, keep_with_next=True)
    signatures = word.add_row(tail_table, widths)
    word.keep_whole(signatures)
    cell = signatures.cells[0].merge(signatures.cells[-1]) if len(signatures.cells) > 1 else signatures.cells[0]
    for side in ("left", "right", "bottom"):
        word.open_edge(cell, side)
    _signature_block(cell, sub, t, sum(widths) - 2 * CELL_PADDING_DOCX)


def _signature_block(cell, sub: Submission, t: _Text, width: float) -> None:
    """The signature blocks side by side in ``cell`` (the measures document's with its approval
    by the head of the office), centred on tab stops across ``width`` points."""
    from . import word

    blocks = list(_signatures(sub, t))
    if sub.kind == Kind.MEASURES.value:
        blocks.append(("ผู้อนุมัติ", "", _head_of_office(sub.header)))
    positions = [width * (2 * i + 1) / (2 * len(blocks)) for i in range(len(blocks))]
    lines = [[f"(ลงชื่อ) ........................................ {role}" for role, _, _ in blocks],
             [f"({name})" if name else "(........................................)" for _, name, _ in blocks],
             [position or "ตำแหน่ง ........................................" for _, _, position in blocks]]
    report_date = sub.header.get("report_date")
    if isinstance(report_date, datetime.date):
        lines.append([f"วันที่ {t.date(report_date, abbreviated=False)}"] + [""] * (len(blocks) - 1))
    for n, texts in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        word.paragraph_format(paragraph, before=SIGNATURE_GAP if n == 0 else 0, line=_line(BODY_SIZE),
                              keep_with_next=n < len(lines) - 1)
        word.centred_tabs(paragraph, positions)
        word.text(paragraph, "\t" + "\t".join(texts))


def _docx_page_furniture(doc, t: _Text, draft: bool) -> None:
    """"หน้า ๒ / ๑๘" at the foot of every page; ร่าง at the top of a draft's."""
    from . import word

    section = doc.sections[0]
    footer = word.paragraph_format(section.footer.paragraphs[0], align=word.CENTRE)
    word.text(footer, "หน้า ", size=TABLE_SIZE)
    word.field(footer, "PAGE", size=TABLE_SIZE)
    word.text(footer, " / ", size=TABLE_SIZE)
    word.field(footer, "NUMPAGES", size=TABLE_SIZE)
    if t.thai_digits:
        word.page_numbers(doc, PAGE_NUMBERS)
    if draft:
        word.text(word.paragraph_format(section.header.paragraphs[0], align=word.RIGHT), DRAFT, bold=True,
                  size=DRAFT_SIZE)


def build_document(sub: Submission, *, thai_digits: bool = True) -> bytes:
    """The document for one read workbook, as .docx bytes (deterministic): the form offices
    publish and may still edit.

    A4 landscape, TH SarabunPSK 16 with the table at 14; the heading block and the opening
    paragraph; for the measures document the ITA result by indicator against the pass mark;
    the measures under their indicators in a table whose header repeats on every page and
    whose rows break across pages; evidence links; the signature blocks right after the last
    row; page numbers; ร่าง on every page when the workbook has errors.  Its properties
    (created, modified) are the workbook's, so that the same workbook gives the same document.
    """
    from . import word

    t = _Text(thai_digits)
    draft = any(p.is_error for p in sub.problems)
    side, top, bottom = DOCX_MARGINS
    doc = word.new(FONT, BODY_SIZE, margins=(side, DOCX_MARGIN_TOP_DRAFT if draft else top, bottom),
                   header_footer=HEADER_FOOTER)
    _docx_page_furniture(doc, t, draft)
    _docx_heading(doc, sub, t)
    if sub.kind == Kind.MEASURES.value:
        _analysis(doc, sub, t)
    _measures_table(doc, sub, t)
    return word.to_bytes(doc, created=sub.modified, title=sub.spec.table.title_th, author=_office_name(sub.header))


def render(source: str | os.PathLike, output: str | os.PathLike, *, thai_digits: bool = True,
           force: bool = True, catalogue: Catalogue = SHIPPED) -> tuple[Path, list[Problem]]:
    """Read ``source`` (a filled measures or progress workbook) and write its document to ``output``
    (.docx, or .xlsx for the workbook form).

    Returns the path written and the workbook's problems (the document shows what the
    workbook says, errors included).  Raises :class:`ItaxlError` when the workbook is not
    one itaxl can vouch for (not an itaxl workbook, tampered, no measures).
    """
    from .rules import read

    sub = read(source, catalogue=catalogue)
    fatal = [p for p in sub.problems if breaks_integrity(p)]
    if fatal or sub.spec is None:
        first = fatal[0] if fatal else None
        reason = f"{first.code}: {first.message_en}" if first else "not a measures or progress workbook"
        raise ItaxlError(f"{source}: cannot make the report ({reason})")
    if not sub.measures:
        raise ItaxlError(f"{source}: the workbook has no measures to report")
    make = FORMS.get(Path(output).suffix.lower())
    if make is None:
        raise ItaxlError(f"{output}: a report is a .docx (or an .xlsx workbook)")
    return write_bytes(output, make(sub, thai_digits=thai_digits), force=force, inputs=(source,)), sub.problems


FORMS: dict[str, Callable[..., bytes]] = {".docx": build_document, ".xlsx": build}
"""The forms a report is written in, by the name's suffix: the Word document offices publish
and edit, and the same report as a workbook."""
