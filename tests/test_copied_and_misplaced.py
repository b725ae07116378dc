"""Reviewer checks on text in the wrong column and content copied in, each a rule tried in
memory on real sentences (the seeds' and their like), positive and negative."""

from __future__ import annotations

import datetime as dt

import pytest

from itaxl.reader import Submission
from itaxl.rules import rule_named
from itaxl.schema import EXAMPLE_ROW, Kind, Status

from .conftest import FY, ORG

# seed 004's plan row, as the office wrote it
PLAN = {"number": 1, "indicator": "9 การเปิดเผยข้อมูล", "issue": "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูลเครื่องมือการประเมิน OIT",
        "measure": "การเปิดเผยข้อมูลพื้นฐานบนเว็บไซต์หน่วยงาน",
        "method": "๑.เจ้าหน้าที่ผู้รับผิดชอบศึกษาทำความเข้าใจองค์ประกอบด้านข้อมูล ๒.รายงานผู้บริหาร "
                  "๓.เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงานและช่องทางอื่นๆ",
        "responsible": "สำนักปลัด", "monitoring": "รายงานผลต่อนายก อบต. ทุก ๖ เดือน"}


def _measures(**row) -> Submission:
    header = {"org_code": ORG, "report_date": dt.date(FY - 544, 10, 5)}
    return Submission.build(Kind.MEASURES, FY, header=header, rows=[{**PLAN, **row}])


def _progress(*answers: dict) -> Submission:
    header = {"org_code": ORG, "report_date": dt.date(FY - 543, 4, 5)}
    base = {**PLAN, "status": Status.IN_PROGRESS, "result": "จัดทำร่างแล้ว"}
    rows = [{**base, "number": i, **a} for i, a in enumerate(answers, start=1)]
    return Submission.build(Kind.PROGRESS, FY, round=6, header=header, rows=rows)


def _codes(rule: str, sub: Submission) -> list[tuple[str, str]]:
    return [(p.code, p.message_en) for p in rule_named(rule).check(sub)]


# --------------------------------------------------------------------------- the wrong column

def test_an_issue_that_reads_as_a_result():
    found = _codes("plan-columns", _measures(
        issue="ได้ดำเนินการประชุมชี้แจงแนวทางปฏิบัติแก่บุคลากรแล้วเสร็จ เมื่อวันที่ ๑๓ มกราคม ๒๕๖๖"))
    assert [c for c, _ in found] == ["issue-reads-as-result"]
    for issue in (PLAN["issue"], "ยังไม่ได้ดำเนินการเผยแพร่ข้อมูล ภายในเดือนมีนาคม ๒๕๖๖",
                  "บุคลากรยังขาดความเข้าใจเรื่องการใช้ทรัพย์สินของราชการ"):
        assert _codes("plan-columns", _measures(issue=issue)) == [], issue


@pytest.mark.parametrize("monitoring, column", [
    ("การเปิดเผยข้อมูลพื้นฐานบนเว็บไซต์หน่วยงาน", "Measure"),
    ("สำนักปลัด", "Responsible"),
])
def test_monitoring_that_only_repeats_the_plan(monitoring, column):
    (found,) = _codes("plan-columns", _measures(monitoring=monitoring))
    assert found[0] == "monitoring-repeats-plan" and column.lower() in found[1].lower(), found


def test_monitoring_that_says_how_is_left_alone():
    for text in (PLAN["monitoring"], "สำนักปลัดรายงานผลต่อผู้บริหารทุกไตรมาส"):
        assert _codes("plan-columns", _measures(monitoring=text)) == [], text


def test_a_list_that_starts_at_two():
    (found,) = _codes("numbered-steps", _measures(method="๒.รายงานผู้บริหาร ๓.เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน"))
    assert found == ("text-numbering-late-start",
                     "The numbered steps start at 2, not 1: 2. 3.; is the first step missing?")
    for text in (PLAN["method"], "ดำเนินการตามข้อ ๒. และ ๓. ของระเบียบ", "๒๕๖๖. ประชุม"):
        assert _codes("numbered-steps", _measures(method=text)) == [], text


@pytest.mark.parametrize("text, word", [
    ("เผยแพร่ข้อมูลข่าวสารผ่านเว็บไซต์และ", "และ"),
    ("จัดทำคู่มือการปฏิบัติงานเพื่อ ", "เพื่อ"),
    ("ประชาสัมพันธ์ให้ประชาชนทราบถึงช่องทางการร้องเรียนของ", "ของ"),
])
def test_a_text_cut_off_mid_sentence(text, word):
    (found,) = _codes("cut-off-text", _measures(method=text))
    assert found[0] == "text-cut-off" and f"stops on '{word}'" in found[1]


@pytest.mark.parametrize("text", [
    PLAN["method"],                                        # seed 004: ends on อื่นๆ
    "รายงานผลการติดตาม",                                  # ติดตาม is one word, not ตาม
    "ให้บริการประชาชนตามหลักธรรมาภิบาล",
    "แต่งตั้งคณะกรรมการตรวจสอบภายใน",
    "และ",                                                  # one word is not a sentence cut off
])
def test_whole_sentences_are_not_cut_off(text):
    assert _codes("cut-off-text", _measures(method=text)) == []


# --------------------------------------------------------------------------- copied in

def test_the_guides_example_row_left_in():
    row = {k: EXAMPLE_ROW[k] for k in ("issue", "measure", "method")}
    (found,) = _codes("template-example", _measures(**row))
    assert found[0] == "template-example-left-in"
    # seed 000's measure 7 is the example's title, really used: the title alone is not a copy
    assert _codes("template-example", _measures(measure=EXAMPLE_ROW["measure"])) == []


