"""The single source of truth for itaxl workbooks.

The template writer, the reader/validator and the merger all derive their
columns, types, dropdowns, labels and layout from the objects defined here.
Nothing else in itaxl spells out a column list.

Facts that change with the assessment year — instruments, indicators, the rating
scale, the pass mark, the OIT items — are data (:mod:`itaxl.framework`); the
fields that hold them (one score field per indicator, the rating dropdown) are
made from a framework by :func:`spec_for`.  Facts that do not change live here:
the progress statuses with the spellings offices use, and office types.
"""

from __future__ import annotations

import dataclasses
import functools
import enum
import re
from typing import Iterator

from . import framework as fw
from .thai import squash
from .utility import column_letter

SCHEMA_VERSION = "1"
"""Written into every workbook's metadata sheet; the reader accepts :data:`SUPPORTED_SCHEMA_VERSIONS`."""
SUPPORTED_SCHEMA_VERSIONS = frozenset({SCHEMA_VERSION})

EXCEL_CELL_LIMIT = 32767
"""Most characters (UTF-16 code units) an Excel cell holds."""
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these becomes a formula when someone edits the cell: it is
written with Excel's quote-prefix style (and, in CSV, behind an apostrophe)."""

# --------------------------------------------------------------------------- statuses


class Status(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label_th(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NOT_STARTED: "ยังไม่ดำเนินการ",
    Status.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    Status.DONE: "ดำเนินการแล้วเสร็จ",
}
STATUS_ALIASES: dict[str, Status] = {
    **{label: status for status, label in STATUS_LABELS.items()},
    "ยังไม่ดำเนินงาน": Status.NOT_STARTED,
    "ยังไม่ได้ดำเนินการ": Status.NOT_STARTED,
    "อยู่ระหว่างดำเนินงาน": Status.IN_PROGRESS,
    "อยู่ระหว่างการดำเนินการ": Status.IN_PROGRESS,
    "กำลังดำเนินการ": Status.IN_PROGRESS,
    "ดำเนินงานเสร็จแล้ว": Status.DONE,
    "ดำเนินการแล้ว": Status.DONE,
    "ดำเนินการเสร็จแล้ว": Status.DONE,
    "เสร็จสิ้น": Status.DONE,
    "แล้วเสร็จ": Status.DONE,
    **{s.value: s for s in Status},
}
_STATUS_SQUASHED = {squash(k): v for k, v in STATUS_ALIASES.items()}


@functools.lru_cache(maxsize=1024)  # a dropdown's few values, in every row of every file
def resolve_status(value: object) -> Status | None:
    """The status a cell names (canonical label or a known spelling), or None."""
    if value is None:
        return None
    return _STATUS_SQUASHED.get(squash(str(value)).lower())


# --------------------------------------------------------------------------- offices


@dataclasses.dataclass(frozen=True)
class OfficeType:
    digit: str
    name_th: str
    prefix: str
    full_th: str


OFFICE_TYPES: tuple[OfficeType, ...] = (
    OfficeType("2", "อบจ.", "อบจ.", "องค์การบริหารส่วนจังหวัด"),
    OfficeType("3", "เทศบาลนคร", "ทน.", "เทศบาลนคร"),
    OfficeType("4", "เทศบาลเมือง", "ทม.", "เทศบาลเมือง"),
    OfficeType("5", "เทศบาลตำบล", "ทต.", "เทศบาลตำบล"),
    OfficeType("6", "อบต.", "อบต.", "องค์การบริหารส่วนตำบล"),
)
OFFICE_TYPE_BY_NAME = {t.name_th: t for t in OFFICE_TYPES}

# --------------------------------------------------------------------------- fields


class FieldType(str, enum.Enum):
    TEXT = "text"          # short text, one line
    LONGTEXT = "longtext"  # wrapped paragraphs
    INTEGER = "integer"
    SCORE = "score"        # decimal 0–100
    YEAR = "year"          # B.E. year
    DATE = "date"
    CHOICE = "choice"      # dropdown of a named choice list
    URL = "url"


@dataclasses.dataclass(frozen=True)
class Field:
    """One value an office or itaxl puts into a workbook."""

    key: str
    label_th: str
    label_en: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: str | None = None  # key into choice_lists()
    width: float = 14
    help_th: str = ""
    locked: bool = False  # filled by itaxl, never by the office

    @property
    def is_input(self) -> bool:
        return not self.locked

    @property
    def is_text(self) -> bool:
        return self.type in (FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL)

    @property
    def empty(self) -> object:
        """The value of an empty cell of this field: "" for text, None otherwise."""
        return "" if self.is_text else None


def choice_lists(framework: fw.Framework) -> dict[str, tuple[str, ...]]:
    """The dropdown lists, by name, as they are written to the hidden list sheet."""
    return {
        "indicator": tuple(i.label for i in framework.indicators),
        "grade": framework.rating.names,
        "status": tuple(STATUS_LABELS[s] for s in Status),
    }


# --------------------------------------------------------------------------- sheets


@dataclasses.dataclass(frozen=True)
class FormSheet:
    """A key/value sheet: label in column A, value in column B, help in column C."""

    name: str
    title_th: str
    fields: tuple[Field, ...]
    first_row: int = 3  # 1-based row of the first field

    @functools.cached_property
    def _rows(self) -> dict[str, int]:
        return {f.key: self.first_row + offset for offset, f in enumerate(self.fields)}

    def row_of(self, key: str) -> int:
        return self._rows[key]

    def cell_of(self, key: str) -> str:
        return f"B{self._rows[key]}"

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


RESERVED_KEYS = frozenset({"row", "table", "values", "plan", "answers"})
"""Keys no table column can take: a row read back (:class:`itaxl.reader.Measure`) has them itself."""


@dataclasses.dataclass(frozen=True)
class TableSheet:
    """A table: a title block, one header row, then ``rows`` input rows."""

    name: str
    title_th: str
    columns: tuple[Field, ...]
    header_row: int = 3  # 1-based
    hidden: frozenset[str] = frozenset()
    """Columns hidden on screen and on paper (an office may show them again)."""
    print_pages_wide: int = 1
    """Pages the printed table spans across; more than one repeats the columns up to ``measure``."""

    def __post_init__(self) -> None:
        taken = RESERVED_KEYS.intersection(f.key for f in self.columns)
        if taken:
            raise ValueError(f"table {self.name!r}: a column cannot be keyed {', '.join(sorted(taken))}")

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    # Derived once per table (the table is frozen): rules ask for them hundreds of times a file.

    @functools.cached_property
    def _letters(self) -> dict[str, tuple[int, str]]:
        return {f.key: (i, column_letter(i)) for i, f in enumerate(self.columns)}

    def column_of(self, key: str) -> int:
        """0-based column index of a field."""
        return self._letters[key][0]

    def letter_of(self, key: str) -> str:
        return self._letters[key][1]

    @functools.cached_property
    def input_columns(self) -> tuple[Field, ...]:
        return tuple(f for f in self.columns if f.is_input)

    @functools.cached_property
    def visible_columns(self) -> tuple[Field, ...]:
        """The columns shown on screen and on paper (not :attr:`hidden`)."""
        return tuple(f for f in self.columns if f.key not in self.hidden)

    @functools.cached_property
    def plan_columns(self) -> tuple[Field, ...]:
        """The planned measure: every column of a measures table, the locked ones of a progress table."""
        locked = tuple(f for f in self.columns if f.locked)
        return locked or self.columns

    @functools.cached_property
    def answer_columns(self) -> tuple[Field, ...]:
        """What an office reports on a planned measure: the input columns of a progress table."""
        return self.input_columns if any(f.locked for f in self.columns) else ()


# Sheet names (Thai, as offices see them).  Kept short: Excel allows 31 characters.
SHEET_GUIDE = "คำชี้แจง"
SHEET_OFFICE = "ข้อมูลหน่วยงาน"
SHEET_MEASURES = "มาตรการ"
SHEET_PROGRESS = "ผลการดำเนินการ"
SHEET_LISTS = "รายการ"
SHEET_META = "_itaxl"

_H = "เลือกจากรายการ"

OFFICE_FIELDS: tuple[Field, ...] = (
    Field("org_code", "รหัส อปท.", "Office code", FieldType.TEXT, True, width=30,
          help_th="รหัส อปท. ๗ หลักของกรมส่งเสริมการปกครองท้องถิ่น"),
    Field("org_type", "ประเภท", "Office type", FieldType.TEXT, width=30,
          help_th="อบจ. เทศบาลนคร เทศบาลเมือง เทศบาลตำบล หรือ อบต."),
    Field("org_name", "ชื่อหน่วยงาน", "Office name", FieldType.TEXT, True, width=30,
          help_th="ชื่อ อปท. โดยไม่ต้องมีคำนำหน้า เช่น โคกสนวน"),
    Field("district", "อำเภอ", "District", FieldType.TEXT, width=30),
    Field("province", "จังหวัด", "Province", FieldType.TEXT, width=30),
    Field("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)", FieldType.YEAR, True, locked=True),
)

def score_fields(framework: fw.Framework) -> tuple[Field, ...]:
    """One score field per indicator of the framework: ``score_1`` … ``score_N``."""
    return tuple(
        Field(f"score_{i.number}", f"ตัวชี้วัดที่ {i.number} {i.name_th} ({i.instrument})",
              f"Indicator {i.number}: {i.name_en}", FieldType.SCORE, help_th="คะแนนตัวชี้วัด 0 ถึง 100")
        for i in framework.indicators
    )


def measures_header_fields(framework: fw.Framework) -> tuple[Field, ...]:
    """The ITA result an office copies into its measures workbook, as the framework defines it."""
    rating = framework.rating
    # The dropdown shows a verbal scale's long names; the help says what decides the rating.
    how = (f"{' '.join(rating.names)} ให้ตรงกับคะแนนรวม" if rating.kind == "letters" else
           f"ให้ตรงกับคะแนนรวมและคะแนนรายเครื่องมือ ({' '.join(i.code for i in framework.instruments)})")
    return (
        Field("assessed_year", "ปีที่ได้รับการประเมิน ITA (พ.ศ.)", "Assessed ITA year (B.E.)", FieldType.YEAR, True,
              help_th="ปีงบประมาณของผลการประเมิน ITA ที่นำมาวิเคราะห์ คือปีก่อนหน้าปีของมาตรการ"),
        Field("total_score", "คะแนนรวม ITA", "ITA total score", FieldType.SCORE, True,
              help_th="คะแนนรวมจากผลการประเมิน ตั้งแต่ 0 ถึง 100 ทศนิยม 2 ตำแหน่ง"),
        Field("grade", "ระดับผลการประเมิน", "ITA rating", FieldType.CHOICE, True, choices="grade",
              help_th=f"{_H} {how}"[:255]),
        *score_fields(framework),
        *MEASURES_SIGNATURE_FIELDS,
    )


MEASURES_SIGNATURE_FIELDS: tuple[Field, ...] = (
    Field("reporter_name", "ผู้จัดทำ (ชื่อ-สกุล)", "Prepared by (name)", FieldType.TEXT, True,
          help_th="ชื่อและนามสกุลของผู้จัดทำมาตรการ"),
    Field("reporter_position", "ตำแหน่ง", "Position", FieldType.TEXT, True,
          help_th="ตำแหน่งของผู้จัดทำ"),
    Field("report_date", "วันที่จัดทำ", "Date prepared", FieldType.DATE, True,
          help_th="วันที่ เช่น 15/1/2567 หรือ 15 ม.ค. 2567"),
)

MEASURE_COLUMNS: tuple[Field, ...] = (
    Field("number", "ลำดับ", "No.", FieldType.INTEGER, True, width=7,
          help_th="ลำดับของมาตรการ 1, 2, 3 … ไม่ซ้ำกัน"),
    Field("indicator", "ตัวชี้วัด", "Indicator", FieldType.CHOICE, True, choices="indicator", width=20,
          help_th=f"{_H} ตัวชี้วัดที่มาตรการนี้มุ่งแก้ไข"),
    Field("issue", "ประเด็นที่ต้องปรับปรุง", "Issue to improve", FieldType.LONGTEXT, width=30,
          help_th="ประเด็นจากผลการประเมินที่ต้องแก้ไข ปรับปรุง หรือรักษาระดับ"),
    Field("measure", "มาตรการ/แนวทาง", "Measure", FieldType.LONGTEXT, True, width=32,
          help_th="มาตรการหรือแนวทางที่หน่วยงานจะดำเนินการ"),
    Field("method", "ขั้นตอน/วิธีดำเนินการ", "Method / steps", FieldType.LONGTEXT, True, width=42,
          help_th="ขั้นตอนหรือวิธีการดำเนินการ ขึ้นบรรทัดใหม่ในเซลล์ด้วย Alt+Enter"),
    Field("responsible", "ผู้รับผิดชอบ", "Responsible unit", FieldType.TEXT, True, width=18,
          help_th="สำนัก/กองที่รับผิดชอบ เช่น สำนักปลัด กองคลัง ทุกกอง"),
    Field("start", "เริ่ม", "Start", FieldType.DATE, True, width=15,
          help_th="วันเริ่มดำเนินการ ภายในปีงบประมาณ เช่น 1/10/2566"),
    Field("end", "สิ้นสุด", "End", FieldType.DATE, True, width=15,
          help_th="วันสิ้นสุด ไม่ก่อนวันเริ่ม ภายในปีงบประมาณ"),
    Field("monitoring", "การกำกับติดตาม", "Monitoring", FieldType.LONGTEXT, width=26,
          help_th="วิธีรายงานผลและการกำกับติดตาม"),
)

PROGRESS_HEADER_FIELDS: tuple[Field, ...] = (
    Field("round", "รอบการรายงาน (เดือน)", "Round (months)", FieldType.INTEGER, True, locked=True),
    Field("period", "ช่วงเวลาที่รายงาน", "Period reported", FieldType.TEXT, True, locked=True),
    Field("reporter_name", "ผู้รายงาน (ชื่อ-สกุล)", "Reporter (name)", FieldType.TEXT, True,
          help_th="ชื่อและนามสกุลของผู้รายงาน"),
    Field("reporter_position", "ตำแหน่งผู้รายงาน", "Reporter's position", FieldType.TEXT, True,
          help_th="ตำแหน่งของผู้รายงาน เช่น หัวหน้าสำนักปลัด"),
    Field("reviewer_name", "ผู้ตรวจรายงาน (ชื่อ-สกุล)", "Reviewer (name)", FieldType.TEXT, True,
          help_th="ชื่อและนามสกุลของผู้ตรวจรายงาน (ผู้บริหาร)"),
    Field("reviewer_position", "ตำแหน่งผู้ตรวจรายงาน", "Reviewer's position", FieldType.TEXT, True,
          help_th="ตำแหน่งของผู้ตรวจรายงาน เช่น นายกองค์การบริหารส่วนตำบล"),
    Field("report_date", "วันที่รายงาน", "Report date", FieldType.DATE, True,
          help_th="วันที่รายงาน ไม่ก่อนวันสิ้นสุดของรอบ"),
)

PROGRESS_INPUT_COLUMNS: tuple[Field, ...] = (
    Field("status", "สถานะ", "Status", FieldType.CHOICE, True, choices="status", width=18,
          help_th="เลือกจากรายการ: ยังไม่ดำเนินการ / อยู่ระหว่างดำเนินการ / ดำเนินการแล้วเสร็จ"),
    Field("result", "ผลการดำเนินการ", "Result", FieldType.LONGTEXT, width=40,
          help_th="สิ่งที่ได้ดำเนินการแล้ว (ต้องกรอกเมื่ออยู่ระหว่างดำเนินการหรือแล้วเสร็จ)"),
    Field("outcome", "ผลลัพธ์/ความสำเร็จ", "Outcome", FieldType.LONGTEXT, width=30,
          help_th="ผลลัพธ์หรือความสำเร็จที่เกิดขึ้น"),
    Field("obstacles", "ปัญหาอุปสรรค/ข้อเสนอแนะ", "Obstacles / suggestions", FieldType.LONGTEXT, width=26,
          help_th="ปัญหา อุปสรรค หรือข้อเสนอแนะ (ถ้ามี)"),
    Field("evidence_url", "หลักฐาน (URL)", "Evidence (URL)", FieldType.URL, width=26,
          help_th="ลิงก์หลักฐานบนเว็บไซต์หน่วยงาน ขึ้นต้นด้วย https:// หรือ http://"),
    Field("done_date", "วันที่ดำเนินการแล้วเสร็จ", "Completion date", FieldType.DATE, width=15,
          help_th="วันที่ดำเนินการแล้วเสร็จ (ต้องกรอกเมื่อสถานะแล้วเสร็จ)"),
)

# Texts that mark a cell as not really filled in: template leftovers and placeholders.
PLACEHOLDER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[\s.…_\-–—/]*$"),          # only dots, dashes, underscores
    re.compile(r"\.\.\.\."),                    # a blank to fill in left in the text: ....
    re.compile(r"……"),                         # ……
    re.compile(r"____"),                       # ____  (literals: searched several times faster than {4,})
    re.compile(r"\(หน่วยงาน\s*อาจ\s*กำหนด"),    # instructions copied from the official model
    re.compile(r"^\s*(ระบุ|กรอก|ตัวอย่าง)"),
    re.compile(r"(?i)lorem ipsum|^x{3,}$"),
)


