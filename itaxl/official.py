"""The official documents an office publishes, rendered from its filled workbook as Word documents.

A progress workbook becomes the "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและ
ความโปร่งใสภายในหน่วยงาน" an office posts on its website for the OIT; a measures
workbook becomes its "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" (the
O42-style document).  Both are laid out like the best of the offices' own documents
(:func:`build`): the heading block, the opening paragraph, the table under its
indicators with its header on every page, and the signature blocks; TH SarabunPSK 16,
A4 landscape, written with :mod:`itaxl.word`.  Every number and date is in Thai digits, as
official documents write them — the office's own text included, links and codes with
Latin letters (O43, e6) as they are — so that no cell mixes the two; ``thai_digits=False``
writes Arabic digits throughout.

The columns are the schema's fields (their Thai labels), so the document always
says what the workbook holds.  It renders what the workbook says, mistakes
included; :func:`render` returns the workbook's problems so that the caller can
say how many there are.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from .atomic import write_bytes
from .errors import ItaxlError
from .problems import Problem, breaks_integrity
from .rulebook import SCORES
from .reader import Measure, Submission
from .fieldtypes import Url
from .framework import SHIPPED, Catalogue, assessed_year
from .schema import OFFICE_TYPE_BY_NAME, ROUNDS, STATUS_LABELS, Field, Kind, TableSheet
from . import typeset, word
from .thai import format_date, round_bounds, thai_digits_in_text

FONT = "TH SarabunPSK"
FONT_SIZE = 16   # title block and signatures
TABLE_SIZE = 14  # the table: offices' own reports set their tables a size smaller
CREATED = datetime.datetime(2000, 1, 1)  # fixed document date: the same workbook gives the same report

@dataclass(frozen=True)
class Column:
    """One column of the document: the fields it shows (the first names it, unless ``heading``
    does), its width and how a measure fills it."""

    keys: tuple[str, ...]
    width: float
    value: Callable[[Measure, "_Text"], str]
    heading: str = ""
    show: str = "field"

    def title(self, table: TableSheet) -> str:
        return self.heading or next(f.label_th for f in table.columns if f.key == self.keys[0])


class _Text:
    """Numbers and dates as the document writes them (Arabic or Thai digits)."""

    def __init__(self, thai_digits: bool):
        self.thai_digits = thai_digits

    def __call__(self, value: object) -> str:
        text = "" if value is None else str(value).strip()
        return thai_digits_in_text(text) if self.thai_digits else text

    def date(self, day: datetime.date | None, *, abbreviated: bool = True) -> str:
        return format_date(day, abbreviated=abbreviated, thai_digits=self.thai_digits) if day else ""


def _field(f: Field) -> Callable[[Measure, _Text], str]:
    """A column showing one field as its type writes it: text as written, a date as the document
    writes dates, an amount with its decimals."""
    def value(m: Measure, t: _Text) -> str:
        return f.type.report_text(getattr(m, f.key), thai_digits=t.thai_digits)
    return value


def _measure(m: Measure, t: _Text) -> str:
    return t(f"{m.number}. {m.measure}" if m.number is not None else m.measure)


def _number(m: Measure, t: _Text) -> str:
    return t(m.number)


def _numbers_alone(columns: tuple[Column, ...], measures: list[Measure]) -> tuple[Column, ...]:
    """The measure column of a plan in which no measure has a title (issues and steps only, as
    some offices write it) shows the numbers alone, headed as the number is: the page's width
    goes to the texts there are."""
    if any(m.measure and m.measure.strip() for m in measures):
        return columns
    return tuple(replace(c, keys=c.keys[1:], value=_number, heading="") if c.value is _measure and c.keys[1:] else c
                 for c in columns)


def _period(m: Measure, t: _Text) -> str:
    if m.start and m.end and m.start != m.end:
        return f"{t.date(m.start)}{NBSP}–\n{t.date(m.end)}"
    return t.date(m.start or m.end)


def _indicator(framework):
    def value(m: Measure, t: _Text) -> str:
        found = framework.indicator(m.indicator) if m.indicator is not None else None
        return t(found.label) if found else ""
    return value


def _status(m: Measure, t: _Text) -> str:
    label = STATUS_LABELS.get(m.status, "") if m.status else ""
    return f"{label}\n({t.date(m.done_date)})" if m.done_date and label else label


def _columns(sub: Submission) -> tuple[Column, ...]:
    """The document's columns: those its layout declares for its kind, then one for every field of
    the table that no declared column shows and that the layout does not leave out."""
    spec = sub.spec
    table = spec.table
    shows: dict[str, Callable[[Measure, _Text], str]] = {
        "numbered": _measure, "period": _period, "indicator": _indicator(sub.framework), "status": _status}
    declared = tuple(
        Column(c.fields, c.width, shows[c.show] if c.show != "field" else _field(table.field(c.fields[0])), c.heading,
               c.show)
        for c in spec.report.columns)
    shown = {k for c in declared for k in c.keys} | spec.report.left_out
    extra = tuple(Column((f.key,), f.width, _field(f)) for f in table.columns if f.key not in shown)
    return declared + extra


def office_title(header: dict[str, Any]) -> str:
    """"องค์การบริหารส่วนตำบลโคกสนวน อำเภอชำนิ จังหวัดบุรีรัมย์" from the office cells."""
    parts = [_office_name(header)]
    if header.get("district"):
        parts.append(f"อำเภอ{header['district']}")
    if header.get("province"):
        parts.append(f"จังหวัด{header['province']}")
    return " ".join(p for p in parts if p)


def _office_name(header: dict[str, Any]) -> str:
    """The office's full name without its district and province: "องค์การบริหารส่วนตำบลโคกสนวน"."""
    name = str(header.get("org_name") or "").strip()
    office_type = OFFICE_TYPE_BY_NAME.get(str(header.get("org_type") or ""))
    if office_type and not name.startswith((office_type.full_th, office_type.name_th)):
        name = office_type.full_th + name
    return name


