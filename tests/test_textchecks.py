"""Rules on free text, tested on the seed reports' own sentences (positive and negative)."""

from __future__ import annotations

import datetime as dt

import pytest

import itaxl
from itaxl import templates
from itaxl.fill import fill
from itaxl.schema import Kind, spec_for

from .conftest import ORG, good_rows

PLAN = [{**good_rows()[0], "start": None, "end": None}]


def _measures(tmp_path, fy: int, **row) -> itaxl.reader.Submission:
    template = templates.measures(ORG, fy, tmp_path / f"t-{fy}.xlsx", force=True)
    rows = [{**PLAN[0], **row}]
    path = fill(template, tmp_path / f"m-{fy}.xlsx", header={"reporter_name": "นางสาวทดสอบ ระบบ",
                                                                "reporter_position": "ปลัด"}, rows=rows)
    return itaxl.read(path)


def _progress(tmp_path, fy: int, round_: int, report: dt.date, **answer) -> itaxl.reader.Submission:
    header = {"reporter_name": "นางสาวทดสอบ ระบบ", "reporter_position": "ปลัด", "reviewer_name": "นายตรวจ ทาน",
              "reviewer_position": "นายก", "report_date": report}
    data = templates.build_progress_from_data(ORG, fy, round_, [PLAN[0]], header=header,
                                              answers=[{"status": "อยู่ระหว่างดำเนินการ", **answer}])
    path = tmp_path / f"p-{fy}-{round_}.xlsx"
    path.write_bytes(data)
    return itaxl.read(path)


def _found(sub, code: str) -> list[str]:
    return [p.message_en for p in sub.problems if p.code == code]


@pytest.mark.parametrize("fy, text, expected", [
    # seed 001, FY 2564: the meeting and its report dated a year late
    (2564, "รายงานผล ดำเนินการประชุม องค์กร ประจำเดือน เมษายน 2565", "'เดือน เมษายน 2565', outside fiscal year 2564"),
    # seed 004, FY 2566: a step due before the fiscal year even began
    (2566, "๑.เจ้าหน้าที่ผู้รับผิดชอบจัดทำการประเมินความเสี่ยงการทุจริตประจำปี ๒๕๖๖ ซึ่งจะมีการดำเนินการประเมิน"
           "ความเสี่ยงการทุจริตก่อนที่จะจัดทำแผนปฏิบัติการป้องกันการทุจริต ภายในเดือนกันยายน ๒๕๖๕",
     "'ภายในเดือนกันยายน ๒๕๖๕', outside fiscal year 2566"),
])
def test_a_plan_date_outside_its_fiscal_year(tmp_path, fy, text, expected):
    found = _found(_measures(tmp_path, fy, monitoring=text), "date-in-text-outside-fiscal-year")
    assert len(found) == 1 and expected in found[0]


@pytest.mark.parametrize("fy, text", [
    # seed 004: last year's report, due inside this year; a bare year is not a date
    (2566, "๓.เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ภายในเดือนธันวาคม ๒๕๖๕"),
    (2566, "๑.เจ้าหน้าที่ผู้รับผิดชอบดำเนินการจัดทำแผนการจัดซื้อจัดจ้าง หรือแผนการจัดหาพัสดุ ประจำปีงบประมาณ "
           "พ.ศ. ๒๕๖๖ ภายในเดือนตุลาคม ๒๕๖๕"),
    # seed 004: twice a year, no year named
    (2566, "ให้เจ้าหน้าที่รายงานผู้บริหารทุก ๖ เดือน ภายในเดือนเมษายน และเดือนตุลาคม ของทุกปี"),
    # the year's results reported just after it ends
    (2566, "สรุปผลการดำเนินการประจำปี เสนอผู้บริหารภายในเดือนตุลาคม ๒๕๖๖"),
])
def test_plan_dates_that_fit_are_quiet(tmp_path, fy, text):
    sub = _measures(tmp_path, fy, monitoring=text, method=text)
    assert not [p for p in sub.problems if p.code.startswith(("date-in-text", "prepared-date"))]


