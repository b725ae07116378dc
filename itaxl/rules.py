"""Rules about the content of a workbook, applied after :mod:`itaxl.reader` has read it.

>>> import itaxl
>>> sub = itaxl.read("measures-2567-6311805.xlsx")   # doctest: +SKIP
>>> sub.valid, [p.code for p in sub.problems]        # doctest: +SKIP
(True, [])
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata

from . import registry, textchecks
from .guard import DEFAULT_LIMITS, Limits
from .reader import Measure, Submission, _Context, read_workbook
from .framework import SHIPPED, Catalogue, Framework, assessed_year
from .schema import PLACEHOLDER_PATTERNS, ROUNDS, FormSheet, Kind, Status, TableSheet, TemplateSpec
from .thai import fiscal_year_bounds, format_date, round_bounds

__all__ = ["read", "check"]

# Texts shorter than this are not reported when repeated: "สำนักปลัด" in every row is normal.
DUPLICATE_MIN_CHARS = 40
TOTAL_TOLERANCE = 0.02


def read(path: str | os.PathLike, *, key: bytes | None = None, limits: Limits = DEFAULT_LIMITS,
         catalogue: Catalogue = SHIPPED) -> Submission:
    """Read one workbook and apply every rule: the :class:`Submission` with all its problems.

    ``catalogue`` adds the frameworks given with ``--framework`` to the shipped ones."""
    sub = read_workbook(path, key=key, limits=limits, catalogue=catalogue)
    if sub.spec is not None and sub.header:
        ctx = _Context(sub.path)
        check(sub, ctx)
        sub.problems.extend(ctx.problems)
    return sub


def check(sub: Submission, ctx: _Context) -> None:
    """Apply the content rules of the submission's kind."""
    spec = sub.spec
    assert spec is not None
    _check_required_form(spec.form, sub, ctx)
    _check_office(spec.form, sub, ctx)
    if spec.kind is Kind.MEASURES:
        _check_scores(spec.form, sub, ctx)
        _check_measures(spec.table, sub, ctx)
        _check_plan_against_result(spec.form, sub, ctx)
    else:
        _check_inputs(spec.table, sub, ctx)
        _check_progress(spec, sub, ctx)
    _check_duplicates(spec.table, sub, ctx)
    textchecks.check(sub, ctx)


def _check_required_form(form: FormSheet, sub: Submission, ctx: _Context) -> None:
    for f in form.fields:
        if f.required and sub.header.get(f.key) is None and not _reported(ctx, sub, form.name, form.cell_of(f.key)):
            ctx.add("required-missing", form.name, form.cell_of(f.key), label=f.label_th, label_en=f.label_en)


def _reported(ctx: _Context, sub: Submission, sheet: str, cell: str) -> bool:
    """Whether the reader already reported an error at this cell (no second message for it)."""
    return any(p.sheet == sheet and p.cell == cell and p.is_error for p in (*sub.problems, *ctx.problems))


def _check_office(form: FormSheet, sub: Submission, ctx: _Context) -> None:
    code_cell = form.cell_of("org_code")
    written_code = sub.header.get("org_code")
    if written_code is None:
        return
    office = registry.lookup(written_code)
    if office is None:
        ctx.add("office-unknown", form.name, code_cell, code=written_code)
        return
    name = sub.header.get("org_name")
    if name and not registry.same_name(name, office):
        ctx.add("office-name-mismatch", form.name, form.cell_of("org_name"), found=name, code=office.code,
                expected=office.full_name)
    district = sub.header.get("district")
    if district and district.removeprefix("อำเภอ").strip() != office.district_th:
        ctx.add("office-name-mismatch", form.name, form.cell_of("district"), found=district, code=office.code,
                expected=f"อำเภอ{office.district_th}")