def _rated(framework) -> str:
    """How a result's rating is introduced: "ระดับ A", or "ผลการประเมิน ผ่าน" for a verbal rating."""
    return "ระดับ" if framework.rating.kind == "letters" else "ผลการประเมิน"


DRAFT = "ร่าง"
"""Printed at the top of every page of the document of a workbook that still has errors."""
NBSP = "\u00a0"
"""Between words no line may break between: พ.ศ. and its year (not "…ปี พ.ศ." with "๒๕๖๖)"
alone on the next line), a dash and the date before it."""


def _year(t: _Text, year: object) -> str:
    return f"ปี{NBSP}พ.ศ.{NBSP}{t(year)}"


def _subtitles(sub: Submission, t: _Text, *, result: bool = True) -> list[str]:
    fy = sub.fiscal_year or 0
    lines = [f"ประจำปีงบประมาณ พ.ศ.{NBSP}{t(fy)}"]
    if sub.kind == Kind.PROGRESS.value and sub.round in ROUNDS:
        start, end = round_bounds(fy, sub.round)
        lines[0] += (f" รอบ {t(sub.round)} เดือน "
                     f"({t.date(start, abbreviated=False)}{NBSP}– {t.date(end, abbreviated=False)})")
    lines.append(office_title(sub.header))
    h = sub.header
    framework = sub.framework
    if result and sub.kind == Kind.MEASURES.value and h.get("total_score") is not None:
        lines.append(f"จากผลการประเมิน ITA {_year(t, h.get('assessed_year') or '')} "
                     f"ได้คะแนน {t(h['total_score'])} {_rated(framework)} {h.get('grade') or '-'}")
    item = framework.measures_item if sub.kind == Kind.MEASURES.value else framework.progress_item
    if item is not None:
        lines.append(f"(ข้อ {item.code} {item.title_th} ของการประเมิน ITA {_year(t, fy)})")  # a code, as written
    return lines


