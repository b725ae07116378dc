"""The reader's plain path (regular expressions) and its parser give the same cells."""

import zipfile
from pathlib import Path

import pytest

from itaxl import xlsxread
from itaxl.xlsxread import XlsxError, XlsxPackage

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted([*ROOT.glob("samples/**/*.xlsx"), *ROOT.glob("templates/*.xlsx"),
                    *ROOT.glob("tests/data/excel-written/*.xlsx")])


def _both(path):
    """Every sheet of a workbook read both ways (plain may decline: then only the parser)."""
    pkg = XlsxPackage(path)
    shared, styles = pkg.shared_strings(), pkg.date_styles()
    for info in pkg.sheets:
        if not info.part.startswith("xl/worksheets/"):
            continue
        xml = pkg._xml(info.part)
        parsed = pkg._parsed_sheet(info.part, xml, 1000, 60, shared, styles)
        try:
            plain = pkg._plain_sheet(xml, 1000, 60, shared, styles)
        except xlsxread._NotPlain:
            plain = None
        yield info.name, plain, parsed


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_plain_and_parsed_sheets_agree(path):
    plain_count = 0
    for name, plain, parsed in _both(path):
        if plain is not None:
            plain_count += 1
            assert plain == parsed, name
    if "excel-written" not in str(path):
        assert plain_count >= 4  # itaxl's own workbooks are plain throughout


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_plain_and_parsed_shared_strings_agree(path):
    pkg = XlsxPackage(path)
    if not pkg._strings_part:
        return
    xml = pkg._xml(pkg._strings_part)
    parsed = [xlsxread._string_item(el) for batch in xlsxread._ends("s", xml) for el in batch
              if xlsxread._local(el.tag) == "si"]
    try:
        assert xlsxread._plain_shared_strings(xml) == parsed
    except xlsxread._NotPlain:
        assert "excel-written" in str(path)  # rich text, phonetic runs: the parser's job


def _sheet_with(path, tmp_path, change):
    """A copy of ``path`` whose progress-table sheet XML went through ``change``."""
    out = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        part = XlsxPackage(path).sheet("ผลการดำเนินการ").part
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == part else data)
    return out


SAMPLE = ROOT / "samples" / "inbox" / "progress-2566-6311805-r6.xlsx"


@pytest.mark.parametrize("change", [
    lambda x: x.replace(b"<sheetData>", b"<sheetData><!-- a comment -->", 1),
    lambda x: x.replace(b'<c r="A5"', b'<c  r="A5"', 1),
    lambda x: x.replace(b'"?>', b'"?>\r\n', 1).replace(b"</row>", b"</row>\r\n"),
    lambda x: x.replace(b"<sheetProtection ", b"<sheetProtection extra='x' ", 1),
    lambda x: x.replace(b"<sheetData>", b'<sheetData xmlns:q="urn:q">', 1),
    lambda x: x.replace(b"</sheetData>", b"</sheetData><sheetData/>", 1),
], ids=["comment", "spacing", "crlf", "quote-style", "sheetdata-attribute", "second-sheetdata"])
def test_what_the_plain_path_declines_the_parser_reads_the_same(tmp_path, change):
    original = {name: parsed for name, _plain, parsed in _both(SAMPLE)}
    changed = _sheet_with(SAMPLE, tmp_path, change)
    pkg = XlsxPackage(changed)
    info = pkg.sheet("ผลการดำเนินการ")
    with pytest.raises(xlsxread._NotPlain):
        pkg._plain_sheet(pkg._xml(info.part), 1000, 60, pkg.shared_strings(), pkg.date_styles())
    assert pkg.read_sheet("ผลการดำเนินการ", 1000, 60) == original["ผลการดำเนินการ"]


def test_protection_is_read_the_same_both_ways(tmp_path):
    unprotected = _sheet_with(SAMPLE, tmp_path, lambda x: x.replace(b'sheet="1"', b'sheet="0"', 1))
    for _name, plain, parsed in _both(unprotected):
        if plain is not None:
            assert plain.protected == parsed.protected
    assert not XlsxPackage(unprotected).read_sheet("ผลการดำเนินการ", 10, 5).protected
    assert XlsxPackage(SAMPLE).read_sheet("ผลการดำเนินการ", 10, 5).protected


