"""The ITA framework as data: the shipped files, what a bad file is told, and the rating rules."""

from pathlib import Path

import pytest

from itaxl import framework as fw

SHIPPED_YEARS = list(range(2563, 2571))


def test_every_year_2563_to_2570_is_shipped_with_its_status():
    frameworks = fw.shipped_all()
    assert [f.year for f in frameworks] == SHIPPED_YEARS
    for f in frameworks:
        assert f.provenance.status in fw.STATUSES and f.provenance.source
        assert [i.code for i in f.instruments] == ["IIT", "EIT", "OIT"]
        assert [i.number for i in f.indicators] == list(range(1, 11))
        assert [i.instrument for i in f.indicators] == ["IIT"] * 5 + ["EIT"] * 3 + ["OIT"] * 2
        assert f.rating.pass_mark == 85
    assert fw.shipped(2570).provenance.status == "provisional"
    assert all(fw.shipped(y).rating.kind == "letters" for y in (2563, 2564, 2565, 2566))
    assert all(fw.shipped(y).rating.kind == "verbal" for y in (2567, 2568, 2569, 2570))


def test_item_codes_are_those_the_documents_answer():
    # The measures answering ITA 2563-2565 were published under O42/O43 (confirmed).
    for year in (2563, 2564, 2565):
        f = fw.shipped(year)
        assert (f.measures_item.code, f.progress_item.code) == ("O42", "O43")
        assert f.measures_item.provenance.status == "confirmed"
    f = fw.shipped(2568)
    assert (f.measures_item.code, f.progress_item.code) == ("O25", "O26")
    assert f.measures_item.provenance.status == "provisional"
    assert fw.shipped(2566).measures_item is None


@pytest.mark.parametrize("value, number", [
    ("9 การเปิดเผยข้อมูล", 9), (9, 9), (9.0, 9), ("๑๐", 10), ("ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร", 7),
    ("การใช้ทรัพย์สินของทางราชการ", 4), ("การปรับปรุงระบบการทำงาน", 8), ("10.2", 10),
    ("11", None), ("3 การเปิดเผยข้อมูล", None), ("อื่น ๆ", None), (True, None), (9.5, None),
])
def test_indicator_aliases(value, number):
    assert fw.shipped(2566).resolve_indicator(value) == number


def test_letter_grades_on_the_total():
    rating = fw.shipped(2566).rating
    assert [rating.of(s) for s in (100, 95, 94.99, 85, 75, 65, 55, 50, 49.99)] == \
        ["AA", "AA", "A", "A", "B", "C", "D", "E", "F"]
    assert rating.far_below == 75


def test_verbal_rating_depends_on_each_instrument():
    f = fw.shipped(2568)
    rating = f.rating
    # The news report: 94.64 with EIT under 85 is ผ่าน, not ผ่านดี.
    assert rating.of(94.64, {"IIT": 96.0, "EIT": 80.0, "OIT": 100.0}) == "ผ่าน"
    assert rating.of(94.64, {"IIT": 96.0, "EIT": 90.0, "OIT": 96.0}) == "ผ่านดี"
    assert rating.of(96.0, {"IIT": 96.0, "EIT": 95.0, "OIT": 97.0}) == "ผ่านดีเยี่ยม"
    assert rating.of(80.0, {"IIT": 96.0, "EIT": 95.0, "OIT": 60.0}) == "ต้องปรับปรุง"
    assert rating.of(69.99, None) == "ต้องปรับปรุงโดยด่วน"
    assert rating.of(94.64, None) is None  # it depends on scores not given
    assert rating.possible(94.64) == ("ผ่านดี", "ผ่าน")
    assert rating.far_below == 70


def test_total_weights_instruments():
    f = fw.shipped(2566)
    assert f.total_from_indicators({n: 80.0 for n in range(1, 11)}) == 80.0
    assert f.total_from_indicators({**{n: 100.0 for n in range(1, 9)}, 9: 0.0, 10: 0.0}) == 60.0
    assert f.total_from_indicators({n: 80.0 for n in range(1, 10)}) is None


