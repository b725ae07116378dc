"""Locked Excel templates, written with XlsxWriter from the schema.

>>> import itaxl.templates
>>> path = itaxl.templates.measures("6311805", 2567, "measures.xlsx")  # doctest: +SKIP

Every template has an instructions sheet, a form sheet, a table sheet, a hidden
sheet of dropdown lists and a veryHidden metadata sheet.  Only input cells are
unlocked; every sheet is protected and so is the workbook structure.  The same
arguments always give byte-identical files.
"""

from __future__ import annotations

import datetime
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from xlsxwriter.workbook import Workbook

from . import __version__
from . import typeset
from .atomic import check_output, write_bytes
from .cells import formula_like
from .inputs import shown
from .errors import SourceInvalidError, UsageError
from .problems import breaks_integrity
from .metadata import (
    MANIFEST_FIRST_ROW, MANIFEST_MARKER, Metadata, canonical, fingerprint, manifest_cells, manifest_value,
    mode_for, plan_fingerprint,
)
from .registry import Office, get as get_office, lookup as lookup_office
from .framework import SHIPPED, Catalogue, Framework, assessed_year
from .fieldtypes import Choice, Url
from .schema import (
    EXAMPLE_INDICATOR, EXAMPLE_ROW,
    ROUNDS, SHEET_GUIDE, SHEET_LISTS, SHEET_META,
    Field, FormSheet, Kind, Layout, Status, TableSheet, TemplateSpec, choice_lists, default_layout, newest_layout,
    spec_for,
)
from .thai import be_to_ce, fiscal_year_of, format_period, round_bounds
from .utility import cell_ref, column_letter

if TYPE_CHECKING:
    from .reader import Submission

FONT = "TH SarabunPSK"
FONT_SIZE = 16
INPUT_COLOUR = "#FFF7D6"   # pale yellow: type here
LOCKED_COLOUR = "#EDEDED"  # grey: filled by itaxl
HEADER_COLOUR = "#D9E7F5"
# Row heights in points: one line of 16 pt Thai, with vowels above and below, needs ~26.
ROW_HEIGHT = 26
TITLE_HEIGHT = 36
INPUT_ROW_HEIGHT = 54  # two lines; offices may resize rows (format_rows is allowed)
PARAGRAPH_ROW_HEIGHT = 2 * INPUT_ROW_HEIGHT  # a form cell for paragraphs (the analysis): four lines

__all__ = ["measures", "measures_batch", "build_measures", "file_name_for"]


class _Workbook(Workbook):
    """XlsxWriter's Workbook plus workbook-structure protection, which it has no API for."""

    lock_structure_hash: str | None = None

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        if self.lock_structure_hash is not None:
            attributes = [("lockStructure", 1)]
            if self.lock_structure_hash:
                attributes.insert(0, ("workbookPassword", self.lock_structure_hash))
            self._xml_empty_tag("workbookProtection", attributes)


def _legacy_password_hash(password: str) -> str:
    """The 16-bit password verifier Excel stores for sheet and workbook protection."""
    digest = 0
    for char in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


@dataclass
class _Writer:
    """Shared state while one template is written: formats and the locked-cell manifest."""

    book: _Workbook
    fiscal_year: int
    framework: Framework
    password: str
    manifest: list[tuple[str, str, str]] = field(default_factory=list)
    formats: dict[str, Any] = field(default_factory=dict)
    field_formats: dict[str, dict[str, Any]] = field(default_factory=dict)

    def fmt(self, name: str, value: object = None) -> Any:
        """The named format; its quote-prefixed twin for text that a spreadsheet would
        otherwise take for a formula when the cell is edited (= + - @)."""
        if isinstance(value, str) and formula_like(value):
            name += "+quote"
        if name not in self.formats:
            base = name.removesuffix("+quote")
            props = (_FORMATS.get(base) or self.field_formats[base]) | ({"quote_prefix": True} if name != base else {})
            self.formats[name] = self.book.add_format(props)
        return self.formats[name]

    def field_format(self, f: Field, *, locked: bool) -> str:
        """The name of a field's cell format: grey and locked, or yellow for input, with the
        number format and alignment of the field's type."""
        props = _LOCKED if locked else _INPUT
        props = props | f.type.cell_format(locked=locked)
        name = repr(sorted(props.items()))
        self.field_formats.setdefault(name, props)
        return name

    def text(self, sheet: Any, row: int, col: int, value: object, fmt: str) -> None:
        """Write a value (1-based row, 0-based column); text always as text, never a formula."""
        if isinstance(value, str):
            sheet.write_string(row - 1, col, value, self.fmt(fmt, value))
        elif value is None:
            sheet.write_blank(row - 1, col, None, self.fmt(fmt))
        else:
            sheet.write(row - 1, col, value, self.fmt(fmt))

    def locked(self, sheet: Any, row: int, col: int, value: object, fmt: str = "locked") -> None:
        """Write a locked cell (1-based row, 0-based column) and record it in the manifest."""
        self.text(sheet, row, col, value, fmt)
        self.manifest.append((sheet.name, cell_ref(row, col), manifest_value(canonical(value))))

    def protect(self, sheet: Any) -> None:
        sheet.protect(self.password, {"format_columns": True, "format_rows": True})


