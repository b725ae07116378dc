"""Rules about the content of a workbook, applied after :mod:`itaxl.reader` has read it.

>>> import itaxl
>>> sub = itaxl.read("measures-2567-6311805.xlsx")   # doctest: +SKIP
>>> sub.valid, [p.code for p in sub.problems]        # doctest: +SKIP
(True, [])
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import difflib
import functools
import os
import re
import unicodedata

from . import problems, registry, textchecks
from .problems import excerpt
from .errors import UsageError
from .fieldtypes import Url
from .guard import DEFAULT_LIMITS, Limits
from .reader import Measure, Submission, _Context, read_workbook
from .framework import SHIPPED, Catalogue, Framework, assessed_year
from .rulebook import FREE_TEXT, LONG_TEXT, REQUIRED, SCORES, Rule, rule
from .schema import PLACEHOLDER_PATTERNS, ROUNDS, FormSheet, Kind, Status
from .thai import find_dates, fiscal_year_bounds, format_date, round_bounds
from .utility import cell_ref

__all__ = ["read", "Checklist", "EVERY_RULE", "RULES", "rule_named", "families"]

# Texts shorter than this are not reported when repeated: "สำนักปลัด" in every row is normal.
DUPLICATE_MIN_CHARS = 40
TOTAL_TOLERANCE = 0.02


def read(path: str | os.PathLike, *, key: bytes | None = None, limits: Limits = DEFAULT_LIMITS,
         catalogue: Catalogue = SHIPPED, checklist: "Checklist | None" = None) -> Submission:
    """Read one workbook and apply every rule: the :class:`Submission` with all its problems.

    ``catalogue`` adds the frameworks given with ``--framework`` to the shipped ones;
    ``checklist`` skips some rules' codes (:class:`Checklist`)."""
    sub = read_workbook(path, key=key, limits=limits, catalogue=catalogue)
    (checklist or EVERY_RULE).apply(sub)
    return sub


@dataclasses.dataclass(frozen=True)
class Checklist:
    """The rules applied to a workbook: every one, but for the codes and families in ``skip``.

    As frictionless's ``skip_errors``: a skipped code is never reported (a rule all of whose
    codes are skipped does not run); a family name skips every code of its rules.  What the
    reader finds while reading a workbook (its integrity, cells that cannot be read) is not a
    rule's and cannot be skipped.

    >>> Checklist(skip=("text", "url-invalid")).skipped[:2]
    ['duplicate-text', 'near-duplicate-text']
    """

    skip: tuple[str, ...] = ()
    codes: frozenset[str] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "skip", tuple(dict.fromkeys(self.skip)))
        object.__setattr__(self, "codes", frozenset(c for name in self.skip for c in _codes_named(name)))

    @property
    def skipped(self) -> list[str]:
        """The codes skipped, in the order of the problem catalogue."""
        return [c for c in problems.CATALOGUE if c in self.codes]

    def runs(self, r: Rule) -> bool:
        """Whether the rule runs at all (some code of it is not skipped)."""
        return not self.codes.issuperset(r.codes)

    def apply(self, sub: Submission) -> None:
        """Apply the rules to a submission the reader has read, adding what they find to its problems."""
        ctx = _Context(sub.path)
        for r in RULES:
            if not (self.runs(r) and r.applies_to(sub)):
                continue
            start = len(ctx.problems)
            r.run(sub, ctx)
            found = ctx.problems[start:]
            assert all(p.code in r.codes for p in found), f"rule {r.name} reported a code it does not declare"
            if self.codes:  # as if never reported: a later rule does not see it either
                ctx.problems[start:] = [p for p in found if p.code not in self.codes]
        sub.problems.extend(ctx.problems)


def _codes_named(name: str) -> tuple[str, ...]:
    """The codes a --skip name stands for: a family's, or one rule code."""
    in_family = tuple(dict.fromkeys(c for r in RULES if r.family == name for c in r.codes))
    if in_family:
        return in_family
    if any(name in r.codes for r in RULES):
        return (name,)
    if name in problems.CATALOGUE:
        raise UsageError(f"cannot skip {name!r}: it is found while the workbook is read, not by a rule")
    near = difflib.get_close_matches(name, [*families(), *(c for r in RULES for c in r.codes)], n=1)
    raise UsageError(f"no rule code or family is called {name!r}"
                     + (f" (did you mean {near[0]!r}?)" if near else "") + "; see 'itaxl rules list'")


