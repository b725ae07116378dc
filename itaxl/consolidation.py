"""Merge many submissions into one consolidated report.

>>> import itaxl
>>> result = itaxl.merge(["inbox/"], province="บุรีรัมย์")     # doctest: +SKIP
>>> result.summary["submitted"], result.frames["offices"].head()  # doctest: +SKIP
>>> result.to_excel("consolidated.xlsx")                        # doctest: +SKIP

Every input is read and validated with the same code as ``itaxl validate``.
Files with errors are rejected (kept with their problems) unless
``include_invalid``; several files for the same office, fiscal year, kind and
round are resolved to one (the one saved last wins; identical files are one
submission), and every file is accounted for in the ``files`` table.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import os
from pathlib import Path
from typing import Callable, Iterable

from . import registry
from .batch import read_found
from .rules import EVERY_RULE, Checklist
from .guard import DEFAULT_LIMITS, Limits
from .inputs import Ignored, walk
from .reader import Submission
from .framework import SHIPPED, Catalogue, Framework
from .problems import SEVERITY_TH
from .schema import ROUNDS, STATUS_LABELS, Field, Kind, Layout, Status, default_layout, spec_for

ACCEPTED, REJECTED, SUPERSEDED, DUPLICATE, OUTSIDE, IGNORED = (
    "accepted", "rejected", "superseded", "duplicate", "outside", "ignored")
STATUS_TH = {ACCEPTED: "รับ", REJECTED: "ไม่รับ (มีข้อผิดพลาด)", SUPERSEDED: "มีฉบับใหม่กว่า", DUPLICATE: "ซ้ำ",
             OUTSIDE: "นอกขอบเขต", IGNORED: "ข้าม"}
FILE_STATUSES = (ACCEPTED, REJECTED, SUPERSEDED, DUPLICATE, OUTSIDE)
NOT_IN_SCOPE = "office not in the roster, province or district"
OTHER_FILE_HAS_ERRORS = "another file of this office has errors"
DECIDED_TH = {  # what decided a file's state, as the workbook shows it (the tables and JSON keep English)
    "errors": "มีข้อผิดพลาด", "identical content": "เนื้อหาเหมือนกัน", "only file": "ไฟล์เดียว",
    "modified": "เวลาบันทึกในไฟล์", "mtime": "เวลาแก้ไขไฟล์", "name": "ชื่อไฟล์",
    NOT_IN_SCOPE: "หน่วยงานไม่อยู่ในรายชื่อ จังหวัด หรืออำเภอที่ตรวจ",
    OTHER_FILE_HAS_ERRORS: "ไฟล์อื่นของหน่วยงานนี้มีข้อผิดพลาด",
}


@dataclasses.dataclass
class Table:
    """Rows of one output table, with keys and Thai headers.

    The rows hold values (True, ``"valid"``, a :class:`~itaxl.schema.Status`); ``labels`` says
    how the workbook shows the values of a column, so that a figure counted from the rows never
    depends on a word.  ``formats`` gives a column's number format in the workbook (``#,##0``
    when not given), from the field type of a schema field."""

    keys: tuple[str, ...]
    headers: tuple[str, ...]
    rows: list[tuple]
    labels: dict[str, dict] = dataclasses.field(default_factory=dict)
    formats: dict[str, str] = dataclasses.field(default_factory=dict)
    widths: dict[str, float] = dataclasses.field(default_factory=dict)
    """The widths of schema fields' columns, as the layout gives them."""

    def frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=list(self.keys))

    @classmethod
    def of(cls, columns: Iterable[tuple[str, str] | tuple[str, str, str] | Field], rows: list[tuple],
           labels: dict[str, dict] | None = None) -> "Table":
        """A table declared as a sequence of columns: schema fields (their type gives the number
        format), (key, Thai header) pairs, or (key, Thai header, number format) triples."""
        keys, headers, formats, widths = [], [], {}, {}
        for c in columns:
            if isinstance(c, Field):
                widths[c.key] = c.width
            key, header, number = ((c.key, c.label_th, c.type.merged_format) if isinstance(c, Field)
                                   else (*c, None) if len(c) == 2 else c)
            keys.append(key)
            headers.append(header)
            if number is not None:
                formats[key] = number
        return cls(tuple(keys), tuple(headers), rows, labels or {}, formats, widths)


