"""Any legacy file, however broken its values and references, plans and imports without a crash:
every problem is a report line, every row that is written passes Trellis' own rules."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.check import check
from store import legacy
from store.exchange import export_document
from store.load import load_hierarchy
from store.opening import close_database, open_database
from tests.legacy_factory import SCHEMA, LegacyFile

ODD = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=12),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=8),
    st.sampled_from(
        [
            "2026-02-30",
            "0001-01-01",
            "9999-12-31",
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00+05:00",
            "31.12.2025",
            "In Progress",
            "on hold",
            "45%",
            "{}",
            "null",
            '{"linked_goal_ids": [1, null, "x"], "linked_sprint_ids": {}}',
            "[",
        ]
    ),
)
IDS = [f"id-{n}" for n in range(6)]


@st.composite
def legacy_files(draw) -> LegacyFile:
    """A small file whose every value may be odd and whose ids point anywhere (or nowhere)."""
    f = LegacyFile()
    ref = st.one_of(st.sampled_from(IDS), ODD)
    for table, columns in SCHEMA.items():
        for _ in range(draw(st.integers(0, 4))):
            row = {c: draw(ref if c == "id" or c.endswith("_id") else ODD) for c in columns}
            f.rows[table].append(row)
        if table != "clients" and draw(st.integers(0, 9)) == 0:
            f.drop_table(table)
    return f


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(legacy_files())
def test_any_legacy_file_imports_with_problems_reported_never_a_crash(f):
    with tempfile.TemporaryDirectory() as folder:
        source = f.write(Path(folder) / "legacy.db")
        legacy.plan_import(source, Path(folder) / "dry.db")  # the dry run plans without a crash
        open_database(Path(folder) / "trellis.db")
        try:
            plan = legacy.plan_import(source)
            result = legacy.run_plan(plan)
            doc = export_document()
            written = sum(len(doc[s]) for s in ("clients", "goals", "outcomes", "sprints"))
            written += len(doc["commitments"]) + len(doc["sessions"])
            assert written == plan.new_rows
            assert not [x for x in check(load_hierarchy()) if x.severity == "error"]
            assert result["findings"] is not None
            assert legacy.plan_import(source).nothing_new
        finally:
            close_database()