_BASE = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top"}
_BOX = {**_BASE, "border": 1, "text_wrap": True}
_LOCKED = {**_BOX, "bg_color": LOCKED_COLOUR}
_INPUT = {**_BOX, "bg_color": INPUT_COLOUR, "locked": False}
_FORMATS: dict[str, dict[str, Any]] = {
    "title": {**_BASE, "bold": True, "font_size": 20, "valign": "vcenter"},
    "subtitle": {**_BASE, "bold": True, "font_size": 16, "valign": "vcenter"},
    "plain": {**_BASE, "text_wrap": True},
    "help": {**_BASE, "font_size": 14, "italic": True, "font_color": "#595959", "text_wrap": True},
    "legend": {**_BASE, "font_size": 14, "italic": True, "font_color": "#595959"},
    "header": {**_BOX, "bold": True, "bg_color": HEADER_COLOUR, "align": "center", "valign": "vcenter"},
    "label": {**_BOX, "bold": True, "bg_color": HEADER_COLOUR},
    "locked": {**_BOX, "bg_color": LOCKED_COLOUR, "num_format": "@"},
    "example": {**_BOX, "bg_color": "#E2EFDA"},
}


def _cell_value(f: Field, value: object, framework: Framework) -> object:
    """What a value looks like in its cell: indicators and statuses as their dropdown text."""
    if value is None or value == "":
        return None
    if f.choices == "indicator" and isinstance(value, int) and (indicator := framework.indicator(value)):
        return indicator.label
    if isinstance(value, Status):
        return value.label_th
    return value


def _validation(f: Field, fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
    """The data validation of an input field: its type's dropdown or range, and its Thai help."""
    return {
        "input_title": f.label_th[:32],
        "input_message": (f.help_th or f.label_th)[:255],
        "error_title": "ค่าไม่ถูกต้อง",
    } | f.type.validation(f, fiscal_year, date_window=date_window)


# --------------------------------------------------------------------------- sheets


def _write_lists(w: _Writer) -> None:
    sheet = w.book.add_worksheet(SHEET_LISTS)
    for col, (name, values) in enumerate(sorted(choice_lists(w.framework).items())):
        sheet.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, col, value)
        letter = column_letter(col)
        w.book.define_name(Choice.list_name(name), f"='{SHEET_LISTS}'!${letter}$2:${letter}${len(values) + 1}")
    sheet.hide()
    w.protect(sheet)


def _setup_print(sheet: Any, *, repeat_row: int | None = None, area: tuple[int, int, int, int] | None = None,
                 pages_wide: int = 1, repeat_columns: int | None = None) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(pages_wide, 0)
    if repeat_columns is not None:
        sheet.repeat_columns(0, repeat_columns)
    if pages_wide > 1:
        # Across, then down: a band of measures prints its plan and then its cells to fill on
        # the next page (down first put the plan on pages 4-12 and the answers on 13-21).
        sheet.print_across()
    # A table printed in strips carries its title in the page header (two lines): room for it.
    sheet.set_margins(left=0.5, right=0.5, top=1.15 if pages_wide > 1 else 0.6, bottom=0.6)
    sheet.set_footer("&C&\"TH SarabunPSK\"&14หน้า &P / &N")
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row - 1)
    if area is not None:
        sheet.print_area(*area)


