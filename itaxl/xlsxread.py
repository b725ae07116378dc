"""A small, bounded, streaming reader of the parts of an .xlsx that itaxl needs.

Why not openpyxl here: it parses every cell of every sheet into objects (about
10 ms for one small workbook), and a sheet that declares a million cells costs a
million objects.  This reader streams each sheet's XML through expat and stops
at the last row the template defines, so the cost is bounded by the template,
not by the file.  It sees what validation needs and nothing more: sheet names
and states, sheet and workbook protection, cell values with their types
(dates through the cell's number format), formulas, and core properties.

XML safety: a document type declaration is refused outright (no entity can be
declared, so neither entity expansion nor external entities can happen), as
defusedxml does.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import posixpath
import re
import zipfile
import zlib
from typing import IO, Callable
from xml.parsers import expat


class XlsxError(Exception):
    """The package is not a readable workbook; the message says why, ``code`` names the problem."""

    def __init__(self, message: str, code: str = "file-corrupt"):
        super().__init__(message)
        self.code = code


class _Stop(Exception):
    """Raised inside expat callbacks to stop parsing early."""


_CHUNK = 1 << 16


def _forbid_dtd(*_args: object) -> None:
    raise XlsxError("XML document type declarations (entities) are not allowed in a workbook", "xml-forbidden")


def _parse(stream: IO[bytes], start: Callable, end: Callable | None = None,
           text: Callable | None = None) -> None:
    """Stream ``stream`` through expat.

    Namespace processing is off (it costs a third of the parse): handlers see tags
    as written, "c" or, from writers that use a prefix for the main namespace, "x:c";
    :func:`_local` strips the prefix.
    """
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_dtd
    parser.ExternalEntityRefHandler = _forbid_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        raise XlsxError(f"malformed XML: {exc}") from None


def _local(tag: str) -> str:
    return tag[tag.find(":") + 1:]


def _attrs(attrs: dict[str, str]) -> dict[str, str]:
    return {_local(k): v for k, v in attrs.items()}


@dataclasses.dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible | hidden | veryHidden
    part: str   # zip member name


@dataclasses.dataclass(frozen=True)
class Cell:
    """A cell's value (str, float, int, bool, datetime or None) and its formula, if any."""

    value: object
    formula: str | None = None
    error: str | None = None


@dataclasses.dataclass
class SheetData:
    cells: dict[tuple[int, int], Cell]  # (1-based row, 0-based column)
    protected: bool

    def get(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))


