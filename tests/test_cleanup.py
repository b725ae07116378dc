"""Nothing left behind: real runs killed mid-way leave no process and no temporary file.

Each test starts ``itaxl merge`` as a real process, waits for it to reach the
moment under test (workers reading, or the workbook half-written), kills it and
looks at what remains.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from itaxl.inputs import TEMP_MARK

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")


@pytest.fixture(scope="module")
def big_inbox(tmp_path_factory, measures_valid):
    """Enough files (distinct content) that reading them with two workers takes a few seconds."""
    box = tmp_path_factory.mktemp("big")
    data = measures_valid.read_bytes()
    for i in range(600):
        (box / f"{i:04d}.xlsx").write_bytes(data + b"\0" * (i + 1))  # a zip reads the same with bytes appended
    return box


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits to be collected


def _wait_for(condition, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def _start(*args: str, script: str | None = None) -> subprocess.Popen:
    command = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "itaxl.cli", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _temps(*folders: Path) -> list[str]:
    return [n for f in folders for n in os.listdir(f) if n.startswith(TEMP_MARK)]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_their_parent(big_inbox, tmp_path, sig):
    proc = _start("merge", str(big_inbox), "-o", str(tmp_path / "c.xlsx"), "--jobs", "2", "--quiet")
    _wait_for(lambda: len(_children(proc.pid)) >= 2)
    workers = _children(proc.pid)
    time.sleep(0.3)  # let them read
    os.kill(proc.pid, sig)
    proc.wait(timeout=30)
    _wait_for(lambda: not any(_alive(w) for w in workers), timeout=10)
    if sig == signal.SIGTERM:
        assert proc.returncode == 130 and b"interrupted" in proc.stderr.read()
    assert not (tmp_path / "c.xlsx").exists() and _temps(tmp_path) == []


_SLOW_WRITE = """
import sys, time
import itaxl.consolidated as c
real = c.splice_rows
def slow(frame, fh, *args, **kwargs):
    fh.write(b"half a workbook")
    fh.flush()
    time.sleep(60)
    return real(frame, fh, *args, **kwargs)
c.splice_rows = slow
from itaxl.cli import main
sys.argv = ["itaxl"] + sys.argv[1:]
main()
"""


def test_sigterm_during_the_write_leaves_no_temporary_file(measures_valid, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    proc = _start("merge", str(measures_valid), "-o", str(out / "c.xlsx"), script=_SLOW_WRITE)
    _wait_for(lambda: _temps(out) != [])
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode == 130
    assert os.listdir(out) == []


def test_sigkill_during_the_write_is_cleaned_by_the_next_run(measures_valid, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "c.xlsx").write_bytes(b"yesterday's workbook")
    proc = _start("merge", str(measures_valid), "-o", str(out / "c.xlsx"), "--force", script=_SLOW_WRITE)
    _wait_for(lambda: _temps(out) != [])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert len(_temps(out)) == 1 and (out / "c.xlsx").read_bytes() == b"yesterday's workbook"
    again = subprocess.run([sys.executable, "-m", "itaxl.cli", "merge", str(measures_valid), "-o",
                            str(out / "c.xlsx"), "--force"], capture_output=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert _temps(out) == [] and openpyxl.load_workbook(out / "c.xlsx").sheetnames[0] == "สรุป"


def test_two_merges_to_one_output_cannot_both_write_it(big_inbox, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in sorted(os.listdir(big_inbox))[:40]:
        shutil.copy(big_inbox / name, inbox / name)
    out = tmp_path / "c.xlsx"
    runs = [_start("merge", str(inbox), "-o", str(out), "--quiet") for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in runs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "already exists" in loser or "written meanwhile by another run" in loser
    assert openpyxl.load_workbook(out).sheetnames[0] == "สรุป" and _temps(tmp_path) == []
