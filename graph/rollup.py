"""Progress rolled up the hierarchy: commitments -> outcomes -> goals, weighted by link weight.

- A commitment's progress is its own ``progress`` (0-100); "completed" counts 100.
- An outcome's is the weighted mean of its commitments', a goal's of its outcomes'; each
  child counts by the weight of the link joining it to that parent. A child serving two
  parents counts toward each by its own link, and once per parent (one edge per pair).
- Abandoned children are left out of their parents' mean.
- ``progress_mode == "manual"`` keeps the outcome's (goal's) own ``progress``; so does
  having no counted children.

Sprints are timeboxes, not work: they carry no progress and are not in `rollup`'s result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from graph.build import children
from graph.model import COMMITMENT, GOAL, OUTCOME, Hierarchy

MANUAL, DERIVED, OWN = "manual", "derived", "own"

# parent kind -> the kind of child its progress comes from
_CHILD_KIND = {OUTCOME: COMMITMENT, GOAL: OUTCOME}
_PLURAL = {COMMITMENT: "commitments", OUTCOME: "outcomes"}


class Part(NamedTuple):
    """One child's share in a parent's progress: (id, title, value, weight)."""

    id: str
    title: str
    value: float
    weight: float


@dataclass(frozen=True)
class Explanation:
    """Where a node's progress comes from; ``str()`` reads it to a person.

    ``mode`` is "manual" (set by hand), "derived" (weighted mean of ``parts``) or "own"
    (its own progress: a commitment, or nothing counted below it). ``excluded`` lists the
    children left out, as (id, title).
    """

    node: str
    kind: str
    title: str
    value: float
    mode: str
    parts: list[Part] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    status: str | None = None

    @property
    def text(self) -> str:
        """One or two sentences a person can read."""
        head = f"{self.kind.capitalize()} '{self.title}' {percent(self.value)}"
        return f"{head}: {self._reason()}{self._left_out()}"

    def __str__(self) -> str:
        return self.text

    def _reason(self) -> str:
        """The main clause: why the value is what it is."""
        if self.mode == MANUAL:
            return "set by hand."
        if self.mode == DERIVED:
            noun = _PLURAL[_CHILD_KIND[self.kind]]
            count = f"1 {noun[:-1]}" if len(self.parts) == 1 else f"{len(self.parts)} {noun}"
            shares = ", ".join(f"'{p.title}' {percent(p.value)} ×{p.weight:g}" for p in self.parts)
            return f"from {count} — {shares}."
        if self.kind == COMMITMENT:
            return _commitment_reason(self.status)
        return f"no {_PLURAL[_CHILD_KIND[self.kind]]} counted yet, so its own progress."

    def _left_out(self) -> str:
        """The sentence naming abandoned children, if any."""
        if not self.excluded:
            return ""
        names = ", ".join(f"'{title}'" for _id, title in self.excluded)
        return f" Not counted (abandoned): {names}."


def _commitment_reason(status: str | None) -> str:
    """Why a commitment's progress is what it is."""
    if status == "completed":
        return "completed."
    if status == "abandoned":
        return "its own progress; abandoned, so its outcomes do not count it."
    return "its own progress."


def percent(value: float) -> str:
    """A percentage for people: whole numbers plain, others to one decimal.

    Examples
    --------
    >>> percent(62.0), percent(33.333)
    ('62%', '33.3%')
    """
    rounded = round(value, 1)
    return f"{rounded:.0f}%" if rounded == int(rounded) else f"{rounded:.1f}%"


def own_progress(g: nx.DiGraph, node: str) -> float:
    """A node's own ``progress`` field, clamped to 0-100 (missing or empty counts 0)."""
    return _clamped(g.nodes[node]["item"].fields.get("progress"))


def _clamped(raw: object) -> float:
    """A progress field as a number from 0 to 100 (missing or unreadable counts 0)."""
    try:
        value = float(raw) if raw is not None else 0.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = 0.0
    return min(100.0, max(0.0, value))


def _status(g: nx.DiGraph, node: str) -> str | None:
    """The node's status field, if it has one."""
    return g.nodes[node]["item"].fields.get("status")


def _is_manual(g: nx.DiGraph, node: str) -> bool:
    """Whether the person set this node's progress by hand."""
    return g.nodes[node]["item"].fields.get("progress_mode") == MANUAL


def commitment_progress(g: nx.DiGraph, node: str) -> float:
    """A commitment's progress: 100 once completed, else its own."""
    return 100.0 if _status(g, node) == "completed" else own_progress(g, node)


def _counted(g: nx.DiGraph, node: str) -> tuple[list[str], list[str]]:
    """The node's children that count toward it, and those left out as abandoned."""
    found = sorted(children(g, node, _CHILD_KIND[g.nodes[node]["kind"]]), key=_by_title(g))
    counted = [c for c in found if _status(g, c) != "abandoned"]
    return counted, [c for c in found if c not in counted]


def _by_title(g: nx.DiGraph) -> Callable[[str], tuple[str, str]]:
    """A sort key putting nodes in title order (then id), for stable explanations."""
    return lambda n: (g.nodes[n]["title"].casefold(), n)


def _weight(g: nx.DiGraph, upper: str, lower: str) -> float:
    """The link's weight; a missing weight counts 1."""
    weight = g.edges[upper, lower].get("weight")
    return 1.0 if weight is None else float(weight)


def _weighted_mean(parts: list[Part]) -> float | None:
    """Σ weight·value / Σ weight, or None when nothing has weight."""
    return _mean([(p.value, p.weight) for p in parts])


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    """Σ weight·value / Σ weight over (value, weight) pairs, or None when nothing has weight.
    fsum: the same value in whatever order the children come (an explanation lists them by
    title, `node_value` as the graph keeps them)."""
    weighted = [(v, w) for v, w in pairs if w > 0]
    total = math.fsum(w for _v, w in weighted)
    if total <= 0:
        return None
    return math.fsum(v * w for v, w in weighted) / total


