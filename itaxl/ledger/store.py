"""The ledger's stored files: each received file once, by its SHA-256, never changed.

A file is written to a temporary name, synced, renamed to ``ab/abcdef….xlsx`` and its folder
synced, all before the database row that names it commits: a file the ledger acknowledged
always has its bytes.  A run killed half-way leaves at most a temporary file or a stored file
no row names; :meth:`FileStore.sweep` removes both, under the store's lock, when no other
writer is at work.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
from pathlib import Path
from typing import Callable, Iterable, Iterator

PART = ".part"
LOCK_NAME = ".lock"
SUFFIX = ".xlsx"


class FileStore:
    """A folder of files named by their SHA-256."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.parts = self.root / "incoming"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}{SUFFIX}"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    @contextlib.contextmanager
    def writing(self, when_alone: Callable[[], None]) -> Iterator[None]:
        """Held while a run stores files; writers share it and run side by side.  A run that
        finds no other writer at work first calls ``when_alone`` (to sweep what an
        interrupted run left) before letting others in."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_NAME, "a+b") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fcntl.flock(fh, fcntl.LOCK_SH)
            else:
                when_alone()
                fcntl.flock(fh, fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        """Held by a run that must see no writer at work (sweeping, verifying): waits for them."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_NAME, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def put(self, data: bytes, sha256: str) -> Path:
        """Store ``data`` (whose SHA-256 the caller has computed) and return where it is."""
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("the bytes to store do not have the SHA-256 they were read with")
        final = self.path(sha256)
        if final.is_file() and final.stat().st_size == len(data):
            return final
        self.parts.mkdir(parents=True, exist_ok=True)
        part = self.parts / f"{sha256[:16]}-{os.getpid()}-{secrets.token_hex(4)}{PART}"
        try:
            with open(part, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            final.parent.mkdir(exist_ok=True)
            os.replace(part, final)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        _sync_dir(final.parent)
        return final

    def stored(self) -> Iterator[tuple[str, Path]]:
        """(SHA-256, path) of every stored file."""
        for folder in sorted(self.root.glob("[0-9a-f][0-9a-f]")):
            for path in sorted(folder.glob(f"*{SUFFIX}")):
                yield path.name[: -len(SUFFIX)], path

    def sweep(self, known: Iterable[str]) -> tuple[int, int]:
        """Remove what interrupted runs left: (temporary files, stored files no row names).
        Call it only from :meth:`alone` or as :meth:`writing`'s ``when_alone``."""
        parts = 0
        if self.parts.is_dir():
            for part in self.parts.glob(f"*{PART}"):
                part.unlink(missing_ok=True)
                parts += 1
        known = set(known)
        orphans = 0
        for sha, path in self.stored():
            if sha not in known:
                path.unlink(missing_ok=True)
                orphans += 1
        return parts, orphans


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