def families() -> list[str]:
    """The rule families, in the order rules are applied."""
    return list(dict.fromkeys(r.family for r in RULES))


def rule_named(name: str) -> Rule:
    """The rule called ``name`` (``evidence-links``)."""
    found = next((r for r in RULES if r.name == name), None)
    if found is None:
        raise KeyError(name)
    return found


M, P = (Kind.MEASURES,), (Kind.PROGRESS,)


@rule("required-form", family="form", codes=("required-missing",), reads=(REQUIRED,),
      th="ช่องที่ต้องกรอกในแผ่นข้อมูลหน่วยงานต้องไม่ว่าง", en="Every required cell of the form is filled")
def required_form(sub: Submission, ctx: _Context) -> None:
    form = sub.spec.form
    for f in form.fields:
        if f.required and sub.header.get(f.key) is None and not _reported(ctx, sub, form.name, form.cell_of(f.key)):
            ctx.add("required-missing", form.name, form.cell_of(f.key), label=f.label_th, label_en=f.label_en)


def _reported(ctx: _Context, sub: Submission, sheet: str, cell: str) -> bool:
    """Whether the reader already reported an error at this cell (no second message for it)."""
    return any(p.sheet == sheet and p.cell == cell and p.is_error for p in (*sub.problems, *ctx.problems))


@rule("office", family="form", codes=("office-unknown", "office-name-mismatch", "office-not-in-register",
                                       "office-code-of-name"),
      reads=("org_code", "org_name", "district"),
      th="รหัส อปท. อยู่ในทะเบียน ชื่อหน่วยงานกับอำเภอตรงกับทะเบียน และชื่อที่ไม่มีรหัสเป็นชื่อในทะเบียน",
      en="The office code is in the register, its name and district match it; a name given without a code is in it")
def office(sub: Submission, ctx: _Context) -> None:
    """The office a workbook says it is: its code in the register, its name and district the
    register's; a name given without a code looked up in the register (the code it has, or
    the registered names nearest a name no office has)."""
    form = sub.spec.form
    code_cell = form.cell_of("org_code")
    written_code = sub.header.get("org_code")
    if written_code is None:
        _office_by_name(sub, ctx)
        return
    found = registry.lookup(written_code)
    if found is None:
        ctx.add("office-unknown", form.name, code_cell, code=written_code)
        return
    name = sub.header.get("org_name")
    if name and not registry.same_name(name, found):
        ctx.add("office-name-mismatch", form.name, form.cell_of("org_name"), found=name, code=found.code,
                expected=found.full_name)
    district = sub.header.get("district")
    if district and district.removeprefix("อำเภอ").strip() != found.district_th:
        ctx.add("office-name-mismatch", form.name, form.cell_of("district"), found=district, code=found.code,
                expected=f"อำเภอ{found.district_th}")


def _office_by_name(sub: Submission, ctx: _Context) -> None:
    """A name without a code: the code of the office it names, or that no office has it."""
    name = sub.header.get("org_name")
    if not name:
        return
    form = sub.spec.form
    found = registry.named(name)
    if found:
        ctx.add("office-code-of-name", form.name, form.cell_of("org_code"), found=name,
                offices=", ".join(f"{o.code} ({_where(o)})" for o in found[:5]))
        return
    near = registry.near_names(name)
    ctx.add("office-not-in-register", form.name, form.cell_of("org_name"), found=name,
            near=", ".join(f"{o.short_name} ({_where(o)}, {o.code})" for o in near) or "-")


def _where(o: registry.Office) -> str:
    return f"อ.{o.district_th} จ.{o.province_th}"


