"""Staff decisions about submissions, and an office's history.

``decide`` records approved, has-issues or rejected, with who, when and a note, on the
submission and in the audit (the audit keeps every decision ever made; the submission its
latest).  Which version it is about: by default the one that counts now for the office's
document of that kind, fiscal year and round; ``version=`` names another.
"""

from __future__ import annotations

import dataclasses
import json

import sqlalchemy as sa

from ..errors import UsageError
from ..registry import normalise_code
from ..schema import Kind
from .core import Ledger, default_actor, now, version_query
from .documents import DecisionRefused, Version, check_decision, counted, current_versions
from .tables import audit, submissions


def _office(org_code: str) -> str:
    code = normalise_code(org_code)
    if code is None:
        raise UsageError(f"{org_code!r} is not an office code (7 digits)")
    return code


def decide(ledger: Ledger, org_code: str, decision: str, *, kind: str = Kind.MEASURES.value,
           fiscal_year: int | None = None, round: int | None = None, version: int | None = None,
           note: str | None = None, actor: str | None = None) -> Version:
    """Record ``decision`` about one version of an office's document; the version as it now is.

    Refused (:class:`~itaxl.errors.UsageError`, naming why): an office, kind, year or round
    with no such document; a version that was not checked; approving a version with errors;
    a decision the version already has."""
    code = _office(org_code)
    kind = Kind(kind).value
    round_ = (round or 0) if kind == Kind.PROGRESS.value else 0
    if kind == Kind.PROGRESS.value and not round_:
        raise UsageError("a progress report is decided with its round: --round 6 or --round 12")
    actor = actor or default_actor()
    with ledger.writer.begin() as conn:
        where = [submissions.c.org_code == code, submissions.c.kind == kind, submissions.c.round == round_,
                 submissions.c.version.is_not(None)]
        if fiscal_year is not None:
            where.append(submissions.c.fiscal_year == fiscal_year)
        rows = [Version(*r) for r in conn.execute(version_query().where(*where).order_by(submissions.c.id))]
        if not rows:
            raise UsageError(f"the ledger holds no {kind} of office {code}"
                             + (f" for fiscal year {fiscal_year}" if fiscal_year else "")
                             + (f", round {round_}" if round_ else ""))
        years = sorted({v.fiscal_year for v in rows})
        if fiscal_year is None and len(years) > 1:
            raise UsageError(f"office {code} has a {kind} for fiscal years {', '.join(map(str, years))}: "
                             "say which with --fiscal-year")
        if version is None:
            chosen = counted(rows) or rows[-1]
        else:
            chosen = next((v for v in rows if v.version == version), None)
            if chosen is None:
                raise UsageError(f"office {code} has no version {version} of that {kind} "
                                 f"(it has {', '.join(str(v.version) for v in rows)})")
        try:
            check_decision(chosen, decision)
        except DecisionRefused as exc:
            raise UsageError(str(exc)) from None
        at = now()
        conn.execute(sa.update(submissions).where(submissions.c.id == chosen.id)
                     .values(decision=decision, decided_by=actor, decided_at=at, note=note))
        ledger.audit(conn, chosen.id, actor, "decided", chosen.decision, decision, note=note, at=at)
    return dataclasses.replace(chosen, decision=decision, decided_by=actor, decided_at=at, note=note)


@dataclasses.dataclass
class History:
    """Every version of every document of one office, with its audit: ``itaxl ledger history``."""

    org_code: str
    versions: list[Version]
    events: dict[int, list[dict]]
    counted: set[int]

    def to_dict(self) -> dict:
        documents: dict[tuple, list[dict]] = {}
        for v in self.versions:
            documents.setdefault((v.kind, v.fiscal_year, v.round), []).append(
                {**v.to_dict(), "counted": v.id in self.counted, "audit": self.events.get(v.id, [])})
        return {"org_code": self.org_code,
                "documents": [{"kind": k, "fiscal_year": y, "round": r or None, "versions": vs}
                              for (k, y, r), vs in documents.items()]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def history(ledger: Ledger, org_code: str) -> History:
    """The office's versions, oldest first within each document, and every change to each."""
    code = _office(org_code)
    versions = sorted(ledger.versions(submissions.c.org_code == code),
                      key=lambda v: (v.kind or "", v.fiscal_year or 0, v.round, v.version or 0, v.id))
    if not versions:
        raise UsageError(f"the ledger holds nothing from office {code}")
    events: dict[int, list[dict]] = {}
    with ledger.engine.connect() as conn:
        query = (sa.select(audit.c.submission_id, audit.c.at, audit.c.actor, audit.c.action, audit.c.before,
                           audit.c.after, audit.c.note)
                 .where(audit.c.submission_id.in_([v.id for v in versions])).order_by(audit.c.id))
        for sid, *rest in conn.execute(query):
            events.setdefault(sid, []).append(dict(zip(("at", "actor", "action", "before", "after", "note"), rest)))
    return History(code, versions, events, {v.id for v in current_versions(versions).values()})