def _write_form(w: _Writer, form: FormSheet, prefilled: dict[str, object], office_keys: frozenset[str]) -> None:
    """The key/value sheet: labels locked, values locked when itaxl knows them.

    The office's identity (``office_keys``) is locked once itaxl knows it; every other
    pre-filled value (the assessed year FY − 1, answers carried forward to round 12) stays
    editable."""
    sheet = w.book.add_worksheet(form.name)
    sheet.set_default_row(ROW_HEIGHT)
    sheet.set_row(0, TITLE_HEIGHT)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 2, 58)
    w.locked(sheet, 1, 0, form.title_th, "title")
    for f in form.fields:
        row = form.row_of(f.key)
        w.locked(sheet, row, 0, f.label_th + (" *" if f.required else ""), "label")
        value = _cell_value(f, prefilled.get(f.key), w.framework)
        if f.locked or (value is not None and f.key in office_keys):
            w.locked(sheet, row, 1, value, w.field_format(f, locked=True))
        else:
            w.text(sheet, row, 1, value, w.field_format(f, locked=False))
            sheet.data_validation(row - 1, 1, row - 1, 1,
                                  _validation(f, w.fiscal_year, date_window=False))
        sheet.write_string(row - 1, 2, f.help_th, w.fmt("help"))
        if f.type.paragraphs:
            sheet.set_row(row - 1, PARAGRAPH_ROW_HEIGHT)
    last = form.row_of(form.fields[-1].key)
    # Across the three columns and unwrapped: in column A alone it was cut after "ช่องสีเทา =".
    sheet.merge_range(last, 0, last, 2, "* ต้องกรอก   ช่องสีเหลือง = ให้หน่วยงานกรอก   ช่องสีเทา = ล็อกไว้",
                      w.fmt("legend"))
    sheet.freeze_panes(form.first_row - 1, 0)
    _setup_print(sheet, area=(0, 0, last, 2))
    sheet.activate()
    w.protect(sheet)


_CARRIED_HEADER = ("reporter_name", "reporter_position", "reviewer_name", "reviewer_position")


def _write_table(w: _Writer, spec: TemplateSpec, rows: int, subtitle: str,
                 values: list[dict[str, object]] = ()) -> None:
    """The table: locked plan cells go to the manifest; input cells may be pre-filled (still editable)."""
    table: TableSheet = spec.table
    sheet = w.book.add_worksheet(table.name)
    last_col = len(table.columns) - 1
    title = f"{table.title_th} ประจำปีงบประมาณ พ.ศ. {w.fiscal_year}"
    sheet.merge_range(0, 0, 0, last_col, None)
    sheet.merge_range(1, 0, 1, last_col, None)
    w.locked(sheet, 1, 0, title, "title")
    w.locked(sheet, 2, 0, subtitle, "subtitle")
    strips = table.print_pages_wide > 1
    if strips:
        # Printed in strips, the title rows would be cut by the repeated columns: on paper the
        # title and the office go in the page header instead, on every page.
        sheet.set_header(f'&C&"{FONT},Bold"&16{_header_text(title)}\n&"{FONT}"&14{_header_text(subtitle)}',
                         {"margin": 0.3})
    sheet.set_row(0, TITLE_HEIGHT)
    sheet.set_row(1, ROW_HEIGHT)
    visible = table.visible_columns
    sheet.set_row(table.header_row - 1, max(2 * ROW_HEIGHT, typeset.fit_row(
        ((f.label_th, f.width) for f in visible), FONT_SIZE, bold=True)))
    for col, f in enumerate(table.columns):
        sheet.set_column(col, col, f.width, None, {"hidden": f.key in table.hidden})
        w.locked(sheet, table.header_row, col, f.label_th, "header")
    first, last = table.first_data_row, table.first_data_row + rows - 1
    for index in range(rows):
        row = first + index
        data = values[index] if index < len(values) else {}
        # Tall enough for the plan (and answers carried forward) to show whole, with room to type.
        shown = ((typeset.displayed(_cell_value(f, data.get(f.key), w.framework)), f.width) for f in visible)
        sheet.set_row(row - 1, max(INPUT_ROW_HEIGHT, typeset.fit_row(shown, FONT_SIZE)))
        for col, f in enumerate(table.columns):
            value = _cell_value(f, data.get(f.key), w.framework)
            if f.locked:
                w.locked(sheet, row, col, value, w.field_format(f, locked=True))
            else:
                w.text(sheet, row, col, value, w.field_format(f, locked=False))
    for col, f in enumerate(table.columns):
        if f.is_input:
            sheet.data_validation(first - 1, col, last - 1, col, _validation(f, w.fiscal_year, date_window=True))
    sheet.freeze_panes(table.header_row, 0)
    _setup_print(sheet, repeat_row=table.header_row,
                 area=(table.header_row - 1 if strips else 0, 0, last - 1, last_col),
                 pages_wide=table.print_pages_wide,
                 repeat_columns=table.column_of("measure") if strips else None)
    w.protect(sheet)


