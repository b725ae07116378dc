"""Workbooks written by Microsoft Excel: every one is refused cleanly with one problem.

An ordinary workbook is 'not an itaxl workbook'; a macro-enabled one (.xlsm) is
refused before that, by the guard, as 'file-macro'.
"""

import json

import pytest
from click.testing import CliRunner

import itaxl
from itaxl.cli import cli

from .conftest import corpus_dirs

FILES = sorted(p for d in corpus_dirs() for p in d.iterdir() if p.suffix in (".xlsx", ".xlsm"))


def test_corpus_is_there():
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_excel_written_file_is_refused_cleanly(path):
    problems = itaxl.validate(path)
    expected = "file-macro" if path.suffix == ".xlsm" else "not-itaxl"
    assert [p.code for p in problems] == [expected], path
    assert problems[0].is_error and problems[0].file == str(path)


def test_cli_over_the_corpus_exits_1_without_traceback():
    result = CliRunner().invoke(cli, ["validate", "--format", "json", *map(str, FILES)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    doc = json.loads(result.output)
    assert doc["summary"]["invalid"] == len(FILES) and doc["summary"]["valid"] == 0