def test_a_result_done_after_a_6_month_round(tmp_path):
    # seed 004's way of writing a result, in a report to March 2566, of work done in April
    sub = _progress(tmp_path, 2566, 6, dt.date(2023, 3, 31),
                    result="๑. องค์การบริหารส่วนตำบลโคกสนวน ดำเนินการเมื่อวันที่ ๑๐ เดือน เมษายน พ.ศ. ๒๕๖๖")
    found = _found(sub, "date-in-text-outside-round")
    assert len(found) == 1 and "'วันที่ ๑๐ เดือน เมษายน พ.ศ. ๒๕๖๖', after the end of the 6-month round" in found[0]


def test_a_result_with_a_year_slip(tmp_path):
    # seed 000: an order of FY 2566 dated 2565
    sub = _progress(tmp_path, 2566, 12, dt.date(2023, 9, 29),
                    result="ออกคำสั่งแต่งตั้งคณะทำงาน ลงวันที่ 12 มกราคม 2565 และประชุมชี้แจงแล้ว")
    assert _found(sub, "date-in-text-outside-fiscal-year") == [
        "The text names 'วันที่ 12 มกราคม 2565', outside fiscal year 2566 (1 ตุลาคม 2565 – 30 กันยายน 2566); "
        "check the year."]


def test_a_result_after_the_report_date(tmp_path):
    sub = _progress(tmp_path, 2566, 12, dt.date(2023, 9, 10), result="จัดประชุมชี้แจงเมื่อ ๒๐ ก.ย. ๖๖")
    assert _found(sub, "date-in-text-after-report") == [
        "The text names '๒๐ ก.ย. ๖๖', after the report date (10 กันยายน 2566)."]  # as the office wrote it


@pytest.mark.parametrize("text", [
    "๑.องค์การบริหารส่วนตำบลโคกสนวนดำเนินการ เมื่อวันที่ ๖ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๖",  # seed 004
    "๑. องค์การบริหารส่วนตำบลโคกสนวน ดำเนินการให้แล้วเสร็จภายในวันที่ ๑๐ เดือน มกราคม พ.ศ. ๒๕๖๖",
    "ประชุมครั้งที่ 1/2566 ผู้เข้าร่วม 45 คน",  # a meeting number, not a date
    "ติดตามผลปีงบประมาณ ๒๕๖๕ เทียบกับปี ๒๕๖๖",  # years only
])
def test_results_that_fit_are_quiet(tmp_path, text):
    sub = _progress(tmp_path, 2566, 6, dt.date(2023, 3, 31), result=text)
    assert not [p for p in sub.problems if p.code.startswith("date-in-text")]


def test_a_measures_document_prepared_in_the_wrong_year(tmp_path):
    template = templates.measures(ORG, 2564, tmp_path / "t.xlsx")
    path = fill(template, tmp_path / "m.xlsx", header={"report_date": dt.date(2022, 1, 14)}, rows=PLAN)
    found = _found(itaxl.read(path), "prepared-date-outside-fiscal-year")
    assert found == ["The preparation date 14 มกราคม 2565 does not fit fiscal year 2564 "
                     "(1 ตุลาคม 2563 – 30 กันยายน 2564); check the year."]
    ok = fill(template, tmp_path / "ok.xlsx", header={"report_date": dt.date(2020, 9, 1)}, rows=PLAN)
    assert not _found(itaxl.read(ok), "prepared-date-outside-fiscal-year")


def test_a_two_digit_be_year_taken_as_19xx_is_read_as_be(filled):
    # "1/10/66" and "30 ก.ย. 67" typed where the application reads 66 and 67 as 1966 and 1967
    rows = [{**good_rows()[0], "start": dt.date(1966, 10, 1), "end": dt.date(1967, 9, 30)}]
    sub = itaxl.read(filled(rows=rows))
    assert (sub.measures[0].start, sub.measures[0].end) == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))
    found = _found(sub, "date-short-be-year")
    assert found[0] == ("The date was stored as 1966-10-01: a 2-digit B.E. year ('66') taken as 1966; "
                        "read as 1 ตุลาคม 2566.") and len(found) == 2
    assert not _found(sub, "date-outside-fiscal-year")


def test_a_date_far_from_the_fiscal_year_is_not_reinterpreted(filled):
    sub = itaxl.read(filled(rows=[{**good_rows()[0], "start": dt.date(1990, 1, 5)}]))
    assert sub.measures[0].start == dt.date(1990, 1, 5) and not _found(sub, "date-short-be-year")
    assert _found(sub, "date-outside-fiscal-year")