def _check_scores(form: FormSheet, sub: Submission, ctx: _Context) -> None:
    h = sub.header
    fy = sub.fiscal_year
    framework = sub.framework
    assert framework is not None
    if fy is not None and h.get("assessed_year") is not None and h["assessed_year"] != assessed_year(fy):
        ctx.add("assessed-year", form.name, form.cell_of("assessed_year"), expected=assessed_year(fy),
                fiscal_year=fy, found=h["assessed_year"])
    scores = {i.number: h.get(f"score_{i.number}") for i in framework.indicators}
    total, grade = h.get("total_score"), h.get("grade")
    if total is not None and grade is not None:
        _check_rating(form, framework, total, grade, framework.instrument_scores(scores), ctx)
    missing = [n for n, v in scores.items() if v is None]
    # Some scores missing, or all of them while a total was given: a warning at the first gap.
    if missing and (len(missing) < len(scores) or total is not None):
        ctx.add("indicator-score-missing", form.name, form.cell_of(f"score_{missing[0]}"),
                numbers=", ".join(map(str, missing)))
    computed = framework.total_from_indicators(scores)
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
    scores = ""
    if instruments is not None and rating.kind != "letters":  # a verbal rating: name what decided it
        scores = " (" + ", ".join(f"{c} {v:.2f}" for c, v in instruments.items()) + ")"
    ctx.add("grade-mismatch", form.name, form.cell_of("grade"), grade=grade, score=f"{total:.2f}{scores}",
            expected=" / ".join(allowed), year=framework.year)


def _check_plan_against_result(form: FormSheet, sub: Submission, ctx: _Context) -> None:
    """Indicators that scored far below the pass mark — under the band below it — and that no
    measure addresses: one warning.  (A plan cannot answer every indicator a little under the
    mark; one that leaves an indicator scored 0 or 60 unanswered has missed something.)"""
    if sub.fiscal_year is None or not sub.measures:
        return
    framework = sub.framework
    assert framework is not None
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


def _check_measures(table: TableSheet, sub: Submission, ctx: _Context) -> None:
    if not sub.measures:
        ctx.add("measures-none", table.name, f"A{table.first_data_row}", name=table.name)
        return
    _check_inputs(table, sub, ctx)
    fy_bounds = fiscal_year_bounds(sub.fiscal_year) if sub.fiscal_year else None
    for m in sub.measures:
        if fy_bounds is not None:
            for key in ("start", "end"):
                day = getattr(m, key)
                if day is not None and not fy_bounds[0] <= day <= fy_bounds[1]:
                    ctx.add("date-outside-fiscal-year", table.name, f"{table.letter_of(key)}{m.row}",
                            value=format_date(day), fiscal_year=sub.fiscal_year,
                            start=format_date(fy_bounds[0]), end=format_date(fy_bounds[1]))
        if m.start is not None and m.end is not None and m.end < m.start:
            ctx.add("date-order", table.name, f"{table.letter_of('end')}{m.row}", start=format_date(m.start),
                    end=format_date(m.end))
    _check_numbering(table, sub, ctx)


def _check_inputs(table: TableSheet, sub: Submission, ctx: _Context) -> None:
    """Required input cells, and leftover placeholders, in every row of the table."""
    for m in sub.measures:
        for f in table.input_columns:
            ref = f"{table.letter_of(f.key)}{m.row}"
            value = getattr(m, f.key, None)
            empty = value in (None, "") or (isinstance(value, str) and _ONLY_FILLER.match(value))
            if f.required and empty and not _reported(ctx, sub, table.name, ref):
                ctx.add("required-missing", table.name, ref, label=f.label_th, label_en=f.label_en)
            # "-" or "…" alone says "none": missing when required, nothing to report when optional; a
            # dotted fill-in line ("........") is the form's blank left as it was
            if f.type.free_text and value and _is_placeholder(value) \
                    and (not empty or _FILL_IN_LINE.search(value)):
                ctx.add("placeholder-text", table.name, ref, value=_short(value))


_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$|^https?://localhost(?::\d+)?(?:[/?#]\S*)?$",
                  re.IGNORECASE)


