"""Legacy import, Option A: every old way of linking ends as outcome links, and only those."""

from __future__ import annotations

from tests.legacy_factory import LegacyFile, import_open, link_titles, row_titled

PLACEHOLDER_G = "Unsorted — from goal 'Get fit' (imported)"


def empty_links(**kinds):
    return {"outcome_goal": set(), "outcome_sprint": set(), "commitment_outcome": set()} | kinds


def test_target_goal_and_sprint_ids_become_outcome_links(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    sprint = f.sprint(ana, 1, "Base")
    outcome = f.target("Run 10 km", goal=goal, sprint=sprint)
    plan, doc = import_open(f, tmp_path)
    assert link_titles(doc) == empty_links(
        outcome_goal={("Get fit", "Run 10 km")}, outcome_sprint={("Run 10 km", "Base")}
    )
    assert row_titled(doc, "outcomes", "Run 10 km")["id"] == outcome
    assert {link["root_id"] for kind in doc["links"].values() for link in kind} == {ana}
    assert plan.conversions == [] and plan.placeholders == []


def test_commitment_target_links_are_kept_with_their_ids(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    one, two = f.target("One", goal=f.goal(ana, "G")), f.target("Two")
    call = f.commitment(ana, "Call")
    kept = f.link(call, one)
    f.link(call, two)
    _plan, doc = import_open(f, tmp_path)
    assert link_titles(doc)["commitment_outcome"] == {("One", "Call"), ("Two", "Call")}
    assert kept in {row["id"] for row in doc["links"]["commitment_outcome"]}


def test_direct_goal_link_the_outcomes_imply_adds_nothing(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    run = f.target("Run 10 km", goal=goal)
    f.target("Swim", goal=goal)
    shoes = f.commitment(ana, "Buy shoes", goal=goal, metadata={"linked_goal_ids": [goal]})
    f.link(shoes, run)
    plan, doc = import_open(f, tmp_path)
    assert link_titles(doc)["commitment_outcome"] == {("Run 10 km", "Buy shoes")}
    assert plan.conversions == [] and plan.placeholders == []
    assert plan.sources["commitments.goal_id"]["implied"] == 1
    assert plan.sources["commit_metadata.linked_goal_ids"]["implied"] == 1


def test_commitment_goal_id_goes_through_the_goals_only_outcome(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    f.target("Run 10 km", goal=goal)
    f.commitment(ana, "Buy shoes", goal=goal)
    plan, doc = import_open(f, tmp_path)
    assert link_titles(doc) == empty_links(
        outcome_goal={("Get fit", "Run 10 km")},
        commitment_outcome={("Run 10 km", "Buy shoes")},
    )
    assert [c["message"] for c in plan.conversions] == [
        "commitment 'Buy shoes' → goal 'Get fit' now goes through outcome 'Run 10 km', "
        "the goal's only outcome"
    ]
    assert plan.placeholders == []


def test_goal_with_several_outcomes_gets_one_placeholder_for_all_its_direct_links(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    f.target("Run 10 km", goal=goal)
    f.target("Swim 1 km", goal=goal)
    f.commitment(ana, "Stretch", goal=goal)
    f.commitment(ana, "Plank", metadata={"linked_goal_ids": [goal]})
    plan, doc = import_open(f, tmp_path)
    links = link_titles(doc)
    assert links["outcome_goal"] == {
        ("Get fit", "Run 10 km"),
        ("Get fit", "Swim 1 km"),
        ("Get fit", PLACEHOLDER_G),
    }
    assert links["commitment_outcome"] == {(PLACEHOLDER_G, "Stretch"), (PLACEHOLDER_G, "Plank")}
    assert [(p["title"], p["for_kind"]) for p in plan.placeholders] == [(PLACEHOLDER_G, "goal")]
    assert [c["source"] for c in plan.conversions] == [
        "commitments.goal_id",
        "commit_metadata.linked_goal_ids",
    ]


def test_goal_without_outcomes_gets_a_placeholder_that_serves_it(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    f.commitment(ana, "Stretch", goal=goal)
    _plan, doc = import_open(f, tmp_path)
    assert link_titles(doc) == empty_links(
        outcome_goal={("Get fit", PLACEHOLDER_G)},
        commitment_outcome={(PLACEHOLDER_G, "Stretch")},
    )
    placeholder = row_titled(doc, "outcomes", PLACEHOLDER_G)
    assert placeholder["root_id"] == ana and placeholder["status"] == "active"


def test_sprint_goal_id_links_the_sprint_to_the_goals_only_outcome(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    f.target("Run 10 km", goal=goal)
    f.sprint(ana, 1, "Base", goal=goal)
    plan, doc = import_open(f, tmp_path)
    assert link_titles(doc) == empty_links(
        outcome_goal={("Get fit", "Run 10 km")}, outcome_sprint={("Run 10 km", "Base")}
    )
    assert plan.sources["sprints.goal_id"]["converted"] == 1


def test_sprint_goal_id_with_several_outcomes_goes_through_the_goals_placeholder(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    f.target("Run 10 km", goal=goal)
    f.target("Swim 1 km", goal=goal)
    f.sprint(ana, 1, "Base", goal=goal)
    _plan, doc = import_open(f, tmp_path)
    links = link_titles(doc)
    assert ("Get fit", PLACEHOLDER_G) in links["outcome_goal"]
    assert links["outcome_sprint"] == {(PLACEHOLDER_G, "Base")}


def test_sprint_goal_id_is_implied_when_an_outcome_links_both(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    sprint = f.sprint(ana, 1, "Base", goal=goal)
    f.target("Run 10 km", goal=goal, sprint=sprint)
    f.target("Swim 1 km", goal=goal)
    plan, doc = import_open(f, tmp_path)
    assert link_titles(doc)["outcome_sprint"] == {("Run 10 km", "Base")}
    assert plan.sources["sprints.goal_id"]["implied"] == 1 and plan.placeholders == []


def test_commitment_sprint_id_goes_through_the_sprints_only_outcome(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    sprint = f.sprint(ana, 1, "Base")
    f.target("Run 10 km", goal=f.goal(ana, "Get fit"), sprint=sprint)
    f.commitment(ana, "Intervals", sprint=sprint)
    _plan, doc = import_open(f, tmp_path)
    assert link_titles(doc)["commitment_outcome"] == {("Run 10 km", "Intervals")}


def test_commitment_sprint_links_without_one_outcome_share_the_sprints_placeholder(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    sprint = f.sprint(ana, 3, "Base")
    f.commitment(ana, "Intervals", sprint=sprint)
    f.commitment(ana, "Hills", metadata={"linked_sprint_ids": [sprint]})
    plan, doc = import_open(f, tmp_path)
    placeholder = "Unsorted — from sprint 'Sprint 3: Base' (imported)"
    assert link_titles(doc) == empty_links(
        outcome_sprint={(placeholder, "Base")},
        commitment_outcome={(placeholder, "Intervals"), (placeholder, "Hills")},
    )
    assert len(plan.placeholders) == 1
    assert plan.sources["commit_metadata.linked_sprint_ids"]["converted"] == 1


def test_each_conversion_is_one_report_line_naming_its_row(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit")
    sprint = f.sprint(ana, 1, "Base", goal=goal)
    f.commitment(ana, "Stretch", goal=goal, sprint=sprint)
    plan, _doc = import_open(f, tmp_path)
    assert [(c["table"], c["row"], c["source"]) for c in plan.conversions] == [
        ("sprints", 1, "sprints.goal_id"),
        ("commitments", 1, "commitments.goal_id"),
    ]
    # The sprint link then follows from the goal placeholder, which now works on the sprint.
    assert plan.sources["commitments.sprint_id"]["implied"] == 1
