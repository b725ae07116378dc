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
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import registry
from .guard import DEFAULT_LIMITS, Limits
from .problems import Problem
from .reader import Submission
from .schema import (
    INDICATORS, MEASURE_COLUMNS, PROGRESS_INPUT_COLUMNS, STATUS_LABELS, Kind, Status, year_facts,
)
from .validate import iter_xlsx, read

ACCEPTED, REJECTED, SUPERSEDED, DUPLICATE = "accepted", "rejected", "superseded", "duplicate"
STATUS_TH = {ACCEPTED: "รับ", REJECTED: "ไม่รับ (มีข้อผิดพลาด)", SUPERSEDED: "มีฉบับใหม่กว่า", DUPLICATE: "ซ้ำ"}


@dataclasses.dataclass
class Table:
    """Rows of one output table, with keys and Thai headers."""

    keys: tuple[str, ...]
    headers: tuple[str, ...]
    rows: list[tuple]

    def frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=list(self.keys))


@dataclasses.dataclass
class FileEntry:
    """One input file and what became of it."""

    sub: Submission
    status: str = ""
    decided_by: str = ""
    mtime: float = 0.0
    superseded_by: str = ""


# --------------------------------------------------------------------------- reading


def _read_one(args: tuple[str, bytes | None, Limits]) -> Submission:
    path, key, limits = args
    sub = read(path, key=key, limits=limits)
    if sub.meta is not None:
        sub.meta.manifest = []  # not needed past validation; keeps results small to send back
    return sub


def _read_task(task: tuple[str, bytes | None, Limits]) -> Submission:
    """What the pool runs: looks ``_read_one`` up when called, so a forked worker uses the
    reader its parent had (tests replace it to simulate a crashing parser)."""
    return _read_one(task)


def _crashed(path: str) -> Submission:
    from . import problems

    sub = Submission(path=path)
    sub.problems = [problems.make("file-unreadable", path, None, None,
                                  detail="the reader process crashed on this file")]
    return sub


