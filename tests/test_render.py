"""Every kind of output, printed by LibreOffice and read back from the PDF: what a person sees.

Slow (LibreOffice renders about thirty workbooks); CI runs it. ``python -m
itaxl.rendercheck DIR`` renders the same outputs and writes PNG pages to look at.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import unicodedata
from collections import Counter

import pytest

import itaxl
from itaxl import libreoffice, official, rendercheck, samples, typeset

from .conftest import base_letters, missing

pytestmark = pytest.mark.slow

EM_BOX = 1.3  # a word's box is 1.3 em tall in the document font (Laksaman's ascender and descender)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, rendercheck.Rendered]:
    soffice = libreoffice.find_soffice()
    if not soffice or not libreoffice.has_writer(soffice) or not shutil.which("pdftotext") \
            or not shutil.which("pdftoppm"):
        missing("LibreOffice (Calc and Writer) or poppler-utils")
    out = tmp_path_factory.mktemp("render")
    return {p.name: rendercheck.render(p, out / p.stem, png_dpi=20) for p in rendercheck.outputs(out)}


def test_every_page_is_a4_landscape_and_no_words_overlap(rendered):
    # the templates, an annotated copy, the consolidated workbook, each sample's document sent and corrected
    assert len(rendered) >= 4 + len(list(samples.INBOX_DIR.glob("*.xlsx"))) + len(list(samples.CORRECTED_DIR.glob("*.xlsx")))
    for name, r in rendered.items():
        assert r.pages, name
        assert all(p.a4_landscape for p in r.pages), name
        assert r.overlaps == [], (name, r.overlaps[:3])
        assert list(r.pdf.parent.glob("*.png")), name  # the pages to look at


def test_progress_template_prints_at_ten_points_or_more(rendered):
    r = rendered["progress-2566-6311805-r6-example.xlsx"]
    for n, page in enumerate(r.pages, start=1):
        heights = [w.y1 - w.y0 for w in page.words]
        assert statistics.median(heights) / EM_BOX >= 10, n


def test_consolidated_summary_is_one_page(rendered):
    r = rendered["consolidated.xlsx"]
    first, second = r.pages[0].text, r.pages[1].text
    assert "รายงานสรุป" in first and "หน่วยงานที่ต้องส่ง" in first and "สรุป" not in second.split()[0]
    assert second.startswith("รหัส")  # the next sheet (หน่วยงาน) starts on page 2
    for name in ("สุนทรภู่", "โคกสะอาด", "เมืองแกลง"):
        assert base_letters(name) in base_letters(r.text)


def test_the_guide_shows_the_example_one_field_a_line(rendered):
    r = rendered["measures-2570-blank.xlsx"]
    guide = r.pages[0]
    number = next(w for w in guide.words if w.text == "1")
    indicator = next(w for w in guide.words if w.text == "4")
    assert indicator.y0 > number.y1  # on separate lines: "1" no longer stands against "4 การใช้…"


# --------------------------------------------------------------------------- the Word documents


def _documents(rendered) -> dict[str, rendercheck.Rendered]:
    return {name: r for name, r in rendered.items() if name.startswith("document-")}


def _reach(page: rendercheck.Page, top: float, bottom: float) -> float:
    """How far down its body a page's text reaches, from 0 (the top margin) to 1 (the bottom
    margin); the page header (ร่าง) and the page number are outside the body."""
    top_pt, bottom_pt = 72 * top, page.height - 72 * bottom
    body = [w for w in page.words if w.y0 >= top_pt - 2 and w.y1 <= bottom_pt + 2]
    return (max(w.y1 for w in body) - top_pt) / (bottom_pt - top_pt) if body else 0.0


def _drafted(name: str) -> bool:
    """Whether the document ``document-<folder>-<sample>.docx`` is a draft: its workbook has errors."""
    folder, sample = name.removeprefix("document-").removesuffix(".docx").split("-", 1)
    return not itaxl.read(samples.SAMPLES_DIR / folder / f"{sample}.xlsx").valid


def test_documents_fill_every_page_but_the_last(rendered):
    documents = _documents(rendered)
    assert len(documents) == len(list(samples.INBOX_DIR.glob("*.xlsx"))) + len(list(samples.CORRECTED_DIR.glob("*.xlsx")))
    for name, r in documents.items():
        top = official.MARGIN_TOP_DRAFT if _drafted(name) else official.MARGIN_TOP
        short = [(n, round(_reach(page, top, official.MARGIN_BOTTOM), 2)) for n, page in enumerate(r.pages[:-1], 1)
                 if _reach(page, top, official.MARGIN_BOTTOM) < 0.75]
        assert short == [], name
        # the last page holds more than the signatures: the last lines of the last measure
        last = r.pages[-1]
        signed = min(w.y0 for w in last.words if w.text.startswith("(ลงชื่อ)"))
        assert any(w.y1 < signed - 2 for w in last.words if w.y0 > 72 * top - 2), name
        # every letter of every measure and result is printed (compared as letters: lines break
        # where LibreOffice breaks them)
        folder, sample = name.removeprefix("document-").removesuffix(".docx").split("-", 1)
        sub = itaxl.read(samples.SAMPLES_DIR / folder / f"{sample}.xlsx")
        written = Counter(base_letters("".join(m.measure + (m.result or "") for m in sub.measures)))
        assert not written - Counter(base_letters(r.text)), name
    # office 6311805's measures (fourteen long measures and its analysis) in ten pages or fewer
    assert len(documents["document-corrected-measures-2566-6311805.docx"].pages) <= 10


def test_documents_print_in_the_thai_document_font_at_its_sizes(rendered):
    for name, r in _documents(rendered).items():
        fonts = subprocess.run(["pdffonts", str(r.pdf)], capture_output=True, text=True, check=True).stdout
        names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
        # a fallback font only for what the Thai font does not have (the ☑ an office pasted)
        lacking = {ch for ch in r.text if not ch.isspace() and ch not in typeset._metrics()["regular"]
                   and not unicodedata.combining(ch)}
        assert names <= {"Laksaman", "Laksaman-Bold"} or lacking, (name, names)
        # table text at 14 pt and body text at 16: words' boxes are 1.3 em tall
        heights = [w.y1 - w.y0 for page in r.pages for w in page.words]
        assert statistics.median(heights) / EM_BOX >= official.TABLE_SIZE - 0.5, name


def test_a_draft_says_so_on_every_page(rendered):
    documents = _documents(rendered)
    drafts = [name for name in documents if _drafted(name)]
    assert drafts and len(drafts) < len(documents)
    for name, r in documents.items():
        marked = [official.DRAFT in page.text.split() for page in r.pages]
        assert marked == [name in drafts] * len(r.pages), name
