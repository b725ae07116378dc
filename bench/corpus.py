"""A deterministic benchmark corpus: one filled progress workbook per office.

Each office gets about 12 measures and ~10,000 characters of Thai text across plan
and progress, drawn from the five seed reports (``samples/seeds/``), leaving out the
sentences that hold the seeds' own mistakes.  The workbooks
are built with itaxl's own template writer (plan locked, answers in the input
cells), so every one is a valid submission unless a defect is planted on purpose.

    python bench/corpus.py --offices 300 --out bench/corpus-300
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from itaxl import registry, templates  # noqa: E402
from itaxl.framework import SHIPPED  # noqa: E402
from itaxl.schema import PLACEHOLDER_PATTERNS, STATUS_LABELS, Status  # noqa: E402

FY = 2567
SEEDS = ROOT / "samples" / "seeds"
UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "กองสวัสดิการสังคม",
         "หน่วยตรวจสอบภายใน", "ทุกกอง", "สำนักปลัด กองคลัง")


def phrases() -> list[str]:
    """Sentences of the seed reports, cleaned of markup, 30–400 characters long, without the
    seeds' own mistakes: a sentence that itaxl would question (a misspelt word, a date, an
    office's name, markup, numbering) is left out, so that every corpus workbook is a clean
    submission and the benchmark times clean data."""
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = re.sub(r"</?p>|\*\*|\|", " ", path.read_text("utf-8"))
        for piece in re.split(r"\t|\n|(?=[๑๒๓๔๕๖๗๘๙]\.)", text):
            piece = _LEADING_NUMBER.sub("", " ".join(piece.split()))
            piece = _office_prefix().sub("หน่วยงาน", piece)  # the seeds' own offices, made anonymous
            if 30 <= len(piece) <= 400 and not piece.startswith(("มาตรการ/แนวทาง", "ประเด็นที่ต้อง")) \
                    and not _questioned(piece):
                out.append(piece)
    return sorted(set(out))


_LEADING_NUMBER = re.compile(r"^[๑๒๓๔๕๖๗๘๙\d]{1,2}\s*\.\s*")


def _office_prefix():
    from itaxl import textchecks

    return textchecks._OFFICE_PREFIX


def _questioned(sentence: str) -> bool:
    """Whether itaxl's text rules would say something about this sentence."""
    from itaxl import rules, spelling, textchecks
    from itaxl.schema import OFFICE_TYPES
    from itaxl.thai import find_dates

    # statuses are drawn at random: a sentence saying the work is finished or under way would
    # contradict some of them; posts of one kind of office, in another kind's workbook
    said_status = rules._UNDER_WAY.search(sentence) or rules._FINISHED.search(sentence)
    return bool(
        said_status or textchecks._TITLE_SLIP.search(sentence) or textchecks.doubled_word(sentence)
        or any(term in sentence for t in OFFICE_TYPES for term in t.own_terms)
        or spelling.unknown(sentence) or spelling.misspelt(sentence) or find_dates(sentence) or textchecks._OFFICE_PREFIX.search(sentence)
        or textchecks._MARKUP.search(sentence) or textchecks._MIXED_CODE.search(sentence)
        or "\u0e4d" in sentence or [m for m in textchecks._OTHER_BLOCK.finditer(sentence) if m.group().isalpha()]
        or textchecks._items(sentence) or any(p.search(sentence) for p in PLACEHOLDER_PATTERNS)
        or not textchecks._OPEN_ENDINGS.isdisjoint(spelling.cut(sentence.rstrip())[-1:]))


def _text(rng: random.Random, pool: list[str], chars: int) -> str:
    """Seed sentences joined by line breaks, cut at a line break near ``chars`` characters."""
    parts: list[str] = []
    while sum(map(len, parts)) < chars:
        parts.append(rng.choice(pool))
    text = "\n".join(parts)
    cut = text.rfind("\n", chars // 2, chars)
    return text[:cut] if cut > 0 else parts[0]  # whole sentences only: a cut one is a text cut off


def office_data(code: str, pool: list[str]) -> tuple[list[dict], list[dict], dict]:
    """Plan rows, answers and header of one office, the same for the same code."""
    rng = random.Random(int(hashlib.sha256(code.encode()).hexdigest()[:12], 16))
    start, end = dt.date(FY - 544, 10, 1), dt.date(FY - 543, 9, 30)
    plan, answers = [], []
    for n in range(1, rng.randint(10, 14) + 1):
        s = start + dt.timedelta(days=rng.randrange(0, 150))
        plan.append({
            "number": n, "indicator": rng.choice(SHIPPED.for_plan(FY).indicators).number, "issue": _text(rng, pool, 60),
            "measure": _text(rng, pool, 90), "method": _text(rng, pool, 330),
            "responsible": rng.choice(UNITS), "start": s, "end": min(end, s + dt.timedelta(days=rng.randrange(30, 300))),
            "monitoring": _text(rng, pool, 70),
        })
        status = rng.choices(list(Status), weights=(1, 3, 6))[0]
        answer = {"status": STATUS_LABELS[status]}
        if status is not Status.NOT_STARTED:
            # a result speaks of its own measure (else itaxl asks whether it was typed under another one)
            answer |= {"result": plan[-1]["measure"] + "\n" + _text(rng, pool, 180), "outcome": _text(rng, pool, 70),
                       "obstacles": _text(rng, pool, 40) if rng.random() < 0.4 else None}
        if status is Status.DONE:
            answer |= {"done_date": start + dt.timedelta(days=rng.randrange(0, 330)),
                       "evidence_url": f"https://www.{code}.go.th/news/{rng.randrange(1000, 9999)}"}
        answers.append(answer)
    header = {"reporter_name": "นายสมชาย ใจดี", "reporter_position": "หัวหน้าสำนักปลัด",
              "reviewer_name": "นายสมศักดิ์ รักษ์ดี", "reviewer_position": "นายก",
              "report_date": dt.date(FY - 543, 10, 10)}
    return plan, answers, header


def _write_one(args: tuple[str, str, int]) -> str:
    code, out_dir, version = args
    pool = _POOL
    plan, answers, header = office_data(code, pool)
    if version:  # a resubmission: a corrected report date and one changed answer
        header["report_date"] = header["report_date"] + dt.timedelta(days=version)
        answers[0] = {**answers[0], "outcome": f"ปรับปรุงครั้งที่ {version}"}
    data = templates.build_progress_from_data(code, FY, 12, plan, answers=answers, header=header)
    name = templates.file_name_for("progress", code, FY, 12).replace(".xlsx", f"-v{version}.xlsx" if version else ".xlsx")
    path = Path(out_dir) / code[1:3] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if version:  # saved later than the first submission
        os.utime(path, (1_700_000_000 + version, 1_700_000_000 + version))
    else:
        os.utime(path, (1_700_000_000, 1_700_000_000))
    return str(path)


_POOL: list[str] = []


def _init() -> None:
    global _POOL
    _POOL = phrases()


def build(offices: int, out_dir: Path, jobs: int = 2) -> list[str]:
    """``offices`` files: every office of the register in code order (then resubmissions of the
    first ones, past the register's 7,849 offices)."""
    codes = sorted(registry.offices())
    tasks = [(codes[i % len(codes)], str(out_dir), i // len(codes)) for i in range(offices)]
    out_dir.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(jobs, initializer=_init) as pool:
        return list(pool.map(_write_one, tasks, chunksize=64))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offices", type=int, default=8000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / f"corpus-{args.offices}"
    paths = build(args.offices, out, args.jobs)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"{len(paths)} files, {size / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
