"""Benchmark: the ledger's ingest, and a day's re-merge, beside a cold ``itaxl merge``.

    python bench/ledger.py                   # 8,000 offices (the corpus of bench.py, built once)
    python bench/ledger.py --offices 300 --runs 3

1. ingest: ``itaxl ledger add CORPUS --jobs N`` into a new SQLite ledger (files/s), and a cold
   ``itaxl merge CORPUS`` of the same files beside it;
2. a day's work: 100 resubmissions arrive, then ``itaxl ledger add NEW`` and ``itaxl ledger
   merge -o consolidated.xlsx`` of every office (target: at most 5 s together on 2 cores);
   peak RSS of the merge (target: at most 500 MB).

Each step runs as the real command in a fresh process; wall times are medians over --runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_TIMED = r"""
import resource, runpy, sys, time, json
sys.argv = ["itaxl"] + sys.argv[1:]
t = time.perf_counter()
try:
    runpy.run_module("itaxl", run_name="__main__")
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.perf_counter() - t, "rss_mb": max(own.ru_maxrss, kids.ru_maxrss) / 1024,
                  "code": code}), file=sys.stderr)
"""


def _itaxl(*args: str) -> dict:
    """Run one itaxl command in a fresh process: its wall time, peak RSS and exit code."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _TIMED, *args], capture_output=True, text=True, cwd=ROOT)
    outer = time.perf_counter() - t
    stats = json.loads(proc.stderr.strip().splitlines()[-1])
    if stats["code"] not in (0, 1):
        raise SystemExit(f"itaxl {' '.join(args)} failed:\n{proc.stderr}")
    return {**stats, "process": outer}


def _resubmissions(corpus: Path, out: Path, n: int, round_: int) -> None:
    """``n`` files of the corpus sent again: the same content in other bytes (a zip comment)."""
    out.mkdir(parents=True)
    for i, source in enumerate(sorted(corpus.rglob("*.xlsx"))[:n]):
        with zipfile.ZipFile(source) as src, zipfile.ZipFile(out / source.name, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info.filename))
            dst.comment = f"resubmitted, day {round_}, {i}".encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offices", type=int, default=8000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="days of 100 new files (medians are printed)")
    parser.add_argument("--new", type=int, default=100, help="files arriving each day")
    args = parser.parse_args()
    corpus = ROOT / "bench" / f"corpus-{args.offices}"
    if not corpus.is_dir():
        sys.path.insert(0, str(ROOT / "bench"))
        import corpus as corpus_module

        print(f"building corpus of {args.offices} offices in {corpus} …", flush=True)
        corpus_module.build(args.offices, corpus, args.jobs)
    files = sum(1 for _ in corpus.rglob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        ledger = ["--ledger", f"{tmp}/ledger"]
        cold = _itaxl("merge", str(corpus), "-o", f"{tmp}/cold.xlsx", "--jobs", str(args.jobs), "--quiet")
        ingest = _itaxl("ledger", "add", str(corpus), "--jobs", str(args.jobs), "--format", "json", *ledger)
        days = []
        for day in range(args.runs):
            new = Path(tmp) / f"day-{day}"
            _resubmissions(corpus, new, args.new, day)
            add = _itaxl("ledger", "add", str(new), "--jobs", str(args.jobs), "--format", "json", *ledger)
            merge = _itaxl("ledger", "merge", "-o", f"{tmp}/day-{day}.xlsx", "--force", *ledger)
            days.append({"add": add["process"], "merge": merge["process"], "total": add["process"] + merge["process"],
                         "merge_rss": merge["rss_mb"]})
    med = {k: statistics.median(d[k] for d in days) for k in days[0]}
    print(f"corpus: {corpus} ({args.offices} offices, {files} files), jobs={args.jobs}, days={args.runs} (medians)")
    print(f"cold itaxl merge:   {cold['process']:7.1f} s  {files / cold['process']:6.0f} files/s  "
          f"peak {cold['rss_mb']:.0f} MB")
    print(f"ledger add (all):   {ingest['process']:7.1f} s  {files / ingest['process']:6.0f} files/s  "
          f"peak {ingest['rss_mb']:.0f} MB")
    print(f"{args.new} new files: add {med['add']:.1f} s + merge {med['merge']:.1f} s = {med['total']:.1f} s "
          f"(target 5 s); merge peak {med['merge_rss']:.0f} MB (target 500 MB)")


if __name__ == "__main__":
    main()
