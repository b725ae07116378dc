"""Writing the rows of long sheets straight into a package that XlsxWriter made.

Why: XlsxWriter spends about a microsecond of Python per cell before any XML is
written, and compresses in the same thread that makes the XML.  For the long
tables of a national merge (about 100,000 rows of Thai text in each of two
sheets) that made writing the slowest part of ``itaxl merge``.  Here XlsxWriter
still makes every sheet's frame (column widths, header row, filters, frozen panes,
print setup, conditional formats, the summary and its charts); this module only
writes the data rows, as inline strings, numbers and dates, and splices them into
the frame's ``<sheetData>`` while the package is copied.  The XML of one block of
rows is made while the previous block is being compressed in another thread
(zlib lets go of the GIL), so the two cores share the work.

Every string is written as a string: there is no formula, no link and no number
recognition on this path at all.  Excel's ``_xHHHH_`` escape is itself escaped,
so a literal ``_x0041_`` stays that text.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import itertools
import math
import queue
import re
import sys
import threading
import zipfile
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from .cells import CONTROL_CHARS, formula_like
from .fieldtypes import EXCEL_CELL_LIMIT
from .utility import column_letter

__all__ = ["ColumnStyle", "SheetRows", "cell_text", "excel_serial", "splice_rows"]

TRUNCATED = " … [ตัดทอน / truncated]"
ROWS_PER_BLOCK = 500
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_EPOCH = datetime.datetime(1899, 12, 30)
_FIRST_SERIAL_DATE = datetime.datetime(1900, 3, 1)  # Excel's serials are wrong before this (1900 leap bug)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cell_text(value: str) -> str:
    """Text as a cell may hold it: characters XML cannot carry removed, cut to Excel's limit."""
    if CONTROL_CHARS.search(value):
        value = CONTROL_CHARS.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT // 2 and _utf16_len(value) > EXCEL_CELL_LIMIT:
        keep = 2 * (EXCEL_CELL_LIMIT - len(TRUNCATED))
        value = value.encode("utf-16-le")[:keep].decode("utf-16-le", "ignore") + TRUNCATED
    return value


def _xml_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    return text


@dataclasses.dataclass(frozen=True)
class ColumnStyle:
    """The cell styles (XF indices of the workbook) one column's values are written with."""

    text: int
    quoted: int  # text that looks like a formula: Excel's quote-prefix style
    number: int
    date: int


