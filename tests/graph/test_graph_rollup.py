"""Roll-up: commitments -> outcomes -> goals, weighted by link weight, with explanations."""

import pytest

from graph import Part, build, explain, rollup
from graph.examples import commitment, goal, hierarchy, outcome, sprint, tiny


def values(items, links):
    return rollup(build(hierarchy(items, links)))


def test_commitment_progress_is_its_own_and_completed_counts_100():
    got = values(
        [commitment("c1", progress=40), commitment("c2", progress=10, status="completed")], []
    )
    assert got == {"c1": 40.0, "c2": 100.0}


def test_missing_or_out_of_range_progress_is_clamped():
    got = values(
        [commitment("a"), commitment("b", progress=None), commitment("c", progress=150)], []
    )
    assert got == {"a": 0.0, "b": 0.0, "c": 100.0}


def test_outcome_is_the_weighted_mean_of_its_commitments():
    got = values(
        [outcome("o1"), commitment("c1", progress=100), commitment("c2", progress=40)],
        [("o1", "c1", 1), ("o1", "c2", 3)],
    )
    assert got["o1"] == pytest.approx(55.0)  # (100*1 + 40*3) / 4


def test_a_child_serving_two_parents_counts_toward_each_by_its_own_weight():
    got = rollup(build(tiny()))
    # c2 (50%) has weight 1 under o1 and weight 2 under o2.
    assert got["o1"] == pytest.approx(75.0)  # (100*1 + 50*1) / 2
    assert got["o2"] == pytest.approx(100 / 3)  # (50*2 + 0*1) / 3
    assert got["g1"] == pytest.approx((75 + 100 / 3) / 2)


def test_a_duplicated_link_row_never_counts_a_child_twice_toward_one_parent():
    got = values(
        [outcome("o1"), commitment("c1", progress=100), commitment("c2", progress=0)],
        [("o1", "c1"), ("o1", "c1"), ("o1", "c2")],
    )
    assert got["o1"] == pytest.approx(50.0)


def test_abandoned_commitments_are_left_out():
    got = values(
        [
            outcome("o1"),
            commitment("c1", progress=80),
            commitment("c2", progress=0, status="abandoned"),
        ],
        [("o1", "c1"), ("o1", "c2")],
    )
    assert got["o1"] == pytest.approx(80.0)


def test_manual_outcome_keeps_its_own_progress_and_feeds_its_goal():
    got = values(
        [
            goal("g1"),
            outcome("o1", progress_mode="manual", progress=40),
            outcome("o2", progress=90),
            commitment("c1", progress=100),
        ],
        [("g1", "o1", 3), ("g1", "o2", 1), ("o1", "c1")],
    )
    assert got["o1"] == 40.0
    assert got["o2"] == 90.0  # no commitments: its own progress
    assert got["g1"] == pytest.approx((40 * 3 + 90) / 4)


def test_manual_goal_keeps_its_own_progress():
    got = values(
        [goal("g1", progress_mode="manual", progress=12), outcome("o1", progress=90)],
        [("g1", "o1")],
    )
    assert got["g1"] == 12.0


def test_parents_with_nothing_below_use_their_own_progress_or_zero():
    got = values([goal("g1"), outcome("o1")], [])
    assert got == {"g1": 0.0, "o1": 0.0}


def test_sprints_carry_no_progress():
    got = values([outcome("o1"), sprint("s1")], [("o1", "s1")])
    assert "s1" not in got


def test_explain_a_derived_outcome_lists_each_share():
    text = str(explain(build(tiny()), "o1"))
    assert (
        text
        == "Outcome 'Build base' 75%: from 2 commitments — 'Buy shoes' 100% ×1, 'Run 5k' 50% ×1."
    )


def test_explain_parts_are_id_title_value_weight():
    e = explain(build(tiny()), "o2")
    assert e.mode == "derived"
    assert e.value == pytest.approx(100 / 3)
    assert e.parts == [Part("c2", "Run 5k", 50.0, 2.0), Part("c3", "Stretch", 0.0, 1.0)]
    assert e.parts[0] == ("c2", "Run 5k", 50.0, 2.0)


def test_explain_a_goal_over_outcomes():
    e = explain(build(tiny()), "g1")
    assert e.text == (
        "Goal 'Run 10k' 54.2%: from 2 outcomes — 'Build base' 75% ×1, 'Race ready' 33.3% ×1."
    )


def test_explain_manual_progress():
    g = build(hierarchy([outcome("o1", "Base", progress_mode="manual", progress=40)], []))
    e = explain(g, "o1")
    assert (e.mode, e.value, e.parts) == ("manual", 40.0, [])
    assert e.text == "Outcome 'Base' 40%: set by hand."


def test_explain_own_progress_when_nothing_is_below():
    e = explain(build(hierarchy([goal("g1", "Run 10k", progress=5)], [])), "g1")
    assert e.mode == "own"
    assert e.text == "Goal 'Run 10k' 5%: no outcomes counted yet, so its own progress."


def test_explain_names_abandoned_children_not_counted():
    g = build(
        hierarchy(
            [
                outcome("o1", "Base"),
                commitment("c1", "Run", progress=60),
                commitment("c2", "Swim", progress=10, status="abandoned"),
            ],
            [("o1", "c1"), ("o1", "c2")],
        )
    )
    assert explain(g, "o1").text == (
        "Outcome 'Base' 60%: from 1 commitment — 'Run' 60% ×1. Not counted (abandoned): 'Swim'."
    )


def test_explain_commitments():
    g = build(
        hierarchy(
            [
                commitment("c1", "Buy shoes", status="completed"),
                commitment("c2", "Run", progress=30),
                commitment("c3", "Swim", progress=10, status="abandoned"),
            ],
            [],
        )
    )
    assert explain(g, "c1").text == "Commitment 'Buy shoes' 100%: completed."
    assert explain(g, "c2").text == "Commitment 'Run' 30%: its own progress."
    assert explain(g, "c3").text == (
        "Commitment 'Swim' 10%: its own progress; abandoned, so its outcomes do not count it."
    )


def test_explain_a_sprint_is_refused():
    with pytest.raises(ValueError, match="Sprints carry no progress"):
        explain(build(tiny()), "s1")


def test_explain_agrees_with_rollup_everywhere():
    g = build(tiny())
    got = rollup(g)
    assert {n: explain(g, n).value for n in got} == got