def test_the_identity_is_the_content_not_the_text():
    import hashlib

    path = fw.SHIPPED_DIR / "ita-2568.toml"
    shipped = fw.shipped(2568)
    assert shipped.text_sha256 == hashlib.sha256(path.read_bytes()).hexdigest() != shipped.sha256
    edited = fw.parse(shipped.text.replace("\nyear = 2568", "\n# a comment\n\nyear   =   2568", 1), "edited.toml")
    assert edited.sha256 == shipped.sha256 and edited.text_sha256 != shipped.text_sha256
    changed = fw.parse(shipped.text.replace(shipped.title_th, shipped.title_th + " (แก้ไข)", 1), "changed.toml")
    assert changed.sha256 != shipped.sha256
    # a workbook made before content identity recorded the text's hash: it finds the same framework
    assert fw.SHIPPED.by_sha(shipped.text_sha256) is shipped is fw.SHIPPED.by_sha(shipped.sha256)


def test_a_copy_for_another_year_names_that_year_and_a_title_must_match(tmp_path):
    copied = fw.load(fw.copy(2569, tmp_path / "ita-2571.toml"))
    assert copied.year == 2571 and copied.title_th.endswith("พ.ศ. 2571")
    assert fw.load(fw.copy(2569, tmp_path / "other.toml", new_year=2572)).year == 2572
    wrong = fw.shipped(2569).text.replace("year = 2569", "year = 2571", 1)
    with pytest.raises(fw.FrameworkError, match="title names B.E. 2569, but year is 2571") as exc:
        fw.parse(wrong, "wrong.toml")
    assert exc.value.key == "title_th" and exc.value.line is not None


@pytest.mark.parametrize("change, line_text, key", [
    (("weight = 0.4", "weight = 0.5"), None, "weight"),
    (('instrument = "EIT"', 'instrument = "XIT"'), 'instrument = "XIT"', "indicators[5].instrument"),
    (("pass_mark = 85", "pass_mark = 86"), "pass_mark = 86", "rating.pass_mark"),
    (('kind = "verbal"', 'kind = "stars"'), 'kind = "stars"', "rating.kind"),
    (('name_th = "การใช้อำนาจ"\n', ''), "[[indicators]]", "indicators[2].name_th"),
    (("{ name = \"ผ่าน\", name_en = \"Pass\", total = 85 }", "{ name = \"ผ่าน\", name_en = \"Pass\", total = 90 }"),
     "total = 90", "rating.bands[2].total"),
    (('status = "provisional"\nsource = "agencies', 'status = "maybe"\nsource = "agencies'), 'status = "maybe"',
     "status"),
])
def test_a_bad_file_is_refused_with_its_line_and_key(tmp_path, change, line_text, key):
    text = fw.shipped(2568).text
    assert change[0] in text
    bad = text.replace(change[0], change[1], 1)
    path = tmp_path / "ita-2571.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(fw.FrameworkError) as caught:
        fw.load(path)
    error = caught.value
    assert error.key == key and str(path) in str(error)
    if line_text is not None:
        assert line_text in bad.splitlines()[error.line - 1]
    else:
        assert error.line is not None


def test_broken_toml_names_its_line(tmp_path):
    path = tmp_path / "ita-2571.toml"
    path.write_text("year = 2571\nstatus = \n", encoding="utf-8")
    with pytest.raises(fw.FrameworkError, match="line 2"):
        fw.load(path)


def test_a_year_not_shipped_says_how_to_make_one():
    with pytest.raises(fw.UsageError, match="frameworks copy"):
        fw.shipped(2590)


# --------------------------------------------------------------------------- end to end

import datetime  # noqa: E402

import openpyxl  # noqa: E402

import itaxl  # noqa: E402
from itaxl import templates  # noqa: E402
from itaxl.fill import fill  # noqa: E402
from itaxl.schema import Kind, spec_for  # noqa: E402

from .conftest import FY, ORG, document_text, good_answers, good_header, good_progress_header, good_rows  # noqa: E402

ELEVEN = {"number": 11, "name": "การนำผลการประเมินไปพัฒนาองค์กร"}


