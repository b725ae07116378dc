"""Writing output files so that nothing is ever half-written, lost or left behind.

A file is written to a temporary file beside it, named ``.itaxl-tmp-<pid>-…`` (a
name only itaxl uses), and renamed into place when complete.  On an error or an
interrupt (Ctrl-C, SIGTERM) the temporary file is removed; a run killed outright
(SIGKILL) leaves it, and the next write into that folder removes it once the
process that made it is gone.  Without ``force`` the rename refuses to replace a
file, so two runs writing the same output cannot both succeed.

Several outputs of one run (a consolidated workbook, its CSV tables and its JSON)
are published together with :func:`together`: each is written and synced to its
temporary file first, and only when all of them are complete are they renamed
into place, so a full disk half-way leaves none of them.

A full disk, a quota, a read-only file system or a missing permission is an
:class:`OutputError` naming the output and the cause (exit 2), never a bug.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
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
        tmp = target.parent / temp_name(target.name)
        fh = open(tmp, "xb")
    except OSError as exc:
        raise OutputError(f"{shown(target)}: cannot write here ({exc.strerror or exc})") from None
    try:
        try:
            with fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            if exc.errno not in WRITE_ERRORS:
                raise
            raise OutputError(f"{shown(target)}: cannot be written ({exc.strerror or exc}); "
                              "nothing was left half-written") from None
        if _GROUPS:
            _GROUPS[-1].append((tmp, target, force))
        else:
            _publish(tmp, target, force)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG,
                          errno.EIO})
"""The errors of a write that are the machine's state, not a bug: full disk, quota, read-only, permission."""

NAME_MAX = 255
"""The longest file name, in bytes, that the usual file systems take (ext4, XFS, NTFS via UTF-16)."""


def fit_name(name: str, limit: int = NAME_MAX) -> str:
    """``name`` shortened, when its UTF-8 bytes exceed ``limit``, to a prefix of whole
    characters, a stable hash of the whole name and the same extension."""
    encoded = os.fsencode(name)
    if len(encoded) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(os.fsencode(ext)) > 16:
        stem, ext = name, ""
    suffix = "-" + hashlib.sha256(encoded).hexdigest()[:10] + ("." + ext if ext else "")
    room = limit - len(os.fsencode(suffix))
    cut = os.fsencode(stem)[:room].decode("utf-8", "ignore")  # whole characters only
    return cut + suffix


def temp_name(name: str) -> str:
    """The temporary name for writing ``name``: itaxl's mark, this process, a random part, and
    as much of ``name`` as keeps it within the file system's limit."""
    prefix = f"{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}-"
    return prefix + fit_name(name, NAME_MAX - len(prefix))


_GROUPS: list[list[tuple[Path, Path, bool]]] = []


@contextlib.contextmanager
def together() -> Iterator[list[Path]]:
    """Publish every :func:`atomic_write` inside this block at its end, all or none.

    Each output is complete and synced in its temporary file before any is renamed into
    place; an error before that removes them all.  The list yielded is filled, at the
    end, with the paths published, in the order they were written.
    """
    pending: list[tuple[Path, Path, bool]] = []
    published: list[Path] = []
    _GROUPS.append(pending)
    try:
        yield published
    except BaseException:
        for tmp, _, _ in pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    finally:
        _GROUPS.remove(pending)
    for i, (tmp, target, force) in enumerate(pending):
        try:
            _publish(tmp, target, force)
        except BaseException:
            for rest, _, _ in pending[i:]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(rest)
            raise
        published.append(target)


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
    """Refuse an output that is an input, that is not a regular file (a folder, a pipe, a
    device), or that exists when ``force`` is off.

    Inputs are compared by the file they are (device and inode), never by resolving their
    paths, so an input folder holding a link loop costs nothing here.
    """
    try:
        st = os.stat(target)
    except OSError:
        return  # nothing there yet (or nothing reachable): no input can be it
    for item in inputs:
        try:
            other = os.stat(item)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            raise OutputError(f"{shown(target)}: the output would overwrite an input file")
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{shown(target)}: is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{shown(target)}: is not a regular file (a pipe, socket or device); "
                          "choose another output")
    if not force:
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