# --------------------------------------------------------------------------- kinds


class Kind(str, enum.Enum):
    MEASURES = "measures"
    PROGRESS = "progress"


@dataclasses.dataclass(frozen=True)
class TemplateSpec:
    """What one kind of workbook holds, for one framework."""

    kind: Kind
    title_th: str
    form: FormSheet
    table: TableSheet
    framework: fw.Framework
    default_rows: int = 30
    fixed_rows: bool = False  # progress: one row per planned measure, no free rows

    def sheets(self) -> Iterator[str]:
        yield SHEET_GUIDE
        yield self.form.name
        yield self.table.name


ROUNDS = (6, 12)
MEASURES_TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
PROGRESS_TITLE = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส"


# A progress table holds the plan and the answers: fifteen columns do not fit an A4 width at a
# legible size.  It shows the plan narrower, hides the analysis behind it (it is in the
# measures workbook), and prints two pages wide, the measure repeated on each.
PROGRESS_WIDTHS = {"number": 5, "measure": 26, "method": 34, "responsible": 12, "start": 11, "end": 11,
                   "status": 14, "result": 30, "outcome": 20, "obstacles": 16, "evidence_url": 16, "done_date": 11}
PROGRESS_HIDDEN = frozenset({"indicator", "issue", "monitoring"})


