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

__all__ = ["__version__", "ItaxlError", "Problem", "Severity", "read", "validate"]


def read(path, *, key=None):
    """Read and validate one workbook: a :class:`itaxl.reader.Submission` with its problems."""
    return _validate_module.read(path, key=key)


def validate(path, *, key=None):
    """The list of :class:`Problem` of one workbook (empty when it is clean)."""
    return read(path, key=key).problems
