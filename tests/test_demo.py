"""`itaxl demo` on the bundled samples, and the samples against their sources."""

import json

from click.testing import CliRunner

import itaxl
from itaxl import samples
from itaxl.cli import cli
from itaxl.schema import resolve_indicator


def test_demo_writes_what_it_says(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx"))
    assert "templates/measures-2567-blank.xlsx" in written
    assert "samples/measures-2564-6410124.xlsx" in written
    assert "consolidated.xlsx" in written
    for name in written:
        assert name.split("/")[-1] in result.output
    assert "Summary:" in result.output


def test_sample_reads_back_to_its_source(tmp_path):
    source = samples.load_source(samples.SOURCE_DIR / "6410124.json")
    path = samples.build_measures(source, tmp_path / "s.xlsx")
    sub = itaxl.read(path)
    rows = source["measures"]["rows"]
    assert [m.measure for m in sub.measures] == [r["measure"] for r in rows]
    assert [m.method for m in sub.measures] == [r["method"] for r in rows]
    assert [m.indicator for m in sub.measures] == [resolve_indicator(r["indicator"]) for r in rows]
    assert sub.header["total_score"] == 50.12 and sub.header["grade"] == "E"
    # The seed's own mistake is caught where it is: numbering restarts at the third measure.
    assert [(p.code, p.cell) for p in sub.problems if p.code == "numbering-repeated"] == [("numbering-repeated", "A6")]
    # Its published total is reproduced from its indicator scores: no total-mismatch.
    assert "total-mismatch" not in {p.code for p in sub.problems}
