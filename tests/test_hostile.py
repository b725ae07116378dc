"""Hostile and broken submissions, each built at test time.

Each case runs `itaxl validate` as a real process and asserts its problem code,
exit status 1 and peak memory under 300 MB.  Time is not asserted here (it depends on
the machine); a bomb that is read instead of refused shows in the memory figure, and
bench/ holds the speed figures.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

import itaxl
from itaxl.schema import MEASURES

from .conftest import HERE

MAX_RSS_MB = 300

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>
<sheet name="&lol9;" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>
</sheets></workbook>"""


def rezip(src: Path, dst: Path, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None,
          compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """Copy a package member by member, replacing and adding members (duplicates allowed)."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compress) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # duplicate names are the point of one case
                zout.writestr(name, data)
    return dst


# The peak of the process's own memory: on Linux /proc's VmHWM, since ru_maxrss of a process
# started by fork or vfork also counts the parent (the test process) as it was at the start.
_MEASURED = (
    "import atexit, resource, sys\n"
    "def peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as f:\n"
    "            return next(int(l.split()[1]) for l in f if l.startswith('VmHWM:'))\n"
    "    except OSError:\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "atexit.register(lambda: sys.stderr.write('\\nPEAK_RSS_KB=%d\\n' % peak()))\n"
    "from itaxl.cli import main\n"
    "sys.argv = ['itaxl'] + sys.argv[1:]\n"
    "main()\n"
)


def run_validate(path: Path) -> tuple[int, dict, float, float]:
    """exit code, JSON document, wall seconds and peak RSS (MB) of one `itaxl validate` process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURED, "validate", "--format", "json", str(path)],
                          capture_output=True, timeout=60)
    elapsed = time.perf_counter() - start
    err = proc.stderr.decode()
    assert "Traceback" not in err, err
    rss_kb = int(err.rsplit("PEAK_RSS_KB=", 1)[1].split()[0])
    return proc.returncode, json.loads(proc.stdout), elapsed, rss_kb / 1024


@pytest.fixture(scope="module")
def valid(tmp_path_factory, measures_valid) -> Path:
    return measures_valid


def _plain_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active["A1"] = "ไม่ใช่แบบฟอร์ม"
    book.save(path)
    return path


def _huge_dimension(src: Path, dst: Path, sheet_part: str) -> Path:
    with zipfile.ZipFile(src) as z:
        xml = z.read(sheet_part)
    xml = xml.replace(b"<sheetData>", b"<sheetData>", 1)
    head, _, tail = xml.partition(b"</sheetData>")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far away</t></is></c></row>'
    xml = head + far + b"</sheetData>" + tail
    import re
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    return rezip(src, dst, replace={sheet_part: xml})


def _ole2(*streams: str) -> bytes:
    body = b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + body


def _with_formula(src: Path, dst: Path, formula: str) -> Path:
    book = openpyxl.load_workbook(src)
    book[MEASURES.table.name][f"{MEASURES.table.letter_of('monitoring')}{MEASURES.table.first_data_row}"] = formula
    book.save(dst)
    return dst


