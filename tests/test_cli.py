"""The itaxl command, through click's runner and as a real process."""

import json
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

import itaxl
from itaxl.cli import cli

from .conftest import FY, ORG, good_rows


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


def test_template_then_validate(tmp_path, run, filled):
    out = tmp_path / "measures.xlsx"
    result = run("template", "measures", "--org-code", ORG, "--fiscal-year", FY, "-o", out)
    assert result.exit_code == 0 and out.exists()
    assert openpyxl.load_workbook(out)["_itaxl"]["B5"].value == ORG

    result = run("validate", out)  # unfilled: required cells missing
    assert result.exit_code == 1 and "required-missing" in result.output

    good = filled()
    result = run("validate", good, "--lang", "en")
    assert result.exit_code == 0
    assert "valid: 0 error" in result.output and "Summary: 1 files, 1 valid" in result.output


def test_existing_output_needs_force(tmp_path, run):
    out = tmp_path / "m.xlsx"
    out.write_bytes(b"keep me")
    result = run("template", "measures", "--org-code", ORG, "-y", FY, "-o", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_bytes() == b"keep me"
    assert run("template", "measures", "--org-code", ORG, "-y", FY, "-o", out, "--force").exit_code == 0


def test_unknown_office_is_a_usage_error(tmp_path, run):
    result = run("template", "measures", "--org-code", "1234567", "-y", FY, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2
    assert "1234567" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_batch_by_district(tmp_path, run):
    result = run("template", "measures", "--province", "บุรีรัมย์", "--district", "ชำนิ", "-y", FY, "-o", tmp_path)
    assert result.exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert f"measures-{FY}-{ORG}.xlsx" in names and len(names) >= 3


def test_validate_directory_as_json(tmp_path, run, filled):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    filled().rename(inbox / "a.xlsx")
    filled(drop=("grade",)).rename(inbox / "sub" / "b.xlsx")
    (inbox / "notes.txt").write_text("ignored")
    result = run("validate", inbox, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["summary"] == {"found": 3, "read": 2, "refused": 1, "ignored": 0, "files": 3, "valid": 1,
                              "invalid": 2, "errors": 2, "warnings": 0, "notes": 0,
                              "failed": 0}
    first, notes, second = doc["files"]
    assert notes["path"].endswith("notes.txt") and notes["problems"][0]["code"] == "file-not-xlsx"
    assert doc["ignored"] == []
    assert first["path"].endswith("a.xlsx") and first["valid"] and first["problems"] == []
    assert first["kind"] == "measures" and first["org_code"] == ORG and first["fiscal_year"] == FY
    assert first["framework"]["year"] == FY - 1 and len(first["framework"]["sha256"]) == 64
    problem = second["problems"][0]
    assert set(problem) == {"severity", "code", "sheet", "cell", "message_th", "message_en", "params"}
    assert (problem["code"], problem["cell"]) == ("required-missing", "B11")
    assert problem["params"] == {"label": "ระดับผลการประเมิน", "label_en": "ITA rating"}
    from itaxl.batch import validate_paths

    assert json.loads(validate_paths([inbox]).to_json()) == doc  # the CLI renders the library's report


def test_validate_thai_report(run, filled):
    result = run("validate", filled(header={"grade": "AA"}))
    assert result.exit_code == 1
    assert "ไม่ผ่าน" in result.output and "ไม่ตรงกับคะแนนรวม" in result.output


def test_validate_nothing_found(tmp_path, run):
    result = run("validate", tmp_path)
    assert result.exit_code == 2 and "nothing to read" in result.output


def test_usage_error_exits_2(run):
    assert run("validate").exit_code == 2
    assert run("validate", "x.xlsx", "--format", "xml").exit_code == 2


def test_real_process_exit_codes(tmp_path, filled):
    """The installed entry point, as a script would call it."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"<html>not a workbook</html>")
    proc = subprocess.run([sys.executable, "-m", "itaxl.cli", "validate", str(bad), "--lang", "en"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "file-not-xlsx" in proc.stdout and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "itaxl.cli", "validate", str(filled())], capture_output=True)
    assert proc.returncode == 0


def test_notes_are_counted_apart_and_summarised_once(tmp_path, run, filled):
    """A date typed as text was read correctly: a note, not a warning, and nothing to send back."""
    rows = [{**r, "start": "๑ ต.ค. ๒๕๖๖", "end": "๓๑ ม.ค. ๒๕๖๗"} for r in good_rows()]
    path = filled(rows=rows)
    sub = itaxl.read(path)
    assert {p.code for p in sub.problems} == {"date-typed-as-text"} and sub.valid
    assert all(p.severity.value == "info" and not p.is_warning for p in sub.problems)
    result = run("validate", path, "--lang", "en", "--annotate", tmp_path / "returns")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "date-typed-as-text" in line]
    assert len(lines) == 1 and "6× The date '๑ ต.ค. ๒๕๖๖' was typed as text" in lines[0]
    assert "and 5 more: มาตรการ!" in lines[0] and "0 error, 0 warning" in result.output
    assert "0 warnings, 6 notes" in result.output
    assert not (tmp_path / "returns").exists() or not list((tmp_path / "returns").iterdir())
    doc = json.loads(run("validate", path, "--format", "json").output)
    assert doc["summary"]["notes"] == 6 and doc["summary"]["warnings"] == 0
    assert {p["severity"] for p in doc["files"][0]["problems"]} == {"info"}


def test_the_verbs_stay_functions_whatever_is_imported():
    import importlib

    for module in ("itaxl.rules", "itaxl.consolidation", "itaxl.annotation", "itaxl.batch", "itaxl.cli"):
        importlib.import_module(module)
    assert all(callable(getattr(itaxl, verb)) and not isinstance(getattr(itaxl, verb), type(itaxl))
               for verb in ("read", "validate", "merge", "annotate", "report"))
