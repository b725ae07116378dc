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


def test_the_sha256_is_of_the_file_bytes():
    import hashlib

    path = fw.SHIPPED_DIR / "ita-2568.toml"
    assert fw.shipped(2568).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


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
