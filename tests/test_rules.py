"""Rules as units: declared, listed, skipped, and tried on submissions built in memory."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

import itaxl
from itaxl import problems, rules
from itaxl.cli import cli
from itaxl.errors import UsageError
from itaxl.fieldtypes import Url
from itaxl.reader import Submission, read_workbook
from itaxl.rulebook import FREE_TEXT, LONG_TEXT, REQUIRED, SCORES, TEXT
from itaxl.rules import RULES, Checklist, rule_named
from itaxl.schema import Kind, Status, default_layout, spec_for

from .conftest import FY, ORG, codes, good_answers, good_rows

PSEUDO_KEYS = {REQUIRED, FREE_TEXT, LONG_TEXT, TEXT}


# --------------------------------------------------------------------------- declarations


def test_names_families_and_codes_never_collide():
    names = [r.name for r in RULES]
    families = set(rules.families())
    rule_codes = {c for r in RULES for c in r.codes}
    assert len(names) == len(set(names))
    assert not families & set(problems.CATALOGUE), "a family name that is also a code would make --skip ambiguous"
    assert not families & set(names)
    assert rule_codes <= set(problems.CATALOGUE)


def test_every_field_a_rule_reads_is_in_the_layout():
    layout = default_layout()
    for r in RULES:
        keys = set()
        for kind in r.kinds:
            spec = spec_for(kind, layout=layout)
            keys |= {f.key for f in spec.form.fields} | {f.key for f in spec.table.columns}
        for read in r.reads:
            if read in PSEUDO_KEYS:
                continue
            key = read.format(number=1) if read == SCORES else read
            assert key in keys, f"rule {r.name} reads {read!r}, which no {r.kinds} workbook has"


def test_every_rule_has_both_descriptions_on_one_line():
    for r in RULES:
        for text in (r.th, r.en):
            assert text and "\n" not in text and len(text) <= 120, r.name
        assert re.search("[\u0e00-\u0e7f]", r.th) and not re.search("[\u0e00-\u0e7f]", r.en), r.name


def test_the_reader_never_reports_a_rule_code(measures_valid, progress_r6, tmp_path):
    """What is skippable is a rule's alone: skipping it cannot hide what the reader found."""
    from itaxl import samples

    rule_codes = {c for r in RULES for c in r.codes}
    for path in [*samples.INBOX_DIR.rglob("*.xlsx"), measures_valid, progress_r6]:
        assert not codes(read_workbook(path)) & rule_codes, path


# --------------------------------------------------------------------------- in memory


def _progress(**row) -> Submission:
    header = {"org_code": ORG, "report_date": dt.date(2024, 4, 5)}
    base = {"number": 1, "measure": "เผยแพร่ข้อมูลบนเว็บไซต์", "status": Status.IN_PROGRESS, "result": "จัดทำร่างแล้ว"}
    return Submission.build(Kind.PROGRESS, FY, round=6, header=header, rows=[{**base, **row}])


def test_a_rule_checks_a_submission_built_in_memory():
    links = rule_named("evidence-links")
    assert links.check(_progress(evidence_url="https://www.khoksanuan.go.th/news/1")) == []
    found = links.check(_progress(evidence_url="https://www.khoksanuan.go.th/news/1 www.khoksanuan.go.th"))
    table = spec_for(Kind.PROGRESS).table
    assert [(p.code, p.sheet, p.cell, p.params["value"]) for p in found] == [
        ("url-invalid", table.name, table.cell_of("evidence_url", table.first_data_row), "www.khoksanuan.go.th")]


def test_progress_status_in_memory():
    status = rule_named("progress-status")
    done = _progress(status=Status.DONE, result="", done_date=None)
    assert [p.code for p in status.check(done)] == ["done-without-result", "done-without-date"]
    assert status.check(_progress(status=Status.DONE, result="ประกาศแล้ว", done_date=dt.date(2024, 2, 6))) == []


