"""A small, bounded reader of the parts of an .xlsx that itaxl needs.

Why not openpyxl here: it parses every cell of every sheet into objects (about
10 ms for one small workbook), and a sheet that declares a million cells costs a
million objects.  This reader parses each sheet with the C parser of
:mod:`xml.etree.ElementTree`, a row at a time, and stops at the last row the
template defines, so the cost is bounded by the template, not by the file.  It
sees what validation needs and nothing more: sheet names and states, sheet and
workbook protection, cell values with their types (dates through the cell's
number format), formulas, and core properties.

XML safety: every part is made UTF-8 first (OOXML allows UTF-8 and UTF-16; any
other declared encoding is refused), and then a document type declaration is
refused outright, so no entity can be declared and neither entity expansion nor
external entities can happen, as defusedxml ensures.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from typing import IO, Iterator, NamedTuple

from .utility import column_index, split_ref

ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, ValueError)
"""What :mod:`zipfile` raises on a damaged package or member: bad headers and CRCs, truncated or
undecodable data, unknown compression methods, encrypted members."""


class XlsxError(Exception):
    """The package is not a readable workbook; the message says why, ``code`` names the problem."""

    def __init__(self, message: str, code: str = "file-corrupt"):
        super().__init__(message)
        self.code = code


_CHUNK = 1 << 16
_DECLARATION = re.compile(rb"<\?xml[^>]*?\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8 = (b"utf-8", b"utf8")


def _utf8_xml(name: str, raw: bytes) -> bytes:
    """The part as UTF-8 XML with no document type declaration, or :class:`XlsxError`.

    OOXML parts are UTF-8 or UTF-16; UTF-16 is re-encoded.  Only then is the DTD
    check a byte search: ``<!DOCTYPE`` can hide in no other encoding.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw[:2] in (b"<\0", b"\0<"):
        codec = "utf-16" if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else \
            "utf-16-le" if raw[:1] == b"<" else "utf-16-be"
        try:
            raw = _DECLARATION.sub(b"", raw.decode(codec).encode("utf-8"), count=1)
        except UnicodeError as exc:
            raise XlsxError(f"part {name} is not valid UTF-16 ({exc})") from None
    else:
        declaration = _DECLARATION.match(raw)
        encoding = _ENCODING.search(declaration.group()) if declaration else None
        if encoding and encoding.group(1).lower() not in _UTF8:
            raise XlsxError(f"part {name} is in {encoding.group(1).decode()!s}; workbook XML must be UTF-8 or UTF-16")
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise XlsxError("XML document type declarations (entities) are not allowed in a workbook", "xml-forbidden")
    return raw


_LOCAL: dict[str, str] = {}


def _local(tag: str) -> str:
    """``{namespace}c`` or ``x:c`` → ``c`` (cached: a part has few distinct tags)."""
    local = _LOCAL.get(tag)
    if local is None:
        local = tag[max(tag.rfind("}"), tag.find(":")) + 1:]
        if len(_LOCAL) < 10_000:
            _LOCAL[tag] = local
    return local


MAX_XML_ELEMENTS = 1_000_000
"""Most elements one part may have (a filled template's largest has a few thousand);
it bounds the memory the parser's tree can take."""


def _ends(name: str, data: bytes) -> Iterator[list[ET.Element]]:
    """The elements of a part (UTF-8 without a DTD: :func:`_utf8_xml`) in the order they end,
    a chunk of the XML at a time.

    The C parser builds the elements; at an element's end its subtree is complete.
    Parsing stops as soon as the consumer stops asking for chunks.
    """
    parser = ET.XMLPullParser(("end",))
    seen = 0
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(data[offset:offset + _CHUNK])
            batch = [element for _event, element in parser.read_events()]
            seen += len(batch)
            if seen > MAX_XML_ELEMENTS:
                raise XlsxError(f"part {name} has more than {MAX_XML_ELEMENTS:,} XML elements")
            yield batch
        parser.close()
        yield [element for _event, element in parser.read_events()]
    except ET.ParseError as exc:
        raise XlsxError(f"part {name}: malformed XML: {exc}") from None


def _attr(element: ET.Element, local: str, default: str = "") -> str:
    """An attribute by local name, whatever its namespace (``r:id`` → ``id``)."""
    value = element.get(local)
    if value is not None:
        return value
    for key, value in element.attrib.items():
        if _local(key) == local:
            return value
    return default


@dataclasses.dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible | hidden | veryHidden
    part: str   # zip member name


