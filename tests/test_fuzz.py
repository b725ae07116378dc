"""Properties and a mutation fuzz of a valid workbook, with fixed example counts (never a time box)."""

import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import itaxl
from itaxl.fill import fill
from itaxl.problems import CATALOGUE
from itaxl.thai import clean_text, is_blank

from .conftest import HERE, good_rows

MUTANTS = 300
CRASHES = HERE / "data" / "fuzz"

_TEXT = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),         # Thai
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),             # ASCII, = + - @ included
        st.sampled_from(["\n", "\t", "\r", "\u200b", "\u0e4d\u0e32", "๑", "“", "…"]),
    ),
    min_size=1, max_size=300,
).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_any_text_in_an_input_cell_comes_back_as_the_same_text(tmp_path_factory, measures_template, text):
    rows = good_rows()
    rows[0]["method"] = text
    path = fill(measures_template, tmp_path_factory.mktemp("p") / "t.xlsx", rows=rows)
    sub = itaxl.read(path)
    assert sub.measures[0].method == ("" if is_blank(text) else clean_text(text))


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def _pack(members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info.filename, data)
    return buf.getvalue()


def _mutate(rng: random.Random, data: bytes, members) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:  # bit flips anywhere
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == 1:  # truncated
        return data[: rng.randrange(len(data))]
    if kind == 2:  # two members' contents swapped
        a, b = rng.sample(range(len(members)), 2)
        swapped = list(members)
        swapped[a], swapped[b] = (members[a][0], members[b][1]), (members[b][0], members[a][1])
        return _pack(swapped)
    if kind == 3:  # one member's XML truncated or corrupted, then re-zipped
        i = rng.randrange(len(members))
        info, content = members[i]
        cut = content[: rng.randrange(len(content) + 1)] + bytes(rng.randrange(256) for _ in range(rng.randrange(8)))
        return _pack([*members[:i], (info, cut), *members[i + 1:]])
    i = rng.randrange(len(members))  # one member dropped
    return _pack([*members[:i], *members[i + 1:]])


def test_mutation_fuzz_never_raises(measures_valid, tmp_path):
    data = measures_valid.read_bytes()
    members = _members(data)
    rng = random.Random(2567)
    seen: set[str] = set()
    path = tmp_path / "mutant.xlsx"
    for runs in range(MUTANTS):
        mutant = _mutate(rng, data, members)
        path.write_bytes(mutant)
        try:
            sub = itaxl.read(path)
        except Exception:  # keep the input that crashed, as a fixture for the test below
            CRASHES.mkdir(parents=True, exist_ok=True)
            (CRASHES / f"crash-{runs}.xlsx").write_bytes(mutant)
            raise
        codes = {p.code for p in sub.problems}
        assert codes <= set(CATALOGUE), codes - set(CATALOGUE)
        seen.update(codes)
    assert seen & {"file-corrupt", "file-not-xlsx", "xml-forbidden", "not-itaxl", "sheet-missing"}, seen


@pytest.mark.parametrize("path", sorted(CRASHES.glob("*.xlsx")), ids=lambda p: p.name)
def test_inputs_that_once_crashed_the_reader(path):
    sub = itaxl.read(path)
    assert sub.problems and not sub.valid


def test_a_bug_in_the_reader_is_not_called_a_damaged_file(measures_valid, monkeypatch):
    """Only what a damaged value raises becomes file-unreadable; itaxl's own bug escapes (exit 3 in the CLI)."""
    import sys

    reader = sys.modules["itaxl.reader"]

    def broken(*args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(reader, "_read_package", broken)
    with pytest.raises(TypeError, match="a bug"):
        itaxl.read(measures_valid)


# Cell text from all of Unicode (surrogates and noncharacters included, as _xHHHH_ escapes
# since no file can hold them raw), numbers that are no numbers, and dates far away.
_ESCAPE = st.integers(0, 0xFFFF).map(lambda n: f"_x{n:04X}_")
_ANY_TEXT = st.lists(st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), _ESCAPE,
                               st.sampled_from(["=1+1", "@SUM(A1)", "\u202e", "\ufeff", "\u0e34", "_x0000_"])),
                     min_size=1, max_size=40).map("".join)
_ODD_NUMBER = st.one_of(st.sampled_from([float("nan"), float("inf"), -1e308, 1e308, -1, 0]),
                        st.floats(allow_nan=True, allow_infinity=True))
_ODD_DATE = st.dates(min_value=__import__("datetime").date(1900, 3, 1))


def _every_writer(tmp: Path, path: Path) -> None:
    """Read, check and write a workbook with every writer; each output must open."""
    import csv
    import json
    import docx
    import openpyxl
    from click.testing import CliRunner
    from itaxl.cli import cli

    sub = itaxl.read(path)
    for p in sub.problems:
        json.dumps(p.to_dict(), ensure_ascii=False).encode("utf-8")  # every message is valid text
    result = CliRunner().invoke(cli, ["validate", str(path), "--annotate", str(tmp / "ann"), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    json.loads(result.stdout)
    for copy in (tmp / "ann").glob("*.xlsx"):
        openpyxl.load_workbook(copy)
    result = CliRunner().invoke(cli, ["merge", str(path), "-o", str(tmp / "c.xlsx"), "--csv", str(tmp / "csv"),
                                      "--json", str(tmp / "c.json"), "--include-invalid"])
    assert result.exit_code in (0, 1), result.output
    if (tmp / "c.xlsx").exists():
        openpyxl.load_workbook(tmp / "c.xlsx")
        json.loads((tmp / "c.json").read_text(encoding="utf-8"))
        for table in (tmp / "csv").glob("*.csv"):
            list(csv.reader(table.open(encoding="utf-8-sig")))
    result = CliRunner().invoke(cli, ["report", str(path), "-o", str(tmp / "report.docx")])
    assert result.exit_code in (0, 1, 2), result.output
    assert "internal error" not in result.output
    if (tmp / "report.docx").exists():
        docx.Document(str(tmp / "report.docx"))


def _any_cells_case(tmp_path_factory, measures_template, text, number, day):
    from .conftest import good_header

    rows = good_rows()
    rows[0].update(method=text, measure=text[::-1] or "x", end=day)
    header = {**good_header(), "score_1": number, "reporter_name": text}
    tmp = tmp_path_factory.mktemp("any")
    path = fill(measures_template, tmp / "any.xlsx", header=header, rows=rows)
    _every_writer(tmp, path)


_FAST = settings(max_examples=6, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_LONG = settings(max_examples=150, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_FAST
@given(text=_ANY_TEXT, number=_ODD_NUMBER, day=_ODD_DATE)
def test_any_cells_go_through_every_writer(tmp_path_factory, measures_template, text, number, day):
    _any_cells_case(tmp_path_factory, measures_template, text, number, day)


@pytest.mark.slow
@_LONG
@given(text=_ANY_TEXT, number=_ODD_NUMBER, day=_ODD_DATE)
def test_any_cells_go_through_every_writer_long(tmp_path_factory, measures_template, text, number, day):
    _any_cells_case(tmp_path_factory, measures_template, text, number, day)
