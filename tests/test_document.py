"""`itaxl report -o X.docx`: the official report as the Word document offices publish and edit.

Read back with python-docx: what it says, in which font, in which digits, laid out how.
How LibreOffice prints it is in tests/test_render.py.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

import itaxl
from itaxl import official, samples
from itaxl.cli import cli
from itaxl.schema import OFFICE_TYPE_BY_NAME, STATUS_LABELS
from itaxl.thai import thai_digits_in_text

from .conftest import document_text, good_rows

CORRECTED = samples.CORRECTED_DIR
INBOX = samples.INBOX_DIR
DOCUMENTS = sorted(p.relative_to(CORRECTED.parent).as_posix() for p in [*INBOX.glob("*.xlsx"), *CORRECTED.glob("*.xlsx")])


def _document(source, tmp_path, name="report.docx", **options):
    (path,), problems = itaxl.report(source, tmp_path / name, **options)
    return path, docx.Document(str(path)), problems


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _column_text(document) -> str:
    """The tables' text column by column, down the tables in turn: a measure cut between the
    main table and the last rows' own table reads whole."""
    columns: dict[int, list[str]] = {}
    for table in document.tables:
        for row in table.rows:
            for n, cell in enumerate(row.cells):
                columns.setdefault(n, []).append(cell.text)
    return "\n".join("".join(texts) for texts in columns.values())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_document_holds_every_measure_in_thai_digits(name, tmp_path):
    """Each sample as the office sent it (mistakes included) and as corrected."""
    path, document, problems = _document(CORRECTED.parent / name, tmp_path)
    sub = itaxl.read(CORRECTED.parent / name)
    text = _squash(_all_text(document) + _column_text(document))
    assert _squash(sub.spec.table.title_th) in text
    assert _squash(official._office_name(sub.header)) in text
    for m in sub.measures:
        for key in ("measure", "method", "result", "outcome", "responsible"):
            assert _squash(thai_digits_in_text(getattr(m, key))) in text, (m.row, key)
    assert problems == sub.problems
    # no cell mixes Arabic and Thai digits: an Arabic digit stands only in a code or a link
    for cell_text in _all_text(document).split("\n"):
        assert not re.search(r"(?<![A-Za-z0-9/.:_-])[0-9]+(?![0-9A-Za-z])", cell_text), cell_text


def test_thai_is_set_as_a_complex_script_in_the_document_font():
    """Word takes Thai's font from w:cs and its size from w:szCs: both are set once, for every run."""
    sub = itaxl.read(CORRECTED / "measures-2566-6311805.xlsx")
    document = docx.Document(io.BytesIO(official.build(sub)))
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == fonts.get(qn("w:ascii")) == official.FONT
    assert defaults.find(qn("w:szCs")).get(qn("w:val")) == str(2 * official.BODY_SIZE)
    assert defaults.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    section = document.sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    # every table run is at the table's size, 14 pt or more
    sizes = {r.font.size.pt for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs if r.text.strip() and r.font.size}
    assert sizes and min(sizes) >= 14