class Cell(NamedTuple):
    """A cell's value (str, float, int, bool, datetime or None) and its formula, if any."""

    value: object
    formula: str | None = None
    error: str | None = None


@dataclasses.dataclass
class SheetData:
    cells: dict[tuple[int, int], Cell]  # (1-based row, 0-based column)
    protected: bool
    merged: tuple[tuple[int, int, int, int], ...] = dataclasses.field(default=(), compare=False)
    """Merged ranges as (first row, first column, last row, last column), rows 1-based, columns 0-based."""

    def get(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))


_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)})
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[(?!h\]|m\]|s\])[^\]]*\]|_.|\*.')
_DATE_CHARS = re.compile(r"[dmyhsบ]", re.IGNORECASE)


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time."""
    stripped = _FORMAT_NOISE.sub("", code)
    return code.lower() != "general" and bool(_DATE_CHARS.search(stripped))


class XlsxPackage:
    """An opened .xlsx: call :meth:`read_sheet` for bounded cell ranges."""

    def __init__(self, source: str | IO[bytes]):
        try:
            self.zip = zipfile.ZipFile(source)
        except ZIP_ERRORS as exc:
            raise XlsxError(f"not a zip package ({exc})") from None
        self.names = set(self.zip.namelist())
        self.sheets: list[SheetInfo] = []
        self.date1904 = False
        self.structure_locked = False
        self._shared: list[str] | None = None
        self._sheets_read: dict[str, tuple[int, int, SheetData]] = {}
        self._date_styles: list[bool] | None = None
        self._read_workbook()

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> "XlsxPackage":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- package parts

    def _xml(self, name: str) -> bytes:
        """A member's XML, as UTF-8 with no DTD (the guard has bounded its size before this)."""
        try:
            return _utf8_xml(name, self.zip.read(name))
        except KeyError:
            raise XlsxError(f"part {name} is missing") from None
        except ZIP_ERRORS as exc:
            raise XlsxError(f"part {name} cannot be read ({exc})") from None

    def _elements(self, name: str) -> Iterator[tuple[str, ET.Element]]:
        """(local tag, element) of each element of a small part, in the order they end."""
        for batch in _ends(name, self._xml(name)):
            for element in batch:
                yield _local(element.tag), element

    def _workbook_part(self) -> str:
        target = ""
        if "_rels/.rels" in self.names:
            for tag, el in self._elements("_rels/.rels"):
                if tag == "Relationship" and _attr(el, "Type").endswith("/officeDocument"):
                    target = _attr(el, "Target")
                    break
        target = target.lstrip("/") if target else "xl/workbook.xml"
        if target not in self.names:
            raise XlsxError("the package has no workbook part")
        return target

    def _read_workbook(self) -> None:
        self.workbook_part = self._workbook_part()
        base = posixpath.dirname(self.workbook_part)
        rels_name = posixpath.join(base, "_rels", posixpath.basename(self.workbook_part) + ".rels")
        rels: dict[str, str] = {}
        self.rel_types: dict[str, str] = {}
        if rels_name in self.names:
            for tag, el in self._elements(rels_name):
                if tag == "Relationship":
                    target = _attr(el, "Target")
                    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
                    rels[_attr(el, "Id")] = part
                    self.rel_types[part] = _attr(el, "Type").rsplit("/", 1)[-1]
        sheets: list[tuple[str, str, str]] = []
        for tag, el in self._elements(self.workbook_part):
            if tag == "sheet":
                sheets.append((_attr(el, "name"), _attr(el, "state", "visible"), _attr(el, "id")))
            elif tag == "workbookPr":
                self.date1904 = _attr(el, "date1904", "0").lower() in ("1", "true")
            elif tag == "workbookProtection":
                self.structure_locked = _attr(el, "lockStructure", "0").lower() in ("1", "true")
        folded: dict[str, str] = {}
        for name, _, _ in sheets:  # Excel refuses to open a workbook with two such sheets
            other = folded.setdefault(name.casefold(), name)
            if other is not name:
                raise XlsxError(f"two sheets are named {other!r} and {name!r}, which Excel takes as one name")
        self.sheets = [SheetInfo(n, s, rels.get(rid, "")) for n, s, rid in sheets]
        self._styles_part = next((p for p, t in self.rel_types.items() if t == "styles"), None)
        self._strings_part = next((p for p, t in self.rel_types.items() if t == "sharedStrings"), None)

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)

    # -- shared strings and styles, read once on demand

    def shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if self._strings_part and self._strings_part in self.names:
                self._shared = self._read_shared_strings(self._strings_part)
        return self._shared

    def _read_shared_strings(self, part: str) -> list[str]:
        xml = self._xml(part)
        try:
            return _plain_shared_strings(xml)
        except _NotPlain:
            pass
        out: list[str] = []
        for batch in _ends(part, xml):
            for el in batch:
                if _local(el.tag) == "si":
                    out.append(_string_item(el))
                    el.clear()
        return out

    def date_styles(self) -> list[bool]:
        if self._date_styles is None:
            self._date_styles = []
            if self._styles_part and self._styles_part in self.names:
                self._date_styles = self._read_styles(self._styles_part)
        return self._date_styles

    def _read_styles(self, part: str) -> list[bool]:
        custom: dict[int, str] = {}
        xfs: list[int] = []
        for tag, el in self._elements(part):
            if tag == "numFmts":
                custom |= {_int(_attr(f, "numFmtId")): _attr(f, "formatCode") for f in el
                           if _local(f.tag) == "numFmt"}
            elif tag == "cellXfs":
                xfs = [_int(_attr(xf, "numFmtId")) for xf in el if _local(xf.tag) == "xf"]
        return [is_date_format(custom[i]) if i in custom else i in _BUILTIN_DATE_FORMATS for i in xfs]

    def core_modified(self) -> datetime.datetime | None:
        """The ``dcterms:modified`` core property (when the file was last saved), if any."""
        if "docProps/core.xml" not in self.names:
            return None
        found = ""
        for tag, el in self._elements("docProps/core.xml"):
            if tag == "modified":
                found = el.text or ""
        try:
            return datetime.datetime.fromisoformat(found.strip().replace("Z", "+00:00"))
        except ValueError:
            return None

    # -- cells

    def to_datetime(self, serial: float) -> datetime.datetime | None:
        if self.date1904:
            base = datetime.datetime(1904, 1, 1)
        elif serial < 60:
            base = datetime.datetime(1899, 12, 31)
        else:
            base = datetime.datetime(1899, 12, 30)
        try:
            return base + datetime.timedelta(seconds=round(serial * 86400))
        except (OverflowError, ValueError):
            return None

    def read_sheet(self, name: str, max_row: int, max_col: int) -> SheetData:
        """Cells of rows 1..max_row and columns 0..max_col-1 of a sheet; nothing beyond is parsed.

        Each sheet is parsed once: a later request within the bounds already read is
        answered from the first parse.
        """
        cached = self._sheets_read.get(name)
        if cached is not None:
            if cached[0] >= max_row and cached[1] >= max_col:
                return cached[2]
            max_row, max_col = max(max_row, cached[0]), max(max_col, cached[1])
        info = self.sheet(name)
        if info is None or not info.part:
            raise XlsxError(f"sheet {name!r} is missing")
        shared = self.shared_strings()
        date_styles = self.date_styles()
        xml = self._xml(info.part)
        try:
            data = self._plain_sheet(xml, max_row, max_col, shared, date_styles)
        except _NotPlain:
            data = self._parsed_sheet(info.part, xml, max_row, max_col, shared, date_styles)
        data.merged = _merged_ranges(xml)
        self._sheets_read[name] = (max_row, max_col, data)
        return data

    def _parsed_sheet(self, part: str, xml: bytes, max_row: int, max_col: int, shared: list[str],
                      date_styles: list[bool]) -> SheetData:
        cells: dict[tuple[int, int], Cell] = {}
        protected, row, rows = False, 0, 0
        for batch in _ends(part, xml):
            for el in batch:
                tag = _local(el.tag)
                if tag == "row":
                    r = el.get("r")
                    row = int(r) if r and r.isdigit() else row + 1
                    rows += 1
                    if row <= max_row and rows <= max_row:
                        self._read_row(el, row, max_row, max_col, cells, shared, date_styles)
                    el.clear()
                elif tag == "sheetProtection":
                    protected = _attr(el, "sheet", "0").lower() in ("1", "true")
        return SheetData(cells, protected)

    def _plain_sheet(self, xml: bytes, max_row: int, max_col: int, shared: list[str],
                     date_styles: list[bool]) -> SheetData:
        """The sheet read by :data:`_TOKEN`, or :class:`_NotPlain` for anything it does not cover."""
        body = _plain_body(xml)
        data, tail = _sheet_data(body)
        protected = _plain_protection(tail)
        cells: dict[tuple[int, int], Cell] = {}
        pos, end, rows, match = 0, len(data), 0, _TOKEN.match
        try:
            while pos < end:
                m = match(data, pos)
                if m is None:
                    raise _NotPlain
                pos = m.end()
                row, col = m.group("row", "col")
                if row is not None:
                    rows += 1
                    if int(row) > max_row or rows > max_row:  # rows come in order: nothing further is wanted
                        break
                elif col is not None:
                    c, at = column_index(col.decode("ascii")), int(m.group("at"))
                    if c >= max_col or at > max_row:
                        continue
                    t, st, f, v, inline = m.group("t", "s", "f", "v", "is")
                    cell = self._cell(
                        t.decode("ascii") if t else "n", st.decode("ascii") if st else None,
                        _plain_text(v) if v else "", _plain_text(f) if f is not None else None,
                        unescape(_plain_text(inline)) if inline is not None else None, shared, date_styles)
                    if cell is not None:
                        cells[(at, c)] = cell
        except UnicodeDecodeError:
            raise _NotPlain from None
        return SheetData(cells, protected)

    def _read_row(self, row_element: ET.Element, row: int, max_row: int, max_col: int,
                  cells: dict[tuple[int, int], Cell], shared: list[str], date_styles: list[bool]) -> None:
        col = -1
        for c in row_element:
            ref = c.get("r")
            m = split_ref(ref) if ref else None
            col = m[1] if m else col + 1
            at = m[0] if m else row
            if col >= max_col or at > max_row or _local(c.tag) != "c":
                continue
            cell = self._make_cell(c, shared, date_styles)
            if cell is not None:
                cells[(at, col)] = cell

    def _make_cell(self, c: ET.Element, shared: list[str], date_styles: list[bool]) -> Cell | None:
        raw, formula, inline = "", None, None
        for child in c:
            tag = _local(child.tag)
            if tag == "v":
                raw = child.text or ""
            elif tag == "f":  # <f t="shared" si="0"/> has no text and is a formula all the same
                formula = child.text or ""
            elif tag == "is":
                inline = _string_item(child)
        return self._cell(c.get("t", "n"), c.get("s"), raw, formula, inline, shared, date_styles)

    def _cell(self, ctype: str, s: str | None, raw: str, formula: str | None, inline: str | None,
              shared: list[str], date_styles: list[bool]) -> Cell | None:
        """A cell from what its XML says: type (``t``), style (``s``), ``<v>``, ``<f>``, inline text."""
        if ctype == "s":
            try:
                index = int(raw)
                if index < 0:  # Python would read -1 as the last string
                    raise IndexError(index)
                return Cell(shared[index], formula)
            except (ValueError, IndexError):
                raise XlsxError(f"cell refers to shared string {raw!r} that does not exist") from None
        if ctype == "inlineStr":
            return Cell(inline or "", formula)
        if ctype == "str":
            return Cell(unescape(raw), formula)
        if ctype == "b":
            return Cell(raw in ("1", "true"), formula)
        if ctype == "e":
            return Cell(None, formula, error=raw)
        if ctype == "d":
            try:
                return Cell(datetime.datetime.fromisoformat(raw), formula)
            except ValueError:
                return Cell(raw, formula)
        if raw == "":
            return Cell(None, formula) if formula is not None else None
        try:
            number = float(raw)
        except ValueError:
            raise XlsxError(f"cell value {raw!r} is not a number") from None
        style = int(s) if s and s.isdigit() else 0
        if style < len(date_styles) and date_styles[style]:
            moment = self.to_datetime(number)
            if moment is not None:
                return Cell(moment, formula)
        if number.is_integer() and "." not in raw and "E" not in raw.upper():
            return Cell(int(number), formula)
        return Cell(number, formula)


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
MAX_MERGED = 10_000


