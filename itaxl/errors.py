"""Exceptions: itaxl cannot go on.

Wrong *data* in a workbook is never an exception — it is a
:class:`itaxl.problems.Problem`.  These are for the cases where itaxl itself
cannot do what was asked: an unknown office code at generation, an output path
that would overwrite an input, a source workbook with errors.
"""

from __future__ import annotations


class ItaxlError(Exception):
    """Base of every error itaxl raises on purpose.  The CLI prints it and exits 1
    (2 for the subclasses that mean itaxl cannot proceed with what it was given)."""

    exit_code = 1


class UsageError(ItaxlError):
    """The request itself is wrong (bad option values, unknown province)."""

    exit_code = 2


class UnknownOfficeError(UsageError):
    """An office code that is not in the register."""


class OutputError(ItaxlError):
    """An output cannot be written where asked (exists, equals an input, not writable)."""

    exit_code = 2


class SourceInvalidError(ItaxlError):
    """A workbook used as a source (e.g. measures for a progress template) has errors."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        """3 when the source could not be checked because of a bug in itaxl, else 1."""
        return 3 if any(p.code == "internal-error" for p in self.problems) else 1
