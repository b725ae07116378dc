"""Benchmark: `itaxl validate` of a national batch, and templates for every office.

    python bench/batch.py --corpus /tmp/c8000          # corpus from bench/corpus.py
    python bench/batch.py --corpus /tmp/c8000 --runs 3 --templates

validate: the whole process, its JSON report streamed to /dev/null, with
``--jobs 1`` and ``--jobs 2`` run side by side (interleaved); wall time and the
peak RSS of the largest process (the report streams, so it should not grow with
the number of files).  Targets: 8,000 files, peak ≤ 300 MB.

--templates: ``itaxl template measures --all`` (7,849 offices) with ``--jobs 2``,
and the 209 offices of one province with ``--jobs 1`` and ``--jobs 2`` for the
ratio.  Target: all offices ≤ 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_MEASURED = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
with open("/dev/null", "wb") as sink:
    code = subprocess.call([sys.executable, "-m", "itaxl.cli", *sys.argv[1:]], stdout=sink, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "rss_mb": rss, "code": code}))
"""


def _measure(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _MEASURED, *args], capture_output=True, text=True, cwd=ROOT)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["code"] not in (0, 1):
        raise SystemExit(f"itaxl {' '.join(args)} failed with {result['code']}")
    return result


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def validate(corpus: Path, runs: int) -> None:
    files = sum(1 for p in corpus.rglob("*") if p.is_file())
    results: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(runs):
        for jobs in results:
            results[jobs].append(_measure("validate", str(corpus), "--format", "json", "--jobs", str(jobs)))
    print(f"validate {corpus} ({files} files), runs={runs} (medians)")
    for jobs, rs in results.items():
        wall = _median(rs, "wall")
        print(f"  --jobs {jobs}: {wall:6.1f} s  {files / wall:5.0f} files/s  peak {_median(rs, 'rss_mb'):5.0f} MB")
    print(f"  ratio jobs 1 / jobs 2: {_median(results[1], 'wall') / _median(results[2], 'wall'):.2f}x")


def templates(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        province: dict[int, list[dict]] = {1: [], 2: []}
        for i in range(runs):
            for jobs in province:
                out = f"{tmp}/p{jobs}-{i}"
                province[jobs].append(_measure("template", "measures", "--province", "บุรีรัมย์", "-y", "2567",
                                               "-o", out + "/", "--jobs", str(jobs)))
        start = time.perf_counter()
        every = _measure("template", "measures", "--all", "-y", "2567", "-o", f"{tmp}/all/", "--jobs", "2")
        count = len(os.listdir(f"{tmp}/all"))
    print(f"template measures, runs={runs} (medians)")
    for jobs, rs in province.items():
        print(f"  บุรีรัมย์ (209 offices) --jobs {jobs}: {_median(rs, 'wall'):5.1f} s")
    print(f"  ratio jobs 1 / jobs 2: {_median(province[1], 'wall') / _median(province[2], 'wall'):.2f}x")
    print(f"  --all ({count} offices) --jobs 2: {every['wall']:5.1f} s "
          f"({count / every['wall']:.0f} templates/s; {time.perf_counter() - start:.1f} s with clean-up)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder of submissions (bench/corpus.py)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--templates", action="store_true", help="also time templates for every office")
    args = parser.parse_args()
    if args.corpus:
        validate(args.corpus, args.runs)
    if args.templates:
        templates(args.runs)


if __name__ == "__main__":
    main()