@dataclasses.dataclass
class FileEntry:
    """One input file and what became of it."""

    sub: Submission
    status: str = ""
    decided_by: str = ""
    mtime: float = 0.0
    superseded_by: str = ""


# --------------------------------------------------------------------------- resubmissions


def _slot(sub: Submission) -> tuple:
    return (sub.org_code, sub.fiscal_year, sub.kind, sub.round or 0)


def resolve(entries: list[FileEntry], include_invalid: bool = False) -> None:
    """Decide each file's status: accepted, rejected, superseded or duplicate (in place)."""
    slots: dict[tuple, list[FileEntry]] = {}
    for e in entries:
        usable = e.sub.kind is not None and e.sub.org_code and (e.sub.valid or include_invalid)
        if not usable:
            e.status, e.decided_by = REJECTED, "errors"
            continue
        slots.setdefault(_slot(e.sub), []).append(e)
    for group in slots.values():
        by_content: dict[str, FileEntry] = {}
        for e in sorted(group, key=lambda e: e.sub.path):
            first = by_content.setdefault(e.sub.sha256, e)
            if first is not e:
                e.status, e.decided_by, e.superseded_by = DUPLICATE, "identical content", first.sub.path
        distinct = list(by_content.values())
        winner, decided = _newest(distinct)
        for e in distinct:
            if e is winner:
                e.status, e.decided_by = ACCEPTED, decided
            else:
                e.status, e.decided_by, e.superseded_by = SUPERSEDED, decided, winner.sub.path
        for e in group:
            if e.status == DUPLICATE and by_content[e.sub.sha256] is not winner:
                e.superseded_by = winner.sub.path


def settle_offices(entries: list[FileEntry], scope: set[str] | None, include_invalid: bool = False) -> None:
    """Office-level decisions after :func:`resolve` (in place).

    An office counts in the figures as a whole or not at all: when any kind and
    round it sent has no file without errors, its accepted files are rejected too
    (unless ``include_invalid``), so that no figure mixes a checked plan with an
    unchecked report.  Files of offices outside ``scope`` (a roster, province or
    district) are set apart as ``outside``.
    """
    by_office: dict[str, list[FileEntry]] = {}
    for e in entries:
        if e.sub.org_code and e.sub.kind is not None:
            by_office.setdefault(e.sub.org_code, []).append(e)
    for code, mine in by_office.items():
        if scope is not None and code not in scope:  # not this merge's business, errors or not
            for e in mine:
                if e.status in (ACCEPTED, REJECTED):
                    e.status, e.decided_by = OUTSIDE, NOT_IN_SCOPE
            continue
        if include_invalid:
            continue
        if any(slot_state(mine, slot) != VALID for slot in {_slot(e.sub) for e in mine}):
            for e in mine:
                if e.status == ACCEPTED:
                    e.status, e.decided_by = REJECTED, OTHER_FILE_HAS_ERRORS


VALID, INVALID = "valid", "invalid"


def slot_state(entries: list[FileEntry], slot: tuple) -> str:
    """``valid`` when one of an office's files for this kind and round has no errors."""
    return VALID if any(e.sub.valid for e in entries if _slot(e.sub) == slot) else INVALID


def _newest(entries: list[FileEntry]) -> tuple[FileEntry, str]:
    """The file saved last: by core property ``modified``, then file mtime, then name."""
    if len(entries) == 1:
        return entries[0], "only file"
    never = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)

    def modified(e: FileEntry) -> datetime.datetime:
        m = e.sub.modified
        if m is None:
            return never
        return m if m.tzinfo else m.replace(tzinfo=datetime.timezone.utc)

    for label, key in (("modified", modified), ("mtime", lambda e: e.mtime), ("name", lambda e: e.sub.path)):
        ranked = sorted(entries, key=key)
        if key(ranked[-1]) != key(ranked[-2]):
            return ranked[-1], label
    return sorted(entries, key=lambda e: e.sub.path)[-1], "name"


# --------------------------------------------------------------------------- the result


