"""Reading many workbooks: in worker processes, in input order, a crash costing one file.

:func:`read_many` is what ``validate``, ``merge`` and ``template progress --from DIR``
use to read what :func:`itaxl.inputs.walk` found.  Results come back as an iterator
in the order of the paths, as soon as each is ready, so a report can be written
while the rest is still being read and memory does not grow with the batch.

Workers never outlive the run: on Linux each asks the kernel to end it when its
parent dies (``PR_SET_PDEATHSIG``), and elsewhere a watchdog thread notices the
parent is gone.  A worker that dies on a file (a crash in a parsing library) costs
that file only: what was not yet read is read again in halves, so finding the one
file that kills a process takes a few fresh pools, not one process per file.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import os
import signal
import sys
import threading
import time
from typing import Iterator, Sequence

from . import problems
from .problems import Severity
from .framework import SHIPPED, Catalogue
from .guard import DEFAULT_LIMITS, Limits
from .inputs import Found, Ignored, Refused, shown, walk
from .reader import Submission
from .rules import EVERY_RULE, Checklist

_Task = tuple[str, "bytes | None", Limits, bool, Catalogue, Checklist]

_PR_SET_PDEATHSIG = 1


def refused(entry: Refused) -> Submission:
    """The submission of an input entry that could not be read at all (a folder, a link)."""
    sub = Submission(path=shown(entry.path), source=entry.path)
    sub.problems = [problems.make(entry.code, sub.path, detail=entry.detail)]
    return sub


def crashed(path: str) -> Submission:
    """The submission of a file on which the reading process died."""
    sub = Submission(path=shown(path), source=path)
    sub.problems = [problems.make("file-unreadable", sub.path, detail="the reader process crashed on this file")]
    return sub


INTERNAL_ERROR = "internal-error"
"""The code of a file that itaxl could not check because of a bug in itaxl."""


def failed(path: str, log: str) -> Submission:
    """The submission of a file on which itaxl itself failed: one problem naming the log."""
    sub = Submission(path=shown(path), source=path)
    sub.problems = [problems.make(INTERNAL_ERROR, sub.path, log=log)]
    return sub


def has_failed(sub: Submission) -> bool:
    """Whether itaxl could not check this file (a bug, whose traceback is in a log)."""
    return any(p.code == INTERNAL_ERROR for p in sub.problems)


def read_one(path: str, *, key: bytes | None = None, limits: Limits = DEFAULT_LIMITS,
             catalogue: Catalogue = SHIPPED, checklist: Checklist = EVERY_RULE) -> Submission:
    """Read and check one file; a bug while doing so costs this file only.

    Whatever a rule or the reader raises becomes the file's ``internal-error`` problem,
    naming the log that holds the traceback, so the rest of a batch is checked as usual;
    the caller ends its run with exit 3 so that the bug is not hidden (:func:`has_failed`).
    """
    from . import crashlog, rules

    try:
        return rules.read(path, key=key, limits=limits, catalogue=catalogue, checklist=checklist)
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception:  # noqa: BLE001 - on purpose: a bug on one file must not cost the batch
        return failed(path, crashlog.write(f"file: {shown(path)}"))


def _read_one(task: _Task) -> Submission:
    path, key, limits, keep_manifest, catalogue, checklist = task
    sub = read_one(path, key=key, limits=limits, catalogue=catalogue, checklist=checklist)
    if sub.meta is not None and not keep_manifest:
        sub.meta.manifest = []  # not needed past validation; keeps results small to send back
    return sub


def _read_task(task: _Task) -> Submission:
    """What the pool runs: looks ``_read_one`` up when called, so a forked worker uses the
    reader its parent had (tests replace it to simulate a crashing parser)."""
    return _read_one(task)


def worker_init(parent: int) -> None:
    """Tie a worker's life to its parent's: killed with it, whatever kills the parent."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def read_many(paths: Sequence[str], *, jobs: int = 1, key: bytes | None = None,
              limits: Limits = DEFAULT_LIMITS, keep_manifest: bool = True,
              catalogue: Catalogue = SHIPPED, checklist: Checklist = EVERY_RULE) -> Iterator[Submission]:
    """Read and validate every file, in ``jobs`` processes; yields in the order of ``paths``.

    ``catalogue`` adds the frameworks given with ``--framework`` to the shipped ones;
    ``checklist`` skips the codes given with ``--skip``.  ``keep_manifest=False`` drops each workbook's cell manifest once it is checked (a
    merge does not need it; a progress template made from the workbook does).
    """
    tasks = [(p, key, limits, keep_manifest, catalogue, checklist) for p in paths]
    if jobs <= 1 or len(tasks) < 2:
        for task in tasks:
            yield _read_one(task)
        return
    yield from _pooled(tasks, jobs)


def read_found(found: Found, *, jobs: int = 1, key: bytes | None = None, limits: Limits = DEFAULT_LIMITS,
               keep_manifest: bool = True, catalogue: Catalogue = SHIPPED,
               checklist: Checklist = EVERY_RULE) -> Iterator[Submission]:
    """Every entry :func:`itaxl.inputs.walk` found that is not ignored, as a submission: the
    refused ones (with their problem) first, then the files read, in order."""
    yield from (refused(r) for r in found.refused)
    yield from read_many(found.files, jobs=jobs, key=key, limits=limits, keep_manifest=keep_manifest,
                         catalogue=catalogue, checklist=checklist)


