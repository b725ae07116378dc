"""The single source of truth for itaxl workbooks.

The template writer, the reader/validator and the merger all derive their
columns, types, dropdowns, labels and layout from the objects defined here.
Nothing else in itaxl spells out a column list.

Domain facts (ITA-DOMAIN): ten indicators under three instruments, grade bands,
the three progress statuses with the spellings offices use, office types, and
per-fiscal-year facts (grade scale, O-item codes) kept as data in :data:`YEARS`.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from typing import Iterator, Mapping

from .thai import clean_text, to_arabic_digits
from .utility import column_letter

SCHEMA_VERSION = "1"
"""Written into every workbook's metadata sheet; the reader accepts :data:`SUPPORTED_SCHEMA_VERSIONS`."""
SUPPORTED_SCHEMA_VERSIONS = frozenset({SCHEMA_VERSION})

EXCEL_CELL_LIMIT = 32767
"""Most characters (UTF-16 code units) an Excel cell holds."""
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these becomes a formula when someone edits the cell: it is
written with Excel's quote-prefix style (and, in CSV, behind an apostrophe)."""

# --------------------------------------------------------------------------- instruments & indicators


@dataclasses.dataclass(frozen=True)
class Instrument:
    code: str
    name_th: str
    name_en: str
    weight: float


