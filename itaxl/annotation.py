"""Annotated return workbooks: a copy of a submission that shows the office what to fix.

Every problem cell is highlighted (red for errors, yellow for warnings) and
carries a comment with the Thai message; a first sheet lists every problem with
a link to its cell.  The copy keeps the office's values, the template's
protection and its metadata, so the office can fix it and send it back, and the
fixed copy validates.  The original file is never written to.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import Counter
from pathlib import Path
from typing import Iterable

os.environ.setdefault("OPENPYXL_LXML", "False")

from . import typeset
from .atomic import write_bytes
from .cells import set_text
from .errors import ItaxlError
from .problems import SEVERITY_TH, Severity
from .reader import Submission
from .roundtrip import header_footers, restore_header_footers
from .templates import FONT, FONT_SIZE as TABLE_FONT_SIZE

SHEET_PROBLEMS = "ปัญหาที่พบ"
ERROR_FILL = "F4A6A6"    # red: unlike the pale yellow of input cells (FFF7D6) …
WARNING_FILL = "FFC46B"  # … and amber, unlike both; each also has its symbol, for those who do not see colour
_SYMBOL = {"error": "✖", "warning": "▲", "info": "ℹ"}
_COLUMNS = (("ลำดับ", 5), ("ระดับ", 10), ("ตำแหน่ง", 15), ("ข้อความ", 43), ("รหัส / English", 24))
"""The problem list's columns and widths: on A4 landscape at 100 % less a little, so that it
prints at :data:`PRINTED_SIZE` or more (Thai first; the code and the English message last)."""
_LEGEND = (("✖ ข้อผิดพลาด: ต้องแก้ก่อนส่ง", ERROR_FILL), ("▲ คำเตือน: ควรตรวจสอบ", WARNING_FILL),
           ("ℹ หมายเหตุ: อ่านค่าได้ถูกต้อง ไม่ต้องแก้   ·   คลิกที่ตำแหน่งเพื่อไปยังเซลล์ที่พบ", None))
HEADER_ROW = len(_LEGEND) + 1  # the legend above it
LINK_COLUMN = 3  # ตำแหน่ง: sheet!cell, linked to the cell
LIST_SIZE = 14
PRINTED_SIZE = 12  # points: the least the list prints at on A4 landscape
MARGIN = 0.5  # inches, left and right
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _write_list(sheet, sub: Submission, sheets: list[str]) -> None:
    """The first sheet: a legend, then every problem (what to fix first at the top), linked to its
    cell; printed A4 landscape at 12 pt or more, the header on every page."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    font, bold = Font(name=FONT, size=LIST_SIZE), Font(name=FONT, size=LIST_SIZE, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    last = len(_COLUMNS)
    for row, (text, colour) in enumerate(_LEGEND, start=1):  # over the columns before the message
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LINK_COLUMN if colour else last)
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        cell.font = font
        if colour:
            cell.fill = PatternFill("solid", fgColor=colour)
        sheet.row_dimensions[row].height = typeset.row_height(1, LIST_SIZE)
    for col, (header, _width) in enumerate(_COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col)
        set_text(cell, header)
        cell.font, cell.alignment = bold, wrap
    widths = [width for _header, width in _COLUMNS]
    # What to fix first: errors, then warnings; notes (values read correctly) last.
    listed = sorted(sub.problems, key=lambda p: _ORDER[p.severity])
    for i, p in enumerate(listed, start=1):
        row = HEADER_ROW + i
        sheet.cell(row=row, column=1, value=i)
        level = f"{_SYMBOL[p.severity.value]} {SEVERITY_TH[p.severity.value]}"
        where = f"{p.sheet}!{p.cell}" if p.sheet and p.cell else p.sheet or ""
        texts = (str(i), level, where, p.message_th, f"{p.code}\n{p.message_en}")
        for col, text in enumerate(texts[1:], start=2):
            set_text(sheet.cell(row=row, column=col), text)
        # tall enough for every wrapped cell, measured in the font
        lines = max(typeset.lines(text, typeset.text_points(width), LIST_SIZE) for text, width in zip(texts, widths))
        sheet.row_dimensions[row].height = typeset.row_height(lines, LIST_SIZE)
        for col in range(1, last + 1):
            cell = sheet.cell(row=row, column=col)
            cell.font, cell.alignment = font, wrap
        sheet.cell(row=row, column=last).font = Font(name=FONT, size=LIST_SIZE, color="595959")
        if p.severity is not Severity.INFO:
            sheet.cell(row=row, column=2).fill = PatternFill(
                "solid", fgColor=ERROR_FILL if p.is_error else WARNING_FILL)
        if p.sheet and p.cell and p.sheet in sheets:
            link = sheet.cell(row=row, column=LINK_COLUMN)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{p.sheet}'!{p.cell}")
            link.font = Font(name=FONT, size=LIST_SIZE, color="0563C1", underline="single")
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[HEADER_ROW].height = typeset.row_height(1, LIST_SIZE)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_margins.left = sheet.page_margins.right = MARGIN
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def printed_size(base_size: float = TABLE_FONT_SIZE) -> float:
    """The size the problem list prints at: fit to the page's width, its columns as wide as
    :data:`_COLUMNS` says in a workbook whose normal font is ``base_size``."""
    width = sum(typeset.column_points(w, base_size) for _header, w in _COLUMNS)
    page = typeset.A4_LANDSCAPE[0] - 2 * 72 * MARGIN
    return LIST_SIZE * min(1.0, page / width)


