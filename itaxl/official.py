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
from .reader import Measure, Submission
from .framework import SHIPPED, Catalogue
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
        Column(c.fields, c.width, shows[c.show] if c.show != "field" else _field(table.field(c.fields[0])), c.heading)
        for c in spec.report.columns)
    shown = {k for c in declared for k in c.keys} | spec.report.left_out
    extra = tuple(Column((f.key,), f.width, _field(f)) for f in table.columns if f.key not in shown)
    return declared + extra


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


DRAFT = "ร่าง"
"""Printed at the top of every page of the document of a workbook that still has errors."""
NBSP = "\u00a0"
"""Between words no line may break between: พ.ศ. and its year (not "…ปี พ.ศ." with "๒๕๖๖)"
alone on the next line), a dash and the date before it."""


def _year(t: _Text, year: object) -> str:
    return f"ปี{NBSP}พ.ศ.{NBSP}{t(year)}"


def _subtitles(sub: Submission, t: _Text) -> list[str]:
    fy = sub.fiscal_year or 0
    lines = [f"ประจำปีงบประมาณ พ.ศ.{NBSP}{t(fy)}"]
    if sub.kind == Kind.PROGRESS.value and sub.round in ROUNDS:
        start, end = round_bounds(fy, sub.round)
        lines[0] += (f" รอบ {t(sub.round)} เดือน "
                     f"({t.date(start, abbreviated=False)}{NBSP}– {t.date(end, abbreviated=False)})")
    lines.append(office_title(sub.header))
    h = sub.header
    framework = sub.framework
    if sub.kind == Kind.MEASURES.value and h.get("total_score") is not None:
        rated = "ระดับ" if framework.rating.kind == "letters" else "ผลการประเมิน"
        lines.append(f"จากผลการประเมิน ITA {_year(t, h.get('assessed_year') or '')} "
                     f"ได้คะแนน {t(h['total_score'])} {rated} {h.get('grade') or '-'}")
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


def _widths(columns: tuple[Column, ...], texts: list[list[str]], headings: list[str]) -> list[float]:
    """Column widths in points that fill the page's width: each column at least as wide as the
    longest word of its heading and (up to :data:`LONGEST_WORD`) of its texts, the rest of the
    width shared by how much text each column holds (of the ways tried on the samples, the one
    that gives the fewest lines)."""
    room, _ = _printable()
    need, weight = [], []
    for c, heading in enumerate(headings):
        lines = [line for row in texts for line in row[c].split("\n")]
        widest_line = max((typeset.width(line, TABLE_SIZE) for line in lines), default=0.0)
        if widest_line <= SHORT_LINE:  # short lines (a period's dates): kept whole
            longest = widest_line
        else:
            longest = max(min(typeset.width(w, TABLE_SIZE), LONGEST_WORD) for row in texts
                          for w in typeset.words(row[c]))
        longest = max([longest] + [typeset.width(w, TABLE_SIZE, bold=True) for w in heading.split()])
        need.append(max(MIN_COLUMN, longest + 2 * typeset.CELL_PADDING + 1))
        weight.append(sum(typeset.width(row[c], TABLE_SIZE) for row in texts) + 1)
    if sum(need) > room:  # more columns than the page holds at their widest words: shrink alike
        return [n * room / sum(need) for n in need]
    spare = room - sum(need)
    return [n + spare * w / sum(weight) for n, w in zip(need, weight)]


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


def render(source: str | os.PathLike, output: str | os.PathLike, *, thai_digits: bool = True,
           force: bool = True, catalogue: Catalogue = SHIPPED) -> tuple[Path, list[Problem]]:
    """Read ``source`` (a filled measures or progress workbook) and write its document to ``output``.

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
    return write_bytes(output, build(sub, thai_digits=thai_digits), force=force, inputs=(source,)), sub.problems