def _signatures(sub: Submission, t: _Text) -> list[tuple[str, str, str]]:
    """(role, name, position) of each signature block."""
    h = sub.header
    if sub.kind == Kind.PROGRESS.value:
        return [("ผู้รายงาน", h.get("reporter_name") or "", h.get("reporter_position") or ""),
                ("ผู้ตรวจรายงาน", h.get("reviewer_name") or "", h.get("reviewer_position") or "")]
    return [("ผู้จัดทำ", h.get("reporter_name") or "", h.get("reporter_position") or "")]


# --------------------------------------------------------------------------- layout

MARGIN_SIDE = 0.5      # inches
MARGIN_TOP, MARGIN_BOTTOM = 0.5, 0.6  # inches
MARGIN_TOP_DRAFT = 0.8  # inches: room above the table for the page header that says ร่าง
HEADER_FOOTER = 0.3     # inches from the edge to the header and the footer
DRAFT_SIZE = 18         # points: the size of that header
WIDTH = typeset.A4_LANDSCAPE[0] - 2 * 72 * MARGIN_SIDE  # points: the tables' width
MIN_COLUMN = 46.0     # points: the narrowest column
LONGEST_WORD = 72.0   # points: a column breaks a longer compound (or a URL) rather than widen for it
SHORT_LINE = 80.0     # points: a column whose lines are all this short keeps them whole
KEEP_LINES = 2
"""The fewest lines of a measure the document cuts off into a row of its own."""
CELL_PADDING = 4.0    # points inside a table cell, left and right
CELL_PADDING_V = 1.5  # points inside a table cell, above and below


def _narrowest(texts: list[list[str]], headings: list[str]) -> list[float]:
    """The narrowest each column may be, in points: its heading's longest word and its texts'
    (up to :data:`LONGEST_WORD`) on a line; a column of short lines (a period's dates) keeps
    them whole."""
    need = []
    for c, heading in enumerate(headings):
        lines = [line for row in texts for line in row[c].split("\n")]
        widest_line = max((typeset.width(line, TABLE_SIZE) for line in lines), default=0.0)
        if widest_line <= SHORT_LINE:
            longest = widest_line
        else:
            longest = max(min(typeset.width(w, TABLE_SIZE), LONGEST_WORD) for row in texts
                          for w in typeset.words(row[c]))
        longest = max([longest] + [typeset.width(w, TABLE_SIZE, bold=True) for w in typeset.words(heading)])
        need.append(max(MIN_COLUMN, longest + 2 * CELL_PADDING + 1))
    return need


def _widths(texts: list[list[str]], headings: list[str]) -> list[float]:
    """Column widths in points that fill the table's width with the fewest lines: each column at
    its narrowest (:func:`_narrowest`) and the rest shared by how much text each holds, then
    moved between columns while the table gets shorter (:func:`_fewest_lines`)."""
    need = _narrowest(texts, headings)
    if sum(need) > WIDTH:  # more columns than the page holds at their widest words: shrink alike
        return [n * WIDTH / sum(need) for n in need]
    weight = [sum(typeset.width(row[c], TABLE_SIZE) for row in texts) + 1 for c in range(len(headings))]
    spare = WIDTH - sum(need)
    shared = [n + spare * w / sum(weight) for n, w in zip(need, weight)]
    return _fewest_lines(shared, texts, need, CELL_PADDING)


def _fewest_lines(widths: list[float], texts: list[list[str]], least: list[float], padding: float) -> list[float]:
    """``widths`` moved between columns, a step at a time, while the table gets shorter: the sum
    over its rows of the lines in each row's fullest cell (a column of short entries gives its
    spare width to the long texts beside it).  No column gets narrower than ``least``."""
    measured = [[typeset.Measured(text, TABLE_SIZE) if text else None for text in row] for row in texts]
    memo: dict[tuple[int, float], list[int]] = {}

    def column(c: int, w: float) -> list[int]:
        key = (c, round(w, 3))
        if key not in memo:
            memo[key] = [m[c].lines(w - 2 * padding) if m[c] else 1 for m in measured]
        return memo[key]

    def total(ws: list[float]) -> int:
        per_column = [column(c, w) for c, w in enumerate(ws)]
        return sum(max(lines) for lines in zip(*per_column)) if texts else 0

    widths, best = list(widths), total(widths)
    for step in (48.0, 24.0, 12.0, 6.0):
        improved = True
        while improved:
            improved = False
            for give in range(len(widths)):
                if widths[give] - step < least[give]:
                    continue
                for take in range(len(widths)):
                    if take == give:
                        continue
                    tried = list(widths)
                    tried[give] -= step
                    tried[take] += step
                    found = total(tried)
                    if found < best:
                        widths, best, improved = tried, found, True
                        break
                if improved:
                    break
    return widths