@rule("rating", family="scores", kinds=M,
      codes=("assessed-year", "grade-mismatch", "grade-mismatch-provisional", "indicator-score-missing",
             "total-mismatch"),
      reads=("assessed_year", SCORES, "total_score", "grade"),
      th="ปีที่ประเมิน คะแนนรายตัวชี้วัด คะแนนรวม และระดับผลการประเมินสอดคล้องกันตามเกณฑ์ ITA ของปีนั้น",
      en="The assessed year, indicator scores, total and rating agree under that year's ITA rules")
def rating(sub: Submission, ctx: _Context) -> None:
    form = sub.spec.form
    h = sub.header
    fy = sub.fiscal_year
    framework = sub.framework
    if fy is not None and h.get("assessed_year") is not None and h["assessed_year"] != assessed_year(fy):
        ctx.add("assessed-year", form.name, form.cell_of("assessed_year"), expected=assessed_year(fy),
                fiscal_year=fy, found=h["assessed_year"])
    by_number = {i.number: h.get(f"score_{i.number}") for i in framework.indicators}
    total, grade = h.get("total_score"), h.get("grade")
    if total is not None and grade is not None:
        _check_rating(form, framework, total, grade, framework.instrument_scores(by_number), ctx)
    missing = [n for n, v in by_number.items() if v is None]
    # Some scores missing, or all of them while a total was given: a warning at the first gap.
    if missing and (len(missing) < len(by_number) or total is not None):
        ctx.add("indicator-score-missing", form.name, form.cell_of(f"score_{missing[0]}"),
                numbers=", ".join(map(str, missing)))
    computed = framework.total_from_indicators(by_number)
    if computed is not None and total is not None and abs(computed - total) > TOTAL_TOLERANCE:
        ctx.add("total-mismatch", form.name, form.cell_of("total_score"), total=f"{total:.2f}",
                computed=f"{computed:.2f}")


def _check_rating(form: FormSheet, framework: Framework, total: float, grade: str,
                  instruments: dict[str, float] | None, ctx: _Context) -> None:
    """The rating must be the one the framework gives the total (and, for a verbal rating, each
    instrument's score, the mean of its indicators); with indicator scores missing, any rating
    the total allows is accepted."""
    rating = framework.rating
    expected = rating.of(total, instruments)
    allowed = (expected,) if expected is not None else rating.possible(total)
    if grade in allowed:
        return
    shown = ""
    if instruments is not None and rating.kind != "letters":  # a verbal rating: name what decided it
        shown = " (" + ", ".join(f"{c} {v:.2f}" for c, v in instruments.items()) + ")"
    # A year whose rating rules the NACC has not yet published is only a guess of them: the
    # office's published rating may be right, so it is said, not held against the office.
    code = "grade-mismatch" if rating.provenance.status == "confirmed" else "grade-mismatch-provisional"
    ctx.add(code, form.name, form.cell_of("grade"), grade=grade, score=f"{total:.2f}{shown}",
            expected=" / ".join(allowed), year=framework.year)


@rule("measures-present", family="table", kinds=M, codes=("measures-none",), reads=("measure",),
      th="มีมาตรการอย่างน้อยหนึ่งแถว", en="The table holds at least one measure")
def measures_present(sub: Submission, ctx: _Context) -> None:
    table = sub.spec.table
    if not sub.measures:
        ctx.add("measures-none", table.name, cell_ref(table.first_data_row, 0), name=table.name)


@rule("table-inputs", family="table", codes=("required-missing", "placeholder-text"), reads=(REQUIRED, FREE_TEXT),
      th="ช่องที่ต้องกรอกในตารางไม่ว่าง และไม่มีข้อความตัวอย่างหรือเส้นประของแบบฟอร์มค้างอยู่",
      en="Every required cell of the table is filled; no placeholder or dotted line is left")
def table_inputs(sub: Submission, ctx: _Context) -> None:
    table = sub.spec.table
    for m in sub.measures:
        for f in table.input_columns:
            ref = table.cell_of(f.key, m.row)
            value = getattr(m, f.key, None)
            empty = value in (None, "") or (isinstance(value, str) and _ONLY_FILLER.match(value))
            if f.required and empty and not _reported(ctx, sub, table.name, ref):
                ctx.add("required-missing", table.name, ref, label=f.label_th, label_en=f.label_en)
            # "-" or "…" alone says "none": missing when required, nothing to report when optional; a
            # dotted fill-in line ("........") is the form's blank left as it was
            if f.type.free_text and value and _is_placeholder(value) \
                    and (not empty or _FILL_IN_LINE.search(value)):
                ctx.add("placeholder-text", table.name, ref, value=excerpt(value))


