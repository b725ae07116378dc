"""The inputs of a run: every file under the paths given, each accounted for.

Central staff point itaxl at an inbox that e-mail and chat apps filled: workbooks,
but also ``.xls``, ``.ods``, PDFs, lock files, ``__MACOSX`` folders, links and names
in Windows Thai encoding.  :func:`walk` finds every entry once and sorts it into
exactly one of three lists:

* ``files`` — regular files to hand to the reader, which identifies each by its
  content (a PDF named ``.xlsx`` is refused there, with its ``file-*`` problem);
* ``refused`` — entries that cannot be read at all (an unreadable folder, a broken
  link, a link loop, a link that leaves the input tree), each as a problem naming it;
* ``ignored`` — entries no person would call a submission (lock files of Excel and
  LibreOffice, ``.DS_Store``, ``Thumbs.db``, itaxl's own outputs and temporary
  files), each with the reason.

>>> found = walk(["inbox/"])                          # doctest: +SKIP
>>> len(found.files), len(found.refused), found.ignored  # doctest: +SKIP

Paths are kept as the file system gives them (``str`` with surrogate escapes for
bytes that are not UTF-8); :func:`shown` is how they are written in any output.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
from pathlib import Path
from typing import Iterable

from .errors import UsageError

TEMP_MARK = ".itaxl-tmp-"
"""Temporary files of itaxl's atomic writes are named ``.itaxl-tmp-<pid>-<random>-<name>``."""

_OS_JUNK = {
    ".ds_store": "macOS folder settings (.DS_Store), not a document",
    "thumbs.db": "Windows thumbnail cache (Thumbs.db), not a document",
    "desktop.ini": "Windows folder settings (desktop.ini), not a document",
}


@dataclasses.dataclass(frozen=True)
class Ignored:
    """An entry that is not a submission, and why."""

    path: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"path": shown(self.path), "reason": self.reason}


@dataclasses.dataclass(frozen=True)
class Refused:
    """An entry that cannot be read at all: its problem code and what went wrong."""

    path: str
    code: str
    detail: str


@dataclasses.dataclass
class Found:
    """What :func:`walk` found: every entry in exactly one list, in a stable order."""

    files: list[str] = dataclasses.field(default_factory=list)
    refused: list[Refused] = dataclasses.field(default_factory=list)
    ignored: list[Ignored] = dataclasses.field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.files) + len(self.refused) + len(self.ignored)


def shown(path: str | os.PathLike) -> str:
    """A path as it is written in reports: valid UTF-8, bytes that are not UTF-8 as ``\\xNN``,
    and characters that could fake lines or reorder text on a terminal (control characters,
    bidi controls) escaped as ``\\n``, ``\\u202e``…"""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    return m.group().encode("unicode_escape").decode("ascii")


def ignore_reason(name: str) -> str | None:
    """Why a file of this name is not a submission, or None when it may be one."""
    lowered = name.lower()
    if lowered in _OS_JUNK:
        return _OS_JUNK[lowered]
    if name.startswith("~$"):
        return "Excel's lock file of an open workbook (~$…), not a document"
    if name.startswith(".~lock.") and name.endswith("#"):
        return "LibreOffice's lock file of an open document (.~lock.…#), not a document"
    if name.startswith("._"):
        return "macOS resource data copied from an archive (._…), not a document"
    if name.startswith(TEMP_MARK):
        return "itaxl's temporary file of a write under way or interrupted"
    return None


def walk(paths: Iterable[str | os.PathLike], *, outputs: Iterable[str | os.PathLike] = ()) -> Found:
    """Every entry under ``paths``, each read, refused or ignored; see the module docstring.

    A path that does not exist stops the run before anything is read or written
    (:class:`itaxl.errors.UsageError`).  ``outputs`` are files this run writes: found
    inside an input folder they are ignored, never read back as inputs.
    """
    paths = [os.fspath(p) for p in paths]
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(shown(p) for p in missing)}")
    own = {os.path.realpath(o) for o in outputs}  # files, and folders (annotated copies, CSV tables)
    found = Found()
    for path in paths:
        if os.path.isdir(path):
            root = os.path.realpath(path)
            _walk_dir(path, root, {_dir_id(path)}, own, found)
        else:
            _add_file(path, os.path.basename(path), own, found, named=True)
    return found


