"""One year's ITA framework, as data: instruments, indicators, the rating rule and the OIT items.

Each assessment year is a commented TOML file (``itaxl/frameworks/ita-2566.toml``) that
central staff can read, check and copy to start a year itaxl has not shipped yet.  Every
section says how sure it is (``status``: confirmed, provisional or inferred) and where it
comes from (``source``); a section without them takes the file's.

>>> import itaxl.framework as fw
>>> f = fw.shipped(2566)
>>> f.rating.kind, f.rating.pass_mark, len(f.indicators)
('letters', 85.0, 10)
>>> f.rating.of(94.64, {"IIT": 96.0, "EIT": 80.0, "OIT": 100.0})
'A'

One assessment, one framework: the measures for fiscal year *Y* analyse the assessment of
year *Y − 1* (:func:`assessed_year`), and everything a workbook of that plan holds — score
fields, dropdowns, the rating check, the figures of a merge, the report's item code — comes
from that framework.  A workbook records the framework's year and SHA-256 in its metadata
and is read back with the same one (:class:`Catalogue`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import UsageError
from .tomlfile import DataFileError, Source as _Source, content_sha256, get as _get, parse as parse_toml

from .thai import clean_text, squash, to_arabic_digits

SHIPPED_DIR = Path(__file__).parent / "frameworks"
FILE_PATTERN = "ita-*.toml"
STATUSES = ("confirmed", "provisional", "inferred")
RATING_KINDS = ("letters", "verbal")


def assessed_year(fiscal_year: int) -> int:
    """The assessment a plan answers: measures for fiscal year Y analyse the ITA of Y − 1."""
    return fiscal_year - 1


class FrameworkError(DataFileError):
    """A framework file that cannot be used, with the line and key at fault."""


@dataclasses.dataclass(frozen=True)
class Provenance:
    """How sure a fact is and where it comes from."""

    status: str
    source: str


@dataclasses.dataclass(frozen=True)
class Instrument:
    code: str
    name_th: str
    name_en: str
    weight: float
    provenance: Provenance


@dataclasses.dataclass(frozen=True)
class Indicator:
    number: int
    name_th: str
    name_en: str
    instrument: str
    aliases: tuple[str, ...]
    subindicators: tuple[tuple[str, str], ...]  # ("9.1", "ข้อมูลพื้นฐาน")
    provenance: Provenance

    @property
    def label(self) -> str:
        """The dropdown text: "9 การเปิดเผยข้อมูล"."""
        return f"{self.number} {self.name_th}"


@dataclasses.dataclass(frozen=True)
class Band:
    """One rating: reached when the total is at least ``total`` and, where ``each_instrument``
    is set, every instrument's score is at least that too."""

    name: str
    name_en: str
    total: float
    each_instrument: float | None = None

    def reached(self, total: float, instruments: Mapping[str, float] | None) -> bool | None:
        """True or False; None when it depends on instrument scores that are not known."""
        if total < self.total:
            return False
        if self.each_instrument is None:
            return True
        if instruments is None:
            return None
        return all(v >= self.each_instrument for v in instruments.values())


@dataclasses.dataclass(frozen=True)
class Rating:
    """How a result is rated: letter bands on the total, or verbal ratings with conditions on
    the total and on each instrument.  Bands are ordered best first; the first reached wins."""

    kind: str
    pass_mark: float
    bands: tuple[Band, ...]
    provenance: Provenance

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.bands)

    def of(self, total: float, instruments: Mapping[str, float] | None = None) -> str | None:
        """The rating of a result; None when it depends on instrument scores not given."""
        for band in self.bands:
            reached = band.reached(total, instruments)
            if reached is None:
                return None
            if reached:
                return band.name
        return self.bands[-1].name

    def possible(self, total: float) -> tuple[str, ...]:
        """The ratings a total allows whatever the instruments scored."""
        found: list[str] = []
        for band in self.bands:
            if total < band.total:
                continue
            found.append(band.name)
            if band.each_instrument is None:
                break
        return tuple(found) or (self.bands[-1].name,)

    @property
    def far_below(self) -> float:
        """The lower edge of the band under the pass mark: a score under it is far below."""
        return max((b.total for b in self.bands if b.total < self.pass_mark), default=self.pass_mark)

    def normalise(self, text: str) -> str | None:
        """The rating a cell names (case and spaces aside), or None."""
        squashed = squash(text).casefold()
        for name in self.names:
            if squash(name).casefold() == squashed:
                return name
        return None


