"""Link rules: which pairs link, which way round, and every reason a link is refused."""

import pytest

from graph import LinkRefused, check_link, is_linkable, orient, refusal
from graph.examples import commitment, goal, item, outcome, sprint

ALLOWED = [
    ("goal", "outcome", ("outcome_goal", True)),
    ("outcome", "goal", ("outcome_goal", False)),
    ("outcome", "sprint", ("outcome_sprint", True)),
    ("sprint", "outcome", ("outcome_sprint", False)),
    ("outcome", "commitment", ("commitment_outcome", True)),
    ("commitment", "outcome", ("commitment_outcome", False)),
]

GOAL_SPRINT = (
    "A sprint reaches a goal through an outcome: link the sprint to one of that goal's outcomes."
)
GOAL_COMMITMENT = (
    "A commitment reaches a goal through an outcome: link it to one of that goal's outcomes."
)
SPRINT_COMMITMENT = (
    "A commitment reaches a sprint through an outcome: link both to the same outcome."
)
SESSION = (
    "Sessions are not linked in the graph: open the commitment and choose the session it came from."
)
CLIENT = (
    "Clients are not linked in the graph: everything in a client's workspace is already theirs."
)

REFUSED = [
    ("goal", "sprint", GOAL_SPRINT),
    ("sprint", "goal", GOAL_SPRINT),
    ("goal", "commitment", GOAL_COMMITMENT),
    ("commitment", "goal", GOAL_COMMITMENT),
    ("sprint", "commitment", SPRINT_COMMITMENT),
    ("commitment", "sprint", SPRINT_COMMITMENT),
    (
        "goal",
        "goal",
        "Goals do not link to each other: link each goal to the outcomes that serve it.",
    ),
    (
        "outcome",
        "outcome",
        "Outcomes do not link to each other: link each outcome to the goals it serves.",
    ),
    (
        "sprint",
        "sprint",
        "Sprints do not link to each other: link each sprint to the outcomes it works on.",
    ),
    (
        "commitment",
        "commitment",
        "Commitments do not link to each other: link each commitment to the outcomes it serves.",
    ),
    ("session", "commitment", SESSION),
    ("outcome", "session", SESSION),
    ("client", "goal", CLIENT),
    ("goal", "client", CLIENT),
    ("note", "goal", "Only goals, outcomes, sprints and commitments can be linked, not 'note'."),
]


@pytest.mark.parametrize(("a", "b", "expected"), ALLOWED)
def test_allowed_pairs_link_in_either_drag_direction(a, b, expected):
    assert orient(a, b) == expected


@pytest.mark.parametrize(("a", "b", "message"), REFUSED)
def test_wrong_pairs_are_refused_naming_the_right_path(a, b, message):
    with pytest.raises(LinkRefused) as refused:
        orient(a, b)
    assert str(refused.value) == message


def test_link_refused_is_a_value_error():
    assert issubclass(LinkRefused, ValueError)


def test_check_link_orients_either_drag_direction():
    c, o = commitment("c1"), outcome("o1")
    assert check_link(c, o, linked=False) == ("commitment_outcome", "o1", "c1")
    assert check_link(o, c, linked=False) == ("commitment_outcome", "o1", "c1")
    assert check_link(sprint("s1"), o, linked=False) == ("outcome_sprint", "o1", "s1")
    assert check_link(goal("g1"), o, linked=False) == ("outcome_goal", "g1", "o1")


def test_refusal_is_none_for_a_good_link():
    assert refusal(goal("g1", "Run 10k"), outcome("o1", "Base"), linked=False) is None
    assert is_linkable(goal("g1"), outcome("o1"), linked=False)


def test_refusal_names_both_titles_for_a_wrong_pair():
    reason = refusal(commitment("c1", "Buy shoes"), goal("g1", "Run 10k"), linked=False)
    assert reason == f"Commitment 'Buy shoes' cannot link to goal 'Run 10k'. {GOAL_COMMITMENT}"


def test_refusal_keeps_links_within_one_client():
    reason = refusal(outcome("o1", "Base"), goal("g9", "Sleep well", root="bob"), linked=False)
    assert reason == "'Sleep well' belongs to another client; links stay within one client."


@pytest.mark.parametrize("trashed", ["a", "b"])
def test_refusal_when_either_item_is_in_the_trash(trashed):
    a = outcome("o1", "Base", deleted=trashed == "a")
    b = commitment("c1", "Buy shoes", deleted=trashed == "b")
    title = "Base" if trashed == "a" else "Buy shoes"
    assert refusal(a, b, linked=False) == f"'{title}' is in the trash: restore it before linking."


def test_refusal_when_already_linked():
    reason = refusal(outcome("o1", "Base"), commitment("c1", "Buy shoes"), linked=True)
    assert reason == "'Base' and 'Buy shoes' are already linked."
    assert not is_linkable(outcome("o1"), commitment("c1"), linked=True)


def test_refusal_of_an_item_linked_to_itself():
    o = outcome("o1", "Base")
    assert refusal(o, o, linked=False) == "'Base' cannot be linked to itself."


def test_a_wrong_pair_is_named_before_other_reasons():
    reason = refusal(goal("g1", "A"), sprint("s1", "B", root="bob", deleted=True), linked=True)
    assert reason == f"Goal 'A' cannot link to sprint 'B'. {GOAL_SPRINT}"


def test_check_link_raises_the_refusal():
    with pytest.raises(LinkRefused, match="belongs to another client"):
        check_link(outcome("o1"), commitment("c1", root="bob"), linked=False)


def test_refusal_of_a_session_item():
    reason = refusal(item("session", "x1", "Week 3"), commitment("c1", "Run"), linked=False)
    assert reason == f"Session 'Week 3' cannot link to commitment 'Run'. {SESSION}"
