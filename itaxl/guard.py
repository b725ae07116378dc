"""The guard: look at a submission's raw bytes before any parser does.

Central staff receive files by e-mail and chat apps; some are broken, some are
the wrong thing, a few may be hostile.  The guard identifies a file by its
content, not its name, and checks a zip package's directory against
:class:`Limits` *before* anything is decompressed.  It answers with at most one
problem; only a file that passes is handed to the reader.

Every limit is a named default below and can be raised from the CLI for an
unusual but honest file.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from typing import Any

from .xlsxread import ZIP_ERRORS

MiB = 1 << 20

MAX_FILE_BYTES = 25 * MiB
"""Largest file accepted at all (a filled template is well under 1 MiB)."""
MAX_ENTRIES = 1000
"""Most members a package may have."""
MAX_ENTRY_BYTES = 64 * MiB
"""Largest uncompressed size of any one member."""
MAX_TOTAL_BYTES = 256 * MiB
"""Largest uncompressed size of all members together."""
MAX_RATIO = 200
"""Highest compression ratio of a member larger than :data:`RATIO_FLOOR` (zip bombs reach thousands)."""
RATIO_FLOOR = 1 * MiB


@dataclasses.dataclass(frozen=True)
class Limits:
    """The limits a package is checked against; the defaults suit every honest itaxl workbook."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_entries: int = MAX_ENTRIES
    max_entry_bytes: int = MAX_ENTRY_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: float = MAX_RATIO

    def __post_init__(self) -> None:
        import math

        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or value <= 0:
                raise ValueError(f"limit {field.name} must be a positive finite number, not {value!r}")


DEFAULT_LIMITS = Limits()

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
_MACRO_TYPES = ("macroEnabled", "vbaProject", "macrosheet", "intlmacrosheet", "ms-office.vbaProject")

# Parts that make a package something itaxl will not open, by member-name pattern.
_ACTIVE_PARTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(^|/)vbaProject\.bin$|(^|/)vbaProjectSignature|(^|/)macrosheets/", re.I), "file-macro"),
    (re.compile(r"(^|/)activeX/", re.I), "file-activex"),
    (re.compile(r"(^|/)embeddings/", re.I), "file-embedded-object"),
    (re.compile(r"(^|/)externalLinks/", re.I), "file-external-link"),
    (re.compile(r"(^|/)connections\.xml$|(^|/)queryTables/", re.I), "file-data-connection"),
)

Finding = tuple[str, dict[str, Any]]


def inspect(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Finding | None:
    """The one problem (code, message parameters) that stops this file, or None to read it."""
    if not data:
        return "file-empty", {}
    if len(data) > limits.max_file_bytes:
        return too_large(len(data), limits)
    if data.startswith(OLE2_MAGIC):
        return _ole2(data)
    if not data.startswith(b"PK"):
        return "file-not-xlsx", {"what": _what(data[:2048])}
    return _package(data, limits)


def too_large(size: int, limits: Limits = DEFAULT_LIMITS) -> Finding | None:
    """The problem of a file of ``size`` bytes, when it is over the file size limit."""
    if size <= limits.max_file_bytes:
        return None
    return "file-too-large", {"size": _mib(size), "limit": _mib(limits.max_file_bytes)}


def _mib(n: float) -> str:
    return f"{n / MiB:.1f} MiB"


def _what(head: bytes) -> str:
    """What a non-zip file looks like, for the message."""
    lowered = head.lstrip().lower()
    if head.startswith(b"%PDF"):
        return "PDF"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:512]:
        return "HTML (a web page)"
    if lowered.startswith(b"<?xml"):
        return "XML"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if head.startswith(b"{\\rtf"):
        return "RTF (a Word document)"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "another kind of file"


def _ole2(data: bytes) -> Finding:
    """An OLE2 compound file: an encrypted OOXML package (its directory names the stream
    EncryptedPackage, in UTF-16) or a legacy binary workbook."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "file-encrypted", {}
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "file-legacy-xls", {}
    return "file-not-xlsx", {"what": "an OLE2 document (e.g. an old Word or Excel file)"}


def _unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or re.match(r"^[A-Za-z]:", name) or "\0" in name:
        return True
    return ".." in posixpath.normpath(name).split("/")


def _package(data: bytes, limits: Limits) -> Finding | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS as exc:
        return "file-corrupt", {"detail": f"not a readable zip package: {exc}"}
    with zf:
        if len(infos) > limits.max_entries:
            return "zip-too-many-entries", {"count": len(infos), "limit": limits.max_entries}
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if _unsafe_name(name):
                return "zip-unsafe-path", {"name": name[:80]}
            folded = name.lower()
            if folded in seen:
                return "zip-duplicate-entry", {"name": name[:80]}
            seen.add(folded)
            if info.flag_bits & 0x1:
                return "file-encrypted", {}
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                # Excel writes and reads only these two; LZMA or bzip2 members are not a workbook
                # Excel can open, whatever Python's zipfile could unpack.
                return "file-corrupt", {"detail": f"member {name[:80]} is compressed with method "
                                                  f"{info.compress_type}, which Excel cannot open"}
            if info.file_size > limits.max_entry_bytes:
                return "zip-entry-too-large", {"name": name[:80], "size": _mib(info.file_size),
                                               "limit": _mib(limits.max_entry_bytes)}
            total += info.file_size
            if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                return "zip-bomb", {"name": name[:80], "ratio": f"{info.file_size / max(info.compress_size, 1):.0f}",
                                    "limit": f"{limits.max_ratio:g}"}
        if total > limits.max_total_bytes:
            return "zip-too-large", {"size": _mib(total), "limit": _mib(limits.max_total_bytes)}
        return _content(zf, seen)


def _content(zf: zipfile.ZipFile, names: set[str]) -> Finding | None:
    """What the package holds: an OpenDocument, some other OOXML file, active content."""
    if "mimetype" in names:
        try:
            mimetype = zf.read("mimetype")[:100]
        except ZIP_ERRORS:  # an unreadable mimetype just means "not ODS"
            mimetype = b""
        if b"opendocument.spreadsheet" in mimetype:
            return "file-ods", {}
        if b"opendocument" in mimetype:
            return "file-not-xlsx", {"what": "an OpenDocument file"}
    if "[content_types].xml" not in names:
        return "file-not-spreadsheet", {"what": "a zip archive"}
    try:
        types = zf.read(next(n for n in zf.namelist() if n.lower() == "[content_types].xml"))
    except ZIP_ERRORS as exc:
        return "file-corrupt", {"detail": f"[Content_Types].xml cannot be read: {exc}"}
    text = types.decode("utf-8", "replace")
    if any(marker in text for marker in _MACRO_TYPES):
        return "file-macro", {}
    for pattern, code in _ACTIVE_PARTS:
        if any(pattern.search(n) for n in names):
            return code, {}
    if _SPREADSHEET_MAIN not in text and _TEMPLATE_MAIN not in text:
        what = ("a Word document" if "wordprocessingml" in text else
                "a PowerPoint file" if "presentationml" in text else "an Office file that is not a workbook")
        return "file-not-spreadsheet", {"what": what}
    return None
