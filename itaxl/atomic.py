"""Writing output files so that nothing is ever half-written or lost."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from .errors import OutputError


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, *, force: bool = True, inputs: tuple = ()) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success fsync and rename it into place.

    On any exception the temporary file is removed and an existing ``path`` is left
    as it was.  ``force=False`` refuses to replace an existing file; ``path`` equal
    to one of ``inputs`` is always refused.
    """
    target = Path(path)
    check_output(target, force=force, inputs=inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an output is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: str | os.PathLike, data: bytes, *, force: bool = True, inputs: tuple = ()) -> Path:
    """Atomically write ``data`` to ``path``."""
    with atomic_write(path, force=force, inputs=inputs) as fh:
        fh.write(data)
    return Path(path)


def check_output(target: Path, *, force: bool, inputs: tuple = ()) -> None:
    """Refuse an output that is an input, or that exists when ``force`` is off."""
    resolved = target.resolve()
    for item in inputs:
        if Path(item).resolve() == resolved:
            raise OutputError(f"{target}: the output would overwrite an input file")
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists (use --force to replace it)")