def _eleven_indicator_text() -> str:
    """A made-up framework for ITA 2566: eleven indicators (the 11th under OIT), a verbal
    rating and item codes — what central staff would write for a year that changed."""
    text = fw.copied_text(2569, FY - 1)
    eleventh = (f'\n[[indicators]]\nnumber = 11\nname_th = "{ELEVEN["name"]}"\nname_en = "Use of the results"\n'
                'instrument = "OIT"\nstatus = "provisional"\nsource = "a test"\n')
    marker = "# ---------------------------------------------------------------- rating"
    text = text.replace(marker, eleventh + "\n" + marker, 1)
    return text + ('\n[documents.measures]\ncode = "O99"\ntitle_th = "มาตรการทดสอบ"\n'
                   '\n[documents.progress]\ncode = "O100"\ntitle_th = "รายงานทดสอบ"\n')


@pytest.fixture(scope="module")
def eleven(tmp_path_factory):
    path = tmp_path_factory.mktemp("framework") / "ita-eleven.toml"
    path.write_text(_eleven_indicator_text(), encoding="utf-8")
    return fw.load(path)


def _scores(framework, **by_instrument: float) -> dict[int, float]:
    return {i.number: by_instrument[i.instrument] for i in framework.indicators}


def _header(framework, scores: dict[int, float], rating: str | None = None) -> dict:
    total = framework.total_from_indicators(scores)
    header = {k: v for k, v in good_header().items() if not k.startswith("score_")}
    return header | {f"score_{n}": v for n, v in scores.items()} | {
        "total_score": total, "grade": rating or framework.rating.of(total, framework.instrument_scores(scores))}


def test_eleven_indicators_and_a_verbal_rating_from_template_to_report(eleven, tmp_path):
    catalogue = fw.Catalogue((eleven,))
    template = templates.measures(ORG, FY, tmp_path / "measures.xlsx", framework=eleven)
    spec = spec_for(Kind.MEASURES, eleven)
    book = openpyxl.load_workbook(template)
    form = book[spec.form.name]
    assert form[spec.form.cell_of("score_11")].value is None
    assert form[f"A{spec.form.row_of('score_11')}"].value.startswith(f"ตัวชี้วัดที่ 11 {ELEVEN['name']}")
    lists = book["รายการ"]
    column = {lists.cell(1, c).value: c for c in range(1, lists.max_column + 1)}
    values = lambda name: [lists.cell(r, column[name]).value for r in range(2, lists.max_row + 1)  # noqa: E731
                           if lists.cell(r, column[name]).value]
    assert values("indicator")[-1] == f"11 {ELEVEN['name']}"
    assert values("grade") == list(eleven.rating.names)

    scores = _scores(eleven, IIT=90.0, EIT=90.0, OIT=88.0)
    rows = good_rows() + [{**good_rows()[2], "number": 4, "indicator": f"11 {ELEVEN['name']}",
                           "issue": "ยังไม่ได้นำผลการประเมินไปใช้",
                           "measure": "นำผลการประเมินไปจัดทำแผนพัฒนาองค์กร",
                           "method": "ประชุมผู้บริหารเพื่อวิเคราะห์ผลการประเมินและกำหนดแผนพัฒนา"}]
    filled = fill(template, tmp_path / "measures-filled.xlsx", header=_header(eleven, scores), rows=rows,
                  catalogue=catalogue)
    sub = itaxl.read(filled, catalogue=catalogue)
    assert [p.code for p in sub.problems if p.is_error or p.is_warning] == []
    assert sub.framework == eleven and sub.header["score_11"] == 88.0 and sub.measures[3].indicator == 11
    assert sub.header["grade"] == "ผ่านดี"

    # Without the framework file, the workbook says which one it needs.
    alone = itaxl.read(filled)
    assert [p.code for p in alone.problems] == ["framework-unknown"]
    assert eleven.sha256[:8] in alone.problems[0].message_en
    other = fw.Catalogue((fw.shipped(2566),))
    assert "framework-mismatch" in [p.code for p in itaxl.read(filled, catalogue=other).problems]

    progress = templates.progress(filled, 6, tmp_path / "progress.xlsx", catalogue=catalogue)
    answers = good_answers() + [{"status": "ยังไม่ดำเนินการ"}]
    reported = fill(progress, tmp_path / "progress-filled.xlsx", header=good_progress_header(), rows=answers,
                    catalogue=catalogue)
    assert itaxl.read(reported, catalogue=catalogue).valid

    result = itaxl.merge([filled, reported], catalogue=catalogue)
    indicators = result.frames["indicators"]
    assert indicators.loc[0, "indicator_11"] == 1
    assert result.tables["indicators"].headers[result.tables["indicators"].keys.index("indicator_11")] \
        == f"11 {ELEVEN['name']}"
    assert result.summary["rating_counts"] == {str(FY - 1): {**dict.fromkeys(eleven.rating.names, 0), "ผ่านดี": 1}}

    (out,), _ = itaxl.report(filled, tmp_path / "report.docx", catalogue=catalogue, thai_digits=False)
    texts = document_text(out).split("\n")
    # the measures under their indicators: the framework's eleventh among them
    assert [t for t in texts if t.startswith(f"ตัวชี้วัดที่ 11 {ELEVEN['name']}")]
    assert any("ข้อ O99 มาตรการทดสอบ" in t for t in texts)