# --------------------------------------------------------------------------- characters and columns


@pytest.mark.parametrize("field, text, code, words", [
    # seed 004: checkbox glyphs and HTML paragraphs pasted from a web form
    ("issue", "<p>e๖ การเผยแพร่ข้อมูลของหน่วยงาน</p> <p>☑ เข้าถึงง่าย ไม่ซับซ้อน</p> <p>☐ มีช่องทางหลากหลาย</p>",
     "text-markup", "Markup left over from copying (<p> </p> ☑ ☐)"),
    ("issue", "<p>e๖ การเผยแพร่ข้อมูลของหน่วยงาน</p>", "text-mixed-code", "'e๖' mixes Latin letters and Thai digits (write 'e6')"),
    ("method", "**มาตรการ** เผยแพร่ข้อมูล &nbsp;บนเว็บไซต์", "text-markup", "(** &nbsp;)"),
    # seed 000: ์ typed as ํ
    ("method", "นายกองคํการบริหารส่วนตำบลประศุกได้มอบนโยบาย", "text-nikhahit", "in 'นายกองคํการบริหาร'"),
    # a Cyrillic о and a Bengali letter inside Thai words (OCR and copy slips)
    ("method", "จัดทำและเปิดเผยข้อมูลมาตรการจัดซื้อจัดจ้างรายเดือนтк", "text-other-script", "'тк'"),
    ("method", "ดำเนินการจัดทำและเปิดเผยข้อมূล", "text-other-script", "'ূ'"),
    # seed 004: steps numbered 1 2 3 3 3 4
    ("method", "<p>๑.เมื่อข้อบัญญัติงบประมาณดำเนินการแล้ว</p> <p>๒.สรุปรายงาน</p> <p>๓.สรุปรายงานประจำปี</p> "
               "<p>๓.สำนักปลัดรวบรวม</p> <p>๓. รายงานผู้บริหาร</p> <p>๔. เผยแพร่ข้อมูล</p>",
     "text-numbering", "repeat or start again: 1. 2. 3. 3. 3. 4."),
    # seed 004: the responsible unit's cell holds the steps
    ("responsible", "กองคลัง/งานพัสดุ ๑. กองคลัง หรือ งานพัสดุ ดำเนินการจัดทำแผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ "
                    "พ.ศ. ๒๕๖๖", "responsible-holds-steps", "holds steps"),
    # seed 003: the follow-up column holds only a date
    ("monitoring", "๓๑ มี.ค. ๖๕", "monitoring-only-date", "holds only a date ('๓๑ มี.ค. ๖๕')"),
    # seed 004: a result typed into the measure column
    ("measure", "๑. องค์การบริหารส่วนตำบลโคกสนวน ดำเนินการให้แล้วเสร็จภายในวันที่ ๑๐ เดือน มกราคม พ.ศ. ๒๕๖๖",
     "measure-reads-as-result", "reads as a result"),
])
def test_text_rules_find_what_the_seeds_hold(tmp_path, field, text, code, words):
    found = _found(_measures(tmp_path, 2566, **{field: text}), code)
    assert len(found) == 1 and words in found[0], found