@dataclasses.dataclass
class MergeResult:
    """The consolidated tables; :meth:`to_excel`, :meth:`to_csv` and :attr:`summary`.

    Every figure of :attr:`summary` is counted from the tables (the ``offices``
    table for offices, ``files`` for files), so the workbook, the JSON and the
    terminal cannot disagree.
    """

    tables: dict[str, Table]
    summary: dict
    files: list[FileEntry]
    group_key: str = "district"
    """The office column the completion chart groups by: ``province`` when several provinces merge."""
    ignored: list[Ignored] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)
    """The problem codes no rule reported, as asked (``--skip``): the figures count without them."""

    @property
    def group_label(self) -> str:
        """The Thai name of :attr:`group_key`, as the offices table heads it."""
        offices = self.tables["offices"]
        return offices.headers[offices.keys.index(self.group_key)]

    @property
    def frames(self):
        """Every table as a pandas DataFrame, by name."""
        return {name: t.frame() for name, t in self.tables.items()}

    def to_excel(self, path: str | os.PathLike, *, force: bool = True, inputs: Iterable[str] = (),
                 as_of: datetime.date | None = None) -> Path:
        """Write the consolidated workbook; ``as_of`` is the date its title gives its data (by
        default the day the newest file it counts was saved)."""
        from .consolidated import write_consolidated

        return write_consolidated(self, path, force=force, inputs=tuple(inputs), as_of=as_of)

    def to_csv(self, directory: str | os.PathLike, *, force: bool = True) -> list[Path]:
        from .consolidated import write_csv

        return write_csv(self, directory, force=force)

    def reconciliation(self) -> str:
        """The figures that must add up, on four lines: entries, files, offices, rows."""
        s = self.summary
        with_errors = " (with errors: --include-invalid)" if s["in_figures"] > s["valid"] else ""
        return "\n".join((
            f"found {s['found']} = read {s['read']} + refused {s['refused']} + ignored {s['ignored']}",
            f"files: accepted {s['accepted']}, rejected {s['rejected']}, superseded {s['superseded']}, "
            f"duplicate {s['duplicate']}, outside the scope {s['outside']}",
            f"offices: expected {s['expected']} = submitted {s['submitted']} + missing {s['missing']}; "
            f"valid {s['valid']}; in the figures {s['in_figures']}{with_errors}; "
            f"outside the scope {s['outside_offices']}",
            f"measures in {s['measures_in']} = out {s['measures_out']}; "
            f"progress rows in {s['progress_in']} = out {s['progress_out']}",
        ))

    def rejected(self) -> list[FileEntry]:
        """The files not taken, because of their own errors or another file's, in path order."""
        return [e for e in self.files if e.status == REJECTED]


def _office_cols(code: str, header: dict, keys: tuple[str, ...]) -> dict[str, str]:
    """An office's columns by key: as the register names it, else as its workbook does."""
    office = registry.lookup(code)
    if office is not None:
        known = {"org_code": office.code, "org_name": office.name_th, "org_type": office.type_th,
                 "district": office.district_th, "province": office.province_th}
        return {k: known.get(k, header.get(k) or "") for k in keys}
    return {k: code if k == "org_code" else header.get(k) or "" for k in keys}


def _roster(roster: Iterable[str] | str | os.PathLike | None, province: str | None,
            district: str | None) -> list[str] | None:
    """Expected office codes: a roster file or list, or a province/district of the register."""
    if roster is not None:
        if isinstance(roster, (str, os.PathLike)) and Path(roster).is_file():
            return read_roster(roster)
        return sorted({registry.normalise_code(c) or str(c) for c in roster})  # type: ignore[union-attr]
    if province or district:
        return [o.code for o in registry.select(province, district)]
    return None


def _roster_text(raw: bytes, path: str | os.PathLike) -> str:
    """A roster's text: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode
    text"), or Windows-874, what Thai Excel writes for "CSV (comma delimited)"."""
    from .errors import UsageError

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return raw.decode("cp874")
            except UnicodeDecodeError:
                pass
    raise UsageError(f"{path}: the roster is neither UTF-8 nor Thai Windows (874) text; "
                     "save it from Excel as 'CSV UTF-8'")