# --------------------------------------------------------------------------- the Word document

BODY_SIZE = FONT_SIZE      # the opening paragraph and the signatures
HEAD_FILL = "F2F2F2"       # the table header's shading
GROUP_FILL = "FAFAFA"      # an indicator's row above its measures
WEAK_FILL = "FDE9E7"       # an indicator scored below the pass mark
JOINT = 1.0                # points: the paragraph between the table and its last rows' own table
TAIL_LINES = 1
"""The last measure's lines that go over with the signatures when they do not fit under it:
one, so that the page it leaves is at least three quarters full (the signatures and a line
take a quarter of a page)."""
SIGNATURE_GAP = 10.0       # points above the signature blocks
PAGE_NUMBERS = "thaiNumbers"  # Word's page-number format for Thai digits
ANALYSIS = "analysis_{number}"
"""Each indicator's analysis (the layout's field for each indicator, from version 2)."""
LINE_SPACING = 1.3
"""A line's pitch in ems, set exactly: TH SarabunPSK's own single spacing.  Laksaman, which
LibreOffice draws in its place, would space single lines 1.65 em apart and print a third
more pages."""


def _line(size: float) -> float:
    return LINE_SPACING * size


def _cell_text(cell, text: str, *, bold: bool = False, align=None, keep_with_next: bool = False) -> None:
    paragraph = word.paragraph_format(word.cell_paragraph(cell), align=align, line=_line(TABLE_SIZE),
                                      keep_with_next=keep_with_next)
    word.text(paragraph, text, bold=bold, size=TABLE_SIZE)


def _head_of_office(header: dict[str, Any]) -> str:
    """The title of the office's elected head: "นายกองค์การบริหารส่วนตำบลโคกสนวน"."""
    office_type = OFFICE_TYPE_BY_NAME.get(str(header.get("org_type") or ""))
    name = str(header.get("org_name") or "").strip()
    return office_type.head_of(name) if office_type and name else ""


def _score(sub: Submission, key: str, t: _Text) -> str:
    """A score of the office sheet as its field writes it ("๘๖.๕๗"), or "" when not given."""
    value = sub.header.get(key)
    if value is None or value == "":
        return ""
    fields = {f.key: f for f in sub.spec.form.fields}
    return fields[key].type.report_text(value, thai_digits=t.thai_digits) if key in fields else t(value)


def _scores(sub: Submission) -> dict[int, float]:
    """Each indicator's score as a number, for the indicators the office gave one."""
    scores = {}
    for indicator in sub.framework.indicators:
        value = sub.header.get(SCORES.format(number=indicator.number))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            scores[indicator.number] = float(value)
    return scores


def _assessed(sub: Submission) -> object:
    """The year of the ITA result the plan answers: as the office wrote it, or the year before the plan's."""
    return sub.header.get("assessed_year") or assessed_year(sub.fiscal_year or 0)