@pytest.mark.parametrize("field, text", [
    ("responsible", "สำนักปลัด กองคลัง กองช่าง กองการศึกษา กองสาธารณสุข กองสวัสดิการ เป็นต้น"),  # seed 004: units
    ("responsible", "๑. สำนักปลัด ๒. กองคลัง ๓. กองการประปา ๔. กองช่าง ๕. กองการศึกษา ๖. กองสาธารณสุข"),
    ("responsible", "หน่วยตรวจสอบภายใน งานประชาสัมพันธ์"),
    ("method", "๑. รวบรวมข้อมูล ๒. รายงานผู้บริหาร ๓. เผยแพร่บนเว็บไซต์ www.example.go.th"),
    ("method", "จัดประชุม ๒ ครั้ง ผู้เข้าร่วม 1.5 ชั่วโมง งบประมาณ 3,500 บาท ตามระเบียบข้อ 5. และข้อ 7."),
    ("method", "ใช้ระบบ e-GP และ LINE OA ของหน่วยงาน (ITA ตัวชี้วัด O12)"),
    # seed 002: a sub-list ๑) ๒) inside the steps ๑. ๒. ๓. is not a restart
    ("method", "๑. จัดประชุมชี้แจงการประเมิน ได้แก่\n๑) ITA คืออะไร ๒) ความสำคัญของการประเมิน ๓) หลักเกณฑ์การประเมิน "
               "๒. แต่งตั้งคณะทำงาน\n๓. จัดทำรายงานการวิเคราะห์ผลการประเมิน"),
    ("monitoring", "รายงานผลต่อผู้บริหารภายใน ๓๑ มี.ค. ๖๖"),
    ("measure", "การดำเนินการเพื่อยกระดับการเปิดเผยข้อมูลสาธารณะ"),
    ("measure", "มาตรการติดตามงานที่ดำเนินการแล้วเสร็จให้เป็นปัจจุบัน"),  # done words, no date
])
def test_text_rules_are_quiet_on_what_offices_rightly_write(tmp_path, field, text):
    sub = _measures(tmp_path, 2566, **{field: text})
    rules = ("text-", "responsible-", "monitoring-", "measure-reads")
    assert not [p for p in sub.problems if p.code.startswith(rules)], sub.problems


def test_done_with_only_a_deadline_still_to_come(tmp_path):
    sub = _progress(tmp_path, 2566, 6, dt.date(2023, 3, 31), status="ดำเนินการแล้วเสร็จ",
                    result="๑. องค์การบริหารส่วนตำบลโคกสนวน ดำเนินการให้แล้วเสร็จภายใน เดือนเมษายน ๒๕๖๖",
                    done_date=dt.date(2023, 3, 30))
    assert len(_found(sub, "done-result-is-a-deadline")) == 1
    assert not _found(sub, "date-in-text-outside-round")  # one message for one slip
    past = _progress(tmp_path, 2566, 6, dt.date(2023, 3, 31), status="ดำเนินการแล้วเสร็จ",
                     result="๑. องค์การบริหารส่วนตำบลโคกสนวน ดำเนินการให้แล้วเสร็จภายในวันที่ ๑๐ เดือน มกราคม "
                            "พ.ศ. ๒๕๖๖", done_date=dt.date(2023, 1, 10))
    assert not _found(past, "done-result-is-a-deadline")


# --------------------------------------------------------------------------- pasted text

SEED_000_RESULT = ("๑. นายกองคํการบริหารส่วนตำบลประศุกได้มอบนโยบายและกำหนดแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการ "
                   "ในการประชุมประจำเดือน เมื่อวันที่ ๑๓ มกราคม ๒๕๖๖\n๒. ทุกส่วนราชการถือปฏิบัติอย่างเคร่งครัด")


def _plan(n: int) -> list[dict]:
    return [{**PLAN[0], "number": i + 1, "measure": f"มาตรการที่ {i + 1} ด้านการเปิดเผยข้อมูล"} for i in range(n)]


def _progress_rows(tmp_path, results: list[str]) -> itaxl.reader.Submission:
    header = {"reporter_name": "นางสาวทดสอบ ระบบ", "reporter_position": "ปลัด", "reviewer_name": "นายตรวจ ทาน",
              "reviewer_position": "นายก", "report_date": dt.date(2023, 9, 29)}
    data = templates.build_progress_from_data(ORG, 2566, 12, _plan(len(results)), header=header,
                                              answers=[{"status": "อยู่ระหว่างดำเนินการ", "result": r} for r in results])
    path = tmp_path / "p.xlsx"
    path.write_bytes(data)
    return itaxl.read(path)


def test_a_result_pasted_with_a_word_changed(tmp_path):
    # seed 000: the same result under two measures, "เมื่อวันที่" made "วันที่"
    sub = _progress_rows(tmp_path, [SEED_000_RESULT, "จัดทำคู่มือการปฏิบัติงานและเผยแพร่บนเว็บไซต์ของหน่วยงานแล้ว",
                                    SEED_000_RESULT.replace("เมื่อวันที่", "วันที่")])
    assert _found(sub, "near-duplicate-text") == [
        "The text of 'Result' is nearly the same as that of measure 1 (99% alike): pasted and lightly edited?"]
    same = _progress_rows(tmp_path, [SEED_000_RESULT, SEED_000_RESULT.replace("๑๓", "13")])  # digits only
    assert len(_found(same, "duplicate-text")) == 1 and not _found(same, "near-duplicate-text")