def _header_text(text: str) -> str:
    """Text for a page header: its ampersands doubled (a lone & starts a code)."""
    return text.replace("&", "&&")


_GUIDE_STEPS = {
    Kind.MEASURES: (
        "กรอกข้อมูลเฉพาะช่องสีเหลือง ช่องสีเทาล็อกไว้และกรอกโดยระบบ",
        "แผ่นงาน \"{form}\": กรอกผลการประเมิน ITA ของปีที่ผ่านมา (คะแนนรวม ระดับ และคะแนนรายตัวชี้วัด) ผู้จัดทำ และวันที่ "
        "ช่องอื่นกรอกตามคำอธิบายทางขวาของแต่ละช่อง",
        "แผ่นงาน \"{table}\": กรอกหนึ่งแถวต่อหนึ่งมาตรการ เรียงลำดับ 1, 2, 3 … ไม่ซ้ำกัน",
        "ตัวชี้วัดและระดับผลการประเมิน ให้เลือกจากรายการ (คลิกลูกศรที่มุมเซลล์)",
        "วันที่ ให้กรอกเป็นวันที่ เช่น 1/10/2566 หรือ 1 ต.ค. 2566 ระบบจะแสดงเป็น พ.ศ.",
        "ขึ้นบรรทัดใหม่ในเซลล์ได้ด้วย Alt+Enter (Excel) หรือ Ctrl+Enter (LibreOffice)",
        "บันทึกเป็น .xlsx เท่านั้น ห้ามใส่รหัสผ่าน ห้ามเปลี่ยนชื่อแผ่นงาน แล้วส่งไฟล์กลับ",
    ),
    Kind.PROGRESS: (
        "กรอกข้อมูลเฉพาะช่องสีเหลือง ช่องสีเทาคือมาตรการของหน่วยงานที่ล็อกไว้ แก้ไขไม่ได้",
        "แผ่นงาน \"{form}\": กรอกผู้รายงาน ผู้ตรวจรายงาน และวันที่รายงาน (ไม่ก่อนวันสิ้นสุดของรอบ)",
        "แผ่นงาน \"{table}\": ทุกมาตรการต้องเลือกสถานะจากรายการ",
        "สถานะ \"อยู่ระหว่างดำเนินการ\" ต้องกรอกผลการดำเนินการ",
        "สถานะ \"ดำเนินการแล้วเสร็จ\" ต้องกรอกผลการดำเนินการและวันที่ดำเนินการแล้วเสร็จ",
        f"หลักฐาน ให้ใส่ลิงก์ (URL) ที่{Url.rule_th}",
        "บันทึกเป็น .xlsx เท่านั้น ห้ามใส่รหัสผ่าน ห้ามเปลี่ยนชื่อแผ่นงาน แล้วส่งไฟล์กลับ",
    ),
}

GUIDE_WIDTHS = (6, 30, 70)  # number, label, text: one A4 landscape width at a legible size


