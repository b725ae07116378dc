"""Sample workbooks built from readable sources (``samples/source/*.json``).

Each source holds one office's content, taken from a real report: the header
values and the rows of its measures, as the office wrote them.  :func:`build`
generates the office's template and fills it through :func:`itaxl.fill.fill`,
which writes only unlocked cells — the same path as a person typing in Excel.

In a source, a value for a date field written ``YYYY-MM-DD`` is entered as a
date; any other text is entered as typed text, as offices do.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from . import templates
from .errors import ItaxlError
from .fill import fill
from .schema import MEASURES, FieldType, TemplateSpec

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCE_DIR = Path(__file__).resolve().parent.parent / "samples" / "source"


def _typed(spec: TemplateSpec, values: dict[str, Any], *, table: bool) -> dict[str, Any]:
    fields = {f.key: f for f in (spec.table.columns if table else spec.form.fields)}
    out = {}
    for key, value in values.items():
        if key not in fields:
            raise ItaxlError(f"unknown field {key!r} in a sample source")
        if fields[key].type is FieldType.DATE and isinstance(value, str) and _ISO.match(value):
            value = datetime.date.fromisoformat(value)
        out[key] = value
    return out


def load_source(path: str | os.PathLike) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ItaxlError(f"{path}: cannot read the sample source ({exc})") from None


def build_measures(source: dict[str, Any], output: str | os.PathLike) -> Path:
    """Fill the office's measures template from a source's ``measures`` section."""
    section = source["measures"]
    with tempfile.TemporaryDirectory() as tmp:
        template = templates.measures(source["office"], section["fiscal_year"], Path(tmp) / "template.xlsx")
        return fill(template, output,
                    header=_typed(MEASURES, section.get("header", {}), table=False),
                    rows=[_typed(MEASURES, row, table=True) for row in section.get("rows", [])])


def build(source_dir: str | os.PathLike = SOURCE_DIR, out_dir: str | os.PathLike = "samples") -> list[Path]:
    """Every sample workbook from every source in ``source_dir``, into ``out_dir``."""
    sources = sorted(Path(source_dir).glob("*.json"))
    if not sources:
        raise ItaxlError(f"no sample sources (*.json) in {source_dir}")
    written = []
    for path in sources:
        source = load_source(path)
        if "measures" in source:
            fy = source["measures"]["fiscal_year"]
            name = templates.file_name_for("measures", source["office"], fy)
            written.append(build_measures(source, Path(out_dir) / name))
    return written