def test_different_results_of_one_office_are_not_near_duplicates(tmp_path):
    sub = _progress_rows(tmp_path, [
        "ปรับปรุงข้อมูลพื้นฐานบนเว็บไซต์ของหน่วยงานให้เป็นปัจจุบัน ครบทั้ง ๓ หมวด เมื่อวันที่ ๖ กุมภาพันธ์ ๒๕๖๖",
        "จัดประชุมชี้แจงแนวทางการใช้ทรัพย์สินของราชการแก่บุคลากร ๔๕ คน เมื่อวันที่ ๑๓ มกราคม ๒๕๖๖",
        "ประกาศนโยบายไม่รับของขวัญ (No Gift Policy) และเผยแพร่บนเว็บไซต์ เมื่อวันที่ ๑ ธันวาคม ๒๕๖๕"])
    assert not [p for p in sub.problems if "duplicate" in p.code]


def test_one_follow_up_method_for_every_measure_is_normal(tmp_path):
    template = templates.measures(ORG, 2567, tmp_path / "t.xlsx")
    shared = "รายงานผลการดำเนินงานต่อผู้บริหารในการประชุมประจำเดือนทุกเดือน และสรุปผล ณ สิ้นปีงบประมาณ"
    rows = [{**r, "monitoring": shared} for r in good_rows()]
    assert not [p for p in itaxl.read(fill(template, tmp_path / "a.xlsx", rows=rows)).problems
                if "duplicate" in p.code]
    rows[2]["monitoring"] = "ติดตามผลทุกไตรมาส"  # then the two that agree were pasted
    assert len([p for p in itaxl.read(fill(template, tmp_path / "b.xlsx", rows=rows)).problems
                if p.code == "duplicate-text"]) == 1


@pytest.mark.parametrize("filler", ["-", "…", "- -", ".", "–"])
def test_a_dash_in_an_optional_cell_says_nothing_and_is_no_placeholder(tmp_path, filler):
    sub = _progress(tmp_path, 2566, 12, dt.date(2023, 9, 29), result="จัดทำคู่มือแล้ว", obstacles=filler)
    assert not [p for p in sub.problems if p.cell and p.cell.startswith("M")], sub.problems
    required = _progress(tmp_path, 2566, 12, dt.date(2023, 9, 29), result=filler)
    assert [p.code for p in required.problems if p.cell and p.cell.startswith("K")] == ["in-progress-without-result"]


# --------------------------------------------------------------------------- other offices and places


@pytest.mark.parametrize("text, expected", [
    # a result copied from seed 001's office, left under this office's (อบต.โคกสนวน, บุรีรัมย์) name
    ("องค์การบริหารส่วนตำบลบ้านจั่นได้จัดทำคู่มือการใช้ทรัพย์สินของราชการ",
     "'องค์การบริหารส่วนตำบลบ้านจั่น' (อบต.บ้านจั่น, อุดรธานี), not อบต.โคกสนวน"),
    ("ประชุมร่วมกับ อบต.โคกสะอาด เรื่องการเผยแพร่ข้อมูล", "'อบต.โคกสะอาด' (อบต.โคกสะอาด, บุรีรัมย์)"),
])
def test_another_office_named_in_the_text(tmp_path, text, expected):
    found = _found(_measures(tmp_path, 2566, method=text), "text-other-office")
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("text", [
    "๑.องค์การบริหารส่วนตำบลโคกสนวนดำเนินการ เมื่อวันที่ ๖ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๖",  # seed 004: itself
    "๑. องค์กรบริหารส่วนตำบลโคกสนวนดำเนินการให้แล้วเสร็จปีงบประมาณ ๒๕๖๖",  # seed 004: itself, misspelt type
    "ศึกษาแนวทางจากสำนักงาน ป.ป.ช. และกรมส่งเสริมการปกครองท้องถิ่น",
    "ประสานกับอำเภอชำนิ และจังหวัดบุรีรัมย์",
    "ประชุมร่วมกับอำเภอนางรอง",  # another real district of the province: not a misspelling
])
def test_own_office_and_real_places_are_quiet(tmp_path, text):
    sub = _measures(tmp_path, 2566, method=text)
    assert not [p for p in sub.problems if p.code in ("text-other-office", "text-place-misspelt")], sub.problems


