"""Legacy import keeps databases apart: a row whose id is already held here by a row that did
not come from this same legacy row (another legacy database numbering its rows 1, 2, 3 too, the
same UUIDs with other content, a row made in the app) gets a fresh id, listed in the plan, and is
never merged into that row or filed under its client. Re-importing the same file adds nothing.
Also: no legacy value (deep JSON, lone surrogates, bad UTF-8, huge numbers) crashes the import."""

from __future__ import annotations

import json

from store import legacy, ops
from store.exchange import export_document
from store.legacy import ATTENTION_NAME
from store.legacy.model import derived_id
from tests.legacy_factory import (
    LegacyFile,
    clients_by_title,
    import_open,
    link_titles,
    numbered_file,
    row_titled,
    write_raw,
)
from tests.store.conftest import snapshot


def test_a_second_database_numbering_clients_1_2_gets_its_own_clients_and_rows(db, tmp_path):
    import_open(numbered_file(("Ana", "Bo"), "A"), tmp_path)
    plan, doc = import_open(numbered_file(("Cy", "Di"), "B"), tmp_path)
    assert sorted(c["name"] for c in doc["clients"]) == ["Ana", "Bo", "Cy", "Di"]
    assert clients_by_title(doc) == {
        **{f"A {kind} 1": "Ana" for kind in ("goal", "outcome", "sprint", "session", "task")},
        **{f"A {kind} 2": "Bo" for kind in ("goal", "outcome", "sprint", "session", "task")},
        **{f"B {kind} 1": "Cy" for kind in ("goal", "outcome", "sprint", "session", "task")},
        **{f"B {kind} 2": "Di" for kind in ("goal", "outcome", "sprint", "session", "task")},
    }
    assert {kind: len(rows) for kind, rows in plan.rows.items()} == dict.fromkeys(
        ("client", "session", "goal", "outcome", "sprint", "commitment"), 2
    )
    assert sum(plan.present.values()) == 0
    assert [(r["table"], r["id"]) for r in plan.rekeyed] == [
        ("clients", "1"),
        ("clients", "2"),
        ("coaching_sessions", "41"),
        ("coaching_sessions", "42"),
        ("client_goals", "11"),
        ("client_goals", "12"),
        ("sprints", "21"),
        ("sprints", "22"),
        ("commitments", "51"),
        ("commitments", "52"),
        ("targets", "31"),
        ("targets", "32"),
    ]
    assert plan.rekeyed[0]["message"] == (
        "an earlier import wrote client 1 from a different row (of another legacy file, or of "
        f"this one before it changed); imported as {plan.rekeyed[0]['new_id']}"
    )


def test_the_second_databases_links_and_sessions_join_only_its_own_rows(db, tmp_path):
    import_open(numbered_file(("Ana", "Bo"), "A"), tmp_path)
    _plan, doc = import_open(numbered_file(("Cy", "Di"), "B"), tmp_path)
    links = link_titles(doc)
    assert links == {
        "outcome_goal": {(f"{t} goal {n}", f"{t} outcome {n}") for t in "AB" for n in (1, 2)},
        "outcome_sprint": {(f"{t} outcome {n}", f"{t} sprint {n}") for t in "AB" for n in (1, 2)},
        "commitment_outcome": {(f"{t} outcome {n}", f"{t} task {n}") for t in "AB" for n in (1, 2)},
    }
    sessions = {s["id"]: s["title"] for s in doc["sessions"]}
    for t in "AB":
        for n in (1, 2):
            task = row_titled(doc, "commitments", f"{t} task {n}")
            assert sessions[task["session_id"]] == f"{t} session {n}"


def test_same_uuids_with_different_content_are_not_merged(db, tmp_path):
    first, second = LegacyFile(seed=5), LegacyFile(seed=5)  # the same ids, row for row
    for f, name in ((first, "Ana"), (second, "Eve")):
        client = f.client(name)
        f.target(f"{name} outcome", goal=f.goal(client, f"{name} goal"))
    import_open(first, tmp_path)
    plan, doc = import_open(second, tmp_path)
    assert clients_by_title(doc) == {
        "Ana goal": "Ana",
        "Ana outcome": "Ana",
        "Eve goal": "Eve",
        "Eve outcome": "Eve",
    }
    assert link_titles(doc)["outcome_goal"] == {
        ("Ana goal", "Ana outcome"),
        ("Eve goal", "Eve outcome"),
    }
    assert len(plan.rekeyed) == 3 and plan.present == {}


