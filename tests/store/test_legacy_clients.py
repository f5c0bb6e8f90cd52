"""Legacy import: every row lands under its own client, and nothing is linked across clients."""

from __future__ import annotations

from store import ops
from store.legacy import ATTENTION_NAME
from tests.legacy_factory import LegacyFile, import_open, link_titles, row_titled


def messages(plan) -> list[str]:
    return [p["message"] for p in plan.problems]


def test_every_row_takes_its_root_from_the_owning_client(db, tmp_path):
    f = LegacyFile()
    ana, bo = f.client("Ana"), f.client("Bo")
    for name, client in (("Ana", ana), ("Bo", bo)):
        goal = f.goal(client, f"{name} goal")
        sprint = f.sprint(client, 1, f"{name} sprint")
        session = f.session(client)
        f.target(f"{name} outcome", goal=goal, sprint=sprint)
        f.commitment(client, f"{name} task", session=session)
    _plan, doc = import_open(f, tmp_path)
    for section in ("goals", "outcomes", "sprints", "commitments", "sessions"):
        roots = sorted(row["root_id"] for row in doc[section])
        assert roots == sorted([ana, bo]), section
    assert row_titled(doc, "commitments", "Ana task")["root_id"] == ana
    assert {c["name"] for c in doc["clients"]} == {"Ana", "Bo"}


def test_outcome_takes_its_client_from_goal_else_sprint_else_commitments(db, tmp_path):
    f = LegacyFile()
    ana, bo, cy = f.client("Ana"), f.client("Bo"), f.client("Cy")
    f.target("By goal", goal=f.goal(ana, "G"))
    f.target("By sprint", sprint=f.sprint(bo, 1))
    by_commitment = f.target("By commitment")
    f.link(f.commitment(cy, "Task"), by_commitment)
    plan, doc = import_open(f, tmp_path)
    roots = {row["title"]: row["root_id"] for row in doc["outcomes"]}
    assert roots == {"By goal": ana, "By sprint": bo, "By commitment": cy}
    assert plan.problems == []


def test_outcome_whose_sources_disagree_goes_to_needs_attention_unlinked(db, tmp_path):
    f = LegacyFile()
    ana, bo = f.client("Ana"), f.client("Bo")
    disputed = f.target("Disputed", goal=f.goal(ana, "Ana goal"), sprint=f.sprint(bo, 1, "Bo"))
    plan, doc = import_open(f, tmp_path)
    attention = row_titled(doc, "clients", ATTENTION_NAME)
    assert row_titled(doc, "outcomes", "Disputed")["root_id"] == attention["id"]
    assert link_titles(doc) == {"outcome_goal": set(), "outcome_sprint": set(),
                                "commitment_outcome": set()}  # fmt: skip
    disputes = [p for p in plan.problems if p["id"] == disputed]
    assert disputes[0]["message"].startswith(
        "its client is disputed (its goal belongs to client 'Ana'; its sprint belongs to client"
        " 'Bo')"
    )
    assert [p["message"].split(":")[0] for p in disputes[1:]] == [
        "targets.goal_id",
        "targets.sprint_id",
    ]


def test_outcome_with_no_source_goes_to_needs_attention(db, tmp_path):
    f = LegacyFile()
    f.client("Ana")
    lonely = f.target("Lonely")
    plan, doc = import_open(f, tmp_path)
    attention = row_titled(doc, "clients", ATTENTION_NAME)
    assert row_titled(doc, "outcomes", "Lonely")["root_id"] == attention["id"]
    assert [(p["table"], p["row"], p["id"]) for p in plan.problems] == [("targets", 1, lonely)]


def test_commitment_linked_to_another_clients_outcome_disputes_it(db, tmp_path):
    f = LegacyFile()
    ana, bo = f.client("Ana"), f.client("Bo")
    outcome = f.target("Run", goal=f.goal(ana, "Fit"))
    f.link(f.commitment(ana, "Shoes"), outcome)
    f.link(f.commitment(bo, "Stray"), outcome)
    _plan, doc = import_open(f, tmp_path)
    attention = row_titled(doc, "clients", ATTENTION_NAME)["id"]
    assert row_titled(doc, "outcomes", "Run")["root_id"] == attention
    for kind in doc["links"].values():
        assert kind == []


def test_row_with_an_unknown_client_uses_what_it_refers_to_or_needs_attention(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Fit")
    f.commitment("no-such-client", "Follows its goal", goal=goal)
    f.commitment(None, "Has nothing")
    f.goal("no-such-client", "Orphan goal")
    plan, doc = import_open(f, tmp_path)
    attention = row_titled(doc, "clients", ATTENTION_NAME)["id"]
    assert row_titled(doc, "commitments", "Follows its goal")["root_id"] == ana
    assert row_titled(doc, "commitments", "Has nothing")["root_id"] == attention
    assert row_titled(doc, "goals", "Orphan goal")["root_id"] == attention
    assert sorted(messages(plan)) == [
        "client_id no-such-client points to no client; filed under 'Needs attention (imported)'",
        "client_id no-such-client points to no client; filed under client 'Ana', the client of "
        "what it refers to",
        "the row has no client_id; filed under 'Needs attention (imported)'",
    ]


def test_direct_link_across_clients_is_refused_and_reported(db, tmp_path):
    f = LegacyFile()
    ana, bo = f.client("Ana"), f.client("Bo")
    bo_goal = f.goal(bo, "Bo goal")
    f.target("Bo outcome", goal=bo_goal)
    f.commitment(ana, "Ana task", goal=bo_goal)
    f.sprint(ana, 1, "Ana sprint", goal=bo_goal)
    plan, doc = import_open(f, tmp_path)
    assert link_titles(doc)["commitment_outcome"] == set()
    assert link_titles(doc)["outcome_sprint"] == set()
    assert plan.sources["commitments.goal_id"]["refused"] == 1
    assert plan.sources["sprints.goal_id"]["refused"] == 1
    assert any("belong to different clients; not linked" in m for m in messages(plan))


def test_session_of_another_client_is_left_empty_and_reported(db, tmp_path):
    f = LegacyFile()
    ana, bo = f.client("Ana"), f.client("Bo")
    f.commitment(ana, "Task", session=f.session(bo))
    plan, doc = import_open(f, tmp_path)
    assert row_titled(doc, "commitments", "Task")["session_id"] is None
    assert messages(plan) == ["its session belongs to client 'Bo'; session left empty"]


def test_client_name_taken_in_the_target_is_renamed_not_merged(db, tmp_path):
    existing = ops.create_client("Ana")
    f = LegacyFile()
    ana = f.client("Ana")
    f.client("ana")
    plan, doc = import_open(f, tmp_path)
    names = {c["id"]: c["name"] for c in doc["clients"]}
    assert names[existing["id"]] == "Ana" and names[ana] == "Ana (2)"
    assert sorted(names.values()) == ["Ana", "Ana (2)", "ana (3)"]
    assert len(plan.problems) == 2
