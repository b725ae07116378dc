"""Fill a template's input cells the way an office does: only unlocked cells, with openpyxl.

Used to build the samples and by tests; it goes through the same path as a
person typing into Excel, so it can never write a locked cell.

>>> from itaxl.fill import fill
>>> fill("measures-2567-6311805.xlsx", "filled.xlsx",
...      header={"total_score": 91.5, "grade": "A"},
...      rows=[{"number": 1, "indicator": "9 การเปิดเผยข้อมูล"}])  # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

os.environ.setdefault("OPENPYXL_LXML", "False")  # keep Thai as UTF-8 text, not &#NNNN; references

from .atomic import write_bytes
from .errors import ItaxlError
from .metadata import canonical
from .reader import read_workbook
from .schema import SPECS, Kind


class LockedCellError(ItaxlError):
    """An attempt to write a cell the template locks."""


def fill(
    template: str | os.PathLike, output: str | os.PathLike, *,
    header: Mapping[str, Any] | None = None, rows: Sequence[Mapping[str, Any]] = (),
    first_row: int | None = None,
) -> Path:
    """Write ``header`` values (by field key) and table ``rows`` (dicts by column key) into a copy.

    Rows go to consecutive table rows from the first data row (or ``first_row``).
    Raises :class:`LockedCellError` for a key whose cell is locked.
    """
    import openpyxl

    sub = read_workbook(template)
    spec = SPECS[Kind(sub.kind)] if sub.kind else None
    if spec is None:
        raise ItaxlError(f"{template}: not an itaxl template")
    book = openpyxl.load_workbook(template)
    form = book[spec.form.name]
    for key, value in (header or {}).items():
        _put(form[spec.form.cell_of(key)], value)
    table = book[spec.table.name]
    start = first_row or spec.table.first_data_row
    for offset, row in enumerate(rows):
        for key, value in row.items():
            _put(table[f"{spec.table.letter_of(key)}{start + offset}"], value)
    buffer = io.BytesIO()
    book.save(buffer)
    return write_bytes(output, buffer.getvalue(), inputs=(template,))


def _put(cell: Any, value: Any) -> None:
    if cell.protection.locked:
        raise LockedCellError(f"cell {cell.parent.title}!{cell.coordinate} is locked "
                              f"(it holds {canonical(cell.value)!r})")
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text
