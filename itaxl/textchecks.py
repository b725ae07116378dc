"""Rules about what offices write in free text, applied after the cell rules of :mod:`itaxl.rules`.

Offices' real mistakes sit in their sentences: a year slip inside a result, a
"done" that names a month after the report, a plan whose deadline falls before
its own fiscal year.  Each rule here is a warning (a person decides) and is
tuned for precision: on clean workbooks none fires.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import unicodedata
from typing import Iterable

from rapidfuzz.distance import Levenshtein

from . import registry
from .problems import excerpt
from .reader import Measure, Submission, _Context
from .rulebook import LONG_TEXT, TEXT, rule
from .schema import OFFICE_TYPE_BY_NAME, OFFICE_TYPES, Field, Kind, Status, TableSheet
from .fieldtypes import Url
from .thai import (
    ThaiDateError, TextDate, find_dates, fiscal_year_bounds, format_date, parse_period, round_bounds, squash,
    to_arabic_digits,
)

PLAN_GRACE = datetime.timedelta(days=92)
"""A plan may schedule its last report up to a quarter after its fiscal year (the year's results)."""
PREPARED_BEFORE = datetime.timedelta(days=183)
"""A measures document is prepared at most half a year before its fiscal year starts."""


def _long_texts(table: TableSheet) -> Iterable[Field]:
    return [f for f in table.input_columns if f.type.paragraphs]


def _cells(table: TableSheet, sub: Submission, fields: Iterable[Field] | None = None,
           ) -> Iterable[tuple[Field, Measure, str, str]]:
    """(field, measure, cell reference, text) of every free-text input cell (of ``fields``)."""
    for f in _long_texts(table) if fields is None else fields:
        for m in sub.measures:
            text = getattr(m, f.key, None)
            if isinstance(text, str) and text:
                yield f, m, table.cell_of(f.key, m.row), text


@rule("dates-in-plan-text", family="text", codes=('date-in-text-outside-fiscal-year',), reads=(LONG_TEXT,), kinds=(Kind.MEASURES,), needs_fiscal_year=True,
      th="วันที่ในข้อความของแผนอยู่ก่อนปีงบประมาณหรือหลังปีงบประมาณนานเกินไป",
      en="A date in the plan's text before its fiscal year, or well after it")
def dates_in_plan_text(sub: Submission, ctx: _Context) -> None:
    """A date in the plan before its fiscal year, or well after it: a year slip."""
    table = sub.spec.table
    start, end = fiscal_year_bounds(sub.fiscal_year)
    for _f, _m, ref, text in _cells(table, sub):
        for d in find_dates(text):
            if d.end < start or d.start > end + PLAN_GRACE:
                _outside_year(ctx, table.name, ref, d, sub.fiscal_year, start, end)
                break


@rule("dates-in-results", family="text", codes=('done-result-is-a-deadline', 'date-in-text-outside-fiscal-year', 'date-in-text-outside-round', 'date-in-text-after-report'), reads=(LONG_TEXT, 'status', 'report_date'), kinds=(Kind.PROGRESS,), needs_round=True, needs_fiscal_year=True,
      th="วันที่ในผลการดำเนินการอยู่นอกปีงบประมาณ หลังรอบ หรือหลังวันที่รายงาน หรือผลที่เสร็จแล้วบอกเพียงกำหนดเวลา",
      en="A date in a result outside the fiscal year, after the round or the report; a done result that only sets a deadline")
def dates_in_results(sub: Submission, ctx: _Context) -> None:
    """A date in a result outside the fiscal year, after the round (round 6) or after the report;
    a result of a measure marked done that only sets a deadline still to come."""
    table = sub.spec.table
    fy_start, fy_end = fiscal_year_bounds(sub.fiscal_year)
    _r_start, r_end = round_bounds(sub.fiscal_year, sub.round)
    report = sub.header.get("report_date")
    now = report if isinstance(report, datetime.date) else r_end
    for f, m, ref, text in _cells(table, sub):
        dates = find_dates(text)
        if f.key == "result" and m.status is Status.DONE and dates and not _PAST_MARK.search(text) \
                and all(d.deadline for d in dates) and any(d.end > now for d in dates):
            ctx.add("done-result-is-a-deadline", table.name, ref, value=next(d.text for d in dates if d.end > now))
            continue
        for d in dates:
            if d.deadline and m.status is not Status.DONE and d.start <= fy_end:
                continue  # work still under way may name when it is due
            if f.key != "result" and _future(text, d):
                continue  # problems and outcomes may say what is planned next: a plan, not a slip
            if d.end < fy_start or d.start > fy_end:
                _outside_year(ctx, table.name, ref, d, sub.fiscal_year, fy_start, fy_end)
            elif sub.round == 6 and d.start > r_end:
                ctx.add("date-in-text-outside-round", table.name, ref, value=d.text, end=format_date(r_end))
            elif isinstance(report, datetime.date) and d.start > report:
                ctx.add("date-in-text-after-report", table.name, ref, value=d.text, report=format_date(report))
            else:
                continue
            break


_FUTURE = re.compile(r"จะ|คาดว่า|มีแผน|วางแผน|เตรียม")
_CLAUSE_BACK = 40  # characters before a date that still belong to its clause


def _future(text: str, d: TextDate) -> bool:
    """Whether the clause that names ``d`` speaks of what is to come ("คาดว่าจะแล้วเสร็จภายใน…")."""
    before = text[max(0, d.at - _CLAUSE_BACK):d.at]
    return bool(_FUTURE.search(before.rsplit("\n", 1)[-1]))


def _outside_year(ctx: _Context, sheet: str, ref: str, d: TextDate, fy: int, start: datetime.date,
                  end: datetime.date) -> None:
    ctx.add("date-in-text-outside-fiscal-year", sheet, ref, value=d.text, fiscal_year=fy,
            start=format_date(start), end=format_date(end))


@rule("prepared-date", family="text", codes=('prepared-date-outside-fiscal-year',), reads=('report_date',), kinds=(Kind.MEASURES,), needs_fiscal_year=True,
      th="วันที่จัดทำมาตรการอยู่ห่างจากปีงบประมาณเกินไป",
      en="The measures were prepared long before their fiscal year, or after it")
def prepared_date(sub: Submission, ctx: _Context) -> None:
    form = sub.spec.form
    prepared = sub.header.get("report_date")
    if not isinstance(prepared, datetime.date):
        return
    start, end = fiscal_year_bounds(sub.fiscal_year)
    if prepared < start - PREPARED_BEFORE or prepared > end:
        ctx.add("prepared-date-outside-fiscal-year", form.name, form.cell_of("report_date"),
                value=format_date(prepared), fiscal_year=sub.fiscal_year, start=format_date(start),
                end=format_date(end))


# --------------------------------------------------------------------------- characters

# Letters outside Thai and Latin: anything past Latin Extended that is not Thai, nor
# the punctuation, symbol and full-width blocks; confirmed as a letter or mark by its category.
_OTHER_BLOCK = re.compile(r"[^\u0000-\u024f\u0e00-\u0e7f\u1e00-\u1eff\u2000-\u2bff\u3000-\u303f\ufe00-\uffff]")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:nbsp|amp|lt|gt|quot|apos|#\d{2,5});|\*\*"
                     r"|[\u2610-\u2612\u2713-\u2718]")