def read_roster(path: str | os.PathLike) -> list[str]:
    """Office codes from a roster CSV: a column named org_code / dla_code / รหัส, or the first column."""
    import csv

    from .errors import UsageError

    from .inputs import read_option_file

    try:
        raw = read_option_file(path, limit=64 << 20)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the roster ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise UsageError(f"{path}: cannot be used as a roster: {exc}") from None
    rows = list(csv.reader(io.StringIO(_roster_text(raw, path), newline="")))
    if not rows:
        raise UsageError(f"{path}: the roster is empty")
    header = [h.strip().lower() for h in rows[0]]
    col = next((header.index(n) for n in ("org_code", "dla_code", "รหัส", "รหัส อปท.", "code") if n in header), None)
    body = rows[1:] if col is not None or registry.normalise_code(rows[0][0] if rows[0] else "") is None else rows
    col = col or 0
    codes = []
    for line_no, row in enumerate(body, start=2 if body is not rows else 1):
        if not row or not row[col].strip():
            continue
        code = registry.normalise_code(row[col])
        if code is None:
            raise UsageError(f"{path}, line {line_no}: {row[col]!r} is not an office code")
        codes.append(code)
    return sorted(set(codes))


def merge(
    paths: Iterable[str | os.PathLike], *, roster: Iterable[str] | str | os.PathLike | None = None,
    province: str | None = None, district: str | None = None, include_invalid: bool = False, jobs: int = 1,
    key: bytes | None = None, limits: Limits = DEFAULT_LIMITS, outputs: Iterable[str | os.PathLike] = (),
    progress: Callable[[int], None] | None = None, on_files: Callable[[int], None] | None = None,
    catalogue: Catalogue = SHIPPED, checklist: Checklist = EVERY_RULE,
) -> MergeResult:
    """Read, validate and consolidate every file under ``paths``; see the module docstring.

    ``roster`` (a CSV path or codes) or ``province``/``district`` name the offices
    expected to submit (the scope); without them, the expected offices are those
    that did.  ``outputs`` are the files this merge will write: found in an input
    folder, they are ignored.  ``progress`` is called with 1 after each entry is
    read or refused; ``on_files`` once with the number of such entries.  ``catalogue``
    adds the frameworks given with ``--framework``: each workbook is read with its own, so a
    merge of several assessment years keeps each year's indicators and rating scale.
    ``checklist`` skips the codes given with ``--skip`` (:class:`itaxl.rules.Checklist`).
    """
    expected = _roster(roster, province, district)  # a bad name stops before anything is read
    found = walk(paths, outputs=outputs)
    if on_files:
        on_files(len(found.files) + len(found.refused))
    subs = []
    for sub in read_found(found, jobs=jobs, key=key, limits=limits, keep_manifest=False, catalogue=catalogue,
                          checklist=checklist):
        subs.append(sub)
        if progress:
            progress(1)
    entries = [FileEntry(sub, mtime=_mtime(sub.source)) for sub in subs]
    resolve(entries, include_invalid)
    settle_offices(entries, set(expected) if expected is not None else None, include_invalid)
    return dataclasses.replace(consolidate(entries, expected, found.ignored), skipped=checklist.skipped)


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


# --------------------------------------------------------------------------- consolidation

def merge_layout(entries: Iterable[FileEntry]) -> Layout:
    """The layout the consolidated tables take their columns from: the newest of the files'
    layouts and this release's.  A file of an earlier layout has every column it knows; a
    column it does not know is empty in its rows."""
    layouts = [e.sub.layout for e in entries if e.sub.layout is not None]
    return max((default_layout(), *layouts), key=lambda l: l.order)


def _plan_fields(layout: Layout) -> tuple[Field, ...]:
    """The planned measure's columns, as the layout declares them."""
    return spec_for(Kind.MEASURES, layout=layout).table.plan_columns


def _answer_fields(layout: Layout) -> tuple[Field, ...]:
    """What a progress report adds to each measure, as the layout declares it."""
    return spec_for(Kind.PROGRESS, layout=layout).table.answer_columns