def test_plan_dates_in_memory():
    sub = Submission.build("measures", FY, header={"org_code": ORG}, rows=[
        {"number": 1, "start": dt.date(2024, 3, 1), "end": dt.date(2024, 1, 31)},
        {"number": 2, "start": dt.date(2022, 3, 1), "end": dt.date(2024, 1, 31)}])
    found = rule_named("plan-dates").check(sub)
    table, first = sub.spec.table, sub.spec.table.first_data_row
    assert [(p.code, p.cell) for p in found] == [("date-order", table.cell_of("end", first)),
                                                 ("date-outside-fiscal-year", table.cell_of("start", first + 1))]


def test_a_rule_does_not_run_where_it_does_not_apply():
    measures = Submission.build("measures", FY, rows=[{"number": 1}])
    assert not rule_named("evidence-links").applies_to(measures)
    no_round = Submission.build("progress", FY, header={"report_date": dt.date(2024, 1, 1)},
                                rows=[{"status": Status.DONE}])
    assert rule_named("progress-status").check(no_round) == []  # the reader reports the unknown round


def test_build_refuses_a_key_the_workbook_has_not():
    with pytest.raises(KeyError, match="budget"):
        Submission.build("progress", FY, rows=[{"budget": 1}])


# --------------------------------------------------------------------------- the checklist


def test_a_family_stands_for_all_its_codes():
    text = Checklist(("text",))
    assert set(text.skipped) == {c for r in RULES if r.family == "text" for c in r.codes}
    assert Checklist(("url-invalid", "url-invalid")).skip == ("url-invalid",)
    assert Checklist().skipped == []


@pytest.mark.parametrize("name, says", [
    ("texts", "did you mean 'text'"),
    ("url-invalidd", "did you mean 'url-invalid'"),
    ("formula-in-cell", "found while the workbook is read"),
])
def test_a_name_no_rule_has_is_refused(name, says):
    with pytest.raises(UsageError, match=says):
        Checklist((name,))


def test_skipping_a_code_removes_only_it(filled_progress):
    path = filled_progress(answers=[{**good_answers()[0], "evidence_url": "www.khoksanuan.go.th", "result": ""},
                                    *good_answers()[1:]])
    every = itaxl.read(path)
    assert {"url-invalid", "done-without-result"} <= codes(every)
    skipped = itaxl.read(path, skip=["url-invalid"])
    assert [p for p in every.problems if p.code != "url-invalid"] == skipped.problems
    assert not skipped.valid  # done-without-result is still an error
    assert itaxl.read(path, skip=["url-invalid", "progress"]).valid


def test_a_rule_all_of_whose_codes_are_skipped_does_not_run(filled, monkeypatch):
    from itaxl.rulebook import rule

    @rule("exploding", family="spare", codes=("text-spelling",), reads=(), th="ทดลอง", en="test")
    def exploding(sub, ctx):
        raise AssertionError("ran")

    monkeypatch.setattr(rules, "RULES", (*RULES, exploding))
    path = filled()
    assert itaxl.read(path, skip=["spare"]).valid
    with pytest.raises(AssertionError, match="ran"):
        itaxl.read(path)


def test_a_rule_reporting_a_code_it_does_not_declare_is_a_bug(filled, monkeypatch):
    from itaxl.rulebook import rule

    @rule("liar", family="spare", codes=("text-spelling",), reads=(), th="ทดลอง", en="test")
    def liar(sub, ctx):
        ctx.add("text-markup", None, None, found="<b>")

    monkeypatch.setattr(rules, "RULES", (*RULES, liar))
    with pytest.raises(AssertionError, match="liar"):
        itaxl.read(filled())


# --------------------------------------------------------------------------- the words of a rule