def test_a_district_misspelt_by_a_letter(tmp_path):
    # seed 004 writes its district ชำนิ as ขำนิ
    found = _found(_measures(tmp_path, 2566, method="องค์การบริหารส่วนตำบลโคกสนวน อำเภอขำนิ จังหวัดบุรีรัมย์"),
                   "text-place-misspelt")
    assert found == ["'อำเภอขำนิ' is spelt differently from the register ('อำเภอชำนิ')."]


def test_weak_indicators_without_a_measure(filled):
    from .conftest import good_header

    sub = itaxl.read(filled(header={**good_header(), "score_7": 60.0, "score_8": 74.99, "score_2": 79.0}))
    assert [(p.cell, p.message_en) for p in sub.problems if p.code == "weak-indicator-without-measure"] == [
        (spec_for(Kind.MEASURES).form.cell_of("score_7"),
         "Indicator(s) 7, 8 scored under 75, far below the pass mark (85), and no measure addresses them.")]
    assert not [p for p in itaxl.read(filled()).problems if p.code == "weak-indicator-without-measure"]


# --------------------------------------------------------------------------- spelling


@pytest.mark.parametrize("text, shown", [
    ("๑. ปรับปรุงข้อมูลในปิงปประมาณ ๒๕๖๖", "'ปิงปประมาณ'"),                                 # seed 000
    ("แต่งตั้งคณะกรรมการประเมิน คุณธรรมและคสามโปร่งใส (ITA)", "'และคสาม'"),                # seed 000
    ("ผู้รับบริการสามารถแสดงความ คิดเห็น ทิชม ร้องเรียนต่อการทุจริต", "'ทิชม'"),               # seed 003
    ("การจัดหาพัสดุนบนเว็บไซต์หน่วยงาน", "'นบนเว็บไซต์'"),                                  # seed 004
])
def test_words_in_no_dictionary(tmp_path, text, shown):
    found = _found(_measures(tmp_path, 2566, method=text), "text-spelling")
    assert len(found) == 1 and f"Words found in no dictionary: {shown}" in found[0], found


def test_a_suggestion_only_when_one_word_is_one_edit_away(tmp_path):
    found = _found(_measures(tmp_path, 2566, method="จัดทำคู่มือการปฏิบติงานของเจ้าหน้าที่"), "text-spelling")
    assert found == ["Words found in no dictionary: 'ปฏิบติ' (did you mean 'ปฏิบัติ'?); check the spelling."]


@pytest.mark.parametrize("text", [
    "นางพัชรินทร์ เวสสุกรรม นักจัดการงานทั่วไป เป็นผู้รายงาน",  # a person's name
    "นายกองค์การบริหารส่วนตำบลโคกสนวนมอบนโยบาย",                 # a mayor, not a name
    "ตามหนังสือที่ กส ๗๓๕๐๑/๒๕๖๕ ลงวันที่ ๓๑ มีนาคม ๒๕๖๕",         # a book number
    "ดำเนินการตาม พ.ร.บ. ข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐ ณ ที่ว่าการ อ.ชำนิ จ.บุรีรัมย์",
    "ใช้ระบบ e-GP และ LINE OA ของ อบต. ตามเกณฑ์ ITA ของ สำนักงาน ป.ป.ช.",
    "องค์การบริหารส่วนตำบลโคกสนวน อำเภอชำนิ ประสานกับเทศบาลตำบลประศุก",  # the register's names
    "เจ้าหน้าที่ผู้รับผิดชอบจัดทำคู่มือสำหรับประชาชนในภารกิจส่วนงานตนเองอย่างน้อย ๑ คู่มือ รายงานผู้บริหาร "
    "และเผยแพร่ข้อมูลบนเว็บไซต์หน่วยงานและช่องทางอื่นๆ",              # seed 004, as written
])
def test_what_offices_rightly_write_is_spelt_right(tmp_path, text):
    assert not _found(_measures(tmp_path, 2566, method=text), "text-spelling")