def test_an_identical_goal_under_another_databases_client_is_not_merged(db, tmp_path):
    first, second = LegacyFile(seed=5), LegacyFile(seed=5)
    first.goal(first.client("Ana"), "Get fit")
    second.goal(second.client("Eve"), "Get fit")  # the goal row is byte-for-byte the same
    import_open(first, tmp_path)
    plan, doc = import_open(second, tmp_path)
    names = {c["id"]: c["name"] for c in doc["clients"]}
    assert sorted((g["title"], names[g["root_id"]]) for g in doc["goals"]) == [
        ("Get fit", "Ana"),
        ("Get fit", "Eve"),
    ]
    assert [r["table"] for r in plan.rekeyed] == ["clients", "client_goals"]


def test_a_row_made_in_the_app_is_never_taken_for_an_imported_one(db, tmp_path):
    existing = ops.create_client("Zoe")
    goal = ops.create_goal(existing["id"], "Zoe goal")
    f = LegacyFile()
    client = f.client("Ana", id=existing["id"])
    f.goal(client, "Ana goal", id=goal["id"])
    plan, doc = import_open(f, tmp_path)
    assert clients_by_title(doc) == {"Zoe goal": "Zoe", "Ana goal": "Ana"}
    assert plan.rekeyed[0]["message"] == (
        f"client {existing['id']} is already in this database and did not come from this file; "
        f"imported as {plan.rekeyed[0]['new_id']}"
    )
    assert [r["table"] for r in plan.rekeyed] == ["clients", "client_goals"]


def test_a_row_holding_the_id_the_import_makes_up_does_not_take_its_place(db, tmp_path):
    f = LegacyFile()
    f.client("Sneaky", id=derived_id("client", ATTENTION_NAME))  # copied from another import
    f.goal(None, "Orphan")
    plan, doc = import_open(f, tmp_path)
    assert clients_by_title(doc) == {"Orphan": ATTENTION_NAME}
    assert sorted(c["name"] for c in doc["clients"]) == [ATTENTION_NAME, "Sneaky"]
    again = legacy.plan_import(tmp_path / "legacy.db")
    assert again.nothing_new and sum(again.present.values()) == 2


def test_a_link_id_an_earlier_import_wrote_is_not_reused_for_other_ends(db, tmp_path):
    first = LegacyFile(seed=1)
    ana = first.client("Ana")
    first.link(first.commitment(ana, "Ana task"), first.target("Ana outcome"), id="L1")
    _plan, doc = import_open(first, tmp_path)
    (link,) = doc["links"]["commitment_outcome"]
    assert link["id"] == "L1"
    ops.unlink("L1")  # the pair is gone; the audit log still says an import wrote L1
    second = LegacyFile(seed=2)
    eve = second.client("Eve")
    second.link(second.commitment(eve, "Eve task"), second.target("Eve outcome"), id="L1")
    plan, doc = import_open(second, tmp_path)
    assert link_titles(doc)["commitment_outcome"] == {("Eve outcome", "Eve task")}
    assert len(plan.links["commitment_outcome"]) == 1 and plan.links_present == {}


def test_reimporting_either_file_after_the_other_adds_nothing(db, tmp_path):
    a, b = numbered_file(("Ana", "Bo"), "A"), numbered_file(("Cy", "Di"), "B")
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    import_open(a, tmp_path / "a")
    import_open(b, tmp_path / "b")
    before = snapshot()
    assert sorted(c["name"] for c in before[0]["clients"]) == ["Ana", "Bo", "Cy", "Di"]
    for folder in ("a", "b"):
        again = legacy.plan_import(tmp_path / folder / "legacy.db")
        assert again.nothing_new and again.rekeyed == [], folder
        assert sum(again.present.values()) == 12, folder
        legacy.run_plan(again)
    assert snapshot() == before


def test_the_dry_run_makes_the_same_decision_as_the_import(db, tmp_path):
    import_open(numbered_file(("Ana", "Bo"), "A"), tmp_path)
    source = numbered_file(("Cy", "Di"), "B").write(tmp_path / "b.db")
    before = snapshot()
    dry = legacy.plan_import(source, db)  # against the file, read-only
    assert snapshot() == before
    real = legacy.plan_import(source)
    assert [c["name"] for c in dry.rows["client"]] == ["Cy", "Di"]
    assert dry.rekeyed == real.rekeyed and len(dry.rekeyed) == 12
    assert {k: [r["id"] for r in rows] for k, rows in dry.rows.items()} == {
        k: [r["id"] for r in rows] for k, rows in real.rows.items()
    }


# ---------------------------------------------------------------- values that must not crash


