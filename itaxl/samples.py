"""Sample workbooks built from readable sources (``samples/source/*.json``).

Each source holds one office's content, taken from a real report: the office
cells, the header values and rows of its measures, and — where the report gives
results — the answers of its progress report, as the office wrote them.
:func:`build` generates the office's templates and fills them through
:func:`itaxl.fill.fill`, which writes only unlocked cells: the same path as a
person typing in Excel.

A source looks like this (every key but ``office`` and ``measures`` optional)::

    {"office": "6311805",                  # a register code: the office's own template
     "measures": {"fiscal_year": 2566, "saved": "2022-12-20T03:00:00Z",
                  "header": {...}, "rows": [{...}, ...]},
     "progress": {"round": 6, "saved": "...", "header": {...}, "rows": [{...}, ...]},
     "variants": [{"file": "resubmitted/...", "of": "progress", "saved": "...",
                   "header": {...}, "rows": {"8": {...}}},          # changed answers
                  {"file": "broken/...", "of": "progress", "saved": "...",
                   "tamper": {"sheet": "...", "cell": "E12", "value": "..."}},
                  {"file": "broken/...", "of": "measures", "saved": "...",
                   "template_version": "0"}]}

``office`` may instead be the office cells typed into the blank template
(``{"org_type": ..., "org_name": ...}``), for an office whose report does not
match the register; its workbooks are then named by ``file_code`` (``measures-2566-prachak.xlsx``).  Progress rows are the answers of the measures in order.  A
value for a date field written ``YYYY-MM-DD`` is entered as a date; any other text
is entered as typed text, as offices do.  ``saved`` (UTC) is the moment the office
saved the file: it stamps the workbook, so the samples are byte-identical on every
build, and it decides which of two submissions is the later one.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from . import registry, templates
from .atomic import write_bytes
from .cells import set_text
from .errors import ItaxlError
from .fill import fill, save
from .metadata import META_KEYS
from .reader import read_workbook
from .framework import SHIPPED
from .fieldtypes import Date
from .schema import SHEET_META, Kind, TemplateSpec, spec_for

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
SOURCE_DIR = SAMPLES_DIR / "source"
INBOX_DIR = SAMPLES_DIR / "inbox"
ROSTER = SAMPLES_DIR / "roster.csv"
"""The sample submissions, as central staff would receive them: only workbooks."""


ASSUMED = "assumed"
"""A source row's list of the fields whose values its seed does not give: the sample assumes
them (a status for a report with no status column), and says so here, row by row."""


def _typed(spec: TemplateSpec, values: dict[str, Any], *, table: bool) -> dict[str, Any]:
    fields = {f.key: f for f in (spec.table.columns if table else spec.form.fields)}
    out = {}
    for key, value in values.items():
        if key == ASSUMED:
            if not set(value) <= fields.keys():
                raise ItaxlError(f"unknown field in {ASSUMED!r} of a sample source: {value}")
            continue
        if key not in fields:
            raise ItaxlError(f"unknown field {key!r} in a sample source")
        if isinstance(fields[key].type, Date) and isinstance(value, str) and _ISO.match(value):
            value = datetime.date.fromisoformat(value)
        out[key] = value
    return out


def _saved(section: dict[str, Any]) -> datetime.datetime:
    text = section.get("saved")
    if not text:
        raise ItaxlError("a sample section needs 'saved' (when the office saved the file, UTC)")
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def load_source(path: str | os.PathLike) -> dict[str, Any]:
    """One sample source, parsed."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ItaxlError(f"{path}: cannot read the sample source ({exc})") from None