def test_the_measures_document_analyses_the_result_by_indicator(tmp_path):
    source = CORRECTED / "measures-2566-6311805.xlsx"
    _, document, _ = _document(source, tmp_path)
    sub = itaxl.read(source)
    rating = sub.framework.rating
    analysis = document.tables[0]
    rows = [[c.text for c in row.cells] for row in analysis.rows]
    assert len(rows) == 1 + len(sub.framework.indicators)
    for indicator, row in zip(sub.framework.indicators, rows[1:]):
        score = sub.header[f"score_{indicator.number}"]
        assert row[0].startswith(thai_digits_in_text(f"{indicator.number}. {indicator.name_th}"))
        assert ("ต่ำกว่าเกณฑ์" if score < rating.pass_mark else "ผ่านเกณฑ์") in row
        answered = [thai_digits_in_text(str(m.number)) for m in sub.measures if m.indicator == indicator.number]
        assert row[-1] == ", ".join(answered)
    opening = next(p.text for p in document.paragraphs if p.text.startswith("ตามที่"))
    assert thai_digits_in_text(str(sub.header["total_score"])) in opening
    assert thai_digits_in_text(f"{rating.pass_mark:g}") in opening
    # the measures under their indicators, the table's header repeated on every page
    table = document.tables[1]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    groups = [row.cells[0].text for row in table.rows if len({id(c._tc) for c in row.cells}) == 1]
    numbers = sorted({m.indicator for m in sub.measures})
    assert [g.split(" (")[0] for g in groups] == [
        f"ตัวชี้วัดที่ {thai_digits_in_text(str(n))} {sub.framework.indicator(n).name_th}" for n in numbers]
    # the approval of the head of the office, named for the office's type
    office_type = OFFICE_TYPE_BY_NAME[sub.header["org_type"]]
    signatures = _all_text(document)
    assert "ผู้อนุมัติ" in signatures and office_type.head_of(sub.header["org_name"]) in signatures
    assert "นายกองค์การบริหารส่วนตำบลโคกสนวน" in signatures


def test_the_signatures_go_with_the_last_lines_of_the_last_measure(tmp_path):
    """The last measure's last line and the signatures are a table of their own, never split,
    kept with what follows, so that no page holds only signatures."""
    _, document, _ = _document(CORRECTED / "progress-2566-6311805-r6.xlsx", tmp_path)
    tail = document.tables[-1]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in tail.rows)
    last_measure, signatures = tail.rows[0], tail.rows[-1]
    assert any(c.text.strip() for c in last_measure.cells)
    assert all(p.paragraph_format.keep_with_next for c in last_measure.cells for p in c.paragraphs)
    assert "ผู้รายงาน" in signatures.cells[0].text and "ผู้ตรวจรายงาน" in signatures.cells[0].text