def _write_guide(w: _Writer, spec: TemplateSpec, subtitle: str) -> None:
    """Instructions, then an example row shown one field a line (label, value): a table row of
    fifteen example cells is unreadable on one page."""
    sheet = w.book.add_worksheet(SHEET_GUIDE)
    sheet.set_default_row(ROW_HEIGHT)
    sheet.set_row(0, TITLE_HEIGHT)
    for col, width in enumerate(GUIDE_WIDTHS):
        sheet.set_column(col, col, width)
    text_width = sum(GUIDE_WIDTHS[1:])
    w.locked(sheet, 1, 0, f"คำชี้แจงการกรอกแบบฟอร์ม{spec.title_th}", "title")
    w.locked(sheet, 2, 0, subtitle, "subtitle")
    row = 4
    for i, step in enumerate(_GUIDE_STEPS[spec.kind], start=1):
        text = step.format(form=spec.form.name, table=spec.table.name)
        w.locked(sheet, row, 0, f"{i}.", "plain")
        sheet.merge_range(row - 1, 1, row - 1, 2, None)
        w.locked(sheet, row, 1, text, "plain")
        sheet.set_row(row - 1, typeset.fit_row([(text, text_width)], FONT_SIZE))
        row += 1
    row += 1
    sheet.write_string(row - 1, 0, "ตัวอย่างการกรอก 1 แถว (แผ่นงาน \"" + spec.table.name + "\")", w.fmt("subtitle"))
    row += 1
    y0, y1 = w.fiscal_year - 1, w.fiscal_year
    for f in spec.table.columns:
        value = EXAMPLE_ROW.get(f.key, "")
        value = value.format(y0=y0, y1=y1) if isinstance(value, str) else str(value)
        if f.choices == "indicator":  # the first indicator in a framework without the example's
            value = (w.framework.indicator(EXAMPLE_INDICATOR) or w.framework.indicators[0]).label
        sheet.write_string(row - 1, 1, f.label_th, w.fmt("label"))
        w.text(sheet, row, 2, value, "example")
        sheet.set_row(row - 1, typeset.fit_row([(f.label_th, GUIDE_WIDTHS[1]), (value, GUIDE_WIDTHS[2])],
                                               FONT_SIZE))
        row += 1
    _setup_print(sheet)
    w.protect(sheet)


def _write_meta(w: _Writer, meta: Metadata) -> None:
    sheet = w.book.add_worksheet(SHEET_META)
    for row, (key, value) in enumerate(meta.items()):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.write_string(MANIFEST_FIRST_ROW - 2, 0, MANIFEST_MARKER)
    for row, chunk in enumerate(manifest_cells(meta.manifest), start=MANIFEST_FIRST_ROW - 1):
        sheet.write_string(row, 0, chunk)
    sheet.very_hidden()
    w.protect(sheet)


# --------------------------------------------------------------------------- public API


def _new_writer(fiscal_year: int, framework: Framework, password: str | None,
                title: str) -> tuple[io.BytesIO, _Writer]:
    buffer = io.BytesIO()
    book = _Workbook(buffer, {
        "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False,
        "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE},
    })
    book.lock_structure_hash = _legacy_password_hash(password) if password else ""
    # Fixed document properties: the same arguments give the same bytes.
    book.set_properties({
        "title": title, "author": "itaxl", "company": "itaxl", "comments": f"itaxl {__version__}",
        "created": datetime.datetime(be_to_ce(fiscal_year) - 1, 10, 1),
    })
    book.set_size(1600, 1000)
    return buffer, _Writer(book, fiscal_year, framework, password or "")


def _office_subtitle(office: Office | None, values: dict[str, object]) -> str:
    if office is not None:
        return f"{office.full_name} อำเภอ{office.district_th} จังหวัด{office.province_th}"
    if values.get("org_name"):
        return " ".join(str(values[k]) for k in ("org_type", "org_name") if values.get(k))
    return "ชื่อหน่วยงาน ........................................"


def _office_values(office: Office | None, fiscal_year: int) -> dict[str, object]:
    values: dict[str, object] = {"fiscal_year": fiscal_year, "assessed_year": assessed_year(fiscal_year)}
    if office is not None:
        values |= {"org_code": office.code, "org_type": office.type_th, "org_name": office.name_th,
                   "district": office.district_th, "province": office.province_th}
    return values


