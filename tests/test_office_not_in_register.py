"""An office that gives a name and no code: the code its name has in the register, or, for a
name no office has (seed 000's อบต.ประจักษ์), the nearest registered names."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import itaxl
import itaxl.templates
from itaxl import registry
from itaxl.cli import cli
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


# --------------------------------------------------------------------------- text pasted from a registered office


def _blank_named(blank_template, tmp_path, name: str, method: str):
    rows = [{**good_rows()[0], "method": method}]
    return itaxl.read(fill(blank_template, tmp_path / "m.xlsx", header={"org_name": name}, rows=rows))


def test_an_unregistered_office_s_text_naming_a_registered_one_is_flagged(blank_template, tmp_path):
    # seed 000: อบต.ประจักษ์'s report names อบต.ประศุก (6170608, สิงห์บุรี) as the office that gave the order
    sub = _blank_named(blank_template, tmp_path, "องค์การบริหารส่วนตำบลประจักษ์",
                       "๑. องค์การบริหารส่วนตำบลประศุก ออกคำสั่งที่ ๓๖/๒๕๖๖ แต่งตั้งคณะทำงาน")
    (p,) = [p for p in sub.problems if p.code == "text-other-office"]
    assert "'องค์การบริหารส่วนตำบลประศุก' (อบต.ประศุก, สิงห์บุรี), not องค์การบริหารส่วนตำบลประจักษ์" in p.message_en


def test_an_unregistered_office_naming_itself_is_quiet(blank_template, tmp_path):
    sub = _blank_named(blank_template, tmp_path, "องค์การบริหารส่วนตำบลประจักษ์",
                       "จัดทำประกาศองค์การบริหารส่วนตำบลประจักษ์ เรื่อง นโยบายไม่รับของขวัญ")
    assert not [p for p in sub.problems if p.code == "text-other-office"]


# --------------------------------------------------------------------------- offices added to the register

ADDED = "dla_code,type_th,name_th,district_th,province_code,province_th,province_en\n"


def _csv(tmp_path, *rows: str):
    path = tmp_path / "added.csv"
    path.write_text(ADDED + "".join(r + "\n" for r in rows), "utf-8")
    return path


def test_an_added_office_is_an_office_for_the_run_and_only_for_it(tmp_path):
    added = _csv(tmp_path, "6179901,อบต.,ประจักษ์,อินทร์บุรี,17,สิงห์บุรี,Sing Buri")
    out = tmp_path / "m.xlsx"
    runner = CliRunner()
    refused = runner.invoke(cli, ["template", "measures", "--org-code", "6179901", "-y", "2566", "-o", str(out)])
    assert refused.exit_code == 2 and "not in the register" in refused.output
    made = runner.invoke(cli, ["--offices", str(added), "template", "measures", "--org-code", "6179901",
                               "-y", "2566", "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert registry.lookup("6179901") is None  # the run's addition ended with it
    with registry.offices_added(added):
        sub = itaxl.read(out)
        assert sub.header["org_name"] == "ประจักษ์" and sub.header["province"] == "สิงห์บุรี"
        assert "office-unknown" not in {p.code for p in sub.problems}
    # without the file the same workbook's code is unknown again
    assert "office-unknown" in {p.code for p in itaxl.read(out).problems}


def test_workers_see_the_added_offices(tmp_path, monkeypatch):
    added = _csv(tmp_path, "6179901,อบต.,ประจักษ์,อินทร์บุรี,17,สิงห์บุรี,Sing Buri")
    inbox = tmp_path / "inbox"
    with registry.offices_added(added):
        for n in range(2):
            itaxl.templates.measures("6179901", 2566, inbox / f"m{n}.xlsx")
    result = CliRunner().invoke(cli, ["--offices", str(added), "validate", str(inbox), "--jobs", "2",
                                      "--format", "json"])
    codes = {p["code"] for f in json.loads(result.output)["files"] for p in f["problems"]}
    assert "office-unknown" not in codes and "required-missing" in codes  # read in two processes, code known


@pytest.mark.parametrize("rows, message", [
    ((), "needs the columns"),
    (("6179901,อบต.,ประจักษ์,,17,สิงห์บุรี,Sing Buri",), "line 2: empty district_th"),
    (("617990,อบต.,ประจักษ์,อินทร์บุรี,17,สิงห์บุรี,Sing Buri",), "line 2: '617990' is not a 7-digit office code"),
    (("6179901,หมู่บ้าน,ประจักษ์,อินทร์บุรี,17,สิงห์บุรี,Sing Buri",), "line 2: type 'หมู่บ้าน' is not an office type"),
    (("6170608,อบต.,ประจักษ์,อินทร์บุรี,17,สิงห์บุรี,Sing Buri",),
     "line 2: code 6170608 is in the register already (อบต.ประศุก)"),
    (("6179901,อบต.,ประจักษ์,อินทร์บุรี,17,สิงห์บุรี,Sing Buri",) * 2, "line 3: code 6179901 is given twice"),
])
def test_a_bad_added_offices_file_is_refused_naming_its_line(tmp_path, rows, message):
    added = _csv(tmp_path, *rows)
    result = CliRunner().invoke(cli, ["--offices", str(added), "validate", str(tmp_path)])
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert registry.lookup("6170608").name_th == "ประศุก"  # the register is as it was
