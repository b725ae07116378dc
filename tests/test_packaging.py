"""The wheel ships every file itaxl reads at run time (an installed itaxl has no source tree)."""

from __future__ import annotations

import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "itaxl"


def test_every_data_file_is_named_by_a_package_data_pattern():
    from setuptools.config.setupcfg import read_configuration

    patterns = read_configuration(str(ROOT / "setup.cfg"))["options"]["package_data"]["itaxl"]
    assert all("," not in p for p in patterns), patterns  # a comma-separated line is one pattern
    data = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
            and (p.suffix != ".py" or "migrations" in p.parts) and not p.name.endswith(".pyc")]
    missing = [f for f in data if not any(fnmatch.fnmatchcase(f, pattern) for pattern in patterns)]
    assert data and missing == []
