"""Which items may be linked, in which direction, and why not when they may not.

Only three pairs link, in either drag direction: goal-outcome, outcome-sprint and
outcome-commitment. Everything else reaches its relatives through an outcome, and the
refusal says so, so the person knows which link to make instead.
"""

from __future__ import annotations

from graph.errors import LinkRefused
from graph.model import (
    CLIENT,
    COMMITMENT,
    GOAL,
    LINK_ENDS,
    NODE_KINDS,
    OUTCOME,
    SESSION,
    SPRINT,
    Item,
)

# (upper kind, lower kind) -> link kind
_ALLOWED = {ends: kind for kind, ends in LINK_ENDS.items()}

# The way round each wrong pair: the sentence a refusal ends with.
_WRONG_PAIRS = {
    frozenset((GOAL, SPRINT)): (
        "A sprint reaches a goal through an outcome: "
        "link the sprint to one of that goal's outcomes."
    ),
    frozenset((GOAL, COMMITMENT)): (
        "A commitment reaches a goal through an outcome: link it to one of that goal's outcomes."
    ),
    frozenset((SPRINT, COMMITMENT)): (
        "A commitment reaches a sprint through an outcome: link both to the same outcome."
    ),
    frozenset(
        (GOAL,)
    ): "Goals do not link to each other: link each goal to the outcomes that serve it.",
    frozenset(
        (OUTCOME,)
    ): "Outcomes do not link to each other: link each outcome to the goals it serves.",
    frozenset(
        (SPRINT,)
    ): "Sprints do not link to each other: link each sprint to the outcomes it works on.",
    frozenset((COMMITMENT,)): (
        "Commitments do not link to each other: link each commitment to the outcomes it serves."
    ),
}

_SESSION_REASON = (
    "Sessions are not linked in the graph: open the commitment and choose the session it came from."
)
_CLIENT_REASON = (
    "Clients are not linked in the graph: everything in a client's workspace is already theirs."
)


def orient(kind_a: str, kind_b: str) -> tuple[str, bool]:
    """The link kind for kinds dragged a -> b, and whether `a` is the upper end.

    Raises `LinkRefused` for any other pair, naming the path that does connect them.

    Examples
    --------
    >>> orient("commitment", "outcome")
    ('commitment_outcome', False)
    >>> orient("goal", "outcome")
    ('outcome_goal', True)
    >>> orient("commitment", "goal")
    Traceback (most recent call last):
    ...
    graph.errors.LinkRefused: A commitment reaches a goal through an outcome: \
link it to one of that goal's outcomes.
    """
    if (kind_a, kind_b) in _ALLOWED:
        return _ALLOWED[kind_a, kind_b], True
    if (kind_b, kind_a) in _ALLOWED:
        return _ALLOWED[kind_b, kind_a], False
    raise LinkRefused(_pair_reason(kind_a, kind_b))


def _pair_reason(kind_a: str, kind_b: str) -> str:
    """Why two kinds never link, and what to link instead."""
    kinds = {kind_a, kind_b}
    if SESSION in kinds:
        return _SESSION_REASON
    if CLIENT in kinds:
        return _CLIENT_REASON
    unknown = sorted(kinds - set(NODE_KINDS))
    if unknown:
        return f"Only goals, outcomes, sprints and commitments can be linked, not '{unknown[0]}'."
    return _WRONG_PAIRS[frozenset(kinds)]


def is_allowed_pair(kind_a: str, kind_b: str) -> bool:
    """Whether items of these two kinds may link at all, in either order.

    Examples
    --------
    >>> is_allowed_pair("sprint", "outcome"), is_allowed_pair("sprint", "commitment")
    (True, False)
    """
    return (kind_a, kind_b) in _ALLOWED or (kind_b, kind_a) in _ALLOWED


def refusal(a: Item, b: Item, linked: bool) -> str | None:
    """Why `a` (dragged) may not be linked to `b` (dropped on), or None if it may.

    Reasons, first match wins: the same item, a pair of kinds that never link, different
    clients, either item in the trash, already linked.

    Examples
    --------
    >>> from graph.examples import commitment, goal, outcome
    >>> print(refusal(commitment("c1", "Buy shoes"), outcome("o1", "Build base"), linked=False))
    None
    >>> print(refusal(commitment("c1", "Buy shoes"), outcome("o2", "Sleep", root="bob"), False))
    'Sleep' belongs to another client; links stay within one client.
    >>> print(refusal(commitment("c1", "Buy shoes"), goal("g1", "Run 10k"), False))
    Commitment 'Buy shoes' cannot link to goal 'Run 10k'. A commitment reaches a goal \
through an outcome: link it to one of that goal's outcomes.
    """
    if a.id == b.id:
        return f"'{a.title}' cannot be linked to itself."
    if not is_allowed_pair(a.kind, b.kind):
        lead = f"{a.kind.capitalize()} '{a.title}' cannot link to {b.kind} '{b.title}'."
        return f"{lead} {_pair_reason(a.kind, b.kind)}"
    if a.root_id != b.root_id:
        return f"'{b.title}' belongs to another client; links stay within one client."
    trashed = [i for i in (a, b) if i.deleted]
    if trashed:
        return f"'{trashed[0].title}' is in the trash: restore it before linking."
    if linked:
        return f"'{a.title}' and '{b.title}' are already linked."
    return None


def is_linkable(a: Item, b: Item, linked: bool) -> bool:
    """Whether a link between `a` and `b` may be made now.

    Examples
    --------
    >>> from graph.examples import goal, outcome
    >>> is_linkable(goal("g1"), outcome("o1"), linked=False)
    True
    >>> is_linkable(goal("g1"), outcome("o1"), linked=True)
    False
    """
    return refusal(a, b, linked) is None


def check_link(a: Item, b: Item, linked: bool) -> tuple[str, str, str]:
    """The (link kind, upper id, lower id) to store for linking `a` and `b`, or `LinkRefused`.

    Examples
    --------
    >>> from graph.examples import commitment, outcome
    >>> check_link(commitment("c1"), outcome("o1"), linked=False)
    ('commitment_outcome', 'o1', 'c1')
    >>> check_link(commitment("c1", "Buy shoes"), outcome("o1", "Base"), linked=True)
    Traceback (most recent call last):
    ...
    graph.errors.LinkRefused: 'Buy shoes' and 'Base' are already linked.
    """
    reason = refusal(a, b, linked)
    if reason is not None:
        raise LinkRefused(reason)
    kind, a_is_upper = orient(a.kind, b.kind)
    return (kind, a.id, b.id) if a_is_upper else (kind, b.id, a.id)
