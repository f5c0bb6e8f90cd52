"""Collapse and focus on literal graphs: what is folded away, what stays because it is shared."""

from __future__ import annotations

from graph.build import build
from graph.examples import commitment, goal, hierarchy, outcome, sprint
from graph.folding import folded_away, folded_under


def two_goals():
    """g1 -> o1 -> c1, s1; g1 -> o2 -> c2 (shared with o3); g2 -> o3 -> c2, c3; g3 alone."""
    items = [goal("g1"), goal("g2"), goal("g3"), sprint("s1")]
    items += [outcome(o) for o in ("o1", "o2", "o3")]
    items += [commitment(c) for c in ("c1", "c2", "c3")]
    links = [("g1", "o1"), ("g1", "o2"), ("g2", "o3"), ("o1", "c1"), ("o1", "s1")]
    links += [("o2", "c2"), ("o3", "c2"), ("o3", "c3")]
    return build(hierarchy(items, links))


def test_collapsing_a_goal_folds_its_subtree_but_not_what_another_goal_shares():
    assert folded_away(two_goals(), {"g1"}) == {"o1", "o2", "c1", "s1"}


def test_collapsing_both_goals_of_a_shared_commitment_folds_it_too():
    assert folded_away(two_goals(), {"g1", "g2"}) == {"o1", "o2", "o3", "c1", "c2", "c3", "s1"}


def test_collapsing_an_outcome_folds_only_what_serves_it_alone():
    assert folded_away(two_goals(), {"o3"}) == {"c3"}


def test_nothing_is_folded_without_a_collapse_or_a_focus():
    assert folded_away(two_goals()) == set()


def test_focus_keeps_the_goals_subtree_and_what_it_shares_with_others():
    # c2 also serves o3 under g2: o3 and g2 stay so the sharing shows; c3 and g3 go.
    assert folded_away(two_goals(), focus="g1") == {"c3", "g3"}


def test_a_collapse_inside_a_focus_folds_further():
    assert folded_away(two_goals(), {"o1"}, focus="g1") == {"c3", "g3", "c1", "s1"}


def test_a_collapsed_nodes_mark_counts_what_is_folded_under_it():
    g = two_goals()
    hidden = folded_away(g, {"g1"})
    assert (folded_under(g, "g1", hidden), folded_under(g, "g2", hidden)) == (4, 0)
