"""Misspellings a dictionary lets pass: known ones, look-alikes of frequent words, Latin-letter
slips.  Scored on the shipped list, on a held-out third that itaxl never ships, on the right
forms of both and on the seeds' own text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itaxl import spelling

from .test_textchecks import _found, _measures

HERE = Path(__file__).parent
SEEDS = HERE.parent.parent / "shared" / "seeds"


def _pairs(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


SHIPPED = _pairs(HERE.parent / "itaxl" / "data" / "misspellings.tsv")
HELD_OUT = _pairs(HERE / "data" / "misspellings-heldout.tsv")


def test_the_list_is_split_two_thirds_shipped_one_third_held_out():
    assert len(SHIPPED) + len(HELD_OUT) >= 150
    assert len(SHIPPED) >= 2 * len(HELD_OUT) - 2  # two thirds, give or take the seeds' own
    assert not {w for w, _ in SHIPPED} & {w for w, _ in HELD_OUT}
    assert not {w for w, _ in HELD_OUT} & set(spelling.misspellings())


@pytest.mark.parametrize("wrong, right", SHIPPED)
def test_every_shipped_misspelling_is_flagged_with_its_right_form(wrong, right):
    assert [(w, r) for _at, w, r in spelling.misspelt(wrong)] == [(wrong, right)]


def test_most_held_out_misspellings_are_caught_by_rules_that_generalise():
    caught = [w for w, _ in HELD_OUT if spelling.misspelt(w) or spelling.unknown(w)]
    assert len(caught) >= 0.6 * len(HELD_OUT), sorted(set(w for w, _ in HELD_OUT) - set(caught))


@pytest.mark.parametrize("right", sorted({r for _, r in SHIPPED + HELD_OUT}))
def test_right_forms_are_not_flagged(right):
    assert spelling.misspelt(right) == [] and spelling.unknown(right) == []


@pytest.mark.parametrize("text, found", [
    ("๑.จัดให้มีเก้าอี้รองรับผู้มาติดต่อราชการ ๒.มีการจัดทำแผนผังชั้นตอนการให้บริการ", ("ชั้นตอน", "ขั้นตอน")),
    ("จัดทำคู่มือการปฎิบัติงาน", ("ปฎิบัติ", "ปฏิบัติ")),
    ("จัดสวัสดีการให้พนักงานจ้างอย่างทั่วถึง", ("สวัสดีการ", "สวัสดิการ")),              # held out: ี for ิ
    ("รายงานผลการดำเนินงานทุกไตรมาศ", ("ไตรมาศ", "ไตรมาส")),                              # held out: ศ for ส
    ("ให้บริการด้วยความรวดเร็วและเท่าเทียมทุกโอกาศ", ("โอกาศ", "โอกาส")),                 # shipped, and dropped
    ("ใช้ระบบเทคโนโลยีโดยจัดทำ QR COED สำหรับประชาชนแจ้งเรื่องร้องเรียน", ("QR COED", "QR Code")),  # seed 000
    ("ประชาสัมพันธ์ผ่านเพจ Facebok ของ อบต.", ("Facebok", "Facebook")),
])
def test_misspellings_in_sentences(text, found):
    assert [(w, r) for _at, w, r in spelling.misspelt(text)][:1] == [found]


@pytest.mark.parametrize("text", [
    "ประจักษ์ชัดว่ามีการรณรงค์ให้ความรู้",          # ประจัก and รณรง are inside real words
    "ส่งเสริมสถานการศึกษาในพื้นที่",                   # สถาน|การศึกษา, not สถานการณ์
    "อ่านแผ่นงานคำชี้แจงก่อนกรอก",                    # แผ่นงาน (a worksheet), not แผนงาน
    "สรุปผลการประเมินและงานที่ต้องปรับปรุง",            # และ|งาน, not แรงงาน
    "สอบถามผ่าน Websites, Services และ QRcode ของหน่วยงาน",  # plurals and a space left out
    "ดูได้ที่ https://www.facebok.com/abc",           # an address is what it is
    "ใช้รูปแบบ inline ในเอกสาร",                       # a slip keeps its first letter
    "นางพัชรินทร์ เวสสุกรรม เป็นผู้รายงาน",             # a person's name
])
def test_good_text_is_not_flagged(text):
    assert spelling.misspelt(text) == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents (../shared/seeds) are not here")
def test_the_seeds_correct_text_gives_no_flag():
    """Every flag in the five seed documents is one of their real misspellings."""
    real = {("จัดทา", "จัดทำ"), ("แจ็ง", "แจ้ง"), ("ร่องเรียน", "ร้องเรียน"), ("ชั้นตอน", "ขั้นตอน"),
            ("QR COED", "QR Code"), ("พบทวน", "ทบทวน")}
    flagged = {(w, r) for seed in sorted(SEEDS.glob("*.txt"))
               for line in seed.read_text("utf-8").splitlines() for _at, w, r in spelling.misspelt(line)}
    assert flagged == real


def test_a_workbook_cell_gets_one_warning_with_the_right_forms(tmp_path):
    found = _found(_measures(tmp_path, 2566, method="๕. แจ็งฝาท่อพัง ๖. แจ็งตัดแต่งกิ่งไม้ ๗. แจ็งร่องเรียน"),
                   "text-misspelt")
    assert found == ["Likely misspelt: 'แจ็ง' for 'แจ้ง', 'ร่องเรียน' for 'ร้องเรียน'."]


def test_a_misspelling_is_not_also_reported_as_unknown(tmp_path):
    sub = _measures(tmp_path, 2566, method="เผยแพร่ข้อมูลทางเว็ปไซต์ของหน่วยงาน")  # เว็ป|ไซต์: เว็ป is no word
    assert spelling.unknown("เผยแพร่ข้อมูลทางเว็ปไซต์ของหน่วยงาน")
    assert _found(sub, "text-misspelt") == ["Likely misspelt: 'เว็ปไซต์' for 'เว็บไซต์'."]
    assert _found(sub, "text-spelling") == []


@pytest.mark.skipif(not (spelling._pythainlp_corpus() / "tnc_freq.txt").is_file(),
                    reason="PyThaiNLP's corpus frequencies are not installed")
def test_the_shipped_lookalike_table_is_what_the_corpus_gives():
    from importlib.metadata import version

    shipped = (HERE.parent / "itaxl" / "data" / "lookalikes.tsv").read_text("utf-8")
    drawn_from = re.search(r"^# pythainlp (\S+)$", shipped, re.MULTILINE)[1]
    if drawn_from != version("pythainlp"):
        pytest.skip(f"the table was drawn from PyThaiNLP {drawn_from}; {version('pythainlp')} is installed")
    rows = [line.split("\t") for line in shipped.splitlines() if not line.startswith("#")]
    assert [tuple(r) for r in rows] == spelling.build_lookalikes(), "run python -m itaxl.spelling"


def test_every_data_line_is_well_formed():
    for name in ("misspellings.tsv", "lookalikes.tsv"):
        for line in spelling.list_file(name):
            assert re.fullmatch(r"[^\t]+\t[^\t]+", line), (name, line)


def test_the_readme_states_the_lists_as_they_are():
    readme = (HERE.parent / "README.md").read_text("utf-8")
    caught = sum(1 for w, _ in HELD_OUT if spelling.misspelt(w) or spelling.unknown(w))
    assert f"{len(SHIPPED)} known ones" in readme
    assert f"catch {caught} of its {len(HELD_OUT)} unaided" in readme


@pytest.mark.parametrize("text", ["เผยแพร่ข้อมูลทางเว็ปไซต์ของหน่วยงาน", "๑. ปรับปรุงข้อมูลในปิงปประมาณ ๒๕๖๖",
                                  "จัดทำ QR COED และชั้นตอนการให้บริการ", "ITA only", "ประชุมชี้แจงบุคลากร"])
def test_slips_is_misspelt_and_unknown_with_one_cut(text):
    wrong, strays = spelling.slips(text)
    assert wrong == spelling.misspelt(text)
    covered = [(at, at + len(w)) for at, w, _ in wrong]
    assert strays == [s for s in spelling.unknown(text) if not any(a <= s[0] < b for a, b in covered)]