def _build(spec: TemplateSpec, fiscal_year: int, *, office: Office | None, form_values: dict[str, object],
           rows: int, values: list[dict[str, object]] = (), round_: int | None = None,
           source_fingerprint: str = "", password: str | None, key: bytes | None) -> bytes:
    subtitle = _office_subtitle(office, form_values)
    buffer, w = _new_writer(fiscal_year, spec.framework, password, f"{spec.title_th} {fiscal_year}")
    _write_guide(w, spec, subtitle)
    _write_form(w, spec.form, form_values, frozenset(spec.layout.merge_office))
    _write_table(w, spec, rows, subtitle, values)
    _write_lists(w)
    meta = Metadata(kind=spec.kind.value, schema_version=spec.layout.version, schema_sha256=spec.layout.sha256,
                    itaxl_version=__version__,
                    org_code=str(form_values.get("org_code") or ""), fiscal_year=str(fiscal_year),
                    round=str(round_ or ""), rows=str(rows), source_fingerprint=source_fingerprint,
                    fingerprint_mode=mode_for(key), framework_year=str(spec.framework.year),
                    framework_sha256=spec.framework.sha256, manifest=w.manifest)
    meta.fingerprint = fingerprint(meta, key)
    _write_meta(w, meta)
    w.book.close()
    return buffer.getvalue()


def framework_for(fiscal_year: int, framework: Framework | None = None) -> Framework:
    """The framework a template of ``fiscal_year`` is made from: the one given, which must be
    the assessment the plan analyses, else the shipped one of that year."""
    year = assessed_year(fiscal_year)
    if framework is None:
        return SHIPPED.for_year(year)
    if framework.year != year:
        raise UsageError(f"{framework.origin} is the framework of ITA {framework.year}, but a plan for fiscal year "
                         f"{fiscal_year} analyses ITA {year}")
    return framework


def build_measures(
    org_code: str | None, fiscal_year: int, *, rows: int | None = None,
    password: str | None = None, key: bytes | None = None, framework: Framework | None = None,
    layout: Layout | None = None,
) -> bytes:
    """The bytes of a measures template for one office (or a blank one when ``org_code`` is None).

    ``framework`` (default: the shipped one of the assessed year) gives its score fields,
    rating dropdown and help; ``layout`` (default: the newest shipped) its sheets and fields."""
    _check_year(fiscal_year, framework)
    spec = spec_for(Kind.MEASURES, framework_for(fiscal_year, framework), layout)
    rows = rows or spec.default_rows
    if not 1 <= rows <= 500:
        raise UsageError(f"rows must be between 1 and 500, not {rows}")
    office = get_office(org_code) if org_code is not None else None
    return _build(spec, fiscal_year, office=office, form_values=_office_values(office, fiscal_year),
                  rows=rows, password=password, key=key)


# Problems that make a workbook unusable as the source of a progress template even when the
# office's answers are incomplete: it must be an intact itaxl workbook.


def build_progress(
    source: str | os.PathLike, round_: int, *, password: str | None = None, key: bytes | None = None,
    catalogue: Catalogue = SHIPPED,
) -> bytes:
    """The bytes of a progress template pre-filled from a measures (or round-6 progress) workbook.

    A measures source must validate without errors.  A round-6 progress source must be an
    intact itaxl workbook; its answers are copied into the input cells of round 12.
    """
    return _progress_for(source, round_, password=password, key=key, catalogue=catalogue)[1]


def _progress_for(
    source: str | os.PathLike, round_: int, *, password: str | None, key: bytes | None,
    catalogue: Catalogue = SHIPPED,
) -> tuple[str, bytes]:
    """The stable file name and the bytes of the progress template for a source (read once)."""
    from .batch import read_one

    if round_ not in ROUNDS:
        raise UsageError(f"round must be 6 or 12, not {round_}")
    sub = read_one(os.fspath(source), key=key, catalogue=catalogue)
    if sub.kind == Kind.PROGRESS.value:
        blocking = [p for p in sub.problems if p.is_error and breaks_integrity(p)]
        if not blocking and not (sub.round == 6 and round_ == 12):
            raise SourceInvalidError(
                f"{sub.path}: a progress workbook of round {sub.round} cannot become round {round_}; only "
                "round 6 is carried forward, to round 12 (make round 6 from the measures workbook)", [])
    else:
        blocking = [p for p in sub.problems if p.is_error]
    if blocking or sub.kind is None:
        raise SourceInvalidError(
            f"{sub.path}: cannot make a progress template from a workbook with errors "
            f"({len(blocking)}); fix them and validate it first", blocking)
    if not sub.measures:
        raise SourceInvalidError(f"{sub.path}: the workbook has no measures", [])
    name = file_name_for("progress", sub.org_code, sub.fiscal_year or 0, round_)
    return name, build_progress_for(sub, round_, password=password, key=key, layout=newest_layout(catalogue.layouts))


