"""Annotated return workbooks: a copy of a submission that shows the office what to fix.

Every problem cell is highlighted (red for errors, yellow for warnings) and
carries a comment with the Thai message; a first sheet lists every problem with
a link to its cell.  The copy keeps the office's values, the template's
protection and its metadata, so the office can fix it and send it back, and the
fixed copy validates.  The original file is never written to.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

os.environ.setdefault("OPENPYXL_LXML", "False")

from .atomic import write_bytes
from .cells import set_text
from .errors import ItaxlError
from .problems import Severity
from .reader import Submission

SHEET_PROBLEMS = "ปัญหาที่พบ"
ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"
_HEADERS = ("ลำดับ", "ระดับ", "แผ่นงาน", "เซลล์", "รหัส", "ข้อความ", "Message")
_SEVERITY_TH = {"error": "ข้อผิดพลาด", "warning": "คำเตือน", "info": "หมายเหตุ"}
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def needs_annotation(sub: Submission) -> bool:
    """Whether the office has something to fix: an error or a warning (notes alone are not)."""
    return any(p.severity is not Severity.INFO for p in sub.problems)


def output_name(path: str | os.PathLike) -> str:
    """``measures-2567-6311805.xlsx`` → ``measures-2567-6311805-itaxl-check.xlsx``."""
    return f"{Path(path).stem}-itaxl-check.xlsx"


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
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

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
        text = f"[{p.code}] {p.message_th}"
        previous = cell.comment.text + "\n" if cell.comment else ""
        comment = Comment(previous + text, "itaxl")
        comment.width, comment.height = 320, 120
        cell.comment = comment

    sheet = book.create_sheet(SHEET_PROBLEMS, 0)
    for col, header in enumerate(_HEADERS, start=1):
        set_text(sheet.cell(row=1, column=col), header)
    # What to fix first: errors, then warnings; notes (values read correctly) last.
    listed = sorted(sub.problems, key=lambda p: _ORDER[p.severity])
    for i, p in enumerate(listed, start=1):
        sheet.cell(row=i + 1, column=1, value=i)
        for col, text in enumerate((_SEVERITY_TH[p.severity.value], p.sheet or "", p.cell or "", p.code,
                                    p.message_th, p.message_en), start=2):
            set_text(sheet.cell(row=i + 1, column=col), text)
        if p.sheet and p.cell and p.sheet in book.sheetnames:
            link = sheet.cell(row=i + 1, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{p.sheet}'!{p.cell}")
            link.font = Font(name="TH SarabunPSK", size=14, color="0563C1", underline="single")
    for row in sheet.iter_rows(min_row=1, max_row=len(sub.problems) + 1):
        for c in row:
            if c.column != 4 or c.row == 1:
                c.font = Font(name="TH SarabunPSK", size=14, bold=c.row == 1)
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (7, 12, 18, 8, 24, 60, 50)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    book.active = 0
    for ws in book.worksheets[1:]:
        ws.sheet_view.tabSelected = False
    buffer = io.BytesIO()
    book.save(buffer)
    return write_bytes(output, buffer.getvalue(), force=force, inputs=(sub.source,))
