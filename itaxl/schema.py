"""The single source of truth for itaxl workbooks: their layouts, as versioned data.

A layout (``itaxl/layouts/schema-N.toml``) declares every sheet, field, type, constraint, label,
help text and width of the measures and progress workbooks, what the template hides, what the
report shows and each field's part in the merge.  The template writer, the reader, the rules,
the merger and the report all take their columns from a :class:`TemplateSpec` made from a
layout and a framework by :func:`spec_for`; nothing else in itaxl spells out a column list.

A workbook records its layout's version and SHA-256 (:attr:`Layout.sha256`) and is read back
with that layout (:func:`layout`), so a release that adds or moves a field still reads every
workbook made before it.

Facts that change with the assessment year — instruments, indicators, the rating scale, the
pass mark, the OIT items — are data too (:mod:`itaxl.framework`); the fields that hold them
(one score field per indicator, the rating dropdown) are made from a framework.  Facts that do
not change live here: the progress statuses with the spellings offices use, and office types.

>>> spec = spec_for(Kind.MEASURES, framework.shipped(2566))
>>> spec.layout.version, spec.table.letter_of("measure"), spec.form.cell_of("org_code")
('1', 'D', 'B3')
"""

from __future__ import annotations

import dataclasses
import functools
import enum
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from . import framework as fw
from . import fieldtypes
from .fieldtypes import FieldType
from .thai import squash
from .tomlfile import DataFileError, Source, content_sha256, get, parse as parse_toml
from .utility import cell_ref, column_letter

LAYOUTS_DIR = Path(__file__).parent / "layouts"
LAYOUT_PATTERN = "schema-*.toml"
MAX_LAYOUT_BYTES = 1 << 20
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
    """A kind of local office: the digit its codes start with and the ways documents name it."""

    digit: str
    name_th: str
    prefix: str
    full_th: str
    own_terms: tuple[str, ...] = ()
    """Posts, councils and by-laws only this kind of office has ("นายกเทศมนตรี" is a
    municipality's): in another kind's document, text copied from elsewhere."""
    head_th: str = ""
    """The title of the office's elected head, before its name ("นายกเทศมนตรีตำบล")."""

    def head_of(self, name: str) -> str:
        """The head's title for the office ``name`` ("เมืองแกลง" or "เทศบาลตำบลเมืองแกลง"):
        "นายกเทศมนตรีตำบลเมืองแกลง"."""
        for written in (self.full_th, self.prefix, self.name_th):
            if name.startswith(written):
                name = name[len(written):].strip()
                break
        return self.head_th + name

    def pattern(self, *, any_dot: bool = False) -> str:
        """A regular expression for the type as documents write it before an office's name.

        The full name ("องค์กร" is a common slip for "องค์การ") or the abbreviation; the
        abbreviation's dot may be left out when it has three letters, or always with
        ``any_dot`` (at the start of a name cell, where "ทต" cannot be another word).
        """
        full = re.escape(self.full_th).replace("องค์การ", "องค์(?:การ|กร)")
        short = re.escape(self.prefix.rstrip("."))
        dot = r"\.?" if any_dot or len(self.prefix.rstrip(".")) >= 3 else r"\."
        return f"{full}|{short}{dot}"


_PAO_TERMS = ("นายกองค์การบริหารส่วนจังหวัด", "ปลัดองค์การบริหารส่วนจังหวัด", "สภาองค์การบริหารส่วนจังหวัด",
              "นายก อบจ.", "ปลัด อบจ.", "สภา อบจ.")
_MUNICIPAL_TERMS = ("นายกเทศมนตรี", "สำนักปลัดเทศบาล", "ปลัดเทศบาล", "สภาเทศบาล", "เทศบัญญัติ",
                    "สำนักงานเทศบาล")
_TAO_TERMS = ("นายกองค์การบริหารส่วนตำบล", "สำนักปลัดองค์การบริหารส่วนตำบล", "ปลัดองค์การบริหารส่วนตำบล",
              "สภาองค์การบริหารส่วนตำบล", "นายก อบต.", "ปลัด อบต.", "สภา อบต.")