def _merged_ranges(xml: bytes) -> tuple[tuple[int, int, int, int], ...]:
    """The merged ranges a sheet declares (at most :data:`MAX_MERGED`: a template has a few)."""
    if b"mergeCell" not in xml:
        return ()
    ranges = []
    for m in _MERGE_CELL.finditer(xml, xml.rfind(b"</sheetData>") + 1):
        ranges.append((int(m[2]), column_index(m[1].decode()), int(m[4]), column_index(m[3].decode())))
        if len(ranges) >= MAX_MERGED:
            break
    return tuple(ranges)


def _string_item(item: ET.Element) -> str:
    """The text of a shared string or inline string: its ``t``, or its runs' ``t``s;
    phonetic guides (``rPh``) are not part of the text."""
    pieces = []
    for child in item:
        tag = _local(child.tag)
        if tag == "t":
            pieces.append(child.text or "")
        elif tag == "r":
            pieces.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return unescape("".join(pieces))


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """A string as Excel shows it: ``_xHHHH_`` stands for the character U+HHHH (``_x000D_``
    for a carriage return, ``_x005F_`` for the underscore that would start another)."""
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE.search(text):
        # An escaped pair (_xD83D__xDE00_) is the character it encodes; a lone half is not a
        # character at all and no library can take it: U+FFFD, which the reader reports.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _int(text: str) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


