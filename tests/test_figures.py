"""The consolidated figures reconcile, whatever the submissions, roster and scope.

A pool of real workbooks (four offices in three provinces; measures and progress,
each valid and with errors) is built once; hypothesis draws sets of them, a scope
(none, a roster, a province) and ``include_invalid``, merges them and checks the
invariants central staff rely on.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import itaxl
from itaxl import registry, templates
from itaxl.fill import fill
from itaxl.consolidation import SLOT_KEYS

from .conftest import FY, good_header, good_rows
from .test_merge import progress_file

OFFICES = ["6311805", "6311006", "5210306", "6410124"]  # two in บุรีรัมย์, one in ระยอง, one in อุดรธานี
KINDS = ["measures", "measures-bad", "progress", "progress-bad"]


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    d = tmp_path_factory.mktemp("pool")
    files = {}
    for code in OFFICES:
        template = templates.measures(code, FY, d / f"template-{code}.xlsx")
        files[code, "measures"] = fill(template, d / f"m-{code}.xlsx", header=good_header(), rows=good_rows())
        files[code, "measures-bad"] = fill(template, d / f"mb-{code}.xlsx",
                                           header={**good_header(), "grade": None}, rows=good_rows())
        files[code, "progress"] = progress_file(d, code, name=f"p-{code}.xlsx")
        files[code, "progress-bad"] = progress_file(d, code, name=f"pb-{code}.xlsx", answers=[{}, {}, {}])
    assert itaxl.read(files["6311805", "measures"]).valid and not itaxl.read(files["6311805", "progress-bad"]).valid
    return files


scopes = st.one_of(
    st.none(),
    st.lists(st.sampled_from([*OFFICES, "5311801"]), min_size=1, max_size=5, unique=True).map(lambda c: ("roster", c)),
    st.just(("province", "บุรีรัมย์")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.lists(st.tuples(st.sampled_from(OFFICES), st.sampled_from(KINDS)), max_size=8, unique=True),
       junk=st.integers(0, 2), scope=scopes, include_invalid=st.booleans())
def test_figures_reconcile(pool, tmp_path_factory, chosen, junk, scope, include_invalid):
    box = tmp_path_factory.mktemp("box")
    for i, key in enumerate(chosen):
        shutil.copy(pool[key], box / f"{i}.xlsx")
    for j in range(junk):
        (box / f"junk-{j}.pdf").write_bytes(b"%PDF-1.4")
    (box / "~$lock.xlsx").write_bytes(b"x")
    options = {"include_invalid": include_invalid}
    if scope and scope[0] == "roster":
        options["roster"] = scope[1]
    elif scope:
        options["province"] = scope[1]
    result = itaxl.merge([box], **options)
    s, frames = result.summary, result.frames
    offices = frames["offices"]

    # every file accounted for, once
    assert s["found"] == len(chosen) + junk + 1 == s["read"] + s["refused"] + s["ignored"]
    assert s["accepted"] + s["rejected"] + s["superseded"] + s["duplicate"] + s["outside"] == s["read"] + s["refused"]
    assert len(frames["files"]) == s["found"]

    # offices: expected = submitted + missing; valid <= submitted; in the figures = valid (+ invalid if asked)
    in_scope = set(scope[1]) if scope and scope[0] == "roster" else \
        {o.code for o in registry.select(scope[1])} if scope else {code for code, _ in chosen}
    assert s["expected"] == len(in_scope) == len(offices) == s["submitted"] + s["missing"]
    assert s["valid"] + s["invalid"] == s["submitted"] and s["valid"] <= s["submitted"]
    assert s["in_figures"] == (s["submitted"] if include_invalid else s["valid"])
    sent = {code for code, _ in chosen}
    assert s["submitted"] == len(sent & in_scope) and s["missing"] == len(in_scope - sent)
    assert set(frames["missing"]["org_code"]) == in_scope - sent

    # nothing from outside the scope in any figure, table or chart
    outside = sent - in_scope
    assert set(frames["outside"]["org_code"]) == outside and s["outside_offices"] == len(outside)
    for table in ("offices", "measures", "progress", "indicators"):
        assert not outside & set(frames[table]["org_code"]), table
    used = set(offices[offices["in_figures"].notna()]["org_code"])
    assert set(frames["measures"]["org_code"]) <= used and set(frames["progress"]["org_code"]) <= used

    # each kind an office sent shows on its row, with its own state
    for code, kind in chosen:
        if code in in_scope:
            row = offices[offices["org_code"] == code].iloc[0]
            column = "measures_file" if kind.startswith("measures") else "progress_r12_file"
            assert row[column] in ("valid", "invalid")
            valid_sent = (code, kind.removesuffix("-bad")) in chosen
            assert (row[column] == "valid") == valid_sent
    assert set(SLOT_KEYS) <= set(offices.columns)

    # the figures agree with the tables they summarise
    assert s["measures_in"] == s["measures_out"] == len(frames["measures"])
    assert s["progress_in"] == s["progress_out"] == len(frames["progress"])
    assert sum(s["status_counts"].values()) == s["progress_out"]
    assert sum(n for scale in s["rating_counts"].values() for n in scale.values()) == int((offices["ita_grade"].notna() & offices["in_figures"].notna()).sum())

    # the charts on สรุป draw the same figures: completion per district (province) from the progress rows
    from itaxl.consolidated import _completion_by_group
    from itaxl.schema import Status

    group = result.group_key
    progress = frames["progress"].merge(offices[["org_code", group]], on="org_code")
    expected = {name: round(100 * sum(s is Status.DONE for s in rows["status"]) / len(rows), 1)
                for name, rows in progress.groupby(group)}
    assert dict(_completion_by_group(result)) == expected