def _shifted(value, years: int):
    return value.replace(year=value.year + years) if isinstance(value, datetime.date) else value


@pytest.mark.parametrize("rating, found", [("ผ่านดี", ["grade-mismatch-provisional"]), ("ผ่าน", [])])
def test_the_verbal_rating_of_2569_checks_each_instrument(tmp_path, rating, found):
    """94.64 with EIT under 85, rated ผ่านดี, is worth a look; rated ผ่าน it is quiet.  The 2569
    rules are provisional, so the finding is a warning that says so, not an error."""
    framework = fw.shipped(2569)
    fiscal_year = 2570
    scores = _scores(framework, IIT=100.0, EIT=84.0, OIT=98.6)
    header = {k: _shifted(v, fiscal_year - FY) for k, v in _header(framework, scores, rating).items()}
    assert header["total_score"] == 94.64
    rows = [{k: _shifted(v, fiscal_year - FY) for k, v in row.items()} for row in good_rows()]
    template = templates.measures(ORG, fiscal_year, tmp_path / "m.xlsx")
    sub = itaxl.read(fill(template, tmp_path / "f.xlsx", header=header, rows=rows))
    assert sub.framework == framework
    assert framework.rating.provenance.status == "provisional"
    assert [p.code for p in sub.problems if p.code.startswith("grade-")] == found
    assert sub.valid
    if found:
        message = next(p for p in sub.problems if p.code == "grade-mismatch-provisional").message_en
        assert "EIT 84.00" in message and "they give ผ่าน" in message and "provisional" in message


def test_a_merge_of_two_years_counts_each_on_its_own_scale(tmp_path, measures_valid):
    framework = fw.shipped(2569)
    scores = _scores(framework, IIT=100.0, EIT=84.0, OIT=98.6)
    header = {k: _shifted(v, 3) for k, v in _header(framework, scores).items()}
    rows = [{k: _shifted(v, 3) for k, v in row.items()} for row in good_rows()]
    template = templates.measures("6311006", 2570, tmp_path / "m.xlsx")
    later = fill(template, tmp_path / "later.xlsx", header=header, rows=rows)
    result = itaxl.merge([measures_valid, later])
    counts = result.summary["rating_counts"]
    letters = fw.shipped(FY - 1).rating
    assert counts == {
        str(FY - 1): {**dict.fromkeys(letters.names, 0), letters.of(good_header()["total_score"]): 1},
        "2569": {**dict.fromkeys(framework.rating.names, 0), "ผ่าน": 1},
    }
    offices = result.frames["offices"].set_index("org_code")
    assert offices.loc["6311006", "ita_year"] == 2569 and offices.loc["6311006", "ita_grade"] == "ผ่าน"


def test_readme_shows_the_real_framework_list():
    from click.testing import CliRunner

    from itaxl.cli import cli

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    block = readme.split("<!-- frameworks-list:start -->\n```\n")[1].split("```\n<!-- frameworks-list:end -->")[0]
    command, shown = block.split("\n", 1)
    assert command == "$ itaxl frameworks list"
    result = CliRunner().invoke(cli, ["frameworks", "list"])
    assert result.exit_code == 0 and result.output == shown, "README is stale: paste `itaxl frameworks list`"


