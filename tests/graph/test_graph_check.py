"""check: one test per finding code, plus order and has_errors."""

from graph import Finding, Link, check, has_errors
from graph.examples import commitment, goal, hierarchy, outcome, sprint, tiny


def codes(h):
    return [(f.code, f.severity, f.items) for f in check(h)]


def only(h, code):
    found = [f for f in check(h) if f.code == code]
    assert len(found) == 1, found
    return found[0]


def test_a_clean_hierarchy_has_no_findings():
    assert check(tiny()) == []
    assert not has_errors(check(tiny()))


def test_cross_root_link_is_an_error():
    h = hierarchy(
        [goal("g1", "Run"), outcome("o1", "Base", root="bob")],
        [("g1", "o1")],
        clients={"ann": "Ann", "bob": "Bob"},
    )
    f = only(h, "cross-root-link")
    assert (f.severity, f.items, f.root_id, f.links) == ("error", ("g1", "o1"), "ann", ("g1-o1",))
    assert f.message == (
        "Goal 'Run' (client 'Ann') is linked to outcome 'Base' (client 'Bob'); "
        "links stay within one client."
    )
    assert has_errors(check(h))


def test_root_mismatch_is_an_error_for_an_item_of_an_unknown_client():
    h = hierarchy([goal("g1", "Run", root="zed")], [], clients={"ann": "Ann"})
    f = only(h, "root-mismatch")
    assert (f.severity, f.items, f.root_id) == ("error", ("g1",), "zed")
    assert f.message == "Goal 'Run' belongs to client zed, which does not exist."


def test_root_mismatch_is_an_error_for_a_link_filed_under_another_client():
    items = [goal("g1", "Run"), outcome("o1", "Base")]
    link = Link("l1", "outcome_goal", "g1", "o1", root_id="bob")
    h = hierarchy(items, [link], clients={"ann": "Ann", "bob": "Bob"})
    f = only(h, "root-mismatch")
    assert (f.severity, f.items, f.root_id, f.links) == ("error", ("g1", "o1"), "ann", ("l1",))
    assert f.message == (
        "The link between goal 'Run' and outcome 'Base' is filed under client 'Bob', "
        "but both belong to client 'Ann'."
    )


def test_dangling_link_is_an_error():
    h = hierarchy([goal("g1", "Run"), outcome("o1")], [("g1", "o1"), ("g1", "ghost")])
    f = only(h, "dangling-link")
    assert (f.severity, f.items, f.links) == ("error", ("g1",), ("g1-ghost",))
    assert f.message == "A link from goal 'Run' points at item ghost, which does not exist."


def test_dangling_link_with_no_end_at_all_is_an_error():
    h = hierarchy([], [Link("l1", "outcome_goal", "x", "y", "ann")], clients={"ann": "Ann"})
    f = only(h, "dangling-link")
    assert (f.items, f.message) == ((), "A link joins items x and y, neither of which exists.")


def test_sprint_dates_invalid_is_an_error_when_end_is_before_start():
    h = hierarchy([sprint("s1", "S1", start_date="2024-03-01", end_date="2024-02-01")], [])
    f = only(h, "sprint-dates-invalid")
    assert (f.severity, f.items) == ("error", ("s1",))
    assert f.message == "Sprint 'S1' ends on 2024-02-01 before it starts on 2024-03-01."


def test_sprint_dates_invalid_is_an_error_for_text_that_is_not_a_date():
    h = hierarchy([sprint("s1", "S1", start_date="soon", end_date="2024-02-01")], [])
    assert only(h, "sprint-dates-invalid").message == (
        "Sprint 'S1' has a date that is not a date (start 'soon', end '2024-02-01')."
    )


def test_a_one_day_sprint_is_valid():
    h = hierarchy([sprint("s1", start_date="2024-03-01", end_date="2024-03-01")], [])
    assert [f.code for f in check(h)] == ["sprint-without-outcome"]


def test_outcome_without_goal_is_a_warning():
    h = hierarchy([outcome("o1", "Base"), goal("g1", deleted=True)], [("g1", "o1")])
    f = only(h, "outcome-without-goal")
    assert (f.severity, f.items) == ("warning", ("o1",))
    assert f.message == "Outcome 'Base' serves no goal: link it to the goal it moves forward."


