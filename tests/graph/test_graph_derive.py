"""derive: what an item reaches through outcomes."""

from graph import (
    ancestors,
    build,
    derive_commitments,
    derive_goals,
    derive_sprints,
    descendants,
    outcome_goals,
    related,
)
from graph.examples import commitment, goal, hierarchy, outcome, sprint


def two_goals():
    """g1 -> o1 -> (s1, c1); g2 -> o2 -> (s2, c1, c2); o3 has no goal; c3 hangs from o3."""
    return build(
        hierarchy(
            [
                goal("g1"),
                goal("g2"),
                outcome("o1"),
                outcome("o2"),
                outcome("o3"),
                sprint("s1"),
                sprint("s2"),
                commitment("c1"),
                commitment("c2"),
                commitment("c3"),
                commitment("lonely"),
            ],
            [
                ("g1", "o1"),
                ("g2", "o2"),
                ("o1", "s1"),
                ("o2", "s2"),
                ("o1", "c1"),
                ("o2", "c1"),
                ("o2", "c2"),
                ("o3", "c3"),
            ],
        )
    )


def test_a_commitment_reaches_the_goals_of_all_its_outcomes():
    assert derive_goals(two_goals(), "c1") == {"g1", "g2"}


def test_a_commitment_under_an_outcome_without_goal_reaches_no_goal():
    assert derive_goals(two_goals(), "c3") == set()


def test_a_commitment_falls_in_the_sprints_of_its_outcomes():
    g = two_goals()
    assert derive_sprints(g, "c1") == {"s1", "s2"}
    assert derive_sprints(g, "c2") == {"s2"}
    assert derive_sprints(g, "lonely") == set()


def test_a_sprint_carries_the_commitments_of_its_outcomes():
    assert derive_commitments(two_goals(), "s2") == {"c1", "c2"}


def test_outcome_goals_are_direct_goals_only():
    g = two_goals()
    assert outcome_goals(g, "o2") == {"g2"}
    assert outcome_goals(g, "o3") == set()


def test_ancestors_of_a_commitment_are_its_outcomes_and_their_goals():
    assert ancestors(two_goals(), "c1") == {"o1", "o2", "g1", "g2"}


def test_descendants_of_a_goal_are_its_outcomes_and_the_work_below():
    assert descendants(two_goals(), "g2") == {"o2", "s2", "c1", "c2"}


def test_related_adds_a_commitments_sprints_but_not_its_siblings():
    assert related(two_goals(), "c2") == {"o2", "g2", "s2"}


def test_related_adds_a_sprints_commitments():
    assert related(two_goals(), "s1") == {"o1", "g1", "c1"}


def test_related_of_an_outcome_is_up_and_down():
    assert related(two_goals(), "o1") == {"g1", "s1", "c1"}


def test_a_node_not_in_the_graph_reaches_nothing():
    g = two_goals()
    for fn in (ancestors, descendants, related, derive_goals, derive_sprints, outcome_goals):
        assert fn(g, "in-the-trash") == set()