# --------------------------------------------------------------------------- the plain path
#
# What Excel, LibreOffice and openpyxl write for cells and shared strings is a small,
# regular part of XML.  A part that is entirely in that part is read with a few
# regular expressions, about twice as fast as building elements.  A part with
# anything else (comments, CDATA, processing instructions, character references, CR,
# another order of attributes, rich text, a prefix) raises _NotPlain and goes to
# the parser.  The two give the same cells: tests/test_xlsxread.py holds them equal.


class _NotPlain(Exception):
    """The part is not plain: read it with the parser."""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos);")
_ATTRS = rb'(?:\s+[A-Za-z_][\w.-]*(?::[\w.-]+)?="[^"<>&]*")*\s*'
_SST = re.compile(rb"<sst" + _ATTRS + rb">((?:<si>(?:<t(?: xml:space=\"preserve\")?>[^<]*</t>|<t/>)</si>)*)</sst>\s*\Z")
_SI = re.compile(rb'<si>(?:<t(?: xml:space="preserve")?>([^<]*)</t>|<t/>)</si>')
_TOKEN = re.compile(
    rb'<row r="(?P<row>\d+)"' + _ATTRS + rb"/?>"
    rb"|</row>"
    rb'|<c r="(?P<col>[A-Z]{1,3})(?P<at>\d+)"(?: s="(?P<s>\d+)")?(?: t="(?P<t>[A-Za-z]+)")?'
    rb"\s*(?:/>|>(?:<f>(?P<f>[^<]*)</f>)?(?:<v>(?P<v>[^<]*)</v>)?"
    rb'(?:<is><t(?: xml:space="preserve")?>(?P<is>[^<]*)</t></is>)?</c>)')