def _listed(items: list[str]) -> str:
    """"๒, ๔ และ ๕": items as a Thai sentence lists them."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} และ {items[-1]}"


def _opening(sub: Submission, t: _Text) -> str:
    """The paragraph that says what the document answers ("ตามที่ ..."), as offices open theirs."""
    office = _office_name(sub.header)
    fy = sub.fiscal_year or 0
    assessed = _assessed(sub)
    rating = sub.framework.rating
    if sub.kind == Kind.MEASURES.value:
        result = ""
        if sub.header.get("total_score") is not None:
            result = (f" {office}ได้คะแนน {_score(sub, 'total_score', t)} "
                      f"{_rated(sub.framework)} {sub.header.get('grade') or '-'}")
        weak = [n for n, v in _scores(sub).items() if v < rating.pass_mark]
        aim = (f" โดยเฉพาะตัวชี้วัดที่ได้คะแนนต่ำกว่า {t(f'{rating.pass_mark:g}')} คะแนน "
               f"(ตัวชี้วัดที่ {_listed([t(n) for n in weak])})") if weak else ""
        return (f"ตามที่สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) "
                f"ได้ประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                f"ประจำปีงบประมาณ พ.ศ.{NBSP}{t(assessed)}{result} นั้น {office}ได้วิเคราะห์ผลการประเมิน"
                f"รายตัวชี้วัด และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                f"ประจำปีงบประมาณ พ.ศ.{NBSP}{t(fy)} จำนวน {t(len(sub.measures))} มาตรการ "
                f"เพื่อแก้ไขและพัฒนาผลการประเมิน{aim} ดังนี้")
    period = ""
    if sub.round in ROUNDS:
        start, end = round_bounds(fy, sub.round)
        period = (f" รอบ {t(sub.round)} เดือน ({t.date(start, abbreviated=False)}{NBSP}– "
                  f"{t.date(end, abbreviated=False)})")
    counts = {status: sum(m.status == status for m in sub.measures) for status in STATUS_LABELS}
    told = [f"{label} {t(counts[status])} มาตรการ" for status, label in STATUS_LABELS.items() if counts[status]]
    untold = sum(not m.status for m in sub.measures)
    if untold:
        told.append(f"ยังไม่ระบุสถานะ {t(untold)} มาตรการ")
    return (f"ตามที่{office}ได้วิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ.{NBSP}{t(assessed)} "
            f"และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ "
            f"พ.ศ.{NBSP}{t(fy)} จำนวน {t(len(sub.measures))} มาตรการ นั้น บัดนี้ได้ดำเนินการตามมาตรการ"
            f"ดังกล่าว{period} แล้ว จึงขอรายงานผลการดำเนินการ" + (f" ({' '.join(told)})" if told else "")
            + " ดังนี้")


def _heading(doc, sub: Submission, t: _Text) -> None:
    """Title, fiscal year (and round), office and the ITA item, centred; then the opening."""
    title = word.paragraph_format(doc.add_paragraph(), align=word.CENTRE, line=_line(FONT_SIZE + 2))
    word.text(title, sub.spec.table.title_th, bold=True, size=FONT_SIZE + 2)
    for line in _subtitles(sub, t, result=False):
        word.text(word.paragraph_format(doc.add_paragraph(), align=word.CENTRE, line=_line(BODY_SIZE)), line,
                  bold=True)
    opening = word.paragraph_format(doc.add_paragraph(), align=word.THAI_JUSTIFY, before=10, after=6,
                                    line=_line(BODY_SIZE), first_line=36)
    word.text(opening, _opening(sub, t))


def _heading_row(table, widths: list[float], headings: list[str]) -> None:
    row = word.add_row(table, widths)
    word.repeat_as_header(row)
    for cell, heading in zip(row.cells, headings):
        word.shade(cell, HEAD_FILL)
        _cell_text(cell, heading, bold=True, align=word.CENTRE)


def _spanning_row(table, widths: list[float], text: str, *, bold: bool = False, fill: str | None = None,
                  keep_with_next: bool = False):
    """A row of one cell across the table's width."""
    row = word.add_row(table, widths)
    cell = word.span(row)
    if fill:
        word.shade(cell, fill)
    word.keep_whole(row)
    _cell_text(cell, text, bold=bold, keep_with_next=keep_with_next)
    return row