@rule("plan-dates", family="dates", kinds=M, codes=("date-outside-fiscal-year", "date-order"),
      reads=("start", "end"),
      th="วันเริ่มและวันสิ้นสุดของมาตรการอยู่ในปีงบประมาณ และวันสิ้นสุดไม่ก่อนวันเริ่ม",
      en="A measure's start and end fall in its fiscal year, the end not before the start")
def plan_dates(sub: Submission, ctx: _Context) -> None:
    table = sub.spec.table
    fy_bounds = fiscal_year_bounds(sub.fiscal_year) if sub.fiscal_year else None
    for m in sub.measures:
        if fy_bounds is not None:
            for key in ("start", "end"):
                day = getattr(m, key)
                if day is not None and not fy_bounds[0] <= day <= fy_bounds[1]:
                    ctx.add("date-outside-fiscal-year", table.name, table.cell_of(key, m.row),
                            value=format_date(day), fiscal_year=sub.fiscal_year,
                            start=format_date(fy_bounds[0]), end=format_date(fy_bounds[1]))
        if m.start is not None and m.end is not None and m.end < m.start:
            ctx.add("date-order", table.name, table.cell_of("end", m.row), start=format_date(m.start),
                    end=format_date(m.end))


@rule("numbering", family="table", kinds=M, codes=("numbering-repeated", "numbering-gap"), reads=("number",),
      th="มาตรการมีลำดับที่ ๑, ๒, ๓ … ไม่ซ้ำและไม่ข้าม", en="Measures are numbered 1, 2, 3 … without repeats or gaps")
def numbering(sub: Submission, ctx: _Context) -> None:
    table = sub.spec.table
    seen: dict[int, Measure] = {}
    expected = 1
    for m in sub.measures:
        if m.number is None:
            continue
        ref = table.cell_of("number", m.row)
        if m.number in seen:
            ctx.add("numbering-repeated", table.name, ref, number=m.number, measure=_title(seen[m.number], table))
        else:
            seen[m.number] = m
            if m.number != expected:
                ctx.add("numbering-gap", table.name, ref, expected=expected, found=m.number)
        expected = max(expected, m.number + 1) if m.number >= expected else expected


@rule("plan-answers-scores", family="scores", kinds=M,
      codes=("weak-indicator-without-measure", "plan-misses-weak-indicators"), reads=(SCORES, "indicator"),
      th="ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์มากมีมาตรการรองรับ และมาตรการไม่มุ่งแต่ตัวชี้วัดที่ผ่านเกณฑ์แล้ว",
      en="Indicators scored far below the pass mark have a measure; measures do not all aim at passed ones")
def plan_answers_scores(sub: Submission, ctx: _Context) -> None:
    """Indicators that scored far below the pass mark — under the band below it — and that no
    measure addresses: one warning.  (A plan cannot answer every indicator a little under the
    mark; one that leaves an indicator scored 0 or 60 unanswered has missed something.)"""
    if sub.fiscal_year is None or not sub.measures:
        return
    form = sub.spec.form
    framework = sub.framework
    rating = framework.rating
    far_below = rating.far_below
    addressed = {m.indicator for m in sub.measures}
    scored = {i.number: sub.header[f"score_{i.number}"] for i in framework.indicators
              if isinstance(sub.header.get(f"score_{i.number}"), (int, float))}
    weak = [n for n, v in scored.items() if v < far_below and n not in addressed]
    if weak:
        ctx.add("weak-indicator-without-measure", form.name, form.cell_of(f"score_{weak[0]}"),
                numbers=", ".join(map(str, weak)), below=f"{far_below:g}", pass_mark=f"{rating.pass_mark:g}")
        return
    # Some indicators under the pass mark, and every measure spent on those above it.
    under = sorted((n for n, v in scored.items() if v < rating.pass_mark), key=lambda n: scored[n])
    aimed = {m.indicator for m in sub.measures if m.indicator is not None}
    if under and aimed and all(scored.get(n, 0) >= rating.pass_mark for n in aimed):
        ctx.add("plan-misses-weak-indicators", form.name, form.cell_of(f"score_{under[0]}"),
                numbers=", ".join(map(str, under)), pass_mark=f"{rating.pass_mark:g}")


