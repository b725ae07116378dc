"""One bad file never costs a batch; no limit fails open; a full disk is a clear message.

Each test builds real workbooks, runs the real verbs and checks what was written.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

import itaxl
from itaxl import atomic
from itaxl.cli import Bounded, cli
from itaxl.guard import Limits
from itaxl.schema import MEASURES

from .conftest import good_rows

SURROGATES = "ทุกกอง _xD800_ จัดทำข้อมูล"


def _itaxl(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "itaxl.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={**os.environ, "PYTHONPATH": str(Path(itaxl.__file__).parents[1])})


@pytest.fixture
def inbox(tmp_path, filled) -> Path:
    """Three workbooks of three offices' worth: two good, one with a lone surrogate escape."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    filled().rename(folder / "a.xlsx")
    rows = good_rows()
    rows[0]["method"] = SURROGATES
    filled(rows=rows).rename(folder / "b.xlsx")
    filled().rename(folder / "c.xlsx")
    return folder


def test_a_lone_surrogate_is_a_problem_at_its_cell(inbox):
    sub = itaxl.read(inbox / "b.xlsx")
    [problem] = [p for p in sub.problems if p.code == "text-invalid-character"]
    assert (problem.sheet, problem.cell) == (MEASURES.table.name, f"{MEASURES.table.letter_of('method')}{MEASURES.table.first_data_row}")
    assert "U+FFFD" in problem.message_en
    assert "\ufffd" not in sub.measures[0].method and "จัดทำข้อมูล" in sub.measures[0].method


def test_an_escaped_pair_is_the_character_it_encodes(filled):
    rows = good_rows()
    rows[0]["method"] = "ยิ้ม _xD83D__xDE00_ แล้ว"
    sub = itaxl.read(filled(rows=rows))
    assert "\U0001F600" in sub.measures[0].method
    assert "text-invalid-character" not in {p.code for p in sub.problems}


def test_every_verb_takes_a_batch_with_a_surrogate_in_two_processes(inbox, tmp_path):
    done = _itaxl("validate", inbox, "--jobs", "2", "--format", "json")
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert [f["valid"] for f in doc["files"]] == [True, False, True]
    merged = _itaxl("merge", inbox, "-o", tmp_path / "c.xlsx", "--jobs", "2")
    assert merged.returncode == 1, merged.stderr
    assert "Traceback" not in merged.stderr and (tmp_path / "c.xlsx").is_file()
    openpyxl.load_workbook(tmp_path / "c.xlsx")
    annotated = _itaxl("validate", inbox, "--annotate", tmp_path / "ann")
    assert annotated.returncode == 1 and (tmp_path / "ann" / "b-itaxl-check.xlsx").is_file()
    openpyxl.load_workbook(tmp_path / "ann" / "b-itaxl-check.xlsx")
    progress = _itaxl("template", "progress", "--from", inbox, "--round", "6", "-o", tmp_path / "out")
    assert progress.returncode == 1, progress.stderr
    assert "nothing was written" not in progress.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["progress-2567-6311805-r6.xlsx"]


def _failing_on(name: str, monkeypatch) -> None:
    """Make a rule raise (a bug) on the file called ``name`` only."""
    from itaxl import rules
    from itaxl.rulebook import rule

    @rule("failing", family="text", codes=("text-spelling",), reads=(), th="-", en="-")
    def failing(sub, ctx):
        if Path(sub.source).name == name:
            raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(rules, "RULES", (*rules.RULES, failing))


def test_a_bug_on_one_file_costs_that_file_and_exits_3(inbox, tmp_path, monkeypatch):
    (inbox / "b.xlsx").unlink()
    _failing_on("a.xlsx", monkeypatch)
    result = CliRunner().invoke(cli, ["validate", str(inbox), "--format", "json"])
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    first, second = doc["files"]
    assert [p["code"] for p in first["problems"]] == ["internal-error"] and second["valid"]
    log = first["problems"][0]["message_en"].split("details are in ")[1].split(" ")[0]
    try:
        assert "a bug in a rule" in Path(log).read_text() and "a.xlsx" in Path(log).read_text()
    finally:
        Path(log).unlink()
    assert doc["summary"]["failed"] == 1
    out = tmp_path / "c.xlsx"
    merged = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out)])
    assert merged.exit_code == 3 and out.is_file()
    assert "internal error on" in merged.stderr
    for line in merged.stderr.splitlines():
        if "details are in" in line:
            Path(line.split("details are in ")[1].split(" ")[0]).unlink(missing_ok=True)