_PROTECTION = re.compile(rb"<sheetProtection\b(" + _ATTRS + rb")/?>")
_SHEET_ATTR = re.compile(rb'\ssheet="([^"]*)"')


def _plain_body(xml: bytes) -> bytes:
    """The part after its declaration, if nothing in it needs a parser's care."""
    declaration = _DECLARATION.match(xml)
    body = xml[declaration.end():].lstrip() if declaration else xml
    # comments, CDATA and DTDs; processing instructions; CR (normalised by a parser); character references
    if b"<!" in body or b"<?" in body or b"\r" in body or b"&#" in body \
            or len(body.translate(None, _CONTROL_BYTES)) != len(body):
        raise _NotPlain
    return body


def _sheet_data(body: bytes) -> tuple[bytes, bytes]:
    """The inside of the one ``<sheetData>`` of a plain sheet and the XML after it.

    Found by byte search: a regular expression looking for the closing tag tests every
    byte of the rows on the way.  Any other form (attributes, a second element) is not plain.
    """
    opening, closing, empty = b"<sheetData>", b"</sheetData>", b"<sheetData/>"
    start = body.find(opening)
    if start >= 0:
        end = body.find(closing, start)
        if end < 0:
            raise _NotPlain
        data, tail, tags = body[start + len(opening):end], body[end + len(closing):], 2
    else:
        start = body.find(empty)
        if start < 0:
            raise _NotPlain
        data, tail, tags = b"", body[start + len(empty):], 1
    if body.count(b"<sheetData") + body.count(b"</sheetData") != tags:
        raise _NotPlain
    return data, tail


def _plain_text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        if "&" in _ENTITY.sub("", text):
            raise _NotPlain
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group()], text)
    return text


def _plain_shared_strings(xml: bytes) -> list[str]:
    found = _SST.match(_plain_body(xml))
    if found is None:
        raise _NotPlain
    try:
        return [unescape(_plain_text(t)) for t in _SI.findall(found.group(1))]
    except UnicodeDecodeError:
        raise _NotPlain from None


def _plain_protection(tail: bytes) -> bool:
    """Whether the part after ``</sheetData>`` protects the sheet (the plain path)."""
    if tail.count(b"sheetProtection") > 1:
        raise _NotPlain
    found = _PROTECTION.search(tail)
    if found is None:
        if b"sheetProtection" in tail:
            raise _NotPlain
        return False
    value = _SHEET_ATTR.search(found.group(1))
    return bool(value) and value.group(1).lower() in (b"1", b"true")