@rule("progress-status", family="progress", kinds=P, needs_round=True,
      codes=("done-without-result", "done-without-date", "in-progress-without-result"),
      reads=("status", "result", "done_date"),
      th="มาตรการที่ดำเนินการแล้วเสร็จมีผลและวันที่แล้วเสร็จ มาตรการที่อยู่ระหว่างดำเนินการมีผล",
      en="A measure marked done has a result and a completion date; one in progress has a result")
def progress_status(sub: Submission, ctx: _Context) -> None:
    table = sub.spec.table
    for m in sub.measures:
        if m.status is Status.DONE:
            if not _said(m.result):
                ctx.add("done-without-result", table.name, table.cell_of("result", m.row))
            ref = table.cell_of("done_date", m.row)
            if m.done_date is None and not _reported(ctx, sub, table.name, ref):
                ctx.add("done-without-date", table.name, ref)
        elif m.status is Status.IN_PROGRESS and not _said(m.result):
            ctx.add("in-progress-without-result", table.name, table.cell_of("result", m.row))


_UNDER_WAY = re.compile(r"อยู่ระหว่าง(?:การ)?(?:ดำเนิน|จัดทำ|ขั้นตอน)|กำลังดำเนิน|ยังไม่(?:ได้)?(?:ดำเนิน|แล้วเสร็จ|เสร็จ)")
_FINISHED = re.compile(r"(?<!ยังไม่)(?<!ให้)(?<!จะ)(?:แล้วเสร็จ|เสร็จสิ้น|เรียบร้อยแล้ว)")
_NOT_YET = re.compile(r"อยู่ระหว่าง|กำลัง|ยังไม่|จะ|คาดว่า|บางส่วน|ต่อไป|ขั้นตอน")


@rule("status-consistency", family="progress", kinds=P, needs_round=True,
      codes=("status-not-done-with-date", "status-done-result-under-way", "status-not-done-result-finished",
             "status-done-result-vague"),
      reads=("status", "result", "done_date", "evidence_url"),
      th="สถานะไม่ขัดกับวันที่แล้วเสร็จและผลการดำเนินการในแถวเดียวกัน",
      en="The status agrees with the row's completion date and result")
def status_consistency(sub: Submission, ctx: _Context) -> None:
    """A status the rest of its row contradicts: a completion date on a measure not done; a
    result that says the work is under way on one marked done, or finished on one not done;
    done with no evidence and a result that names nothing done."""
    table = sub.spec.table
    for m in sub.measures:
        if m.status is None:
            continue
        result = m.result if isinstance(m.result, str) else ""
        label = m.status.label_th
        if m.status is not Status.DONE and isinstance(m.done_date, dt.date):
            ctx.add("status-not-done-with-date", table.name, table.cell_of("status", m.row),
                    status=label, date=format_date(m.done_date))
        elif m.status is Status.DONE and _UNDER_WAY.search(result) and not _FINISHED.search(result):
            ctx.add("status-done-result-under-way", table.name, table.cell_of("status", m.row),
                    value=excerpt(result))
        elif m.status is not Status.DONE and _FINISHED.search(result) and not _NOT_YET.search(result):
            ctx.add("status-not-done-result-finished", table.name, table.cell_of("status", m.row),
                    status=label, value=excerpt(result))
        elif m.status is Status.DONE and result and not (m.evidence_url or "").strip() and _says_nothing(result):
            ctx.add("status-done-result-vague", table.name, table.cell_of("result", m.row), value=excerpt(result))