OFFICE_TYPES: tuple[OfficeType, ...] = (
    OfficeType("2", "อบจ.", "อบจ.", "องค์การบริหารส่วนจังหวัด", _PAO_TERMS, "นายกองค์การบริหารส่วนจังหวัด"),
    OfficeType("3", "เทศบาลนคร", "ทน.", "เทศบาลนคร", _MUNICIPAL_TERMS, "นายกเทศมนตรีนคร"),
    OfficeType("4", "เทศบาลเมือง", "ทม.", "เทศบาลเมือง", _MUNICIPAL_TERMS, "นายกเทศมนตรีเมือง"),
    OfficeType("5", "เทศบาลตำบล", "ทต.", "เทศบาลตำบล", _MUNICIPAL_TERMS, "นายกเทศมนตรีตำบล"),
    OfficeType("6", "อบต.", "อบต.", "องค์การบริหารส่วนตำบล", _TAO_TERMS, "นายกองค์การบริหารส่วนตำบล"),
)
OFFICE_TYPE_BY_NAME = {t.name_th: t for t in OFFICE_TYPES}

# --------------------------------------------------------------------------- fields


@dataclasses.dataclass(frozen=True)
class Field:
    """One value an office or itaxl puts into a workbook; its :attr:`type` owns what it does."""

    key: str
    label_th: str
    label_en: str
    type: FieldType = fieldtypes.Text()
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
        return self.type.text

    @property
    def empty(self) -> object:
        """The value of an empty cell of this field: "" for text, None otherwise."""
        return "" if self.is_text else None


CHOICE_LISTS = ("indicator", "grade", "status")
"""The dropdown lists a choice field can name."""


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
        """1-based row of a field."""
        return self._rows[key]

    def cell_of(self, key: str) -> str:
        """The A1 reference of a field's value cell."""
        return cell_ref(self._rows[key], 1)

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

    def cell_of(self, key: str, row: int) -> str:
        """The A1 reference of a field in a 1-based table row."""
        return f"{self._letters[key][1]}{row}"

    def field(self, key: str) -> Field:
        return self.columns[self._letters[key][0]]

    def has(self, key: str) -> bool:
        """Whether the table has a column keyed ``key``."""
        return key in self._letters

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


# The frame every layout shares: the reader looks for the metadata sheet before it knows the
# layout, and the guide and the lists are where every layout puts them.  Kept short: Excel
# allows 31 characters.
SHEET_GUIDE = "คำชี้แจง"
SHEET_LISTS = "รายการ"
SHEET_META = "_itaxl"

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


ROUNDS = (6, 12)
"""The progress rounds of a fiscal year, in months."""

REPORT_SHOWS = ("field", "numbered", "period", "indicator", "status")
"""How a report column shows its fields (see the layout file)."""


@dataclasses.dataclass(frozen=True)
class ReportColumn:
    """One column of the official report: the fields it shows, its width, how, and its heading
    (the first field's label when empty)."""

    fields: tuple[str, ...]
    width: float
    show: str = "field"
    heading: str = ""


@dataclasses.dataclass(frozen=True)
class ReportLayout:
    columns: tuple[ReportColumn, ...]
    left_out: frozenset[str] = frozenset()
    """Table fields no column shows, on purpose."""


@dataclasses.dataclass(frozen=True)
class TemplateSpec:
    """What one kind of workbook holds, for one layout and one framework."""

    kind: Kind
    title_th: str
    form: FormSheet
    table: TableSheet
    framework: fw.Framework
    default_rows: int = 30
    fixed_rows: bool = False  # progress: one row per planned measure, no free rows
    report: ReportLayout = ReportLayout(())
    layout: "Layout | None" = dataclasses.field(default=None, compare=False, repr=False)

    def sheets(self) -> Iterator[str]:
        yield SHEET_GUIDE
        yield self.form.name
        yield self.table.name


# --------------------------------------------------------------------------- layouts


class LayoutError(DataFileError):
    """A layout file that cannot be used, with the line and key at fault."""


@dataclasses.dataclass(frozen=True)
class _Group:
    """A group of fields as the layout file declares them; ``each`` makes one per indicator."""

    fields: tuple[Field | "_Each", ...]


@dataclasses.dataclass(frozen=True)
class _Each:
    """A field repeated for each indicator of a framework, its texts filled from the indicator."""

    field: Field

    def fields(self, framework: fw.Framework) -> tuple[Field, ...]:
        def filled(text: str, i: fw.Indicator) -> str:
            return text.format(number=i.number, name_th=i.name_th, name_en=i.name_en, instrument=i.instrument)

        f = self.field
        return tuple(dataclasses.replace(f, key=filled(f.key, i), label_th=filled(f.label_th, i),
                                         label_en=filled(f.label_en, i), help_th=filled(f.help_th, i))
                     for i in framework.indicators)