def _check_progress(spec: TemplateSpec, sub: Submission, ctx: _Context) -> None:
    """Status, results, completion dates and links of a progress report."""
    table, form = spec.table, spec.form
    fy, round_ = sub.fiscal_year, sub.round
    if fy is None or round_ not in ROUNDS:
        return
    fy_start, fy_end = fiscal_year_bounds(fy)
    r_start, r_end = round_bounds(fy, round_)
    report = sub.header.get("report_date")
    if report is not None and report < r_end:
        ctx.add("report-before-round-end", form.name, form.cell_of("report_date"), value=format_date(report),
                end=format_date(r_end))

    def ref(key: str, m: Measure) -> str:
        return f"{table.letter_of(key)}{m.row}"

    for m in sub.measures:
        if m.status is Status.DONE:
            if not _said(m.result):
                ctx.add("done-without-result", table.name, ref("result", m))
            if m.done_date is None and not _reported(ctx, sub, table.name, ref("done_date", m)):
                ctx.add("done-without-date", table.name, ref("done_date", m))
        elif m.status is Status.IN_PROGRESS and not _said(m.result):
            ctx.add("in-progress-without-result", table.name, ref("result", m))
        day = m.done_date
        if day is not None:
            shown = format_date(day)
            if not fy_start <= day <= fy_end:
                ctx.add("date-outside-fiscal-year", table.name, ref("done_date", m), value=shown, fiscal_year=fy,
                        start=format_date(fy_start), end=format_date(fy_end))
            elif round_ == 6 and not r_start <= day <= r_end:
                ctx.add("date-outside-round", table.name, ref("done_date", m), value=shown, round=round_,
                        start=format_date(r_start), end=format_date(r_end))
            if report is not None and day > report:
                ctx.add("date-after-report", table.name, ref("done_date", m), value=shown,
                        report=format_date(report))
        for url in (m.evidence_url or "").split():
            if not _URL.match(url):
                ctx.add("url-invalid", table.name, ref("evidence_url", m), value=_short(url))
    if report is not None and sub.measures and all(
            m.status is Status.DONE and m.done_date == report for m in sub.measures):
        ctx.add("all-done-on-report-date", table.name, None, value=format_date(report))


def _check_numbering(table: TableSheet, sub: Submission, ctx: _Context) -> None:
    letter = table.letter_of("number")
    seen: dict[int, int] = {}
    expected = 1
    for m in sub.measures:
        if m.number is None:
            continue
        if m.number in seen:
            ctx.add("numbering-repeated", table.name, f"{letter}{m.row}", number=m.number, other=seen[m.number])
        else:
            seen[m.number] = m.row
            if m.number != expected:
                ctx.add("numbering-gap", table.name, f"{letter}{m.row}", expected=expected, found=m.number)
        expected = max(expected, m.number + 1) if m.number >= expected else expected


def _check_duplicates(table: TableSheet, sub: Submission, ctx: _Context) -> None:
    """Long texts pasted into several measures, as they are or with a word or two changed.

    Input columns only (a locked plan is checked once, in its measures workbook).  A
    plan column holding one text in every row (a follow-up method shared by all
    measures) is normal and not reported.
    """
    from rapidfuzz import fuzz, process

    for f in table.input_columns:
        if not f.type.paragraphs:
            continue
        texts = [(m.row, _comparable(getattr(m, f.key, "") or "")) for m in sub.measures]
        texts = [(row, text) for row, text in texts if len(text) >= DUPLICATE_MIN_CHARS]
        if sub.kind == Kind.MEASURES.value and len(texts) >= 3 and len({t for _, t in texts}) == 1:
            continue
        earlier: dict[str, int] = {}
        for row, text in texts:
            ref = f"{table.letter_of(f.key)}{row}"
            if text in earlier:
                ctx.add("duplicate-text", table.name, ref, label=f.label_th, label_en=f.label_en, other=earlier[text])
                continue
            near = process.extractOne(text, list(earlier), scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_RATIO)
            if near is not None:
                ctx.add("near-duplicate-text", table.name, ref, label=f.label_th, label_en=f.label_en,
                        other=earlier[near[0]], similarity=f"{near[1]:.0f}")
            earlier[text] = row


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


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "…"
