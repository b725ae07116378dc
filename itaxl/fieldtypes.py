"""Field types: everything a kind of value does, in one object per kind.

A field of the layout (:mod:`itaxl.schema`) names its type and the type's constraints in the
layout file (``type = "decimal"``, ``min = 0``, ``places = 2``).  The type then decides, for
every part of itaxl, how such a value behaves:

* reading a cell and checking its constraints (:meth:`FieldType.read`), with problems of form
  reported at the cell;
* the template: the cell's number format and alignment (:meth:`FieldType.cell_format`) and its
  data validation with the Thai input help (:meth:`FieldType.validation`);
* the consolidated workbook's number format (:attr:`FieldType.merged_format`);
* the report's text (:meth:`FieldType.report_text`) and the CSV/JSON value (:meth:`FieldType.plain`).

A new field of an existing type is one entry in the layout file; a new type is one class here,
registered in :data:`TYPES` by its :attr:`~FieldType.name`.

>>> t = TYPES["decimal"].of({"min": 0, "places": 2})
>>> t.merged_format, t.report_text(1500.5, thai_digits=False)
('#,##0.00', '1,500.50')
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

from .thai import (
    BE_OFFSET, ThaiDateError, fiscal_year_bounds, format_date, parse_date, parse_number, parse_period,
    thai_digits_in_text, to_thai_digits,
)

if TYPE_CHECKING:
    from .schema import Field

DATE_FORMAT = "[$-107041E]d mmm yyyy"
"""Every date itaxl writes into a workbook: 13 ม.ค. 2566 in Excel and LibreOffice (locale 041E,
calendar 07: Thai, Buddhist Era)."""
EXCEL_CELL_LIMIT = 32767
"""Most characters (UTF-16 code units) an Excel cell holds."""

BE_AS_CE_YEARS = (2400, 2700)
"""A C.E. year in this range is a B.E. year typed where C.E. was expected."""
SHORT_YEARS = (1930, 1999)
"""Where spreadsheets put a 2-digit year from 30 to 99 ("13/1/67" is stored as 13 Jan 1967)."""
YEAR_RANGE = (2500, 2700)
"""The B.E. years a year cell accepts in a template's data validation."""
DATE_RANGE = (datetime.date(1990, 1, 1), datetime.date(2100, 12, 31))
"""The dates a date cell outside a fiscal-year window accepts."""


class Problems:
    """Where a type reports what it found: the reader's collector for one file (``add``)."""

    def add(self, code: str, sheet: str | None = None, cell: str | None = None, /, **params: Any) -> None: ...


