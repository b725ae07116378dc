"""One way to write text into a cell, for every writer itaxl has.

Text from a submission is data, never a formula: not in a template, an annotated
copy, the consolidated workbook, a report or a CSV file.  XlsxWriter's ``write()``
and ``merge_range()`` turn a string that starts with ``=`` into a formula, and
openpyxl does the same on assignment; the functions here never do.  Text that a
spreadsheet would take for a formula when the cell is edited (it starts with one
of :data:`itaxl.schema.FORMULA_TRIGGERS`) is written with Excel's quote-prefix
style in workbooks and behind an apostrophe in CSV.

>>> formula_like("=HYPERLINK(\"http://x\")"), formula_like("ดำเนินการแล้ว")
(True, False)
>>> csv_text("+66 81 234 5678")
"'+66 81 234 5678"
"""

from __future__ import annotations

import re
from typing import Any

from .schema import FORMULA_TRIGGERS

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters a cell cannot carry: what XML 1.0 cannot hold (tab, LF and CR it can), and DEL."""


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula if it were typed or edited."""
    return text.startswith(FORMULA_TRIGGERS)


def write_text(sheet: Any, row: int, col: int, text: str, fmt: Any = None, quoted: Any = None) -> None:
    """Write ``text`` into an XlsxWriter cell (0-based) as a string; ``quoted`` is the format
    (the quote-prefixed twin of ``fmt``) used when the text looks like a formula."""
    sheet.write_string(row, col, text, quoted if quoted is not None and formula_like(text) else fmt)


def set_text(cell: Any, text: str) -> None:
    """Put ``text`` into an openpyxl cell as a string (openpyxl would make ``=…`` a formula)."""
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
        cell.quotePrefix = True


def csv_text(value: Any) -> Any:
    """A value for CSV: control characters removed; formula-like text behind an apostrophe."""
    if isinstance(value, str):
        value = CONTROL_CHARS.sub("", value)
        if formula_like(value):
            value = "'" + value
    return value