SLOTS = ((Kind.MEASURES.value, 0), *((Kind.PROGRESS.value, r) for r in ROUNDS))
"""The kinds and rounds an office sends in a fiscal year, each a column of the offices table."""
SLOT_KEYS = tuple("measures_file" if k == Kind.MEASURES.value else f"progress_r{r}_file" for k, r in SLOTS)
SLOT_HEADERS = tuple("มาตรการ" if k == Kind.MEASURES.value else f"รายงานรอบ {r} เดือน" for k, r in SLOTS)
STATE_TH = {VALID: "ผ่าน", INVALID: "ไม่ผ่าน"}
USED, USED_WITH_ERRORS = "used", "used with errors"
OFFICE_LABELS: dict[str, dict] = {
    "submitted": {True: "ส่ง", False: "ไม่ส่ง"},
    "valid": STATE_TH,
    "in_figures": {USED: "ใช้", USED_WITH_ERRORS: "ใช้ (มีข้อผิดพลาด)"},
    "below_pass": {True: "ต่ำกว่า", False: ""},
    **{key: STATE_TH for key in SLOT_KEYS},
}
"""How the workbook shows the values of the offices table (the rows, CSV and JSON keep the values)."""
FILE_LABELS: dict[str, dict] = {"status": STATUS_TH, "decided_by": DECIDED_TH,
                                "kind": {Kind.MEASURES.value: "มาตรการ", Kind.PROGRESS.value: "รายงานผล"}}
"""How the workbook shows the files table's states, what decided them and the kinds."""


@dataclasses.dataclass
class _Office:
    """One office's files and what the merge makes of them."""

    code: str
    cols: dict[str, str]
    """The office columns by key (:meth:`itaxl.schema.Layout.office_fields`)."""
    expected: bool
    files: list[FileEntry]

    @property
    def submitted(self) -> bool:
        return bool(self.files)

    @property
    def accepted(self) -> list[Submission]:
        return [e.sub for e in self.files if e.status == ACCEPTED]

    @property
    def valid(self) -> bool:
        return self.submitted and all(slot_state(self.files, _slot(e.sub)) == VALID for e in self.files)