_MIXED_CODE = re.compile(r"(?<![A-Za-z0-9\u0e00-\u0e7f])[A-Za-z]{1,3}[\u0e50-\u0e59]+(?![A-Za-z0-9\u0e00-\u0e7f])")


def _text_fields(spec) -> tuple[list[Field], list[Field]]:
    """The office's free-text inputs: on the form, and in the table."""
    return ([f for f in spec.form.fields if f.is_input and f.type.free_text],
            [f for f in spec.table.input_columns if f.type.free_text])


def _all_text_cells(spec, sub: Submission) -> Iterable[tuple[str, str, str]]:
    """(sheet, cell, text) of every free-text input, form first."""
    form_fields, table_fields = _text_fields(spec)
    for f in form_fields:
        value = sub.header.get(f.key)
        if isinstance(value, str) and value:
            yield spec.form.name, spec.form.cell_of(f.key), value
    for _f, _m, ref, text in _cells(spec.table, sub, table_fields):
        yield spec.table.name, ref, text


@rule("characters", family="text", codes=('text-other-script', 'text-nikhahit', 'text-markup', 'text-mixed-code'), reads=(TEXT,), needs_fiscal_year=True,
      th="อักษรภาษาอื่น นิคหิตที่ผิดที่ มาร์กอัปที่ติดมาจากการคัดลอก และรหัสที่ปนอักษรละตินกับเลขไทย",
      en="Letters of another script, a lone nikhahit, markup left from copying, codes that mix scripts")
def characters(sub: Submission, ctx: _Context) -> None:
    """Letters of another script, a lone ํ, markup left from copying, codes that mix scripts."""
    spec = sub.spec
    for sheet, ref, text in _all_text_cells(spec, sub):
        other = [m for m in _OTHER_BLOCK.finditer(text) if unicodedata.category(m.group())[0] in "LM"]
        if other:
            ctx.add("text-other-script", sheet, ref, chars="".join(dict.fromkeys(m.group() for m in other)),
                    word=_around(text, other[0].start()))
        if (lone := text.find("\u0e4d")) >= 0:  # ํา was made ำ when the workbook was read
            ctx.add("text-nikhahit", sheet, ref, word=_around(text, lone))
        markup = list(dict.fromkeys(m.group() for m in _MARKUP.finditer(text)))
        if markup:
            ctx.add("text-markup", sheet, ref, found=" ".join(markup[:5]))
        if code := _MIXED_CODE.search(text):
            ctx.add("text-mixed-code", sheet, ref, found=code.group(), suggest=to_arabic_digits(code.group()))


