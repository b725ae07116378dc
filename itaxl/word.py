"""Word documents as itaxl writes them (python-docx): Thai type, tables for paper, page fields.

Word sets Thai as a complex script: a run's Thai takes its font from ``w:rFonts/@w:cs`` and
its size from ``w:szCs``, which python-docx's ``font.name`` and ``font.size`` do not set; a
document that only sets those prints its Thai in the system's fallback font at the default
size.  :func:`new` therefore sets every script's font, size and language once, in the
document defaults, so that body text, table cells, headers and links all inherit them.

Everything here writes text as text: python-docx puts a string into ``w:t``, so nothing a
submission says can become a field or a formula; :func:`clean` drops the characters XML
cannot hold.  :func:`to_bytes` gives the same bytes for the same document.

>>> from itaxl import word
>>> doc = word.new("TH SarabunPSK", 16)
>>> word.text(doc.add_paragraph(), "มาตรการที่ ๑")
>>> len(word.to_bytes(doc, created=None)) > 0
True
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Iterable

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

LANGUAGE = "th-TH"   # the language of Thai (complex-script) text
LATIN = "en-US"      # and of Latin letters and digits: a code such as O43 or a web address keeps its digits
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every part's time in the package: the same document gives the same bytes
LINK_COLOUR = RGBColor(0x1F, 0x4E, 0x99)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)

CENTRE = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
THAI_JUSTIFY = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY


def clean(text: str) -> str:
    """``text`` without the control characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


# The order the schema gives the children of the properties this module writes: Word refuses a
# document whose properties come in another order.
_ORDER = {
    "w:rPr": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:sz", "w:szCs", "w:u", "w:lang"),
    "w:tblPr": ("w:tblStyle", "w:tblW", "w:jc", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
                "w:tblCellMar", "w:tblLook"),
    "w:trPr": ("w:cantSplit", "w:trHeight", "w:tblHeader"),
    "w:tcPr": ("w:tcW", "w:gridSpan", "w:vMerge", "w:tcBorders", "w:shd", "w:tcMar", "w:vAlign"),
    "w:tcBorders": ("w:top", "w:left", "w:bottom", "w:right"),
    "w:tblBorders": ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"),
    "w:tblCellMar": ("w:top", "w:left", "w:bottom", "w:right"),
}