def _analysis(doc, sub: Submission, t: _Text) -> None:
    """The measures document's analysis of the ITA result: each indicator's score against the
    pass mark (those below it marked), the office's analysis of it and the measures that answer it."""
    rating = sub.framework.rating
    scores = _scores(sub)
    answered: dict[int, list[str]] = {}
    for m in sub.measures:
        if m.indicator is not None and m.number is not None:
            answered.setdefault(m.indicator, []).append(t(m.number))
    analyses = {i.number: t(sub.header.get(ANALYSIS.format(number=i.number))) for i in sub.framework.indicators}
    if not scores and not any(analyses.values()):
        return
    assessed = _assessed(sub)
    heading = word.paragraph_format(doc.add_paragraph(), before=6, after=4, line=_line(BODY_SIZE),
                                    keep_with_next=True)
    word.text(heading, f"ผลการประเมิน ITA ปี{NBSP}พ.ศ.{NBSP}{t(assessed)} รายตัวชี้วัด "
                       f"(เกณฑ์ผ่าน {t(f'{rating.pass_mark:g}')} คะแนน)", bold=True)
    # (heading, width in points, shown, centred); the analysis takes the width left, or else
    # the indicator's name
    columns = [("ตัวชี้วัด", 190.0, True, False), ("คะแนน", 56.0, bool(scores), True),
               ("เทียบเกณฑ์", 90.0, bool(scores), True), ("ผลการวิเคราะห์", 0.0, any(analyses.values()), False),
               ("มาตรการลำดับที่", 120.0, bool(answered), True)]
    flexible = 3 if columns[3][2] else 0
    left = WIDTH - sum(w for n, (_, w, shown, _) in enumerate(columns) if shown and n != flexible)
    columns[flexible] = (columns[flexible][0], left, True, columns[flexible][3])
    kept = [n for n, (_, _, shown, _) in enumerate(columns) if shown]
    widths = [columns[n][1] for n in kept]
    table = word.table(doc, widths, padding=(CELL_PADDING_V, CELL_PADDING))
    _heading_row(table, widths, [columns[n][0] for n in kept])
    for indicator in sub.framework.indicators:
        score = scores.get(indicator.number)
        weak = score is not None and score < rating.pass_mark
        verdict = "" if score is None else ("ต่ำกว่าเกณฑ์" if weak else "ผ่านเกณฑ์")
        cells = [t(f"{indicator.number}. {indicator.name_th} ({indicator.instrument})"),
                 _score(sub, SCORES.format(number=indicator.number), t), verdict, analyses[indicator.number],
                 ", ".join(answered.get(indicator.number, []))]
        row = word.add_row(table, widths)
        for cell, n in zip(row.cells, kept):
            if weak:
                word.shade(cell, WEAK_FILL)
            _cell_text(cell, cells[n], bold=weak and n == 2, align=word.CENTRE if columns[n][3] else None)
    word.paragraph_format(doc.add_paragraph(), after=4)


def _groups(sub: Submission, t: _Text) -> list[tuple[str, list[Measure]]]:
    """The measures under their indicators, in the framework's order (a measure naming none, or
    one the framework lacks, last), each group in the office's order."""
    by_number: dict[int | None, list[Measure]] = {}
    for m in sub.measures:
        found = sub.framework.indicator(m.indicator) if m.indicator is not None else None
        by_number.setdefault(found.number if found else None, []).append(m)
    scores = {n: _score(sub, SCORES.format(number=n), t) for n in by_number if n is not None}
    groups = []
    for indicator in sub.framework.indicators:
        if indicator.number in by_number:
            label = f"ตัวชี้วัดที่ {t(indicator.number)} {indicator.name_th}"
            if scores.get(indicator.number):
                label += f" (คะแนน {scores[indicator.number]})"
            groups.append((label, by_number[indicator.number]))
    if None in by_number:
        groups.append(("มาตรการที่ไม่ได้ระบุตัวชี้วัด" if groups else "", by_number[None]))
    return groups


def _links(sub: Submission) -> tuple[Field, ...]:
    """The table's web-address fields (the evidence): each measure's links go on a line of its own."""
    return tuple(f for f in sub.spec.table.columns if isinstance(f.type, Url))