def _office(source: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The code for the office's own template (or None: the blank one) and the office cells to type."""
    office = source["office"]
    if isinstance(office, str):
        return office, {}
    return None, dict(office)


def build_measures(source: dict[str, Any], output: str | os.PathLike) -> Path:
    """Fill the office's measures template from a source's ``measures`` section."""
    section = source["measures"]
    code, typed_office = _office(source)
    with tempfile.TemporaryDirectory() as tmp:
        template = templates.measures(code, section["fiscal_year"], Path(tmp) / "template.xlsx")
        header = typed_office | section.get("header", {})
        spec = spec_for(Kind.MEASURES, SHIPPED.for_plan(section["fiscal_year"]))
        return fill(template, output,
                    header=_typed(spec, header, table=False),
                    rows=[_typed(spec, row, table=True) for row in section.get("rows", [])],
                    saved=_saved(section))


def build_progress(source: dict[str, Any], measures: str | os.PathLike, output: str | os.PathLike,
                   *, section: dict[str, Any] | None = None) -> Path:
    """Fill the progress template made from the office's measures workbook with the ``progress`` answers.

    The template is made from the measures as read back — the same plan rows and
    fingerprint as ``itaxl template progress`` — but without refusing a measures
    workbook that has errors: the seeds' offices published their reports with their
    mistakes, and the samples keep them.
    """
    section = section or source["progress"]
    sub = read_workbook(measures)
    if not sub.measures:
        raise ItaxlError(f"{measures}: no measures to report on")
    data = templates.build_progress_for(sub, section["round"])
    with tempfile.TemporaryDirectory() as tmp:
        template = write_bytes(Path(tmp) / "template.xlsx", data)
        spec = spec_for(Kind.PROGRESS, sub.framework)
        return fill(template, output,
                    header=_typed(spec, section.get("header", {}), table=False),
                    rows=[_typed(spec, row, table=True) for row in section.get("rows", [])],
                    saved=_saved(section))


def _variant_section(source: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
    """The base section with the variant's header values and per-row changes applied."""
    return _changed(source[variant["of"]], variant) | {"saved": variant["saved"]}


def _edit_package(path: Path, edits: list[tuple[str, str, Any]], saved: datetime.datetime) -> Path:
    """Change cells whatever their protection, as someone who unprotected the sheet would."""
    import openpyxl

    like = path.read_bytes()
    book = openpyxl.load_workbook(path)
    for sheet, cell, value in edits:
        if isinstance(value, str):
            set_text(book[sheet][cell], value)
        else:
            book[sheet][cell].value = value
    return save(book, path, saved=saved, like=like)


def build_variant(source: dict[str, Any], variant: dict[str, Any], measures: Path, output: Path) -> Path:
    """A second submission of one of the office's workbooks: resubmitted, tampered or on an old template."""
    section = _variant_section(source, variant)
    saved = _saved(variant)
    if variant["of"] == "measures":
        path = build_measures(source | {"measures": section}, output)
    else:
        path = build_progress(source, measures, output, section=section)
    edits = []
    if tamper := variant.get("tamper"):
        value = tamper["value"]
        if isinstance(value, str) and _ISO.match(value):
            value = datetime.date.fromisoformat(value)
        edits.append((tamper["sheet"], tamper["cell"], value))
    if version := variant.get("template_version"):
        row = META_KEYS.index("schema_version") + 1
        edits.append((SHEET_META, f"B{row}", version))
    return _edit_package(path, edits, saved) if edits else path


def sources(source_dir: str | os.PathLike = SOURCE_DIR) -> list[Path]:
    """The sample sources, one per office, in order of their names."""
    found = sorted(Path(source_dir).glob("*.json"))
    if not found:
        raise ItaxlError(f"no sample sources (*.json) in {source_dir}")
    return found


def build(source_dir: str | os.PathLike = SOURCE_DIR, out_dir: str | os.PathLike = INBOX_DIR) -> list[Path]:
    """Every sample workbook from every source in ``source_dir``, into ``out_dir``; their paths."""
    out = Path(out_dir)
    written = []
    for path in sources(source_dir):
        source = load_source(path)
        measures, *progress = _build_office(source, out)
        written += [measures, *progress]
        for variant in source.get("variants", []):
            written.append(build_variant(source, variant, measures, out / variant["file"]))
    return written


def file_name(source: dict[str, Any], kind: str) -> str:
    """The name of a source's measures or progress workbook: ``progress-2566-6311805-r6.xlsx``."""
    code = source["office"] if isinstance(source["office"], str) else source["file_code"]
    round_ = source["progress"]["round"] if kind == "progress" else None
    return templates.file_name_for(kind, code, source["measures"]["fiscal_year"], round_)


def _build_office(source: dict[str, Any], out: Path) -> list[Path]:
    """An office's measures workbook and, when its source has one, its progress workbook."""
    measures = build_measures(source, out / file_name(source, "measures"))
    if "progress" not in source:
        return [measures]
    return [measures, build_progress(source, measures, out / file_name(source, "progress"))]


def _changed(section: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A section with header values and per-row changes applied; a row one past the end is added."""
    rows = [dict(r) for r in section.get("rows", [])]
    for index, row_changes in sorted(changes.get("rows", {}).items(), key=lambda item: int(item[0])):
        if int(index) == len(rows):  # a measure the plan lacked
            rows.append({})
        rows[int(index)].update(row_changes)
    return section | {"header": section.get("header", {}) | changes.get("header", {}), "rows": rows}


CORRECTED_DIR = SAMPLES_DIR / "corrected"
"""Each sample office's workbooks with its mistakes fixed (``corrected`` in its source): they
validate with no error and no warning (with :data:`ADDED_OFFICES`), so a rule that fires on
them is wrong or too loose."""
ADDED_OFFICES = SAMPLES_DIR / "offices-added.csv"
"""The sample office the register lacks (seed 000's อบต.ประจักษ์), with the code its corrected
workbooks give it: ``itaxl --offices samples/offices-added.csv``."""


def corrected_source(source: dict[str, Any]) -> dict[str, Any]:
    """The source with its ``corrected`` changes applied to the measures and progress sections."""
    return source | {name: _changed(source[name], changes)
                     for name, changes in source["corrected"].items() if name != "notes"}


def build_corrected(source_dir: str | os.PathLike = SOURCE_DIR,
                    out_dir: str | os.PathLike = CORRECTED_DIR) -> list[Path]:
    """The corrected workbooks of every source that has ``corrected`` changes; their paths."""
    written = []
    with registry.offices_added(ADDED_OFFICES):
        for path in sources(source_dir):
            source = load_source(path)
            if "corrected" in source:
                written += _build_office(corrected_source(source), Path(out_dir))
    return written


TEMPLATES_DIR = SAMPLES_DIR.parent / "templates"
BLANK_FISCAL_YEAR = 2570  # the fiscal year of the committed blank template (1 Oct 2569 – 30 Sep 2570)
EXAMPLE_SOURCE = "6311805.json"  # the progress example is made from this office's corrected measures


def build_templates(out_dir: str | os.PathLike = TEMPLATES_DIR,
                    source_dir: str | os.PathLike = SOURCE_DIR) -> list[Path]:
    """The ready-to-send templates: a blank measures template and an example progress template.

    The progress example is what an office receives for its 6-month report: the plan of
    a sample office's corrected measures, locked, with empty answer cells.
    """
    out = Path(out_dir)
    blank = templates.measures(None, BLANK_FISCAL_YEAR,
                               out / templates.file_name_for("measures", None, BLANK_FISCAL_YEAR))
    source = corrected_source(load_source(Path(source_dir) / EXAMPLE_SOURCE))  # an example without the seed's slips
    with tempfile.TemporaryDirectory() as tmp:
        measures = build_measures(source, Path(tmp) / "measures.xlsx")
        sub = read_workbook(measures)
    data = templates.build_progress_for(sub, 6)
    name = templates.file_name_for("progress", sub.org_code, sub.fiscal_year or 0, 6).replace(".xlsx", "-example.xlsx")
    return [blank, write_bytes(out / name, data)]


def main() -> None:  # pragma: no cover - the maintainers' regeneration entry point
    """``python -m itaxl.samples``: rebuild samples/inbox/, samples/corrected/ and templates/*.xlsx from their sources."""
    for path in build() + build_corrected() + build_templates():
        print(path.relative_to(SAMPLES_DIR.parent))


if __name__ == "__main__":  # pragma: no cover
    main()