@dataclasses.dataclass(frozen=True)
class _Part:
    group: str
    locked: bool = False


@dataclasses.dataclass(frozen=True)
class KindLayout:
    """How a layout arranges one kind of workbook."""

    title: str
    form_sheet: str
    form_title: str
    form: tuple[_Part, ...]
    form_first_row: int
    table_sheet: str
    table_title: str
    table: tuple[_Part, ...]
    header_row: int
    default_rows: int
    fixed_rows: bool
    hidden: frozenset[str]
    print_pages_wide: int
    widths: Mapping[str, float]
    report: ReportLayout


@dataclasses.dataclass(frozen=True, eq=False)
class Layout:
    """One version of the workbook layout, as its data file declares it.

    Its identity is :attr:`version` and :attr:`sha256`, the SHA-256 of its content (not its
    text: a comment may change), both recorded in every workbook made with it."""

    version: str
    sha256: str
    origin: str
    kinds: Mapping[Kind, KindLayout]
    groups: Mapping[str, tuple[Field | _Each, ...]]
    merge_office: tuple[str, ...]
    """The office fields every consolidated table starts with, in order."""
    text: str = dataclasses.field(default="", repr=False)
    """The file's text, as read (the ledger keeps it beside the results read with it)."""

    def __reduce__(self):  # a worker process finds the same layout, not a copy of it
        return _restore_layout, (self.version, self.sha256, self.origin)

    @property
    def order(self) -> tuple[int, ...]:
        """How versions sort: by the numbers in them ("10" after "9")."""
        return tuple(int(n) for n in re.findall(r"\d+", self.version)) or (0,)

    def spec(self, kind: Kind | str, framework: fw.Framework) -> TemplateSpec:
        """The spec of a kind of workbook under a framework (see :func:`spec_for`)."""
        key = (self.sha256, Kind(kind), framework.sha256)
        if key not in _SPECS:
            _SPECS[key] = self._build(Kind(kind), framework)
        return _SPECS[key]

    def office_fields(self) -> tuple[Field, ...]:
        """The office fields of the merge (:attr:`merge_office`), as the measures form declares them."""
        fields = {f.key: f for f in self._fields(self.kinds[Kind.MEASURES].form, None)}
        return tuple(fields[k] for k in self.merge_office)

    def _fields(self, parts: tuple[_Part, ...], framework: fw.Framework | None) -> tuple[Field, ...]:
        out: list[Field] = []
        for part in parts:
            for entry in self.groups[part.group]:
                if isinstance(entry, _Each):
                    made = entry.fields(framework) if framework is not None else ()
                else:
                    made = (entry,)
                out.extend(dataclasses.replace(f, locked=True) if part.locked else f for f in made)
        return tuple(out)

    def _build(self, kind: Kind, framework: fw.Framework) -> TemplateSpec:
        k = self.kinds[kind]
        how = _rating_how(framework)
        form_fields = tuple(
            dataclasses.replace(f, help_th=f.help_th.replace("{rating_how}", how)[:255]) if "{rating_how}" in f.help_th
            else f for f in self._fields(k.form, framework))
        columns = tuple(dataclasses.replace(f, width=k.widths[f.key]) if f.key in k.widths else f
                        for f in self._fields(k.table, framework))
        form = FormSheet(k.form_sheet, k.form_title, form_fields, k.form_first_row)
        table = TableSheet(k.table_sheet, k.table_title, columns, k.header_row, k.hidden, k.print_pages_wide)
        return TemplateSpec(kind, k.title, form, table, framework, k.default_rows, k.fixed_rows, k.report, self)


def _rating_how(framework: fw.Framework) -> str:
    """What decides the framework's rating, as the rating field's help says it."""
    rating = framework.rating
    if rating.kind == "letters":
        return f"{' '.join(rating.names)} ให้ตรงกับคะแนนรวม"
    return f"ให้ตรงกับคะแนนรวมและคะแนนรายเครื่องมือ ({' '.join(i.code for i in framework.instruments)})"


_SPECS: dict[tuple[str, Kind, str], TemplateSpec] = {}


