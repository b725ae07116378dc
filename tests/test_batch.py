"""Reading many files: order kept, a crash costs one file and a few fresh pools."""

from __future__ import annotations

import concurrent.futures
import os
import shutil

from itaxl import batch


def test_a_crash_is_found_by_halving(tmp_path, measures_valid, monkeypatch):
    paths = []
    for i in range(64):
        path = tmp_path / f"{i:02d}.xlsx"
        shutil.copy(measures_valid, path)
        paths.append(str(path))
    culprit = paths[41]
    original = batch._read_one

    def fragile(task):
        if task[0] == culprit:
            os._exit(3)  # what a segfault in a parsing library looks like to the pool
        return original(task)

    pools = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(batch, "_read_one", fragile)  # inherited by the forked workers
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    subs = list(batch.read_many(paths, jobs=2))
    assert [s.path for s in subs] == paths  # in input order
    crashed = [s.path for s in subs if s.problems and s.problems[0].code == "file-unreadable"]
    assert crashed == [culprit] and all(s.valid for s in subs if s.path != culprit)
    assert 2 <= len(pools) <= 2 * 6 + 1  # halving: about two pools per halving of 64, not one per file


def test_one_process_reads_in_order(tmp_path, measures_valid):
    paths = [str(shutil.copy(measures_valid, tmp_path / f"{i}.xlsx")) for i in range(3)]
    assert [s.path for s in batch.read_many(paths)] == paths