def _numeric_options():
    """(command path, option name) of every numeric option of every verb."""
    found = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
            return
        for param in command.params:
            if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType, Bounded)):
                found.append((path, param))

    walk(cli, ())
    return found


def test_every_numeric_option_is_bounded():
    options = _numeric_options()
    assert len(options) >= 10
    for path, param in options:
        assert isinstance(param.type, Bounded), f"{' '.join(path)} {param.name}: not a Bounded number"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "1e30", "0x10"])
def test_every_numeric_option_refuses_what_it_cannot_mean(value):
    for path, param in _numeric_options():
        if isinstance(param, click.Argument):
            args = [*path, "--", value, "x.toml"]
            name = param.name.upper()
        else:
            args = [*path, param.opts[0], value]
            name = param.opts[0]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert name in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_limits_refuse_nan_in_python_too():
    for bad in (float("nan"), float("inf"), -1, 0):
        with pytest.raises(ValueError):
            Limits(max_ratio=bad)


def test_a_full_disk_leaves_none_of_the_merge_outputs(inbox, tmp_path, monkeypatch):
    (inbox / "b.xlsx").unlink()
    out = tmp_path / "out"
    out.mkdir()
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 4:  # the workbook and two tables are complete: the third table fails
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out / "c.xlsx"), "--csv", str(out / "csv"),
                                      "--json", str(out / "c.json")])
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.stderr and "nothing was written" in result.stderr
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES])
def test_each_write_error_is_one_line_naming_the_output(tmp_path, code):
    target = tmp_path / "x.json"
    with pytest.raises(itaxl.errors.OutputError, match="x.json: cannot be written"):
        with atomic.atomic_write(target) as fh:
            raise OSError(code, os.strerror(code))
    assert list(tmp_path.iterdir()) == []


def test_a_real_full_disk(tmp_path, inbox):
    """On a small tmpfs where this machine lets us mount one (root, outside a container)."""
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(small)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here; the write layer is tested above")
    try:
        done = _itaxl("merge", inbox, "-o", small / "c.xlsx", "--csv", small / "csv")
        assert done.returncode == 2, done.stderr
        assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
        assert [p for p in small.rglob("*") if p.is_file()] == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_an_output_that_is_not_a_regular_file_is_refused(inbox, tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(fifo), "--force"])
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert fifo.is_fifo()


def test_json_naming_the_workbook_is_refused_before_anything_is_written(inbox, tmp_path):
    out = tmp_path / "c.xlsx"
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out), "--json", str(out)])
    assert result.exit_code == 2 and "named twice" in result.stderr and not out.exists()


def test_a_link_loop_in_the_inbox_is_refused_not_a_bug(inbox, tmp_path):
    os.symlink("loop2", inbox / "loop1")
    os.symlink("loop1", inbox / "loop2")
    out = tmp_path / "c.xlsx"
    result = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "path-link-loop" in result.stderr and out.is_file()


def test_long_names_are_shortened_with_a_stable_hash():
    name = "ก" * 100 + ".xlsx"  # 300 bytes + 5
    short = atomic.fit_name(name)
    assert len(os.fsencode(short)) <= 255 and short.endswith(".xlsx") and short == atomic.fit_name(name)
    assert atomic.fit_name("ก" * 100 + "ข.xlsx") != short
    assert atomic.fit_name("short.xlsx") == "short.xlsx"
    assert len(os.fsencode(atomic.temp_name("ก" * 81 + ".xlsx"))) <= 255


def test_a_legal_long_thai_name_is_validated_annotated_and_merged(filled, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    rows = good_rows()
    rows[0]["responsible"] = "=1+1"
    long_name = "ก" * 80 + ".xlsx"  # 245 bytes: legal
    filled(rows=rows, drop=("grade",)).rename(inbox / long_name)
    ann = tmp_path / "ann"
    result = CliRunner().invoke(cli, ["validate", str(inbox), "--annotate", str(ann)])
    assert result.exit_code == 1, result.output
    [copy] = list(ann.iterdir())
    assert len(os.fsencode(copy.name)) <= 255
    openpyxl.load_workbook(copy)
    merged = CliRunner().invoke(cli, ["merge", str(inbox), "-o", str(inbox / ("ข" * 80 + ".xlsx"))])
    assert merged.exit_code == 1, merged.output


def test_annotated_copies_are_unique_across_input_roots(filled, tmp_path):
    for root in ("a", "b"):
        (tmp_path / root).mkdir()
        filled(drop=("grade",)).rename(tmp_path / root / "x.xlsx")
    ann = tmp_path / "ann"
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "a"), str(tmp_path / "b"), "--annotate", str(ann)])
    assert result.exit_code == 1, result.output
    assert len(list(ann.iterdir())) == 2