def _dir_id(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _walk_dir(path: str, root: str, ancestors: set[tuple[int, int]], own: set[str], found: Found) -> None:
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        found.refused.append(Refused(path, "path-unreadable", _why(exc)))
        return
    for entry in entries:
        if entry.is_symlink():
            _add_link(entry, root, ancestors, own, found)
        elif entry.is_dir(follow_symlinks=False):
            _add_dir(entry.path, entry.name, root, ancestors, own, found)
        else:
            _add_file(entry.path, entry.name, own, found)


def _add_dir(path: str, name: str, root: str, ancestors: set[tuple[int, int]], own: set[str],
             found: Found) -> None:
    if os.path.realpath(path) in own:
        found.ignored.append(Ignored(path, "an output folder of this run (its files are not inputs)"))
        return
    if name == "__MACOSX":
        found.ignored.append(Ignored(path, "macOS resource data copied from an archive (__MACOSX), not documents"))
        return
    try:
        ident = _dir_id(path)
    except OSError as exc:
        found.refused.append(Refused(path, "path-unreadable", _why(exc)))
        return
    if ident in ancestors:  # a bind mount or similar that leads back up the tree
        found.refused.append(Refused(path, "path-link-loop", "the folder contains itself"))
        return
    _walk_dir(path, root, ancestors | {ident}, own, found)


def _add_link(entry: os.DirEntry, root: str, ancestors: set[tuple[int, int]], own: set[str],
              found: Found) -> None:
    """A link in an input folder: followed when it stays in the tree and leads to a file."""
    path = entry.path
    try:
        target = os.readlink(path)
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            found.refused.append(Refused(path, "path-link-loop", f"the link leads to itself ({shown(target)})"))
        elif exc.errno == errno.ENOENT:
            found.refused.append(Refused(path, "path-link-broken", f"the link points to {shown(target)}, "
                                                                   "which does not exist"))
        else:
            found.refused.append(Refused(path, "path-unreadable", _why(exc)))
        return
    real = os.path.realpath(path)
    if os.path.commonpath([real, root]) != root:
        found.refused.append(Refused(path, "path-link-outside", f"the link leads out of the input folder, "
                                                                f"to {shown(real)}"))
        return
    if stat.S_ISDIR(st.st_mode):
        if (st.st_dev, st.st_ino) in ancestors:
            found.refused.append(Refused(path, "path-link-loop", f"the link leads back to {shown(real)}, "
                                                                 "a folder that contains it"))
        else:
            found.ignored.append(Ignored(path, f"a link to the folder {shown(real)}, which is read where it is"))
        return
    found.ignored.append(Ignored(path, f"a link to {shown(real)}, which is read where it is"))


def _add_file(path: str, name: str, own: set[str], found: Found, named: bool = False) -> None:
    if os.path.realpath(path) in own:
        found.ignored.append(Ignored(path, "written by this run (its output is not an input)"))
        return
    reason = None if named else ignore_reason(name)
    if reason is not None:
        found.ignored.append(Ignored(path, reason))
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        found.refused.append(Refused(path, "path-unreadable", _why(exc)))
        return
    if not stat.S_ISREG(mode):  # a pipe or device would block or never end
        found.ignored.append(Ignored(path, "not a regular file (a pipe, socket or device)"))
        return
    found.files.append(path)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def display_relative(path: str, bases: Iterable[str]) -> Path:
    """``path`` relative to the input folder it was found under (itself when named directly)."""
    real = Path(os.path.abspath(path))
    for base in bases:
        b = Path(os.path.abspath(base))
        if b in real.parents:
            return real.relative_to(b)
    return Path(real.name)


def read_option_file(path: str | os.PathLike, *, limit: int) -> bytes:
    """The bytes of a file named by an option (a framework, a key): refused with ``OSError``
    when it cannot be read, with ``ValueError`` saying why when it is not a regular file (a
    fifo would hang the run) or is larger than ``limit`` bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file (a pipe, socket or device)")
        if st.st_size > limit:
            raise ValueError(f"{st.st_size:,} bytes, more than such a file can be ({limit:,})")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)[:limit]
    finally:
        os.close(fd)
