"""An office that gives a name and no code: the code its name has in the register, or, for a
name no office has (seed 000's อบต.ประจักษ์), the nearest registered names."""

from __future__ import annotations

import itaxl
from itaxl.fill import fill
from itaxl.reader import Submission
from itaxl.rules import rule_named
from itaxl.schema import Kind

from .conftest import FY, good_rows


def _named(name: str) -> Submission:
    return Submission.build(Kind.MEASURES, FY, header={"org_name": name}, rows=good_rows()[:1])


def test_a_name_no_office_has_is_answered_with_the_nearest_names():
    (p,) = rule_named("office").check(_named("องค์การบริหารส่วนตำบลประจักษ์"))
    assert p.code == "office-not-in-register"
    assert p.params["near"].startswith("อบต.โพประจักษ์ (อ.ท่าช้าง จ.สิงห์บุรี, 6170502)")


def test_a_registered_name_without_its_code_is_given_the_code():
    (p,) = rule_named("office").check(_named("อบต.โคกสนวน"))
    assert (p.code, p.params["offices"]) == ("office-code-of-name", "6311805 (อ.ชำนิ จ.บุรีรัมย์)")


def test_a_blank_template_filled_with_an_unregistered_name(blank_template, tmp_path):
    path = fill(blank_template, tmp_path / "m.xlsx", header={"org_name": "องค์การบริหารส่วนตำบลประจักษ์",
                                                            "reporter_name": "นางสาวทดสอบ ระบบ"},
                rows=good_rows())
    sub = itaxl.read(path)
    codes = {p.code: p for p in sub.problems}
    assert codes["required-missing"].is_error          # the code is still required
    assert "No office named 'องค์การบริหารส่วนตำบลประจักษ์' is in the register" in codes["office-not-in-register"].message_en


def test_a_code_given_is_not_second_guessed_by_name():
    sub = Submission.build(Kind.MEASURES, FY, header={"org_code": "6311805", "org_name": "อบต.โคกสนวน"},
                           rows=good_rows()[:1])
    assert rule_named("office").check(sub) == []