def _measures_table(doc, sub: Submission, t: _Text) -> None:
    """The table of measures: a header repeated on every page, the measures under their
    indicators, rows that break across pages as Word's do, each measure's evidence links below it."""
    declared = tuple(c for c in _numbers_alone(_columns(sub), sub.measures) if c.show != "indicator")
    groups = _groups(sub, t)
    ordered = [m for _, ms in groups for m in ms]
    texts_all = [[c.value(m, t) for c in declared] for m in ordered]
    keep = [i for i, c in enumerate(declared) if any(row[i].strip() for row in texts_all)] or [0]
    columns = tuple(declared[i] for i in keep)
    headings = [c.title(sub.spec.table) for c in columns]
    texts = {id(m): [row[i] for i in keep] for m, row in zip(ordered, texts_all)}
    widths = _widths(list(texts.values()), headings)
    links = [f for f in _links(sub) if f.key not in {k for c in columns for k in c.keys}]
    table = word.table(doc, widths, padding=(CELL_PADDING_V, CELL_PADDING))
    _heading_row(table, widths, headings)
    for label, measures in groups:
        if label:
            _spanning_row(table, widths, label, bold=True, fill=GROUP_FILL, keep_with_next=True)
        for m in measures:
            evidence = [f"{f.label_th}: {value}" for f in links if (value := str(getattr(m, f.key) or "").strip())]
            if m is ordered[-1]:
                _last_measure(doc, table, widths, texts[id(m)], evidence, sub, t)
                break
            row = word.add_row(table, widths)
            for cell, text in zip(row.cells, texts[id(m)]):
                _cell_text(cell, text)
            for line in evidence:
                _spanning_row(table, widths, line)


def _last_measure(doc, table, widths: list[float], texts: list[str], evidence: list[str], sub: Submission,
                  t: _Text) -> None:
    """The last measure and the signatures, which never stand alone on a page.

    The measure's final :data:`TAIL_LINES` lines (as the document font wraps them), its
    evidence and the signature blocks go into a table of their own, right under the main one
    and drawn as its continuation, whose rows are never split and whose paragraphs are kept
    with the next: LibreOffice keeps a table together only when it fits on one page, so the
    main table cannot carry the keep.
    """
    wrapped = [typeset.wrap(text, w - 2 * CELL_PADDING, TABLE_SIZE) if text else [] for text, w in zip(texts, widths)]
    cut = max((len(w) for w in wrapped), default=0) - TAIL_LINES
    if cut >= KEEP_LINES:
        head = word.add_row(table, widths)
        for cell, lines in zip(head.cells, wrapped):
            _cell_text(cell, "\n".join(lines[:cut]).rstrip())
            word.open_edge(cell, "bottom")
        texts = ["\n".join(lines[cut:]) for lines in wrapped]
    joint = word.paragraph_format(doc.add_paragraph(), line=JOINT, keep_with_next=True)
    word.text(joint, " ", size=JOINT)
    tail_table = word.table(doc, widths, padding=(CELL_PADDING_V, CELL_PADDING))
    tail = word.add_row(tail_table, widths)
    word.keep_whole(tail)
    for cell, text in zip(tail.cells, texts):
        if cut >= KEEP_LINES:
            word.open_edge(cell, "top")
        _cell_text(cell, text, keep_with_next=True)
    for line in evidence:
        _spanning_row(tail_table, widths, line, keep_with_next=True)
    signatures = word.add_row(tail_table, widths)
    word.keep_whole(signatures)
    cell = word.span(signatures)
    for side in ("left", "right", "bottom"):
        word.open_edge(cell, side)
    _signature_block(cell, sub, t, sum(widths) - 2 * CELL_PADDING)


def _signature_block(cell, sub: Submission, t: _Text, width: float) -> None:
    """The signature blocks side by side in ``cell`` (the measures document's with its approval
    by the head of the office), centred on tab stops across ``width`` points."""
    blocks = list(_signatures(sub, t))
    if sub.kind == Kind.MEASURES.value:
        blocks.append(("ผู้อนุมัติ", "", _head_of_office(sub.header)))
    positions = [width * (2 * i + 1) / (2 * len(blocks)) for i in range(len(blocks))]
    lines = [[f"(ลงชื่อ) ........................................ {role}" for role, _, _ in blocks],
             [f"({name})" if name else "(........................................)" for _, name, _ in blocks],
             [position or "ตำแหน่ง ........................................" for _, _, position in blocks]]
    report_date = sub.header.get("report_date")
    if isinstance(report_date, datetime.date):
        lines.append([f"วันที่ {t.date(report_date, abbreviated=False)}"] + [""] * (len(blocks) - 1))
    for n, texts in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        word.paragraph_format(paragraph, before=SIGNATURE_GAP if n == 0 else 0, line=_line(BODY_SIZE),
                              keep_with_next=n < len(lines) - 1)
        word.centred_tabs(paragraph, positions)
        word.text(paragraph, "\t" + "\t".join(texts))