# Words that say a thing was done without saying what: "ดำเนินการเรียบร้อยแล้วตามแผน".
_VAGUE = frozenset({"เรียบร้อย", "เรียบร้อยแล้ว", "แล้ว", "เสร็จ", "เสร็จสิ้น", "แผน", "ครบถ้วน", "ตามที่", "ปฏิบัติ",
                    "ทุกประการ", "สิ้น", "เป้าหมาย", "ที่วางไว้", "วางไว้", "ตามแผนงาน", "แผนงาน"})


def _says_nothing(result: str) -> bool:
    """Whether a result says only that the work was done, naming nothing done."""
    from . import spelling

    # a result that names only a date is the date rules' (done-result-is-a-deadline)
    return not (spelling.content_words(result) - _VAGUE) and not find_dates(result)


@rule("progress-dates", family="dates", kinds=P, needs_round=True,
      codes=("report-before-round-end", "date-outside-fiscal-year", "date-outside-round", "date-after-report",
             "all-done-on-report-date"),
      reads=("report_date", "done_date", "status"),
      th="วันที่รายงานไม่ก่อนสิ้นรอบ และวันที่แล้วเสร็จอยู่ในปีงบประมาณ ในรอบ และไม่หลังวันที่รายงาน",
      en="The report is dated after its round; completion dates fall in the fiscal year and round, not after the report")
def progress_dates(sub: Submission, ctx: _Context) -> None:
    table, form = sub.spec.table, sub.spec.form
    fy, round_ = sub.fiscal_year, sub.round
    fy_start, fy_end = fiscal_year_bounds(fy)
    r_start, r_end = round_bounds(fy, round_)
    report = sub.header.get("report_date")
    if report is not None and report < r_end:
        ctx.add("report-before-round-end", form.name, form.cell_of("report_date"), value=format_date(report),
                end=format_date(r_end))
    for m in sub.measures:
        day = m.done_date
        if day is None:
            continue
        ref, shown = table.cell_of("done_date", m.row), format_date(day)
        if not fy_start <= day <= fy_end:
            ctx.add("date-outside-fiscal-year", table.name, ref, value=shown, fiscal_year=fy,
                    start=format_date(fy_start), end=format_date(fy_end))
        elif round_ == ROUNDS[0] and not r_start <= day <= r_end:
            ctx.add("date-outside-round", table.name, ref, value=shown, round=round_,
                    start=format_date(r_start), end=format_date(r_end))
        if report is not None and day > report:
            ctx.add("date-after-report", table.name, ref, value=shown, report=format_date(report))
    if report is not None and sub.measures and all(
            m.status is Status.DONE and m.done_date == report for m in sub.measures):
        ctx.add("all-done-on-report-date", table.name, None, value=format_date(report))


@rule("evidence-links", family="progress", kinds=P, codes=("url-invalid",), reads=("evidence_url",),
      th=f"ลิงก์หลักฐานทุกลิงก์{Url.rule_th}", en=f"Every evidence link is a web address: links {Url.rule_en}")
def evidence_links(sub: Submission, ctx: _Context) -> None:
    table = sub.spec.table
    for m in sub.measures:
        for url in Url.links(m.evidence_url):
            if not Url.is_link(url):
                ctx.add("url-invalid", table.name, table.cell_of("evidence_url", m.row), value=excerpt(url))


@rule("duplicates", family="text", codes=("duplicate-text", "near-duplicate-text"), reads=(LONG_TEXT,),
      th="ข้อความยาวที่คัดลอกซ้ำในหลายมาตรการ ทั้งเหมือนกันทุกตัวอักษรและต่างกันเพียงคำสองคำ",
      en="Long texts pasted into several measures, as they are or with a word or two changed")