def test_every_text_that_states_the_link_rule_takes_its_words_from_the_type(progress_r6):
    import openpyxl

    from itaxl.schema import SHEET_GUIDE

    progress = spec_for(Kind.PROGRESS)
    assert Url.rule_th in progress.table.field("evidence_url").help_th
    book = openpyxl.load_workbook(progress_r6)
    guide = [c.value for row in book[SHEET_GUIDE].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(Url.rule_th in line for line in guide)
    table = book[progress.table.name]
    prompts = [dv.prompt for dv in table.data_validations.dataValidation if dv.prompt]
    assert any(Url.rule_th in prompt for prompt in prompts)
    code = problems.CATALOGUE["url-invalid"]
    assert Url.rule_th in code.th and Url.rule_en in code.en
    assert Url.rule_th in rule_named("evidence-links").th


def test_help_that_names_a_rule_its_type_has_not_is_refused():
    from itaxl.schema import LayoutError, parse

    from pathlib import Path

    text = Path(default_layout().origin).read_text("utf-8")
    broken = text.replace('help_th = "รหัส อปท. ๗ หลัก', 'help_th = "{rule} รหัส อปท. ๗ หลัก', 1)
    assert broken != text
    with pytest.raises(LayoutError, match=r"\{rule\}"):
        parse(broken, "schema-x.toml")


# --------------------------------------------------------------------------- the command line


def test_rules_list_names_every_rule_and_code():
    result = CliRunner().invoke(cli, ["rules", "list"])
    assert result.exit_code == 0
    for r in RULES:
        assert re.search(rf"^{r.family}\s+{r.name}\s+{', '.join(r.severities)}\s+{re.escape(r.en)}$",
                         result.output, re.M), r.name
        assert " ".join(r.codes) in result.output
    thai = CliRunner().invoke(cli, ["rules", "list", "--lang", "th"])
    assert all(r.th in thai.output for r in RULES)
    listed = json.loads(CliRunner().invoke(cli, ["rules", "list", "--format", "json"]).output)
    assert [d["name"] for d in listed] == [r.name for r in RULES]
    assert listed[0] == RULES[0].to_dict()


def test_validate_skip_names_what_was_skipped(filled_progress):
    path = filled_progress(answers=[{**good_answers()[0], "evidence_url": "www.khoksanuan.go.th"},
                                    *good_answers()[1:]])
    plain = CliRunner().invoke(cli, ["validate", str(path), "--format", "json"])
    assert plain.exit_code == 1 and json.loads(plain.output)["skipped"] == []
    result = CliRunner().invoke(cli, ["validate", str(path), "--format", "json", "--skip", "url-invalid"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert doc["skipped"] == ["url-invalid"] and doc["files"][0]["valid"]
    assert "not checked (--skip): url-invalid (1 code)" in result.stderr


def test_validate_refuses_an_unknown_skip_before_reading(filled):
    result = CliRunner().invoke(cli, ["validate", str(filled()), "--skip", "progres"])
    assert result.exit_code == 2
    assert "no rule code or family is called 'progres' (did you mean 'progress'?)" in result.stderr
    assert "%" not in result.stdout and "valid" not in result.stdout  # nothing was read


def test_merge_skip_is_in_its_json_and_on_its_summary(filled, tmp_path):
    import openpyxl

    path = filled(rows=[{**good_rows()[0], "measure": "ผลการดำเนินการ ดำเนินการแล้วเสร็จ เมื่อ ๑ ม.ค. ๒๕๖๗"},
                        *good_rows()[1:]])
    out, summary = tmp_path / "c.xlsx", tmp_path / "s.json"
    result = CliRunner().invoke(cli, ["merge", str(path), "-o", str(out), "--json", str(summary), "--skip", "text"])
    assert result.exit_code == 0, result.output
    doc = json.loads(summary.read_text("utf-8"))
    assert "measure-reads-as-result" in doc["skipped"] and doc["summary"]["problems"] == 0
    labels = [c.value for c in openpyxl.load_workbook(out)["สรุป"]["A"]]
    assert "รหัสปัญหาที่ไม่ได้ตรวจ (--skip)" in labels
    again = itaxl.merge([path])
    assert again.skipped == [] and again.summary["problems"] >= 1


def test_readme_shows_the_real_rules_list():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    block = readme.split("<!-- rules-list:start -->\n```\n$ itaxl rules list\n")[1].split("```\n<!-- rules-list:end")[0]
    assert block == CliRunner().invoke(cli, ["rules", "list"]).output, "README is stale: paste `itaxl rules list`"


# --------------------------------------------------------------------------- plans are not slips


@pytest.mark.parametrize("column", ["obstacles", "outcome"])
def test_a_date_said_in_the_future_tense_is_a_plan(column):
    dates = rule_named("dates-in-results")
    for text in ("คาดว่าจะแล้วเสร็จภายในเดือนสิงหาคม ๒๕๖๗",
                 "งบประมาณไม่เพียงพอ จะดำเนินการต่อในเดือนกรกฎาคม ๒๕๖๗",
                 "มีแผนจัดอบรมครั้งที่ ๒ ในวันที่ ๑๕ มิถุนายน ๒๕๖๗"):
        assert dates.check(_progress(**{column: text})) == [], text
    # the same date told as done is after the report of 5 April 2024: worth a look
    said = dates.check(_progress(**{column: "จัดอบรมครั้งที่ ๒ เมื่อวันที่ ๑๕ มิถุนายน ๒๕๖๗"}))
    assert [p.code for p in said] == ["date-in-text-outside-round"]


def test_a_result_in_the_future_tense_is_still_checked():
    said = rule_named("dates-in-results").check(_progress(result="จะจัดอบรมในวันที่ ๑๕ มิถุนายน ๒๕๖๗"))
    assert [p.code for p in said] == ["date-in-text-outside-round"]


def test_a_rating_under_provisional_rules_is_a_warning_that_says_so():
    from itaxl.framework import SHIPPED, assessed_year

    rating = rule_named("rating")
    for fy, code in ((FY, "grade-mismatch"), (2569, "grade-mismatch-provisional")):
        framework = SHIPPED.for_plan(fy)
        scores = {n: 95.0 for n in framework.numbers}
        total = framework.total_from_indicators(scores)
        right = framework.rating.of(total, framework.instrument_scores(scores))
        wrong = next(n for n in framework.rating.names if n != right)
        header = {"org_code": ORG, "assessed_year": assessed_year(fy), "total_score": total, "grade": wrong,
                  **{f"score_{n}": v for n, v in scores.items()}}
        (found,) = rating.check(Submission.build("measures", fy, header=header, rows=[{"number": 1}]))
        assert found.code == code, fy
        assert found.is_error is (framework.rating.provenance.status == "confirmed")
        assert rating.check(Submission.build("measures", fy, header={**header, "grade": right},
                                             rows=[{"number": 1}])) == []
    assert "ยังไม่ยืนยัน" in found.message_th and "provisional" in found.message_en


def test_misspelt_office_titles_are_found_and_right_ones_are_not():
    titles = rule_named("office-titles")
    for text, found in (("๑. องค์กรบริหารส่วนตำบลโคกสนวนดำเนินการให้แล้วเสร็จ", "องค์กรบริหารส่วนตำบล"),
                        ("นายกองการบริหารส่วนจังหวัดบุรีรัมย์เป็นประธาน", "องการบริหารส่วนจังหวัด")):
        (p,) = titles.check(_progress(result=text))
        assert (p.code, p.params["found"]) == ("text-office-title-misspelt", found)
        assert p.params["expected"] in ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด")
    for text in ("องค์การบริหารส่วนตำบลโคกสนวนดำเนินการแล้ว", "องค์กรปกครองส่วนท้องถิ่นทุกแห่ง",
                 "นายกองคํการบริหารส่วนตำบล"):  # the last: a stray nikhahit, which text-nikhahit names
        assert titles.check(_progress(result=text)) == [], text


def test_a_status_its_row_contradicts():
    rule = rule_named("status-consistency")

    def found(**row):
        return [p.code for p in rule.check(_progress(**row))]

    # a completion date on a measure not done
    assert found(status=Status.IN_PROGRESS, done_date=dt.date(2024, 2, 6)) == ["status-not-done-with-date"]
    assert found(status=Status.NOT_STARTED, result="", done_date=dt.date(2024, 2, 6)) == [
        "status-not-done-with-date"]
    # done, while the result says the work goes on
    assert found(status=Status.DONE, done_date=dt.date(2024, 2, 6),
                 result="อยู่ระหว่างดำเนินการจัดทำคู่มือ") == ["status-done-result-under-way"]
    assert found(status=Status.DONE, done_date=dt.date(2024, 2, 6),
                 result="ยังไม่ได้ดำเนินการ เนื่องจากงบประมาณไม่เพียงพอ") == ["status-done-result-under-way"]
    # in progress, while the result says it is finished
    assert found(status=Status.IN_PROGRESS,
                 result="จัดทำประกาศนโยบายไม่รับของขวัญแล้วเสร็จ และเผยแพร่บนเว็บไซต์เรียบร้อยแล้ว") == [
        "status-not-done-result-finished"]
    # rows that agree say nothing
    assert found(status=Status.DONE, done_date=dt.date(2024, 2, 6),
                 result="ดำเนินการจัดทำ Messenger Live Chat เรียบร้อยแล้ว และสามารถใช้งานได้จริง") == []
    assert found(status=Status.DONE, done_date=dt.date(2024, 2, 6),
                 result="ขั้นตอนที่ ๑ อยู่ระหว่างดำเนินการ ขั้นตอนที่ ๒ ดำเนินการแล้วเสร็จ") == []
    assert found(status=Status.IN_PROGRESS, result="จัดทำร่างแนวทางปฏิบัติแล้ว รอประชุมชี้แจงบุคลากร") == []
    assert found(status=Status.IN_PROGRESS, result="ขั้นตอนที่ ๑ แล้วเสร็จ อยู่ระหว่างขั้นตอนที่ ๒") == []
    assert found(status=Status.IN_PROGRESS, result="คาดว่าจะแล้วเสร็จภายในเดือนสิงหาคม ๒๕๖๗") == []
    assert found(status=Status.NOT_STARTED, result="") == []


def test_a_word_typed_twice():
    rule = rule_named("doubled-words")
    for text, found in (("เผยแพร่ข้อมูล ข้อมูล บนเว็บไซต์", "ข้อมูล ข้อมูล"), ("ผ่านทาง Facebook Facebook", "Facebook Facebook"),
                        # a word that needs what follows, typed twice where the second run goes on
                        ("จัดทำคู่มือเพื่อ ให้ ให้บุคลากรถือปฏิบัติ", "ให้ ให้"), ("ประชาสัมพันธ์ให้ ให้ประชาชนทราบ", "ให้ ให้"),
                        ("ฝึกอบรมหรือประชุมพนักงานเพื่อให้ ให้ความรู้เกี่ยวกับผลประโยชน์ทับซ้อน", "ให้ ให้"),  # seed 003
                        ("จัดซื้อวัสดุและ และครุภัณฑ์", "และ และ")):
        got = rule.check(_progress(result=text))
        assert [(p.code, p.params["found"]) for p in got] == [("text-doubled-word", found)], text
    for text in ("กิจกรรมต่าง ๆ ของหน่วยงาน", "ทุกๆ เดือน", "ขั้นตอนที่ ๑. ๑. ประชุม",
                 "ชุมชน ชุมชนบ้านโคก",            # a noun before a name that starts with it
                 "เจ้าหน้าที่ ที่รับผิดชอบ",        # ที่ ends a longer word
                 "มอบให้ ให้บริการ",
                 "สามารถใช้งานได้ ได้รับความร่วมมือ", "ไม่มี มีการดำเนินการ"):  # a sentence may end on ได้, มี
        assert rule.check(_progress(result=text)) == [], text


def test_a_post_of_another_kind_of_office():
    rule = rule_named("other-office-type")  # ORG is an อบต.
    (p,) = rule.check(_progress(result="นายกเทศมนตรีมอบนโยบายในการประชุมประจำเดือน"))
    assert (p.code, p.params["found"]) == ("text-other-office-type", "นายกเทศมนตรี")
    assert (p.params["kind"], p.params["own"]) == ("เทศบาล", "องค์การบริหารส่วนตำบล")
    (unit,) = rule.check(_progress(result="๑. สำนักปลัดเทศบาล ๒. กองคลัง"))
    assert unit.params["found"] == "สำนักปลัดเทศบาล"  # the unit as written, not the post inside it
    for text in ("นายกองค์การบริหารส่วนตำบลมอบนโยบาย", "ปลัด อบต. เป็นประธาน", "ประสานงานกับอำเภอ",
                 "๑. สำนักปลัด ๒. กองคลัง"):
        assert rule.check(_progress(result=text)) == [], text
    municipal = _progress(result="นายกองค์การบริหารส่วนตำบลมอบนโยบาย")
    municipal.org_code = "5210306"  # เทศบาลตำบลเมืองแกลง
    assert [p.params["found"] for p in rule.check(municipal)] == ["นายกองค์การบริหารส่วนตำบล"]
