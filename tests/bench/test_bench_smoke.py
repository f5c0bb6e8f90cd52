"""The benchmark's machinery on a tiny workspace: every case measured, results.json well formed.

No timing is asserted: only that each case produced numbers and a verdict, and that the
generated workspace is the valid, realistic data the benchmark claims it is.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bench import dataset
from graph.check import check
from store.load import list_clients, load_hierarchy
from store.opening import close_database, open_database

REPO = Path(__file__).resolve().parents[2]
CASES = {
    "load",
    "scoped",
    "check",
    "layout",
    "scene_first_frame",
    "scene_fit_repaint",
    "scene_drag_step",
    "scene_memory",
    "link",
    "backup",
    "start",
    "start_graph",
    "legacy_import",
    "team_copy",
    "team_load",
    "team_check",
    "team_link",
    "team_flat",
}
WITH_TARGET = {"load", "scoped", "check", "scene_first_frame", "scene_fit_repaint"} | {
    "scene_drag_step",
    "link",
    "backup",
    "start",
    "team_flat",
}


def bench(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# Every group but "app", which builds the packaged app with PyInstaller (minutes, not seconds);
# tests/app covers that build.
GROUPS = "load,graph,scene,link,backup,start,legacy,team"


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """One quick run of every case at 1% scale; (process, results document)."""
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "results.json"
    done = bench(
        "--scale",
        "0.01",
        "--quick",
        "--only",
        GROUPS,
        "--cache-dir",
        str(folder),
        "--out",
        str(out),
    )
    return done, json.loads(out.read_text()) if out.exists() else None


def test_every_case_runs_without_error_and_exit_says_pass_or_miss(tiny_run):
    done, doc = tiny_run
    assert done.returncode in (0, 1), done.stderr[-3000:]
    assert doc is not None
    assert {c["case"] for c in doc["cases"]} == CASES
    assert all(c["status"] in ("PASS", "MISS", "INFO") for c in doc["cases"])
    assert doc["ok"] == (done.returncode == 0)
    assert doc["ok"] == all(c["status"] != "MISS" for c in doc["cases"])


def test_each_targeted_case_has_both_figures_a_ratio_and_a_verdict(tiny_run):
    _done, doc = tiny_run
    for case in doc["cases"]:
        assert isinstance(case["ours"], float) and case["ours"] > 0, case["case"]
        if case["case"] in WITH_TARGET:
            assert isinstance(case["baseline"], float) and case["baseline"] > 0, case["case"]
            assert isinstance(case["ratio"], float) and case["ratio"] > 0
            assert case["target"]["kind"] in ("max", "min")
            assert case["status"] in ("PASS", "MISS")


def test_the_printed_table_names_every_case_with_its_verdict(tiny_run):
    done, doc = tiny_run
    for case in doc["cases"]:
        line = next(x for x in done.stdout.splitlines() if x.startswith(case["title"][:42]))
        assert line.rstrip().endswith(case["status"])


def test_results_describe_the_run(tiny_run):
    _done, doc = tiny_run
    assert doc["scale"] == 0.01 and doc["clients"] == dataset.CLIENTS
    assert doc["items_per_client"] == dataset.sizes_at(0.01)
    assert doc["machine"]["cpus"] >= 1 and doc["workspace_bytes"] > 0


def test_the_scene_cases_drew_the_same_number_of_items_and_really_dragged(tiny_run):
    _done, doc = tiny_run
    cases = {c["case"]: c for c in doc["cases"]}
    first = cases["scene_first_frame"]["extra"]
    assert first["nodes"] > 0 and first["qt_items_bare"] == first["nodes"] + first["links"]
    drag = cases["scene_drag_step"]["extra"]
    assert drag["bare_item_moved"] and drag["steps_that_painted_ours"] == drag["steps"]


def test_scoped_load_is_measured_against_the_same_client_alone_with_joins_as_information(
    tiny_run,
):
    """root_id's promise is "one client costs the same in a shared file", not "10x a join"."""
    _done, doc = tiny_run
    scoped = next(c for c in doc["cases"] if c["case"] == "scoped")
    assert scoped["target"] == {"kind": "max", "limit": 1.1}
    assert "one-client file" in scoped["baseline_label"]
    extra = scoped["extra"]
    assert extra["same_rows_as_alone"] and extra["joins_same_rows_as_root_id"]
    for figure in ("join_in_seconds", "join_distinct_seconds", "legacy_unindexed_join_seconds"):
        assert extra[figure] > 0, figure
    assert extra["legacy_indexes_dropped"] > 0