def consolidate(entries: list[FileEntry], expected: list[str] | None,
                ignored: Iterable[Ignored] = ()) -> MergeResult:
    """The consolidated tables and summary of resolved files (see :func:`resolve`, :func:`settle_offices`)."""
    ignored = list(ignored)
    layout = merge_layout(entries)
    office_fields = layout.office_fields()
    office_keys = tuple(f.key for f in office_fields)
    by_code: dict[str, list[FileEntry]] = {}
    for e in entries:
        if e.sub.org_code and e.sub.kind is not None:
            by_code.setdefault(e.sub.org_code, []).append(e)
    scope = set(expected) if expected is not None else set(by_code)
    offices = {code: _Office(code, _office_cols(code, _header(by_code.get(code, [])), office_keys), code in scope,
                             by_code.get(code, []))
               for code in sorted(scope | set(by_code))}
    in_scope = [o for o in offices.values() if o.expected]
    outside = [o for o in offices.values() if not o.expected]

    plan_fields, answer_fields = _plan_fields(layout), _answer_fields(layout)
    measures_rows, progress_rows, indicator_rows = [], [], []
    figures: dict[str, dict] = {}
    counted = {"measures_in": 0, "progress_in": 0}
    for o in in_scope:
        if o.accepted:
            figures[o.code] = _office_figures(o, plan_fields, answer_fields, measures_rows, progress_rows,
                                              indicator_rows, counted)
    office = {f.key: f for f in office_fields}
    plan = {f.key: f for f in plan_fields}
    fiscal_year, round_ = ("fiscal_year", "ปีงบประมาณ", "0"), ("round", "รอบ", "0")

    def office_rows(rows: Iterable[tuple[_Office, tuple]]) -> list[tuple]:
        return [(*(o.cols[k] for k in office_keys), *rest) for o, rest in rows]

    tables = {
        "offices": _offices_table(office_fields, [_office_row(o, figures.get(o.code)) for o in in_scope]),
        "measures": Table.of(
            (*(f for f in office_fields if f.key != "org_type"), fiscal_year, *plan_fields), measures_rows),
        "progress": Table.of(
            (office["org_code"], office["org_name"], fiscal_year, round_, plan["number"], plan["measure"],
             *answer_fields),
            progress_rows),
        "indicators": _indicators_table(office_fields, indicator_rows),
        "missing": Table.of((*office_fields, ("reason", "เหตุผล")),
                            office_rows((o, ("ไม่พบไฟล์",)) for o in in_scope if not o.submitted)),
        "outside": Table.of((*office_fields, ("files", "ไฟล์ที่ได้รับ")),
                            office_rows((o, ("\n".join(e.sub.path for e in o.files),)) for o in outside)),
        "problems": Table(
            ("file", "org_code", "file_status", "severity", "sheet", "cell", "code", "message_th", "message_en"),
            ("ไฟล์", "รหัส อปท.", "สถานะไฟล์", "ระดับ", "แผ่นงาน", "เซลล์", "รหัสปัญหา", "ข้อความ", "Message"),
            [(e.sub.path, e.sub.org_code or "", STATUS_TH[e.status], p.severity.value, p.sheet or "", p.cell or "",
              p.code, p.message_th, p.message_en)
             for e in sorted(entries, key=lambda e: e.sub.path) for p in e.sub.problems],
            {"severity": SEVERITY_TH}),
        "files": Table.of(
            (("path", "ไฟล์"), ("sha256", "SHA-256"), ("size", "ขนาด (ไบต์)"), ("org_code", "รหัส อปท."),
             ("kind", "ชนิด"), round_, fiscal_year, ("status", "สถานะ"), ("decided_by", "ตัดสินโดย"),
             ("superseded_by", "แทนที่ด้วย"), ("modified", "บันทึกล่าสุด"), ("errors", "ข้อผิดพลาด"),
             ("warnings", "คำเตือน")),
            sorted([(e.sub.path, e.sub.sha256, e.sub.size, e.sub.org_code or "", e.sub.kind or "", e.sub.round,
                     e.sub.fiscal_year, e.status, e.decided_by, e.superseded_by,
                     e.sub.modified.isoformat() if e.sub.modified else "",
                     sum(p.is_error for p in e.sub.problems), sum(p.is_warning for p in e.sub.problems))
                    for e in entries]
                   + [(i.to_dict()["path"], "", None, "", "", None, None, IGNORED, i.reason, "", "", 0, 0)
                      for i in ignored], key=lambda r: r[0]),
            FILE_LABELS),
    }
    scales = {f.year: f.rating.names for f in (e.sub.framework for e in entries) if f is not None}
    summary = _summary(tables, len(ignored), counted, scales)
    provinces = {o.cols.get("province") for o in in_scope}
    return MergeResult(tables, summary, entries, "province" if len(provinces) > 1 else "district", ignored)


def _header(entries: list[FileEntry]) -> dict:
    return entries[0].sub.header if entries else {}