def test_sprint_without_outcome_is_a_warning():
    h = hierarchy([sprint("s1", "S1")], [])
    f = only(h, "sprint-without-outcome")
    assert (f.severity, f.items) == ("warning", ("s1",))
    assert f.message == "Sprint 'S1' works on no outcome: link it to the outcomes it moves forward."


def test_commitment_without_outcome_is_a_warning():
    h = hierarchy([commitment("c1", "Run")], [])
    f = only(h, "commitment-without-outcome")
    assert (f.severity, f.items) == ("warning", ("c1",))
    assert (
        f.message == "Commitment 'Run' serves no outcome: link it to the outcome it moves forward."
    )


def dated_sprints(*spans):
    items = [outcome("o1")] + [
        sprint(f"s{i}", f"S{i}", start_date=a, end_date=b) for i, (a, b) in enumerate(spans, 1)
    ]
    return hierarchy(items, [("o1", f"s{i}") for i in range(1, len(spans) + 1)])


def overlaps(h):
    return [f for f in check(h) if f.code == "sprint-overlap"]


def test_sprint_overlap_is_a_warning():
    h = dated_sprints(("2024-01-01", "2024-02-11"), ("2024-02-01", "2024-03-10"))
    f = only(h, "sprint-overlap")
    assert (f.severity, f.items, f.root_id) == ("warning", ("s1", "s2"), "ann")
    assert f.message == (
        "Sprint 'S1' (2024-01-01 to 2024-02-11) and sprint 'S2' (2024-02-01 to 2024-03-10) "
        "overlap in time."
    )


def test_sprints_touching_on_a_hand_over_day_do_not_overlap():
    h = dated_sprints(("2024-01-01", "2024-02-11"), ("2024-02-11", "2024-03-10"))
    assert overlaps(h) == []


def test_sprint_overlap_reports_every_overlapping_pair_once():
    h = dated_sprints(
        ("2024-01-01", "2024-12-31"), ("2024-02-01", "2024-02-28"), ("2024-03-01", "2024-03-31")
    )
    assert [f.items for f in overlaps(h)] == [("s1", "s2"), ("s1", "s3")]


def test_sprints_of_different_clients_or_in_the_trash_do_not_overlap():
    h = hierarchy(
        [
            sprint("s1", start_date="2024-01-01", end_date="2024-02-01"),
            sprint("s2", root="bob", start_date="2024-01-01", end_date="2024-02-01"),
            sprint("s3", deleted=True, start_date="2024-01-01", end_date="2024-02-01"),
        ],
        [],
    )
    assert overlaps(h) == []


def with_due(target):
    h = tiny()
    h.items["c1"] = commitment("c1", "Buy shoes", status="completed", target_date=target)
    return h


def test_commitment_outside_sprint_is_a_warning():
    f = only(with_due("2024-03-01"), "commitment-outside-sprint")
    assert (f.severity, f.items) == ("warning", ("c1", "s1"))
    assert f.message == (
        "Commitment 'Buy shoes' is due 2024-03-01, outside every sprint it reaches: "
        "'Sprint 1' (2024-01-01 to 2024-02-11)."
    )


def test_a_commitment_due_on_a_sprints_last_day_is_inside_it():
    assert check(with_due("2024-02-11")) == []


def test_a_commitment_reaching_no_dated_sprint_is_not_outside_one():
    h = tiny()
    h.items["c3"] = commitment("c3", "Stretch", target_date="2030-01-01")  # o2 has no sprint
    assert check(h) == []


def test_duplicate_title_is_a_warning_for_goals_trimmed_and_case_insensitive():
    h = hierarchy(
        [goal("g1", "Run 10k"), goal("g2", " run 10K "), goal("g3", "Swim"), outcome("o1")],
        [("g1", "o1"), ("g2", "o1"), ("g3", "o1")],
    )
    f = only(h, "duplicate-title")
    assert (f.severity, f.items) == ("warning", ("g1", "g2"))
    assert f.message == (
        "2 goals of client 'Ann' share the title 'Run 10k': "
        "rename all but one so they can be told apart."
    )


def test_duplicate_title_is_a_warning_for_outcomes():
    h = hierarchy(
        [goal("g1"), outcome("o1", "Base"), outcome("o2", "BASE")], [("g1", "o1"), ("g1", "o2")]
    )
    assert only(h, "duplicate-title").items == ("o1", "o2")


