"""Annotated return workbooks, and writes that never leave a partial file."""

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

import itaxl
from itaxl.annotation import ERROR_FILL, HEADER_ROW, SHEET_PROBLEMS, annotate, output_name
from itaxl.atomic import atomic_write, write_bytes
from itaxl.cli import cli
from itaxl.errors import ItaxlError, OutputError
from itaxl.fill import fill
from itaxl.schema import MEASURES, SHEET_META

from .conftest import good_rows

T = MEASURES.table.name
R1 = MEASURES.table.first_data_row


def test_annotated_copy_round_trip(filled, tmp_path):
    rows = good_rows()
    rows[1]["method"] = ""                      # an error in the table
    original = filled(rows=rows, header={"grade": "A"}, drop=("reporter_name",))
    before = original.read_bytes()
    sub = itaxl.read(original)
    cells = {(p.sheet, p.cell) for p in sub.problems}
    out = annotate(sub, tmp_path / "out" / output_name(original))
    assert original.read_bytes() == before      # the original is never written to

    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == SHEET_PROBLEMS and book.active.title == SHEET_PROBLEMS
    listing = book[SHEET_PROBLEMS]
    assert listing.max_row == HEADER_ROW + len(sub.problems)
    links = {c.hyperlink.location for c in listing["C"][HEADER_ROW:] if c.hyperlink}
    assert f"'{T}'!E{R1 + 1}" in links
    for sheet, ref in cells:
        cell = book[sheet][ref]
        assert cell.comment is not None and cell.comment.text.startswith(("✖ [", "▲ ["))
    method = book[T][f"E{R1 + 1}"]
    assert method.fill.fgColor.rgb.endswith(ERROR_FILL) and "ยังไม่ได้กรอก" in method.comment.text
    # values, protection and metadata are kept
    assert book[T][f"D{R1}"].value == good_rows()[0]["measure"]
    assert book[T].protection.sheet and book[SHEET_META].sheet_state == "veryHidden"
    # Read back, the copy has the same problems as the original, at the same cells.
    assert [(p.code, p.sheet, p.cell) for p in itaxl.read(out).problems] == \
        [(p.code, p.sheet, p.cell) for p in sub.problems]

    # The office fixes its copy and sends it back: it validates.
    fixed = fill(out, tmp_path / "fixed.xlsx", header={"grade": "B", "reporter_name": "นางสาวสมใจ รักดี"},
                 rows=[{}, {"method": "จัดทำแนวทางปฏิบัติและประชุมชี้แจง"}])
    assert itaxl.read(fixed).problems == []


def test_cli_annotates_only_files_with_problems(filled, tmp_path):
    good, bad = filled(), filled(header={"total_score": 120})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"<html></html>")
    out = tmp_path / "returns"
    result = CliRunner().invoke(cli, ["validate", str(good), str(bad), str(broken), "--annotate", str(out)])
    assert result.exit_code == 1
    assert [p.name for p in out.iterdir()] == [output_name(bad)]
    assert "not annotated" in result.output and "broken.xlsx" in result.output
    again = CliRunner().invoke(cli, ["validate", str(bad), "--annotate", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert CliRunner().invoke(cli, ["validate", str(bad), "--annotate", str(out), "--force"]).exit_code == 1


def test_annotating_a_file_that_is_not_a_workbook_says_so(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ItaxlError, match="file-empty"):
        annotate(itaxl.read(path), tmp_path / "out.xlsx")


def test_output_equal_to_input_is_refused(filled):
    path = filled()
    sub = itaxl.read(filled(header={"grade": "F"}))
    with pytest.raises(OutputError, match="overwrite an input"):
        annotate(sub, sub.path)
    with pytest.raises(OutputError):
        write_bytes(path, b"x", inputs=(str(path),))


def test_interrupted_write_leaves_no_partial_file_and_the_old_output_intact(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write(b"half of a new repo")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_existing_output_is_kept_without_force(tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"keep")
    with pytest.raises(OutputError, match="--force"):
        write_bytes(target, b"new", force=False)
    assert target.read_bytes() == b"keep"


def test_the_problem_list_puts_what_to_fix_first(filled, tmp_path):
    rows = [{**r, "start": "๑ ต.ค. ๒๕๖๖"} for r in good_rows()]  # notes: dates typed as text
    sub = itaxl.read(filled(rows=rows, header={"total_score": 120}))  # and an error
    out = annotate(sub, tmp_path / "a.xlsx")
    listing = openpyxl.load_workbook(out)[SHEET_PROBLEMS]
    levels = [row[1] for row in listing.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    order = ["✖ ข้อผิดพลาด", "▲ คำเตือน", "ℹ หมายเหตุ"]
    assert levels[0] == order[0] and levels[-1] == order[2] and levels == sorted(levels, key=order.index)
    # told apart without colour (the symbols) and with it: error, warning and input fills all differ
    from itaxl.annotation import WARNING_FILL
    from itaxl.templates import INPUT_COLOUR

    assert len({ERROR_FILL, WARNING_FILL, INPUT_COLOUR.lstrip("#")}) == 3
    assert listing["A1"].value.startswith("✖") and listing["A1"].fill.fgColor.rgb.endswith(ERROR_FILL)
    assert listing.page_setup.orientation == "landscape" and listing.page_setup.fitToWidth == 1
    assert listing.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    # legible on paper: fit to the page's width, the list prints at 12 pt or more, Thai first
    from itaxl.annotation import PRINTED_SIZE, printed_size

    assert printed_size() >= PRINTED_SIZE
    header = [c.value for c in listing[HEADER_ROW]]
    assert header.index("ข้อความ") < header.index("รหัส / English")
    first = [c.value for c in listing[HEADER_ROW + 1]]
    assert first[3] == sub.problems[[p.code for p in sub.problems].index(first[4].split("\n")[0])].message_th


def test_page_headers_keep_their_lines_and_bold_through_the_copy(filled_progress, tmp_path):
    """openpyxl writes a header's line break as the literal _x000a_ and drops its bold: the copy
    keeps the template's header as it was."""
    import zipfile

    original = filled_progress(answers=[{"status": None}])
    out = annotate(itaxl.read(original), tmp_path / "a.xlsx")
    headers = [zipfile.ZipFile(path).read(name).decode() for path in (original, out)
               for name in zipfile.ZipFile(path).namelist() if name.startswith("xl/worksheets/sheet")]
    titled = [h for h in headers if "&amp;16" in h]
    assert len(titled) == 2  # the table sheet of the original and of the copy
    for text in titled:
        assert "_x000a_" not in text and ',Bold"' in text and "\n&amp;" in text