def read_all(paths: Sequence[str], *, jobs: int = 1, key: bytes | None = None, limits: Limits = DEFAULT_LIMITS,
             progress: Callable[[int], None] | None = None) -> list[Submission]:
    """Read and validate every file, in ``jobs`` processes; results in the order of ``paths``.

    A worker that dies (a crash in a parsing library) costs only the file it was
    reading: the rest are read again in fresh processes, and the file that kills a
    process on its own is reported as unreadable.
    """
    tasks = [(p, key, limits) for p in paths]
    if jobs <= 1 or len(tasks) < 2:
        results = []
        for task in tasks:
            results.append(_read_one(task))
            if progress:
                progress(1)
        return results
    results: dict[int, Submission] = {}
    pending = list(range(len(tasks)))
    chunk = max(1, min(64, len(tasks) // (jobs * 8)))
    try:
        with ProcessPoolExecutor(jobs) as pool:
            for i, sub in enumerate(pool.map(_read_task, tasks, chunksize=chunk)):
                results[i] = sub
                if progress:
                    progress(1)
    except BrokenProcessPool:
        pending = [i for i in range(len(tasks)) if i not in results]
        for i in pending:  # one process per file: a crash is pinned to its file
            try:
                with ProcessPoolExecutor(1) as pool:
                    results[i] = pool.submit(_read_task, tasks[i]).result()
            except BrokenProcessPool:
                results[i] = _crashed(tasks[i][0])
            if progress:
                progress(1)
    return [results[i] for i in range(len(tasks))]


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
    """The consolidated tables; :meth:`to_excel`, :meth:`to_csv` and :attr:`summary`."""

    tables: dict[str, Table]
    summary: dict
    files: list[FileEntry]
    group_label: str = "อำเภอ"

    @property
    def frames(self):
        """Every table as a pandas DataFrame, by name."""
        return {name: t.frame() for name, t in self.tables.items()}

    def to_excel(self, path: str | os.PathLike, *, force: bool = True, inputs: Iterable[str] = ()) -> Path:
        from .consolidated import write_consolidated

        return write_consolidated(self, path, force=force, inputs=tuple(inputs))

    def to_csv(self, directory: str | os.PathLike) -> list[Path]:
        from .consolidated import write_csv

        return write_csv(self, directory)

    def reconciliation(self) -> str:
        s = self.summary
        return (f"files read {s['files']} / accepted {s['accepted']} / rejected {s['rejected']} / "
                f"superseded {s['superseded']} / duplicate {s['duplicate']}; "
                f"measures in {s['measures_in']} = measures out {s['measures_out']}; "
                f"progress rows in {s['progress_in']} = out {s['progress_out']}")


OFFICE_KEYS = ("org_code", "org_name", "org_type", "district", "province")
OFFICE_HEADERS = ("รหัส อปท.", "ชื่อหน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด")


def _office_cols(code: str, header: dict) -> tuple:
    office = registry.lookup(code)
    if office is not None:
        return (office.code, office.name_th, office.type_th, office.district_th, office.province_th)
    return (code, header.get("org_name") or "", header.get("org_type") or "", header.get("district") or "",
            header.get("province") or "")


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


def read_roster(path: str | os.PathLike) -> list[str]:
    """Office codes from a roster CSV: a column named org_code / dla_code / รหัส, or the first column."""
    import csv

    from .errors import UsageError

    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the roster ({exc})") from None
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
    key: bytes | None = None, limits: Limits = DEFAULT_LIMITS, progress: Callable[[int], None] | None = None,
    on_files: Callable[[int], None] | None = None,
) -> MergeResult:
    """Read, validate and consolidate every *.xlsx in ``paths``; see the module docstring.

    ``roster`` (a CSV path or codes) or ``province``/``district`` name the offices
    expected to submit; without them, the expected offices are those that did.
    ``progress`` is called with 1 after each file is read; ``on_files`` once with the count.
    """
    files = list(iter_xlsx(paths))
    if on_files:
        on_files(len(files))
    subs = read_all(files, jobs=jobs, key=key, limits=limits, progress=progress)
    entries = [FileEntry(sub, mtime=_mtime(sub.path)) for sub in subs]
    resolve(entries, include_invalid)
    expected = _roster(roster, province, district)
    return _consolidate(entries, expected)


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


# --------------------------------------------------------------------------- consolidation

_PLAN_KEYS = tuple(f.key for f in MEASURE_COLUMNS)
_ANSWER_KEYS = tuple(f.key for f in PROGRESS_INPUT_COLUMNS)


def _consolidate(entries: list[FileEntry], expected: list[str] | None) -> MergeResult:
    accepted = [e for e in entries if e.status == ACCEPTED]
    by_office: dict[str, dict[tuple, Submission]] = {}
    for e in accepted:
        by_office.setdefault(e.sub.org_code, {})[(e.sub.kind, e.sub.round or 0, e.sub.fiscal_year)] = e.sub

    measures_rows, progress_rows, indicator_rows, office_rows = [], [], [], []
    plan_measures = progress_in = 0
    for code in sorted(by_office):
        subs = by_office[code]
        measure_subs = sorted((s for (k, _, _), s in subs.items() if k == Kind.MEASURES.value),
                              key=lambda s: s.fiscal_year or 0)
        progress_subs = sorted((s for (k, _, _), s in subs.items() if k == Kind.PROGRESS.value),
                               key=lambda s: (s.fiscal_year or 0, s.round or 0))
        progress_in += sum(len(s.measures) for s in progress_subs)
        # The plan of each fiscal year, once: from the measures workbook, or else from the
        # latest progress workbook of that year (which carries the same plan, locked).
        plans: dict[int | None, Submission] = {s.fiscal_year: s for s in progress_subs}
        plans.update({s.fiscal_year: s for s in measure_subs})
        header = {**(progress_subs[-1].header if progress_subs else {}),
                  **(measure_subs[-1].header if measure_subs else {})}
        office = _office_cols(code, header)
        where = (office[0], office[1], office[3], office[4])  # code, name, district, province
        for fy in sorted(plans, key=lambda y: y or 0):
            plan = plans[fy]
            plan_measures += len(plan.measures)
            for m in plan.measures:
                measures_rows.append((*where, fy, *(getattr(m, k) for k in _PLAN_KEYS)))
        for s in progress_subs:
            for m in s.measures:
                progress_rows.append((office[0], office[1], s.fiscal_year, s.round, m.number, m.measure,
                                      STATUS_LABELS[m.status] if m.status else None,
                                      *(getattr(m, k) for k in _ANSWER_KEYS[1:])))
        latest_plan = plans[max(plans, key=lambda y: y or 0)]
        counts = [0] * len(INDICATORS)
        for m in latest_plan.measures:
            if m.indicator:
                counts[m.indicator - 1] += 1
        scores = measure_subs[-1].header if measure_subs else {}
        weak_uncovered = [i.number for i in INDICATORS
                          if scores.get(f"score_{i.number}") is not None
                          and scores[f"score_{i.number}"] < year_facts((latest_plan.fiscal_year or 1) - 1).pass_mark
                          and counts[i.number - 1] == 0]
        indicator_rows.append((*office, latest_plan.fiscal_year, *counts,
                               ", ".join(map(str, weak_uncovered))))
        latest_progress = progress_subs[-1] if progress_subs else None
        statuses = [m.status for m in latest_progress.measures] if latest_progress else []
        done = statuses.count(Status.DONE)
        office_rows.append(dict(
            office=office, score=scores.get("total_score"), grade=scores.get("grade"), n=len(latest_plan.measures),
            done=done, in_progress=statuses.count(Status.IN_PROGRESS),
            not_started=statuses.count(Status.NOT_STARTED),
            pct=round(100 * done / len(statuses), 1) if statuses else None,
        ))

    files_by_office: dict[str, list[FileEntry]] = {}
    for e in entries:
        if e.sub.org_code:
            files_by_office.setdefault(e.sub.org_code, []).append(e)
    expected_codes = expected if expected is not None else sorted({e.sub.org_code for e in entries if e.sub.org_code})
    submitted = {r["office"][0]: r for r in office_rows}
    expected_set = set(expected_codes)
    offices_table_rows = []
    for code in sorted(expected_set | set(submitted)):
        r = submitted.get(code)
        mine = files_by_office.get(code, [])
        office = r["office"] if r else _office_cols(code, mine[0].sub.header if mine else {})
        accepted_files = [Path(e.sub.path).name for e in mine if e.status == ACCEPTED]
        errors = sum(p.is_error for e in mine if e.status == ACCEPTED for p in e.sub.problems)
        warnings = sum(not p.is_error for e in mine if e.status == ACCEPTED for p in e.sub.problems)
        offices_table_rows.append((
            *office, "ส่ง" if r else "ไม่ส่ง", "\n".join(accepted_files), ("ผ่าน" if errors == 0 else "ไม่ผ่าน") if r else "",
            errors, warnings, r["score"] if r else None, r["grade"] if r else None, r["n"] if r else None,
            r["done"] if r else None, r["in_progress"] if r else None, r["not_started"] if r else None,
            r["pct"] if r else None, code in expected_set,
        ))
    missing_rows = []
    for code in (expected or []):
        if code in submitted:
            continue
        mine = files_by_office.get(code, [])
        reason = "ส่งแล้วแต่ไม่ผ่านการตรวจสอบ" if mine else "ไม่พบไฟล์"
        missing_rows.append((*_office_cols(code, {}), reason, "\n".join(Path(e.sub.path).name for e in mine)))

    problem_rows = [
        (e.sub.path, e.sub.org_code or "", STATUS_TH[e.status], p.severity.value, p.sheet or "", p.cell or "",
         p.code, p.message_th, p.message_en)
        for e in sorted(entries, key=lambda e: e.sub.path) for p in e.sub.problems
    ]
    file_rows = [
        (e.sub.path, e.sub.sha256, e.sub.size, e.sub.org_code or "", e.sub.kind or "", e.sub.round,
         e.sub.fiscal_year, e.status, e.decided_by, e.superseded_by,
         e.sub.modified.isoformat() if e.sub.modified else "",
         sum(p.is_error for p in e.sub.problems), sum(not p.is_error for p in e.sub.problems))
        for e in sorted(entries, key=lambda e: e.sub.path)
    ]

    plan_fields = MEASURE_COLUMNS
    tables = {
        "offices": Table(
            (*OFFICE_KEYS, "submitted", "files", "valid", "errors", "warnings", "ita_score", "ita_grade",
             "measures", "done", "in_progress", "not_started", "percent_done", "expected"),
            (*OFFICE_HEADERS, "ส่งแล้ว", "ไฟล์", "ผลตรวจ", "ข้อผิดพลาด", "คำเตือน", "คะแนน ITA", "ระดับ",
             "จำนวนมาตรการ", "แล้วเสร็จ", "อยู่ระหว่าง", "ยังไม่ดำเนินการ", "ร้อยละแล้วเสร็จ", "อยู่ในรายชื่อ"),
            offices_table_rows),
        # Long tables carry just enough of the office to filter and join on (the rest is in
        # "offices"), and progress rows carry the measure's number and title, not the plan again.
        "measures": Table(
            ("org_code", "org_name", "district", "province", "fiscal_year", *_PLAN_KEYS),
            ("รหัส อปท.", "ชื่อหน่วยงาน", "อำเภอ", "จังหวัด", "ปีงบประมาณ", *(f.label_th for f in plan_fields)),
            measures_rows),
        "progress": Table(
            ("org_code", "org_name", "fiscal_year", "round", "number", "measure", *_ANSWER_KEYS),
            ("รหัส อปท.", "ชื่อหน่วยงาน", "ปีงบประมาณ", "รอบ", "ลำดับ", "มาตรการ/แนวทาง",
             *(f.label_th for f in PROGRESS_INPUT_COLUMNS)),
            progress_rows),
        "indicators": Table(
            (*OFFICE_KEYS, "fiscal_year", *(f"indicator_{i.number}" for i in INDICATORS), "weak_without_measure"),
            (*OFFICE_HEADERS, "ปีงบประมาณ", *(f"{i.number} {i.name_th}" for i in INDICATORS),
             "ตัวชี้วัดคะแนนต่ำที่ไม่มีมาตรการ"),
            indicator_rows),
        "missing": Table((*OFFICE_KEYS, "reason", "files"), (*OFFICE_HEADERS, "เหตุผล", "ไฟล์ที่ได้รับ"), missing_rows),
        "problems": Table(
            ("file", "org_code", "file_status", "severity", "sheet", "cell", "code", "message_th", "message_en"),
            ("ไฟล์", "รหัส อปท.", "สถานะไฟล์", "ระดับ", "แผ่นงาน", "เซลล์", "รหัสปัญหา", "ข้อความ", "Message"),
            problem_rows),
        "files": Table(
            ("path", "sha256", "size", "org_code", "kind", "round", "fiscal_year", "status", "decided_by",
             "superseded_by", "modified", "errors", "warnings"),
            ("ไฟล์", "SHA-256", "ขนาด (ไบต์)", "รหัส อปท.", "ชนิด", "รอบ", "ปีงบประมาณ", "สถานะ", "ตัดสินโดย",
             "แทนที่ด้วย", "บันทึกล่าสุด", "ข้อผิดพลาด", "คำเตือน"),
            file_rows),
    }
    counts = {s: sum(e.status == s for e in entries) for s in (ACCEPTED, REJECTED, SUPERSEDED, DUPLICATE)}
    statuses = [r[tables["progress"].keys.index("status")] for r in progress_rows]
    grades = [r["grade"] for r in office_rows if r["grade"]]
    summary = {
        "files": len(entries), **counts,
        "expected": len(expected_codes), "submitted": len(submitted),
        "valid": sum(1 for r in offices_table_rows if r[len(OFFICE_KEYS)] == "ส่ง"),
        "missing": len(missing_rows),
        "measures_in": plan_measures, "measures_out": len(measures_rows),
        "progress_in": progress_in, "progress_out": len(progress_rows),
        "status_counts": {STATUS_LABELS[s]: statuses.count(STATUS_LABELS[s]) for s in Status},
        "grade_counts": {g: grades.count(g) for g in year_facts(0).grade_names},
        "below_pass": sum(1 for r in office_rows if r["score"] is not None and r["score"] < 85),
        "problems": len(problem_rows),
    }
    provinces = {code[1:3] for code in expected_codes}
    return MergeResult(tables, summary, entries, "จังหวัด" if len(provinces) > 1 else "อำเภอ")