def _explain_parent(g: nx.DiGraph, node: str, values: dict[str, float]) -> Explanation:
    """An outcome's or goal's explanation, given its children's values."""
    counted, excluded = _counted(g, node)
    parts = [Part(c, g.nodes[c]["title"], values[c], _weight(g, node, c)) for c in counted]
    derived = _weighted_mean(parts)
    if _is_manual(g, node):
        value, mode = own_progress(g, node), MANUAL
    elif derived is None:
        value, mode = own_progress(g, node), OWN
    else:
        value, mode = derived, DERIVED
    return _explanation(g, node, value, mode, parts if mode == DERIVED else [], excluded)


def _explanation(
    g: nx.DiGraph, node: str, value: float, mode: str, parts: list[Part], excluded: list[str]
) -> Explanation:
    """An Explanation with the node's kind, title and status filled in."""
    data = g.nodes[node]
    left_out = [(c, g.nodes[c]["title"]) for c in excluded] if mode == DERIVED else []
    return Explanation(
        node, data["kind"], data["title"], value, mode, parts, left_out, _status(g, node)
    )


def _explain_with(g: nx.DiGraph, node: str, values: dict[str, float]) -> Explanation:
    """The explanation of any node with progress, given the values below it."""
    kind = g.nodes[node]["kind"]
    if kind == COMMITMENT:
        return _explanation(g, node, commitment_progress(g, node), OWN, [], [])
    if kind in _CHILD_KIND:
        return _explain_parent(g, node, values)
    raise ValueError(f"{kind.capitalize()}s carry no progress; outcomes and commitments do.")


def rollup(g: nx.DiGraph) -> dict[str, float]:
    """The progress (0-100) of every goal, outcome and commitment in `g`.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> values = rollup(build(tiny()))
    >>> values["c1"], values["o1"], round(values["o2"], 2), round(values["g1"], 2)
    (100.0, 75.0, 33.33, 54.17)
    >>> "s1" in values
    False
    """
    # Plain dicts: every node is read again by its parents.
    return _rolled(dict(g.nodes(data=True)), dict(g.adjacency()))


def rollup_of(h: Hierarchy) -> dict[str, float]:
    """`rollup(build(h))` without making the graph: the live items and each pair's first
    link (build's edges) as plain dicts, a third of the time at 10,000 items.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> rollup_of(tiny()) == rollup(build(tiny()))
    True
    """
    nodes = {i.id: {"kind": i.kind, "item": i} for i in h.items.values() if not i.deleted}
    below: dict[str, dict[str, dict[str, Any]]] = {node: {} for node in nodes}
    for link in h.links:
        if link.upper in nodes and link.lower in nodes:
            below[link.upper].setdefault(link.lower, {"weight": link.weight})
    return _rolled(nodes, below)


def _rolled(
    nodes: Mapping[str, Mapping[str, Any]], below: Mapping[str, Mapping[str, Mapping[str, Any]]]
) -> dict[str, float]:
    """Every commitment's, outcome's and goal's value, each kind after the kind below it."""
    values: dict[str, float] = {}
    for kind in (COMMITMENT, OUTCOME, GOAL):
        for node, data in nodes.items():
            if data["kind"] == kind:
                values[node] = value_from(data, below[node], nodes, values)
    return values


def node_value(g: nx.DiGraph, node: str, values: dict[str, float]) -> float:
    """One commitment's, outcome's or goal's progress, given the values of what serves it:
    the value `explain` gives, without the explanation (titles, sorting, parts)."""
    data = g.nodes[node]
    if data["kind"] != COMMITMENT and data["kind"] not in _CHILD_KIND:
        return _explain_with(g, node, values).value  # a sprint: refused there, in its words
    return value_from(data, g.succ[node], g.nodes, values)


def value_from(
    data: Mapping[str, Any],
    below: Mapping[str, Mapping[str, Any]],
    nodes: Mapping[str, Mapping[str, Any]],
    values: dict[str, float],
) -> float:
    """`node_value` from the node's attributes `data`, its children's edge attributes
    `below` and every node's attributes `nodes` (the graph's own mappings, or plain dicts
    of them: a roll-up of 10,000 items reads each child once, straight from them)."""
    kind, fields = data["kind"], data["item"].fields
    if kind == COMMITMENT:
        return 100.0 if fields.get("status") == "completed" else _clamped(fields.get("progress"))
    if fields.get("progress_mode") == MANUAL:
        return _clamped(fields.get("progress"))
    child_kind = _CHILD_KIND[kind]
    counted = []
    for child, edge in below.items():
        child_data = nodes[child]
        if child_data["kind"] == child_kind and child_data["item"].fields.get("status") != (
            "abandoned"
        ):
            weight = edge.get("weight")
            counted.append((values[child], 1.0 if weight is None else float(weight)))
    derived = _mean(counted)
    return _clamped(fields.get("progress")) if derived is None else derived


def explain(g: nx.DiGraph, node_id: str) -> Explanation:
    """Where one node's progress comes from: mode, value and each child's share.

    Raises ValueError for a sprint, which carries no progress.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> print(explain(build(tiny()), "o2"))
    Outcome 'Race ready' 33.3%: from 2 commitments — 'Run 5k' 50% ×2, 'Stretch' 0% ×1.
    """
    return _explain_with(g, node_id, _values_below(g, node_id))


def _values_below(g: nx.DiGraph, node: str) -> dict[str, float]:
    """The rolled-up values of the node's descendants, enough to explain it."""
    below = g.subgraph(nx.descendants(g, node) | {node})
    return rollup(below)