def test_people_named_in_the_header_are_not_spell_checked(tmp_path):
    template = templates.measures(ORG, 2566, tmp_path / "t.xlsx")
    path = fill(template, tmp_path / "m.xlsx", header={"reporter_name": "นางสาวพิมพ์ชนก ทองขืมสุข",
                                                         "reporter_position": "นักวิเคราะห์นโยบายและแผน"}, rows=PLAN)
    assert not _found(itaxl.read(path), "text-spelling")


def test_work_under_way_may_name_when_it_is_due(tmp_path):
    text = "จัดทำร่างคู่มือแล้ว คาดว่าจะแล้วเสร็จภายในเดือนเมษายน ๒๕๖๖"
    sub = _progress(tmp_path, 2566, 6, dt.date(2023, 3, 31), result=text)  # in progress
    assert not [p for p in sub.problems if p.code.startswith(("date-in-text", "done-result"))]
    past = _progress(tmp_path, 2566, 6, dt.date(2023, 3, 31), result="ประชุมชี้แจงเมื่อวันที่ ๒๐ เมษายน ๒๕๖๖")
    assert _found(past, "date-in-text-outside-round")  # a meeting held after the round is still a slip


# --------------------------------------------------------------------------- a result under the wrong measure

PROPERTY = {**PLAN[0], "number": 1, "indicator": "4 การใช้ทรัพย์สินของราชการ",
            "measure": "กำหนดแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการที่ถูกต้อง",
            "method": "จัดทำคู่มือการใช้ทรัพย์สินของทางราชการ และประชุมชี้แจงบุคลากร", "issue": ""}
NO_GIFT = {**PLAN[0], "number": 2, "indicator": "10 การป้องกันการทุจริต",
           "measure": "การดำเนินการตามนโยบายไม่รับของขวัญ (No Gift Policy)",
           "method": "จัดทำประกาศนโยบายไม่รับของขวัญ และประชุมชี้แจงให้พนักงานถือปฏิบัติ", "issue": ""}


def _two_measures(tmp_path, first_result: str) -> itaxl.reader.Submission:
    header = {"reporter_name": "นางสาวทดสอบ ระบบ", "reporter_position": "ปลัด", "reviewer_name": "นายตรวจ ทาน",
              "reviewer_position": "นายก", "report_date": dt.date(2023, 9, 29)}
    answers = [{"status": "อยู่ระหว่างดำเนินการ", "result": first_result},
               {"status": "อยู่ระหว่างดำเนินการ", "result": "ออกประกาศนโยบายไม่รับของขวัญ แจ้งพนักงานทุกคนแล้ว"}]
    data = templates.build_progress_from_data(ORG, 2566, 12, [PROPERTY, NO_GIFT], header=header, answers=answers)
    path = tmp_path / "two.xlsx"
    path.write_bytes(data)
    return itaxl.read(path)


def test_a_result_typed_under_the_wrong_measure(tmp_path):
    sub = _two_measures(tmp_path, "ประกาศนโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ เผยแพร่ประกาศบนเว็บไซต์")
    found = _found(sub, "result-matches-another-measure")
    assert len(found) == 1 and found[0].startswith("The result says nothing of this row's measure but matches measure 2")


def test_a_result_about_its_own_measure_is_quiet(tmp_path):
    sub = _two_measures(tmp_path, "จัดทำคู่มือการใช้ทรัพย์สินของราชการแล้ว และประกาศให้บุคลากรถือปฏิบัติ")
    assert not _found(sub, "result-matches-another-measure")


def test_a_plan_spent_on_indicators_that_already_passed(filled):
    from .conftest import good_header

    # 4, 9 and 10 are under 85; make every measure address 1, 2 or 3, which passed
    rows = [{**r, "indicator": ind} for r, ind in zip(good_rows(), ("1 การปฏิบัติหน้าที่", "2 การใช้งบประมาณ",
                                                                   "3 การใช้อำนาจ"))]
    header = {**good_header(), "score_9": 80.0, "score_10": 78.0}  # under the pass mark, not far under
    found = _found(itaxl.read(filled(rows=rows, header=header)), "plan-misses-weak-indicators")
    assert found == ["Every measure addresses an indicator that already passed, while indicator(s) 10, 9, 4 "
                     "scored below the pass mark (85)."]
    assert not _found(itaxl.read(filled(header=header)), "plan-misses-weak-indicators")
