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
INSTALL_HINT = "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-calc-nogui)"


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


def convert(source: str | os.PathLike, fmt: str, out_dir: str | os.PathLike, *,
            timeout: float = 180, force: bool = True) -> Path:
    """Convert ``source`` to ``fmt`` (pdf, xlsx, ods) into ``out_dir``; the path written.

    The result is written atomically; the source is never touched.
    Raises :class:`OfficeMissingError` or :class:`ConversionError`.
    """
    soffice = find_soffice()
    if soffice is None:
        raise OfficeMissingError(f"LibreOffice is not installed, so no {fmt.upper()} was written; {INSTALL_HINT}")
    if fmt not in FILTERS:
        raise ValueError(f"unknown format {fmt!r}")
    source = Path(source)
    try:
        return _convert_once(soffice, source, fmt, out_dir, timeout=timeout, force=force)
    except ConversionError as first:
        # LibreOffice sometimes fails to start or open on a loaded machine; a second session
        # with a fresh profile says whether the document itself is at fault.
        try:
            return _convert_once(soffice, source, fmt, out_dir, timeout=timeout, force=force)
        except ConversionError as second:
            raise ConversionError(f"{second} (also at the first try: {first})") from None


def _convert_once(soffice: str, source: Path, fmt: str, out_dir: str | os.PathLike, *,
                  timeout: float, force: bool) -> Path:
    target = Path(out_dir) / f"{source.stem}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="itaxl-lo-") as tmp:
        profile = Path(tmp) / "profile"
        work = Path(tmp) / "out"
        command = [soffice, "--headless", "--norestore", "--nologo", "--nodefault",
                   f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", FILTERS[fmt], "--outdir", str(work), str(source.resolve())]
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