def _around(text: str, at: int, width: int = 10) -> str:
    """The few characters around ``at``, within its line: Thai runs words together."""
    start = max(text.rfind("\n", 0, at) + 1, at - width)
    end = text.find("\n", at)
    return text[start:min(at + width, end if end >= 0 else len(text))].strip()


# --------------------------------------------------------------------------- what each column holds

# A list item inside a cell: "๑." or "1)" starting the text or after a space, not a decimal or a date
# (\d reads Thai digits too, and so does int()).
_ITEM_NUMBER = r"(\d{1,2})\s*([.)])(?![\d/])"
_ITEM = re.compile(r"(?:^|(?<=\s)|(?<=>))" + _ITEM_NUMBER)
_ACTION = re.compile(r"ดำเนินการ|จัดทำ|รายงาน|เผยแพร่|ส่งมอบ|รวบรวม|ติดตาม")  # not unit names (งานประชาสัมพันธ์)
_DONE_WORDS = re.compile(r"ดำเนินการแล้ว|แล้วเสร็จ|เสร็จสิ้น|ได้ดำเนินการ")
_PAST_MARK = re.compile(r"เมื่อ|ได้ดำเนินการ|ดำเนินการแล้ว(?!เสร็จภายใน)|เรียบร้อย")


def _items(text: str, marker: str = ".") -> list[int]:
    """The numbers of the list items marked "๑." (or, with ``marker=")"``, "๑)") in ``text``:
    a list of the other kind inside it is a sub-list, not a restart."""
    return [int(n) for n, mark in _ITEM.findall(text) if mark == marker]


@rule("numbered-steps", family="text", codes=('text-numbering', 'text-numbering-late-start'), reads=(LONG_TEXT,), needs_fiscal_year=True,
      th="ลำดับข้อในข้อความซ้ำ เริ่มนับใหม่ หรือไม่ได้เริ่มที่ข้อ ๑",
      en="Numbered steps inside one cell that repeat, start again, or do not start at 1")
def numbered_steps(sub: Submission, ctx: _Context) -> None:
    """Numbered steps inside one cell that repeat (๓. ๓.) or start again (๑. ๒. ๑.)."""
    for sheet, ref, text in _paragraph_cells(sub.spec, sub):
        found = _ITEM.findall(text)
        if len(found) < 2:
            continue
        for marker in ".)":
            items = [int(n) for n, mark in found if mark == marker]
            sequence = " ".join(f"{n}{marker}" for n in items[:12])
            if _repeats_or_restarts(items):
                ctx.add("text-numbering", sheet, ref, sequence=sequence)
                break
            if _starts_late(items, text):
                ctx.add("text-numbering-late-start", sheet, ref, sequence=sequence, first=items[0])
                break


def _paragraph_cells(spec, sub: Submission) -> Iterable[tuple[str, str, str]]:
    """(sheet, cell, text) of every paragraph input: the form's (the analysis), then the table's."""
    for f in spec.form.fields:
        value = sub.header.get(f.key)
        if f.is_input and f.type.paragraphs and isinstance(value, str) and value:
            yield spec.form.name, spec.form.cell_of(f.key), value
    for _f, _m, ref, text in _cells(spec.table, sub):
        yield spec.table.name, ref, text


def _starts_late(items: list[int], text: str) -> bool:
    """A list that opens the cell at ๒. or later and counts up from there: its first step was
    cut (into another cell, or away)."""
    return (len(items) >= 2 and items[0] >= 2 and items == list(range(items[0], items[0] + len(items)))
            and bool(_ITEM.match(text.lstrip())))


def _repeats_or_restarts(items: list[int]) -> bool:
    if len(items) < 2 or items[0] != 1:
        return False
    for previous, number in zip(items, items[1:]):
        if number == previous or (number == 1 and previous >= 2):
            return True
        if number != previous + 1:
            return False  # numbers that do not count up are not a list (amounts, clauses)
    return False


@rule("plan-columns", family="text", codes=('responsible-holds-steps', 'monitoring-only-date', 'monitoring-repeats-plan', 'measure-reads-as-result', 'issue-reads-as-result'), reads=('responsible', 'monitoring', 'measure', 'issue'), kinds=(Kind.MEASURES,), needs_fiscal_year=True,
      th="ข้อความที่กรอกผิดช่อง: ผู้รับผิดชอบเป็นขั้นตอน การติดตามเป็นเพียงวันที่หรือซ้ำกับมาตรการ ผลงานในช่องมาตรการหรือประเด็น",
      en="Text in the wrong column: steps as the unit, a follow-up that is a date or the plan again, a result as measure or issue")
