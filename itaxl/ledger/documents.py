"""Versions of a document and which one counts; decisions and what they may change.

A *document* is what an office owes for one kind, fiscal year and round (``round`` 0 for
measures).  Every file received for it is a version, numbered from 1.  Which version counts
(:func:`counted`):

* a rejected version never counts, nor one itaxl could not check;
* the newest by the date the office sent it counts (the upload time, a file's modification
  time, or ``ledger add --received``), the version number breaking a tie;
* except that an approved version stays the counted one until a newer version is itself
  decided (approved or has-issues): a resubmission nobody looked at yet does not displace
  what staff approved.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from .tables import DECISIONS

APPROVED, HAS_ISSUES, REJECTED = DECISIONS
CHECKED, UNREADABLE, FAILED = "checked", "unreadable", "failed"


@dataclasses.dataclass(frozen=True)
class Version:
    """One stored submission, as the ledger's row describes it."""

    id: int
    sha256: str
    org_code: str | None
    kind: str | None
    fiscal_year: int | None
    round: int
    version: int | None
    name: str
    folder: str
    source: str
    sent_at: str
    received_at: str
    state: str
    outcome: str | None
    errors: int
    warnings: int
    decision: str | None
    decided_by: str | None
    decided_at: str | None
    note: str | None

    @property
    def document(self) -> tuple | None:
        """(office, kind, fiscal year, round), or None for a file that names no office."""
        if self.version is None:
            return None
        return (self.org_code, self.kind, self.fiscal_year, self.round)

    @property
    def valid(self) -> bool:
        return self.state == CHECKED and self.outcome != "errors"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def counted(versions: Iterable[Version]) -> Version | None:
    """The version of one document that status and merge count (see the module docstring)."""
    usable = [v for v in versions if v.state == CHECKED and v.decision != REJECTED]
    if not usable:
        return None
    newest_first = sorted(usable, key=lambda v: (v.sent_at, v.version or 0), reverse=True)
    approved = next((v for v in newest_first if v.decision == APPROVED), None)
    if approved is None:
        return newest_first[0]
    for v in newest_first:
        if v is approved:
            return v
        if v.decision is not None:  # a newer version staff have decided about
            return v
    return approved


def current_versions(versions: Iterable[Version]) -> dict[tuple, Version]:
    """The counted version of every document, by document."""
    by_document: dict[tuple, list[Version]] = {}
    for v in versions:
        if v.document is not None:
            by_document.setdefault(v.document, []).append(v)
    found = {doc: counted(vs) for doc, vs in by_document.items()}
    return {doc: v for doc, v in sorted(found.items(), key=lambda item: tuple(map(str, item[0]))) if v is not None}


class DecisionRefused(ValueError):
    """A decision that may not be made about this version (the message says why)."""


def check_decision(v: Version, decision: str) -> None:
    """Refuse a decision the version's state does not allow."""
    if decision not in DECISIONS:
        raise DecisionRefused(f"unknown decision {decision!r}: one of {', '.join(DECISIONS)}")
    if v.state != CHECKED:
        raise DecisionRefused(f"version {v.version or '-'} of {v.name} is {v.state}: only a checked file is decided")
    if decision == APPROVED and v.outcome == "errors":
        raise DecisionRefused(f"version {v.version} of {v.name} has {v.errors} errors: it cannot be approved "
                              "(mark it has-issues, or reject it)")
    if v.decision == decision:
        raise DecisionRefused(f"version {v.version} of {v.name} is already {decision}")