def test_evidence_links_are_shown_as_links(filled_progress, tmp_path):
    source = filled_progress()
    path, document, _ = _document(source, tmp_path)
    url = "https://www.khoksanuan.go.th/news/123"
    label = itaxl.read(source).spec.table.field("evidence_url").label_th
    spanning = [row.cells[0].text for t in document.tables for row in t.rows
                if len({id(c._tc) for c in row.cells}) == 1]
    assert f"{label}: {url}" in spanning
    rels = [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert [r.target_ref for r in rels] == [url]


def test_same_workbook_same_document_and_its_dates_are_the_workbooks(tmp_path):
    source = CORRECTED / "measures-2564-6410124.xlsx"
    a, document, _ = _document(source, tmp_path, "a.docx")
    b, _, _ = _document(source, tmp_path, "b.docx")
    assert a.read_bytes() == b.read_bytes()
    sub = itaxl.read(source)
    props = document.core_properties
    assert props.created == props.modified == sub.modified.replace(microsecond=0)
    assert props.title == sub.spec.table.title_th
    with zipfile.ZipFile(a) as z:
        assert "docProps/thumbnail.jpeg" not in z.namelist()


def test_a_workbook_with_errors_gives_a_draft_and_exit_1(tmp_path):
    draft, clean = tmp_path / "draft.docx", tmp_path / "clean.docx"
    result = CliRunner().invoke(cli, ["report", str(INBOX / "measures-2564-6410124.xlsx"), "-o", str(draft)])
    assert result.exit_code == 1 and draft.exists() and "draft" in result.output
    assert docx.Document(str(draft)).sections[0].header.paragraphs[0].text == official.DRAFT
    done = CliRunner().invoke(cli, ["report", str(CORRECTED / "measures-2564-6410124.xlsx"), "-o", str(clean)])
    assert done.exit_code == 0, done.output
    assert not docx.Document(str(clean)).sections[0].header.paragraphs[0].text


def test_page_numbers_are_fields_in_thai_digits_and_arabic_on_request(tmp_path):
    source = CORRECTED / "measures-2564-6410124.xlsx"
    _, thai, _ = _document(source, tmp_path, "thai.docx")
    footer = thai.sections[0].footer._element
    assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert thai.sections[0]._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")) == official.PAGE_NUMBERS
    _, arabic, _ = _document(source, tmp_path, "arabic.docx", thai_digits=False)
    assert not re.search("[๐-๙]", _all_text(arabic))
    assert arabic.sections[0]._sectPr.find(qn("w:pgNumType")) is None


def test_no_text_becomes_a_field_or_a_formula(filled, tmp_path):
    """Text from a submission is text: a cell starting with = or holding a field code stays w:t."""
    rows = good_rows()
    rows[0]["method"] = '=HYPERLINK("http://x.example","y")'
    rows[1]["monitoring"] = "{ PAGE } DDEAUTO c:\\windows\\system32\\cmd.exe"
    path, document, _ = _document(filled(rows=rows), tmp_path)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "instrText" not in xml and "fldSimple" not in xml and "fldChar" not in xml
    assert "=HYPERLINK" in _all_text(document) and "DDEAUTO" in _all_text(document)


@pytest.mark.parametrize("name", ["r.pdf", "r.xlsx"])
def test_the_cli_refuses_another_kind_of_output(name, tmp_path):
    result = CliRunner().invoke(cli, ["report", str(CORRECTED / "measures-2564-6410124.xlsx"),
                                      "-o", str(tmp_path / name)])
    assert result.exit_code == 2 and ".docx" in result.output and not (tmp_path / name).exists()


def test_the_opening_paragraph_counts_the_measures_by_status_as_the_readme_shows(tmp_path):
    source = CORRECTED / "progress-2566-6311805-r6.xlsx"
    _, document, _ = _document(source, tmp_path)
    sub = itaxl.read(source)
    opening = next(p.text for p in document.paragraphs if p.text.startswith("ตามที่"))
    counts = {label: sum(m.status == status for m in sub.measures) for status, label in STATUS_LABELS.items()}
    told = " ".join(f"{label} {thai_digits_in_text(str(n))} มาตรการ" for label, n in counts.items() if n)
    assert f"จึงขอรายงานผลการดำเนินการ ({told}) ดังนี้" in opening
    readme = (CORRECTED.parent.parent / "README.md").read_text("utf-8")
    assert f"({told}) ดังนี้" in readme.replace("\n", "")


def test_the_progress_document_restates_the_plan_and_names_the_round(tmp_path):
    source = INBOX / "progress-2566-prachak-r12.xlsx"
    path, document, _ = _document(source, tmp_path, thai_digits=False)
    headings = [c.text for c in document.tables[0].rows[0].cells]
    assert headings == ["มาตรการ/แนวทาง", "วิธีดำเนินการ", "ระยะเวลา", "ผู้รับผิดชอบ", "สถานะ",
                        "ผลการดำเนินการ", "ผลลัพธ์/ความสำเร็จ"]
    text = document_text(path)
    assert "รอบ 12 เดือน (1 ตุลาคม 2565\u00a0– 30 กันยายน 2566)" in text  # the dash kept with its date
    for role, name in (("ผู้รายงาน", "นายสุรศักดิ์ คำแหวน"), ("ผู้ตรวจรายงาน", "นายสุรศักดิ์ เพ็งภาค")):
        assert role in text and f"({name})" in text


def test_a_tampered_workbook_is_refused_and_nothing_written(tmp_path):
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(cli, ["report", str(INBOX / "broken" / "progress-2565-5210306-r12-edited.xlsx"),
                                      "-o", str(out)])
    assert result.exit_code == 1 and "locked-cell-changed" in result.output and not out.exists()


def test_the_cli_says_when_libreoffice_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("ITAXL_SOFFICE", str(tmp_path / "no-soffice"))
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(cli, ["report", str(CORRECTED / "measures-2564-6410124.xlsx"), "-o", str(out),
                                      "--pdf"])
    assert result.exit_code == 1
    assert "LibreOffice is not installed" in result.output and out.exists() and not out.with_suffix(".pdf").exists()