def test_bad_options_are_refused_in_one_sentence_and_write_nothing(tmp_path):
    out = tmp_path / "results.json"
    for args in (["--scale", "0"], ["--only", "nosuch"]):
        done = bench(*args, "--cache-dir", str(tmp_path), "--out", str(out))
        assert done.returncode == 2
        assert done.stderr.strip().splitlines()[-1].count(".") >= 1
        assert not out.exists()
        assert not list(tmp_path.glob("*.db"))


# ---------------------------------------------------------------- the generated data


@pytest.fixture(scope="module")
def tiny_workspace(tmp_path_factory):
    path = dataset.workspace(0.02, 3, tmp_path_factory.mktemp("data"))
    open_database(path)
    yield {c["id"]: load_hierarchy(c["id"]) for c in list_clients()}
    close_database()


def test_generated_workspace_passes_check_without_errors(tiny_workspace):
    for h in tiny_workspace.values():
        assert not [f for f in check(h) if f.severity == "error"]


def test_generated_clients_have_the_sizes_asked_for(tiny_workspace):
    sizes = dataset.sizes_at(0.02)
    assert len(tiny_workspace) == 3
    for h in tiny_workspace.values():
        kinds = Counter(i.kind for i in h.items.values())
        assert {k: kinds[k] for k in ("goal", "outcome", "sprint", "commitment")} == {
            k: sizes[k] for k in ("goal", "outcome", "sprint", "commitment")
        }
        assert any(i.deleted for i in h.items.values())


def test_generated_links_have_the_realistic_fan_out(tiny_workspace):
    for h in tiny_workspace.values():
        # Every link kind's lower end counts its upper ends: an outcome its goals, a sprint
        # its outcomes, a commitment its outcomes.
        uppers = {
            kind: Counter() for kind in ("outcome_goal", "outcome_sprint", "commitment_outcome")
        }
        for link in h.links:
            uppers[link.kind][link.lower] += 1
        assert set(uppers["outcome_goal"].values()) == {1, 2}
        assert set(uppers["outcome_sprint"].values()) <= set(range(2, 7))
        assert set(uppers["commitment_outcome"].values()) == {1, 2}


def test_generated_sprints_of_a_client_do_not_overlap(tiny_workspace):
    for h in tiny_workspace.values():
        spans = sorted(
            (date.fromisoformat(i.fields["start_date"]), date.fromisoformat(i.fields["end_date"]))
            for i in h.items.values()
            if i.kind == "sprint"
        )
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_generation_is_cached_and_repeatable(tmp_path):
    first = dataset.workspace(0.005, 2, tmp_path)
    stamp = first.stat().st_mtime_ns
    assert dataset.workspace(0.005, 2, tmp_path) == first
    assert first.stat().st_mtime_ns == stamp
    dataset.generate(tmp_path / "again.db", 0.005, 2)
    assert dump(tmp_path / "again.db") == dump(first)


def dump(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("clients", "client_goals", "targets", "sprints", "commitments")
        ]
    finally:
        conn.close()


def test_cold_start_reports_the_window_shown_before_the_graph_painted(tiny_run):
    _done, doc = tiny_run
    cases = {c["case"]: c for c in doc["cases"]}
    shown, graph = cases["start"], cases["start_graph"]
    assert shown["status"] in ("PASS", "MISS") and graph["status"] == "INFO"
    assert graph["ours"] >= shown["ours"]
    assert graph["extra"]["after_window_shown_seconds"] >= 0
