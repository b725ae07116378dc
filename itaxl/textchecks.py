"""Rules about what offices write in free text, applied after the cell rules of :mod:`itaxl.validate`.

Offices' real mistakes sit in their sentences: a year slip inside a result, a
"done" that names a month after the report, a plan whose deadline falls before
its own fiscal year.  Each rule here is a warning (a person decides) and is
tuned for precision: on clean workbooks none fires.
"""

from __future__ import annotations

import datetime
from typing import Iterable

from .reader import Measure, Submission, _Context
from .schema import ROUNDS, Field, FieldType, Kind, TableSheet
from .thai import TextDate, find_dates, fiscal_year_bounds, format_date, round_bounds

PLAN_GRACE = datetime.timedelta(days=92)
"""A plan may schedule its last report up to a quarter after its fiscal year (the year's results)."""
PREPARED_BEFORE = datetime.timedelta(days=183)
"""A measures document is prepared at most half a year before its fiscal year starts."""


def check(sub: Submission, ctx: _Context) -> None:
    """Apply every free-text rule of the submission's kind."""
    spec = sub.spec
    if spec is None or sub.fiscal_year is None:
        return
    if spec.kind is Kind.MEASURES:
        _check_plan_dates(spec.table, sub, ctx)
        _check_prepared_date(sub, ctx)
    elif sub.round in ROUNDS:
        _check_answer_dates(spec.table, sub, ctx)


def _long_texts(table: TableSheet) -> Iterable[Field]:
    return [f for f in table.input_columns if f.type is FieldType.LONGTEXT]


def _cells(table: TableSheet, sub: Submission) -> Iterable[tuple[Field, Measure, str, str]]:
    """(field, measure, cell reference, text) of every free-text input cell."""
    for f in _long_texts(table):
        for m in sub.measures:
            text = getattr(m, f.key, None)
            if isinstance(text, str) and text:
                yield f, m, f"{table.letter_of(f.key)}{m.row}", text


def _check_plan_dates(table: TableSheet, sub: Submission, ctx: _Context) -> None:
    """A date in the plan before its fiscal year, or well after it: a year slip."""
    start, end = fiscal_year_bounds(sub.fiscal_year)
    for _f, _m, ref, text in _cells(table, sub):
        for d in find_dates(text):
            if d.end < start or d.start > end + PLAN_GRACE:
                _outside_year(ctx, table.name, ref, d, sub.fiscal_year, start, end)
                break


def _check_answer_dates(table: TableSheet, sub: Submission, ctx: _Context) -> None:
    """A date in a result outside the fiscal year, after the round (round 6) or after the report."""
    fy_start, fy_end = fiscal_year_bounds(sub.fiscal_year)
    _r_start, r_end = round_bounds(sub.fiscal_year, sub.round)
    report = sub.header.get("report_date")
    for _f, _m, ref, text in _cells(table, sub):
        for d in find_dates(text):
            if d.end < fy_start or d.start > fy_end:
                _outside_year(ctx, table.name, ref, d, sub.fiscal_year, fy_start, fy_end)
            elif sub.round == 6 and d.start > r_end:
                ctx.add("date-in-text-outside-round", table.name, ref, value=d.text, end=format_date(r_end))
            elif isinstance(report, datetime.date) and d.start > report:
                ctx.add("date-in-text-after-report", table.name, ref, value=d.text, report=format_date(report))
            else:
                continue
            break


def _outside_year(ctx: _Context, sheet: str, ref: str, d: TextDate, fy: int, start: datetime.date,
                  end: datetime.date) -> None:
    ctx.add("date-in-text-outside-fiscal-year", sheet, ref, value=d.text, fiscal_year=fy,
            start=format_date(start), end=format_date(end))


def _check_prepared_date(sub: Submission, ctx: _Context) -> None:
    form = sub.spec.form
    prepared = sub.header.get("report_date")
    if not isinstance(prepared, datetime.date):
        return
    start, end = fiscal_year_bounds(sub.fiscal_year)
    if prepared < start - PREPARED_BEFORE or prepared > end:
        ctx.add("prepared-date-outside-fiscal-year", form.name, form.cell_of("report_date"),
                value=format_date(prepared), fiscal_year=sub.fiscal_year, start=format_date(start),
                end=format_date(end))
