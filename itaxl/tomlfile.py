"""Commented TOML data files (ITA frameworks, workbook layouts), read with the line and key of
whatever in them is wrong."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from typing import Any, Mapping

from .errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib


class DataFileError(UsageError):
    """A data file that cannot be used, with the line and key at fault."""

    def __init__(self, path: str, message: str, *, line: int | None = None, key: str = ""):
        where = f"{path}" + (f", line {line}" if line else "") + (f", {key}" if key else "")
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.key = path, line, key


def parse(text: str, path: str, error: type[DataFileError], what: str) -> dict[str, Any]:
    """The data of a TOML text; ``error`` names the line when it is not TOML or nests too deeply."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise error(path, f"not valid TOML: {exc}", line=int(line[1]) if line else None) from None
    except RecursionError:  # tomllib recurses into nested arrays and tables
        raise error(path, f"not {what}: arrays or tables nested too deeply") from None


def content_sha256(data: Mapping[str, Any]) -> str:
    """The SHA-256 of a data file's content, not its text: keys sorted, no comments or spacing,
    so that editing a comment does not make it another file."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Source:
    """A data file's text, to name the line of a key when something in it is wrong."""

    def __init__(self, path: str, text: str, error: type[DataFileError] = DataFileError):
        self.path, self.lines, self.error = path, text.splitlines(), error

    def fail(self, message: str, key: str, table: str | None = None, index: int = 0) -> DataFileError:
        return self.error(self.path, message, line=self.line_of(key, table, index), key=key)

    def _inline(self, table: str, index: int) -> int | None:
        """The line of the ``index``-th inline table of an array such as ``bands = [ {…}, … ]``."""
        leaf = table.rsplit(".", 1)[-1]
        for number, line in enumerate(self.lines):
            if re.match(rf"^\s*{re.escape(leaf)}\s*=\s*\[", line):
                rows = [n for n in range(number + 1, len(self.lines)) if self.lines[n].lstrip().startswith("{")]
                return rows[index] + 1 if index < len(rows) else number + 1
        return None

    def line_of(self, key: str, table: str | None, index: int) -> int | None:
        """The line of ``key`` in the ``index``-th ``[table]`` / ``[[table]]`` (top level when None)."""
        leaf = key.rsplit(".", 1)[-1].split("[")[0]
        start, seen = 0, -1
        if table is not None:
            header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
            for number, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if seen == index:
                        start = number
                        break
            else:
                return self._inline(table, index)
        assignment = re.compile(rf"^\s*{re.escape(leaf)}\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if number > start and line.lstrip().startswith("[") and table is not None:
                return start + 1
            if table is None and line.lstrip().startswith("["):
                return None
            if assignment.match(line):
                return number + 1
        return start + 1 if table is not None else None


def get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], src: Source, where: str,
         table: str | None = None, index: int = 0, default: Any = ...) -> Any:
    if key not in data:
        if default is not ...:
            return default
        raise src.fail(f"{key!r} is missing", f"{where}{key}", table, index)
    value = data[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise src.fail(f"{key!r} must be {names}, not {value!r}", f"{where}{key}", table, index)
    return value