@pytest.mark.parametrize("invisible", ["\u202e", "\u200b", "\u200e\u2066", "\ufeff", "\u0e34", " \u3000 "])
def test_a_required_field_of_invisible_text_is_missing(filled, invisible):
    sub = itaxl.read(filled(header={"reporter_name": invisible}))
    assert "required-missing" in {p.code for p in sub.problems}


def _rezip(src: Path, dst: Path, *, replace=None, compress=None) -> Path:
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = (replace or {}).get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data, compress_type=compress or zipfile.ZIP_DEFLATED)
    return dst


def test_a_negative_shared_string_index_is_refused(measures_valid):
    from itaxl.xlsxread import XlsxError, XlsxPackage

    with XlsxPackage(str(measures_valid)) as package:
        assert package._cell("s", None, "0", None, None, ["first", "last"], []).value == "first"
        for raw in ("-1", "2", "x"):
            with pytest.raises(XlsxError, match="shared string"):
                package._cell("s", None, raw, None, None, ["first", "last"], [])


def test_lzma_members_are_refused(measures_valid, tmp_path):
    import zipfile

    sub = itaxl.read(_rezip(measures_valid, tmp_path / "lzma.xlsx", compress=zipfile.ZIP_LZMA))
    assert [p.code for p in sub.problems] == ["file-corrupt"] and "Excel cannot open" in sub.problems[0].message_en


def test_a_fifo_or_deep_framework_and_a_fifo_key_are_refused(measures_valid, tmp_path):
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000 + "]" * 100_000)
    for args in (["--framework", str(fifo)], ["--framework", str(deep)], ["--key-file", str(fifo)]):
        done = _itaxl("validate", measures_valid, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_names_that_could_fake_terminal_lines_are_escaped(measures_valid, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nfake line\u202e.xlsx").write_bytes(measures_valid.read_bytes())
    done = _itaxl("validate", folder, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "a\\nfake line\\u202e.xlsx" in done.stdout and "\u202e" not in done.stdout


def test_two_sheets_named_alike_but_for_case_are_refused(measures_valid, tmp_path):
    import re
    import zipfile

    with zipfile.ZipFile(measures_valid) as z:
        xml = z.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', xml)
    ascii_name = next((n for n in names if n.isascii()), None)
    if ascii_name is None:  # every sheet name is Thai: give one an ASCII twin of another's case
        xml = xml.replace(f'name="{names[0]}"', 'name="Data"', 1).replace(f'name="{names[1]}"', 'name="DATA"', 1)
    else:
        xml = xml.replace(f'name="{names[0]}"', f'name="{ascii_name.swapcase()}"', 1)
    sub = itaxl.read(_rezip(measures_valid, tmp_path / "case.xlsx", replace={"xl/workbook.xml": xml.encode()}))
    assert not sub.valid and "Excel takes as one name" in " ".join(p.message_en for p in sub.problems)


def test_a_roster_saved_by_thai_excel_as_plain_csv_is_read(tmp_path):
    from itaxl.consolidation import read_roster

    (tmp_path / "r.csv").write_bytes("รหัส,ชื่อ\n6311805,โคกสนวน\n".encode("cp874"))
    (tmp_path / "u.csv").write_bytes("รหัส,ชื่อ\n6311805,โคกสนวน\n".encode("utf-16"))
    assert read_roster(tmp_path / "r.csv") == read_roster(tmp_path / "u.csv") == ["6311805"]


def test_cells_merged_over_inputs_are_an_error(measures_valid, tmp_path):
    book = openpyxl.load_workbook(measures_valid)
    table = MEASURES.table
    first = table.first_data_row
    book[table.name].protection.sheet = False
    book[table.name].merge_cells(f"{table.letter_of('measure')}{first}:{table.letter_of('method')}{first + 1}")
    book.save(tmp_path / "merged.xlsx")
    sub = itaxl.read(tmp_path / "merged.xlsx")
    [problem] = [p for p in sub.problems if p.code == "merged-over-input"]
    assert (problem.sheet, problem.cell) == (table.name, f"{table.letter_of('measure')}{first}")
    assert "merged-over-input" not in {p.code for p in itaxl.read(measures_valid).problems}