@dataclasses.dataclass(frozen=True)
class Item:
    """An OIT item that one of the two documents answers."""

    code: str
    title_th: str
    provenance: Provenance


@dataclasses.dataclass(frozen=True)
class Framework:
    """One assessment year's ITA framework, as read from its file."""

    year: int
    title_th: str
    provenance: Provenance
    instruments: tuple[Instrument, ...]
    indicators: tuple[Indicator, ...]
    rating: Rating
    measures_item: Item | None
    progress_item: Item | None
    sha256: str
    """The SHA-256 of the content (:func:`itaxl.tomlfile.content_sha256`): its identity, recorded in
    every workbook made with it; editing a comment or the spacing keeps it."""
    origin: str  # the file it was read from ("shipped" ones name the package file)
    text: str = dataclasses.field(repr=False, compare=False, hash=False)
    text_sha256: str = dataclasses.field(default="", repr=False, compare=False, hash=False)
    """The SHA-256 of the file's text, which workbooks made before content identity recorded."""

    def __reduce__(self):
        # Sent to and from worker processes with every submission: a shipped framework
        # travels as its SHA-256, a given one as its text, and each is parsed once a process.
        return _restore, (self.sha256, self.origin, None if self.shipped else self.text)

    @property
    def shipped(self) -> bool:
        return Path(self.origin).parent in (SHIPPED_DIR, SUPERSEDED_DIR)

    @functools.cached_property
    def numbers(self) -> tuple[int, ...]:
        return tuple(i.number for i in self.indicators)

    def indicator(self, number: int) -> Indicator | None:
        return next((i for i in self.indicators if i.number == number), None)

    def instrument(self, code: str) -> Instrument:
        return next(i for i in self.instruments if i.code == code)

    @property
    def short(self) -> str:
        """How messages name it: "ITA 2568 (provisional, 3f2a9c1e)"."""
        return f"ITA {self.year} ({self.provenance.status}, {self.sha256[:8]})"

    def instrument_scores(self, scores: Mapping[int, float | None]) -> dict[str, float] | None:
        """Each instrument's score, the mean of its indicators; None when one is missing."""
        result: dict[str, float] = {}
        for instrument in self.instruments:
            values = [scores.get(i.number) for i in self.indicators if i.instrument == instrument.code]
            if any(not isinstance(v, (int, float)) for v in values):
                return None
            result[instrument.code] = sum(values) / len(values)  # type: ignore[arg-type]
        return result

    def total_from_indicators(self, scores: Mapping[int, float | None]) -> float | None:
        """The total the indicator scores give: instrument means weighted by the framework."""
        means = self.instrument_scores(scores)
        if means is None:
            return None
        return round(sum(self.instrument(code).weight * v for code, v in means.items()), 2)

    def resolve_indicator(self, value: object) -> int | None:
        """The indicator number a cell value names, or None.

        Accepts the dropdown text ("9 การเปิดเผยข้อมูล"), a number (9, "๙", 9.0),
        "ตัวชี้วัดที่ ๙ …", a sub-indicator ("9.2") and the known name variants.
        """
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, (int, float)):
            n = int(value) if float(value).is_integer() else None
            return n if n in self.numbers else None
        text = clean_text(to_arabic_digits(str(value)))
        names = self._names
        if m := _INDICATOR_PREFIX.match(text):
            n = int(m["n"])
            if n not in self.numbers:
                return None
            rest = squash(m["rest"] or "")
            named = names.get(rest)
            if rest and named is not None and named != n:
                return None  # "3 การเปิดเผยข้อมูล": number and name disagree
            return n
        return names.get(squash(text))

    @functools.cached_property
    def _names(self) -> dict[str, int]:
        return {squash(name): i.number for i in self.indicators for name in (i.name_th, *i.aliases)}


_INDICATOR_PREFIX = re.compile(r"^(?:ตัวชี้วัด(?:ที่)?\s*)?(?P<n>\d{1,2})(?:\.\d)?(?:[\s.:)\-]+(?P<rest>.*))?$")


_RESTORED: dict[str, "Framework"] = {}


