"""The register of Thai local administrative offices (อปท.), shipped with itaxl.

Source: the Department of Local Administration's open dataset (see
``itaxl/data/SOURCE.md``).  One row per office: 7-digit code, type, name,
district and province.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import importlib.resources
import os
import re
from typing import Iterable, Iterator

from .errors import UnknownOfficeError, UsageError
from .schema import OFFICE_TYPE_BY_NAME, OFFICE_TYPES
from .thai import clean_text, to_arabic_digits


@dataclasses.dataclass(frozen=True)
class Office:
    code: str
    type_th: str
    name_th: str
    district_th: str
    province_code: str
    province_th: str
    province_en: str

    @property
    def full_name(self) -> str:
        """The name as documents write it: "องค์การบริหารส่วนตำบลโคกสนวน"."""
        office_type = OFFICE_TYPE_BY_NAME.get(self.type_th)
        prefix = office_type.full_th if office_type else ""
        if self.type_th == "ท้องถิ่นรูปแบบพิเศษ":
            return self.name_th
        return f"{prefix}{self.name_th}"

    @property
    def short_name(self) -> str:
        """"อบต.โคกสนวน"."""
        office_type = OFFICE_TYPE_BY_NAME.get(self.type_th)
        return f"{office_type.prefix}{self.name_th}" if office_type else self.name_th


COLUMNS = ("dla_code", "type_th", "name_th", "district_th", "province_code", "province_th", "province_en")
"""The register's columns, and those of a file of offices added to it (:data:`ADDED_ENV`)."""

ADDED_ENV = "ITAXL_OFFICES"
"""The environment variable naming a CSV of offices the shipped register lacks (``itaxl
--offices FILE`` sets it): an office made or upgraded after the register's date has a code the
register does not know, and central staff add it here until itaxl ships a newer register."""


