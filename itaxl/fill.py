"""Fill a template's input cells the way an office does: only unlocked cells, with openpyxl.

Used to build the samples and by tests; it goes through the same path as a
person typing into Excel, so it can never write a locked cell.

>>> from itaxl.fill import fill
>>> fill("measures-2567-6311805.xlsx", "filled.xlsx",
...      header={"total_score": 91.5, "grade": "A"},
...      rows=[{"number": 1, "indicator": "9 การเปิดเผยข้อมูล"}])  # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Mapping, Sequence

os.environ.setdefault("OPENPYXL_LXML", "False")  # keep Thai as UTF-8 text, not &#NNNN; references

from .atomic import write_bytes
from .cells import set_text
from .errors import ItaxlError
from .metadata import canonical
from .reader import read_workbook
from .roundtrip import header_footers, restore_header_footers
from .framework import SHIPPED, Catalogue


class LockedCellError(ItaxlError):
    """An attempt to write a cell the template locks."""


def fill(
    template: str | os.PathLike, output: str | os.PathLike, *,
    header: Mapping[str, Any] | None = None, rows: Sequence[Mapping[str, Any]] = (),
    first_row: int | None = None, saved: datetime.datetime | None = None, catalogue: Catalogue = SHIPPED,
) -> Path:
    """Write ``header`` values (by field key) and table ``rows`` (dicts by column key) into a copy.

    Rows go to consecutive table rows from the first data row (or ``first_row``).
    ``saved`` fixes the moment the copy claims to be saved (core properties and zip
    timestamps), which makes the output byte-identical for the same inputs; without
    it the copy is stamped now, as a spreadsheet application would.
    Raises :class:`LockedCellError` for a key whose cell is locked.  A template made with a
    framework itaxl does not ship needs it in ``catalogue``.
    """
    import openpyxl

    sub = read_workbook(template, catalogue=catalogue)
    spec = sub.spec
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
    return save(book, output, saved=saved, inputs=(template,), like=Path(template).read_bytes())


def save(book: Any, output: str | os.PathLike, *, saved: datetime.datetime | None = None,
         inputs: tuple = (), like: bytes | None = None) -> Path:
    """Save an openpyxl workbook atomically, stamped ``saved`` (UTC) when given, else now;
    with ``like`` (the bytes of the workbook it was loaded from) its sheets' page headers and
    footers are kept as they were (:mod:`itaxl.roundtrip`)."""
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if like is not None:
        data = restore_header_footers(data, header_footers(like))
    data = data if saved is None else _restamp(data, saved)
    return write_bytes(output, data, inputs=inputs)


_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _restamp(data: bytes, when: datetime.datetime) -> bytes:
    """The same package saved at ``when`` (UTC): core ``modified`` and every member's date.

    openpyxl stamps both with the wall clock on save, whatever the properties say.
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _CORE_MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            member = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, body)
    return out.getvalue()


def _put(cell: Any, value: Any) -> None:
    if cell.protection.locked:
        raise LockedCellError(f"cell {cell.parent.title}!{cell.coordinate} is locked "
                              f"(it holds {canonical(cell.value)!r})")
    if isinstance(value, str):
        set_text(cell, value)  # what an office types is text, even when it looks like a formula
    else:
        cell.value = value
