import dataclasses
import pickle
import re
from pathlib import Path

import pytest

from itaxl import registry
from itaxl.problems import CATALOGUE, markdown_table
from itaxl.reader import Measure
from itaxl.schema import MEASURES, PROGRESS, RESERVED_KEYS, Status, column_letter, resolve_status


@pytest.mark.parametrize("text, status", [
    ("ยังไม่ดำเนินงาน", Status.NOT_STARTED), ("อยู่ระหว่างดำเนินงาน", Status.IN_PROGRESS),
    ("ดำเนินงานเสร็จแล้ว", Status.DONE), ("เสร็จสิ้น", Status.DONE), ("ดำเนินการแล้ว", Status.DONE),
    (" ดำเนินการแล้วเสร็จ ", Status.DONE), ("done", Status.DONE), ("ไม่ทราบ", None),
])
def test_status_aliases(text, status):
    assert resolve_status(text) == status


def test_columns_are_lettered_from_the_schema():
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(27) == "AB"
    assert MEASURES.table.letter_of("number") == "A"
    assert len({f.key for f in MEASURES.table.columns}) == len(MEASURES.table.columns)


@pytest.mark.parametrize("key", sorted(RESERVED_KEYS))
def test_a_column_cannot_take_a_name_of_the_row_record(key):
    column = dataclasses.replace(MEASURES.table.columns[0], key=key)
    with pytest.raises(ValueError, match=key):
        dataclasses.replace(MEASURES.table, columns=(*MEASURES.table.columns, column))


def test_a_row_read_back_is_its_fields():
    values = {f.key: f.empty for f in PROGRESS.table.columns} | {"measure": "ประชุม", "result": "จัดแล้ว"}
    m = Measure(5, values, PROGRESS.table)
    copy = pickle.loads(pickle.dumps(m))
    assert (copy.row, copy.measure, copy.result, copy.values) == (5, "ประชุม", "จัดแล้ว", values)
    assert copy == m and copy.table == PROGRESS.table
    plan_only = Measure(5, {f.key: f.empty for f in MEASURES.table.columns}, MEASURES.table)
    assert plan_only.result == "" and plan_only.done_date is None  # a measures row has no answers
    with pytest.raises(AttributeError):
        plan_only.no_such_field


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