def excel_serial(moment: datetime.date) -> float | None:
    """The Excel serial number of a date or moment; None before 1 March 1900, where Excel's are wrong."""
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    if moment < _FIRST_SERIAL_DATE:
        return None
    delta = moment - _EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def _cell_writer(style: ColumnStyle, as_text: Callable[[Any], str]) -> Callable[[str, Any], str]:
    """The function that makes one column's ``<c>`` element: chosen once per column, not per cell."""
    text_s, quoted_s, number_s, date_s = (f' s="{style.text}"', f' s="{style.quoted}"', f' s="{style.number}"',
                                          f' s="{style.date}"')

    def string(ref: str, text: str) -> str:
        text = cell_text(text)
        s = quoted_s if formula_like(text) else text_s
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_xml_text(text)}</t></is></c>'

    def write(ref: str, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return string(ref, value)
        if kind is int or (kind is float and math.isfinite(value)):
            return f'<c r="{ref}"{number_s}><v>{value!r}</v></c>'
        if kind is bool:
            return f'<c r="{ref}"{text_s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime.date):
            serial = excel_serial(value)
            if serial is not None:
                return f'<c r="{ref}"{date_s}><v>{serial!r}</v></c>'
            return string(ref, value.isoformat())
        return string(ref, as_text(value))

    return write


@dataclasses.dataclass
class SheetRows:
    """Data rows for one worksheet of the frame, written from ``first_row`` (1-based) down."""

    sheet: str
    rows: Sequence[Sequence[Any]]
    styles: Sequence[ColumnStyle]
    first_row: int = 2
    as_text: Callable[[Any], str] = str  # for values of other types (enums, …)
    heights: Sequence[float | None] | None = None  # points, per row; None: the sheet's default

    def xml_blocks(self) -> Iterator[str]:
        """The rows as SpreadsheetML, in blocks of :data:`ROWS_PER_BLOCK` rows."""
        letters = [column_letter(c) for c in range(len(self.styles))]
        writers = [_cell_writer(style, self.as_text) for style in self.styles]
        columns = list(zip(letters, writers))
        block: list[str] = []
        heights = self.heights or itertools.repeat(None)
        for (r, row), height in zip(enumerate(self.rows, start=self.first_row), heights):
            n = str(r)
            block.append(f'<row r="{n}">' if height is None else f'<row r="{n}" ht="{height:g}" customHeight="1">')
            for (letter, write), value in zip(columns, row):
                if value is not None and value != "":
                    block.append(write(letter + n, value))
            block.append("</row>")
            if len(block) > ROWS_PER_BLOCK * 8:
                yield "".join(block)
                block.clear()
        if block:
            yield "".join(block)

    def may_need_zip64(self) -> bool:
        """Whether the part could pass zipfile's 2 GiB limit for members of unknown size."""
        chars = sum(len(v) for row in self.rows for v in row if type(v) is str)
        return 4 * chars + 100 * len(self.rows) * len(self.styles) > 1 << 30

    def dimension(self) -> str:
        last_row = self.first_row + len(self.rows) - 1
        return f"A1:{column_letter(len(self.styles) - 1)}{max(last_row, self.first_row - 1)}"


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part, read from the package's workbook and its relationships."""
    rels = package.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {rid: t for t, rid in re.findall(r'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    workbook = package.read("xl/workbook.xml").decode("utf-8")
    parts = {}
    for name, rid in re.findall(r'<sheet name="([^"]*)" sheetId="\d+"[^>]*? r:id="([^"]+)"', workbook):
        name = name.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        parts[name] = "xl/" + targets[rid].lstrip("/").removeprefix("xl/")
    return parts


def splice_rows(frame: bytes, out: IO[bytes], sheets: Iterable[SheetRows], *, level: int = 6) -> None:
    """Copy the package ``frame`` to ``out``, with each sheet's rows written into its ``<sheetData>``.

    Members keep their order and timestamps, so the same frame and rows give the same bytes.
    """
    with zipfile.ZipFile(io.BytesIO(frame)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        parts = sheet_parts(source)
        by_part = {}
        for rows in sheets:
            if rows.sheet not in parts:
                raise ValueError(f"the frame has no sheet {rows.sheet!r}")
            by_part[parts[rows.sheet]] = rows
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member._compresslevel = level  # zipfile applies its own level only to members named by string
            member.external_attr = info.external_attr
            data = source.read(info)
            rows = by_part.get(info.filename)
            if rows is None:
                target.writestr(member, data)
                continue
            head, tail = _split_sheet(data.decode("utf-8"), rows)
            blocks = itertools.chain([head], rows.xml_blocks(), [tail])
            with target.open(member, "w", force_zip64=rows.may_need_zip64()) as stream:
                _pipe(stream, (block.encode("utf-8") for block in blocks))


def _split_sheet(xml: str, rows: SheetRows) -> tuple[str, str]:
    """The sheet's XML before and after the place where its data rows go."""
    end = xml.find("</sheetData>")
    if end < 0:
        empty = xml.find("<sheetData/>")
        if empty < 0:
            raise ValueError(f"sheet {rows.sheet!r} of the frame has no sheetData")
        xml = xml[:empty] + "<sheetData></sheetData>" + xml[empty + len("<sheetData/>"):]
        end = empty + len("<sheetData>")
    head, tail = xml[:end], xml[end:]
    head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{rows.dimension()}"/>', head, count=1)
    return head, tail


PIPE_SWITCH_INTERVAL = 0.0005
"""Seconds between the interpreter's thread switches while a sheet is piped (default 0.005).

The compressing thread holds the GIL only for moments between long stretches of zlib
without it, but each time it wants it back it waited up to the whole default interval
while the other thread made XML: it starved, and the two threads took about as long
as one.  Writing the workbook of 8,000 offices took a median 9.4 s with 0.5 ms against
12.4 s with the default (three runs each, interleaved; 0.1 ms was no faster, 2 ms kept
about half the gain)."""


def _pipe(stream: IO[bytes], blocks: Iterable[bytes]) -> None:
    """Write ``blocks`` to ``stream`` from a second thread, so that making the next block
    of XML (Python) overlaps compressing the last one (zlib, without the GIL)."""
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, PIPE_SWITCH_INTERVAL))
    try:
        _piped(stream, blocks)
    finally:
        sys.setswitchinterval(switch)


def _piped(stream: IO[bytes], blocks: Iterable[bytes]) -> None:
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    failure: list[BaseException] = []

    def consume() -> None:
        while (block := pending.get()) is not None:
            if failure:
                continue  # drain, so that the producer is never blocked
            try:
                stream.write(block)
            except BaseException as exc:  # raised again in the producing thread
                failure.append(exc)

    worker = threading.Thread(target=consume, name="itaxl-zip", daemon=True)
    worker.start()
    try:
        for block in blocks:
            if failure:
                break
            pending.put(block)
    finally:
        pending.put(None)
        worker.join()
    if failure:
        raise failure[0]
