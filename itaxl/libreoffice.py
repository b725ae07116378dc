"""LibreOffice, when installed: converting a workbook to PDF (or re-saving it) headless.

Each conversion runs ``soffice --headless --convert-to`` with its own throw-away user
profile, so it neither disturbs nor waits for a LibreOffice the user has open, and a
time limit, so a stuck conversion cannot hang a batch.

>>> from itaxl.libreoffice import convert, find_soffice
>>> convert("report.xlsx", "pdf", "out/")  # doctest: +SKIP
PosixPath('out/report.pdf')
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .atomic import write_bytes
from .errors import ItaxlError

_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
               "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice")
FILTERS = {"pdf": "pdf:calc_pdf_Export", "xlsx": 'xlsx:Calc MS Excel 2007 XML', "ods": "ods"}
DOCUMENT_FILTERS = {"pdf": "pdf:writer_pdf_Export"}
"""Filters for a Word document (.docx), printed by Writer."""
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-calc-nogui "
                "libreoffice-writer-nogui)")
# Digits in Thai text drawn as Thai digits (Tools > Options > Languages > Complex Text Layout >
# Numerals: Context).  LibreOffice reads no Thai page-number format from a Word document
# (it draws Word's ThaiArabic as the letters ก ข ค), so the page numbers of a document in Thai
# digits are drawn this way; digits beside Latin text (O43, a web address) stay as they are.
_CONTEXT_NUMERALS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/I18N/CTL"><prop oor:name="CTLFont" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/I18N/CTL"><prop oor:name="CTLTextNumerals" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""


class OfficeMissingError(ItaxlError):
    """LibreOffice is needed and not installed."""


class ConversionError(ItaxlError):
    """LibreOffice ran but did not produce the file."""


def find_soffice() -> str | None:
    """The LibreOffice executable (``ITAXL_SOFFICE`` overrides), or None when not installed."""
    override = os.environ.get("ITAXL_SOFFICE")
    if override:
        return override if Path(override).exists() or shutil.which(override) else None
    for candidate in _CANDIDATES:
        found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if found:
            return found
    return None


def has_writer(soffice: str) -> bool:
    """Whether the LibreOffice of ``soffice`` has Writer, which prints Word documents (Debian
    packages it apart from Calc)."""
    program = Path(shutil.which(soffice) or soffice).resolve().parent
    return any(program.glob("*swlo*")) or not (program / "soffice.bin").exists()


def convert(source: str | os.PathLike, fmt: str, out_dir: str | os.PathLike, *,
            timeout: float = 180, force: bool = True, thai_numerals: bool = False) -> Path:
    """Convert ``source`` (a workbook, or a .docx to PDF) to ``fmt`` (pdf, xlsx, ods) into
    ``out_dir``; the path written.  With ``thai_numerals``, digits in Thai text the document
    leaves to LibreOffice (page numbers) are drawn as Thai digits.

    The result is written atomically; the source is never touched.
    Raises :class:`OfficeMissingError` or :class:`ConversionError`.
    """
    soffice = find_soffice()
    if soffice is None:
        raise OfficeMissingError(f"LibreOffice is not installed, so no {fmt.upper()} was written; {INSTALL_HINT}")
    source = Path(source)
    document = source.suffix.lower() == ".docx"
    if document and not has_writer(soffice):
        raise OfficeMissingError(f"LibreOffice Writer is not installed, so no {fmt.upper()} was written; "
                                 f"{INSTALL_HINT}")
    filters = DOCUMENT_FILTERS if document else FILTERS
    if fmt not in filters:
        raise ValueError(f"unknown format {fmt!r} for {source.suffix or 'this file'}")
    once = dict(filter_name=filters[fmt], timeout=timeout, force=force, thai_numerals=thai_numerals)
    try:
        return _convert_once(soffice, source, fmt, out_dir, **once)
    except ConversionError as first:
        # LibreOffice sometimes fails to start or open on a loaded machine; a second session
        # with a fresh profile says whether the document itself is at fault.
        try:
            return _convert_once(soffice, source, fmt, out_dir, **once)
        except ConversionError as second:
            raise ConversionError(f"{second} (also at the first try: {first})") from None


def _convert_once(soffice: str, source: Path, fmt: str, out_dir: str | os.PathLike, *, filter_name: str,
                  timeout: float, force: bool, thai_numerals: bool) -> Path:
    target = Path(out_dir) / f"{source.stem}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="itaxl-lo-") as tmp:
        profile = Path(tmp) / "profile"
        work = Path(tmp) / "out"
        if thai_numerals:
            (profile / "user").mkdir(parents=True)
            (profile / "user" / "registrymodifications.xcu").write_text(_CONTEXT_NUMERALS, "utf-8")
        command = [soffice, "--headless", "--norestore", "--nologo", "--nodefault",
                   f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", filter_name, "--outdir", str(work), str(source.resolve())]
        try:
            run = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"{source}: LibreOffice did not finish converting to {fmt} "
                                  f"within {timeout:g} s") from None
        produced = work / f"{source.stem}.{fmt}"
        if run.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = (run.stderr or run.stdout).decode("utf-8", "replace").strip().splitlines()
            raise ConversionError(f"{source}: LibreOffice could not convert it to {fmt}"
                                  + (f" ({detail[-1]})" if detail else ""))
        return write_bytes(target, produced.read_bytes(), force=force, inputs=(source,))