def plan_columns(sub: Submission, ctx: _Context) -> None:
    """A responsible unit that holds steps or sentences; a follow-up that is only a date, or only
    the measure's title or its unit again; a measure or an issue that reads as a result."""
    table = sub.spec.table
    for m in sub.measures:
        responsible = m.responsible or ""
        if len(responsible) > 60 and _ACTION.search(responsible):  # a list of units is fine; steps are not
            ctx.add("responsible-holds-steps", table.name, table.cell_of("responsible", m.row),
                    value=excerpt(responsible))
        monitoring = (m.monitoring or "").strip()
        if monitoring and _only_a_date(monitoring, sub.fiscal_year):
            ctx.add("monitoring-only-date", table.name, table.cell_of("monitoring", m.row), value=monitoring)
        elif monitoring and (repeated := _repeats(monitoring, m)) is not None:
            ctx.add("monitoring-repeats-plan", table.name, table.cell_of("monitoring", m.row),
                    value=excerpt(monitoring), column=table.field(repeated).label_th,
                    column_en=table.field(repeated).label_en)
        for key, code in (("measure", "measure-reads-as-result"), ("issue", "issue-reads-as-result")):
            text = getattr(m, key) or ""
            if _reads_as_result(text):
                ctx.add(code, table.name, table.cell_of(key, m.row), value=excerpt(text))


def _reads_as_result(text: str) -> bool:
    """Whether a plan's text says what was done, and when: a result typed in the wrong column."""
    return bool(_DONE_WORDS.search(text) and not _NEGATED.search(text) and find_dates(text))


_NEGATED = re.compile(r"ยังไม่|ไม่ได้|ยังขาด")  # "ยังไม่ได้ดำเนินการ…" holds ได้ดำเนินการ


def _repeats(monitoring: str, m: Measure) -> str | None:
    """The plan column (measure, issue or responsible) a follow-up cell only repeats, if any."""
    said = squash(monitoring)
    for key in ("measure", "issue", "responsible"):
        other = getattr(m, key)
        if other and squash(other) == said:
            return key
    return None


def _only_a_date(text: str, fiscal_year: int | None) -> bool:
    try:
        parse_period(text, fiscal_year)
    except ThaiDateError:
        return False
    return True


# --------------------------------------------------------------------------- other offices and places

_OFFICE_PREFIX = re.compile("|".join(f"(?P<t{t.digit}>{t.pattern()})" for t in OFFICE_TYPES))
_TYPE_OF_GROUP = {f"t{t.digit}": t.name_th for t in OFFICE_TYPES}
_PLACE_PREFIX = re.compile(r"(?P<district>อำเภอ|อ\.)|(?P<province>จังหวัด|จ\.)")
_LONGEST_NAME = 23  # characters, in the register


# An office title as offices mistype it: letters slipped between "อง" and "บริหารส่วน"
# ("องค์กร…" for "องค์การ…", "องคํการ…", "องการ…"); the type's full name is what it should be.
_TITLE_TAILS = {t.digit: t.full_th.removeprefix("องค์การ") for t in OFFICE_TYPES if t.full_th.startswith("องค์การ")}
_TITLE_SLIP = re.compile("|".join(f"(?P<t{digit}>อง[ก-ฮ\u0e30-\u0e4e]{{0,5}}?{re.escape(tail)})"
                                  for digit, tail in _TITLE_TAILS.items()))


@rule("office-titles", family="text", codes=("text-office-title-misspelt",), reads=(TEXT,),
      th="ชื่อประเภทหน่วยงานสะกดผิด เช่น องค์กรบริหารส่วนตำบล แทน องค์การบริหารส่วนตำบล",
      en="An office title misspelt (a tambon or provincial administrative organisation's, with other letters)")
def office_titles(sub: Submission, ctx: _Context) -> None:
    """The title of an อบต. or อบจ. written with other letters than its name has: a slip a
    spelling dictionary misses, since องค์กร and บริหาร are both words."""
    expected = {f"t{t.digit}": t.full_th for t in OFFICE_TYPES}
    for sheet, ref, text in _all_text_cells(sub.spec, sub):
        if not any(tail in text for tail in _TITLE_TAILS.values()):  # substring tests in C, before the pattern
            continue
        for m in _TITLE_SLIP.finditer(text):
            right = expected[m.lastgroup]
            if m.group() != right and "\u0e4d" not in m.group():  # a stray nikhahit is text-nikhahit's
                ctx.add("text-office-title-misspelt", sheet, ref, found=m.group(), expected=right)
                break


@rule("other-office-type", family="text", codes=("text-other-office-type",), reads=(TEXT, "org_code"),
      th="ข้อความกล่าวถึงตำแหน่งหรือสภาของหน่วยงานต่างประเภท เช่น นายกเทศมนตรีในเอกสารของ อบต.",
      en="Text names a post or council of another kind of office, such as a mayor in a TAO's document")