def test_same_titles_across_kinds_clients_or_the_trash_are_not_duplicates():
    h = hierarchy(
        [
            goal("g1", "Run"),
            outcome("o1", "Run"),
            goal("g2", "Run", root="bob"),
            goal("g3", "Run", deleted=True),
        ],
        [],
    )
    assert [f for f in check(h) if f.code == "duplicate-title"] == []


def test_goal_without_outcome_is_info():
    h = hierarchy([goal("g1", "Run 10k")], [])
    f = only(h, "goal-without-outcome")
    assert (f.severity, f.items) == ("info", ("g1",))
    assert f.message == (
        "Goal 'Run 10k' has no outcomes yet: add one to say how it will be reached."
    )
    assert not has_errors(check(h))


def test_link_to_deleted_is_info():
    h = hierarchy([goal("g1", "Run"), outcome("o1", "Base", deleted=True)], [("g1", "o1")])
    f = only(h, "link-to-deleted")
    assert (f.severity, f.items, f.links) == ("info", ("g1", "o1"), ("g1-o1",))
    assert f.message == (
        "The link between goal 'Run' and outcome 'Base' is hidden while outcome 'Base' "
        "is in the trash; restoring brings it back."
    )


def test_link_with_both_ends_deleted_says_both():
    h = hierarchy(
        [goal("g1", "Run", deleted=True), outcome("o1", "Base", deleted=True)], [("g1", "o1")]
    )
    assert "hidden while both are in the trash" in only(h, "link-to-deleted").message


def test_findings_are_sorted_by_severity_then_code_then_items():
    h = hierarchy(
        [
            goal("g1"),
            commitment("c2"),
            commitment("c1"),
            sprint("s1", start_date="2024-02-01", end_date="2024-01-01"),
        ],
        [("g1", "ghost")],
    )
    assert codes(h) == [
        ("dangling-link", "error", ("g1",)),
        ("sprint-dates-invalid", "error", ("s1",)),
        ("commitment-without-outcome", "warning", ("c1",)),
        ("commitment-without-outcome", "warning", ("c2",)),
        ("sprint-without-outcome", "warning", ("s1",)),
        ("goal-without-outcome", "info", ("g1",)),
    ]


def test_has_errors_only_counts_errors():
    warning = Finding("sprint-overlap", "warning", "m", ("s1", "s2"), "ann")
    error = Finding("dangling-link", "error", "m", ("g1",), "ann")
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert not has_errors([])


def every_code_hierarchy():
    """One messy hierarchy that gives a finding of every code."""
    h = hierarchy(
        [
            goal("g1", "Same"),
            goal("g2", "same"),
            goal("g3", root="zed"),
            outcome("o1"),
            outcome("o2", root="bob"),
            outcome("o3", deleted=True),
            sprint("s1", start_date="2024-01-01", end_date="2024-01-31"),
            sprint("s2", start_date="2024-01-15", end_date="2024-02-15"),
            sprint("s3", start_date="2024-02-01", end_date="2024-01-01"),
            commitment("c1", target_date="2025-01-01"),
            outcome("o4"),
            commitment("c2"),
        ],
        [("g1", "o1"), ("o1", "s1"), ("o1", "c1"), ("g1", "o2"), ("g1", "o3"), ("g1", "nope")],
        clients={"ann": "Ann", "bob": "Bob"},
    )
    h.links.append(Link("odd", "outcome_goal", "g2", "o1", root_id="bob"))
    return h


def test_every_code_in_the_design_table_is_produced_somewhere():
    design = {
        "cross-root-link",
        "root-mismatch",
        "dangling-link",
        "sprint-dates-invalid",
        "outcome-without-goal",
        "sprint-without-outcome",
        "commitment-without-outcome",
        "sprint-overlap",
        "commitment-outside-sprint",
        "duplicate-title",
        "goal-without-outcome",
        "link-to-deleted",
    }
    assert {f.code for f in check(every_code_hierarchy())} == design


def test_asking_for_some_codes_gives_exactly_the_findings_with_those_codes():
    h = every_code_hierarchy()
    every = check(h)
    for code in {f.code for f in every}:
        assert check(h, codes=[code]) == [f for f in every if f.code == code], code
    pair = ["sprint-overlap", "commitment-outside-sprint"]
    assert check(h, codes=pair) == [f for f in every if f.code in pair]
