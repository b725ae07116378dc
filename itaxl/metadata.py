"""The hidden metadata sheet and the fingerprint of a workbook's locked content.

Every itaxl workbook carries a veryHidden sheet (:data:`itaxl.schema.SHEET_META`)
laid out as key/value rows, then a *manifest*: one row per locked cell (sheet,
cell, value).  The fingerprint is a digest of the metadata and the manifest:

* ``sha256`` (default): anyone can recompute it, so it catches honest mistakes and
  casual edits — a locked cell changed after removing protection is named by the
  manifest, and an edited metadata sheet no longer matches its digest;
* ``hmac-sha256`` (with a key file held by central staff): a forged metadata sheet
  cannot be given a matching digest without the key.

Values, not bytes, are fingerprinted: styling, column widths, comments and
re-saving in Excel or LibreOffice leave it unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import json
from pathlib import Path

META_MARKER = "itaxl-workbook"
MANIFEST_MARKER = "locked-cells"
MANIFEST_FIRST_ROW = 24  # 1-based; key/value rows sit above it
MANIFEST_CHUNK = 30000   # characters per cell (Excel holds 32,767)

META_KEYS = (
    "format", "kind", "schema_version", "itaxl_version", "org_code", "fiscal_year",
    "round", "rows", "source_fingerprint", "fingerprint_mode", "fingerprint",
    "framework_year", "framework_sha256", "schema_sha256",
)
OPTIONAL_KEYS = frozenset({"framework_year", "framework_sha256", "schema_sha256"})
"""Keys a workbook made before they existed does not have: signed only when set, so that its
fingerprint still matches."""


@dataclasses.dataclass
class Metadata:
    """What the metadata sheet says about its workbook."""

    kind: str
    schema_version: str
    itaxl_version: str
    org_code: str = ""
    fiscal_year: str = ""
    round: str = ""
    rows: str = ""
    source_fingerprint: str = ""
    fingerprint_mode: str = "sha256"
    fingerprint: str = ""
    format: str = META_MARKER
    framework_year: str = ""
    framework_sha256: str = ""
    schema_sha256: str = ""
    """The SHA-256 of the layout's content (:attr:`itaxl.schema.Layout.sha256`)."""
    manifest: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)

    def items(self) -> list[tuple[str, str]]:
        return [(k, str(getattr(self, k))) for k in META_KEYS]

    def signed_fields(self) -> dict[str, str]:
        return {k: v for k, v in self.items()
                if k not in ("fingerprint", "itaxl_version") and (v or k not in OPTIONAL_KEYS)}


def manifest_cells(manifest: list[tuple[str, str, str]]) -> list[str]:
    """The manifest as JSON text split over cells of column A, from :data:`MANIFEST_FIRST_ROW`.

    One JSON document rather than a row per locked cell: a progress plan has hundreds
    of locked cells, and a few cells are much cheaper to read back than hundreds.
    """
    text = json.dumps([list(e) for e in manifest], ensure_ascii=False, separators=(",", ":"))
    return [text[i:i + MANIFEST_CHUNK] for i in range(0, len(text), MANIFEST_CHUNK)] or ["[]"]


def parse_manifest(chunks: list[str]) -> list[tuple[str, str, str]]:
    """The manifest from its cells; ValueError when it is not what itaxl wrote."""
    entries = json.loads("".join(chunks))
    if not isinstance(entries, list) or not all(
            isinstance(e, list) and len(e) == 3 and all(isinstance(x, str) for x in e) for e in entries):
        raise ValueError("not a list of [sheet, cell, value]")
    return [tuple(e) for e in entries]  # type: ignore[misc]


def canonical(value: object) -> str:
    """One text form for a cell value, the same whoever wrote or re-saved the file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


MANIFEST_TEXT_LIMIT = 40
HASHED_PREFIX = "sha256:"


def manifest_value(text: str) -> str:
    """How a locked cell's canonical value is recorded: itself when short, else a hash.

    The hash keeps the metadata sheet small (a progress plan would otherwise be stored
    twice) while still telling whether the cell changed.
    """
    if len(text) <= MANIFEST_TEXT_LIMIT:
        return text
    return HASHED_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def shown_value(recorded: str) -> str:
    """A recorded manifest value as a message shows it."""
    return "(ข้อความเดิม / the original text)" if recorded.startswith(HASHED_PREFIX) else recorded


def fingerprint(meta: Metadata, key: bytes | None = None) -> str:
    """Digest of the signed metadata fields and the manifest."""
    payload = json.dumps(
        {"meta": meta.signed_fields(), "locked": [list(entry) for entry in meta.manifest]},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    ).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def plan_fingerprint(org_code: str, fiscal_year: int | None, plan: list[dict[str, object]]) -> str:
    """SHA-256 of an office's planned measures: the same for its measures workbook and every
    progress workbook made from it."""
    payload = {"org_code": org_code, "fiscal_year": fiscal_year,
               "measures": [{k: canonical(v) for k, v in row.items()} for row in plan]}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def mode_for(key: bytes | None) -> str:
    return "sha256" if key is None else "hmac-sha256"


def load_key(path: str | Path | None) -> bytes | None:
    """Read a key file (its bytes, trailing whitespace stripped); None stays None."""
    if path is None:
        return None
    from .errors import UsageError
    from .inputs import read_option_file

    try:
        data = read_option_file(path, limit=1 << 16).strip()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the key file ({exc.strerror})") from None
    except ValueError as exc:
        raise UsageError(f"{path}: cannot be used as a key file: {exc}") from None
    if len(data) < 16:
        raise UsageError(f"{path}: a key file must hold at least 16 bytes of secret")
    return data
