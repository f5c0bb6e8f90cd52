"""Small literal hierarchies for doctests, tests and the REPL.

Every constructor fills in what a test rarely cares about: the client is "ann" unless
given, a link's id is "upper-lower" and its kind follows from its ends' kinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.model import (
    COMMITMENT,
    GOAL,
    LINK_ENDS,
    OUTCOME,
    SPRINT,
    Hierarchy,
    Item,
    Link,
)

# A pair of item ids, optionally with a weight: ("o1", "c1") or ("o1", "c1", 2).
LinkSpec = tuple[str, str] | tuple[str, str, float] | Link

_KIND_OF_ENDS = {ends: kind for kind, ends in LINK_ENDS.items()}


def item(
    kind: str, id: str, title: str = "", root: str = "ann", deleted: bool = False, **fields: Any
) -> Item:
    """An item of any kind; `fields` become its `fields` dict.

    Examples
    --------
    >>> item("goal", "g1", "Run 10k").kind
    'goal'
    """
    return Item(id=id, kind=kind, root_id=root, title=title or id, deleted=deleted, fields=fields)


def goal(id: str, title: str = "", **kw: Any) -> Item:
    """A goal item; see `item`."""
    return item(GOAL, id, title, **kw)


def outcome(id: str, title: str = "", **kw: Any) -> Item:
    """An outcome item; see `item`."""
    return item(OUTCOME, id, title, **kw)


def sprint(id: str, title: str = "", **kw: Any) -> Item:
    """A sprint item; see `item`."""
    return item(SPRINT, id, title, **kw)


def commitment(id: str, title: str = "", **kw: Any) -> Item:
    """A commitment item; see `item`."""
    return item(COMMITMENT, id, title, **kw)


def hierarchy(
    items: Iterable[Item],
    links: Iterable[LinkSpec] = (),
    clients: dict[str, str] | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
) -> Hierarchy:
    """A Hierarchy from items and (upper, lower[, weight]) pairs; clients default to the roots seen.

    Examples
    --------
    >>> h = hierarchy([goal("g1"), outcome("o1")], [("g1", "o1")])
    >>> h.links[0].kind, h.clients
    ('outcome_goal', {'ann': 'Ann'})
    """
    by_id = {i.id: i for i in items}
    if clients is None:
        clients = {i.root_id: i.root_id.title() for i in by_id.values()}
    made = [spec if isinstance(spec, Link) else _link(by_id, *spec) for spec in links]
    return Hierarchy(items=by_id, links=made, clients=clients, positions=dict(positions or {}))


def _link(items: dict[str, Item], upper: str, lower: str, weight: float = 1.0) -> Link:
    """A link whose kind and root come from its ends (the upper end's root wins)."""
    ends = (items[upper].kind, items[lower].kind) if upper in items and lower in items else None
    kind = _KIND_OF_ENDS.get(ends, "unknown") if ends else "unknown"
    root = items[upper].root_id if upper in items else items[lower].root_id
    return Link(
        id=f"{upper}-{lower}", kind=kind, upper=upper, lower=lower, root_id=root, weight=weight
    )


def tiny() -> Hierarchy:
    """One client's goal with two outcomes, a sprint and three commitments.

    ``g1 -> o1, o2``; ``o1 -> s1, c1, c2``; ``o2 -> c2 (weight 2), c3``.

    Examples
    --------
    >>> sorted(tiny().items)
    ['c1', 'c2', 'c3', 'g1', 'o1', 'o2', 's1']
    """
    return hierarchy(
        [
            goal("g1", "Run 10k"),
            outcome("o1", "Build base"),
            outcome("o2", "Race ready"),
            sprint("s1", "Sprint 1", start_date="2024-01-01", end_date="2024-02-11"),
            commitment("c1", "Buy shoes", status="completed", target_date="2024-01-10"),
            commitment("c2", "Run 5k", progress=50, target_date="2024-02-01"),
            commitment("c3", "Stretch", progress=0),
        ],
        [
            ("g1", "o1"),
            ("g1", "o2"),
            ("o1", "s1"),
            ("o1", "c1"),
            ("o1", "c2"),
            ("o2", "c2", 2),
            ("o2", "c3"),
        ],
    )