def test_metadata_nested_100000_deep_is_broken_json_and_the_rest_imports(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Fit")
    f.target("Run", goal=goal)
    deep = "[" * 100_000 + "]" * 100_000
    f.commitment(ana, "Deep list", metadata=deep)
    f.commitment(ana, "Deep object", metadata='{"linked_goal_ids": ' + deep + "}")
    f.commitment(ana, "Fine", metadata={"linked_goal_ids": [goal]})
    plan, doc = import_open(f, tmp_path)
    assert sorted(r["title"] for r in doc["commitments"]) == ["Deep list", "Deep object", "Fine"]
    broken = [p for p in plan.problems if "not valid JSON" in p["message"]]
    assert [(p["row"], p["message"][:36]) for p in broken] == [
        (1, "commit_metadata is not valid JSON ('"),
        (2, "commit_metadata is not valid JSON ('"),
    ]
    assert link_titles(doc)["commitment_outcome"] == {("Run", "Fine")}


def test_lone_surrogates_and_bad_utf8_are_reported_as_text_never_a_crash(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana", id="c1")
    f.commitment(ana, "Odd ids", metadata='{"linked_goal_ids": ["\\ud800"], "\\udfff": 1}')
    source = f.write(tmp_path / "legacy.db")
    write_raw(
        source,
        "INSERT INTO client_goals (id, client_id, title, status) "
        "VALUES ('g1', 'c1', CAST(x'ff41eda080' AS TEXT), 'active')",
        "INSERT INTO clients (id, name) VALUES (CAST(x'eda080' AS TEXT), CAST(x'c3' AS TEXT))",
    )
    plan = legacy.plan_import(source)
    legacy.run_plan(plan)
    doc = export_document()
    assert row_titled(doc, "goals", "\ufffdA\ufffd\ufffd\ufffd")["root_id"] == "c1"
    assert sorted(c["name"] for c in doc["clients"]) == ["Ana", "\ufffd"]
    report = "\n".join(legacy.lines(legacy.document(plan, dry_run=False)))
    report.encode("utf-8")  # every line can be printed and shown in Qt
    json.dumps(legacy.document(plan, dry_run=False), ensure_ascii=False).encode("utf-8")
    assert (
        "commit_metadata linked_goal_ids names \\ud800, which is no row of client_goals" in report
    )
    assert "commit_metadata keys \\udfff have no place in Trellis" in report


def test_huge_numbers_in_numeric_columns_are_reported_never_a_crash(db, tmp_path):
    f = LegacyFile()
    f.columns["targets"].append("order_index")
    f.columns["commitments"].append("progress_percentage")
    ana = f.client("Ana")
    huge_text = "9" * 5000
    goal = f.goal(ana, "Fit", progress=2**63 - 1, target_date=huge_text)
    f.goal(ana, "Lazy", progress=-(2**63), category=1e308)
    f.sprint(ana, 2**63 - 1, "Max", start=1e308, end=huge_text)
    f.sprint(ana, huge_text, "Text")
    f.sprint(ana, 1.7e308, "Real")
    f.target("Run", goal=goal, progress_percentage=huge_text, order_index=2**63 - 1)
    f.commitment(ana, "Task", progress_percentage=1e308, created_at=2**63 - 1, target_date=1e308)
    plan, doc = import_open(f, tmp_path)
    assert sorted(s["sprint_number"] for s in doc["sprints"]) == [1, 2, 3]
    assert row_titled(doc, "goals", "Fit")["progress"] == 100
    assert row_titled(doc, "goals", "Lazy")["progress"] == 0
    assert row_titled(doc, "outcomes", "Run")["progress_percentage"] == 0  # inf as a float
    assert row_titled(doc, "outcomes", "Run")["order_index"] == 0
    assert row_titled(doc, "commitments", "Task")["progress_percentage"] == 100
    shown = "9" * 60 + "… (5000 characters)"
    assert [p["message"] for p in plan.problems if "sprint_number" in p["message"]] == [
        "sprint_number 9223372036854775807 is not a positive number; numbered 1",
        f"sprint_number {shown} is not a positive number; numbered 2",
        "sprint_number 1.7e+308 is not a positive number; numbered 3",
    ]
    assert (
        "order_index 9223372036854775807 is not a whole number from 0 to 2147483647; set to 0"
        in [p["message"] for p in plan.problems]
    )
    assert f"target_date '{shown}' is not a date; left empty" in [
        p["message"] for p in plan.problems
    ]
    assert max(len(p["message"]) for p in plan.problems) < 200
