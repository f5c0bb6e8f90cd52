"""The commitments list on literal hierarchies: what each commitment reaches, only through its
live outcomes, each goal and sprint once; filters that combine; overdue against a fixed day."""

from __future__ import annotations

from datetime import date

from graph.build import build
from graph.commitments import (
    Filter,
    Ref,
    SessionRef,
    commitment_rows,
    filter_rows,
    is_overdue,
    sentence,
)
from graph.examples import commitment, goal, hierarchy, outcome, sprint

TODAY = date(2024, 3, 10)


def rows_of(h, sessions=None, today=TODAY):
    return {r.id: r for r in commitment_rows(build(h), sessions or {}, today)}


def ids(rows):
    return [r.id for r in rows]


def test_a_commitment_reaching_one_sprint_through_two_outcomes_is_listed_once():
    h = hierarchy(
        [
            goal("g1", "Lead a team"),
            outcome("o1", "Weekly 1:1s"),
            outcome("o2", "Delegate"),
            sprint("s1", "Sprint 1"),
            commitment("c1", "Book the 1:1s"),
        ],
        [("g1", "o1"), ("g1", "o2"), ("o1", "s1"), ("o2", "s1"), ("o1", "c1"), ("o2", "c1")],
    )
    rows = commitment_rows(build(h), {}, TODAY)
    assert ids(rows) == ["c1"]
    (row,) = rows
    assert row.sprints == (Ref("s1", "Sprint 1"),)
    assert row.goals == (Ref("g1", "Lead a team"),)
    assert row.outcomes == (Ref("o2", "Delegate"), Ref("o1", "Weekly 1:1s"))
    assert ids(filter_rows(rows, Filter(sprint="s1"), TODAY)) == ["c1"]
    assert ids(filter_rows(rows, Filter(goal="g1", sprint="s1"), TODAY)) == ["c1"]


def test_a_trashed_outcome_hides_its_path_to_its_goal_and_sprint():
    h = hierarchy(
        [
            goal("g1", "Lead a team"),
            goal("g2", "Get fit"),
            outcome("o1", "Weekly 1:1s", deleted=True),
            outcome("o2", "Run 5 km"),
            sprint("s1", "Sprint 1"),
            commitment("c1", "Book the 1:1s"),
        ],
        [("g1", "o1"), ("o1", "s1"), ("o1", "c1"), ("g2", "o2"), ("o2", "c1")],
    )
    rows = commitment_rows(build(h), {}, TODAY)
    (row,) = rows
    assert row.outcomes == (Ref("o2", "Run 5 km"),)
    assert row.goals == (Ref("g2", "Get fit"),)
    assert row.sprints == ()
    assert filter_rows(rows, Filter(sprint="s1"), TODAY) == []
    assert filter_rows(rows, Filter(goal="g1"), TODAY) == []
    assert ids(filter_rows(rows, Filter(goal="g2"), TODAY)) == ["c1"]


def test_a_commitment_with_no_live_outcome_is_in_no_goal_and_no_sprint():
    h = hierarchy(
        [
            goal("g1", "Lead a team"),
            outcome("o1", "Weekly 1:1s", deleted=True),
            sprint("s1", "Sprint 1"),
            commitment("c1", "Book the 1:1s"),
            commitment("c2", "Never linked"),
        ],
        [("g1", "o1"), ("o1", "s1"), ("o1", "c1")],
    )
    rows = rows_of(h)
    assert sorted(rows) == ["c1", "c2"]
    for row in rows.values():
        assert (row.outcomes, row.goals, row.sprints) == ((), (), ())
    assert filter_rows(rows.values(), Filter(goal="g1"), TODAY) == []


def test_trashed_commitments_and_a_trashed_goal_are_not_listed_or_reached():
    h = hierarchy(
        [
            goal("g1", "Lead a team", deleted=True),
            outcome("o1", "Weekly 1:1s"),
            commitment("c1", "Book the 1:1s"),
            commitment("c2", "Gone", deleted=True),
        ],
        [("g1", "o1"), ("o1", "c1"), ("o1", "c2")],
    )
    rows = rows_of(h)
    assert list(rows) == ["c1"]
    assert rows["c1"].goals == ()


def test_overdue_means_due_before_today_and_neither_completed_nor_abandoned():
    h = hierarchy(
        [
            commitment("yesterday", status="active", target_date="2024-03-09"),
            commitment("today", status="active", target_date="2024-03-10"),
            commitment("done", status="completed", target_date="2024-01-01"),
            commitment("dropped", status="abandoned", target_date="2024-01-01"),
            commitment("draft", status="draft", target_date="2023-12-31"),
            commitment("undated", status="in_progress"),
        ]
    )
    rows = rows_of(h)
    assert {i for i, r in rows.items() if r.overdue} == {"yesterday", "draft"}
    assert ids(filter_rows(rows.values(), Filter(overdue=True), TODAY)) == ["draft", "yesterday"]
    # The same data a day earlier: "yesterday" is due today then, so not overdue.
    earlier = rows_of(h, today=date(2024, 3, 9))
    assert {i for i, r in earlier.items() if r.overdue} == {"draft"}


