import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from itaxl.thai import (
    ThaiDateError, be_to_ce, ce_to_be, clean_text, fiscal_year_bounds, fiscal_year_of, format_date,
    format_period, parse_date, parse_number, parse_period, round_bounds, to_arabic_digits, to_thai_digits,
)

from .conftest import SHARED

D = dt.date


def test_digits_both_ways():
    assert to_arabic_digits("๑๓ มกราคม ๒๕๖๖") == "13 มกราคม 2566"
    assert to_thai_digits("31/3/2565") == "๓๑/๓/๒๕๖๕"
    assert to_arabic_digits("ข้อ ๑๐") == "ข้อ 10"


def test_years_and_fiscal_year():
    assert be_to_ce(2566) == 2023 and ce_to_be(2023) == 2566
    assert fiscal_year_of(D(2022, 10, 1)) == 2566
    assert fiscal_year_of(D(2022, 9, 30)) == 2565
    assert fiscal_year_bounds(2566) == (D(2022, 10, 1), D(2023, 9, 30))
    assert round_bounds(2566, 6) == (D(2022, 10, 1), D(2023, 3, 31))
    assert round_bounds(2566, 12) == fiscal_year_bounds(2566)
    with pytest.raises(ValueError):
        round_bounds(2566, 9)


# Every date form quoted in ITA-DOMAIN.md and in the seed reports.
@pytest.mark.parametrize("text, expected", [
    ("๑๓ มกราคม ๒๕๖๖", D(2023, 1, 13)),
    ("๓๑ มี.ค. ๖๕", D(2022, 3, 31)),
    ("31 มี.ค. 65", D(2022, 3, 31)),
    ("๓๑ มีนาคม ๒๕๖๕", D(2022, 3, 31)),
    ("วันที่ ๖ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๖", D(2023, 2, 6)),
    ("๑ เดือนมีนาคม พ.ศ.๒๕๖๖", D(2023, 3, 1)),
    ("วันที่ ๑๒ มกราคม ๒๕๖๕", D(2022, 1, 12)),
    ("14 มกราคม 2565", D(2022, 1, 14)),
    ("1/10/2565", D(2022, 10, 1)),
    ("01/10/65", D(2022, 10, 1)),
    ("2023-01-13", D(2023, 1, 13)),
    ("13 ม.ค 66", D(2023, 1, 13)),
    ("13 มค 66", D(2023, 1, 13)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "พรุ่งนี้", "31 ก.พ. 66", "13 มกราคม", "45/13/2566", "1 ม.ค. 1200"])
def test_parse_date_fails_clearly(text):
    with pytest.raises(ThaiDateError):
        parse_date(text)


@pytest.mark.parametrize("text, fy, expected", [
    ("ม.ค. 64 – มี.ค. 64", None, (D(2021, 1, 1), D(2021, 3, 31))),
    ("เดือน ต.ค. ๖๔ - ก.ย. ๖๕", None, (D(2021, 10, 1), D(2022, 9, 30))),
    ("ตุลาคม ๒๕๖๕ ถึง กันยายน ๒๕๖๖", None, (D(2022, 10, 1), D(2023, 9, 30))),
    ("ตลอดปี 64", None, (D(2020, 10, 1), D(2021, 9, 30))),
    ("ภายในเดือนเมษายน ๒๕๖๖", None, (D(2023, 4, 1), D(2023, 4, 30))),
    ("ภายในเดือนเมษายน ๒๕๖๖", 2566, (D(2022, 10, 1), D(2023, 4, 30))),
    ("ม.ค. – ก.ย. 64", None, (D(2021, 1, 1), D(2021, 9, 30))),
    ("ต.ค. – ก.ย. 66", None, (D(2022, 10, 1), D(2023, 9, 30))),
    ("๓๑ มี.ค. ๖๕", None, (D(2022, 3, 31), D(2022, 3, 31))),
    ("ตลอดปีงบประมาณ", 2566, (D(2022, 10, 1), D(2023, 9, 30))),
    ("ปีงบประมาณ ๒๕๖๖", None, (D(2022, 10, 1), D(2023, 9, 30))),     # seed 004
    ("ประจำปีงบประมาณ พ.ศ. 2565", 2566, (D(2021, 10, 1), D(2022, 9, 30))),
    ("ภายในเดือนมกราคม", 2566, (D(2022, 10, 1), D(2023, 1, 31))),
    ("เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖", None, (D(2022, 10, 1), D(2023, 3, 31))),
    ("1 ต.ค. 2566 ถึง 30 ก.ย. 2567", None, (D(2023, 10, 1), D(2024, 9, 30))),
])
def test_parse_period(text, fy, expected):
    assert parse_period(text, fy) == expected


@pytest.mark.parametrize("text", ["", "ตลอดปี", "ทุกเดือน", "ม.ค. – มี.ค."])
def test_parse_period_fails_clearly(text):
    with pytest.raises(ThaiDateError):
        parse_period(text)


def test_format_date_official_forms():
    day = D(2023, 1, 13)
    assert format_date(day) == "13 มกราคม 2566"
    assert format_date(day, abbreviated=True) == "13 ม.ค. 2566"
    assert format_date(day, thai_digits=True, era=True) == "๑๓ มกราคม พ.ศ. ๒๕๖๖"
    assert format_period(D(2022, 10, 1), D(2023, 3, 31)) == "1 ต.ค. 2565 – 31 มี.ค. 2566"


def test_parse_number():
    assert parse_number("๘๕.๕๐") == 85.5
    assert parse_number(" 91.02 คะแนน") == 91.02
    assert parse_number("1,234") == 1234
    with pytest.raises(ValueError):
        parse_number("เก้าสิบ")


def test_clean_text_never_changes_meaning():
    assert clean_text("  การดําเนินการ   ทุกกอง \r\n  ข้อ ๒\u200b ") == "การดำเนินการ ทุกกอง\nข้อ ๒"
    assert clean_text("ทุกส่วน\tราชการ") == "ทุกส่วน ราชการ"
    assert clean_text("a\x00b") == "ab"
    assert clean_text("บรรทัด 1\n\nบรรทัด 3") == "บรรทัด 1\n\nบรรทัด 3"


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31)), st.booleans(), st.booleans(), st.booleans())
def test_format_then_parse_round_trips(day, abbreviated, thai_digits, era):
    assert parse_date(format_date(day, abbreviated=abbreviated, thai_digits=thai_digits, era=era)) == day


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31)))
def test_fiscal_year_contains_its_dates(day):
    start, end = fiscal_year_bounds(fiscal_year_of(day))
    assert start <= day <= end


_SEED_DATE = re.compile(r"(?:วันที่[ \t]*)?(?<![๐-๙\d])[๐-๙\d]{1,2}[ \t]*(?:เดือน[ \t]*)?(?:มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|"
                        r"มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|[ก-ฮ]{1,2}\.[ก-ฮ]\.)"
                        r"[ \t]*(?:พ\.ศ\.[ \t]*)?[๐-๙\d]{2,4}")


def test_every_date_in_the_seeds_parses():
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present on this machine")
    found = [m.group(0) for f in sorted(seeds.glob("*.txt")) for m in _SEED_DATE.finditer(f.read_text("utf-8"))]
    assert len(found) >= 15
    for text in found:
        day = parse_date(text)
        assert 2019 <= day.year <= 2024, text