def test_other_encodings_are_refused_and_utf16_is_read(tmp_path):
    def to_utf16(xml):
        return ('<?xml version="1.0" encoding="UTF-16"?>' + xml.decode("utf-8")).encode("utf-16")

    utf16 = _sheet_with(SAMPLE, tmp_path, to_utf16)
    assert XlsxPackage(utf16).read_sheet("ผลการดำเนินการ", 1000, 60) == \
        XlsxPackage(SAMPLE).read_sheet("ผลการดำเนินการ", 1000, 60)
    latin = _sheet_with(SAMPLE, tmp_path, lambda x: b'<?xml version="1.0" encoding="cp500"?>' + x)
    with pytest.raises(XlsxError, match="cp500"):
        XlsxPackage(latin).read_sheet("ผลการดำเนินการ", 10, 5)


# --------------------------------------------------------------------------- cells as Excel reads them

FORM, TABLE = "ข้อมูลหน่วยงาน", "มาตรการ"


def _with_cell(path, tmp_path, sheet, ref, xml):
    """A copy of ``path`` whose cell ``ref`` on ``sheet`` is replaced by raw ``xml``."""
    import re

    part = XlsxPackage(path).sheet(sheet).part
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    out = tmp_path / f"cell-{ref}-{abs(hash(xml)) % 10**8}.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data, n = pattern.subn(xml.encode(), data, count=1)
                assert n == 1, f"no cell {ref}"
            dst.writestr(info, data)
    return out


@pytest.mark.parametrize("formula", [
    '<f t="shared" si="0"/>',                 # every cell of a filled-down formula but the first
    '<f t="shared" ref="D4:D9" si="0">A1</f>',
    '<f t="array" ref="D4"/>',
    '<f t="array" ref="D4">A1:A2</f>',
    '<f></f>',
    '<f/>',
])
def test_every_form_of_formula_is_a_formula(filled, tmp_path, formula):
    import itaxl

    for sheet, ref in ((FORM, "B22"), (TABLE, "D4")):
        path = _with_cell(filled(), tmp_path, sheet, ref,
                          f'<c r="{ref}" t="str">{formula}<v>cached text from the formula</v></c>')
        sub = itaxl.read(path)
        assert (sheet, ref) in [(p.sheet, p.cell) for p in sub.problems if p.code == "formula-in-cell"]
        values = [*sub.header.values(), *(m.measure for m in sub.measures)]
        assert "cached text from the formula" not in values  # the cached result is never data


def test_an_error_value_is_a_problem_not_text(filled, tmp_path):
    import itaxl

    path = _with_cell(filled(), tmp_path, FORM, "B22", '<c r="B22" t="e"><v>#N/A</v></c>')
    sub = itaxl.read(path)
    problem = next(p for p in sub.problems if p.cell == "B22")
    assert problem.code == "error-value-in-cell" and "#N/A" in problem.message_en
    assert sub.header.get("reporter_name") is None


@pytest.mark.parametrize("xml, expected", [
    ('<c r="D4" t="inlineStr"><is><t>บรรทัดหนึ่ง_x000D_\nบรรทัดสอง</t></is></c>', "บรรทัดหนึ่ง\r\nบรรทัดสอง"),
    ('<c r="D4" t="inlineStr"><is><r><t>ก_x0041_</t></r><r><t>ข</t></r></is></c>', "กAข"),
    ('<c r="D4" t="inlineStr"><is><t>_x005F_x0041_</t></is></c>', "_x0041_"),
    ('<c r="D4" t="str"><v>ค_x0009_ง</v></c>', "ค\tง"),
])
def test_escapes_are_decoded_as_excel_does(filled, tmp_path, xml, expected):
    path = _with_cell(filled(), tmp_path, TABLE, "D4", xml)
    assert XlsxPackage(path).read_sheet(TABLE, 10, 10).cells[(4, 3)].value == expected


def test_escapes_in_shared_strings_are_decoded_both_ways(tmp_path):
    path = ROOT / "templates" / "measures-2570-blank.xlsx"  # XlsxWriter writes shared strings
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml")
    assert b"<si><t>" in sst
    escaped = sst.replace(b"<si><t>", b"<si><t>_x000D_", 1)
    out = tmp_path / "escaped.xlsx"
    from .test_hostile import rezip

    rezip(path, out, replace={"xl/sharedStrings.xml": escaped})
    plain = XlsxPackage(out).shared_strings()
    commented = tmp_path / "escaped-parser.xlsx"
    rezip(path, commented, replace={"xl/sharedStrings.xml": escaped.replace(b"<si>", b"<!-- x --><si>", 1)})
    assert plain == XlsxPackage(commented).shared_strings()
    assert plain[0].startswith("\r") and not any("_x000D_" in s for s in plain)