def _restore(sha256: str, origin: str, text: str | None) -> "Framework":
    if sha256 not in _RESTORED:
        if text is not None:
            found = parse(text, origin)
        else:  # shipped: its own file, unless the package changed under the run
            found = _load_once(Path(origin)) if Path(origin).is_file() else None
            if found is None or found.sha256 != sha256:
                found = SHIPPED.by_sha(sha256)
        _RESTORED[sha256] = found
    return _RESTORED[sha256]


# --------------------------------------------------------------------------- reading a file


def _provenance(data: Mapping[str, Any], inherited: Provenance | None, src: _Source, where: str,
                table: str | None = None, index: int = 0) -> Provenance:
    status = _get(data, "status", str, src, where, table, index, inherited.status if inherited else ...)
    if status not in STATUSES:
        raise src.fail(f"status must be one of {', '.join(STATUSES)}, not {status!r}", f"{where}status", table, index)
    source = _get(data, "source", str, src, where, table, index, inherited.source if inherited else ...)
    return Provenance(status, source)


MAX_FRAMEWORK_BYTES = 1 << 20
"""A framework file is a few kilobytes; anything over a mebibyte is not one."""


def parse(text: str, path: str = "<framework>") -> Framework:
    """A framework from the text of its file; :class:`FrameworkError` names the line and key at fault."""
    src = _Source(path, text, FrameworkError)
    data = parse_toml(text, path, FrameworkError, "a framework")
    year = _get(data, "year", int, src, "")
    if not 2550 <= year <= 2700:
        raise src.fail(f"year must be a B.E. assessment year such as 2568, not {year}", "year")
    title = _get(data, "title_th", str, src, "")
    named = {int(y) for y in _TITLE_YEAR.findall(to_arabic_digits(title))}
    if named and named != {year}:
        raise src.fail(f"the title names B.E. {', '.join(map(str, sorted(named)))}, but year is {year}", "title_th")
    top = _provenance(data, None, src, "")
    instruments = _instruments(data, top, src)
    indicators = _indicators(data, top, {i.code for i in instruments}, src)
    rating = _rating(data, top, {i.code for i in instruments}, src)
    documents = _get(data, "documents", dict, src, "", default={})
    items = [_item(documents, name, top, src) for name in ("measures", "progress")]
    return Framework(
        year=year, title_th=title, provenance=top,
        instruments=instruments, indicators=indicators, rating=rating,
        measures_item=items[0], progress_item=items[1],
        sha256=content_sha256(data), origin=path, text=text,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _instruments(data: Mapping[str, Any], top: Provenance, src: _Source) -> tuple[Instrument, ...]:
    rows = _get(data, "instruments", list, src, "")
    result = []
    for n, row in enumerate(rows):
        where = f"instruments[{n}]."
        code = _get(row, "code", str, src, where, "instruments", n)
        weight = _get(row, "weight", float, src, where, "instruments", n)
        if not 0 < weight <= 1:
            raise src.fail(f"weight must be above 0 and at most 1, not {weight}", f"{where}weight", "instruments", n)
        result.append(Instrument(code, _get(row, "name_th", str, src, where, "instruments", n),
                                 _get(row, "name_en", str, src, where, "instruments", n), weight,
                                 _provenance(row, top, src, where, "instruments", n)))
    if not result:
        raise src.fail("at least one instrument is needed", "instruments")
    codes = [i.code for i in result]
    if len(set(codes)) != len(codes):
        raise src.fail(f"instrument codes repeat: {', '.join(codes)}", "instruments", "instruments")
    total = sum(i.weight for i in result)
    if abs(total - 1) > 1e-6:
        raise src.fail(f"the instruments' weights add up to {total:g}, not 1", "weight", "instruments")
    return tuple(result)


def _indicators(data: Mapping[str, Any], top: Provenance, codes: set[str], src: _Source) -> tuple[Indicator, ...]:
    rows = _get(data, "indicators", list, src, "")
    result: list[Indicator] = []
    for n, row in enumerate(rows):
        where = f"indicators[{n}]."
        number = _get(row, "number", int, src, where, "indicators", n)
        if not 1 <= number <= 99 or number in {i.number for i in result}:
            raise src.fail(f"indicator number {number} repeats or is not 1–99", f"{where}number", "indicators", n)
        instrument = _get(row, "instrument", str, src, where, "indicators", n)
        if instrument not in codes:
            raise src.fail(f"instrument {instrument!r} is not one of {', '.join(sorted(codes))}",
                           f"{where}instrument", "indicators", n)
        aliases = _get(row, "aliases", list, src, where, "indicators", n, [])
        subs = _get(row, "subindicators", list, src, where, "indicators", n, [])
        if not all(isinstance(a, str) for a in aliases):
            raise src.fail("aliases must be a list of texts", f"{where}aliases", "indicators", n)
        if not all(isinstance(s, list) and len(s) == 2 and all(isinstance(x, str) for x in s) for s in subs):
            raise src.fail('subindicators must be a list of ["9.1", "name"] pairs', f"{where}subindicators",
                           "indicators", n)
        result.append(Indicator(number, _get(row, "name_th", str, src, where, "indicators", n),
                                _get(row, "name_en", str, src, where, "indicators", n), instrument,
                                tuple(aliases), tuple(tuple(s) for s in subs),  # type: ignore[misc]
                                _provenance(row, top, src, where, "indicators", n)))
    if not result:
        raise src.fail("at least one indicator is needed", "indicators")
    empty = codes - {i.instrument for i in result}
    if empty:
        raise src.fail(f"instrument(s) {', '.join(sorted(empty))} have no indicator", "instrument", "indicators")
    return tuple(sorted(result, key=lambda i: i.number))


def _rating(data: Mapping[str, Any], top: Provenance, codes: set[str], src: _Source) -> Rating:
    table = _get(data, "rating", dict, src, "")
    kind = _get(table, "kind", str, src, "rating.", "rating")
    if kind not in RATING_KINDS:
        raise src.fail(f"kind must be one of {', '.join(RATING_KINDS)}, not {kind!r}", "rating.kind", "rating")
    pass_mark = _get(table, "pass_mark", float, src, "rating.", "rating")
    if not 0 < pass_mark <= 100:
        raise src.fail(f"pass_mark must be above 0 and at most 100, not {pass_mark:g}", "rating.pass_mark", "rating")
    provenance = _provenance(table, top, src, "rating.", "rating")
    bands: list[Band] = []
    for n, row in enumerate(_get(table, "bands", list, src, "rating.", "rating")):
        where = f"rating.bands[{n}]."
        each = _get(row, "each_instrument", float, src, where, "rating.bands", n, None)
        if each is not None and kind == "letters":
            raise src.fail("letter grades depend on the total only: each_instrument belongs to a verbal rating",
                           f"{where}each_instrument", "rating.bands", n)
        band = Band(_get(row, "name", str, src, where, "rating.bands", n),
                    _get(row, "name_en", str, src, where, "rating.bands", n, ""),
                    _get(row, "total", float, src, where, "rating.bands", n), each)
        if bands and (band.total, band.each_instrument or 0) >= (bands[-1].total, bands[-1].each_instrument or 0):
            raise src.fail("bands must be ordered best first, each below the one before",
                           f"{where}total", "rating.bands", n)
        bands.append(band)
    if not bands or bands[-1].total != 0 or bands[-1].each_instrument is not None:
        raise src.fail("the last band must start at 0 with no condition, so that every result has a rating",
                       "rating.bands", "rating")
    if len({b.name for b in bands}) != len(bands):
        raise src.fail("band names repeat", "name", "rating.bands")
    if not any(b.total == pass_mark for b in bands):
        raise src.fail(f"no band starts at the pass mark {pass_mark:g}", "rating.pass_mark", "rating")
    return Rating(kind, pass_mark, tuple(bands), provenance)


def _item(documents: Mapping[str, Any], name: str, top: Provenance, src: _Source) -> Item | None:
    row = documents.get(name)
    if row is None:
        return None
    where = f"documents.{name}."
    if not isinstance(row, dict):
        raise src.fail("must be a table with code and title_th", f"documents.{name}", "documents")
    return Item(_get(row, "code", str, src, where, f"documents.{name}"),
                _get(row, "title_th", str, src, where, f"documents.{name}"),
                _provenance(row, top, src, where, f"documents.{name}"))


def load(path: str | Path) -> Framework:
    """Read a framework file; :class:`FrameworkError` when it cannot be used."""
    from .inputs import read_option_file

    try:
        raw = read_option_file(path, limit=MAX_FRAMEWORK_BYTES)
    except OSError as exc:
        raise FrameworkError(str(path), f"cannot read the file ({exc.strerror})") from None
    except ValueError as exc:
        raise FrameworkError(str(path), f"cannot be used: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    return parse(text, str(path))


# --------------------------------------------------------------------------- the shipped ones


@functools.lru_cache(maxsize=None)
def _load_once(path: Path) -> Framework:
    return load(path)


def _shipped_paths() -> tuple[Path, ...]:
    return _framework_files(SHIPPED_DIR)


@functools.lru_cache(maxsize=None)
def _framework_files(directory: Path) -> tuple[Path, ...]:
    """The framework files of a folder of itaxl's own, listed once a run (a merge asks per file)."""
    return tuple(sorted(directory.glob(FILE_PATTERN)))


@functools.lru_cache(maxsize=None)
def _sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shipped_all() -> tuple[Framework, ...]:
    """Every framework shipped with itaxl, oldest first."""
    return tuple(sorted((_load_once(p) for p in _shipped_paths()), key=lambda f: f.year))


def shipped(year: int) -> Framework:
    """The shipped framework of an assessment year; :class:`UsageError` when there is none.

    Only that year's file is read: a command that needs one framework does not parse eight."""
    path = SHIPPED_DIR / f"ita-{year}.toml"
    if path.is_file():
        found = _load_once(path)
        if found.year == year:
            return found
    for f in shipped_all():
        if f.year == year:
            return f
    years = ", ".join(str(f.year) for f in shipped_all())
    raise UsageError(f"itaxl ships no framework for ITA {year} (it has {years}); write one with "
                     f"'itaxl frameworks copy {shipped_all()[-1].year} ita-{year}.toml' and pass --framework")


SUPERSEDED_DIR = SHIPPED_DIR / "superseded"


@functools.lru_cache(maxsize=None)
def superseded() -> tuple[Framework, ...]:
    """Earlier versions of shipped frameworks (``frameworks/superseded/``).

    A provisional year is corrected when the NACC publishes its manual; templates already
    sent out record the old file's SHA-256, and must still be read with it.  When a shipped
    file changes, its previous text moves here (named ``ita-YEAR-SHA8.toml``).
    """
    return tuple(_load_once(p) for p in _framework_files(SUPERSEDED_DIR))


@functools.lru_cache(maxsize=1)
def default() -> Framework:
    """The newest shipped framework: what the module-level specs in :mod:`itaxl.schema` show.

    Cached: every spec lookup without a framework asks for it (once per row in a merge)."""
    return _load_once(max(_shipped_paths(), key=lambda p: p.stem))


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """The frameworks a run knows: the shipped ones and those given with ``--framework``.

    A workbook that records a framework is read with the one of the same SHA-256; one made
    before frameworks were recorded is read with the framework of its assessed year.
    """

    given: tuple[Framework, ...] = ()
    layouts: tuple = ()
    """Workbook layouts (:class:`itaxl.schema.Layout`) known beside the shipped ones: a layout
    being tried before its release."""

    @classmethod
    def of(cls, paths: Iterable[str | Path] = (), layouts: Iterable = ()) -> "Catalogue":
        return cls(tuple(load(p) for p in paths), tuple(layouts))

    def by_sha(self, sha256: str) -> Framework | None:
        """The framework of that SHA-256: a given one, a shipped one, or a superseded version."""
        for f in self.given:
            if sha256 in (f.sha256, f.text_sha256):
                return f
        paths = (*_shipped_paths(), *_framework_files(SUPERSEDED_DIR))
        # A workbook made before content identity holds the text's hash: the files' bytes are
        # hashed first, so that only the one that matches is parsed.
        for path in paths:
            if _sha_of(path) == sha256:
                return _load_once(path)
        return next((f for f in map(_load_once, paths) if f.sha256 == sha256), None)

    def for_year(self, year: int) -> Framework:
        """The framework for an assessment year: a given one first, else the shipped one."""
        for f in self.given:
            if f.year == year:
                return f
        return shipped(year)

    def given_for_plan(self, fiscal_year: int) -> Framework | None:
        """The given framework a plan of ``fiscal_year`` answers; None when none is given (the
        shipped one is meant); :class:`UsageError` when those given are for other years."""
        if not self.given:
            return None
        year = assessed_year(fiscal_year)
        for f in self.given:
            if f.year == year:
                return f
        from .inputs import shown

        raise UsageError(f"a plan for fiscal year {fiscal_year} analyses ITA {year}, but the framework given is for "
                         + ", ".join(f"ITA {f.year} ({shown(f.origin)})" for f in self.given))

    def for_plan(self, fiscal_year: int) -> Framework:
        """The framework a plan of ``fiscal_year`` answers (see :func:`assessed_year`)."""
        return self.for_year(assessed_year(fiscal_year))


SHIPPED = Catalogue()


# --------------------------------------------------------------------------- for people


def describe(framework: Framework) -> str:
    """A framework as a person checks it: every fact with its status (``itaxl frameworks show``)."""
    def mark(p: Provenance, parent: Provenance | None = None) -> str:
        return "" if parent is not None and p == parent else f"  [{p.status}: {p.source}]"

    top = framework.provenance
    lines = [f"ITA {framework.year}: {framework.title_th}",
             f"status {top.status}; source: {top.source}",
             f"file {framework.origin}", f"sha256 {framework.sha256}", "", "instruments (weight):"]
    lines += [f"  {i.code}  {i.weight:g}  {i.name_th} / {i.name_en}{mark(i.provenance, top)}"
              for i in framework.instruments]
    lines += ["", f"indicators ({len(framework.indicators)}):"]
    for i in framework.indicators:
        extra = f" (also: {', '.join(i.aliases)})" if i.aliases else ""
        lines.append(f"  {i.number:>2} {i.instrument}  {i.name_th} / {i.name_en}{extra}{mark(i.provenance, top)}")
        lines += [f"       {code} {name}" for code, name in i.subindicators]
    rating = framework.rating
    lines += ["", f"rating: {rating.kind}, pass mark {rating.pass_mark:g}{mark(rating.provenance)}"]
    for band in rating.bands:
        condition = f"total ≥ {band.total:g}"
        if band.each_instrument is not None:
            condition += f" and each instrument ≥ {band.each_instrument:g}"
        lines.append(f"  {band.name:<22} {condition}")
    lines += ["", f"documents (items of ITA {framework.year + 1}):"]
    for what, item in (("measures", framework.measures_item), ("progress", framework.progress_item)):
        lines.append(f"  {what:<9} " + (f"{item.code} {item.title_th}{mark(item.provenance)}" if item
                                        else "(not known: no item code is shown)"))
    return "\n".join(lines)


def table() -> list[tuple[str, ...]]:
    """One row per shipped framework: year, status, rating, indicators, items, SHA-256 (short)."""
    return [(str(f.year), f.provenance.status, f.rating.kind, str(len(f.indicators)),
             "/".join(i.code for i in (f.measures_item, f.progress_item) if i) or "-", f.sha256[:12])
            for f in shipped_all()]


_TITLE_YEAR = re.compile(r"(?<!\d)(2[5-7]\d\d)(?!\d)")
"""A B.E. year in a title."""
_NAMED_YEAR = re.compile(r"ita-(\d{4})\.toml$")


def copied_text(year: int, new_year: int | None = None) -> str:
    """The text of the shipped framework of ``year``, for ``new_year`` when given: its ``year``
    and the year in its title set to the new one, everything else as it was."""
    text = shipped(year).text
    if new_year is None or new_year == year:
        return text
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if re.match(r"^\s*year\s*=", line):
            lines[i] = re.sub(r"\d+", str(new_year), line, count=1)
        elif re.match(r"^\s*title_th\s*=", line) and str(year) in line:
            lines[i] = line.replace(str(year), str(new_year))
            break  # the top-level title comes before any table; a document's title names no year
    return "".join(lines)


def copy(year: int, output: str | Path, *, new_year: int | None = None, force: bool = False) -> Path:
    """Write the shipped framework of ``year`` to ``output`` (``itaxl frameworks copy``), set for
    ``new_year`` — by default the year of an output named ``ita-YYYY.toml``."""
    from .atomic import write_bytes

    if new_year is None and (named := _NAMED_YEAR.search(Path(output).name)):
        new_year = int(named[1])
    text = copied_text(year, new_year)
    parse(text, str(output))  # a year out of range is refused before anything is written
    return write_bytes(output, text.encode("utf-8"), force=force)
