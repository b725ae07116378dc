"""What the ledger says about offices: who sent what (status), the merge, and years side by side.

Status is counted in offices, as DHIS2 counts reporting units: an office that sent any
document of the scope has *received*; it is *valid* when every counted document of the scope
has no error; *missing* when it sent nothing; *late* when a document of the scope was first
sent after the due date.  ``reporting_rate`` is received / expected and ``on_time_rate``
received on time / expected, in per cent.  Files that name no office (unreadable, or a
workbook whose office cannot be told) are counted and listed apart, in no office figure.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
from typing import Iterable

from .. import registry
from ..consolidation import (OFFICE_LABELS, FileEntry, MergeResult, Table, _roster, consolidate, resolve,
                             settle_offices)
from ..reader import Submission
from .core import Ledger
from .documents import CHECKED, REJECTED, Version, current_versions

_RATE_DIGITS = 1


def expected_offices(roster: Iterable[str] | str | os.PathLike | None = None, province: str | None = None,
                     district: str | None = None) -> list[str]:
    """The offices a scope expects: a roster's (or the register's), within a province or district."""
    if roster is None:
        codes = [o.code for o in registry.select(province, district)] if province or district \
            else sorted(registry.offices())
        return codes
    codes = _roster(roster, None, None)  # read as merge reads it
    if province or district:
        within = {o.code for o in registry.select(province, district)}
        codes = [c for c in codes if c in within]
    return codes


def _place(code: str) -> tuple[str, str]:
    office = registry.lookup(code)
    return (office.province_th, office.district_th) if office else ("-", "-")


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, _RATE_DIGITS) if whole else None


@dataclasses.dataclass
class Status:
    """The answer of ``itaxl ledger status``: figures, the lists behind them, and by place."""

    scope: dict
    expected: list[str]
    received: list[str]
    valid: list[str]
    late: list[str]
    unplaced: list[Version]
    """Files of the fiscal year (or of no year) that name no office."""

    @property
    def invalid(self) -> list[str]:
        valid = set(self.valid)
        return [c for c in self.received if c not in valid]

    @property
    def missing(self) -> list[str]:
        received = set(self.received)
        return [c for c in self.expected if c not in received]

    def figures(self, codes: Iterable[str] | None = None) -> dict:
        """The counts and rates, of every expected office or of ``codes`` among them."""
        within = set(self.expected if codes is None else codes)
        count = lambda codes: sum(c in within for c in codes)  # noqa: E731
        expected, received = len(within), count(self.received)
        late = count(self.late)
        return {"expected": expected, "received": received, "valid": count(self.valid),
                "invalid": count(self.invalid), "missing": expected - received, "late": late,
                "reporting_rate": _rate(received, expected),
                "on_time_rate": _rate(received - late, expected) if self.scope.get("due") else None}

    def by_place(self) -> dict[str, list[dict]]:
        """The figures of each province, and of each district (with its province)."""
        provinces: dict[str, list[str]] = {}
        districts: dict[tuple[str, str], list[str]] = {}
        for code in self.expected:
            province, district = _place(code)
            provinces.setdefault(province, []).append(code)
            districts.setdefault((province, district), []).append(code)
        return {"provinces": [{"province": p, **self.figures(codes)} for p, codes in sorted(provinces.items())],
                "districts": [{"province": p, "district": d, **self.figures(codes)}
                              for (p, d), codes in sorted(districts.items())]}

    def to_dict(self) -> dict:
        return {"scope": self.scope, **self.figures(), **self.by_place(),
                "lists": {"missing": self.missing, "late": self.late, "invalid": self.invalid},
                "unplaced": [{"id": v.id, "name": v.name, "folder": v.folder, "state": v.state,
                              "received_at": v.received_at} for v in self.unplaced]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def status(ledger: Ledger, *, fiscal_year: int, kind: str | None = None, round: int | None = None,
           province: str | None = None, district: str | None = None,
           roster: Iterable[str] | str | os.PathLike | None = None,
           due: datetime.date | None = None, include_invalid: bool = False) -> Status:
    """Who sent what of ``fiscal_year`` (of one ``kind`` and ``round`` when given)."""
    expected = expected_offices(roster, province, district)
    versions = ledger.versions()
    current = current_versions(v for v in versions if v.fiscal_year == fiscal_year)

    def in_scope(doc: tuple) -> bool:
        _, k, year, r = doc
        return year == fiscal_year and (kind is None or k == kind) and (round is None or r == round)

    docs = {doc: v for doc, v in current.items() if in_scope(doc)}
    received = sorted({doc[0] for doc in docs})
    invalid = {doc[0] for doc, v in docs.items() if not v.valid}
    valid = [c for c in received if c not in invalid]
    late = []
    if due is not None:
        deadline = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(),
                                             tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
        first_sent: dict[tuple, str] = {}
        for v in versions:
            if v.document in docs and v.state == CHECKED and v.decision != REJECTED:
                first_sent[v.document] = min(first_sent.get(v.document, v.sent_at), v.sent_at)
        late_codes = {doc[0] for doc, sent in first_sent.items()
                      if datetime.datetime.fromisoformat(sent) >= deadline}
        late = [c for c in received if c in late_codes]
    unplaced = [v for v in versions if v.document is None and v.fiscal_year in (fiscal_year, None)]
    scope = {"fiscal_year": fiscal_year, "kind": kind, "round": round, "province": province,
             "district": district, "roster": os.fspath(roster) if isinstance(roster, (str, os.PathLike)) else None,
             "due": due.isoformat() if due else None}
    in_expected = set(expected)
    return Status(scope, expected, [c for c in received if c in in_expected], [c for c in valid if c in in_expected],
                  [c for c in late if c in in_expected], unplaced)


# --------------------------------------------------------------------------- merge


def merge(ledger: Ledger, *, roster: Iterable[str] | str | os.PathLike | None = None, province: str | None = None,
          district: str | None = None, include_invalid: bool = False, fiscal_year: int | None = None,
          trends: bool = True) -> MergeResult:
    """The consolidated result of the counted versions, from their stored results.

    The same resolution, office decisions and tables as :func:`itaxl.consolidation.merge` over
    those files; with several fiscal years in the ledger (and ``trends``), two more tables say
    how each office and province moved from year to year."""
    expected = _roster(roster, province, district)
    counted = _counted(ledger, fiscal_year)
    result = _consolidated(counted, expected, include_invalid)
    if trends and fiscal_year is None and len({v.fiscal_year for v, _ in counted}) > 1:
        result.tables.update(_trends(counted, expected, include_invalid).tables())
    return result


def _counted(ledger: Ledger, fiscal_year: int | None = None) -> list[tuple[Version, Submission]]:
    """The counted versions (of ``fiscal_year``), each with its stored result decoded once."""
    versions = list(ledger.current(fiscal_year=fiscal_year).values())
    return list(zip(versions, ledger.submissions_of(versions)))


def _consolidated(counted: list[tuple[Version, Submission]], expected: list[str] | None,
                  include_invalid: bool) -> MergeResult:
    """What :func:`itaxl.consolidation.merge` makes of these files, as the ledger dates them."""
    entries = [FileEntry(sub, mtime=_epoch(v.sent_at)) for v, sub in counted]
    resolve(entries, include_invalid)
    settle_offices(entries, set(expected) if expected is not None else None, include_invalid)
    return consolidate(entries, expected)


def _epoch(stamp: str) -> float:
    return datetime.datetime.fromisoformat(stamp).timestamp()


# --------------------------------------------------------------------------- trends

@dataclasses.dataclass
class Trends:
    """Each office's figures by fiscal year, and each province's: ``itaxl ledger trends``."""

    years: list[int]
    offices: Table
    """One row per office and fiscal year, from that year's consolidation."""

    def provinces(self) -> Table:
        """Per province and fiscal year: offices with figures, their mean ITA score, how many
        are below the pass mark, measures per office and the share of reported measures done."""
        keys = self.offices.keys
        at = {k: keys.index(k) for k in ("province", "fiscal_year", "ita_score", "below_pass", "measures", "done",
                                         "reported")}
        groups: dict[tuple, list[tuple]] = {}
        for row in self.offices.rows:
            groups.setdefault((row[at["province"]], row[at["fiscal_year"]]), []).append(row)
        rows = []
        for (province, year), members in sorted(groups.items(), key=lambda g: (str(g[0][0]), g[0][1])):
            scores = [r[at["ita_score"]] for r in members if r[at["ita_score"]] is not None]
            measures = [r[at["measures"]] for r in members if r[at["measures"]] is not None]
            reported = sum(r[at["reported"]] or 0 for r in members)
            rows.append((province, year, len(members),
                         round(sum(scores) / len(scores), 2) if scores else None,
                         sum(bool(r[at["below_pass"]]) for r in members),
                         round(sum(measures) / len(measures), 1) if measures else None,
                         _rate(sum(r[at["done"]] or 0 for r in members), reported)))
        table = Table.of((("province", "จังหวัด"), ("fiscal_year", "ปีงบประมาณ", "0"), ("offices", "หน่วยงาน", "0"),
                          ("mean_ita_score", "คะแนน ITA เฉลี่ย", "0.00"),
                          ("below_pass", "ต่ำกว่าเกณฑ์ (แห่ง)", "0"),
                          ("measures_per_office", "มาตรการต่อหน่วยงาน", "0.0"),
                          ("percent_done", "ร้อยละแล้วเสร็จ", "0.0")), rows)
        return dataclasses.replace(table, widths=_NUMBER_WIDTHS)

    def tables(self) -> dict[str, Table]:
        return {"trends": self.offices, "trends_province": self.provinces()}

    def to_dict(self) -> dict:
        def records(t: Table) -> list[dict]:
            return [dict(zip(t.keys, row)) for row in t.rows]
        return {"years": self.years, "offices": records(self.offices), "provinces": records(self.provinces())}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def trends(ledger: Ledger, *, roster=None, province: str | None = None, district: str | None = None,
           include_invalid: bool = False) -> Trends:
    """Each office's ITA score, rating, measures and completion by fiscal year."""
    return _trends(_counted(ledger), _roster(roster, province, district), include_invalid)


