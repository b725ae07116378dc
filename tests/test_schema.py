import re
from pathlib import Path

import pytest

from itaxl import registry
from itaxl.problems import CATALOGUE, markdown_table
from itaxl.schema import (
    INDICATORS, MEASURES, Status, column_letter, resolve_indicator, resolve_status, total_from_indicators,
    year_facts,
)


def test_ten_indicators_under_three_instruments():
    assert [i.number for i in INDICATORS] == list(range(1, 11))
    assert [i.instrument for i in INDICATORS] == ["IIT"] * 5 + ["EIT"] * 3 + ["OIT"] * 2


@pytest.mark.parametrize("value, number", [
    ("9 การเปิดเผยข้อมูล", 9), (9, 9), (9.0, 9), ("๑๐", 10), ("ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร", 7),
    ("การใช้ทรัพย์สินของทางราชการ", 4), ("การปรับปรุงระบบการทำงาน", 8), ("10.2", 10),
    ("11", None), ("3 การเปิดเผยข้อมูล", None), ("อื่น ๆ", None), (True, None), (9.5, None),
])
def test_indicator_aliases(value, number):
    assert resolve_indicator(value) == number


@pytest.mark.parametrize("text, status", [
    ("ยังไม่ดำเนินงาน", Status.NOT_STARTED), ("อยู่ระหว่างดำเนินงาน", Status.IN_PROGRESS),
    ("ดำเนินงานเสร็จแล้ว", Status.DONE), ("เสร็จสิ้น", Status.DONE), ("ดำเนินการแล้ว", Status.DONE),
    (" ดำเนินการแล้วเสร็จ ", Status.DONE), ("done", Status.DONE), ("ไม่ทราบ", None),
])
def test_status_aliases(text, status):
    assert resolve_status(text) == status


def test_grades_and_pass_mark():
    facts = year_facts(2566)
    assert [facts.grade_of(s) for s in (100, 95, 94.99, 85, 75, 65, 55, 50, 49.99)] == \
        ["AA", "AA", "A", "A", "B", "C", "D", "E", "F"]
    assert facts.pass_mark == 85 and facts.measures_item == "O42"
    assert year_facts(2599).grade_names == facts.grade_names  # unknown years fall back


def test_total_formula_weights_instruments():
    assert total_from_indicators({n: 80.0 for n in range(1, 11)}) == 80.0
    scores = {**{n: 100.0 for n in range(1, 9)}, 9: 0.0, 10: 0.0}
    assert total_from_indicators(scores) == 60.0


def test_columns_are_lettered_from_the_schema():
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(27) == "AB"
    assert MEASURES.table.letter_of("number") == "A"
    assert len({f.key for f in MEASURES.table.columns}) == len(MEASURES.table.columns)


def test_register_lookups():
    office = registry.get("6311805")
    assert (office.name_th, office.district_th, office.province_th) == ("โคกสนวน", "ชำนิ", "บุรีรัมย์")
    assert office.full_name == "องค์การบริหารส่วนตำบลโคกสนวน" and office.short_name == "อบต.โคกสนวน"
    assert registry.lookup("๐๖๓๑๑๘๐๕") == office and registry.lookup(6311805.0) == office
    assert registry.lookup("123") is None
    assert len(registry.offices()) == 7849
    assert all(o.province_th == "บุรีรัมย์" for o in registry.select("Buri Ram"))
    assert registry.same_name("อบต. โคกสนวน", office) and not registry.same_name("โคกสะอาด", office)


def test_readme_documents_every_problem_code():
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    block = re.search(r"<!-- problem-codes:start -->\n(.*?)\n<!-- problem-codes:end -->", readme, re.S)
    assert block, "README has no problem-code table (regenerate with: python -m itaxl.problems README.md)"
    assert block.group(1) == markdown_table()
    assert set(re.findall(r"^\| `([a-z0-9-]+)` \|", block.group(1), re.M)) == set(CATALOGUE)