def other_office_type(sub: Submission, ctx: _Context) -> None:
    """Posts and by-laws that belong to another kind of office: a municipality's text pasted
    into a tambon office's document, or the other way round."""
    office = registry.lookup(sub.org_code) if sub.org_code else None
    own = OFFICE_TYPE_BY_NAME.get(office.type_th) if office else None
    if own is None:
        return
    foreign = _foreign_terms(own)
    for sheet, ref, text in _all_text_cells(sub.spec, sub):
        m = foreign.search(text)
        if m is not None:
            ctx.add("text-other-office-type", sheet, ref, found=m.group(), kind=_owner(m.group()), own=own.full_th)


def _owner(term: str) -> str:
    """The kind of office a term belongs to: "เทศบาล" for one every municipality has."""
    return os.path.commonprefix([t.full_th for t in OFFICE_TYPES if term in t.own_terms])


@functools.lru_cache(maxsize=None)
def _foreign_terms(own) -> re.Pattern:
    terms = {term for t in OFFICE_TYPES for term in t.own_terms if term not in own.own_terms}
    return re.compile("|".join(map(re.escape, sorted(terms, key=len, reverse=True))))


# Thai runs are not cut at words: the end of a run repeated after a space is a doubled word
# ("เผยแพร่ข้อมูล ข้อมูล"); at three letters or more, so that chance endings do not count.
# Found from the word after each space (a pattern with a back-reference backtracks over every
# ending of every run: a quarter of the text rules' time).
_AFTER_SPACE = re.compile(r"[ \t]+(?:([\u0e01-\u0e4e]{3,})(?![\u0e01-\u0e4e])|([A-Za-z]{2,})(?![A-Za-z]))")


def doubled_word(text: str) -> str | None:
    """The first word of ``text`` typed twice with only spaces between ("ให้ ให้"), as written.

    A run after the space that goes on past the repeated word counts when that word is a
    function word ("เพื่อให้ ให้ความรู้"): a noun may stand before a name that starts with it
    ("ชุมชน ชุมชนบ้านโคก"), a function word never does."""
    for m in _AFTER_SPACE.finditer(text):
        thai, latin = m.groups()
        at = m.start()
        if thai is not None and text.endswith(thai, 0, at):
            return text[at - len(thai):m.end()]
        if thai is not None and text.endswith(_TYPED_TWICE_TUPLE, 0, at) and (word := _function_word_twice(text, at, thai)):
            return text[at - len(word):m.start(1) + len(word)]
        if latin is not None:
            start = at - len(latin)
            before = text[start - 1:start] if start > 0 else ""
            if text[start:at].lower() == latin.lower() and not (before.isascii() and before.isalpha()):
                return text[start:m.end()]
    return None


def _function_word_twice(text: str, at: int, after: str) -> str | None:
    """The word that needs what follows it (:data:`_TYPED_TWICE`) ending the run before ``at``
    and starting ``after``, each as a whole word (the run before may end on a compound of it:
    เพื่อให้)."""
    from . import spelling

    m = _TWICE_START.match(after)
    if m is None or not text.endswith(m.group(), 0, at):
        return None
    word = m.group()
    last = spelling.cut(text[:at].rsplit(None, 1)[-1])[-1]
    if not (last == word or last in spelling.function_words()):
        return None  # the letters end a longer word (เจ้าหน้าที่ ที่…, มอบให้ ให้บริการ): not typed twice
    return word


@rule("doubled-words", family="text", codes=("text-doubled-word",), reads=(TEXT,),
      th="คำเดียวกันพิมพ์ซ้ำติดกัน เช่น 'ให้ ให้'", en="A word typed twice in a row, with only a space between")
def doubled_words(sub: Submission, ctx: _Context) -> None:
    """The same word twice with only a space between: a slip when a line was retyped."""
    for sheet, ref, text in _all_text_cells(sub.spec, sub):
        found = doubled_word(text)
        if found is not None:
            ctx.add("text-doubled-word", sheet, ref, found=found)


@rule("places", family="text", codes=('text-other-office', 'text-place-misspelt'), reads=(TEXT, 'org_code', 'org_name'), needs_fiscal_year=True,
      th="ข้อความที่ระบุชื่อหน่วยงานอื่น หรือสะกดชื่ออำเภอ จังหวัดของหน่วยงานผิด",
      en="Text naming another office, or this office's district or province misspelt")
def places(sub: Submission, ctx: _Context) -> None:
    """Another office of the register named after a type prefix (a file copied from a neighbour);
    this office's district or province misspelt by one character."""
    spec = sub.spec
    office = registry.lookup(sub.org_code) if sub.org_code else None
    written = sub.header.get("org_name")
    if office is None and not (sub.org_code is None and written):
        return  # an unknown code is reported as such; with no name either, no office to compare
    # A name given without a code, in the register or not, is the office the text is measured by.
    own_name = office.name_th if office else registry.bare_name(written)
    own = office.short_name if office else written
    index = registry.by_name()
    districts = registry.district_names()
    for sheet, ref, text in _all_text_cells(spec, sub):
        other = _other_office(text, own_name, office.province_th if office else None, index)
        if other is not None:
            ctx.add("text-other-office", sheet, ref, found=other[0], name=other[1].short_name,
                    province=other[1].province_th, own=own)
        slip = _place_slip(text, office, districts) if office else None
        if slip is not None:
            ctx.add("text-place-misspelt", sheet, ref, found=slip[0], expected=slip[1])


