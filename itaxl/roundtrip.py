"""What a workbook loses when openpyxl saves it again, put back.

openpyxl rewrites every sheet's page header and footer from its own model of them: a line
break becomes the literal escape ``_x000a_`` (which LibreOffice prints as it is), and a font
change inside the header (the title bold at 16 pt, the office at 14 pt) is lost.  The
samples' filled workbooks and the annotated copies go through openpyxl; their headers and
footers are copied back from the workbook they were made from, sheet by sheet, by name.
"""

from __future__ import annotations

import io
import re
import zipfile

from .xlsxread import XlsxPackage

_HEADER_FOOTER = re.compile(rb"<headerFooter\b[^>]*?(?:/>|>.*?</headerFooter>)", re.DOTALL)


def header_footers(data: bytes) -> dict[str, bytes]:
    """Each worksheet's ``<headerFooter>`` element as written, by sheet name."""
    found = {}
    with XlsxPackage(io.BytesIO(data)) as pkg, zipfile.ZipFile(io.BytesIO(data)) as z:
        for sheet in pkg.sheets:
            m = _HEADER_FOOTER.search(z.read(sheet.part))
            if m is not None:
                found[sheet.name] = m.group()
    return found


def restore_header_footers(saved: bytes, original: dict[str, bytes]) -> bytes:
    """``saved`` with each named sheet's header and footer as ``original`` gives them; the
    members are written again in their order, at their dates."""
    with XlsxPackage(io.BytesIO(saved)) as pkg:
        parts = {sheet.part: original[sheet.name] for sheet in pkg.sheets if sheet.name in original}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename in parts:
                body = _HEADER_FOOTER.sub(lambda _m: parts[info.filename], body, count=1)
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
