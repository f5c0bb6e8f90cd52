"""Which nodes the graph leaves out when the person collapses goals or outcomes, or focuses
on one goal: plain sets from the graph, so the scene only draws what is left.

- Collapse a goal or an outcome: what serves it is folded into it, unless it also serves
  something drawn and open (a commitment shared with another outcome stays).
- Focus on a goal: its subtree, and what that subtree also serves (the other outcomes and
  goals a shared commitment works for), so the sharing stays visible.

Nothing here moves a node: a folded node keeps its place and comes back to it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import networkx as nx

from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT

# Parents before children: an item's upper ends are always of an earlier kind here.
KIND_ORDER = (GOAL, OUTCOME, SPRINT, COMMITMENT)
FOLDABLE = (GOAL, OUTCOME)


def folded_away(
    g: nx.DiGraph, collapsed: Collection[str] = (), focus: str | None = None
) -> set[str]:
    """The nodes not drawn: those outside the focus goal's reach (with a focus), and those
    whose every upper end is collapsed or itself not drawn.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> g = build(tiny())
    >>> sorted(folded_away(g, {"o1"}))  # c2 also serves o2, which is open
    ['c1', 's1']
    >>> sorted(folded_away(g, {"g1"}))
    ['c1', 'c2', 'c3', 'o1', 'o2', 's1']
    """
    hidden = set(g) - reach_of(g, focus) if focus is not None and focus in g else set()
    for kind in KIND_ORDER:
        for node, data in g.nodes(data=True):
            if data["kind"] != kind or node in hidden:
                continue
            uppers = list(g.predecessors(node))
            if uppers and all(u in hidden or u in collapsed for u in uppers):
                hidden.add(node)
    return hidden


def reach_of(g: nx.DiGraph, goal: str) -> set[str]:
    """The goal, everything below it, and everything those serve."""
    below = nx.descendants(g, goal) | {goal}
    return below | _above(g, below)


def _above(g: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """Every ancestor of any of `nodes`, in one walk up."""
    seen: set[str] = set()
    todo = list(nodes)
    while todo:
        for upper in g.predecessors(todo.pop()):
            if upper not in seen:
                seen.add(upper)
                todo.append(upper)
    return seen


def folded_under(g: nx.DiGraph, node: str, hidden: Collection[str]) -> int:
    """How many of the node's descendants are folded away (the count its mark shows)."""
    return sum(1 for below in nx.descendants(g, node) if below in hidden)