def _other_office(text: str, own_name: str, own_province: str | None, index) -> tuple[str, object] | None:
    """(as written, the office) of the first office named in ``text`` that is not ``own_name``, or None."""
    for m in _OFFICE_PREFIX.finditer(text):
        kind = _TYPE_OF_GROUP[next(k for k, v in m.groupdict().items() if v)]
        after = text[m.end():m.end() + _LONGEST_NAME + 2].lstrip()
        names = [after[:n] for n in range(min(len(after), _LONGEST_NAME), 1, -1) if (kind, after[:n]) in index]
        if not names or names[0] == own_name or after.startswith(own_name):
            continue
        named = index[kind, names[0]]
        nearest = next((o for o in named if o.province_th == own_province), named[0])
        return m.group() + names[0], nearest
    return None


def _place_slip(text: str, office, districts: frozenset[str]) -> tuple[str, str] | None:
    """(as written, as the register writes it) of this office's district or province misspelt."""
    for m in _PLACE_PREFIX.finditer(text):
        own, real = ((office.district_th, districts) if m["district"]
                     else (office.province_th, registry.province_names()))
        after = text[m.end():m.end() + _LONGEST_NAME + 2].lstrip()
        if len(own) < 4 or after.startswith(own) or any(after[:n] in real for n in range(2, len(after) + 1)):
            continue  # this office's place, or another real one
        for size in (len(own), len(own) - 1, len(own) + 1):
            written = after[:size]
            if written in real or Levenshtein.distance(written, own) != 1:  # one letter off: a slip
                continue
            return m.group() + written, m.group() + own
    return None


# --------------------------------------------------------------------------- a result under the wrong measure

RESULT_OVERLAP = 3
"""Content words a result must share with another measure, and none with its own, to be called misplaced."""


@rule("result-answers-measure", family="text", codes=('result-matches-another-measure',), reads=('result', 'measure', 'method', 'issue'), kinds=(Kind.PROGRESS,), needs_round=True, needs_fiscal_year=True,
      th="ผลการดำเนินการที่ไม่ตรงกับมาตรการของแถวนั้น แต่ตรงกับมาตรการอื่น",
      en="A result that says nothing of its own measure but matches another's")
def result_answers_measure(sub: Submission, ctx: _Context) -> None:
    """A result whose content words share nothing with its own measure but several with another's:
    typed or pasted under the wrong measure."""
    table = sub.spec.table
    from . import spelling

    @functools.lru_cache(maxsize=None)
    def plan(i: int) -> frozenset[str]:  # cut into words only when a result needs it
        m = sub.measures[i]
        return frozenset().union(*(spelling.content_words(t) for t in (m.measure, m.method, m.issue) if t))

    for i, m in enumerate(sub.measures):
        result = spelling.content_words(m.result) if m.result else frozenset()
        if len(result) < RESULT_OVERLAP or (m.measure and result & spelling.content_words(m.measure)) \
                or result & plan(i):  # the title first: it is short, and most results name it
            continue
        shared, j = max(((len(result & plan(j)), j) for j in range(len(sub.measures)) if j != i), default=(0, -1))
        if shared >= RESULT_OVERLAP and shared * 3 >= len(result):
            other = sub.measures[j]
            ctx.add("result-matches-another-measure", table.name, table.cell_of("result", m.row), number=other.number or j + 1,
                    measure=excerpt(other.measure or ""))


# --------------------------------------------------------------------------- cut off, copied in

# Words a Thai sentence cannot end on: it goes on after them ("…ผ่านเว็บไซต์และ").
_OPEN_ENDINGS = frozenset({
    "และ", "หรือ", "เพื่อ", "ของ", "ใน", "โดย", "ตาม", "กับ", "แก่", "จาก", "ซึ่ง", "เช่น", "ได้แก่", "อาทิ",
    "รวมทั้ง", "ตลอดจน", "ตั้งแต่", "ระหว่าง", "เกี่ยวกับ", "สำหรับ", "เนื่องจาก", "หาก", "โดยมี", "อันได้แก่",
})
_OPEN_ENDING_TUPLE = tuple(sorted(_OPEN_ENDINGS))


_TYPED_TWICE = _OPEN_ENDINGS | {"ให้", "ที่"}
"""Words that need what follows them: one typed twice across a space is a slip even where the
second goes on into a longer run ("เพื่อให้ ให้ความรู้"), for no sentence ends on it."""
_TWICE_START = re.compile("|".join(map(re.escape, sorted(_TYPED_TWICE, key=len, reverse=True))))
_TYPED_TWICE_TUPLE = tuple(sorted(_TYPED_TWICE))