def _office_figures(o: _Office, plan_fields: tuple[Field, ...], answer_fields: tuple[Field, ...],
                    measures_rows: list, progress_rows: list, indicator_rows: list, counted: dict) -> dict:
    """Add an office's accepted submissions to the long tables; its figures for the offices table."""
    subs = o.accepted
    measure_subs = sorted((s for s in subs if s.kind == Kind.MEASURES.value), key=lambda s: s.fiscal_year or 0)
    progress_subs = sorted((s for s in subs if s.kind == Kind.PROGRESS.value),
                           key=lambda s: (s.fiscal_year or 0, s.round or 0))
    counted["progress_in"] += sum(len(s.measures) for s in progress_subs)
    # The plan of each fiscal year, once: from the measures workbook, or else from the
    # latest progress workbook of that year (which carries the same plan, locked).
    plans: dict[int | None, Submission] = {s.fiscal_year: s for s in progress_subs}
    plans.update({s.fiscal_year: s for s in measure_subs})
    cols = o.cols
    where = tuple(v for k, v in cols.items() if k != "org_type")
    plan_keys = [f.key for f in plan_fields]
    answer_keys = [f.key for f in answer_fields]
    for fy in sorted(plans, key=lambda y: y or 0):
        counted["measures_in"] += len(plans[fy].measures)
        for m in plans[fy].measures:
            measures_rows.append((*where, fy, *(m.values.get(k) for k in plan_keys)))  # None: not in its layout
    for s in progress_subs:
        for m in s.measures:
            progress_rows.append((cols["org_code"], cols["org_name"], s.fiscal_year, s.round, m.number, m.measure,
                                  *(m.values.get(k) for k in answer_keys)))
    latest_fy = max(plans, key=lambda y: y or 0)
    latest_plan = plans[latest_fy]
    framework = latest_plan.framework  # the plan's assessment: its indicators, pass mark and scale
    assert framework is not None
    counts = {i.number: 0 for i in framework.indicators}
    for m in latest_plan.measures:
        if m.indicator in counts:
            counts[m.indicator] += 1
    scores = measure_subs[-1].header if measure_subs else {}
    pass_mark = framework.rating.pass_mark
    weak = [n for n in counts
            if scores.get(f"score_{n}") is not None and scores[f"score_{n}"] < pass_mark and counts[n] == 0]
    indicator_rows.append((tuple(o.cols.values()), latest_fy, framework, counts, ", ".join(map(str, weak))))
    latest_progress = progress_subs[-1] if progress_subs else None
    statuses = [m.status for m in latest_progress.measures] if latest_progress else []
    done = statuses.count(Status.DONE)
    score = scores.get("total_score")
    return dict(
        ita_year=framework.year, ita_score=score, ita_grade=scores.get("grade"),
        below_pass=None if score is None else score < pass_mark,
        measures=len(latest_plan.measures), done=done, in_progress=statuses.count(Status.IN_PROGRESS),
        not_started=statuses.count(Status.NOT_STARTED),
        percent_done=round(100 * done / len(statuses), 1) if statuses else None,
    )


def _indicators_table(office_fields: tuple[Field, ...],
                      rows: list[tuple[tuple, int | None, Framework, dict[int, int], str]]) -> Table:
    """Measures per indicator and office: one column per indicator of the frameworks the plans
    answer (named as the newest of them names it); an indicator another year's framework does
    not have is left empty in that office's row."""
    names: dict[int, str] = {}
    for _cols, _fy, framework, _counts, _weak in sorted(rows, key=lambda r: r[2].year):
        names.update({i.number: i.label for i in framework.indicators})
    numbers = sorted(names)
    return Table.of(
        (*office_fields, ("fiscal_year", "ปีงบประมาณ", "0"), ("ita_year", "ปี ITA", "0"),
         *((f"indicator_{n}", names[n]) for n in numbers),
         ("weak_without_measure", "ตัวชี้วัดคะแนนต่ำที่ไม่มีมาตรการ")),
        [(*cols, fy, framework.year, *(counts.get(n) for n in numbers), weak)
         for cols, fy, framework, counts, weak in rows])


_OFFICE_LEAD = (  # key, Thai header: after the office columns, before each kind's state
    ("submitted", "ส่งแล้ว"), ("valid", "ผลตรวจ"), ("in_figures", "ใช้ในสรุป"), ("fiscal_year", "ปีงบประมาณ", "0"),
)
_OFFICE_FIGURES = (  # after each kind's state
    ("files", "ไฟล์"), ("errors", "ข้อผิดพลาด"), ("warnings", "คำเตือน"), ("ita_year", "ปี ITA", "0"),
    ("ita_score", "คะแนน ITA", "0.00"), ("ita_grade", "ผลการประเมิน"), ("below_pass", "ต่ำกว่าเกณฑ์ผ่าน"),
    ("measures", "จำนวนมาตรการ"), ("done", "แล้วเสร็จ"), ("in_progress", "อยู่ระหว่าง"),
    ("not_started", "ยังไม่ดำเนินการ"), ("percent_done", "ร้อยละแล้วเสร็จ", "0.0"),
)


def _offices_table(office_fields: tuple[Field, ...], rows: list[dict]) -> Table:
    columns = (*office_fields, *_OFFICE_LEAD, *zip(SLOT_KEYS, SLOT_HEADERS), *_OFFICE_FIGURES)
    table = Table.of(columns, [], OFFICE_LABELS)
    table.rows = [tuple(r.get(k) for k in table.keys) for r in rows]
    return table


