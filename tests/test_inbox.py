"""A messy inbox, as e-mail and chat apps fill it, through every verb: nothing vanishes.

Each entry ends read, refused (with its problem) or ignored (with a reason), and
the JSON documents account for every one.  The verbs run as real processes, the
way central staff run them; as root (CI), the unreadable folder is made so by
dropping the capabilities that let root read anything.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import HERE, ORG

CP874_NAME = "ทดสอบ.xlsx".encode("cp874")  # as unzipped from an archive made on Windows


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


WRONGLY_SAVED = {  # name → (bytes, the problem the reader gives)
    "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + bytes(500), "file-legacy-xls"),
    "macro.xlsm": ((HERE / "data" / "excel-written" / "button07.xlsm").read_bytes(), "file-macro"),
    "calc.ods": (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
                 "file-ods"),
    "table.csv": ("org_code,measure\n6311805,มาตรการ\n".encode(), "file-not-xlsx"),
    "scan.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "file-not-xlsx"),
    "letter.docx": (_zip({"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
                                                 b'officedocument.wordprocessingml.document.main+xml"/></Types>'}),
                    "file-not-spreadsheet"),
    "photo.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "file-not-xlsx"),
    "other.zip": (_zip({"a.txt": b"hello"}), "file-not-spreadsheet"),
}
JUNK = ["~$measures.xlsx", ".~lock.measures.xlsx#", ".DS_Store", "Thumbs.db", "desktop.ini",
        ".itaxl-tmp-999999999-abcd1234-c.xlsx"]


@pytest.fixture
def messy(tmp_path, measures_valid, filled_progress):
    """An inbox with two good workbooks and one of everything else; the list of what is in it."""
    box = tmp_path / "inbox"
    (box / "sub").mkdir(parents=True)
    shutil.copy(measures_valid, box / "measures.xlsx")
    shutil.copy(filled_progress(), box / "sub" / "progress-r6.xlsx")
    for name, (data, _) in WRONGLY_SAVED.items():
        (box / name).write_bytes(data)
    for name in JUNK:
        (box / name).write_bytes(b"lock")
    (box / "__MACOSX").mkdir()
    (box / "__MACOSX" / "._measures.xlsx").write_bytes(b"\x00\x05\x16\x07")
    os.symlink(".", box / "sub" / "loop")                       # a link back up the tree
    os.symlink("nowhere.xlsx", box / "dangling.xlsx")           # a broken link
    outside = tmp_path / "elsewhere.xlsx"
    shutil.copy(measures_valid, outside)
    os.symlink(outside, box / "escape.xlsx")                    # a link out of the input folder
    os.symlink("measures.xlsx", box / "alias.xlsx")             # a link to a file read where it is
    (box / "locked").mkdir()
    shutil.copy(measures_valid, box / "locked" / "hidden.xlsx")
    os.chmod(box / "locked", 0)
    cp874 = os.path.join(os.fsencode(box), CP874_NAME)
    shutil.copy(measures_valid, cp874)
    yield box
    os.chmod(box / "locked", 0o755)


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    """itaxl as a real process; as root, without the capabilities that read any folder."""
    command = [sys.executable, "-m", "itaxl.cli", *map(str, args)]
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    return subprocess.run(command, capture_output=True, cwd=cwd, timeout=120)


def _text(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")  # strict: valid UTF-8 or it fails


def test_validate_accounts_for_every_entry(messy):
    proc = run("validate", messy, "--format", "json", "--lang", "en")
    assert proc.returncode == 1, _text(proc)
    assert b"Traceback" not in proc.stderr
    doc = json.loads(proc.stdout.decode("utf-8"))
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    ignored = {Path(i["path"]).name: i["reason"] for i in doc["ignored"]}
    for name, (_, code) in WRONGLY_SAVED.items():
        assert [p["code"] for p in by_name[name]["problems"]] == [code], name
    assert by_name["measures.xlsx"]["valid"] and by_name["progress-r6.xlsx"]["kind"] == "progress"
    assert by_name["ทดสอบ.xlsx".encode("cp874").decode("utf-8", "backslashreplace")]["valid"]
    assert [p["code"] for p in by_name["loop"]["problems"]] == ["path-link-loop"]
    assert [p["code"] for p in by_name["dangling.xlsx"]["problems"]] == ["path-link-broken"]
    assert [p["code"] for p in by_name["escape.xlsx"]["problems"]] == ["path-link-outside"]
    assert [p["code"] for p in by_name["locked"]["problems"]] == ["path-unreadable"]
    assert set(ignored) == {*JUNK, "__MACOSX", "alias.xlsx"}
    assert "Excel's lock file" in ignored["~$measures.xlsx"] and "LibreOffice" in ignored[".~lock.measures.xlsx#"]
    entries = 2 + 1 + len(WRONGLY_SAVED) + 4 + len(JUNK) + 2  # good, cp874, wrong, fs problems, junk, links/macosx
    s = doc["summary"]
    assert len(doc["files"]) + len(doc["ignored"]) == s["found"] == entries
    assert s["found"] == s["read"] + s["refused"] + s["ignored"] and s["read"] == 3
    assert os.listdir(messy / "sub")  # nothing was changed or removed
    assert (messy / ".itaxl-tmp-999999999-abcd1234-c.xlsx").exists()  # validate writes nothing, removes nothing


def test_validate_text_report_names_everything(messy):
    proc = run("validate", messy, "--lang", "en")
    text = _text(proc)
    assert proc.returncode == 1
    for name in (*WRONGLY_SAVED, "loop", "locked", "dangling.xlsx", *JUNK):
        assert name in text, name
    assert "\\xb7" in text  # the cp874 name, its bytes shown escaped
    assert f"found {2 + 1 + len(WRONGLY_SAVED) + 4 + len(JUNK) + 2} = read 3 + refused" in text


def test_merge_accounts_for_every_entry_and_ignores_its_own_output(messy, tmp_path):
    out = messy / "consolidated.xlsx"
    summary = messy / "summary.json"
    proc = run("merge", messy, "-o", out, "--json", summary, "--csv", messy / "tables")
    text = _text(proc)
    assert proc.returncode == 1, text  # some inputs have errors: they are named
    assert "rejected " in text and "old.xls" in text and "Traceback" not in text
    doc = json.loads(summary.read_text("utf-8"))
    s = doc["summary"]
    assert s["found"] == s["read"] + s["refused"] + s["ignored"]
    assert s["accepted"] + s["rejected"] + s["superseded"] + s["duplicate"] + s["outside"] == s["read"] + s["refused"]
    files = openpyxl.load_workbook(out, read_only=True)["ไฟล์"]
    assert files.max_row - 1 == s["found"]
    again = run("merge", messy, "-o", out, "--json", summary, "--csv", messy / "tables", "--force")
    s2 = json.loads(summary.read_text("utf-8"))["summary"]
    assert again.returncode == 1 and (s2["read"], s2["refused"]) == (s["read"], s["refused"])
    reasons = {Path(i["path"]).name: i["reason"]
               for i in json.loads(summary.read_text("utf-8"))["ignored"]}
    assert "written by this run" in reasons["consolidated.xlsx"] and "written by this run" in reasons["summary.json"]
    assert "output folder" in reasons["tables"]
    # the temporary file a killed run (pid 999999999, long gone) left was removed by the first write
    assert ".itaxl-tmp-999999999-abcd1234-c.xlsx" not in reasons and s2["ignored"] == s["ignored"] - 1 + 3
    assert not [n for n in os.listdir(messy) if n.startswith(".itaxl-tmp-")]


def test_template_progress_from_a_messy_folder(messy, tmp_path):
    out = tmp_path / "outbox"
    proc = run("template", "progress", "--from", messy, "--round", "6", "-o", out)
    text = _text(proc)
    assert proc.returncode == 1, text
    written = sorted(p.name for p in out.iterdir())
    assert written == [f"progress-2567-{ORG}-r6.xlsx"]  # from measures.xlsx; the cp874 copy is the same office
    assert "was already made from" in text
    assert "cannot become round 6" in text  # sub/progress-r6.xlsx: which file has which round
    for name in ("old.xls", "calc.ods", "locked", "loop"):
        assert f"{name}" in text


def test_annotated_copies_have_unique_names(tmp_path, filled):
    inbox = tmp_path / "inbox"
    (inbox / "resubmitted").mkdir(parents=True)
    shutil.copy(filled(header={"total_score": 120}), inbox / "x.xlsx")
    shutil.copy(filled(header={"grade": "AA"}), inbox / "resubmitted" / "x.xlsx")
    returns = tmp_path / "returns"
    proc = run("validate", inbox, "--annotate", returns)
    assert proc.returncode == 1, _text(proc)
    assert sorted(p.name for p in returns.iterdir()) == ["resubmitted__x-itaxl-check.xlsx", "x-itaxl-check.xlsx"]
    again = run("validate", inbox, "--annotate", returns)
    assert again.returncode == 2 and b"--force" in again.stderr
    forced = run("validate", inbox, "--annotate", returns, "--force")
    assert forced.returncode == 1 and len(list(returns.iterdir())) == 2


@pytest.mark.parametrize("args, words", [
    (["merge", "nosuch/", "-o", "m.xlsx"], "no such file or folder: nosuch/"),
    (["validate", "nosuch.xlsx"], "no such file or folder"),
    (["merge", "empty/", "-o", "m.xlsx"], "nothing to read"),
    (["merge", "inbox/", "-o", "m.xlsx", "--province", "Buriram", "--district", "xyz"], "no district 'xyz'"),
    (["merge", "inbox/", "-o", "m.xlsx", "--province", "บุรีรัม"], "did you mean บุรีรัมย์ (Buri Ram)?"),
    (["template", "measures", "--org-code", "12345", "-y", "2567", "-o", "t.xlsx"], "has 7 digits, this has 5"),
    (["template", "measures", "--org-code", ORG, "-y", "2650", "-o", "t.xlsx"], "more than a year ahead"),
    (["merge", "inbox/", "-o", "out/m.xlsx"], "cannot write here"),
])
def test_what_cannot_proceed_exits_2_with_one_line(tmp_path, measures_valid, args, words):
    (tmp_path / "empty").mkdir()
    (tmp_path / "inbox").mkdir()
    shutil.copy(measures_valid, tmp_path / "inbox" / "m.xlsx")
    (tmp_path / "out").mkdir(mode=0o555)
    proc = run(*args, cwd=tmp_path)
    text = _text(proc)
    assert proc.returncode == 2, text
    assert words in text and "Traceback" not in text
    assert not (tmp_path / "m.xlsx").exists() and not (tmp_path / "t.xlsx").exists()
    assert list((tmp_path / "out").iterdir()) == []


def test_no_accepted_submission_writes_nothing(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.pdf").write_bytes(b"%PDF-1.4")
    proc = run("merge", "inbox/", "-o", "m.xlsx", cwd=tmp_path)
    assert proc.returncode == 1 and b"no consolidated workbook was written" in proc.stderr
    assert b"rejected inbox/a.pdf" in proc.stderr
    assert not (tmp_path / "m.xlsx").exists()


def test_a_bug_is_exit_3_with_its_traceback_in_a_log(tmp_path, measures_valid):
    script = ("import sys; import itaxl.consolidation as m\n"
              "def boom(*a, **k): raise ZeroDivisionError('a bug')\n"
              "m.consolidate = boom\n"
              "from itaxl.cli import main; sys.argv = ['itaxl'] + sys.argv[1:]; main()\n")
    proc = subprocess.run([sys.executable, "-c", script, "merge", str(measures_valid), "-o", str(tmp_path / "m.xlsx")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    log = proc.stderr.split("the details are in ")[1].split(" ")[0]
    try:
        assert "ZeroDivisionError: a bug" in Path(log).read_text("utf-8") and "Traceback" in Path(log).read_text()
    finally:
        os.unlink(log)
    assert "nothing was written" in proc.stderr


def test_an_unwritable_csv_folder_publishes_none_of_the_outputs(tmp_path, measures_valid):
    (tmp_path / "locked").mkdir(mode=0o555)
    proc = run("merge", measures_valid, "-o", tmp_path / "c.xlsx", "--csv", tmp_path / "locked" / "tables")
    text = _text(proc)
    assert proc.returncode == 2 and "cannot write here" in text and "Traceback" not in text
    assert "nothing was written" in text  # the workbook and its tables are published together or not at all
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked"]