def build_progress_for(
    sub: Submission, round_: int, *, password: str | None = None, key: bytes | None = None,
    layout: Layout | None = None,
) -> bytes:
    """The progress workbook for a read measures (or round-6 progress) workbook, unchecked.

    The new workbook has ``layout`` (default: the newest shipped); the plan and answers are
    copied field by field, so a plan made with an earlier layout carries over.

    :func:`build_progress` refuses a source with errors and then calls this; it is also
    how existing reports, mistakes included, become workbooks (the samples).
    """
    carried = sub.kind == Kind.PROGRESS.value
    office_values = {k: sub.header.get(k) for k in (sub.layout or default_layout()).merge_office}
    return build_progress_from_data(
        office_values, sub.fiscal_year or 0, round_, [m.plan() for m in sub.measures],
        answers=[m.answers() for m in sub.measures] if carried else None,
        header={k: sub.header.get(k) for k in _CARRIED_HEADER} if carried else None,
        source_fingerprint=sub.meta.source_fingerprint if carried and sub.meta else sub.plan_fingerprint(),
        password=password, key=key, framework=sub.framework, layout=layout)


def build_progress_from_data(
    office: str | dict[str, object], fiscal_year: int, round_: int, plan: list[dict[str, object]], *,
    answers: list[dict[str, object]] | None = None, header: dict[str, object] | None = None,
    source_fingerprint: str | None = None, password: str | None = None, key: bytes | None = None,
    framework: Framework | None = None, layout: Layout | None = None,
) -> bytes:
    """A progress workbook from plain data: ``plan`` rows (measure columns, locked) and optional
    ``answers`` and ``header`` inputs (pre-filled, editable).

    ``office`` is an office code from the register, or the office cells as typed in a
    blank measures template.  Used by :func:`build_progress` and to turn existing reports
    into workbooks.
    """
    _check_year(fiscal_year, framework)
    if round_ not in ROUNDS:
        raise UsageError(f"round must be 6 or 12, not {round_}")
    typed = office if isinstance(office, dict) else {"org_code": office}
    code = typed.get("org_code")
    # A code given on its own must be in the register; typed office cells may name any office.
    known = get_office(code) if not isinstance(office, dict) else lookup_office(code) if code else None
    spec = spec_for(Kind.PROGRESS, framework_for(fiscal_year, framework), layout)
    form_values = _office_values(known, fiscal_year)
    for key_ in spec.layout.merge_office:
        form_values.setdefault(key_, typed.get(key_))
    start, end = round_bounds(fiscal_year, round_)
    form_values |= {"round": round_, "period": format_period(start, end)} | (header or {})
    values = [row | (answers[i] if answers and i < len(answers) else {}) for i, row in enumerate(plan)]
    if source_fingerprint is None:
        source_fingerprint = plan_fingerprint(str(form_values.get("org_code") or ""), fiscal_year, plan)
    return _build(spec, fiscal_year, office=known, form_values=form_values, rows=len(values), values=values,
                  round_=round_, source_fingerprint=source_fingerprint, password=password, key=key)


def _check_year(fiscal_year: int, framework: Framework | None = None) -> None:
    """A plausible fiscal year: B.E., and not beyond next year unless a framework file for it is
    given (a year tried before it comes)."""
    if not 2560 <= int(fiscal_year) <= 2650:
        raise UsageError(f"fiscal year {fiscal_year} is not a B.E. year between 2560 and 2650 (e.g. 2567)")
    current = fiscal_year_of(datetime.date.today())
    if fiscal_year > current + 1 and (framework is None or framework.year != assessed_year(fiscal_year)):
        raise UsageError(f"fiscal year {fiscal_year} is more than a year ahead (this is fiscal year {current}); "
                         f"check the year, or give the framework of ITA {assessed_year(fiscal_year)} with "
                         "--framework to try it before it comes")


def file_name_for(kind: str, org_code: str | None, fiscal_year: int, round_: int | None = None) -> str:
    """The stable file name of a generated workbook: ``measures-2567-6311805.xlsx``."""
    parts = [kind, str(fiscal_year), org_code or "blank"]
    if round_:
        parts.append(f"r{round_}")
    return "-".join(parts) + ".xlsx"