_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)})
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[(?!h\]|m\]|s\])[^\]]*\]|_.|\*.')
_DATE_CHARS = re.compile(r"[dmyhsบ]", re.IGNORECASE)
_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time."""
    stripped = _FORMAT_NOISE.sub("", code)
    return code.lower() != "general" and bool(_DATE_CHARS.search(stripped))


@functools.lru_cache(maxsize=4096)
def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


class XlsxPackage:
    """An opened .xlsx: call :meth:`read_sheet` for bounded cell ranges."""

    def __init__(self, source: str | IO[bytes]):
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
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

    def _open(self, name: str) -> IO[bytes]:
        try:
            return self.zip.open(name)
        except KeyError:
            raise XlsxError(f"part {name} is missing") from None
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
            raise XlsxError(f"part {name} cannot be read ({exc})") from None

    def _read_part(self, name: str, start: Callable, end: Callable | None = None,
                   text: Callable | None = None) -> None:
        try:
            with self._open(name) as stream:
                _parse(stream, start, end, text)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
            raise XlsxError(f"part {name} cannot be read ({exc})") from None

    def _workbook_part(self) -> str:
        targets: list[str] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            a = _attrs(attrs)
            if _local(tag) == "Relationship" and a.get("Type", "").endswith("/officeDocument"):
                targets.append(a.get("Target", ""))

        if "_rels/.rels" in self.names:
            self._read_part("_rels/.rels", start)
        target = targets[0].lstrip("/") if targets else "xl/workbook.xml"
        if target not in self.names:
            raise XlsxError("the package has no workbook part")
        return target

    def _read_workbook(self) -> None:
        self.workbook_part = self._workbook_part()
        base = posixpath.dirname(self.workbook_part)
        rels_name = posixpath.join(base, "_rels", posixpath.basename(self.workbook_part) + ".rels")
        rels: dict[str, str] = {}
        self.rel_types: dict[str, str] = {}

        def rel_start(tag: str, attrs: dict[str, str]) -> None:
            a = _attrs(attrs)
            if _local(tag) == "Relationship":
                target = a.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
                rels[a.get("Id", "")] = part
                self.rel_types[part] = a.get("Type", "").rsplit("/", 1)[-1]

        if rels_name in self.names:
            self._read_part(rels_name, rel_start)
        sheets: list[tuple[str, str, str]] = []

        def wb_start(tag: str, attrs: dict[str, str]) -> None:
            name, a = _local(tag), _attrs(attrs)
            if name == "sheet":
                sheets.append((a.get("name", ""), a.get("state", "visible"), a.get("id", "")))
            elif name == "workbookPr":
                self.date1904 = a.get("date1904", "0").lower() in ("1", "true")
            elif name == "workbookProtection":
                self.structure_locked = a.get("lockStructure", "0").lower() in ("1", "true")

        self._read_part(self.workbook_part, wb_start)
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
                self._read_shared_strings(self._strings_part)
        return self._shared

    def _read_shared_strings(self, part: str) -> None:
        out = self._shared
        assert out is not None
        state = {"si": False, "t": False, "skip": 0}
        pieces: list[str] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            name = _local(tag)
            if name == "si":
                state["si"] = True
                pieces.clear()
            elif name in ("rPh", "phoneticPr"):
                state["skip"] += 1
            elif name == "t" and state["si"] and not state["skip"]:
                state["t"] = True

        def end(tag: str) -> None:
            name = _local(tag)
            if name == "si":
                out.append("".join(pieces))
                state["si"] = False
            elif name in ("rPh", "phoneticPr"):
                state["skip"] -= 1
            elif name == "t":
                state["t"] = False

        def text(data: str) -> None:
            if state["t"]:
                pieces.append(data)

        self._read_part(part, start, end, text)

    def date_styles(self) -> list[bool]:
        if self._date_styles is None:
            self._date_styles = []
            if self._styles_part and self._styles_part in self.names:
                self._read_styles(self._styles_part)
        return self._date_styles

    def _read_styles(self, part: str) -> None:
        custom: dict[int, str] = {}
        xfs: list[int] = []
        state = {"cellXfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            name, a = _local(tag), _attrs(attrs)
            if name == "numFmt":
                custom[int(a.get("numFmtId", "0"))] = a.get("formatCode", "")
            elif name == "cellXfs":
                state["cellXfs"] = True
            elif name == "xf" and state["cellXfs"]:
                xfs.append(int(a.get("numFmtId", "0") or 0))

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                state["cellXfs"] = False

        self._read_part(part, start, end)
        assert self._date_styles is not None
        self._date_styles.extend(
            is_date_format(custom[i]) if i in custom else i in _BUILTIN_DATE_FORMATS for i in xfs
        )

    def core_modified(self) -> datetime.datetime | None:
        """The ``dcterms:modified`` core property (when the file was last saved), if any."""
        if "docProps/core.xml" not in self.names:
            return None
        found: list[str] = []
        state = {"in": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            state["in"] = _local(tag) == "modified"

        def end(tag: str) -> None:
            state["in"] = False

        def text(data: str) -> None:
            if state["in"]:
                found.append(data)

        self._read_part("docProps/core.xml", start, end, text)
        try:
            return datetime.datetime.fromisoformat("".join(found).strip().replace("Z", "+00:00"))
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
        cells: dict[tuple[int, int], Cell] = {}
        v_parts: list[str] = []
        f_parts: list[str] = []
        t_parts: list[str] = []
        parts = {"v": v_parts, "f": f_parts, "t": t_parts}
        row, col, ctype, style = 0, -1, "n", 0
        in_cell, protected, stopped = False, False, False
        capture: list[str] | None = None

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal row, col, ctype, style, in_cell, capture, protected, stopped
            if ":" in tag:
                tag = _local(tag)
            if tag == "c":
                ref = attrs.get("r")
                m = _REF.match(ref) if ref else None
                if m:
                    col, row = _col_index(m.group(1)), int(m.group(2))
                else:
                    col += 1
                ctype = attrs.get("t", "n")
                s = attrs.get("s")
                style = int(s) if s else 0
                in_cell = col < max_col and row <= max_row
                if in_cell:
                    v_parts.clear()
                    f_parts.clear()
                    t_parts.clear()
            elif tag in parts:
                if in_cell:
                    capture = parts[tag]
            elif tag == "row":
                r = attrs.get("r")
                row = int(r) if r and r.isdigit() else row + 1
                col = -1
                if row > max_row:
                    stopped = True
                    raise _Stop
            elif tag == "sheetProtection":
                protected = attrs.get("sheet", "0").lower() in ("1", "true")

        def end(tag: str) -> None:
            nonlocal capture, in_cell
            if ":" in tag:
                tag = _local(tag)
            if tag in parts:
                capture = None
            elif tag == "c" and in_cell:
                cell = self._make_cell(ctype, style, v_parts, f_parts, t_parts, shared, date_styles)
                if cell is not None:
                    cells[(row, col)] = cell
                in_cell = False

        def text(data: str) -> None:
            if capture is not None:
                capture.append(data)

        self._read_part(info.part, start, end, text)
        if stopped:
            protected = self._protection_after_stop(info.part)
        data = SheetData(cells, protected)
        self._sheets_read[name] = (max_row, max_col, data)
        return data

    def _protection_after_stop(self, part: str) -> bool:
        """Whether a sheet is protected, reading only the tail after its cells.

        When parsing stopped early at ``max_row``, ``<sheetProtection>`` (which
        follows ``<sheetData>``) was never seen.  Look for it in the last bytes.
        """
        try:
            info = self.zip.getinfo(part)
        except KeyError:
            return False
        if info.file_size > 64 << 20:
            return False
        try:
            with self.zip.open(part) as stream:
                data = stream.read()
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, EOFError):
            return False
        end = data.rfind(b"</sheetData>")
        tail = data[end:] if end >= 0 else data[-4096:]
        m = re.search(rb"<(?:\w+:)?sheetProtection\b([^>]*)>", tail)
        return bool(m and re.search(rb'\bsheet="(1|true)"', m.group(1)))

    def _make_cell(self, ctype: str, style: int, v_parts: list[str], f_parts: list[str], t_parts: list[str],
                   shared: list[str], date_styles: list[bool]) -> Cell | None:
        raw = "".join(v_parts)
        formula = "".join(f_parts) or None
        if ctype == "s":
            try:
                return Cell(shared[int(raw)], formula)
            except (ValueError, IndexError):
                raise XlsxError(f"cell refers to shared string {raw!r} that does not exist") from None
        if ctype == "inlineStr":
            return Cell("".join(t_parts), formula)
        if ctype == "str":
            return Cell(raw, formula)
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
            return Cell(None, formula) if formula else None
        try:
            number = float(raw)
        except ValueError:
            raise XlsxError(f"cell value {raw!r} is not a number") from None
        if style < len(date_styles) and date_styles[style]:
            moment = self.to_datetime(number)
            if moment is not None:
                return Cell(moment, formula)
        if number.is_integer() and "." not in raw and "E" not in raw.upper():
            return Cell(int(number), formula)
        return Cell(number, formula)
