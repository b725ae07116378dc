"""Read an itaxl workbook into plain dataclasses, with the problems found on the way.

The reader identifies a workbook by its metadata sheet (never by its file name),
checks the fingerprint of its locked content, and reads every input cell the
schema defines into a typed value.  Problems of *form* — a formula where a value
belongs, a date typed as text, a number that is not a number — are reported
here; rules about *content* live in :mod:`itaxl.rules`.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import io
import os
from typing import Any

from . import problems as P
from .metadata import (
    MANIFEST_FIRST_ROW, MANIFEST_MARKER, META_KEYS, META_MARKER, Metadata, canonical, fingerprint, manifest_value,
    parse_manifest, plan_fingerprint, shown_value,
)
from .guard import DEFAULT_LIMITS, Limits, inspect, too_large
from .inputs import shown
from .problems import Problem
from .errors import UsageError
from .fieldtypes import shown as _shown
from .framework import SHIPPED, Catalogue, Framework, assessed_year, default as default_framework
from .schema import (
    SHEET_META, STATUS_LABELS, Field, Kind, Layout, TableSheet, TemplateSpec, layout as layout_of, resolve_status,
    supported_versions,
)
from .thai import invalid_characters, is_blank, without_invalid_characters
from .utility import cell_ref, column_index, split_ref

from .xlsxread import Cell, SheetData, XlsxError, XlsxPackage

MAX_TABLE_ROWS = 1000       # a template never has more input rows than this
MAX_MANIFEST_CELLS = 200  # 200 × 30,000 characters: far beyond any template


class Measure:
    """One row of a workbook's table, as the office filled it.

    Its values are the table's fields (``m.measure``, ``m.status``, …), whatever the
    spec declares: the record is derived from the schema, not typed a second time.
    The values are the instance's own attributes (its ``__dict__``), so reading one
    costs what reading any attribute costs: rules read hundreds of them a file.
    """

    __slots__ = ("row", "table", "__dict__")

    def __init__(self, row: int, values: dict[str, Any], table: TableSheet):
        self.row, self.table = row, table
        self.__dict__ = values

    @property
    def values(self) -> dict[str, Any]:
        """The fields of the table, by key."""
        return self.__dict__

    def __getattr__(self, key: str) -> Any:
        """A field of the other kind's table (a measures row has no result): its empty value."""
        if key.startswith("__"):
            raise AttributeError(key)
        empty = _other_fields().get(key, _NO_FIELD)
        if empty is _NO_FIELD:
            raise AttributeError(key)
        return empty

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Measure) and (self.row, self.values) == (other.row, other.values)

    def __repr__(self) -> str:
        return f"Measure(row={self.row}, {self.values!r})"

    def plan(self) -> dict[str, Any]:
        """The planned part of the measure (what the measures workbook says)."""
        return {f.key: self.values[f.key] for f in self.table.plan_columns}

    def answers(self) -> dict[str, Any]:
        """The progress part (what the office reports)."""
        return {f.key: self.values[f.key] for f in self.table.answer_columns}


_NO_FIELD = object()


@functools.lru_cache(maxsize=1)
def _other_fields() -> dict[str, Any]:
    """The empty value of every table field of either kind, in any shipped layout."""
    from .schema import shipped_layouts

    framework = default_framework()
    return {f.key: f.empty for layout in shipped_layouts() for kind in Kind
            for f in layout.spec(kind, framework).table.columns}