def test_is_overdue_reads_the_fields_it_is_given_against_the_day_it_is_given():
    assert is_overdue({"target_date": "2024-03-09", "status": "in_progress"}, TODAY)
    assert not is_overdue({"target_date": None, "status": "active"}, TODAY)
    assert not is_overdue({"target_date": "2024-03-09", "status": "abandoned"}, TODAY)


def test_due_within_counts_today_through_the_last_day_and_nothing_undated_or_past():
    h = hierarchy(
        [
            commitment("past", target_date="2024-03-09"),
            commitment("today", target_date="2024-03-10"),
            commitment("last", target_date="2024-03-17"),
            commitment("after", target_date="2024-03-18"),
            commitment("undated"),
        ]
    )
    rows = rows_of(h)
    assert ids(filter_rows(rows.values(), Filter(due_within=7), TODAY)) == ["today", "last"]
    assert ids(filter_rows(rows.values(), Filter(due_within=0), TODAY)) == ["today"]


def test_filters_combine_so_every_part_must_hold():
    h = hierarchy(
        [
            goal("g1", "Lead a team"),
            outcome("o1", "Weekly 1:1s"),
            outcome("o2", "Other"),
            commitment("a", "Book rooms", status="active", priority="high", type="habit"),
            commitment("b", "Book flights", status="completed", priority="high"),
            commitment("c", "Book rooms again", status="active", priority="low"),
            commitment("d", "Book desks", status="active", priority="high"),
        ],
        [("g1", "o1"), ("o1", "a"), ("o1", "b"), ("o1", "c"), ("o2", "d")],
    )
    rows = list(rows_of(h).values())
    f = Filter(goal="g1", statuses=frozenset({"active"}), priorities=frozenset({"high"}))
    assert ids(filter_rows(rows, f, TODAY)) == ["a"]
    assert ids(filter_rows(rows, Filter(outcome="o2"), TODAY)) == ["d"]
    assert ids(filter_rows(rows, Filter(types=frozenset({"habit"})), TODAY)) == ["a"]
    assert ids(filter_rows(rows, Filter(search="ROOMS"), TODAY)) == ["a", "c"]
    assert ids(filter_rows(rows, Filter(search="rooms", outcome="o2"), TODAY)) == []


def test_search_reads_the_description_too():
    h = hierarchy([commitment("a", "Call Sam", description="about the budget"), commitment("b")])
    assert ids(filter_rows(rows_of(h).values(), Filter(search="Budget"), TODAY)) == ["a"]


def test_a_commitment_shows_its_live_session_and_filters_by_it():
    kickoff = SessionRef("se1", "Kick-off", "2024-03-01")
    h = hierarchy(
        [
            commitment("a", session_id="se1"),
            commitment("b", session_id="se-trashed"),
            commitment("c"),
        ]
    )
    rows = rows_of(h, sessions={"se1": kickoff})
    assert rows["a"].session == kickoff
    assert rows["b"].session is None and rows["c"].session is None
    assert ids(filter_rows(rows.values(), Filter(session="se1"), TODAY)) == ["a"]


def test_rows_come_by_due_date_with_undated_last_then_by_title():
    h = hierarchy(
        [
            commitment("x", "beta", target_date="2024-04-01"),
            commitment("y", "Alpha", target_date="2024-04-01"),
            commitment("z", "aardvark"),
            commitment("w", "zebra", target_date="2024-03-01"),
        ]
    )
    assert ids(commitment_rows(build(h), {}, TODAY)) == ["w", "y", "x", "z"]


def test_as_json_has_the_readmes_shape():
    h = hierarchy(
        [goal("g1", "G"), outcome("o1", "O"), commitment("c1", "C", target_date="2024-01-01")],
        [("g1", "o1"), ("o1", "c1")],
    )
    (row,) = commitment_rows(build(h), {}, TODAY)
    assert row.as_json() == {
        "id": "c1",
        "title": "C",
        "status": "",
        "priority": "",
        "type": "",
        "due": "2024-01-01",
        "outcomes": [{"id": "o1", "title": "O"}],
        "goals": [{"id": "g1", "title": "G"}],
        "sprints": [],
        "session": None,
        "overdue": True,
    }


def test_the_filter_reads_as_one_sentence():
    titles = {"g1": "Lead a team", "s2": "Sprint 2", "o1": "Weekly 1:1s", "se": "Kick-off"}
    assert sentence(Filter(), titles) == "All commitments"
    assert (
        sentence(Filter(goal="g1", sprint="s2", overdue=True), titles)
        == "Overdue commitments of goal 'Lead a team' in Sprint 2"
    )
    assert (
        sentence(Filter(outcome="o1", session="se", due_within=1, search=" shoes "), titles)
        == "Commitments for outcome 'Weekly 1:1s' from session 'Kick-off', due within 1 day, "
        "mentioning 'shoes'"
    )
    assert (
        sentence(Filter(statuses=frozenset({"draft", "active"}), types=frozenset({"habit"})), {})
        == "Commitments with status active or draft, with type habit"
    )
