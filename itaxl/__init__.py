"""itaxl: ITA integrity measures and progress reports of Thai local government, as checked spreadsheets.

The command-line verbs have Python twins:

* ``itaxl template measures`` → :func:`itaxl.templates.measures`
* ``itaxl template progress`` → :func:`itaxl.templates.progress`
* ``itaxl validate`` → :func:`itaxl.validate` (and :func:`itaxl.read` for the data)
* ``itaxl validate --annotate`` → :func:`itaxl.annotate`
* ``itaxl merge`` → :func:`itaxl.merge`
* ``itaxl report`` → :func:`itaxl.report`
"""

__version__ = "0.1.0"

from .errors import ItaxlError  # noqa: E402
from .problems import Problem, Severity  # noqa: E402

__all__ = ["__version__", "ItaxlError", "Problem", "Severity", "annotate", "merge", "read", "report", "validate"]

# The verbs are functions here; the modules that do the work are named for what they own
# (rules, consolidation, annotation), so importing one never replaces a verb.


def read(path, *, key=None, limits=None, catalogue=None, skip=()):
    """Read and validate one workbook: a :class:`itaxl.reader.Submission` with its problems.

    ``key`` verifies an HMAC-signed fingerprint; ``limits`` (:class:`itaxl.guard.Limits`)
    raises the guard's size limits for an unusual but honest file; ``catalogue``
    (:class:`itaxl.framework.Catalogue`, e.g. ``Catalogue.of(["ita-2571.toml"])``) adds
    frameworks to the shipped ones, as ``--framework`` does; ``skip`` names rule codes or
    families not to check, as ``--skip`` does (``itaxl.rules.RULES`` lists them).
    """
    from .framework import SHIPPED
    from .guard import DEFAULT_LIMITS
    from .rules import Checklist, read as _read

    return _read(path, key=key, limits=limits or DEFAULT_LIMITS, catalogue=catalogue or SHIPPED,
                 checklist=Checklist(tuple(skip)))


def validate(path, *, key=None, limits=None, catalogue=None, skip=()):
    """The list of :class:`Problem` of one workbook (empty when it is clean)."""
    return read(path, key=key, limits=limits, catalogue=catalogue, skip=skip).problems


def merge(paths, *, skip=(), **options):
    """Read, validate and consolidate submissions: a :class:`itaxl.consolidation.MergeResult`;
    see :func:`itaxl.consolidation.merge`.  ``skip`` as for :func:`read`."""
    from .consolidation import merge as _merge
    from .rules import Checklist

    return _merge(paths, checklist=Checklist(tuple(skip)), **options)


def annotate(path, output, *, key=None, limits=None, force=True, catalogue=None, skip=()):
    """Write an annotated copy of a workbook for its office; see :func:`itaxl.annotation.annotate`."""
    from .annotation import annotate as _annotate

    return _annotate(read(path, key=key, limits=limits, catalogue=catalogue, skip=skip), output, force=force)


def report(path, output, *, pdf=False, thai_digits=True, force=True, catalogue=None):
    """Render a filled workbook as the document its office publishes; see :mod:`itaxl.official`.

    Returns ``(paths, problems)``: the Word document written (``output``, a .docx), the .pdf
    beside it when ``pdf``, and the workbook's problems.
    Numbers and dates are in Thai digits unless ``thai_digits`` is False, as ``itaxl report
    --arabic-digits`` asks.  With ``pdf`` and no LibreOffice, the document is written and
    :class:`itaxl.libreoffice.OfficeMissingError` is raised.
    """
    from pathlib import Path

    from . import libreoffice, official
    from .framework import SHIPPED

    written, problems = official.render(path, output, thai_digits=thai_digits, force=force,
                                        catalogue=catalogue or SHIPPED)
    paths = [written]
    if pdf:
        paths.append(libreoffice.convert(written, "pdf", Path(written).parent, force=force,
                                         thai_numerals=thai_digits))
    return paths, problems
