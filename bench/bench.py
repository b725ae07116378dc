"""Benchmark: `itaxl merge` against the naive pandas baseline, side by side, on one corpus.

    python bench/bench.py                      # 8,000 offices (corpus built once, then reused)
    python bench/bench.py --offices 300 --runs 3
    python bench/bench.py --offices 300 --runs 3 --writers   # + tables written through XlsxWriter

itaxl: read + validate (with --jobs processes), consolidate, write the workbook.
Baseline: for each file ``pandas.read_excel(sheet_name=None)`` with openpyxl, then
``pd.concat`` and ``DataFrame.to_excel`` of the same long tables, in one process.
Each is run in a fresh subprocess so that its peak RSS is its own.  Prints the
wall time of each phase (median over --runs), the CPU seconds of the whole run
(workers included: on a shared machine a steadier figure than wall time), files/s,
peak RSS and the ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_ITAXL = r"""
import json, resource, sys, time
from itaxl import consolidation as M
from itaxl.batch import read_many
from itaxl.inputs import walk
corpus, out, jobs, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
t0 = time.perf_counter()
files = walk([corpus]).files
subs = list(read_many(files, jobs=jobs, keep_manifest=False))
t1 = time.perf_counter()
entries = [M.FileEntry(s, mtime=M._mtime(s.source)) for s in subs]
M.resolve(entries)
M.settle_offices(entries, None)
result = M.consolidate(entries, None)
t2 = time.perf_counter()
from itaxl.consolidated import write_consolidated
write_consolidated(result, out, rows=rows)
t3 = time.perf_counter()
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({"files": len(files), "read_validate": t1 - t0, "consolidate": t2 - t1, "write": t3 - t2,
                  "total": t3 - t0, "cpu": cpu, "rss_mb": max(own.ru_maxrss, children.ru_maxrss) / 1024,
                  "measures": result.summary["measures_out"]}))
"""

_BASELINE = r"""
import json, resource, sys, time
import pandas as pd
from itaxl.inputs import walk
corpus, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
files = walk([corpus]).files
frames = []
for f in files:
    sheets = pd.read_excel(f, sheet_name=None, engine="openpyxl")
    frames.append(sheets["ผลการดำเนินการ"])
t1 = time.perf_counter()
table = pd.concat(frames, ignore_index=True)
t2 = time.perf_counter()
with pd.ExcelWriter(out) as writer:
    table.to_excel(writer, sheet_name="ผลการดำเนินการ", index=False)
t3 = time.perf_counter()
own = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"files": len(files), "read_validate": t1 - t0, "consolidate": t2 - t1, "write": t3 - t2,
                  "total": t3 - t0, "cpu": own.ru_utime + own.ru_stime, "rss_mb": own.ru_maxrss / 1024,
                  "measures": len(table)}))
"""


def _run(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offices", type=int, default=8000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="runs of each side (medians are printed)")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--writers", action="store_true",
                        help="also run itaxl with the tables written cell by cell through XlsxWriter")
    args = parser.parse_args()
    corpus = args.corpus or ROOT / "bench" / f"corpus-{args.offices}"
    if not corpus.is_dir():
        sys.path.insert(0, str(ROOT / "bench"))
        import corpus as corpus_module

        print(f"building corpus of {args.offices} offices in {corpus} …", flush=True)
        corpus_module.build(args.offices, corpus, args.jobs)
    with tempfile.TemporaryDirectory() as tmp:
        sides = {"itaxl": (_ITAXL, [str(corpus), f"{tmp}/itaxl.xlsx", str(args.jobs), "xml"])}
        if args.writers:
            sides["itaxl-xw"] = (_ITAXL, [str(corpus), f"{tmp}/itaxl-xw.xlsx", str(args.jobs), "xlsxwriter"])
        if not args.no_baseline:
            sides["baseline"] = (_BASELINE, [str(corpus), f"{tmp}/baseline.xlsx"])
        results: dict[str, list[dict]] = {name: [] for name in sides}
        for _ in range(args.runs):  # interleaved, so that machine noise hits both sides alike
            for name, (code, argv) in sides.items():
                results[name].append(_run(code, *argv))
    print(f"corpus: {corpus} ({args.offices} offices), jobs={args.jobs}, runs={args.runs} (medians)")
    print(f"{'':10}{'read+validate':>14}{'consolidate':>12}{'write':>8}{'total':>8}{'CPU s':>8}{'files/s':>9}"
          f"{'peak MB':>9}")
    med = {name: _median(runs) for name, runs in results.items()}
    for name, m in med.items():
        print(f"{name:10}{m['read_validate']:14.1f}{m['consolidate']:12.1f}{m['write']:8.1f}{m['total']:8.1f}"
              f"{m['cpu']:8.1f}{m['files'] / m['total']:9.0f}{m['rss_mb']:9.0f}")
    if "itaxl-xw" in med:
        print(f"write, XlsxWriter cells / xlsxrows: {med['itaxl-xw']['write'] / med['itaxl']['write']:.2f}x")
    if "baseline" in med:
        print(f"ratio baseline/itaxl (total): {med['baseline']['total'] / med['itaxl']['total']:.2f}x")


if __name__ == "__main__":
    main()