@rule("cut-off-text", family="text", codes=("text-cut-off",), reads=(LONG_TEXT,),
      th="ข้อความจบกลางประโยค เช่น ลงท้ายด้วย 'และ' 'เพื่อ' 'ของ'",
      en="A text that stops mid-sentence, on a word no Thai sentence ends on (and, for, of …)")
def cut_off_text(sub: Submission, ctx: _Context) -> None:
    """A cell whose text ends on a word a sentence cannot end on: the rest was lost in a copy
    or left for later."""
    from . import spelling

    table = sub.spec.table
    for _f, _m, ref, text in _cells(table, sub):
        for end, endings in _open_ends(text):
            pieces = spelling.cut(end[-40:])  # cut only a likely one
            if pieces[-1] in endings and len(end) > len(pieces[-1]):
                ctx.add("text-cut-off", table.name, ref, ending=excerpt(end[-30:].split("\n")[-1]), word=pieces[-1])
                break


# Before the next numbered step a list may go on with "และ ๒." or "เช่น ๑)": only the words that
# need a complement inside one step (of, in, by …) say that a step was cut off.
_STEP_OPEN_ENDINGS = tuple(sorted(_OPEN_ENDINGS - {"และ", "หรือ", "เช่น", "ได้แก่", "อาทิ", "รวมทั้ง", "ตลอดจน",
                                                   "ตั้งแต่", "อันได้แก่"}))


def _open_ends(text: str) -> Iterable[tuple[str, tuple[str, ...]]]:
    """The text before a numbered step after the first, and the whole text, where it ends on
    the letters of a word that would say it was cut off there; with those words."""
    for m in _STEP_CUT.finditer(text):
        if int(m.group(2)) > 1:
            yield text[:m.end(1)], _STEP_OPEN_ENDINGS
    if text.endswith(_OPEN_ENDING_TUPLE, 0, end := _end_before(text, len(text))):
        yield text[:end], _OPEN_ENDING_TUPLE


_STEP_CUT = re.compile("(" + "|".join(map(re.escape, sorted(_STEP_OPEN_ENDINGS, key=len, reverse=True)))
                       + r")[\s,]*\s" + _ITEM_NUMBER)
"""An open ending right before a numbered step (" ๒." or " 3)"), in one search of a cell."""


def _end_before(text: str, at: int) -> int:
    """Where the text before ``at`` ends, spaces and commas set aside."""
    while at > 0 and text[at - 1] in " \t\r\n,":
        at -= 1
    return at


@rule("template-example", family="text", codes=("template-example-left-in",), reads=(TEXT,),
      th="แถวที่ยังเป็นข้อความตัวอย่างจากคำชี้แจงของแบบฟอร์ม",
      en="A row that still holds the template guide's example")
def template_example(sub: Submission, ctx: _Context) -> None:
    """A row that repeats the guide's example row in two of its texts or more (issue, measure,
    method, result …): the office copied the example in and did not replace it.  One text
    alone is not enough: the example's measure is a title many offices really use."""
    from .schema import EXAMPLE_ROW

    table = sub.spec.table
    fy = sub.fiscal_year or 0
    examples = {key: (max(raw.split(), key=len), squash(raw)) for key, value in EXAMPLE_ROW.items()
                if isinstance(value, str) and len(raw := value.format(y0=fy - 1, y1=fy)) >= 20
                and table.has(key) and table.field(key).is_input}
    for m in sub.measures:
        # a copy holds the example's longest word as it is: a substring test before the comparison
        same = [key for key, (word, example) in examples.items()
                if isinstance(text := getattr(m, key, None), str) and word in text and squash(text) == example]
        if len(same) >= 2:
            ctx.add("template-example-left-in", table.name, table.cell_of(same[0], m.row),
                    value=excerpt(getattr(m, same[0])))


# "แผน…ประจำปีงบประมาณ พ.ศ. ๒๕๖๕": a plan, an order or a committee named for one fiscal year.
_NAMED_FOR_A_YEAR = re.compile(
    r"(?P<what>แผน|คำสั่ง|คณะกรรมการ|คณะทำงาน|ประกาศ|โครงการ)[^\n]{0,60}?ประจำปี(?:งบประมาณ)?\s*"
    r"(?:พ\.\s*ศ\.\s*)?(?P<year>\d{4})(?!\s*[-–]\s*\d)")
_REPORTED = re.compile(r"รายงานผล|สรุปผล|ผลการ|ที่ผ่านมา|ประเมิน")


_PLAN_TEXTS = ("measure", "method", "monitoring")
"""The plan's own texts, where this year's plan, orders and committees are named."""


@rule("plan-year", family="text", codes=("text-past-fiscal-year",), reads=_PLAN_TEXTS,
      kinds=(Kind.MEASURES,), needs_fiscal_year=True,
      th="แผน คำสั่ง หรือคณะกรรมการของปีนี้ที่ระบุปีงบประมาณที่ผ่านมาแล้ว",
      en="A plan, order or committee of this year named for a past fiscal year")
