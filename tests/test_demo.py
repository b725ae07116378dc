"""The bundled samples (built from the five seed reports), the committed templates, and `itaxl demo`."""

from __future__ import annotations

import csv
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import itaxl
import itaxl.libreoffice
import itaxl.registry
from itaxl import samples
from itaxl.cli import cli
from itaxl.schema import resolve_status
from itaxl.thai import clean_text

ROOT = samples.SAMPLES_DIR.parent
SOURCES = sorted(samples.SOURCE_DIR.glob("*.json"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Every sample and template, freshly built from the sources."""
    out = tmp_path_factory.mktemp("built")
    samples.build(samples.SOURCE_DIR, out / "samples")
    samples.build_corrected(samples.SOURCE_DIR, out / "corrected")
    samples.build_templates(out / "templates")
    return out


def _xlsx(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*.xlsx"))}


@pytest.mark.parametrize("folder", ["samples", "corrected", "templates"])
def test_committed_workbooks_are_fresh(built, folder):
    committed_folder = {"samples": samples.INBOX_DIR, "corrected": samples.CORRECTED_DIR,
                        "templates": samples.TEMPLATES_DIR}[folder]
    """The committed xlsx files are exactly what the sources and the code make today.

    When this fails after a change to the templates or the sources, run
    `python -m itaxl.samples` and commit the result.
    """
    fresh, committed = _xlsx(built / folder), _xlsx(committed_folder)
    assert sorted(committed) == sorted(fresh)
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"stale: {stale}; run `python -m itaxl.samples`"


def test_samples_are_deterministic(built, tmp_path):
    again = samples.build(samples.SOURCE_DIR, tmp_path)
    assert {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in again} == _xlsx(built / "samples")


def test_blank_template_is_generic():
    sub = itaxl.read(ROOT / "templates" / f"measures-{samples.BLANK_FISCAL_YEAR}-blank.xlsx")
    assert sub.kind == "measures" and sub.fiscal_year == samples.BLANK_FISCAL_YEAR
    assert sub.org_code is None and not sub.measures
    assert {p.code for p in sub.problems if p.is_error} == {"required-missing", "measures-none"}


def test_progress_example_holds_the_plan_and_no_answers():
    sub = itaxl.read(ROOT / "templates" / "progress-2566-6311805-r6-example.xlsx")
    source = samples.corrected_source(samples.load_source(samples.SOURCE_DIR / samples.EXAMPLE_SOURCE))
    assert sub.kind == "progress" and sub.round == 6 and sub.org_code == "6311805"
    assert [m.measure for m in sub.measures] == [r["measure"] for r in source["measures"]["rows"]]  # its corrected plan
    assert all(m.status is None and not m.result for m in sub.measures)
    assert not {p.code for p in sub.problems} & {"locked-cell-changed", "metadata-edited", "not-itaxl"}


# --------------------------------------------------------------------------- round trip


def _sample(kind: str, source: dict) -> Path:
    return samples.INBOX_DIR / samples.file_name(source, kind)


def _text(value) -> str:
    """Text as itaxl reads it back: cleaned (ํา → ำ, invisible characters), spaces collapsed."""
    return " ".join(clean_text(str(value or "")).split())


@pytest.mark.parametrize("source_path", SOURCES, ids=lambda p: p.stem)
def test_measures_sample_reads_back_to_its_source(source_path):
    source = samples.load_source(source_path)
    sub = itaxl.read(_sample("measures", source))
    rows = source["measures"]["rows"]
    assert sub.fiscal_year == source["measures"]["fiscal_year"]
    assert len(sub.measures) == len(rows)
    for measure, row in zip(sub.measures, rows):
        assert measure.number == row["number"]
        assert measure.indicator == sub.framework.resolve_indicator(row["indicator"])
        for key in ("measure", "method", "responsible", "monitoring"):
            assert _text(getattr(measure, key)) == _text(row.get(key)), key
    for key, value in source["measures"].get("header", {}).items():
        if isinstance(value, (int, float)) and key != "assessed_year":
            assert sub.header[key] == value, key


@pytest.mark.parametrize("source_path", [p for p in SOURCES if "progress" in samples.load_source(p)],
                         ids=lambda p: p.stem)
def test_progress_sample_reads_back_to_its_source(source_path):
    source = samples.load_source(source_path)
    sub = itaxl.read(_sample("progress", source))
    assert sub.kind == "progress" and sub.round == source["progress"]["round"]
    rows = source["progress"]["rows"]
    plan = source["measures"]["rows"]
    for key in ("issue", "measure"):
        assert [_text(getattr(m, key)) for m in sub.measures] == [_text(r.get(key)) for r in plan], key
    for measure, row in zip(sub.measures, rows):
        assert measure.status == resolve_status(row["status"])
        for key in ("result", "outcome", "obstacles"):
            assert _text(getattr(measure, key)) == _text(row.get(key)), key
    for key in ("reporter_name", "reviewer_name", "reviewer_position"):
        assert sub.header.get(key) == source["progress"].get("header", {}).get(key)
    # The progress workbook is the one its measures workbook makes: same plan fingerprint.
    assert sub.meta.source_fingerprint == itaxl.read(_sample("measures", source)).plan_fingerprint()


# --------------------------------------------------------------------------- the seeds' real mistakes


def _found(name: str, code: str) -> list[str]:
    return [p.cell for p in itaxl.read(samples.INBOX_DIR / name).problems if p.code == code]


@pytest.mark.parametrize("name, code, cells", [
    # 001: numbering restarts at the third measure (1, 2, 1).
    ("measures-2564-6410124.xlsx", "numbering-repeated", ["A6"]),
    # 003: 74.83 points is grade C on the 2564 scale; the memo says E.
    ("measures-2565-6461802.xlsx", "grade-mismatch", ["B11"]),
    # 003: every measure ticked done, no result text, no dates.
    ("progress-2565-6461802-r6.xlsx", "done-without-result", [f"K{r}" for r in range(4, 16)]),
    ("progress-2565-6461802-r6.xlsx", "done-without-date", [f"O{r}" for r in range(4, 16)]),
    # 000: an office the register does not have, named without a code; text pasted from ประศุก's document.
    ("measures-2566-prachak.xlsx", "office-not-in-register", ["B5"]),
    ("measures-2566-prachak.xlsx", "office-name-mismatch", []),
    ("measures-2566-prachak.xlsx", "text-other-office", ["E11"]),
    ("progress-2566-prachak-r12.xlsx", "text-other-office", ["K11"]),
    # 000: measure 8's order dated ๑๒ มกราคม ๒๕๖๕, a year before the fiscal year.
    ("progress-2566-prachak-r12.xlsx", "date-outside-fiscal-year", ["O11"]),
    # 000: a result pasted with a word changed (the outcome two related measures share is not a slip).
    ("progress-2566-prachak-r12.xlsx", "near-duplicate-text", ["K12"]),
    ("progress-2566-prachak-r12.xlsx", "duplicate-text", []),
    ("progress-2566-prachak-r12.xlsx", "required-missing", ["B3", "B15"]),
    # 004: the template's own instruction left in the responsible-unit cells.
    ("measures-2566-6311805.xlsx", "placeholder-text", ["F4", "F13", "F15"]),
    # 004: a 6-month report (to 31 มี.ค. ๒๕๖๖) whose results only set deadlines, seven in April:
    # a deadline is no completion date, so the sample gives none.
    ("progress-2566-6311805-r6.xlsx", "done-result-is-a-deadline",
     ["K10", "K11", "K12", "K13", "K14", "K15", "K17"]),
    ("progress-2566-6311805-r6.xlsx", "done-without-date", [f"O{r}" for r in range(6, 18)]),
    ("progress-2566-6311805-r6.xlsx", "date-outside-round", []),
    # 002: results say done, dates named only for two measures.
    ("progress-2565-5210306-r12.xlsx", "done-without-date", [f"O{r}" for r in range(4, 13)]),
    # The deliberately broken submissions.
    ("broken/progress-2565-5210306-r12-edited.xlsx", "locked-cell-changed", ["H12"]),
    ("broken/measures-2566-6311805-old-template.xlsx", "unknown-schema-version", ["B3"]),
])
def test_samples_show_the_seeds_mistakes(name, code, cells):
    assert _found(name, code) == cells


def test_corrected_resubmission_is_clean():
    sub = itaxl.read(samples.INBOX_DIR / "resubmitted" / "progress-2566-6311805-r6.xlsx")
    assert sub.valid and not [p for p in sub.problems if p.is_error]
    assert sub.modified > itaxl.read(samples.INBOX_DIR / "progress-2566-6311805-r6.xlsx").modified


def test_merge_of_the_samples_with_the_roster():
    roster = samples.ROSTER
    with roster.open(encoding="utf-8") as f:
        expected = [row["org_code"] for row in csv.DictReader(f)]
    assert len(expected) == 7
    result = itaxl.merge([samples.INBOX_DIR], roster=roster, include_invalid=True)
    missing = result.frames["missing"]
    assert sorted(missing["org_code"]) == ["5210305", "5311801", "5461801"]
    files = result.frames["files"].set_index("path")
    status = {Path(p).relative_to(ROOT).as_posix(): s for p, s in files["status"].items()}
    assert status["samples/inbox/resubmitted/progress-2566-6311805-r6.xlsx"] == "accepted"
    assert status["samples/inbox/progress-2566-6311805-r6.xlsx"] == "superseded"
    # seed 000 names no code: its files are refused, each with its reason, never merged under a guess
    assert status["samples/inbox/measures-2566-prachak.xlsx"] == "rejected"
    assert status["samples/inbox/broken/progress-2565-5210306-r12-edited.xlsx"] == "superseded"
    assert status["samples/inbox/broken/measures-2566-6311805-old-template.xlsx"] == "rejected"
    assert result.summary["measures_in"] == result.summary["measures_out"]


# --------------------------------------------------------------------------- demo


def test_demo_writes_what_it_says(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx"))
    assert f"templates/measures-{samples.BLANK_FISCAL_YEAR}-blank.xlsx" in written
    assert "samples/measures-2564-6410124.xlsx" in written
    assert "samples/progress-2566-6311805-r6.xlsx" in written
    assert "consolidated.xlsx" in written
    # what offices read: an annotated copy of a sample with mistakes, the report of a corrected one
    assert "returns/measures-2566-6311805-itaxl-check.xlsx" in written
    report = out / "report-progress-2566-6311805-r6.docx"
    assert docx.Document(str(report)).paragraphs[0].text.startswith("รายงานผลการดำเนินการตามมาตรการ")
    assert report.name in result.output
    soffice = itaxl.libreoffice.find_soffice()
    if soffice and itaxl.libreoffice.has_writer(soffice):
        assert (out / "report-progress-2566-6311805-r6.pdf").read_bytes().startswith(b"%PDF")
    assert "samples/corrected" in result.output
    for name in written:
        assert name.split("/")[-1] in result.output
    lines = result.output.splitlines()
    assert lines[0] == f"สร้างแบบฟอร์ม 2 ไฟล์ และตัวอย่าง 12 ไฟล์ จากรายงานจริงของ 5 หน่วยงาน ใน {out}"
    assert lines[1].startswith("ตรวจแล้ว: ผ่าน 1 ไฟล์ ไม่ผ่าน 11 ไฟล์")
    assert lines[2].startswith("ปัญหาที่พบบ่อย: ") and lines[2].count("(") == 3
    assert lines[3] == "รวมเป็นไฟล์เดียว: หน่วยงานที่ต้องส่ง 7 ส่งแล้ว 4 ยังไม่ส่ง 3"
    assert len(lines) < 30  # a summary and where to look, not the full report
    english = CliRunner().invoke(cli, ["demo", str(tmp_path / "en"), "--lang", "en"])
    assert english.exit_code == 0 and "Most common problems:" in english.output


def test_readme_shows_the_real_validation_of_the_samples(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["validate", "samples/inbox/", "--lang", "en"])
    assert result.exit_code == 1  # the samples keep their offices' errors
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("<!-- validate-samples:start -->\n```\n")[1].split("```\n<!-- validate-samples:end -->")[0]
    assert block == result.output, "README is stale: paste the output of `itaxl validate samples/inbox/ --lang en`"
    assert result.output.splitlines()[-1] in readme.split("<!-- validate-samples:start -->")[0]


def test_readme_shows_the_real_merge_of_the_samples(tmp_path, monkeypatch):
    shutil.copytree(samples.INBOX_DIR, tmp_path / "samples" / "inbox")
    shutil.copy(samples.ROSTER, tmp_path / "samples" / "roster.csv")
    monkeypatch.chdir(tmp_path)
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("<!-- merge-samples:start -->\n```\n")[1].split("```\n<!-- merge-samples:end -->")[0]
    command, shown = block.split("\n", 1)
    args = shlex.split(command.removeprefix("$ itaxl "))
    result = subprocess.run([sys.executable, "-m", "itaxl.cli", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1  # one sample is an old template: named, and the workbook still written
    assert result.stdout + result.stderr == shown, "README is stale: paste the output of the merge command"
    assert (tmp_path / "consolidated.xlsx").exists()


def test_readme_shows_the_real_ledger_loop_on_the_samples(tmp_path):
    shutil.copytree(samples.INBOX_DIR, tmp_path / "samples" / "inbox")
    shutil.copy(samples.ROSTER, tmp_path / "samples" / "roster.csv")
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("<!-- ledger-samples:start -->\n```\n")[1].split("```\n<!-- ledger-samples:end -->")[0]
    shown = ""
    for line in block.splitlines(keepends=True):
        if not line.startswith("$ itaxl "):
            continue
        args = shlex.split(line.removeprefix("$ itaxl "))
        result = subprocess.run([sys.executable, "-m", "itaxl", *args], capture_output=True, text=True,
                                timeout=120, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        shown += line + result.stderr + result.stdout
    assert shown == block, "README is stale: paste the output of the ledger commands"
    assert (tmp_path / "consolidated.xlsx").exists() and (tmp_path / "itaxl-ledger" / "ledger.db").exists()


# --------------------------------------------------------------------------- clean data stays clean


CORRECTED = sorted(samples.CORRECTED_DIR.glob("*.xlsx"))


def test_every_sample_office_has_a_corrected_version():
    offices = {p.name.split("-")[2].removesuffix(".xlsx") for p in samples.INBOX_DIR.glob("*.xlsx")}
    assert {p.name.split("-")[2].removesuffix(".xlsx") for p in CORRECTED} == offices
    assert len(CORRECTED) == len(list(samples.INBOX_DIR.glob("*.xlsx")))  # each workbook, measures and progress


@pytest.mark.parametrize("path", CORRECTED, ids=lambda p: p.name)
def test_a_corrected_sample_has_no_error_and_no_warning(path):
    """Every rule is held to this: a rule that fires on a corrected office is wrong or too loose."""
    with itaxl.registry.offices_added(samples.ADDED_OFFICES):  # seed 000's office, which the register lacks
        sub = itaxl.read(path)
    assert [(p.code, p.cell, p.message_en) for p in sub.problems if p.severity.value != "info"] == []


def test_a_newcomer_can_make_a_progress_template_and_a_report_from_a_corrected_sample(tmp_path):
    measures = samples.CORRECTED_DIR / "measures-2566-6311805.xlsx"
    result = CliRunner().invoke(cli, ["template", "progress", "--from", str(measures), "--round", "12",
                                      "-o", str(tmp_path / "r12.xlsx")])
    assert result.exit_code == 0, result.output
    report = CliRunner().invoke(cli, ["report", str(samples.CORRECTED_DIR / "progress-2566-6311805-r6.xlsx"),
                                      "-o", str(tmp_path / "report.docx")])
    assert report.exit_code == 0 and "error" not in report.output


def test_samples_readme_shows_the_real_validation_of_the_corrected_samples(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["--offices", "samples/offices-added.csv", "validate", "samples/corrected/",
                                      "--lang", "en"])
    assert result.exit_code == 0
    assert itaxl.registry.lookup("6179901") is None  # the added offices were for that run only
    readme = (ROOT / "samples" / "README.md").read_text("utf-8")
    assert "\n".join(result.output.splitlines()[-2:]) in readme


def test_the_mistake_table_counts_what_it_lists_and_its_codes_fire():
    """samples/README.md's table: its totals add up, and every code it names fires on that seed's workbooks."""
    import re

    readme = (samples.SAMPLES_DIR / "README.md").read_text("utf-8")
    block = readme.split("## Every mistake, and what flags it")[1].split("## Corrected versions")[0]
    rows = [line.split("|")[1:5] for line in block.splitlines() if re.match(r"^\| 00\d \|", line)]
    held = [r for r in rows if r[2].strip() == "yes"]
    flagged = [r for r in held if "`" in r[3]]
    assert f"Of these {len(rows)} mistakes, {len(held)} can be held by the workbooks, and {len(flagged)} " \
           "of those are flagged." in block
    office = {"000": "prachak", "001": "6410124", "002": "5210306", "003": "6461802", "004": "6311805"}
    for seed, _mistake, is_held, codes in rows:
        if is_held.strip() != "yes":
            continue
        found = {p.code for path in samples.INBOX_DIR.glob(f"*-{office[seed.strip()]}*.xlsx")
                 for p in itaxl.read(path).problems}
        for code in re.findall(r"`([a-z-]+)`", codes):
            assert code in found, (seed, code)


# Each slip a careful reader finds in a seed, as the workbook holds it: in the office's inbox
# workbooks, and in none of its corrected ones (flagged by itaxl or not: samples/README.md's table).
SLIPS = {
    "prachak": ["ปลงสื่อออนไลน์", "ชั้นตอน", "QR COED", "คสาม", "ปิงปประมาณ", "องคํการ", "ประศุก"],
    "6410124": ["ค่านึง", "ให้ายต่อ", "พบทวน", "บริหารอระหว่าง", "ชาวประชาสัมพันธ์", "ต้อการ", "1) ประสิทธิภาพและ"],
    "5210306": ["ฝาทอ", "พังชำระ", "เทศบาลชำระ", "การดำเนินของ", "โดยอย่างชัดเจน", "ที่ข้อกำหนด", "เฟสบุ๊ค", "แจ็ง",
                "ร่องเรียน", "พ.ศ. ๒๕๖๔\n"],
    "6461802": ["ทิชม", "จัดทา", "ให้ ให้", "การ ดำเนินของ"],
    "6311805": ["พัสดุนบน", "องค์กรบริหาร", "☑", "(หน่วยงานอาจ", "รอบปี ของ", "เจ้าหน้าที่สถิติ", "๓.สำนักปลัดรวบรวม"],
}


def _texts(path: Path) -> str:
    sub = itaxl.read(path)
    return "\n".join(v for v in (*sub.header.values(), *(x for m in sub.measures for x in m.values.values()))
                     if isinstance(v, str))


@pytest.mark.parametrize("office", sorted(SLIPS))
def test_the_corrected_samples_correct_every_slip_the_inbox_holds(office):
    inbox = "\n".join(_texts(p) for p in sorted(samples.INBOX_DIR.glob(f"*-{office}*.xlsx")))
    with itaxl.registry.offices_added(samples.ADDED_OFFICES):
        corrected = "\n".join(_texts(p) for p in sorted(samples.CORRECTED_DIR.glob(f"*-{office}*.xlsx")))
    assert inbox and corrected
    assert [s for s in SLIPS[office] if s not in inbox] == []  # the sample keeps the seed's slip
    assert [s for s in SLIPS[office] if s in corrected] == []  # and the corrected version fixes it
