"""Legacy import of messy files: each mess is reported with its row, and the rest imported."""

from __future__ import annotations

import sqlite3

import pytest

from store import legacy
from store.errors import FileRefused
from store.exchange import export_document
from tests.factories import another_programs_file
from tests.legacy_factory import LegacyFile, import_open, link_titles, row_titled


def problems_of(plan, table: str) -> list[tuple[int | None, str]]:
    return [(p["row"], p["message"]) for p in plan.problems if p["table"] == table]


def test_malformed_metadata_is_reported_and_the_commitment_still_imported(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Fit")
    f.target("Run", goal=goal)
    f.commitment(ana, "Broken", goal=goal, metadata='{"linked_goal_ids": [')
    f.commitment(ana, "Listless", metadata={"linked_goal_ids": "nope", "linked_sprint_ids": 7})
    f.commitment(ana, "Array", metadata="[1, 2]")
    plan, doc = import_open(f, tmp_path)
    assert problems_of(plan, "commitments") == [
        (
            1,
            "commit_metadata is not valid JSON ('{\"linked_goal_ids\": ['); "
            "its links were not read",
        ),
        (2, "commit_metadata linked_sprint_ids is not a list; ignored"),
        (2, "commit_metadata linked_goal_ids names nope, which is no row of client_goals; ignored"),
        (3, "commit_metadata is not a JSON object; ignored"),
    ]
    assert link_titles(doc)["commitment_outcome"] == {("Run", "Broken")}
    assert len(doc["commitments"]) == 3


def test_ids_that_point_nowhere_are_reported_and_ignored(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    f.target("Run", goal="missing-goal", sprint="missing-sprint")
    task = f.commitment(ana, "Task", session="missing-session", sprint="missing-sprint")
    f.link(task, "missing-target")
    f.link("missing-commitment", "missing-target")
    f.sprint(ana, 1, goal="missing-goal")
    plan, doc = import_open(f, tmp_path)
    assert sorted(p["message"] for p in plan.problems if "points to no row" in p["message"]) == [
        "commitment_id missing-commitment points to no row of commitments; ignored",
        "goal_id missing-goal points to no row of client_goals; ignored",
        "goal_id missing-goal points to no row of client_goals; ignored",
        "session_id missing-session points to no row of coaching_sessions; ignored",
        "sprint_id missing-sprint points to no row of sprints; ignored",
        "sprint_id missing-sprint points to no row of sprints; ignored",
        "target_id missing-target points to no row of targets; ignored",
        "target_id missing-target points to no row of targets; ignored",
    ]
    assert row_titled(doc, "commitments", "Task")["session_id"] is None
    assert all(rows == [] for rows in doc["links"].values())
    assert plan.sources["commitment_target_links"]["refused"] == 2


def test_duplicate_link_rows_become_one_link_and_are_reported(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    outcome = f.target("Run", goal=f.goal(ana, "Fit"))
    task = f.commitment(ana, "Task")
    f.link(task, outcome)
    f.link(task, outcome)
    plan, doc = import_open(f, tmp_path)
    assert len(doc["links"]["commitment_outcome"]) == 1
    assert problems_of(plan, "commitment_target_links") == [
        (2, "repeats the link of row 1; imported once")
    ]
    assert plan.sources["commitment_target_links"]["duplicate"] == 1


def test_missing_optional_tables_and_columns_are_reported_and_defaulted(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Fit", category="health")
    f.commitment(ana, "Task", goal=goal, metadata={"linked_goal_ids": [goal]})
    f.drop_table("commitment_target_links")
    f.drop_table("coaching_sessions")
    f.drop_column("client_goals", "category")
    f.drop_column("commitments", "commit_metadata")
    plan, doc = import_open(f, tmp_path)
    assert sorted((p["table"], p["message"]) for p in plan.problems) == [
        ("client_goals", "the table has no category column; defaults used"),
        ("coaching_sessions", "the file has no such table; none imported"),
        ("commitment_target_links", "the file has no such table; none imported"),
        ("commitments", "the table has no commit_metadata column; defaults used"),
    ]
    assert row_titled(doc, "goals", "Fit")["category"] == ""
    placeholder = "Unsorted — from goal 'Fit' (imported)"
    assert link_titles(doc)["commitment_outcome"] == {(placeholder, "Task")}


def test_empty_titles_get_placeholder_titles_and_are_reported(db, tmp_path):
    f = LegacyFile()
    ana = f.client("   ")
    f.goal(ana, "")
    f.target(None, goal=f.goal(ana, "Fit"))
    f.sprint(ana, 1, "  ")
    f.commitment(ana, "\t")
    plan, doc = import_open(f, tmp_path)
    assert [c["name"] for c in doc["clients"]] == ["(unnamed client)"]
    assert {g["title"] for g in doc["goals"]} == {"(untitled goal)", "Fit"}
    assert [o["title"] for o in doc["outcomes"]] == ["(untitled outcome)"]
    assert [s["title"] for s in doc["sprints"]] == ["(untitled sprint)"]
    assert [c["title"] for c in doc["commitments"]] == ["(untitled commitment)"]
    assert [p["message"] for p in plan.problems] == [
        "title is empty; imported as '(unnamed client)'",
        "title is empty; imported as '(untitled goal)'",
        "title is empty; imported as '(untitled sprint)'",
        "title is empty; imported as '(untitled outcome)'",
        "title is empty; imported as '(untitled commitment)'",
    ]


def test_end_before_start_is_swapped_and_reported(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    f.sprint(ana, 1, "Backwards", start="2026-03-01", end="2026-01-15")
    f.sprint(ana, 2, "Open ended", start="2026-04-01", end=None)
    plan, doc = import_open(f, tmp_path)
    backwards = row_titled(doc, "sprints", "Backwards")
    assert (backwards["start_date"], backwards["end_date"]) == ("2026-01-15", "2026-03-01")
    assert row_titled(doc, "sprints", "Open ended")["end_date"] == "2026-05-13"
    assert problems_of(plan, "sprints") == [
        (1, "end_date 2026-01-15 is before start_date 2026-03-01; the two dates were swapped"),
        (2, "the sprint has no end date; set to 2026-05-13 (6 weeks)"),
    ]


def test_commitment_due_before_it_starts_is_swapped(db, tmp_path):
    f = LegacyFile()
    f.columns["commitments"].append("start_date")
    ana = f.client("Ana")
    f.commitment(ana, "Late", start_date="2026-02-10", target_date="2026-02-01")
    plan, doc = import_open(f, tmp_path)
    late = row_titled(doc, "commitments", "Late")
    assert (late["start_date"], late["target_date"]) == ("2026-02-01", "2026-02-10")
    assert problems_of(plan, "commitments") == [
        (1, "target_date 2026-02-01 is before start_date 2026-02-10; the two dates were swapped")
    ]


def test_duplicate_live_goal_titles_in_one_client_are_renamed(db, tmp_path):
    f = LegacyFile()
    f.columns["client_goals"].append("deleted_at")
    ana, bo = f.client("Ana"), f.client("Bo")
    f.goal(ana, "Get fit")
    f.goal(ana, "get fit ")
    f.goal(ana, "Get fit", deleted_at="2025-12-01 10:00:00")  # in the trash: may share a title
    f.goal(bo, "Get fit")
    plan, doc = import_open(f, tmp_path)
    titles = sorted(
        (g["root_id"] == ana, g["title"], g["deleted_at"] is None) for g in doc["goals"]
    )
    assert titles == [
        (False, "Get fit", True),
        (True, "Get fit", False),
        (True, "Get fit", True),
        (True, "get fit (2)", True),
    ]
    assert problems_of(plan, "client_goals") == [
        (2, "'get fit' is taken; imported as 'get fit (2)'")
    ]


def test_duplicate_and_invalid_sprint_numbers_are_renumbered(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    f.sprint(ana, 1, "First")
    f.sprint(ana, 1, "Same number")
    f.sprint(ana, "abc", "Not a number")
    f.sprint(ana, 0, "Zero")
    f.sprint(ana, "7", "Text seven")
    plan, doc = import_open(f, tmp_path)
    numbers = {s["title"]: s["sprint_number"] for s in doc["sprints"]}
    assert numbers == {"First": 1, "Same number": 2, "Not a number": 3, "Zero": 4, "Text seven": 7}
    assert problems_of(plan, "sprints") == [
        (2, "sprint_number 1 is already used by another sprint of this client; numbered 2"),
        (3, "sprint_number abc is not a positive number; numbered 3"),
        (4, "sprint_number 0 is not a positive number; numbered 4"),
    ]


def test_unknown_enum_values_map_to_the_nearest_or_default_and_are_reported(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    f.goal(ana, "Paused", status="on hold")
    f.goal(ana, "Typo", status="activ")
    f.goal(ana, "Case only", status="Completed")
    f.sprint(ana, 1, "Sprint", status="finished")
    f.target("Outcome", goal=f.goal(ana, "G"), status="done")
    f.commitment(ana, "Task", status="In Progress", type="task", priority="critical")
    f.commitment(ana, "Other", status="zzz", type=None, priority="")
    plan, doc = import_open(f, tmp_path)
    goals = {g["title"]: g["status"] for g in doc["goals"]}
    assert goals == {"Paused": "paused", "Typo": "active", "Case only": "completed", "G": "active"}
    assert row_titled(doc, "sprints", "Sprint")["status"] == "completed"
    assert row_titled(doc, "outcomes", "Outcome")["status"] == "completed"
    task, other = row_titled(doc, "commitments", "Task"), row_titled(doc, "commitments", "Other")
    assert (task["status"], task["type"], task["priority"]) == (
        "in_progress",
        "commitment",
        "urgent",
    )
    assert (other["status"], other["type"], other["priority"]) == ("active", "commitment", "medium")
    assert [m for _row, m in problems_of(plan, "client_goals")] == [
        "status 'on hold' is not one Trellis knows; imported as the nearest 'paused'",
        "status 'activ' is not one Trellis knows; imported as the nearest 'active'",
    ]
    assert [m for _row, m in problems_of(plan, "commitments")] == [
        "type 'task' is not one Trellis knows; imported as the nearest 'commitment'",
        "priority 'critical' is not one Trellis knows; imported as the nearest 'urgent'",
        "type is empty; imported as 'commitment'",
        "status 'zzz' is not one Trellis knows; imported as the default 'active'",
        "priority is empty; imported as 'medium'",
    ]


def test_progress_text_and_out_of_range_values_are_clamped(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    f.goal(ana, "Percent", progress="45%")
    f.goal(ana, "Too much", progress=150)
    f.goal(ana, "Words", progress="half")
    plan, doc = import_open(f, tmp_path)
    progress = {g["title"]: (g["progress"], g["progress_mode"]) for g in doc["goals"]}
    assert progress == {
        "Percent": (45, "manual"),
        "Too much": (100, "manual"),
        "Words": (0, "derived"),
    }
    assert [m for _row, m in problems_of(plan, "client_goals")] == [
        "progress 150 is outside 0–100; imported as 100",
        "progress 'half' is not a number; imported as 0",
    ]


def test_repeated_and_missing_ids_get_new_stable_ids(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    first = f.goal(ana, "First")
    f.goal(ana, "Second", id=first)
    f.goal(ana, "No id", id=None)
    plan, doc = import_open(f, tmp_path)
    ids = {g["title"]: g["id"] for g in doc["goals"]}
    assert ids["First"] == first and len(set(ids.values())) == 3
    messages = [m for _row, m in problems_of(plan, "client_goals")]
    assert messages == [
        f"the id repeats an earlier row's; imported as {ids['Second']}",
        f"the row has no id; imported with the new id {ids['No id']}",
    ]
    again = legacy.plan_import(tmp_path / "legacy.db")
    assert again.nothing_new


def test_text_that_is_not_utf8_is_read_with_replacement_characters(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    f.goal(ana, b"Caf\xe9")
    path = f.write(tmp_path / "legacy.db")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE client_goals SET description = CAST(? AS TEXT)", [b"bad \xff byte"])
    conn.commit()
    conn.close()
    legacy.run_plan(legacy.plan_import(path))
    goal = export_document()["goals"][0]
    assert (goal["title"], goal["description"]) == ("Caf\ufffd", "bad \ufffd byte")


def test_session_dates_come_from_whichever_date_column_the_file_has(db, tmp_path):
    f = LegacyFile()
    f.columns["coaching_sessions"] = ["id", "client_id", "scheduled_at", "created_at"]
    ana = f.client("Ana")
    f.session(ana, scheduled_at="2026-02-03T15:00:00")
    f.session(ana, scheduled_at=None, created_at="2025-12-24 08:00:00")
    plan, doc = import_open(f, tmp_path)
    assert sorted(s["held_on"] for s in doc["sessions"]) == ["2025-12-24", "2026-02-03"]
    assert problems_of(plan, "coaching_sessions") == [
        (2, "the session has no date; dated 2025-12-24, the day it was created")
    ]


@pytest.mark.parametrize(
    "content, says",
    [
        (b"just text", "not a SQLite file"),
        (None, "none of the legacy tables"),
    ],
)
def test_a_file_that_is_not_legacy_is_refused_and_nothing_changes(db, tmp_path, content, says):
    path = tmp_path / "other.db"
    if content is None:
        another_programs_file(path, "notes (body)")
    else:
        path.write_bytes(content)
    before = export_document()
    with pytest.raises(FileRefused, match=says):
        legacy.plan_import(path)
    assert export_document() == before


def test_a_trellis_database_is_refused_as_a_legacy_file(db, tmp_path):
    with pytest.raises(FileRefused, match="is a Trellis database, not a legacy one"):
        legacy.read_legacy(db)


def test_values_sqlite_or_python_cannot_hold_are_made_safe_and_reported(db, tmp_path):
    """Found by the property test: a NUL title, infinite progress, a 1e300 sprint number, a
    timestamp that leaves the calendar when moved to UTC, a sprint dated at the end of time."""
    f = LegacyFile()
    ana = f.client("Ana", created_at="0001-01-01T00:00:00+05:00")
    f.target(b"\x00", goal=f.goal(ana, "G"), progress_percentage=float("inf"))
    f.sprint(ana, 1e300, "Far", start="9999-12-31", end=None)
    plan, doc = import_open(f, tmp_path)
    outcome = doc["outcomes"][0]
    assert (outcome["title"], outcome["progress_percentage"]) == ("(untitled outcome)", 0)
    sprint = doc["sprints"][0]
    assert (sprint["sprint_number"], sprint["start_date"], sprint["end_date"]) == (
        1,
        "9999-12-31",
        "9999-12-31",
    )
    assert doc["clients"][0]["created_at"] > "2000"  # unreadable as UTC: stamped at import
    assert [m for _row, m in problems_of(plan, "targets")] == [
        "title is empty; imported as '(untitled outcome)'",
        "progress_percentage inf is not a number; imported as 0",
    ]