def duplicates(sub: Submission, ctx: _Context) -> None:
    """Long texts pasted into several measures, as they are or with a word or two changed.

    Input columns only (a locked plan is checked once, in its measures workbook).  A
    plan column holding one text in every row (a follow-up method shared by all
    measures) is normal and not reported, and so is an outcome two measures share.
    """
    from rapidfuzz import fuzz, process

    table = sub.spec.table
    for f in table.input_columns:
        if not f.type.paragraphs:
            continue
        texts = [(m.row, _comparable(getattr(m, f.key, "") or "")) for m in sub.measures]
        texts = [(row, text) for row, text in texts if len(text) >= DUPLICATE_MIN_CHARS]
        if sub.kind == Kind.MEASURES.value and len(texts) >= 3 and len({t for _, t in texts}) == 1:
            continue
        # the measure each text was first seen in, named by its ลำดับ as the office numbered it
        earlier: dict[str, str] = {}
        shared = collections.Counter(text for _, text in texts) if f.key in SHARED_BY_TWO else None
        numbers = {m.row: _number_of(m, table) for m in sub.measures}
        for row, text in texts:
            ref = table.cell_of(f.key, row)
            if shared is not None and shared[text] == 2:  # two related measures, one outcome
                continue
            if text in earlier:
                ctx.add("duplicate-text", table.name, ref, label=f.label_th, label_en=f.label_en, other=earlier[text])
                continue
            near = process.extractOne(text, list(earlier), scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_RATIO)
            if near is not None:
                ctx.add("near-duplicate-text", table.name, ref, label=f.label_th, label_en=f.label_en,
                        other=earlier[near[0]], similarity=f"{near[1]:.0f}")
            earlier[text] = numbers[row]


def _number_of(m: Measure, table) -> str:
    """A measure as a clerk names it: by its ลำดับ, or by the cell of a row with none."""
    return str(m.number) if m.number is not None else f"({table.cell_of('number', m.row)})"


def _title(m: Measure, table) -> str:
    """A measure's title, short, or its issue when it has none, or its ลำดับ cell."""
    return excerpt(m.measure or m.issue or "") or table.cell_of("number", m.row)


SHARED_BY_TWO = frozenset({"outcome"})
"""Columns whose text two related measures may share (what both achieve) with no warning;
three measures or more with one text are still a paste."""

NEAR_DUPLICATE_RATIO = 90
"""Texts this similar (rapidfuzz ratio, 0–100, after :func:`_comparable`) differ by a word or two.
Chosen on the seeds: a pasted result with one place name changed scores 99, the same
formula with another month 92–100, two different sentences of one office under 80."""


def _comparable(text: str) -> str:
    """Text as compared for pasting: no spaces or punctuation, Arabic digits, lower case."""
    text = _dropped().sub("", text.lower())
    return text.translate(_ARABIC_DIGITS) if _THAI_DIGIT.search(text) else text


_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_DIGIT = re.compile("[๐-๙]")


@functools.lru_cache(maxsize=1)
def _dropped() -> re.Pattern:
    """One character class of what is dropped: spaces, punctuation, symbols and controls below
    U+3000, where offices' text lives (a class is scanned several times faster than
    str.translate looks every character up in a table)."""
    codes = [c for c in range(0x3000) if unicodedata.category(chr(c))[0] in "PZSC"]
    spans: list[list[int]] = []
    for c in codes:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    members = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans)
    return re.compile(f"[{members}]+")


_ONLY_FILLER = PLACEHOLDER_PATTERNS[0]
_FILL_IN_LINE = re.compile(r"\.\.\.\.|……|____")


def _said(text: str | None) -> bool:
    """Whether a text says something: not empty, not only dashes or dots."""
    return bool(text) and not _ONLY_FILLER.match(text)


def _is_placeholder(text: str) -> bool:
    return any(p.search(text) for p in PLACEHOLDER_PATTERNS)


RULES: tuple[Rule, ...] = (
    required_form, office, rating, measures_present, table_inputs, plan_dates, numbering, plan_answers_scores,
    progress_status, status_consistency, progress_dates, evidence_links, duplicates,
    textchecks.characters, textchecks.numbered_steps, textchecks.places, textchecks.office_titles,
    textchecks.other_office_type, textchecks.doubled_words, textchecks.unknown_words,
    textchecks.dates_in_plan_text, textchecks.prepared_date, textchecks.plan_columns, textchecks.dates_in_results,
    textchecks.result_answers_measure, textchecks.cut_off_text, textchecks.template_example, textchecks.plan_year,
    textchecks.evidence_sites,
)
"""Every content rule, in the order they are applied (and their problems listed)."""

EVERY_RULE = Checklist()
"""The checklist that skips nothing."""
