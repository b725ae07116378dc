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

# Load the submodule first: defining the function below then keeps the name
# ``itaxl.validate`` for the function (the module stays importable by its path).
from . import validate as _validate_module  # noqa: E402,F401
from . import merge as _merge_module  # noqa: E402,F401  (same reason: ``itaxl.merge`` is the function)

__all__ = ["__version__", "ItaxlError", "Problem", "Severity", "annotate", "merge", "read", "report", "validate"]


def read(path, *, key=None, limits=None):
    """Read and validate one workbook: a :class:`itaxl.reader.Submission` with its problems.

    ``key`` verifies an HMAC-signed fingerprint; ``limits`` (:class:`itaxl.guard.Limits`)
    raises the guard's size limits for an unusual but honest file.
    """
    from .guard import DEFAULT_LIMITS

    return _validate_module.read(path, key=key, limits=limits or DEFAULT_LIMITS)


def validate(path, *, key=None, limits=None):
    """The list of :class:`Problem` of one workbook (empty when it is clean)."""
    return read(path, key=key, limits=limits).problems


def merge(paths, **options):
    """Read, validate and consolidate submissions: a :class:`MergeResult` (``_merge_module.merge``)."""
    return _merge_module.merge(paths, **options)


def annotate(path, output, *, key=None, limits=None, force=True):
    """Write an annotated copy of a workbook for its office; see :func:`itaxl.annotate.annotate`."""
    from .annotate import annotate as _annotate

    return _annotate(read(path, key=key, limits=limits), output, force=force)


def report(path, output, *, pdf=False, thai_digits=False, force=True):
    """Render a filled workbook as the document its office publishes; see :mod:`itaxl.official`.

    Returns ``(paths, problems)``: the .xlsx written (and the .pdf beside it when ``pdf``)
    and the workbook's problems.  With ``pdf`` and no LibreOffice, the .xlsx is written
    and :class:`itaxl.office.OfficeMissingError` is raised.
    """
    from pathlib import Path

    from . import office, official

    written, problems = official.render(path, output, thai_digits=thai_digits, force=force)
    paths = [written]
    if pdf:
        paths.append(office.convert(written, "pdf", Path(written).parent, force=force))
    return paths, problems