def _locked(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    return tuple(dataclasses.replace(f, locked=True) for f in fields)


def _build_spec(kind: Kind, framework: fw.Framework) -> TemplateSpec:
    if kind is Kind.MEASURES:
        form = FormSheet(SHEET_OFFICE, "ข้อมูลหน่วยงานและผลการประเมิน ITA",
                         OFFICE_FIELDS + measures_header_fields(framework))
        return TemplateSpec(Kind.MEASURES, MEASURES_TITLE, form,
                            TableSheet(SHEET_MEASURES, MEASURES_TITLE, MEASURE_COLUMNS), framework)
    form = FormSheet(SHEET_OFFICE, "ข้อมูลหน่วยงานและการรายงาน", _locked(OFFICE_FIELDS) + PROGRESS_HEADER_FIELDS)
    columns = tuple(dataclasses.replace(f, width=PROGRESS_WIDTHS.get(f.key, f.width))
                    for f in _locked(MEASURE_COLUMNS) + PROGRESS_INPUT_COLUMNS)
    table = TableSheet(SHEET_PROGRESS, "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                       columns, hidden=PROGRESS_HIDDEN, print_pages_wide=2)
    return TemplateSpec(Kind.PROGRESS, PROGRESS_TITLE, form, table, framework, fixed_rows=True)


_SPECS: dict[tuple[Kind, str], TemplateSpec] = {}


def spec_for(kind: Kind | str, framework: fw.Framework | None = None) -> TemplateSpec:
    """The spec of a kind of workbook under a framework (the newest shipped one when None).

    Every part of itaxl takes its sheets, fields and dropdowns from here: a framework with
    eleven indicators gives eleven score fields."""
    framework = framework or fw.default()
    key = (Kind(kind), framework.sha256)
    if key not in _SPECS:
        _SPECS[key] = _build_spec(key[0], framework)
    return _SPECS[key]


MEASURES = spec_for(Kind.MEASURES)
"""The measures spec under the newest shipped framework (its form layout is the same for
every framework with ten indicators)."""
PROGRESS = spec_for(Kind.PROGRESS)
"""The progress spec (its sheets do not depend on the framework)."""
