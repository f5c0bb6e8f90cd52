"""What an item reaches through the hierarchy: its goals, sprints, ancestors and descendants.

There are no direct goal-commitment or sprint-commitment links; these are derived through
outcomes. A node that is not in the graph (e.g. it is in the trash) reaches nothing.
"""

from __future__ import annotations

import networkx as nx

from graph.build import children, parents
from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT


def ancestors(g: nx.DiGraph, node: str) -> set[str]:
    """Everything `node` serves, up to the goals: a commitment's outcomes and their goals.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> sorted(ancestors(build(tiny()), "c2"))
    ['g1', 'o1', 'o2']
    """
    return nx.ancestors(g, node) if node in g else set()


def descendants(g: nx.DiGraph, node: str) -> set[str]:
    """Everything that serves `node`: a goal's outcomes and their sprints and commitments.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> sorted(descendants(build(tiny()), "o2"))
    ['c2', 'c3']
    """
    return nx.descendants(g, node) if node in g else set()


def outcome_goals(g: nx.DiGraph, outcome_id: str) -> set[str]:
    """The goals an outcome serves directly.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> outcome_goals(build(tiny()), "o1")
    {'g1'}
    """
    return set(parents(g, outcome_id, GOAL)) if outcome_id in g else set()


def _outcomes(g: nx.DiGraph, node: str) -> list[str]:
    """The outcomes a sprint or commitment hangs from."""
    return parents(g, node, OUTCOME) if node in g else []


def derive_goals(g: nx.DiGraph, commitment_id: str) -> set[str]:
    """The goals a commitment (or sprint) serves, through its outcomes.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> derive_goals(build(tiny()), "c3")
    {'g1'}
    """
    return {goal for o in _outcomes(g, commitment_id) for goal in parents(g, o, GOAL)}


def derive_sprints(g: nx.DiGraph, commitment_id: str) -> set[str]:
    """The sprints a commitment falls in: those working on any of its outcomes.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> g = build(tiny())
    >>> derive_sprints(g, "c1"), derive_sprints(g, "c3")
    ({'s1'}, set())
    """
    return {s for o in _outcomes(g, commitment_id) for s in children(g, o, SPRINT)}


def derive_commitments(g: nx.DiGraph, sprint_id: str) -> set[str]:
    """The commitments a sprint carries: those serving any outcome the sprint works on.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> sorted(derive_commitments(build(tiny()), "s1"))
    ['c1', 'c2']
    """
    return {c for o in _outcomes(g, sprint_id) for c in children(g, o, COMMITMENT)}


def related(g: nx.DiGraph, node: str) -> set[str]:
    """What to highlight with `node`: its ancestors, descendants and the work sharing its outcomes.

    Sprints and commitments both hang from outcomes, so neither is the other's ancestor; a
    commitment's sprints (and a sprint's commitments) are added here because they meet at the
    same outcomes. For goals and outcomes this is just ancestors and descendants, which already
    include the sprints and commitments below them. Siblings of the same kind are left out:
    sharing an outcome does not make two commitments related.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> sorted(related(build(tiny()), "c1"))
    ['g1', 'o1', 's1']
    >>> sorted(related(build(tiny()), "s1"))
    ['c1', 'c2', 'g1', 'o1']
    """
    found = ancestors(g, node) | descendants(g, node)
    kind = g.nodes[node]["kind"] if node in g else None
    if kind == COMMITMENT:
        found |= derive_sprints(g, node)
    elif kind == SPRINT:
        found |= derive_commitments(g, node)
    return found