def plan_year(sub: Submission, ctx: _Context) -> None:
    """This year's plan named for last year ("แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ ๒๕๖๕" in the
    measures of 2566): the text was carried over from an older plan.  A report or an
    assessment of a past year is what it says."""
    fy = sub.fiscal_year
    table = sub.spec.table
    for _f, _m, ref, text in _cells(table, sub, [table.field(key) for key in _PLAN_TEXTS]):
        arabic = to_arabic_digits(text)
        for m in _NAMED_FOR_A_YEAR.finditer(arabic):
            year = int(m["year"])
            if 2400 < year < fy and not _REPORTED.search(arabic, max(0, m.start() - 20), m.end()):
                ctx.add("text-past-fiscal-year", table.name, ref, found=excerpt(text[m.start():m.end()]),
                        year=year, fiscal_year=fy)
                break


@rule("evidence-sites", family="text", codes=("evidence-other-office-site",), reads=("evidence_url",),
      kinds=(Kind.PROGRESS,),
      th="ลิงก์หลักฐานในไฟล์เดียวกันชี้ไปยังเว็บไซต์ของหน่วยงานราชการหลายแห่ง",
      en="Evidence links in one workbook that point to the websites of different government offices")
def evidence_sites(sub: Submission, ctx: _Context) -> None:
    """Evidence on the .go.th site of another office than the one most links go to: copied
    from a neighbour's report.  National agencies' sites (the NACC, the DLA …) are not offices'."""
    table = sub.spec.table
    sites: dict[str, list[int]] = {}
    for i, m in enumerate(sub.measures):
        for site in dict.fromkeys(filter(None, map(_office_site, Url.links(m.evidence_url)))):
            sites.setdefault(site, []).append(i)
    if len(sites) < 2:
        return
    main, rows = max(sites.items(), key=lambda item: (len(item[1]), item[0]))
    if len(rows) < 2:  # no site most links agree on
        return
    for site, found in sorted(sites.items()):
        if site != main:
            for i in found:
                m = sub.measures[i]
                ctx.add("evidence-other-office-site", table.name, table.cell_of("evidence_url", m.row),
                        site=site, main=main, count=len(rows))


_HOST = re.compile(r"^https?://(?:[^/@\s]*@)?([^/:?#\s]+)", re.IGNORECASE)


def _office_site(url: str) -> str | None:
    """The registered .go.th domain of a link (``banchan.go.th``), unless a national agency's."""
    m = _HOST.match(url)
    if m is None:
        return None
    labels = m[1].lower().rstrip(".").split(".")
    if labels[-2:] != ["go", "th"] or len(labels) < 3:
        return None
    domain = ".".join(labels[-3:])
    return None if domain in _national_sites() else domain


@functools.lru_cache(maxsize=1)
def _national_sites() -> frozenset[str]:
    from . import spelling

    return frozenset(spelling.list_file("national-sites.txt"))


# --------------------------------------------------------------------------- spelling


@rule("spelling", family="text", codes=('text-misspelt', 'text-spelling'), reads=(TEXT,), needs_fiscal_year=True,
      th="คำที่สะกดผิด (คำที่มักเขียนผิด หรือเขียนคล้ายคำที่ใช้บ่อย) และคำที่ไม่พบในพจนานุกรม ไม่ตรวจชื่อบุคคล",
      en="Misspellings (known ones, look-alikes of common words) and words in no dictionary; names are not checked")
def unknown_words(sub: Submission, ctx: _Context) -> None:
    """Misspellings with their right forms, then words in no dictionary, one warning of each a
    cell; people's names are not checked."""
    spec = sub.spec
    from . import spelling

    for sheet, ref, text in _all_text_cells(spec, sub):
        if sheet == spec.form.name and _is_name_field(spec, ref):
            continue
        wrong, slips = spelling.slips(text)
        if wrong:
            shown = list(dict.fromkeys((written, right) for _at, written, right in wrong))
            ctx.add("text-misspelt", sheet, ref, words=", ".join(f"'{w}' ควรเป็น '{r}'" for w, r in shown[:5]),
                    words_en=", ".join(f"'{w}' for '{r}'" for w, r in shown[:5]))
        if not slips:
            continue
        shown = list(dict.fromkeys(around for _at, _piece, around in slips))
        better = spelling.suggest(shown[0])
        ctx.add("text-spelling", sheet, ref, words=", ".join(f"'{w}'" for w in shown[:5]),
                hint=f" (ควรเป็น '{better}' หรือไม่)" if better else "",
                hint_en=f" (did you mean '{better}'?)" if better else "")


def _is_name_field(spec, ref: str) -> bool:
    return any(spec.form.cell_of(f.key) == ref for f in spec.form.fields if f.key.endswith("_name"))
