"""What a rule is: one check of a workbook's content, declared with what it says and reads.

A :class:`Rule` names the problem codes it may report, its family, the fields it
reads, the kinds of workbook it applies to and a one-line description in Thai and
English; its severity is its codes' (:data:`itaxl.problems.CATALOGUE`).  The rules
themselves live in :mod:`itaxl.rules` and :mod:`itaxl.textchecks`; the ordered list
that is applied, and :class:`itaxl.rules.Checklist` that skips some of them, in
:mod:`itaxl.rules`.

A rule runs on a :class:`itaxl.reader.Submission`, so it can be tried on one built in
memory (:meth:`itaxl.reader.Submission.build`) without writing a workbook::

    >>> from itaxl.rules import rule_named
    >>> rule = rule_named("evidence-links")
    >>> sub = Submission.build("progress", 2567, round=6, rows=[{"evidence_url": "www.x.go.th"}])  # doctest: +SKIP
    >>> [p.code for p in rule.check(sub)]                                                     # doctest: +SKIP
    ['url-invalid']
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from . import problems
from .problems import Problem
from .reader import Submission, _Context
from .schema import ROUNDS, Kind

__all__ = ["Rule", "rule", "REQUIRED", "FREE_TEXT", "LONG_TEXT", "TEXT", "SCORES"]

# What a rule reads when it is not one named field (``Rule.reads``):
REQUIRED = "<required>"
"""Every required field of the sheet it checks."""
FREE_TEXT = "<free text>"
"""Every input field an office writes words into."""
LONG_TEXT = "<long text>"
"""Every long-text input of the table."""
TEXT = "<text>"
"""Every free-text input, on the form and in the table."""
SCORES = "score_{number}"
"""Every indicator's score (the layout's field for each indicator)."""

Check = Callable[[Submission, _Context], None]


@dataclasses.dataclass(frozen=True)
class Rule:
    """One content rule of a workbook."""

    name: str
    """A stable slug naming the rule (``evidence-links``)."""
    family: str
    """The family it belongs to (``progress``); ``--skip FAMILY`` skips every rule of it."""
    codes: tuple[str, ...]
    """Every problem code it may report."""
    reads: tuple[str, ...]
    """The keys of the fields it reads (form or table)."""
    kinds: tuple[Kind, ...]
    """The kinds of workbook it applies to."""
    th: str
    en: str
    run: Check = dataclasses.field(repr=False, compare=False)
    needs_fiscal_year: bool = False
    """Applies only to a workbook whose fiscal year is known."""
    needs_round: bool = False
    """Applies only to a progress report whose round is known (and with it its fiscal year)."""

    def __post_init__(self) -> None:
        unknown = [c for c in self.codes if c not in problems.CATALOGUE]
        if unknown:
            raise ValueError(f"rule {self.name}: unknown problem codes {unknown}")

    @property
    def severities(self) -> tuple[str, ...]:
        """The severities of its codes, the gravest first (``("error", "warning")``)."""
        order = [s.value for s in problems.Severity]
        found = {problems.CATALOGUE[c].severity.value for c in self.codes}
        return tuple(s for s in order if s in found)

    def applies_to(self, sub: Submission) -> bool:
        """Whether the rule has anything to check in this submission."""
        spec = sub.spec
        if spec is None or not sub.header or spec.kind not in self.kinds:
            return False
        if (self.needs_fiscal_year or self.needs_round) and sub.fiscal_year is None:
            return False
        return not self.needs_round or sub.round in ROUNDS

    def check(self, sub: Submission) -> list[Problem]:
        """The problems this rule alone finds in ``sub`` (none when it does not apply)."""
        ctx = _Context(sub.path)
        if self.applies_to(sub):
            self.run(sub, ctx)
        return ctx.problems

    def to_dict(self) -> dict:
        return {"name": self.name, "family": self.family, "codes": list(self.codes),
                "severity": list(self.severities), "reads": list(self.reads),
                "kinds": [k.value for k in self.kinds], "th": self.th, "en": self.en}


def rule(name: str, *, family: str, codes: tuple[str, ...], reads: tuple[str, ...],
         kinds: tuple[Kind, ...] = tuple(Kind), th: str, en: str, needs_fiscal_year: bool = False,
         needs_round: bool = False) -> Callable[[Check], Rule]:
    """Declare the function below as a :class:`Rule`."""
    def declare(run: Check) -> Rule:
        return Rule(name, family, codes, reads, kinds, th, en, run, needs_fiscal_year, needs_round)
    return declare