@dataclasses.dataclass
class Submission:
    """One workbook read back: what it says, and what is wrong with it."""

    path: str
    kind: str | None = None
    schema_version: str | None = None
    org_code: str | None = None
    fiscal_year: int | None = None
    round: int | None = None
    header: dict[str, Any] = dataclasses.field(default_factory=dict)
    measures: list[Measure] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    meta: Metadata | None = None
    sha256: str = ""
    size: int = 0
    modified: datetime.datetime | None = None
    source: str = ""
    """Where the file is on disk (``path`` is how reports name it: valid UTF-8)."""
    framework: Framework | None = None
    """The ITA framework the workbook was made with (None when it could not be told)."""
    layout: Layout | None = None
    """The layout the workbook was made with (None when its version is unknown)."""

    def __post_init__(self) -> None:
        self.source = self.source or self.path

    @classmethod
    def build(cls, kind: Kind | str, fiscal_year: int, *, round: int | None = None,
              header: dict[str, Any] | None = None, rows: list[dict[str, Any]] = (),
              framework: Framework | None = None, layout: Layout | None = None,
              path: str = "<memory>") -> "Submission":
        """A submission made in memory, as the reader would have read it from a workbook: to try
        a rule on values without writing one (:meth:`itaxl.rulebook.Rule.check`).

        ``header`` and ``rows`` hold typed values by field key (a ``datetime.date``, a
        :class:`~itaxl.schema.Status` …); the fields not given are empty.  Rows take the table's
        rows from its first.  ``framework`` defaults to the one the plan of ``fiscal_year``
        answers, ``layout`` to the newest shipped."""
        from .schema import default_layout

        kind = Kind(kind)
        layout = layout or default_layout()
        framework = framework or SHIPPED.for_plan(fiscal_year)
        spec = layout.spec(kind, framework)
        given = dict(header or {})
        header_values = {f.key: given.pop(f.key, None) for f in spec.form.fields}
        unknown = set(given).union(*(set(r) - {f.key for f in spec.table.columns} for r in rows))
        if unknown:
            raise KeyError(f"not a field of a {kind.value} workbook: {', '.join(sorted(unknown))}")
        first = spec.table.first_data_row
        measures = [Measure(first + i, {f.key: r.get(f.key, f.empty) for f in spec.table.columns}, spec.table)
                    for i, r in enumerate(rows)]
        org_code = header_values.get("org_code") or None
        return cls(path=path, kind=kind.value, schema_version=layout.version, org_code=org_code,
                   fiscal_year=fiscal_year, round=round, header=header_values, measures=measures,
                   framework=framework, layout=layout)

    @property
    def valid(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(p.is_error for p in self.problems)

    @property
    def spec(self) -> TemplateSpec | None:
        if self.framework is None or self.layout is None or self.kind not in {k.value for k in Kind}:
            return None
        return self.layout.spec(self.kind, self.framework)

    def plan_fingerprint(self) -> str:
        """SHA-256 of the office, fiscal year and planned measures: the same for a measures
        workbook and every progress workbook generated from it."""
        return plan_fingerprint(self.org_code or "", self.fiscal_year, [m.plan() for m in self.measures])

    def to_frame(self):
        """A pandas DataFrame: one row per measure, office columns first, then plan (and progress) columns."""
        import pandas as pd

        office = {"org_code": self.org_code, "fiscal_year": self.fiscal_year}
        if self.kind == Kind.PROGRESS.value:
            office["round"] = self.round
        spec = self.spec
        keys = ["row", *(f.key for f in spec.table.columns)] if spec else ["row"]
        rows = []
        for m in self.measures:
            row = office | {"row": m.row} | m.values
            if row.get("status") is not None:
                row["status"] = row["status"].value
            rows.append(row)
        return pd.DataFrame(rows, columns=list(office) + keys)


class _Context:
    """Collects problems for one file."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, code: str, sheet: str | None = None, cell: str | None = None, /, **params: Any) -> None:
        self.problems.append(P.make(code, self.path, sheet, cell, **params))


# --------------------------------------------------------------------------- value coercion


def coerce(f: Field, cell: Cell | None, ctx: _Context, sheet: str, ref: str, fiscal_year: int | None = None) -> Any:
    """The typed value of one input cell, reporting problems of form.

    What every cell goes through is here (a formula, an error value, characters no text may
    hold, blank text); the rest is the field's type's (:meth:`itaxl.fieldtypes.FieldType.read`).
    Returns None for an empty cell or one whose value cannot be used.
    """
    if cell is None:
        return None
    if cell.formula is not None:
        ctx.add("formula-in-cell", sheet, ref, formula=_shown("=" + cell.formula) if cell.formula else "=…")
        return None
    if cell.error is not None:
        ctx.add("error-value-in-cell", sheet, ref, value=_shown(cell.error))
        return None
    value = cell.value
    if value is None:
        return None
    invalid = invalid_characters(value) if isinstance(value, str) else ""
    if invalid:
        ctx.add("text-invalid-character", sheet, ref, codes=", ".join(sorted({f"U+{ord(c):04X}" for c in invalid})))
        value = without_invalid_characters(value)
    if isinstance(value, str) and is_blank(value):
        return None
    return f.type.read(f, value, ctx, sheet, ref, fiscal_year)


def resolve_choice(f: Field, text: str, framework: Framework) -> object | None:
    """The canonical value of a dropdown cell after alias mapping, or None."""
    if f.choices == "indicator":
        return framework.resolve_indicator(text)
    if f.choices == "status":
        return resolve_status(text)
    if f.choices == "grade":
        return framework.rating.normalise(text)
    raise KeyError(f.choices)


SAID_BACK = frozenset({"status", "grade"})
"""The dropdowns whose typed wording is said back in a note (``choice-typed``): a wording such as
ดำเนินการแล้ว names a status only loosely, while an indicator's number or name names it exactly."""


def choice_label(f: Field, resolved: object, framework: Framework) -> str:
    """A canonical dropdown value as the dropdown writes it."""
    if f.choices == "indicator":
        return framework.indicator(resolved).label  # type: ignore[arg-type, union-attr]
    if f.choices == "status":
        return STATUS_LABELS[resolved]  # type: ignore[index]
    return str(resolved)


# --------------------------------------------------------------------------- identity & fingerprint


def _read_metadata(pkg: XlsxPackage, ctx: _Context) -> Metadata | None:
    info = pkg.sheet(SHEET_META)
    if info is None:
        ctx.add("not-itaxl")
        return None
    data = pkg.read_sheet(SHEET_META, MANIFEST_FIRST_ROW + MAX_MANIFEST_CELLS, 2)
    values: dict[str, str] = {}
    for row in range(1, MANIFEST_FIRST_ROW - 1):
        key, value = data.get(row, 0), data.get(row, 1)
        if key is not None and isinstance(key.value, str) and key.value in META_KEYS:
            values[key.value] = canonical(value.value) if value else ""
    if values.get("format") != META_MARKER:
        ctx.add("not-itaxl")
        return None
    marker = data.get(MANIFEST_FIRST_ROW - 1, 0)
    manifest: list[tuple[str, str, str]] = []
    if marker is None or marker.value != MANIFEST_MARKER:
        ctx.add("metadata-edited", SHEET_META, f"A{MANIFEST_FIRST_ROW - 1}", detail="locked-cell list is missing")
    else:
        chunks = []
        for row in range(MANIFEST_FIRST_ROW, MANIFEST_FIRST_ROW + MAX_MANIFEST_CELLS):
            cell = data.get(row, 0)
            if cell is None or not isinstance(cell.value, str):
                break
            chunks.append(cell.value)
        try:
            manifest = parse_manifest(chunks)
        except ValueError as exc:
            ctx.add("metadata-edited", SHEET_META, f"A{MANIFEST_FIRST_ROW}", detail=f"locked-cell list: {exc}")
    fields = {k: values.get(k, "") for k in META_KEYS}
    return Metadata(**fields, manifest=manifest)


def _check_fingerprint(pkg: XlsxPackage, meta: Metadata, ctx: _Context, key: bytes | None,
                       spec: TemplateSpec) -> None:
    """The metadata must match its digest, and every locked cell must hold what was recorded."""
    if meta.fingerprint_mode not in ("sha256", "hmac-sha256"):
        ctx.add("metadata-edited", SHEET_META, None, detail=f"unknown fingerprint mode {meta.fingerprint_mode!r}")
    elif meta.fingerprint_mode == "hmac-sha256" and key is None:
        ctx.add("fingerprint-unverified", SHEET_META, None)
    elif meta.fingerprint_mode == "sha256" and key is not None:
        ctx.add("metadata-edited", SHEET_META, None,
                detail="the workbook is not signed with the key: it was not generated with --key-file")
    elif fingerprint(meta, key) != meta.fingerprint:
        ctx.add("metadata-edited", SHEET_META, None, detail="its fingerprint does not match its content")
    _check_manifest(pkg, meta, ctx, spec.table.name, spec.table.first_data_row)


def _check_manifest(pkg: XlsxPackage, meta: Metadata, ctx: _Context, table: str | None = None,
                    first_data_row: int = 0) -> None:
    """Compare every locked cell with the manifest.

    Locked rows of the table (a progress workbook's plan) are compared as rows, so
    that a deleted, inserted or reordered row is reported as such, not as dozens of
    changed cells.
    """
    cells: dict[str, list[tuple[int, int, str, str]]] = {}
    for sheet, ref, value in meta.manifest:
        at = split_ref(ref)
        if at is None:
            ctx.add("metadata-edited", SHEET_META, None, detail=f"bad cell reference {ref!r}")
            continue
        cells.setdefault(sheet, []).append((*at, ref, value))
    for sheet, entries in cells.items():
        if pkg.sheet(sheet) is None:
            ctx.add("sheet-missing", sheet, None, name=sheet)
            continue
        in_rows = sheet == table
        row_wise = [e for e in entries if in_rows and e[0] >= first_data_row]
        cell_wise = [e for e in entries if not (in_rows and e[0] >= first_data_row)]
        max_row = max(e[0] for e in entries) + (_INSERT_MARGIN if row_wise else 0)
        data = pkg.read_sheet(sheet, max_row, max(e[1] for e in entries) + 1)
        for row, col, ref, expected in cell_wise:
            found = _found(data.get(row, col))
            if manifest_value(found) != expected:
                ctx.add("locked-cell-changed", sheet, ref, expected=_shown(shown_value(expected)),
                        found=_shown(found))
        if row_wise:
            _compare_rows(sheet, row_wise, data, first_data_row, ctx)


_INSERT_MARGIN = 50  # rows read past the end of a locked table, to see inserted rows


def _found(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return "=" + cell.formula if cell.formula is not None else canonical(cell.value)


def _compare_rows(sheet: str, entries: list[tuple[int, int, str, str]], data: SheetData, first: int,
                  ctx: _Context) -> None:
    import difflib

    cols = sorted({e[1] for e in entries})
    by_row: dict[int, dict[int, str]] = {}
    for row, col, _ref, value in entries:
        by_row.setdefault(row, {})[col] = value
    expected = [tuple(by_row[r].get(c, "") for c in cols) for r in sorted(by_row)]
    last = max(by_row) + _INSERT_MARGIN
    texts = [tuple(_found(data.get(r, c)) for c in cols) for r in range(first, last + 1)]
    while texts and not any(texts[-1]):
        texts.pop()
    found = [tuple(manifest_value(v) for v in row) for row in texts]
    if found == expected:
        return
    shown_of = dict(zip(found, texts))

    def label(sig: tuple[str, ...]) -> str:
        """A row as a message shows it: its number and first texts (as found, when hashed)."""
        values = shown_of.get(sig, tuple(shown_value(v) for v in sig))
        return _shown(" · ".join(v for v in values[:4] if v)) or "(แถวว่าง / empty row)"

    if sorted(found) == sorted(expected):
        for i, (want, got) in enumerate(zip(expected, found)):
            if want != got:
                ctx.add("locked-rows-reordered", sheet, f"A{first + i}", expected=label(want), found=label(got))
        return
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(common):
            for c, want, got, text in zip(cols, expected[i1 + k], found[j1 + k], texts[j1 + k]):
                if want != got:
                    ctx.add("locked-cell-changed", sheet, cell_ref(first + j1 + k, c),
                            expected=_shown(shown_value(want)), found=_shown(text))
        for i in range(i1 + common, i2):
            ctx.add("locked-row-deleted", sheet, f"A{first + j1 + common}", row=first + i, text=label(expected[i]))
        for j in range(j1 + common, j2):
            ctx.add("locked-row-inserted", sheet, f"A{first + j}", text=label(found[j]))


def _check_protection(spec: TemplateSpec, sheets: dict[str, SheetData], ctx: _Context) -> None:
    for name in (spec.form.name, spec.table.name):
        data = sheets.get(name)
        if data is not None and not data.protected:
            ctx.add("protection-removed", name, None)


def _check_merged(spec: TemplateSpec, sheets: dict[str, SheetData], last: int, ctx: _Context) -> None:
    """A merged range laid over input cells hides what they hold: an error at its first input cell."""
    form, table = spec.form, spec.table
    form_cells = {split_ref(form.cell_of(f.key)) for f in form.fields}
    table_cols = {column_index(table.letter_of(f.key)) for f in table.input_columns}
    for name, data in ((form.name, sheets[form.name]), (table.name, sheets[table.name])):
        for r1, c1, r2, c2 in data.merged:
            if name == form.name:
                hit = sorted(rc for rc in form_cells if rc and r1 <= rc[0] <= r2 and c1 <= rc[1] <= c2)
            else:
                rows = range(max(r1, table.first_data_row), min(r2, last) + 1)
                hit = [(r, c) for r in rows for c in sorted(table_cols) if c1 <= c <= c2][:1]
            if hit:
                ctx.add("merged-over-input", name, cell_ref(*hit[0]), range=f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}")


# --------------------------------------------------------------------------- the whole workbook


def read_workbook(path: str | os.PathLike, *, key: bytes | None = None, limits: Limits = DEFAULT_LIMITS,
                  catalogue: Catalogue = SHIPPED) -> Submission:
    """Open a workbook and read everything the schema defines.  Never raises for bad data.

    ``catalogue`` holds the frameworks given with ``--framework`` besides the shipped ones;
    the workbook is read with the one its metadata names.
    The raw bytes go through :func:`itaxl.guard.inspect` first; any exception from
    parsing becomes a problem carrying the parser's message.
    """
    name = os.fspath(path)
    ctx = _Context(shown(name))
    sub = Submission(path=shown(name), source=name)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            finding = too_large(size, limits)  # named by its real size, and never read
            data = b"" if finding else fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        ctx.add("file-missing", detail=exc.strerror or str(exc))
        sub.problems = ctx.problems
        return sub
    if finding is None:
        sub.size, sub.sha256 = len(data), hashlib.sha256(data).hexdigest()
        finding = inspect(data, limits)
    else:
        sub.size = size
    if finding is not None:
        ctx.add(finding[0], **finding[1])
        sub.problems = ctx.problems
        return sub
    try:
        with XlsxPackage(io.BytesIO(data)) as pkg:
            _read_package(pkg, sub, ctx, key, catalogue)
    except XlsxError as exc:
        ctx.problems = [p for p in ctx.problems if p.code != "not-itaxl"]
        ctx.add(exc.code, detail=str(exc))
    except (ValueError, OverflowError) as exc:
        # What a damaged value raises when it is converted (a number or date out of range, text
        # that is not UTF-8). The package and its XML are XlsxError already; anything else is a
        # bug in itaxl and is not dressed up as a problem of the file.
        ctx.add("file-unreadable", detail=f"{type(exc).__name__}: {exc}"[:300])
    sub.problems = ctx.problems
    return sub


def _read_package(pkg: XlsxPackage, sub: Submission, ctx: _Context, key: bytes | None,
                  catalogue: Catalogue) -> None:
    meta = _read_metadata(pkg, ctx)
    if meta is None:
        return
    sub.meta = meta
    sub.kind, sub.schema_version = meta.kind, meta.schema_version
    sub.modified = pkg.core_modified()
    if meta.kind not in {k.value for k in Kind}:
        ctx.add("unknown-kind", SHEET_META, "B2", kind=meta.kind)
        return
    sub.layout = layout_of(meta.schema_version, catalogue.layouts)
    if sub.layout is None:
        ctx.add("unknown-schema-version", SHEET_META, "B3", version=meta.schema_version,
                supported=", ".join(supported_versions(catalogue.layouts)))
        return
    sub.fiscal_year = int(meta.fiscal_year) if meta.fiscal_year.isdigit() else None
    sub.org_code = meta.org_code or None
    sub.round = int(meta.round) if meta.round.isdigit() else None
    # The table and the locked cells are the same under every framework: check them first.
    _check_fingerprint(pkg, meta, ctx, key, sub.layout.spec(meta.kind, default_framework()))
    sub.framework = _framework(meta, sub.fiscal_year, ctx, catalogue)
    if sub.framework is None:
        return
    spec = sub.layout.spec(meta.kind, sub.framework)
    sheets: dict[str, SheetData] = {}
    missing = [s for s in (spec.form.name, spec.table.name) if pkg.sheet(s) is None]
    for name in missing:
        ctx.add("sheet-missing", name, None, name=name)
    if missing:
        return
    form_rows = spec.form.row_of(spec.form.fields[-1].key)
    sheets[spec.form.name] = pkg.read_sheet(spec.form.name, form_rows, 2)
    rows = int(meta.rows) if meta.rows.isdigit() else spec.default_rows
    rows = min(rows, MAX_TABLE_ROWS)
    last = spec.table.first_data_row + rows - 1
    sheets[spec.table.name] = pkg.read_sheet(spec.table.name, last, len(spec.table.columns))
    _check_protection(spec, sheets, ctx)
    _check_merged(spec, sheets, last, ctx)
    _read_form(spec, sheets[spec.form.name], sub, ctx)
    sub.measures = _read_table(spec, sheets[spec.table.name], last, sub, ctx)


def _framework(meta: Metadata, fiscal_year: int | None, ctx: _Context, catalogue: Catalogue) -> Framework | None:
    """The framework a workbook was made with: the one its metadata names by SHA-256, or, for a
    workbook made before frameworks were recorded, the one of the year its plan analyses."""
    if meta.framework_sha256:
        found = catalogue.by_sha(meta.framework_sha256)
        if found is None:
            given = ", ".join(f"{os.path.basename(f.origin)}: {f.short}" for f in catalogue.given)
            ctx.add("framework-mismatch" if given else "framework-unknown", SHEET_META, None,
                    year=meta.framework_year or "?", sha=meta.framework_sha256[:8], given=given)
        return found
    if fiscal_year is None:
        return default_framework()  # the metadata is damaged, and already reported
    try:
        return catalogue.for_plan(fiscal_year)
    except UsageError:
        ctx.add("framework-unknown", SHEET_META, None, year=assessed_year(fiscal_year),
                sha="ไม่ได้บันทึก / not recorded", given="")
        return None


def _field_value(f: Field, cell: Cell | None, sheet: str, ref: str, sub: Submission, ctx: _Context) -> Any:
    """Coerce one input cell and map a dropdown value to its canonical form."""
    value = coerce(f, cell, ctx, sheet, ref, sub.fiscal_year)
    if f.choices is not None and value is not None:
        resolved = resolve_choice(f, value, sub.framework)
        if resolved is None:
            ctx.add("invalid-choice", sheet, ref, value=_shown(value), label=f.label_th, label_en=f.label_en)
        elif f.choices in SAID_BACK and (label := choice_label(f, resolved, sub.framework)) != str(value).strip():
            # pasted or typed past the dropdown: read, and said, so the office sees what itaxl understood
            ctx.add("choice-typed", sheet, ref, value=_shown(value), parsed=label, label=f.label_th,
                    label_en=f.label_en)
        value = resolved
    return value


def _read_form(spec: TemplateSpec, data: SheetData, sub: Submission, ctx: _Context) -> None:
    form = spec.form
    for f in form.fields:
        value = _field_value(f, data.get(form.row_of(f.key), 1), form.name, form.cell_of(f.key), sub, ctx)
        if isinstance(value, tuple):  # a period typed where one date belongs: keep its end
            value = value[1]
        sub.header[f.key] = value
    if sub.org_code is None and sub.header.get("org_code"):
        from .registry import normalise_code

        sub.org_code = normalise_code(sub.header["org_code"]) or str(sub.header["org_code"])


def _read_table(spec: TemplateSpec, data: SheetData, last: int, sub: Submission, ctx: _Context) -> list[Measure]:
    table = spec.table
    columns = list(enumerate(table.columns))
    inputs = [(col, f) for col, f in columns if f.is_input]
    measures: list[Measure] = []
    for row in range(table.first_data_row, last + 1):
        # A measures table has free rows: an untouched one is no measure.  A progress
        # table has exactly one row per planned measure.
        if not spec.fixed_rows and not any(_filled(data.get(row, col)) for col, _ in inputs):
            continue
        values = {f.key: _field_value(f, data.get(row, col), table.name, cell_ref(row, col), sub, ctx)
                  for col, f in columns}
        # A period typed into one date cell ("ต.ค. 66 – ก.ย. 67"): it fills an empty end too.
        if isinstance(values.get("start"), tuple):
            values["start"], period_end = values["start"]
            if values.get("end") is None:
                values["end"] = period_end
        for key in ("end", "done_date"):
            if isinstance(values.get(key), tuple):
                values[key] = values[key][1]
        measures.append(Measure(row, {f.key: f.empty if values[f.key] is None else values[f.key]
                                      for f in table.columns}, table))
    return measures


def _filled(cell: Cell | None) -> bool:
    if cell is None:
        return False
    if cell.formula is not None:
        return True
    return not (cell.value is None or (isinstance(cell.value, str) and is_blank(cell.value)))