def test_a_plan_of_this_year_named_for_a_past_year():
    past = str(FY - 1).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    (found,) = _codes("plan-year", _measures(
        method=f"๑.จัดทำแผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. {past} ๒.เผยแพร่บนเว็บไซต์"))
    assert found[0] == "text-past-fiscal-year" and f"fiscal year {FY - 1} in the plan of {FY}" in found[1]


@pytest.mark.parametrize("text", [
    # seed 004: last year's report, due inside this year; the analysis of last year's assessment
    "๓.เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {past} ภายในเดือนธันวาคม",
    "จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {past}",
    "ดำเนินการตามแผนพัฒนาท้องถิ่น ประจำปี พ.ศ. ๒๕๖๑ - {past}",              # a plan of several years
    "จัดทำแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {this}",
])
def test_past_years_that_are_right(text):
    th = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    text = text.format(past=str(FY - 1).translate(th), this=str(FY).translate(th))
    assert _codes("plan-year", _measures(method=text)) == []


def test_evidence_on_another_offices_site():
    found = rule_named("evidence-sites").check(_progress(
        {"evidence_url": "https://www.khoksanuan.go.th/news/1"},
        {"evidence_url": "https://khoksanuan.go.th/news/2 https://www.nacc.go.th/itas"},
        {"evidence_url": "https://www.banchan.go.th/news/7"},
    ))
    assert [(p.code, p.params["site"], p.params["main"], p.cell[-1]) for p in found] == [
        ("evidence-other-office-site", "banchan.go.th", "khoksanuan.go.th", "6")]


def test_evidence_links_that_are_normal():
    rule = rule_named("evidence-sites")
    # the office's own site, national agencies and social media
    assert rule.check(_progress({"evidence_url": "https://www.khoksanuan.go.th/news/1"},
                                {"evidence_url": "https://itas.nacc.go.th/x https://www.facebook.com/abc"},
                                {"evidence_url": "https://www.dla.go.th/upload/doc.pdf"})) == []
    # two sites, once each: no site most links agree on
    assert rule.check(_progress({"evidence_url": "https://www.khoksanuan.go.th/news/1"},
                                {"evidence_url": "https://www.banchan.go.th/news/7"})) == []


# --------------------------------------------------------------------------- statuses

@pytest.mark.parametrize("result", ["ดำเนินการแล้วเสร็จ", "ดำเนินการเรียบร้อยแล้วตามแผน",
                                    "ดำเนินการแล้วเสร็จตามมาตรการที่กำหนด"])
def test_done_with_a_result_that_names_nothing_and_no_evidence(result):
    found = _codes("status-consistency", _progress({"status": Status.DONE, "result": result,
                                                    "done_date": dt.date(FY - 543, 3, 1)}))
    assert [c for c, _ in found] == ["status-done-result-vague"]


def test_done_with_a_result_that_names_what_or_with_evidence():
    done = {"status": Status.DONE, "done_date": dt.date(FY - 543, 3, 1)}
    for answer in ({"result": "ประชุมชี้แจงแนวทางปฏิบัติแก่บุคลากร"},       # names what was done
                   {"result": "ดำเนินการแล้วเสร็จ", "evidence_url": "https://www.khoksanuan.go.th/news/1"},
                   {"result": "ดำเนินการให้แล้วเสร็จภายใน เดือนเมษายน ๒๕๖๖"}):  # the date rules' (seed 004)
        assert _codes("status-consistency", _progress({**done, **answer})) == [], answer


# --------------------------------------------------------------------------- no false alarms

def test_two_related_measures_may_share_one_outcome():
    outcome = "ประชาชนได้รับข้อมูลข่าวสารที่ถูกต้อง ครบถ้วน และเป็นปัจจุบัน ผ่านช่องทางที่หลากหลาย"
    rule = rule_named("duplicates")
    two = _progress({"outcome": outcome, "result": "ประชุมชี้แจงบุคลากรเรื่องการเปิดเผยข้อมูล"},
                    {"outcome": outcome, "result": "ปรับปรุงหน้าเว็บไซต์ให้เป็นปัจจุบันทุกเดือน"},
                    {"outcome": "", "result": "จัดทำประกาศนโยบายไม่รับของขวัญ"})
    assert rule.check(two) == []
    three = _progress(*({"outcome": outcome, "result": r} for r in (
        "ประชุมชี้แจงบุคลากรเรื่องการเปิดเผยข้อมูล", "ปรับปรุงหน้าเว็บไซต์ให้เป็นปัจจุบันทุกเดือน",
        "จัดทำประกาศนโยบายไม่รับของขวัญ")))
    assert [p.code for p in rule.check(three)] == ["duplicate-text", "duplicate-text"]


def test_a_questionnaire_code_with_a_thai_digit_is_a_note():
    (p,) = rule_named("characters").check(_progress({"result": "ตอบแบบวัด e๖ ครบทุกข้อ"}))
    assert (p.code, p.severity.value) == ("text-mixed-code", "info")


def test_an_abbreviation_with_a_dot_is_a_word():
    from itaxl import spelling

    assert spelling.unknown("เผยแพร่ข้อมูลตามแบบ สขร.๑ ทุกเดือน ตามแบบสขร.๑") == []
    assert spelling.unknown("จัดทำคู่มือการปฏิบติงาน.") != []  # a slip before a full stop is still a slip
