"""itaxl: ITA integrity measures and progress reports of Thai local government, as checked spreadsheets.

The command-line verbs have Python twins:

* ``itaxl template measures`` → :func:`itaxl.templates.measures`
* ``itaxl validate`` → :func:`itaxl.validate` (and :func:`itaxl.read` for the data)
"""

__version__ = "0.1.0"

from .errors import ItaxlError  # noqa: E402
from .problems import Problem, Severity  # noqa: E402

# Load the submodule first: defining the function below then keeps the name
# ``itaxl.validate`` for the function (the module stays importable by its path).
from . import validate as _validate_module  # noqa: E402,F401
from . import merge as _merge_module  # noqa: E402,F401  (same reason: ``itaxl.merge`` is the function)

__all__ = ["__version__", "ItaxlError", "Problem", "Severity", "annotate", "merge", "read", "validate"]


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
