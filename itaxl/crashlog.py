"""Where a bug in itaxl leaves its traceback: a log file in the temporary folder.

The terminal gets one line naming the log; the traceback goes to the file, so a
person can send it with a report.  Used by the CLI for a bug that stops a run,
and by the batch reader for a bug that costs one file only.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import traceback

from . import __version__
from .inputs import shown


def write(context: str = "") -> str:
    """Write the traceback of the exception being handled to a new log file; its path.

    ``context`` (for instance the file being checked) is written above the traceback.
    """
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, path = tempfile.mkstemp(prefix=f"itaxl-error-{stamp}-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(f"itaxl {__version__}, Python {sys.version.split()[0]}\n")
        fh.write("command: " + " ".join(map(shown, sys.argv)) + "\n")
        if context:
            fh.write(context + "\n")
        fh.write("\n" + traceback.format_exc())
    return path