def parse(text: str, path: str = "<layout>") -> Layout:
    """A layout from the text of its file; :class:`LayoutError` names the line and key at fault."""
    src = Source(path, text, LayoutError)
    data = parse_toml(text, path, LayoutError, "a layout")
    version = get(data, "version", str, src, "")
    if not re.fullmatch(r"[0-9][0-9A-Za-z.\-]{0,31}", version):
        raise src.fail(f"version must start with a digit (letters, digits, '.' and '-' after it), not {version!r}",
                       "version")
    groups = _groups(get(data, "groups", dict, src, ""), src)
    kinds_data = get(data, "kinds", dict, src, "")
    kinds = {}
    for kind in Kind:
        if kind.value not in kinds_data:
            raise src.fail(f"kinds.{kind.value} is missing", "kinds")
        kinds[kind] = _kind(kinds_data[kind.value], kind.value, groups, src)
    unknown = set(kinds_data) - {k.value for k in Kind}
    if unknown:
        raise src.fail(f"unknown kind {sorted(unknown)[0]!r} (known: {', '.join(k.value for k in Kind)})", "kinds")
    merge = get(data, "merge", dict, src, "")
    office = tuple(_strings(get(merge, "office", list, src, "merge.", "merge"), src, "merge.office", "merge"))
    form_keys = {f.key for part in kinds[Kind.MEASURES].form for f in groups[part.group] if isinstance(f, Field)}
    for key in office:
        if key not in form_keys:
            raise src.fail(f"merge.office names {key!r}, which is not a field of the measures form",
                           "merge.office", "merge")
    unknown_top = set(data) - {"version", "groups", "kinds", "merge"}
    if unknown_top:
        raise src.fail(f"unknown key {sorted(unknown_top)[0]!r}", sorted(unknown_top)[0])
    return Layout(version, content_sha256(data), path, kinds, groups, office, text)


def _strings(values: list, src: Source, key: str, table: str | None = None) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise src.fail(f"{key} must be a list of texts", key, table)
    return values


_FIELD_KEYS = {"key", "label_th", "label_en", "type", "required", "choices", "width", "help_th", "locked", "each"}


def _groups(data: Mapping[str, Any], src: Source) -> dict[str, tuple[Field | _Each, ...]]:
    groups: dict[str, tuple[Field | _Each, ...]] = {}
    for name, entries in data.items():
        table = f"groups.{name}"
        if not isinstance(entries, list) or not entries:
            raise src.fail(f"{table} must be a list of fields ([[{table}]])", table)
        groups[name] = tuple(_field(e, src, table, i) for i, e in enumerate(entries))
    return groups