def measures(
    org_code: str | None, fiscal_year: int, output: str | os.PathLike, *, rows: int | None = None,
    password: str | None = None, key: bytes | None = None, force: bool = True, framework: Framework | None = None,
    layout: Layout | None = None,
) -> Path:
    """Write a measures template to ``output`` (atomically) and return its path.

    ``org_code`` fills and locks the office's code, type, name, district and
    province from the register; None gives a blank template whose office cells are
    inputs.  ``key`` signs the fingerprint with HMAC-SHA256.
    """
    data = build_measures(org_code, fiscal_year, rows=rows, password=password, key=key, framework=framework,
                          layout=layout)
    return write_bytes(output, data, force=force)


def measures_batch(
    org_codes: Iterable[str], fiscal_year: int, directory: str | os.PathLike, *, rows: int | None = None,
    password: str | None = None, key: bytes | None = None, force: bool = True, jobs: int = 1,
    framework: Framework | None = None,
) -> list[Path]:
    """One measures template per office into ``directory``, named by :func:`file_name_for`,
    made by ``jobs`` processes; the paths in the order of ``org_codes``."""
    out = Path(directory)
    codes = list(dict.fromkeys(get_office(code).code for code in org_codes))  # fail before writing anything
    _check_year(fiscal_year, framework)
    framework = framework_for(fiscal_year, framework)
    existing = [out / file_name_for("measures", c, fiscal_year) for c in codes]
    if not force:
        for path in existing:
            check_output(path, force=False)
    tasks = [(code, fiscal_year, path, rows, password, key, force, framework) for code, path in zip(codes, existing)]
    if jobs <= 1 or len(tasks) < 2:
        return [_measures_task(t) for t in tasks]
    from concurrent.futures import ProcessPoolExecutor

    from .batch import worker_init

    with ProcessPoolExecutor(min(jobs, len(tasks)), initializer=worker_init, initargs=(os.getpid(),)) as pool:
        return list(pool.map(_measures_task, tasks, chunksize=max(1, min(64, len(tasks) // (jobs * 8)))))


def _measures_task(task: tuple) -> Path:
    code, fiscal_year, path, rows, password, key, force, framework = task
    return measures(code, fiscal_year, path, rows=rows, password=password, key=key, force=force,
                    framework=framework)


def progress(
    source: str | os.PathLike, round_: int, output: str | os.PathLike, *, password: str | None = None,
    key: bytes | None = None, force: bool = True, catalogue: Catalogue = SHIPPED,
) -> Path:
    """Write a progress template for ``round_`` (6 or 12) from a measures workbook, or round 12
    from a filled round-6 progress workbook (its answers carried forward, still editable).

    Raises :class:`itaxl.errors.SourceInvalidError` (with ``.problems``) when the source has errors.
    """
    data = build_progress(source, round_, password=password, key=key, catalogue=catalogue)
    return write_bytes(output, data, force=force, inputs=(source,))


def progress_batch(
    sources: Iterable[str | os.PathLike], round_: int, directory: str | os.PathLike, *,
    password: str | None = None, key: bytes | None = None, force: bool = True, catalogue: Catalogue = SHIPPED,
) -> tuple[list[Path], dict[str, SourceInvalidError]]:
    """One progress template per valid source into ``directory``; the refused sources with their errors.

    Two sources for the same office, fiscal year and round would write the same file:
    the first (in the order given) is written, the other refused saying which one was.
    """
    written: list[Path] = []
    refused: dict[str, SourceInvalidError] = {}
    made_from: dict[str, str] = {}
    for source in sources:
        try:
            name, data = _progress_for(source, round_, password=password, key=key, catalogue=catalogue)
            if name in made_from:
                raise SourceInvalidError(f"{shown(source)}: {name} was already made from {shown(made_from[name])} "
                                         "(the same office, fiscal year and round); send one of them", [])
        except SourceInvalidError as exc:
            refused[str(source)] = exc
            continue
        made_from[name] = str(source)
        written.append(write_bytes(Path(directory) / name, data, force=force, inputs=(source,)))
    return written, refused