def _pooled(tasks: list, jobs: int) -> Iterator[Submission]:
    """Read ``tasks`` in a pool; after a crash, the rest again in halves until the culprit is alone."""
    # Imported here: a run in one process (a single file) does without them (~25 ms).
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    chunk = max(1, min(64, len(tasks) // (jobs * 8)))
    pool = ProcessPoolExecutor(min(jobs, len(tasks)), initializer=worker_init, initargs=(os.getpid(),))
    try:
        for sub in pool.map(_read_task, tasks, chunksize=chunk):
            done += 1
            yield sub
        return
    except BrokenProcessPool:
        pass
    finally:  # also when the consumer stops early: nothing queued is read for nobody
        pool.shutdown(wait=True, cancel_futures=True)
    rest = tasks[done:]
    if len(rest) == 1:
        yield crashed(rest[0][0])
        return
    half = len(rest) // 2
    yield from _pooled(rest[:half], jobs)
    yield from _pooled(rest[half:], jobs)


class Tally:
    """The running account of a batch read: every entry found, and the problems counted.

    Filled one submission at a time (so a report can stream), it says at the end
    whether the batch is ``valid`` and gives the figures of the summary line:
    ``found = read + refused + ignored``.
    """

    def __init__(self, ignored: Sequence = (), skipped: Sequence[str] = ()):
        self.ignored = list(ignored)
        self.skipped = list(skipped)
        """The problem codes no rule reported, as asked (``--skip``)."""
        self.read = self.refused = self.valid_files = self.errors = self.warnings = self.notes = 0
        self.failed = 0

    def add(self, sub: Submission) -> None:
        if sub.kind is None:
            self.refused += 1
        else:
            self.read += 1
        self.valid_files += sub.valid
        self.failed += has_failed(sub)
        for p in sub.problems:
            self.errors += p.is_error
            self.warnings += p.is_warning
            self.notes += p.severity is Severity.INFO

    @property
    def files(self) -> int:
        return self.read + self.refused

    @property
    def valid(self) -> bool:
        """True when no file has an error."""
        return self.valid_files == self.files

    @property
    def stats(self) -> dict[str, int]:
        return {"found": self.files + len(self.ignored), "read": self.read, "refused": self.refused,
                "ignored": len(self.ignored), "files": self.files, "valid": self.valid_files,
                "invalid": self.files - self.valid_files, "errors": self.errors, "warnings": self.warnings,
                "notes": self.notes, "failed": self.failed}

    @property
    def exit_code(self) -> int:
        """3 when itaxl failed on some file (a bug), 1 when some file has errors, else 0."""
        return 3 if self.failed else 0 if self.valid else 1


def file_json(sub: Submission) -> dict:
    """One file's entry in the JSON report of ``itaxl validate``."""
    framework = sub.framework
    return {"path": sub.path, "kind": sub.kind, "org_code": sub.org_code, "fiscal_year": sub.fiscal_year,
            "framework": {"year": framework.year, "sha256": framework.sha256,
                          "status": framework.provenance.status} if framework else None,
            "valid": sub.valid, "problems": [p.to_dict() for p in sub.problems]}


@dataclasses.dataclass
class ValidationReport:
    """What ``itaxl validate`` reports, as a value: every file read or refused, every entry
    ignored, whether the batch is ``valid``, its ``stats``, and :meth:`to_json`.

    >>> report = validate_paths(["inbox/"], jobs=2)          # doctest: +SKIP
    >>> report.valid, report.stats["found"], report.to_json()  # doctest: +SKIP
    """

    files: list[Submission]
    tally: Tally

    @property
    def ignored(self) -> list[Ignored]:
        return self.tally.ignored

    @property
    def valid(self) -> bool:
        return self.tally.valid

    @property
    def stats(self) -> dict[str, int]:
        return self.tally.stats

    def to_dict(self) -> dict:
        return {"files": [file_json(s) for s in self.files], "ignored": [i.to_dict() for i in self.ignored],
                "skipped": self.tally.skipped, "summary": self.stats}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def validate_paths(paths: Sequence[str | os.PathLike], *, jobs: int = 1, key: bytes | None = None,
                   limits: Limits = DEFAULT_LIMITS, catalogue: Catalogue = SHIPPED,
                   checklist: Checklist = EVERY_RULE) -> ValidationReport:
    """Validate every entry under ``paths`` (the Python twin of ``itaxl validate``).

    The CLI streams the same report file by file; this collects it.  ``checklist``
    skips some rules' codes (``--skip``; :class:`itaxl.rules.Checklist`).
    """
    found = walk(paths)
    tally = Tally(found.ignored, checklist.skipped)
    files = list(read_found(found, jobs=jobs, key=key, limits=limits, catalogue=catalogue, checklist=checklist))
    for sub in files:
        tally.add(sub)
    return ValidationReport(files, tally)
