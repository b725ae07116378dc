"""The submission ledger, on SQLite and on PostgreSQL: real files in, stored, checked, decided,
counted, merged, exported and verified."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import itaxl
from itaxl.cli import cli
from itaxl.ledger import Ledger, LedgerError
from itaxl.ledger import database

from .conftest import FY, ORG

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "inbox"


def open_new(target) -> Ledger:
    url, store = target
    return Ledger.open(url, store=store, create=True)


def variant(source: Path, out: Path, n: int, mtime: float | None = None) -> Path:
    """A copy of a workbook with other bytes but the same content (a zip comment): a resubmission."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.comment = f"resubmission {n}".encode()
    if mtime is not None:
        os.utime(out, (mtime, mtime))
    return out


def run(*args: str, target=None):
    extra = []
    if target is not None:
        extra = ["--ledger", target[0]] + (["--store", target[1]] if target[1] else [])
    return CliRunner().invoke(cli, ["ledger", *args, *extra])


# --------------------------------------------------------------------------- add


def test_add_accounts_for_every_entry_and_remembers_the_bytes(ledger_target, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    (inbox / "~$lock.xlsx").write_bytes(b"lock")
    (inbox / "notes.txt").write_text("not a workbook")
    os.symlink(inbox / "gone.xlsx", inbox / "broken-link.xlsx")
    with open_new(ledger_target) as book:
        assert book.created
        report = book.add([inbox])
        s = report.stats
        assert s["found"] == len(report.receipts) == s["stored"] + s["already"] + s["refused"] + s["ignored"]
        assert s["stored"] == 13 and s["refused"] == 1 and s["ignored"] == 1  # 12 samples + the text file
        stored = {Path(r.path).name: r.version for r in report.receipts if r.outcome == "stored"}
        assert stored["notes.txt"].state == "unreadable" and stored["notes.txt"].version is None
        assert stored["measures-2566-6311805.xlsx"].version == 1
        # a workbook that names no office code is kept and checked, but is no office's version
        assert stored["measures-2566-prachak.xlsx"].version is None
        assert stored["measures-2566-prachak.xlsx"].state == "checked"
        # the resubmitted progress report is the next version of the same document
        versions = sorted(v.version for v in book.versions() if v.document == ("6311805", "progress", 2566, 6))
        assert versions == [1, 2]
        # every stored file is in the store with its bytes
        for v in book.versions():
            assert book.store.path(v.sha256).read_bytes() == (Path(v.folder) / v.name).read_bytes()
        again = book.add([inbox])
        assert again.stats["stored"] == 0 and again.stats["already"] == 13
        first = {Path(r.path).name: r for r in again.receipts if r.outcome == "already received"}
        assert first["measures-2566-6311805.xlsx"].version.id == stored["measures-2566-6311805.xlsx"].id
        assert first["measures-2566-6311805.xlsx"].version.received_at == stored["measures-2566-6311805.xlsx"].received_at
        assert len(book.versions()) == 13
        # the JSON names the same things
        doc = json.loads(again.to_json())
        assert doc["summary"]["already"] == 13 and len(doc["receipts"]) == doc["summary"]["found"]


def test_the_ledger_folder_itself_is_never_read_as_an_input(tmp_path):
    inbox = tmp_path / "work"
    inbox.mkdir()
    shutil.copy(SAMPLES / "measures-2566-6311805.xlsx", inbox)
    with Ledger.open(inbox / "itaxl-ledger", create=True) as book:
        book.add([inbox])
        again = book.add([inbox])  # the store's copies are under inbox/ now: not inputs
    assert again.stats == {**again.stats, "found": 2, "already": 1, "ignored": 1, "stored": 0}
    (ignored,) = [r for r in again.receipts if r.outcome == "ignored"]
    assert ignored.path.endswith("itaxl-ledger")


def test_commands_other_than_add_refuse_a_missing_ledger(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ITAXL_LEDGER", raising=False)
    for args in (["status", "-y", "2567"], ["merge", "-o", "x.xlsx"], ["history", ORG], ["verify"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "no ledger at itaxl-ledger" in result.output
    assert not (tmp_path / "itaxl-ledger").exists()  # nothing made by a command that reads


def test_twenty_resubmissions_at_once_are_versions_one_to_twenty(ledger_target, tmp_path, measures_valid):
    files = [variant(measures_valid, tmp_path / f"m{i}.xlsx", i) for i in range(20)]
    with open_new(ledger_target) as book:
        errors = []

        def send(path):
            try:
                with Ledger.open(*ledger_target[:1], store=ledger_target[1]) as mine:
                    assert mine.add([path]).stats["stored"] == 1
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=send, args=(p,)) for p in files]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        versions = [v.version for v in book.versions() if v.document == (ORG, "measures", FY, 0)]
        assert sorted(versions) == list(range(1, 21))


def test_two_add_runs_at_once_number_without_gap(ledger_target, tmp_path, measures_valid):
    import subprocess
    import sys

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for i in range(6):
        variant(measures_valid, (a if i % 2 else b) / f"m{i}.xlsx", i)
    open_new(ledger_target).close()
    args = ["--ledger", ledger_target[0]] + (["--store", ledger_target[1]] if ledger_target[1] else [])
    runs = [subprocess.Popen([sys.executable, "-m", "itaxl", "ledger", "add", str(d), *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for d in (a, b)]
    for p in runs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with Ledger.open(ledger_target[0], store=ledger_target[1]) as book:
        assert sorted(v.version for v in book.versions()) == [1, 2, 3, 4, 5, 6]


# --------------------------------------------------------------------------- which version counts


def test_which_version_counts_and_decisions(ledger_target, tmp_path, measures_valid, filled):
    day = datetime.datetime(2024, 1, 10, tzinfo=datetime.timezone.utc).timestamp()
    v1 = variant(measures_valid, tmp_path / "v1.xlsx", 1, mtime=day)
    v2 = variant(measures_valid, tmp_path / "v2.xlsx", 2, mtime=day + 86400)
    bad = filled(header={"total_score": None})  # an error: the total is required
    os.utime(bad, (day + 2 * 86400,) * 2)
    with open_new(ledger_target) as book:
        book.add([v1])
        assert book.current()[(ORG, "measures", FY, 0)].version == 1
        book.decide(ORG, "approved", note="ครบถ้วน", actor="central")
        book.add([v2])
        # a newer version nobody decided about does not displace the approved one
        assert book.current()[(ORG, "measures", FY, 0)].version == 1
        book.decide(ORG, "has-issues", version=2, note="ขาดหลักฐาน", actor="central")
        assert book.current()[(ORG, "measures", FY, 0)].version == 2
        book.add([bad])
        with pytest.raises(itaxl.ItaxlError, match="cannot be approved"):
            book.decide(ORG, "approved", version=3)
        book.decide(ORG, "rejected", version=3, actor="central")
        assert book.current()[(ORG, "measures", FY, 0)].version == 2  # a rejected version never counts
        with pytest.raises(itaxl.ItaxlError, match="already rejected"):
            book.decide(ORG, "rejected", version=3)
        with pytest.raises(itaxl.ItaxlError, match="no version 9"):
            book.decide(ORG, "approved", version=9)
        history = book.history(ORG).to_dict()
    (doc,) = history["documents"]
    assert [v["version"] for v in doc["versions"]] == [1, 2, 3]
    assert [v["counted"] for v in doc["versions"]] == [False, True, False]
    actions = [(e["action"], e["before"], e["after"]) for e in doc["versions"][0]["audit"]]
    assert actions == [("received", None, "received"), ("checked", "received", "checked/ok"),
                       ("decided", None, "approved")]
    assert doc["versions"][1]["audit"][-1]["note"] == "ขาดหลักฐาน"


def test_latest_sent_counts_whatever_order_files_arrive(ledger_target, tmp_path, measures_valid):
    day = datetime.datetime(2024, 1, 10, tzinfo=datetime.timezone.utc).timestamp()
    newer = variant(measures_valid, tmp_path / "newer.xlsx", 1, mtime=day + 86400)
    older = variant(measures_valid, tmp_path / "older.xlsx", 2, mtime=day)
    with open_new(ledger_target) as book:
        book.add([newer])
        book.add([older])  # arrived later, sent earlier
        assert book.current()[(ORG, "measures", FY, 0)].name == "newer.xlsx"
        book.add([variant(measures_valid, tmp_path / "stamped.xlsx", 3)], received="2024-01-01")
        stamped = next(v for v in book.versions() if v.name == "stamped.xlsx")
        assert stamped.sent_at == "2023-12-31T17:00:00.000000+00:00"  # the start of that day in Thailand


# --------------------------------------------------------------------------- status, merge, trends


def test_status_counts_offices_and_every_scope_reconciles(ledger_target, tmp_path):
    with open_new(ledger_target) as book:
        book.add([SAMPLES])
        for scope in ({}, {"province": "บุรีรัมย์"}, {"kind": "progress"}, {"kind": "progress", "round": 12},
                      {"roster": ["5210306", "6311805", "1234567"]}):
            st = book.status(fiscal_year=2566, **scope)
            f = st.figures()
            assert f["expected"] == f["received"] + f["missing"], scope
            assert f["received"] == f["valid"] + f["invalid"], scope
            for place in st.by_place()["provinces"] + st.by_place()["districts"]:
                assert place["expected"] == place["received"] + place["missing"]
        st = book.status(fiscal_year=2566, roster=["5210306", "6311805", "1234567"])
        assert st.figures()["expected"] == 3 and st.received == ["6311805"]
        assert st.missing == ["1234567", "5210306"]  # 5210306 sent for 2565, not 2566
        # 6311805's resubmitted report has no error but its measures do: the office is invalid
        assert "6311805" in st.invalid
        # the files that name no office (an old template; seed 000 without its code) are listed apart
        assert sorted(v.name for v in st.unplaced) == ["measures-2566-6311805-old-template.xlsx",
                                                       "measures-2566-prachak.xlsx", "progress-2566-prachak-r12.xlsx"]
        whole = book.status(fiscal_year=2566).figures()
        assert whole["expected"] == len(itaxl.registry.offices())
        assert whole["reporting_rate"] == round(100 * 1 / whole["expected"], 1)


def test_late_is_judged_by_the_date_the_office_sent(ledger_target, tmp_path, measures_valid):
    with open_new(ledger_target) as book:
        book.add([variant(measures_valid, tmp_path / "a.xlsx", 1)], received="2024-11-01")
        on_time = book.status(fiscal_year=FY, roster=[ORG], due=datetime.date(2024, 11, 1)).figures()
        late = book.status(fiscal_year=FY, roster=[ORG], due=datetime.date(2024, 10, 31)).figures()
    assert (on_time["late"], on_time["on_time_rate"]) == (0, 100.0)
    assert (late["late"], late["on_time_rate"]) == (1, 0.0)


def test_status_cli_json_names_the_figures(ledger_target):
    assert run("add", str(SAMPLES), target=ledger_target).exit_code == 1  # the samples keep their errors
    result = run("status", "-y", "2566", "--province", "บุรีรัมย์", "--format", "json", target=ledger_target)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    for key in ("expected", "received", "valid", "invalid", "missing", "late", "reporting_rate", "on_time_rate"):
        assert key in doc
    assert doc["expected"] == doc["received"] + doc["missing"]
    assert len(doc["lists"]["missing"]) == doc["missing"]


def _without_paths(table):
    keep = [i for i, k in enumerate(table.keys) if k not in ("files", "path", "superseded_by", "modified", "file")]
    return [tuple(row[i] for i in keep) for row in table.rows]


@pytest.mark.parametrize("include_invalid", [False, True])
def test_ledger_merge_matches_merge_over_the_current_files(ledger_target, tmp_path, include_invalid,
                                                           measures_valid, progress_r6, filled_progress):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    shutil.copy(measures_valid, inbox / "measures-valid.xlsx")
    shutil.copy(filled_progress(), inbox / "progress-r6.xlsx")
    with open_new(ledger_target) as book:
        book.add([inbox])
        from_ledger = book.merge(include_invalid=include_invalid)
        current = book.export(tmp_path / "current")
    from_files = itaxl.merge(sorted((tmp_path / "current").rglob("*.xlsx")), include_invalid=include_invalid)
    assert from_ledger.summary == {**from_files.summary, "found": from_ledger.summary["found"]}
    for name in ("offices", "measures", "progress", "indicators", "problems", "files"):
        assert from_ledger.tables[name].keys == from_files.tables[name].keys
        if name not in ("problems", "files"):
            assert _without_paths(from_ledger.tables[name]) == _without_paths(from_files.tables[name]), name
    assert len(current.files) == len(from_ledger.files)


def test_ledger_merge_writes_the_workbook_without_reading_any(ledger_target, tmp_path, measures_valid):
    with open_new(ledger_target) as book:
        book.add([measures_valid])
        for v in book.versions():  # the stored files gone: the merge must not need them
            book.store.path(v.sha256).unlink()
    out = tmp_path / "consolidated.xlsx"
    result = run("merge", "-o", str(out), "--json", str(tmp_path / "s.json"), target=ledger_target)
    assert result.exit_code == 0, result.output
    import openpyxl

    wb = openpyxl.load_workbook(out, read_only=True)
    offices = list(wb["หน่วยงาน"].iter_rows(values_only=True))
    assert any(ORG in [str(c) for c in row] for row in offices)
    assert json.loads((tmp_path / "s.json").read_text("utf-8"))["summary"]["accepted"] == 1


def test_years_side_by_side(ledger_target, tmp_path, measures_valid, measures_template):
    from itaxl import templates
    from itaxl.fill import fill

    from .conftest import good_header, good_rows

    def next_year(row):
        return {k: v.replace(year=v.year + 1) if isinstance(v, datetime.date) else v for k, v in row.items()}

    template = templates.measures(ORG, FY + 1, tmp_path / "t.xlsx")
    framework = itaxl.framework.SHIPPED.for_plan(FY + 1)
    scores = {n: 92.0 for n in framework.numbers}
    total = framework.total_from_indicators(scores)
    header = {**{k: v for k, v in good_header().items() if not k.startswith("score_")},
              **{f"score_{n}": v for n, v in scores.items()}, "report_date": datetime.date(2024, 11, 15),
              "total_score": total, "grade": framework.rating.of(total, framework.instrument_scores(scores))}
    second = fill(template, tmp_path / "second.xlsx", header=header, rows=[next_year(r) for r in good_rows()])
    assert itaxl.read(second).valid, [p.code for p in itaxl.read(second).problems]
    with open_new(ledger_target) as book:
        book.add([measures_valid, second])
        trends = book.trends()
        result = book.merge()
    assert trends.years == [FY, FY + 1]
    rows = [dict(zip(trends.offices.keys, r)) for r in trends.offices.rows]
    assert [(r["org_code"], r["fiscal_year"]) for r in rows] == [(ORG, FY), (ORG, FY + 1)]
    assert rows[1]["ita_score"] == total and rows[1]["measures"] == 3
    provinces = [dict(zip(trends.provinces().keys, r)) for r in trends.provinces().rows]
    assert [(p["province"], p["fiscal_year"], p["offices"]) for p in provinces] == [
        ("บุรีรัมย์", FY, 1), ("บุรีรัมย์", FY + 1, 1)]
    assert "trends" in result.tables and "trends_province" in result.tables
    out = result.to_excel(tmp_path / "c.xlsx")
    import openpyxl

    assert "แนวโน้มรายปี" in openpyxl.load_workbook(out, read_only=True).sheetnames


# --------------------------------------------------------------------------- recheck


def test_recheck_records_what_changed_and_keeps_the_earlier_result(ledger_target, tmp_path):
    from itaxl.rules import Checklist

    with open_new(ledger_target) as book:
        book.add([SAMPLES / "measures-2565-6461802.xlsx"], checklist=Checklist(("text",)))
        (before,) = book.versions()
        report = book.recheck()
        (after,) = book.versions()
        assert report.stats == {"checked": 1, "changed": 1}
        (change,) = report.changes
        assert change.added and not change.removed
        assert after.warnings > before.warnings
        again = book.recheck()
        assert again.stats == {"checked": 1, "changed": 0}
        import sqlalchemy as sa

        from itaxl.ledger.tables import audit, results

        with book.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(results)).scalar() == 2
            actions = list(conn.execute(sa.select(audit.c.action).order_by(audit.c.id)).scalars())
    assert actions == ["received", "checked", "rechecked"]


# --------------------------------------------------------------------------- export and verify


def test_export_and_verify(ledger_target, tmp_path):
    with open_new(ledger_target) as book:
        book.add([SAMPLES])
        counted = book.export(tmp_path / "out")
        everything = book.export(tmp_path / "all", all_versions=True)
        assert len(everything.files) == 12 and len(counted.files) == 7
        manifest = (tmp_path / "all" / "manifest.csv").read_text("utf-8-sig").splitlines()
        assert len(manifest) == 13 and manifest[0].startswith("file,org_code,kind")
        assert (tmp_path / "out" / "2566" / "progress-r6" / "6311805-v2.xlsx").read_bytes() == (
            SAMPLES / "resubmitted" / "progress-2566-6311805-r6.xlsx").read_bytes()
        assert book.verify().valid
        victim = book.versions()[0]
        path = book.store.path(victim.sha256)
        path.chmod(0o644)
        path.write_bytes(path.read_bytes() + b"x")
        found = book.verify()
        assert not found.valid and [f.code for f in found.findings] == ["file-changed"]
        path.unlink()
        assert [f.code for f in book.verify().findings] == ["file-missing"]
    result = run("verify", target=ledger_target)
    assert result.exit_code == 1 and "file-missing" in result.output


def test_an_interrupted_add_is_swept_and_verifies_clean(ledger_target, tmp_path, measures_valid):
    with open_new(ledger_target) as book:
        book.add([measures_valid])
        # what a kill -9 between storing and recording leaves: a part file and an unrecorded file
        book.store.parts.mkdir(exist_ok=True)
        (book.store.parts / "abc-1-ff.part").write_bytes(b"half")
        orphan = variant(measures_valid, tmp_path / "orphan.xlsx", 9).read_bytes()
        import hashlib

        book.store.put(orphan, hashlib.sha256(orphan).hexdigest())
        found = book.verify()
        assert found.valid and found.swept == (1, 1)
        assert len(list(book.store.stored())) == 1


def test_a_full_disk_stops_add_with_exit_2_and_records_nothing_half(ledger_target, tmp_path, measures_valid,
                                                                   monkeypatch):
    import errno

    from itaxl.ledger.store import FileStore

    def full(self, data, sha256):
        raise OSError(errno.ENOSPC, "No space left on device")

    open_new(ledger_target).close()
    monkeypatch.setattr(FileStore, "put", full)
    result = run("add", str(measures_valid), target=ledger_target)
    assert result.exit_code == 2, result.output
    assert "No space left" in result.output and "Traceback" not in result.output
    monkeypatch.undo()
    with Ledger.open(ledger_target[0], store=ledger_target[1]) as book:
        assert book.versions() == [] and book.verify().valid


# --------------------------------------------------------------------------- migrations


def test_migrations_build_exactly_the_tables_the_code_uses(ledger_target):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from itaxl.ledger.tables import metadata

    with open_new(ledger_target) as book, book.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_an_older_ledger_is_upgraded_and_keeps_its_audit(ledger_target, tmp_path, measures_valid):
    location = database.locate(ledger_target[0], ledger_target[1])
    if location.sqlite_file:
        location.sqlite_file.parent.mkdir(parents=True)
    database.migrate(location, "0001")  # a ledger as the first release made it
    import sqlalchemy as sa

    from itaxl.ledger import tables

    engine = database._engine(location)
    with engine.begin() as conn:
        conn.execute(sa.insert(tables.blobs).values(sha256="a" * 64, size=1, stored_at="2024"))
        conn.execute(sa.insert(tables.runs).values(id=1, started_at="2024", command="add", itaxl_version="0",
                                                   actor="x"))
        conn.execute(sa.insert(tables.submissions).values(
            id=1, sha256="a" * 64, name="old.xlsx", folder="", source="folder", sent_at="2024", received_at="2024",
            run_id=1, state="checked", outcome="ok"))
        for action in ("received", "checked", "decided"):
            conn.execute(sa.insert(tables.audit).values(submission_id=1, at="2024", actor="x", action=action))
    engine.dispose()
    with Ledger.open(ledger_target[0], store=ledger_target[1]) as book:
        if location.sqlite_file:
            assert book.backup and Path(book.backup).is_file()
            with sqlite3.connect(book.backup) as old:
                assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        with book.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(tables.audit)).scalar() == 3
            assert database.revision_of(conn) == database.head()
        with pytest.raises(sa.exc.IntegrityError):  # the upgrade's check constraint holds
            with book.engine.begin() as conn:
                conn.execute(sa.update(tables.submissions).values(state="lost"))


def test_a_ledger_made_by_a_newer_itaxl_is_refused(ledger_target):
    import sqlalchemy as sa

    open_new(ledger_target).close()
    location = database.locate(ledger_target[0], ledger_target[1])
    engine = database._engine(location)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(LedgerError, match="made by a newer itaxl"):
        Ledger.open(ledger_target[0], store=ledger_target[1])
    result = run("status", "-y", "2567", target=ledger_target)
    assert result.exit_code == 2 and "newer itaxl" in result.output


def test_a_postgresql_ledger_needs_a_store(monkeypatch):
    monkeypatch.delenv("ITAXL_STORE", raising=False)
    with pytest.raises(LedgerError, match="--store"):
        database.locate("postgresql://someone@127.0.0.1/ita")


def test_kill_9_during_add_leaves_a_ledger_that_verifies_clean(ledger_target, tmp_path, measures_valid):
    import signal
    import subprocess
    import sys
    import time

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = measures_valid.read_bytes()
    for i in range(200):  # distinct bytes, the same workbook (a zip reads the same with bytes appended)
        (inbox / f"{i:04d}.xlsx").write_bytes(data + b"\0" * (i + 1))
    open_new(ledger_target).close()
    args = ["--ledger", ledger_target[0]] + (["--store", ledger_target[1]] if ledger_target[1] else [])
    proc = subprocess.Popen([sys.executable, "-m", "itaxl", "ledger", "add", str(inbox), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with Ledger.open(ledger_target[0], store=ledger_target[1]) as book:
        end = time.monotonic() + 120
        while not book.versions() and proc.poll() is None:
            assert time.monotonic() < end, "no file was recorded"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        recorded = book.versions()
        assert 0 < len(recorded) < 200, "the add was not interrupted half-way"
        for v in recorded:  # every acknowledged file has its bytes
            assert book.store.path(v.sha256).read_bytes() == (Path(v.folder) / v.name).read_bytes()
        found = book.verify()
        assert found.valid, found.findings
        assert len(list(book.store.stored())) == len(recorded)
        again = book.add([inbox])
        assert again.stats["already"] == len(recorded) and again.stats["stored"] == 200 - len(recorded)
        assert sorted(v.version for v in book.versions()) == list(range(1, 201))
        assert book.verify().valid


def test_a_full_database_stops_add_with_exit_2(tmp_path, measures_valid):
    import sqlalchemy as sa

    files = [variant(measures_valid, tmp_path / f"m{i}.xlsx", i) for i in range(3)]
    with Ledger.open(tmp_path / "ledger", create=True) as book:
        book.add([files[0]])
        with book.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

        @sa.event.listens_for(book.engine, "connect")
        def _cap(dbapi_connection, _record):  # the disk is full: the database cannot grow
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        with pytest.raises(itaxl.errors.OutputError, match="cannot grow"):
            book.add(files[1:])
        sa.event.remove(book.engine, "connect", _cap)
        assert len(book.versions()) == 1 and book.verify().valid  # the unrecorded files were swept
        assert book.add(files[1:]).stats["stored"] == 2