INSTRUMENTS: dict[str, Instrument] = {
    i.code: i
    for i in (
        Instrument("IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "Internal Integrity and Transparency", 0.3),
        Instrument("EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก", "External Integrity and Transparency", 0.3),
        Instrument("OIT", "แบบตรวจการเปิดเผยข้อมูลสาธารณะ", "Open Data Integrity and Transparency", 0.4),
    )
}


@dataclasses.dataclass(frozen=True)
class Indicator:
    number: int
    name_th: str
    name_en: str
    instrument: str
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The dropdown text: "9 การเปิดเผยข้อมูล"."""
        return f"{self.number} {self.name_th}"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(1, "การปฏิบัติหน้าที่", "Performance of duty", "IIT"),
    Indicator(2, "การใช้งบประมาณ", "Use of budget", "IIT"),
    Indicator(3, "การใช้อำนาจ", "Use of authority", "IIT"),
    Indicator(4, "การใช้ทรัพย์สินของราชการ", "Use of government property", "IIT", ("การใช้ทรัพย์สินของทางราชการ",)),
    Indicator(5, "การแก้ไขปัญหาการทุจริต", "Anti-corruption", "IIT"),
    Indicator(6, "คุณภาพการดำเนินงาน", "Quality of operations", "EIT"),
    Indicator(7, "ประสิทธิภาพการสื่อสาร", "Communication efficiency", "EIT"),
    Indicator(8, "การปรับปรุงการทำงาน", "Improvement of work", "EIT", ("การปรับปรุงระบบการทำงาน",)),
    Indicator(9, "การเปิดเผยข้อมูล", "Information disclosure", "OIT"),
    Indicator(10, "การป้องกันการทุจริต", "Corruption prevention", "OIT"),
)
INDICATOR_BY_NUMBER = {i.number: i for i in INDICATORS}

_INDICATOR_PREFIX = re.compile(r"^(?:ตัวชี้วัด(?:ที่)?\s*)?(?P<n>\d{1,2})(?:\.\d)?(?:[\s.:)\-]+(?P<rest>.*))?$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", clean_text(to_arabic_digits(text)))


_INDICATOR_NAMES = {
    _squash(name): ind.number for ind in INDICATORS for name in (ind.name_th, *ind.aliases)
}


def resolve_indicator(value: object) -> int | None:
    """The indicator number a cell value names, or None.

    Accepts the dropdown text ("9 การเปิดเผยข้อมูล"), a number (9, "๙", 9.0),
    "ตัวชี้วัดที่ ๙ …", a sub-indicator ("9.2") and the known name variants.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and int(value) in INDICATOR_BY_NUMBER else None
    text = clean_text(to_arabic_digits(str(value)))
    if m := _INDICATOR_PREFIX.match(text):
        n = int(m["n"])
        if n not in INDICATOR_BY_NUMBER:
            return None
        rest = _squash(m["rest"] or "")
        named = _INDICATOR_NAMES.get(rest)
        if rest and named is not None and named != n:
            return None  # "3 การเปิดเผยข้อมูล": number and name disagree
        return n
    return _INDICATOR_NAMES.get(_squash(text))


# --------------------------------------------------------------------------- grades & years


@dataclasses.dataclass(frozen=True)
class GradeBand:
    grade: str
    minimum: float
    verbal_th: str = ""


@dataclasses.dataclass(frozen=True)
class YearFacts:
    """Facts that may change from one fiscal year's assessment to the next."""

    grades: tuple[GradeBand, ...]
    pass_mark: float
    measures_item: str | None
    progress_item: str | None

    def grade_of(self, score: float) -> str:
        for band in self.grades:
            if score >= band.minimum:
                return band.grade
        return self.grades[-1].grade

    @property
    def grade_names(self) -> tuple[str, ...]:
        return tuple(b.grade for b in self.grades)


_LETTER_GRADES = (
    GradeBand("AA", 95), GradeBand("A", 85), GradeBand("B", 75), GradeBand("C", 65),
    GradeBand("D", 55), GradeBand("E", 50), GradeBand("F", 0),
)

YEARS: Mapping[int, YearFacts] = {
    # O-item codes are the published ones for 2564–2566; later years are unconfirmed.
    **{fy: YearFacts(_LETTER_GRADES, 85.0, "O42", "O43") for fy in (2564, 2565, 2566)},
    **{fy: YearFacts(_LETTER_GRADES, 85.0, None, None) for fy in (2563, 2567, 2568, 2569, 2570)},
}
"""Per fiscal year (the plan year).  The assessed year is ``fy - 1``."""


def year_facts(fiscal_year: int) -> YearFacts:
    """Facts for a fiscal year, falling back to the nearest year we know."""
    if fiscal_year in YEARS:
        return YEARS[fiscal_year]
    nearest = min(YEARS, key=lambda y: (abs(y - fiscal_year), -y))
    return YEARS[nearest]


def total_from_indicators(scores: Mapping[int, float]) -> float:
    """Total score: each instrument is the mean of its indicators, weighted 30/30/40 (inferred)."""
    total = 0.0
    for code, instrument in INSTRUMENTS.items():
        values = [scores[i.number] for i in INDICATORS if i.instrument == code]
        total += instrument.weight * sum(values) / len(values)
    return round(total, 2)


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
_STATUS_SQUASHED = {_squash(k): v for k, v in STATUS_ALIASES.items()}


def resolve_status(value: object) -> Status | None:
    """The status a cell names (canonical label or a known spelling), or None."""
    if value is None:
        return None
    return _STATUS_SQUASHED.get(_squash(str(value)).lower())


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


def choice_lists(fiscal_year: int) -> dict[str, tuple[str, ...]]:
    """The dropdown lists, by name, as they are written to the hidden list sheet."""
    return {
        "indicator": tuple(i.label for i in INDICATORS),
        "grade": year_facts(fiscal_year).grade_names,
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

    def row_of(self, key: str) -> int:
        for offset, f in enumerate(self.fields):
            if f.key == key:
                return self.first_row + offset
        raise KeyError(key)

    def cell_of(self, key: str) -> str:
        return f"B{self.row_of(key)}"

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


@dataclasses.dataclass(frozen=True)
class TableSheet:
    """A table: a title block, one header row, then ``rows`` input rows."""

    name: str
    title_th: str
    columns: tuple[Field, ...]
    header_row: int = 3  # 1-based

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def column_of(self, key: str) -> int:
        """0-based column index of a field."""
        for i, f in enumerate(self.columns):
            if f.key == key:
                return i
        raise KeyError(key)

    def letter_of(self, key: str) -> str:
        return column_letter(self.column_of(key))

    @property
    def input_columns(self) -> tuple[Field, ...]:
        return tuple(f for f in self.columns if f.is_input)


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

MEASURES_HEADER_FIELDS: tuple[Field, ...] = (
    Field("assessed_year", "ปีที่ได้รับการประเมิน ITA (พ.ศ.)", "Assessed ITA year (B.E.)", FieldType.YEAR, True,
          help_th="ปีงบประมาณของผลการประเมิน ITA ที่นำมาวิเคราะห์ คือปีก่อนหน้าปีของมาตรการ"),
    Field("total_score", "คะแนนรวม ITA", "ITA total score", FieldType.SCORE, True,
          help_th="คะแนนรวมจากผลการประเมิน ตั้งแต่ 0 ถึง 100 ทศนิยม 2 ตำแหน่ง"),
    Field("grade", "ระดับผลการประเมิน", "ITA grade", FieldType.CHOICE, True, choices="grade",
          help_th=f"{_H} AA A B C D E F ให้ตรงกับคะแนนรวม"),
    *(
        Field(f"score_{i.number}", f"ตัวชี้วัดที่ {i.number} {i.name_th} ({i.instrument})",
              f"Indicator {i.number}: {i.name_en}", FieldType.SCORE,
              help_th="คะแนนตัวชี้วัด 0 ถึง 100")
        for i in INDICATORS
    ),
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

PROGRESS_COLUMNS: tuple[Field, ...] = (
    *(dataclasses.replace(f, locked=True) for f in MEASURE_COLUMNS),
    *PROGRESS_INPUT_COLUMNS,
)

OFFICE_SHEET = FormSheet(
    SHEET_OFFICE, "ข้อมูลหน่วยงานและผลการประเมิน ITA", OFFICE_FIELDS + MEASURES_HEADER_FIELDS
)
MEASURES_SHEET = TableSheet(
    SHEET_MEASURES, "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", MEASURE_COLUMNS
)
PROGRESS_FORM = FormSheet(
    SHEET_OFFICE, "ข้อมูลหน่วยงานและการรายงาน",
    tuple(dataclasses.replace(f, locked=True) for f in OFFICE_FIELDS) + PROGRESS_HEADER_FIELDS,
)
PROGRESS_SHEET = TableSheet(
    SHEET_PROGRESS, "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    PROGRESS_COLUMNS,
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
    """What one kind of workbook holds."""

    kind: Kind
    title_th: str
    form: FormSheet
    table: TableSheet
    default_rows: int = 30
    fixed_rows: bool = False  # progress: one row per planned measure, no free rows

    def sheets(self) -> Iterator[str]:
        yield SHEET_GUIDE
        yield self.form.name
        yield self.table.name


MEASURES = TemplateSpec(Kind.MEASURES, "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                        OFFICE_SHEET, MEASURES_SHEET)

PROGRESS = TemplateSpec(Kind.PROGRESS, "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
                        PROGRESS_FORM, PROGRESS_SHEET, fixed_rows=True)
ROUNDS = (6, 12)

SPECS: dict[Kind, TemplateSpec] = {Kind.MEASURES: MEASURES, Kind.PROGRESS: PROGRESS}


def spec_for(kind: Kind | str) -> TemplateSpec:
    return SPECS[Kind(kind)]
