"""Layout version 2: the analysis of the ITA result by indicator (what to fix, improve or keep),
as the offices' documents set it out before their measures (seed 001)."""

from __future__ import annotations

import openpyxl

import itaxl
from itaxl import schema, templates
from itaxl.fill import fill
from itaxl.schema import Kind

from .conftest import FRAMEWORK, FY, ORG, good_header, good_rows

# seed 001's analysis of indicator 8, as the office wrote it (พบทวน for ทบทวน)
SEED_8 = ("3) การปรับปรุงระบบการทำงาน สร้างกระบวนการบริหารระหว่างผู้บริหารและบุคลากร "
          "เพื่อร่วมกันพบทวนปัญหาและอุปสรรคในการปฏิบัติงานอย่างเป็นระบบ")
CLEAN_9 = ("เปิดเผยข้อมูลพื้นฐานที่เป็นปัจจุบันของหน่วยงานบนเว็บไซต์อย่างครบถ้วน "
           "และง่ายต่อการเข้าถึง ผ่าน URL บนเว็บไซต์หลักของหน่วยงานโดยตรง")


def _layouts() -> tuple[schema.Layout, schema.Layout]:
    one, two = (schema.layout(v) for v in ("1", "2"))
    assert one is not None and two is not None
    return one, two


def test_version_2_adds_one_analysis_field_per_indicator_after_every_field_of_version_1():
    one, two = _layouts()
    old, new = one.spec(Kind.MEASURES, FRAMEWORK).form, two.spec(Kind.MEASURES, FRAMEWORK).form
    added = [f for f in new.fields if f.key not in {g.key for g in old.fields}]
    assert [f.key for f in added] == [f"analysis_{i.number}" for i in FRAMEWORK.indicators]
    assert all(new.cell_of(f.key) == old.cell_of(f.key) for f in old.fields)  # no cell of version 1 moved
    assert added[8].label_th == "ผลการวิเคราะห์ ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"
    assert all(f.type.paragraphs and not f.required for f in added)
    # the progress workbook is as it was
    assert [f.key for f in two.spec(Kind.PROGRESS, FRAMEWORK).form.fields] == \
           [f.key for f in one.spec(Kind.PROGRESS, FRAMEWORK).form.fields]


def test_a_new_template_has_the_analysis_cells_to_fill(tmp_path):
    path = templates.measures(ORG, FY, tmp_path / "m.xlsx")
    form = schema.spec_for(Kind.MEASURES).form
    sheet = openpyxl.load_workbook(path)[form.name]
    cell = sheet[form.cell_of("analysis_9")]
    assert not cell.protection.locked and cell.alignment.wrap_text
    assert sheet.row_dimensions[cell.row].height >= 4 * 26  # room for a paragraph
    assert "รักษาระดับ" in sheet[f"C{cell.row}"].value
    assert itaxl.read(path).schema_version == "2"


def test_the_analysis_reads_back_and_is_checked_as_text(tmp_path):
    template = templates.measures(ORG, FY, tmp_path / "t.xlsx")
    header = good_header() | {"analysis_8": SEED_8, "analysis_9": CLEAN_9}
    sub = itaxl.read(fill(template, tmp_path / "m.xlsx", header=header, rows=good_rows()))
    assert sub.header["analysis_9"] == CLEAN_9 and sub.header["analysis_1"] is None
    form = sub.spec.form
    found = {(p.code, p.cell) for p in sub.problems}
    assert ("text-misspelt", form.cell_of("analysis_8")) in found
    assert not [p for p in sub.problems if p.cell == form.cell_of("analysis_9")]
    assert sub.valid  # the analysis is optional, and a slip in it is a warning


def test_numbering_that_repeats_in_an_analysis_is_flagged(tmp_path):
    template = templates.measures(ORG, FY, tmp_path / "t.xlsx")
    text = "ควรดำเนินการดังนี้ 1) ประชาสัมพันธ์ขั้นตอนการให้บริการ 1) จัดอบรมบุคลากร 2) ประเมินผล"  # seed 001
    sub = itaxl.read(fill(template, tmp_path / "m.xlsx", header=good_header() | {"analysis_6": text},
                          rows=good_rows()))
    (p,) = [p for p in sub.problems if p.code == "text-numbering"]
    assert p.cell == sub.spec.form.cell_of("analysis_6") and "1) 1) 2)" in p.message_en


def test_a_version_1_workbook_still_reads_with_no_analysis(tmp_path):
    one, _ = _layouts()
    template = templates.measures(ORG, FY, tmp_path / "t1.xlsx", layout=one)
    sub = itaxl.read(fill(template, tmp_path / "m1.xlsx", header=good_header(), rows=good_rows()))
    assert sub.schema_version == "1" and sub.valid and sub.problems == []
    assert not any(key.startswith("analysis_") for key in sub.header)