_NUMBER_WIDTHS = {"fiscal_year": 10, "ita_year": 8, "ita_score": 10, "ita_grade": 11, "measures": 10,
                  "percent_done": 11, "done": 9, "reported": 9, "offices": 9, "mean_ita_score": 11,
                  "measures_per_office": 12}
"""Columns of numbers, narrower than the consolidated workbook's default: a year's row on one page."""
_OFFICE_KEYS = ("org_code", "org_name", "province", "district")
_FIGURES = ("ita_year", "ita_score", "ita_grade", "below_pass", "measures", "percent_done")
_REPORTED = ("done", "in_progress", "not_started")


def _trends(counted: list[tuple[Version, Submission]], expected: list[str] | None,
            include_invalid: bool) -> Trends:
    years = sorted({v.fiscal_year for v, _ in counted})
    rows = []
    for year in years:
        offices = _consolidated([(v, sub) for v, sub in counted if v.fiscal_year == year], expected,
                                include_invalid).tables["offices"]
        at = {k: i for i, k in enumerate(offices.keys)}
        for row in offices.rows:
            if row[at["in_figures"]] is None:
                continue  # nothing usable this year
            reported = (sum(row[at[k]] or 0 for k in _REPORTED) if row[at["percent_done"]] is not None else None)
            rows.append((*(row[at[k]] for k in _OFFICE_KEYS), year, *(row[at[k]] for k in _FIGURES),
                         row[at["done"]] if reported is not None else None, reported))
    rows.sort(key=lambda r: (r[0], r[4]))
    shape = consolidate([], None).tables["offices"]  # the offices table's headers and formats
    columns = [*(_column(shape, k) for k in _OFFICE_KEYS), ("fiscal_year", "ปีงบประมาณ", "0"),
               *(_column(shape, k) for k in _FIGURES), _column(shape, "done"), ("reported", "รายงานผล", "0")]
    table = Table.of(columns, rows, {"below_pass": OFFICE_LABELS["below_pass"]})
    return Trends(years, dataclasses.replace(table, widths=_NUMBER_WIDTHS))


def _column(table: Table, key: str) -> tuple[str, ...]:
    header = table.headers[table.keys.index(key)]
    number = table.formats.get(key)
    return (key, header, number) if number else (key, header)