def shown(value: object) -> str:
    """A value as a message quotes it: at most 60 characters."""
    from .metadata import canonical

    text = canonical(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclasses.dataclass(frozen=True)
class FieldType:
    """What every field type does; subclasses override what is theirs.

    Instances are values (frozen, compared by their constraints): two fields of one type and
    the same constraints share behaviour and formats.
    """

    name: ClassVar[str] = ""
    options: ClassVar[tuple[str, ...]] = ()
    """The constraint keys the layout file may give this type."""
    text: ClassVar[bool] = False
    """Held as text: an empty cell reads as ""."""
    free_text: ClassVar[bool] = False
    """Words an office writes: checked for leftover placeholders."""
    paragraphs: ClassVar[bool] = False
    """Long text: checked for pasted duplicates and wording."""
    num_format: ClassVar[str] = "@"
    align: ClassVar[str | None] = None
    merged_format: ClassVar[str] = "#,##0"
    """The consolidated workbook's number format for numbers in such a column."""
    rule_th: ClassVar[str] = ""
    """What a value of the type must be, in Thai: ``{rule}`` in a field's help says it."""
    rule_en: ClassVar[str] = ""

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> "FieldType":
        """The type with the layout file's constraints (already checked against :attr:`options`)."""
        return cls(**dict(options))

    # ------------------------------------------------------------------ reading

    def read(self, f: "Field", value: object, ctx: Problems, sheet: str, ref: str,
             fiscal_year: int | None) -> Any:
        """The typed value of a cell holding ``value`` (never None, never blank text), or None
        when it cannot be used, with its problems added to ``ctx``."""
        from .metadata import canonical
        from .thai import clean_text

        text = format_date(value.date()) if isinstance(value, datetime.datetime) else clean_text(canonical(value))
        if len(text) > EXCEL_CELL_LIMIT:
            ctx.add("text-too-long", sheet, ref, length=len(text), limit=EXCEL_CELL_LIMIT)
        return text or None

    # ------------------------------------------------------------------ the template

    def cell_format(self, *, locked: bool) -> dict[str, Any]:
        """The number format and alignment of the field's template cell."""
        props: dict[str, Any] = {"num_format": self.num_format}
        if self.align:
            props["align"] = self.align
        return props

    def validation(self, f: "Field", fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
        """The data validation of an input cell, beyond its Thai help: ``{"validate": "any"}`` for none."""
        return {"validate": "any"}

    # ------------------------------------------------------------------ writing values

    def report_text(self, value: object, *, thai_digits: bool) -> str:
        """A value as the official report writes it."""
        text = "" if value is None else str(value).strip()
        return thai_digits_in_text(text) if thai_digits else text

    def plain(self, value: object) -> object:
        """A value as CSV and JSON hold it."""
        return value


def _number_problem(f: "Field", value: object, ctx: Problems, sheet: str, ref: str) -> None:
    ctx.add("number-invalid", sheet, ref, value=shown(value), label=f.label_th, label_en=f.label_en)


@dataclasses.dataclass(frozen=True)
class Text(FieldType):
    """Short text on one line."""

    name: ClassVar[str] = "text"
    text: ClassVar[bool] = True
    free_text: ClassVar[bool] = True


@dataclasses.dataclass(frozen=True)
class LongText(Text):
    """Paragraphs, wrapped in their cell."""

    name: ClassVar[str] = "longtext"
    paragraphs: ClassVar[bool] = True


@dataclasses.dataclass(frozen=True)
class Url(FieldType):
    """Links, separated by spaces or lines; the rule ``evidence-links`` checks each against
    :attr:`PATTERN`, and every text that states the rule (the field's help, the guide, the
    ``url-invalid`` message) says :attr:`rule_th` / :attr:`rule_en`."""

    name: ClassVar[str] = "url"
    text: ClassVar[bool] = True
    PATTERN: ClassVar[re.Pattern] = re.compile(
        r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$|^https?://localhost(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE)
    """A web address with a host that has a dot (or localhost)."""
    rule_th: ClassVar[str] = "ขึ้นต้นด้วย https:// หรือ http://"
    rule_en: ClassVar[str] = "start with https:// or http://"

    @classmethod
    def links(cls, text: str | None) -> list[str]:
        """The links a cell holds: its words."""
        return (text or "").split()

    @classmethod
    def is_link(cls, word: str) -> bool:
        return bool(cls.PATTERN.match(word))


@dataclasses.dataclass(frozen=True)
class Choice(FieldType):
    """A dropdown of a named choice list (:func:`itaxl.schema.choice_lists`); the reader maps
    what an office typed to the canonical value."""

    name: ClassVar[str] = "choice"

    @staticmethod
    def list_name(choices: str) -> str:
        """The workbook-level name of a choice list's cells on the hidden list sheet."""
        return f"itaxl_{choices}"

    def validation(self, f: "Field", fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
        return {"validate": "list", "source": f"={self.list_name(f.choices or '')}", "error_type": "stop",
                "error_message": "กรุณาเลือกจากรายการที่กำหนด"}


@dataclasses.dataclass(frozen=True)
class Number(FieldType):
    """A number; subclasses bound it."""

    name: ClassVar[str] = ""
    num_format: ClassVar[str] = "0"
    align: ClassVar[str | None] = "center"

    def read(self, f: "Field", value: object, ctx: Problems, sheet: str, ref: str,
             fiscal_year: int | None) -> Any:
        if isinstance(value, (bool, datetime.datetime)):
            _number_problem(f, value, ctx, sheet, ref)
            return None
        if isinstance(value, str):
            try:
                number = self.typed(parse_number(value))
            except ValueError:
                _number_problem(f, value, ctx, sheet, ref)
                return None
            ctx.add("number-typed-as-text", sheet, ref, value=shown(value), parsed=f"{number:g}")
            value = number
        number = float(value)  # type: ignore[arg-type]
        return self.checked(f, number, value, ctx, sheet, ref)

    def typed(self, number: float) -> float:
        """A number read from text, before its checks (a year's short form is widened here)."""
        return number

    def checked(self, f: "Field", number: float, value: object, ctx: Problems, sheet: str, ref: str) -> Any:
        return number

    def report_text(self, value: object, *, thai_digits: bool) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super().report_text(value, thai_digits=thai_digits)


@dataclasses.dataclass(frozen=True)
class Integer(Number):
    """A whole number, such as a measure's number (the template suggests 1 to 9999)."""

    name: ClassVar[str] = "integer"
    merged_format: ClassVar[str] = "0"

    def checked(self, f: "Field", number: float, value: object, ctx: Problems, sheet: str, ref: str) -> Any:
        if not number.is_integer():
            _number_problem(f, value, ctx, sheet, ref)
            return None
        return int(number)

    def validation(self, f: "Field", fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 9999,
                "error_type": "warning", "error_message": "กรุณากรอกเป็นจำนวนเต็ม"}


@dataclasses.dataclass(frozen=True)
class Year(Integer):
    """A B.E. year; "67" typed as text reads as 2567."""

    name: ClassVar[str] = "year"
    align: ClassVar[str | None] = "left"

    def typed(self, number: float) -> float:
        return number + 2500 if 0 < number < 100 else number

    def validation(self, f: "Field", fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
        return {"validate": "integer", "criteria": "between", "minimum": YEAR_RANGE[0], "maximum": YEAR_RANGE[1],
                "error_type": "warning", "error_message": "กรุณากรอกปี พ.ศ. 4 หลัก เช่น 2566"}


@dataclasses.dataclass(frozen=True)
class Score(Number):
    """An ITA score from 0 to 100, shown with two decimals."""

    name: ClassVar[str] = "score"
    num_format: ClassVar[str] = "0.00"
    align: ClassVar[str | None] = "left"
    merged_format: ClassVar[str] = "0.00"

    def checked(self, f: "Field", number: float, value: object, ctx: Problems, sheet: str, ref: str) -> Any:
        if not 0 <= number <= 100:
            ctx.add("score-out-of-range", sheet, ref, value=f"{number:g}")
            return None
        return number

    def validation(self, f: "Field", fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
        return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
                "error_type": "warning", "error_message": "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"}


@dataclasses.dataclass(frozen=True)
class Decimal(Number):
    """An amount with at most ``places`` decimals, between ``min`` and ``max`` when given
    (a budget in baht: ``min = 0``, ``places = 2``), written with thousands separators."""

    name: ClassVar[str] = "decimal"
    options: ClassVar[tuple[str, ...]] = ("min", "max", "places")
    min: float | None = None
    max: float | None = None
    places: int = 2

    def __post_init__(self) -> None:
        if not 0 <= self.places <= 6:
            raise ValueError(f"places must be from 0 to 6, not {self.places}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}")

    @property
    def _pattern(self) -> str:
        return "#,##0" + ("." + "0" * self.places if self.places else "")

    @property
    def merged_format(self) -> str:  # type: ignore[override]
        return self._pattern

    def cell_format(self, *, locked: bool) -> dict[str, Any]:
        return {"num_format": self._pattern, "align": "right"}

    def checked(self, f: "Field", number: float, value: object, ctx: Problems, sheet: str, ref: str) -> Any:
        if not math.isfinite(number):
            _number_problem(f, value, ctx, sheet, ref)
            return None
        if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
            ctx.add("number-out-of-range", sheet, ref, value=f"{number:g}", range=self.range_text(),
                    label=f.label_th, label_en=f.label_en)
            return None
        if round(number, self.places) != number and not math.isclose(round(number, self.places), number,
                                                                      rel_tol=0, abs_tol=1e-9):
            ctx.add("number-too-precise", sheet, ref, value=f"{number:g}", places=self.places,
                    label=f.label_th, label_en=f.label_en)
            return None
        return number

    def range_text(self) -> str:
        """The allowed range as the messages state it: "0 ขึ้นไป / 0 or more" style, in figures."""
        low, high = self.min, self.max
        if low is not None and high is not None:
            return f"{low:,g} – {high:,g}"
        if low is not None:
            return f"≥ {low:,g}"
        return f"≤ {high:,g}" if high is not None else ""

    def validation(self, f: "Field", fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
        low = self.min if self.min is not None else -1e15
        high = self.max if self.max is not None else 1e15
        return {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": high,
                "error_type": "warning",
                "error_message": f"กรุณากรอกตัวเลข ทศนิยมไม่เกิน {self.places} ตำแหน่ง ({self.range_text()})"}

    def report_text(self, value: object, *, thai_digits: bool) -> str:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return super().report_text(value, thai_digits=thai_digits)
        text = f"{value:,.{self.places}f}"
        return to_thai_digits(text) if thai_digits else text


@dataclasses.dataclass(frozen=True)
class Date(FieldType):
    """A day, shown with its B.E. year; typed text ("15 ม.ค. 2567", "1/10/66") is read and noted."""

    name: ClassVar[str] = "date"
    num_format: ClassVar[str] = DATE_FORMAT
    align: ClassVar[str | None] = "center"

    def read(self, f: "Field", value: object, ctx: Problems, sheet: str, ref: str,
             fiscal_year: int | None) -> Any:
        if isinstance(value, datetime.datetime):
            return _day(value.date(), ctx, sheet, ref, fiscal_year)
        if isinstance(value, str):
            try:
                day = parse_date(value)
                ctx.add("date-typed-as-text", sheet, ref, value=shown(value), parsed=format_date(day))
                return day
            except ThaiDateError:
                pass
            try:
                start, end = parse_period(value, fiscal_year)
            except ThaiDateError:
                ctx.add("date-invalid", sheet, ref, value=shown(value), label=f.label_th, label_en=f.label_en)
                return None
            ctx.add("date-typed-as-text", sheet, ref, value=shown(value),
                    parsed=f"{format_date(start)} – {format_date(end)}")
            return start, end
        ctx.add("date-invalid", sheet, ref, value=shown(value), label=f.label_th, label_en=f.label_en)
        return None

    def validation(self, f: "Field", fiscal_year: int, *, date_window: bool) -> dict[str, Any]:
        start, end = fiscal_year_bounds(fiscal_year) if date_window else DATE_RANGE
        period = f"{format_date(start, abbreviated=True)} – {format_date(end, abbreviated=True)}"
        return {"validate": "date", "criteria": "between", "minimum": start, "maximum": end,
                "error_type": "warning",
                "error_message": f"วันที่ควรอยู่ในช่วง {period}" if date_window else "กรุณากรอกวันที่"}

    def report_text(self, value: object, *, thai_digits: bool) -> str:
        if isinstance(value, datetime.date):
            return format_date(value, abbreviated=True, thai_digits=thai_digits)
        return super().report_text(value, thai_digits=thai_digits)

    def plain(self, value: object) -> object:
        return value.isoformat() if isinstance(value, datetime.date) else value


def _day(day: datetime.date, ctx: Problems, sheet: str, ref: str, fiscal_year: int | None) -> datetime.date:
    """A date cell's day, with a B.E. year typed where C.E. belongs (or a 2-digit B.E. year
    taken for 19xx) put right and noted."""
    if BE_AS_CE_YEARS[0] <= day.year <= BE_AS_CE_YEARS[1]:
        # "30 ก.ย. 2567" typed into an application that takes 2567 as C.E.: the cell
        # holds 30 Sep 2567 C.E. (shown as 3110 B.E.). No ITA date is that far ahead.
        fixed = day.replace(year=day.year - BE_OFFSET)
        ctx.add("date-be-year-as-ce", sheet, ref, value=day.isoformat(), shown=day.year + BE_OFFSET,
                parsed=format_date(fixed))
        return fixed
    fixed = short_be_year(day, fiscal_year)
    if fixed is not None:
        ctx.add("date-short-be-year", sheet, ref, value=day.isoformat(), short=f"{day.year % 100:02d}",
                parsed=format_date(fixed))
        return fixed
    return day


def short_be_year(day: datetime.date, fiscal_year: int | None) -> datetime.date | None:
    """The date a 2-digit B.E. year meant ("67" for 2567), when the application took it for
    19xx and the B.E. reading falls within a year of the fiscal year; else None."""
    if fiscal_year is None or not SHORT_YEARS[0] <= day.year <= SHORT_YEARS[1]:
        return None
    try:
        meant = day.replace(year=2500 + day.year % 100 - BE_OFFSET)
    except ValueError:  # 29 February
        return None
    start, end = fiscal_year_bounds(fiscal_year)
    near = datetime.timedelta(days=366)
    return meant if start - near <= meant <= end + near else None


TYPES: dict[str, type[FieldType]] = {
    t.name: t for t in (Text, LongText, Url, Choice, Integer, Year, Score, Decimal, Date)
}
"""Every field type by the name a layout file gives it."""