CASES = {
    "zip-bomb": ("zip-bomb", lambda v, d: rezip(v, d, add={"xl/media/padding.bin": b"\0" * (40 << 20)})),
    "xml-entity-bomb": ("xml-forbidden", lambda v, d: rezip(v, d, replace={"xl/workbook.xml": BILLION_LAUGHS})),
    "huge-dimension": ("not-itaxl", lambda v, d: _huge_dimension(_plain_workbook(d.with_suffix(".p.xlsx")), d,
                                                                   "xl/worksheets/sheet1.xml")),
    "truncated": ("file-corrupt", lambda v, d: d.write_bytes(v.read_bytes()[:4000]) and d),
    "encrypted": ("file-encrypted", lambda v, d: d.write_bytes(_ole2("EncryptionInfo", "EncryptedPackage")) and d),
    "legacy-xls": ("file-legacy-xls", lambda v, d: d.write_bytes(_ole2("Workbook", "SummaryInformation")) and d),
    "renamed-xlsm": ("file-macro", lambda v, d: rezip(v, d, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})),
    "real-xlsm-renamed": ("file-macro", lambda v, d: d.write_bytes(
        (HERE / "data" / "excel-written" / "button07.xlsm").read_bytes()) and d),
    "external-link": ("file-external-link", lambda v, d: rezip(
        v, d, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})),
    "activex": ("file-activex", lambda v, d: rezip(v, d, add={"xl/activeX/activeX1.xml": b"<ax/>"})),
    "embedded-object": ("file-embedded-object", lambda v, d: rezip(
        v, d, add={"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})),
    "data-connection": ("file-data-connection", lambda v, d: rezip(v, d, add={"xl/connections.xml": b"<c/>"})),
    "dde-formula": ("formula-in-cell", lambda v, d: _with_formula(v, d, "=cmd|' /C calc'!A0")),
    "zip-slip": ("zip-unsafe-path", lambda v, d: rezip(v, d, add={"../../evil.sh": b"rm -rf /"})),
    "duplicate-entries": ("zip-duplicate-entry", lambda v, d: rezip(v, d, add={"xl/workbook.xml": b"<x/>"})),
    "empty": ("file-empty", lambda v, d: d.write_bytes(b"") == 0 and d),
    "html": ("file-not-xlsx", lambda v, d: d.write_bytes(b"<!DOCTYPE html><html>LINE login</html>") and d),
    "docx": ("file-not-spreadsheet", lambda v, d: rezip(v, d, replace={"[Content_Types].xml": (
        b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
        b'wordprocessingml.document.main+xml" PartName="/word/document.xml"/></Types>')})),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file(case, valid, tmp_path):
    code, build = CASES[case]
    path = build(valid, tmp_path / f"{case}.xlsx")
    exit_code, doc, seconds, rss_mb = run_validate(path)
    problems = doc["files"][0]["problems"]
    assert code in [p["code"] for p in problems], problems
    assert exit_code == 1
    assert rss_mb < MAX_RSS_MB, f"{case}: {rss_mb:.0f} MB"


def test_huge_dimension_on_an_itaxl_workbook_costs_nothing(valid, tmp_path):
    """A cell at XFD1048576 on the measures sheet is outside every range the template defines."""
    path = _huge_dimension(valid, tmp_path / "far.xlsx", "xl/worksheets/sheet3.xml")

    def fastest(p: Path) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            itaxl.read(p)
            times.append(time.perf_counter() - start)
        return min(times)

    sub = itaxl.read(path)
    assert sub.problems == [] and len(sub.measures) == 3
    # Relative to the same file without the far cell, measured side by side: a reader that
    # walked the million rows would be hundreds of times slower, not a few.
    assert fastest(path) < 10 * fastest(valid)


def test_limits_can_be_raised_for_an_honest_file(valid, tmp_path):
    path = rezip(valid, tmp_path / "big.xlsx", add={"xl/media/photo.bin": os.urandom(3 << 20)})
    from click.testing import CliRunner
    from itaxl.cli import cli
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en", "--max-file-mb", "1"])
    assert result.exit_code == 1 and "file-too-large" in result.output
    size = f"{path.stat().st_size / (1 << 20):.1f} MiB"  # its real size, though only the limit was read
    assert f"The file is {size}, larger than the limit of 1.0 MiB (raise it with --max-file-mb)" in result.output
    result = CliRunner().invoke(cli, ["validate", str(path), "--max-unpacked-mb", "2"])
    assert result.exit_code == 1 and "zip-entry-too-large" in result.output


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml
    assert openpyxl.xml.DEFUSEDXML is True


def test_the_input_file_is_never_written(valid, tmp_path):
    before = valid.read_bytes(), valid.stat().st_mtime_ns
    itaxl.read(valid)
    from click.testing import CliRunner
    from itaxl.cli import cli
    CliRunner().invoke(cli, ["validate", str(valid), "--annotate", str(tmp_path)])
    assert (valid.read_bytes(), valid.stat().st_mtime_ns) == before