@functools.lru_cache(maxsize=1)
def offices() -> dict[str, Office]:
    """Every office in the register, by 7-digit code, with the offices added by :data:`ADDED_ENV`."""
    path = importlib.resources.files("itaxl").joinpath("data/lao-registry.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        shipped = {row["dla_code"]: _office_of(row) for row in csv.DictReader(fh)}
    added = os.environ.get(ADDED_ENV)
    return shipped | added_offices(added, shipped) if added else shipped


def _office_of(row: dict[str, str]) -> Office:
    return Office(*(row[c] for c in COLUMNS))


def added_offices(path: str | os.PathLike, register: dict[str, Office]) -> dict[str, Office]:
    """The offices of a CSV with the register's columns (:data:`COLUMNS`), checked against it.

    A row is refused (:class:`UsageError`, naming the file and its line) when a column is
    missing or empty, the code is not 7 digits, its type is not an office type, or the code is
    already in the register: a file that renamed a registered office would hide a mismatch."""
    where = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = rows and list(rows[0]) or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{where}: cannot read the added offices ({exc})") from None
    missing = [c for c in COLUMNS if c not in header]
    if rows and missing or not rows:
        raise UsageError(f"{where}: an added-offices file needs the columns {', '.join(COLUMNS)}"
                         + (f" (missing: {', '.join(missing)})" if rows else " and at least one row"))
    added: dict[str, Office] = {}
    for line, row in enumerate(rows, start=2):
        empty = [c for c in COLUMNS if not (row.get(c) or "").strip()]
        code = normalise_code(row["dla_code"])
        problem = (f"empty {', '.join(empty)}" if empty
                   else f"{row['dla_code']!r} is not a 7-digit office code" if code is None
                   else f"type {row['type_th']!r} is not an office type" if row["type_th"] not in OFFICE_TYPE_BY_NAME
                   else f"code {code} is in the register already ({register[code].short_name})" if code in register
                   else f"code {code} is given twice" if code in added else None)
        if problem:
            raise UsageError(f"{where}, line {line}: {problem}")
        added[code] = _office_of({c: row[c].strip() for c in COLUMNS} | {"dla_code": code})
    return added


def use_added_offices(path: str | os.PathLike | None, *, check: bool = True) -> None:
    """Add the offices of a CSV to the register for this process and the workers it starts
    (``None``: the shipped register alone); with ``check`` the file is read and checked at once."""
    if path is None:
        os.environ.pop(ADDED_ENV, None)
    else:
        os.environ[ADDED_ENV] = os.path.abspath(path)
    for cached in (offices, by_name, district_names, province_names):
        cached.cache_clear()
    if check:
        offices()


@contextlib.contextmanager
def offices_added(path: str | os.PathLike | None) -> Iterator[None]:
    """The register with the offices of a CSV added, inside a ``with`` block; as before after it."""
    before = os.environ.get(ADDED_ENV)
    use_added_offices(path)
    try:
        yield
    finally:
        use_added_offices(before, check=False)


def normalise_code(value: object) -> str | None:
    """A 7-digit office code from what people write (Thai digits, 8 digits with a leading 0, 6311805.0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s\-]", "", to_arabic_digits(str(value)))
    if len(text) == 8 and text.startswith("0"):
        text = text[1:]
    return text if re.fullmatch(r"\d{7}", text) else None


def lookup(code: object) -> Office | None:
    """The office with this code, or None."""
    normal = normalise_code(code)
    return offices().get(normal) if normal else None


def get(code: object) -> Office:
    """The office with this code; :class:`UnknownOfficeError` if there is none."""
    office = lookup(code)
    if office is None:
        digits = re.sub(r"\D", "", to_arabic_digits(str(code)))
        if normalise_code(code) is None:
            raise UnknownOfficeError(f"{code!r} is not an office code: a code (รหัส อปท.) has 7 digits"
                                     + (f", this has {len(digits)}" if digits else ""))
        raise UnknownOfficeError(f"office code {code!r} is not in the register of local offices")
    return office


_NAME_PREFIXES = re.compile(
    "^(?:" + "|".join(t.pattern(any_dot=True) for t in OFFICE_TYPES) + r")\s*")


def same_name(written: str, office: Office) -> bool:
    """Whether a name typed in a workbook names this office (prefixes and spaces ignored)."""
    return bare_name(written) == bare_name(office.name_th)


def bare_name(written: str) -> str:
    """A written office name as the register writes it: without its type prefix and spaces."""
    return re.sub(r"\s+", "", _NAME_PREFIXES.sub("", clean_text(written)))


def named(written: str) -> list[Office]:
    """The offices a written name names (its type prefix and spaces ignored), by code."""
    bare = bare_name(written)
    return [o for o in offices().values() if o.name_th == bare] if bare else []


def near_names(written: str, limit: int = 3) -> list[Office]:
    """Offices whose names are close to a name no office has: the name inside theirs
    ("ประจักษ์" in โพประจักษ์) or one or two letters away; the closest first, by code."""
    from rapidfuzz.distance import Levenshtein

    bare = bare_name(written)
    if len(bare) < 3:
        return []
    scored = sorted((0 if bare in o.name_th else Levenshtein.distance(bare, o.name_th), o.code, o)
                    for o in offices().values()
                    if bare in o.name_th or Levenshtein.distance(bare, o.name_th, score_cutoff=2) <= 2)
    return [o for _d, _c, o in scored[:limit]]


def select(province: str | None = None, district: str | None = None) -> list[Office]:
    """Offices of a province and/or district, by code.

    Names are matched forgivingly: Thai or English, with or without จังหวัด/อำเภอ,
    spaces, hyphens and case ignored ("Buriram" finds "Buri Ram"), or a province's
    2-digit code.  A name that matches nothing is refused with the closest names.
    """
    result = list(offices().values())
    if province:
        names = {o.province_code: o for o in result}.values()
        wanted = _province_of(province, names)
        result = [o for o in result if o.province_code == wanted.province_code]
    if district:
        key = _compact(re.sub(r"^(อำเภอ|อ\.)", "", district.strip()))
        matched = [o for o in result if _compact(o.district_th) == key]
        if not matched:
            places = sorted({o.district_th for o in result})
            raise UsageError(f"no district {district!r} in the register" + (f" in {province}" if province else "")
                             + _did_you_mean(district, places))
        result = matched
    return sorted(result, key=lambda o: o.code)


def _compact(name: str) -> str:
    return re.sub(r"[\s\-.]", "", clean_text(name)).lower()


def _province_of(name: str, provinces: Iterable[Office]) -> Office:
    key = _compact(re.sub(r"^(จังหวัด|จ\.)", "", name.strip()))
    for o in provinces:
        if key in (_compact(o.province_th), _compact(o.province_en), o.province_code):
            return o
    by_name = {o.province_th: o for o in provinces}
    labels = [*by_name, *(o.province_en for o in provinces)]
    raise UsageError(f"no province {name!r} in the register" + _did_you_mean(name, labels, by_name)
                     + " (use its Thai name, English name or 2-digit code)")


def _did_you_mean(name: str, candidates: Iterable[str], provinces: dict[str, Office] | None = None) -> str:
    import difflib

    folded = {_compact(c): c for c in candidates}
    key = _compact(name)
    close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6)
    if not close:
        return ""
    best = difflib.SequenceMatcher(None, key, close[0]).ratio()
    close = [c for c in close if difflib.SequenceMatcher(None, key, c).ratio() > best - 0.1]
    shown = []
    for c in close:
        label = folded[c]
        office = (provinces or {}).get(label) or next(
            (o for o in (provinces or {}).values() if o.province_en == label), None)
        shown.append(f"{office.province_th} ({office.province_en})" if office else label)
    return "; did you mean " + " or ".join(dict.fromkeys(shown)) + "?"


@functools.lru_cache(maxsize=1)
def by_name() -> dict[tuple[str, str], list[Office]]:
    """Every office by (type, name): ("อบต.", "โคกสนวน") → the offices so named, by code."""
    index: dict[tuple[str, str], list[Office]] = {}
    for office in offices().values():
        index.setdefault((office.type_th, office.name_th), []).append(office)
    return index


@functools.lru_cache(maxsize=1)
def district_names() -> frozenset[str]:
    """Every district name of the register."""
    return frozenset(office.district_th for office in offices().values())


@functools.lru_cache(maxsize=1)
def province_names() -> frozenset[str]:
    """Every province name of the register (Thai)."""
    return frozenset(office.province_th for office in offices().values())