def test_a_bad_framework_stops_every_command_before_anything_is_written(tmp_path, measures_valid):
    from click.testing import CliRunner

    from itaxl.cli import cli

    bad = tmp_path / "ita-bad.toml"
    bad.write_text(fw.shipped(2569).text.replace("weight = 0.4", "weight = 0.5"), encoding="utf-8")
    for args in (["template", "measures", "-y", "2567", "-o", str(tmp_path / "t.xlsx")],
                 ["validate", str(measures_valid)],
                 ["merge", str(measures_valid), "-o", str(tmp_path / "c.xlsx")],
                 ["report", str(measures_valid), "-o", str(tmp_path / "r.docx")],
                 ["frameworks", "show", str(bad)]):
        result = CliRunner().invoke(cli, [*args, "--framework", str(bad)] if args[0] != "frameworks" else args)
        assert result.exit_code == 2, (args, result.output)
        assert f"{bad}, line " in result.output and "weights add up to 1.1" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ita-bad.toml"]


def test_a_template_with_a_framework_of_another_year_is_refused(tmp_path):
    from itaxl import templates

    with pytest.raises(fw.UsageError, match="analyses ITA 2566"):
        templates.measures(None, 2567, tmp_path / "t.xlsx", framework=fw.shipped(2568))


def test_superseded_versions_are_valid_and_distinct():
    current = {f.sha256 for f in fw.shipped_all()}
    old = fw.superseded()
    assert len({f.sha256 for f in old}) == len(old) and not current & {f.sha256 for f in old}
    for f in old:
        assert Path(f.origin).name == f"ita-{f.year}-{f.sha256[:8]}.toml"


def test_a_workbook_made_before_its_framework_was_corrected_is_read_with_the_old_one(tmp_path, monkeypatch):
    """A provisional year corrected in a later release: templates already sent out still validate."""
    from itaxl import templates

    shipped = fw.shipped(FY - 1)
    before = fw.parse(shipped.text.replace(shipped.provenance.source, shipped.provenance.source + " (as first shipped)"),
                      str(tmp_path / "x.toml"))
    template = templates.measures(ORG, FY, tmp_path / "m.xlsx", framework=before)
    filled = fill(template, tmp_path / "f.xlsx", header=good_header(), rows=good_rows(),
                  catalogue=fw.Catalogue((before,)))
    assert [p.code for p in itaxl.read(filled).problems] == ["framework-unknown"]

    moved = tmp_path / "superseded"
    moved.mkdir()
    (moved / f"ita-{before.year}-{before.sha256[:8]}.toml").write_text(before.text, encoding="utf-8")
    monkeypatch.setattr(fw, "SUPERSEDED_DIR", moved)
    fw.superseded.cache_clear()
    try:
        sub = itaxl.read(filled)
        assert sub.valid and sub.framework.sha256 == before.sha256
        test_superseded_versions_are_valid_and_distinct()
    finally:
        monkeypatch.undo()
        fw.superseded.cache_clear()


def test_a_ledger_keeps_a_given_framework_for_the_workbooks_read_with_it(eleven, tmp_path):
    """Stored once with --framework, read back without its file: the ledger keeps its text."""
    from itaxl.ledger import Ledger

    catalogue = fw.Catalogue((eleven,))
    template = templates.measures(ORG, FY, tmp_path / "measures.xlsx", framework=eleven)
    scores = _scores(eleven, IIT=90.0, EIT=90.0, OIT=88.0)
    filled = fill(template, tmp_path / "filled.xlsx", header=_header(eleven, scores), rows=good_rows(),
                  catalogue=catalogue)
    with Ledger.open(tmp_path / "ledger", create=True, catalogue=catalogue) as book:
        assert book.add([filled]).stats["valid"] == 1
    with Ledger.open(tmp_path / "ledger") as book:  # no --framework this time
        result = book.merge()
    assert "indicator_11" in result.tables["indicators"].keys
    (sub,) = [e.sub for e in result.files]
    assert sub.framework.sha256 == eleven.sha256 and sub.valid