def _field(data: Mapping[str, Any], src: Source, table: str, index: int) -> Field | _Each:
    def value(key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        return get(data, key, kind, src, "", table, index, default)

    type_name = value("type", str)
    cls = fieldtypes.TYPES.get(type_name)
    if cls is None:
        raise src.fail(f"type must be one of {', '.join(fieldtypes.TYPES)}, not {type_name!r}", "type", table, index)
    unknown = set(data) - _FIELD_KEYS - set(cls.options)
    if unknown:
        raise src.fail(f"unknown key {sorted(unknown)[0]!r} for a {type_name} field", sorted(unknown)[0], table, index)
    try:
        ftype = cls.of({k: data[k] for k in cls.options if k in data})
    except (TypeError, ValueError) as exc:
        raise src.fail(f"{type_name}: {exc}", "type", table, index) from None
    key = value("key", str)
    each = value("each", str, "")
    if not re.fullmatch(r"[a-z][a-z0-9_]*" + (r"(\{number\}[a-z0-9_]*)?" if each else ""), key):
        raise src.fail(f"key must be lower-case letters, digits and '_', not {key!r}", "key", table, index)
    choices = value("choices", str, None)
    if (choices is None) != (type_name != "choice") or (choices is not None and choices not in CHOICE_LISTS):
        raise src.fail(f"a choice field names one of {', '.join(CHOICE_LISTS)} in choices; no other field has choices",
                       "choices", table, index)
    width = value("width", (int, float), 14)
    if not 1 <= width <= 100:
        raise src.fail(f"width must be from 1 to 100, not {width:g}", "width", table, index)
    help_th = value("help_th", str, "")
    if "{rule}" in help_th:  # the type's own words for its rule, so that help and check agree
        if not ftype.rule_th:
            raise src.fail(f"help_th says {{rule}}, but a {type_name} field has no rule to state", "help_th",
                           table, index)
        help_th = help_th.replace("{rule}", ftype.rule_th)
    field = Field(key, value("label_th", str), value("label_en", str), ftype, value("required", bool, False),
                  choices, width, help_th, value("locked", bool, False))
    if each:
        if each != "indicator":
            raise src.fail(f"each must be 'indicator', not {each!r}", "each", table, index)
        return _Each(field)
    return field


def _parts(values: list, src: Source, where: str, groups: Mapping[str, Any]) -> tuple[_Part, ...]:
    parts = []
    for v in values:
        part = _Part(v) if isinstance(v, str) else _Part(v.get("group", ""), v.get("locked", False)) \
            if isinstance(v, dict) and set(v) <= {"group", "locked"} else None
        if part is None or part.group not in groups or not isinstance(part.locked, bool):
            raise src.fail(f"{where} must list field groups (a name, or {{ group = …, locked = true }}); "
                           f"groups: {', '.join(groups)}", where.rsplit(".", 1)[-1], where.rsplit(".", 1)[0])
        parts.append(part)
    return tuple(parts)


def _keys(parts: Iterable[_Part], groups: Mapping[str, tuple]) -> list[str]:
    """The field keys of a sheet's parts, in order (an indicator template once, as ``score_{number}``)."""
    return [f.field.key if isinstance(f, _Each) else f.key for p in parts for f in groups[p.group]]


def _kind(data: Mapping[str, Any], name: str, groups: Mapping[str, tuple], src: Source) -> KindLayout:
    table = f"kinds.{name}"

    def value(key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        return get(data, key, kind, src, "", table, 0, default)

    form = _parts(value("form", list), src, f"{table}.form", groups)
    form_keys = _keys(form, groups)
    if len(set(form_keys)) != len(form_keys):
        raise src.fail(f"the {name} form repeats a key", "form", table)
    rows_table = _parts(value("table", list), src, f"{table}.table", groups)
    keys = _keys(rows_table, groups)
    if len(set(keys)) != len(keys) or RESERVED_KEYS.intersection(keys):
        raise src.fail(f"the {name} table repeats a key or uses a reserved one ({', '.join(sorted(RESERVED_KEYS))})",
                       "table", table)
    widths = get(data, "widths", dict, src, "", f"{table}.widths", 0, {})
    hidden = frozenset(_strings(value("hidden", list, []), src, "hidden", table))
    for key in (*widths, *hidden):
        if key not in keys:
            raise src.fail(f"{key!r} is not a column of the {name} table", key, table)
    report = get(data, "report", dict, src, "", f"{table}.report", 0)
    return KindLayout(
        title=value("title", str), form_sheet=value("form_sheet", str), form_title=value("form_title", str),
        form=form, form_first_row=value("form_first_row", int, 3), table_sheet=value("table_sheet", str),
        table_title=value("table_title", str), table=rows_table, header_row=value("header_row", int, 3),
        default_rows=value("default_rows", int, 30), fixed_rows=value("fixed_rows", bool, False), hidden=hidden,
        print_pages_wide=value("print_pages_wide", int, 1),
        widths=dict(widths), report=_report(report, keys, src, f"{table}.report"))


def _report(data: Mapping[str, Any], keys: list[str], src: Source, table: str) -> ReportLayout:
    columns = []
    for i, c in enumerate(get(data, "columns", list, src, "", table)):
        if not isinstance(c, dict) or set(c) - {"fields", "width", "show", "heading"}:
            raise src.fail("a report column is { fields = […], width = …, show = …, heading = … }", "columns", table, i)
        fields = tuple(_strings(get(c, "fields", list, src, "", table, i), src, "fields", table))
        show = get(c, "show", str, src, "", table, i, "field")
        if show not in REPORT_SHOWS or not fields or any(k not in keys for k in fields):
            raise src.fail(f"a report column shows table fields one of these ways: {', '.join(REPORT_SHOWS)}",
                           "columns", table, i)
        columns.append(ReportColumn(fields, get(c, "width", (int, float), src, "", table, i), show,
                                    get(c, "heading", str, src, "", table, i, "")))
    left_out = frozenset(_strings(get(data, "left_out", list, src, "", table, 0, []), src, "left_out", table))
    return ReportLayout(tuple(columns), left_out)


def load(path: str | Path) -> Layout:
    """Read a layout file; :class:`LayoutError` when it cannot be used."""
    from .inputs import read_option_file

    try:
        raw = read_option_file(path, limit=MAX_LAYOUT_BYTES)
        text = raw.decode("utf-8")
    except OSError as exc:
        raise LayoutError(str(path), f"cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise LayoutError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except ValueError as exc:
        raise LayoutError(str(path), f"cannot be used: {exc}") from None
    return parse(text, str(path))


@functools.lru_cache(maxsize=None)
def shipped_layouts() -> tuple[Layout, ...]:
    """Every layout shipped with itaxl, oldest first; the newest makes new workbooks."""
    return tuple(sorted((load(p) for p in sorted(LAYOUTS_DIR.glob(LAYOUT_PATTERN))), key=lambda l: l.order))


def default_layout() -> Layout:
    """The newest shipped layout: what new templates are made with."""
    return shipped_layouts()[-1]


def newest_layout(given: Iterable[Layout] = ()) -> Layout:
    """The newest of the shipped layouts and those given: what a new workbook of a run is made with."""
    return max((*shipped_layouts(), *given), key=lambda l: l.order)


def supported_versions(given: Iterable[Layout] = ()) -> tuple[str, ...]:
    """The layout versions a run reads: the shipped ones and any given."""
    return tuple(dict.fromkeys(l.version for l in (*shipped_layouts(), *given)))


def layout(version: str, given: Iterable[Layout] = ()) -> Layout | None:
    """The layout of a version: a given one first, else the shipped one; None when unknown."""
    for l in (*given, *shipped_layouts()):
        if l.version == version:
            return l
    return None


_LAYOUTS_RESTORED: dict[str, Layout] = {}


def _restore_layout(version: str, sha256: str, origin: str) -> Layout:
    found = next((l for l in shipped_layouts() if l.sha256 == sha256), None)
    if found is None:
        found = _LAYOUTS_RESTORED.get(sha256) or load(origin)
        _LAYOUTS_RESTORED[sha256] = found
    return found


def spec_for(kind: Kind | str, framework: fw.Framework | None = None, layout: Layout | None = None) -> TemplateSpec:
    """The spec of a kind of workbook under a framework and a layout.

    ``framework`` None is the newest shipped framework, ``layout`` None the newest shipped
    layout: what a new template is made with.  A workbook read back is always asked about with
    its own (:attr:`itaxl.reader.Submission.spec`).  A framework with eleven indicators gives
    eleven score fields."""
    return (layout or default_layout()).spec(kind, framework or fw.default())


def __getattr__(name: str) -> Any:
    """``MEASURES`` and ``PROGRESS``: the specs of new workbooks (newest layout and framework),
    made when first asked for, for scripts and tests.  itaxl itself asks :func:`spec_for`."""
    if name in ("MEASURES", "PROGRESS"):
        return spec_for(Kind[name])
    if name == "SCHEMA_VERSION":
        return default_layout().version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


EXAMPLE_INDICATOR = 4
"""The indicator of the guide's example row: its label comes from the framework."""
EXAMPLE_ROW = {
    "number": 1,
    "issue": "บุคลากรยังขาดความเข้าใจเรื่องการใช้ทรัพย์สินของราชการ",
    "measure": "กำหนดแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการที่ถูกต้อง",
    "method": "1. จัดทำแนวทางปฏิบัติ\n2. ประชุมชี้แจงบุคลากร\n3. รายงานผล ณ สิ้นปีงบประมาณ",
    "responsible": "สำนักปลัด กองคลัง", "start": "1 ต.ค. {y0}", "end": "30 ก.ย. {y1}",
    "monitoring": "รายงานผลในการประชุมประจำเดือน",
    "status": "ดำเนินการแล้วเสร็จ",
    "result": "ประชุมชี้แจงแนวทางปฏิบัติในการประชุมประจำเดือน เมื่อวันที่ 13 ม.ค. {y1}",
    "outcome": "บุคลากรถือปฏิบัติตามแนวทาง", "obstacles": "-",
    "evidence_url": "https://www.example.go.th/news/123", "done_date": "13 ม.ค. {y1}",
}
"""The example row the template's guide shows, field by field ({y0}, {y1}: the years of the
fiscal year); a row that repeats it was left in by mistake (rule template-example)."""
