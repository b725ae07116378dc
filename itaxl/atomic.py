"""Writing output files so that nothing is ever half-written, lost or left behind.

A file is written to a temporary file beside it, named ``.itaxl-tmp-<pid>-…`` (a
name only itaxl uses), and renamed into place when complete.  On an error or an
interrupt (Ctrl-C, SIGTERM) the temporary file is removed; a run killed outright
(SIGKILL) leaves it, and the next write into that folder removes it once the
process that made it is gone.  Without ``force`` the rename refuses to replace a
file, so two runs writing the same output cannot both succeed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import IO, Iterator

from .errors import OutputError
from .inputs import TEMP_MARK, shown


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, *, force: bool = True, inputs: tuple = ()) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success fsync and rename it into place.

    On any exception the temporary file is removed and an existing ``path`` is left
    as it was.  ``force=False`` refuses to replace an existing file, also one that
    another run wrote meanwhile; ``path`` equal to one of ``inputs`` is always refused.
    A folder that cannot be written to is an :class:`OutputError` naming it.
    """
    target = Path(path)
    check_output(target, force=force, inputs=inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.parent not in _CLEANED:  # once per folder and process: a batch writes thousands
            remove_stale_temps(target.parent)
            _CLEANED.add(target.parent)
        tmp = target.parent / f"{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}-{target.name}"
        fh = open(tmp, "xb")
    except OSError as exc:
        raise OutputError(f"{shown(target)}: cannot write here ({exc.strerror or exc})") from None
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, target, force)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_CLEANED: set[Path] = set()


def _publish(tmp: Path, target: Path, force: bool) -> None:
    try:
        if force:
            os.replace(tmp, target)
            return
        os.link(tmp, target)  # unlike a rename, fails when the target exists: no run replaces another's file
    except FileExistsError:
        raise OutputError(f"{shown(target)}: was written meanwhile by another run "
                          "(use --force to replace it)") from None
    except OSError as exc:
        raise OutputError(f"{shown(target)}: cannot write here ({exc.strerror or exc})") from None
    os.unlink(tmp)


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
            raise OutputError(f"{shown(target)}: the output would overwrite an input file")
    if target.is_dir():
        raise OutputError(f"{shown(target)}: is a folder")
    if target.exists() and not force:
        raise OutputError(f"{shown(target)}: already exists (use --force to replace it)")


def remove_stale_temps(directory: Path) -> list[Path]:
    """Remove the temporary files that killed itaxl runs left in ``directory``; the removed ones."""
    removed = []
    try:
        names = [n for n in os.listdir(directory) if n.startswith(TEMP_MARK)]
    except OSError:
        return removed
    for name in names:
        pid = name[len(TEMP_MARK):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(directory / name)
                removed.append(directory / name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