def _office_row(o: _Office, figures: dict | None) -> dict:
    """One row of the offices table: what the office sent, each kind with its own state, and its figures."""
    years = [e.sub.fiscal_year for e in o.files if e.sub.fiscal_year]
    latest = max(years) if years else None
    row: dict = dict(o.cols)
    row.update(
        submitted=o.submitted,
        valid=(VALID if o.valid else INVALID) if o.submitted else None,
        in_figures=(USED if o.valid else USED_WITH_ERRORS) if figures else None,
        fiscal_year=latest,
        files="\n".join(e.sub.path for e in o.files),
        errors=sum(p.is_error for e in o.files for p in e.sub.problems),
        warnings=sum(p.is_warning for e in o.files for p in e.sub.problems),
    )
    for key, (kind, round_) in zip(SLOT_KEYS, SLOTS):
        slot = (o.code, latest, kind, round_)
        sent = any(_slot(e.sub) == slot for e in o.files)
        row[key] = slot_state(o.files, slot) if sent else None
    row.update(figures or {})
    return row


NO_STATUS = "ไม่ระบุสถานะ"
"""The status count of reported measures without a status (merged with --include-invalid)."""


def _status_counts(statuses: list) -> dict[str, int]:
    counts = {STATUS_LABELS[s]: statuses.count(s) for s in Status}
    missing = len(statuses) - sum(counts.values())
    return {**counts, NO_STATUS: missing} if missing else counts


def _summary(tables: dict[str, Table], ignored: int, counted: dict, scales: dict[int, tuple[str, ...]]) -> dict:
    """Every figure, counted from the tables: the single place a figure is computed.

    ``scales`` gives each assessment year's ratings, best first: the rating counts of a merge
    of several years keep each year's scale (``rating_counts`` is keyed by the assessment
    years that share one)."""
    def column(table: str, key: str) -> list:
        t = tables[table]
        i = t.keys.index(key)
        return [r[i] for r in t.rows]

    statuses = [s for s in column("files", "status") if s != IGNORED]
    kinds = column("files", "kind")
    read = sum(1 for s, k in zip(column("files", "status"), kinds) if s != IGNORED and k)
    submitted = column("offices", "submitted")
    progress_status = column("progress", "status")
    used = [(y, g) for y, g, u in zip(column("offices", "ita_year"), column("offices", "ita_grade"),
                                      column("offices", "in_figures")) if u and g]
    # Years that share a scale are counted together; a year with another scale apart.
    groups: dict[tuple[str, ...], list[int]] = {}
    for year in sorted({y for y, _ in used}):
        groups.setdefault(scales.get(year, ()), []).append(year)
    ratings: dict[str, dict[str, int]] = {}
    for scale, years in groups.items():
        given = [g for y, g in used if y in years]
        ratings[", ".join(map(str, years))] = {g: given.count(g) for g in (*scale, *sorted(set(given) - set(scale)))}
    return {
        "found": len(statuses) + ignored, "read": read, "refused": len(statuses) - read, "ignored": ignored,
        **{s: statuses.count(s) for s in FILE_STATUSES},
        "expected": len(submitted), "submitted": submitted.count(True), "missing": submitted.count(False),
        "valid": column("offices", "valid").count(VALID),
        "invalid": column("offices", "valid").count(INVALID),
        "in_figures": sum(1 for v in column("offices", "in_figures") if v),
        "outside_offices": len(tables["outside"].rows),
        "measures_in": counted["measures_in"], "measures_out": len(tables["measures"].rows),
        "progress_in": counted["progress_in"], "progress_out": len(tables["progress"].rows),
        "status_counts": _status_counts(progress_status),
        "rating_counts": ratings,
        "below_pass": column("offices", "below_pass").count(True),
        "problems": len(tables["problems"].rows),
        **{_SEVERITY_COUNTS[v]: column("problems", "severity").count(v) for v in _SEVERITY_COUNTS},
    }


_SEVERITY_COUNTS = {"error": "errors", "warning": "warnings", "info": "notes"}
"""The problems counted by severity: ``errors`` + ``warnings`` + ``notes`` = ``problems``."""