def _fit_table_rows(book, sub: Submission) -> None:
    """Rows of the office's table made tall enough to show their text whole (a template's rows
    hold two lines; an office's text is often longer, and cut on screen and on paper)."""
    from openpyxl.utils import get_column_letter

    spec = sub.spec
    if spec is None or spec.table.name not in book.sheetnames:
        return
    sheet = book[spec.table.name]
    shown = [(col, f) for col, f in enumerate(spec.table.columns, start=1) if f in spec.table.visible_columns]
    texts = {m.row: [(col, typeset.displayed(sheet.cell(row=m.row, column=col).value)) for col, _ in shown]
             for m in sub.measures}
    widths = {col: f.width for col, f in shown}
    most = int((typeset.MAX_ROW_HEIGHT - 2 * typeset.ROW_PADDING) // typeset.line_height(TABLE_FONT_SIZE))
    for i, (col, f) in enumerate(shown):  # a column whose text needs a row taller than a row may be is widened
        longest = max((cells[i][1] for cells in texts.values()), key=len, default="")
        while (widths[col] < MAX_WIDTH
               and typeset.lines(longest, typeset.text_points(widths[col]), TABLE_FONT_SIZE) > most):
            widths[col] = min(MAX_WIDTH, widths[col] * 1.15)
        if widths[col] != f.width:
            sheet.column_dimensions[get_column_letter(col)].width = widths[col]
    for row, cells in texts.items():
        need = typeset.fit_row(((text, widths[col]) for col, text in cells), TABLE_FONT_SIZE)
        if need > (sheet.row_dimensions[row].height or 0):
            sheet.row_dimensions[row].height = need


MAX_WIDTH = 90  # digits: the widest a column of the office's table is made


def needs_annotation(sub: Submission) -> bool:
    """Whether the office has something to fix: an error or a warning (notes alone are not)."""
    return any(p.severity is not Severity.INFO for p in sub.problems)


def output_name(path: str | os.PathLike) -> str:
    """``measures-2567-6311805.xlsx`` → ``measures-2567-6311805-itaxl-check.xlsx`` (a name too long
    for the file system shortened, with a stable hash of the whole)."""
    from .atomic import fit_name

    return fit_name(f"{Path(path).stem}-itaxl-check.xlsx")


def copy_names(files: list[str], bases: Iterable[str]) -> dict[str, str]:
    """A unique, stable annotated-copy name for every input: ``<stem>-itaxl-check.xlsx``; when two
    inputs share it, one made from the path below the input folder (``a__b-itaxl-check.xlsx``); when
    those are the same too (``x.xlsx`` in two input folders), the name with a hash of the path."""
    from .inputs import display_relative, shown

    bases = list(bases)

    def clashing(names: dict[str, str]) -> set[str]:
        counts = Counter(names.values())
        return {f for f, name in names.items() if counts[name] > 1}

    names = {f: output_name(f) for f in files}
    for f in clashing(names):
        relative = display_relative(f, bases)
        names[f] = output_name("__".join((*relative.parent.parts, relative.name)))
    for f in clashing(names):
        digest = hashlib.sha256(os.fsencode(os.path.abspath(f))).hexdigest()[:8]
        names[f] = output_name(f"{Path(names[f]).stem.removesuffix('-itaxl-check')}-{digest}")
    return {f: shown(name) for f, name in names.items()}


def annotate(sub: Submission, output: str | os.PathLike, *, force: bool = True) -> Path | None:
    """Write the annotated copy of a read submission; None when there is nothing to fix.

    Notes (``info``: values that were read correctly) are listed but mark no cell,
    and a file with only notes gets no copy. A file that is not a readable itaxl
    workbook cannot be annotated (its problems are about the file itself):
    :class:`ItaxlError` says so.
    """
    if not needs_annotation(sub):
        return None
    if sub.kind is None:
        raise ItaxlError(f"{sub.path}: not an itaxl workbook that can be annotated ({sub.problems[0].code})")
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    book = openpyxl.load_workbook(sub.source)
    for p in sub.problems:
        if p.severity is Severity.INFO or not (p.sheet and p.cell and p.sheet in book.sheetnames):
            continue
        try:
            cell = book[p.sheet][p.cell]
        except ValueError:
            continue
        colour = ERROR_FILL if p.is_error else WARNING_FILL
        if not (cell.fill and cell.fill.fgColor and cell.fill.fgColor.rgb == "00" + ERROR_FILL):
            cell.fill = PatternFill("solid", fgColor=colour)
        text = f"{_SYMBOL[p.severity.value]} [{p.code}] {p.message_th}"
        previous = cell.comment.text + "\n" if cell.comment else ""
        comment = Comment(previous + text, "itaxl")
        comment.width, comment.height = 320, 120
        cell.comment = comment

    _fit_table_rows(book, sub)
    sheet = book.create_sheet(SHEET_PROBLEMS, 0)
    _write_list(sheet, sub, book.sheetnames)
    sheet.protection.sheet = True
    book.active = 0
    for ws in book.worksheets[1:]:
        ws.sheet_view.tabSelected = False
    buffer = io.BytesIO()
    book.save(buffer)
    data = restore_header_footers(buffer.getvalue(), header_footers(Path(sub.source).read_bytes()))
    return write_bytes(output, data, force=force, inputs=(sub.source,))