def _page_furniture(doc, t: _Text, draft: bool) -> None:
    """"หน้า ๒ / ๑๘" at the foot of every page; ร่าง at the top of a draft's."""
    section = doc.sections[0]
    footer = word.paragraph_format(section.footer.paragraphs[0], align=word.CENTRE)
    word.text(footer, "หน้า ", size=TABLE_SIZE)
    word.field(footer, "PAGE", size=TABLE_SIZE)
    word.text(footer, " / ", size=TABLE_SIZE)
    word.field(footer, "NUMPAGES", size=TABLE_SIZE)
    if t.thai_digits:
        word.page_numbers(doc, PAGE_NUMBERS)
    if draft:
        word.text(word.paragraph_format(section.header.paragraphs[0], align=word.RIGHT), DRAFT, bold=True,
                  size=DRAFT_SIZE)


def build(sub: Submission, *, thai_digits: bool = True) -> bytes:
    """The document for one read workbook, as .docx bytes (deterministic): the form offices
    publish and may still edit.

    A4 landscape, TH SarabunPSK 16 with the table at 14; the heading block and the opening
    paragraph; for the measures document the ITA result by indicator against the pass mark;
    the measures under their indicators in a table whose header repeats on every page and
    whose rows break across pages; evidence links; the signature blocks right after the last
    row; page numbers; ร่าง on every page when the workbook has errors.  Its properties
    (created, modified) are the workbook's, so that the same workbook gives the same document.
    """
    t = _Text(thai_digits)
    draft = any(p.is_error for p in sub.problems)
    doc = word.new(FONT, BODY_SIZE, margins=(MARGIN_SIDE, MARGIN_TOP_DRAFT if draft else MARGIN_TOP, MARGIN_BOTTOM),
                   header_footer=HEADER_FOOTER)
    _page_furniture(doc, t, draft)
    _heading(doc, sub, t)
    if sub.kind == Kind.MEASURES.value:
        _analysis(doc, sub, t)
    _measures_table(doc, sub, t)
    return word.to_bytes(doc, created=sub.modified or CREATED, title=sub.spec.table.title_th,
                         author=_office_name(sub.header))


def render(source: str | os.PathLike, output: str | os.PathLike, *, thai_digits: bool = True,
           force: bool = True, catalogue: Catalogue = SHIPPED) -> tuple[Path, list[Problem]]:
    """Read ``source`` (a filled measures or progress workbook) and write its document to ``output``
    (a .docx).

    Returns the path written and the workbook's problems (the document shows what the
    workbook says, errors included).  Raises :class:`ItaxlError` when the workbook is not
    one itaxl can vouch for (not an itaxl workbook, tampered, no measures).
    """
    from .rules import read

    sub = read(source, catalogue=catalogue)
    fatal = [p for p in sub.problems if breaks_integrity(p)]
    if fatal or sub.spec is None:
        first = fatal[0] if fatal else None
        reason = f"{first.code}: {first.message_en}" if first else "not a measures or progress workbook"
        raise ItaxlError(f"{source}: cannot make the report ({reason})")
    if not sub.measures:
        raise ItaxlError(f"{source}: the workbook has no measures to report")
    if Path(output).suffix.lower() != SUFFIX:
        raise ItaxlError(f"{output}: the report is a Word document; name it {SUFFIX}")
    return write_bytes(output, build(sub, thai_digits=thai_digits), force=force, inputs=(source,)), sub.problems


SUFFIX = ".docx"
"""The report's file type: the Word document offices publish and may still edit."""