def _set(parent, tag: str, **attrs: str):
    """The child ``tag`` of ``parent`` (made when missing, in its place), with ``attrs`` set."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = next((o for name, o in _ORDER.items() if parent.tag == qn(name)), None)
        later = order[order.index(tag) + 1:] if order and tag in order else ()
        following = next((c for c in parent if c.tag in {qn(t) for t in later}), None)
        if following is not None:
            following.addprevious(child)
        else:
            parent.append(child)
    for name, value in attrs.items():
        child.set(qn(f"w:{name}"), value)
    return child


def new(font: str, size: float, *, landscape: bool = True, margins: tuple[float, float, float] = (0.5, 0.6, 0.7),
        header_footer: float = 0.3) -> DocumentType:
    """An empty A4 document whose every run is ``font`` at ``size`` points in every script, Thai
    by language, single-spaced with no space after paragraphs; ``margins`` are (side, top,
    bottom) in inches."""
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = _set(rpr, "w:rFonts")
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), font)
    _set(rpr, "w:sz", val=str(round(size * 2)))
    _set(rpr, "w:szCs", val=str(round(size * 2)))
    _set(rpr, "w:lang", val=LATIN, eastAsia=LANGUAGE, bidi=LANGUAGE)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(ppr, "w:spacing", after="0", line="240", lineRule="auto")
    section = doc.sections[0]
    section.page_width, section.page_height = Pt(595.3), Pt(841.9)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    side, top, bottom = (Pt(72 * m) for m in margins)
    section.left_margin = section.right_margin = side
    section.top_margin, section.bottom_margin = top, bottom
    section.header_distance = section.footer_distance = Pt(72 * header_footer)
    # No picture of python-docx's own template rides along as the document's thumbnail.
    package_rels = doc.part.package.rels
    for key, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[key]
    return doc


def text(paragraph: Paragraph, value: str, *, bold: bool = False, size: float | None = None) -> None:
    """Append ``value`` to ``paragraph`` as text, its line feeds as line breaks and its web
    addresses as links."""
    value = clean(value)
    at = 0
    for found in _URL.finditer(value):
        _plain(paragraph, value[at:found.start()], bold, size)
        link(paragraph, found.group(0), bold=bold, size=size)
        at = found.end()
    _plain(paragraph, value[at:], bold, size)


def _plain(paragraph: Paragraph, value: str, bold: bool, size: float | None) -> None:
    if not value:
        return
    run = paragraph.add_run(value)  # python-docx writes line feeds as breaks
    if bold:
        run.bold = True
        _set(run._r.get_or_add_rPr(), "w:bCs")
    if size is not None:
        _size(run._r.get_or_add_rPr(), size)


def _size(rpr, size: float) -> None:
    _set(rpr, "w:sz", val=str(round(size * 2)))
    _set(rpr, "w:szCs", val=str(round(size * 2)))


def link(paragraph: Paragraph, url: str, *, label: str | None = None, bold: bool = False,
         size: float | None = None) -> None:
    """A link to ``url`` (its text ``label``, or the address itself)."""
    rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if bold:
        _set(rpr, "w:b")
        _set(rpr, "w:bCs")
    _set(rpr, "w:color", val=str(LINK_COLOUR))
    if size is not None:
        _size(rpr, size)
    _set(rpr, "w:u", val="single")
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = clean(label if label is not None else url)
    run.append(t)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def field(paragraph: Paragraph, code: str, shown: str = "1", *, size: float | None = None) -> None:
    """A field (``PAGE``, ``NUMPAGES``) that the word processor fills in, ``shown`` until it
    does; its digits are Thai text by language, so that they can be drawn in Thai digits."""
    def run(kind: str, text: str | None = None) -> None:
        r = paragraph.add_run()
        if size is not None:
            _size(r._r.get_or_add_rPr(), size)
        _set(r._r.get_or_add_rPr(), "w:lang", val=LANGUAGE, bidi=LANGUAGE)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        elif kind == "text":
            r.text = text or ""
            return
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        r._r.append(element)

    run("begin")
    run("instr")
    run("separate")
    run("text", shown)
    run("end")


def page_numbers(doc: DocumentType, fmt: str) -> None:
    """Number the pages in ``fmt`` (an OOXML number format such as ``thaiNumbers``)."""
    sect = doc.sections[0]._sectPr
    numbering = sect.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sect.find(qn("w:cols")).addprevious(numbering)  # its place in the schema's order
    numbering.set(qn("w:fmt"), fmt)


def paragraph_format(paragraph: Paragraph, *, align=None, before: float = 0, after: float = 0,
                     line: float | None = None, keep_with_next: bool = False,
                     first_line: float | None = None) -> Paragraph:
    """Set ``paragraph``'s alignment, spacing before and after and its exact line pitch in
    points, first-line indent and keep-with-next."""
    f = paragraph.paragraph_format
    if align is not None:
        f.alignment = align
    f.space_before, f.space_after = Pt(before), Pt(after)
    if line is not None:
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = Pt(line)
    if keep_with_next:
        f.keep_with_next = True
    if first_line is not None:
        f.first_line_indent = Pt(first_line)
    return paragraph


def centred_tabs(paragraph: Paragraph, positions: Iterable[float]) -> None:
    """Centred tab stops at ``positions`` points from the left margin."""
    for position in positions:
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(position), WD_TAB_ALIGNMENT.CENTER)


def table(doc: DocumentType, widths: list[float], *, padding: tuple[float, float] = (2.0, 4.0),
          borders: bool = True) -> Table:
    """A table of ``len(widths)`` columns of the given widths in points, laid out at those
    widths, with ``padding`` (top and bottom, left and right) in points inside each cell."""
    t = doc.add_table(rows=0, cols=len(widths))
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    _set(tbl_pr, "w:tblW", w=str(round(sum(widths) * 20)), type="dxa")
    _set(tbl_pr, "w:tblLayout", type="fixed")
    margins = _set(tbl_pr, "w:tblCellMar")
    vertical, horizontal = (str(round(p * 20)) for p in padding)
    for side, value in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)):
        _set(margins, f"w:{side}", w=value, type="dxa")
    if borders:
        edges = _set(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _set(edges, f"w:{side}", val="single", sz="4", space="0", color="000000")
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(round(w * 20)))
    return t


def add_row(t: Table, widths: list[float]) -> _Row:
    """A new row whose cells carry their widths (Word reads a cell's own width, not the grid's)."""
    row = t.add_row()
    for cell, w in zip(row.cells, widths):
        cell.width = Pt(w)
    return row


def span(row: _Row) -> _Cell:
    """``row``'s cells merged into one across the table's width."""
    return row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]


def repeat_as_header(row: _Row) -> None:
    """Print ``row`` at the top of every page the table runs onto, and never split it."""
    tr_pr = row._tr.get_or_add_trPr()
    _set(tr_pr, "w:tblHeader")
    _set(tr_pr, "w:cantSplit")


def keep_whole(row: _Row) -> None:
    """Never split ``row`` across pages."""
    _set(row._tr.get_or_add_trPr(), "w:cantSplit")


def open_edge(cell: _Cell, side: str) -> None:
    """Draw no border on ``side`` (top, bottom) of ``cell``: two rows that read as one."""
    borders = _set(cell._tc.get_or_add_tcPr(), "w:tcBorders")
    _set(borders, f"w:{side}", val="nil")


def shade(cell: _Cell, fill: str) -> None:
    """Fill ``cell`` with the colour ``fill`` (hex, ``F2F2F2``)."""
    _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=fill)


def cell_paragraph(cell: _Cell) -> Paragraph:
    """The cell's first paragraph (every new cell has one, empty)."""
    return cell.paragraphs[0]


def to_bytes(doc: DocumentType, *, created: datetime.datetime | None, title: str = "", author: str = "") -> bytes:
    """The document as .docx bytes that depend on its content alone: its properties set from
    ``created`` (the date of what it shows, not of this run) and every part stored with one
    fixed time."""
    props = doc.core_properties
    when = created or datetime.datetime(2000, 1, 1)
    if when.tzinfo is not None:  # the package stores UTC
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    when = when.replace(microsecond=0)
    props.created = props.modified = when
    props.title, props.author, props.last_modified_by = title, author, author
    props.comments, props.revision = "", 1
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stored = zipfile.ZipInfo(info.filename, ZIP_TIME)
            stored.compress_type = zipfile.ZIP_DEFLATED
            stored.external_attr = 0o644 << 16
            target.writestr(stored, source.read(info.filename))
    return out.getvalue()
