"""The client's NetworkX graph from plain records: live items as nodes, links as edges.

Edges run upper -> lower (goal -> outcome -> sprint/commitment), so NetworkX's
ancestors are what a node serves and its descendants are what serves it.
"""

from __future__ import annotations

import networkx as nx

from graph.model import Hierarchy, Item, Link


def build(h: Hierarchy, include_deleted: bool = False) -> nx.DiGraph:
    """The hierarchy as a DiGraph of item ids; links with a deleted or missing end are left out.

    Nodes carry ``kind``, ``title``, ``root_id``, ``deleted`` and the ``item`` itself; edges
    carry the link's ``id``, ``kind`` and ``weight``. ``g.graph`` keeps the hand-placed
    ``positions`` and the ``clients`` names so `layout` and messages can use them.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> g = build(tiny())
    >>> g.number_of_nodes(), g.number_of_edges()
    (7, 7)
    >>> g.edges["o2", "c2"]["weight"]
    2
    """
    g = nx.DiGraph(positions=dict(h.positions), clients=dict(h.clients))
    g.add_nodes_from(
        (item.id, node_attrs(item))
        for item in h.items.values()
        if include_deleted or not item.deleted
    )
    pairs: dict[tuple[str, str], Link] = {}  # each pair's first link: the one drawn
    for link in h.links:
        if link.upper in g and link.lower in g:
            pairs.setdefault((link.upper, link.lower), link)
    g.add_edges_from((upper, lower, edge_attrs(link)) for (upper, lower), link in pairs.items())
    return g


def node_attrs(item: Item) -> dict[str, object]:
    """The attributes a node carries for one item."""
    return {
        "kind": item.kind,
        "title": item.title,
        "root_id": item.root_id,
        "deleted": item.deleted,
        "item": item,
    }


def edge_attrs(link: Link) -> dict[str, object]:
    """The attributes an edge carries for one link."""
    return {"id": link.id, "kind": link.kind, "weight": link.weight}


def is_live_link(h: Hierarchy, link: Link) -> bool:
    """Whether both ends of `link` exist and neither is in the trash, i.e. the link is shown.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> h = tiny()
    >>> is_live_link(h, h.links[0])
    True
    """
    upper, lower = h.items.get(link.upper), h.items.get(link.lower)
    return upper is not None and lower is not None and not (upper.deleted or lower.deleted)


def has_link(g: nx.DiGraph, a: str, b: str) -> bool:
    """Whether `a` and `b` are linked in either direction.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> g = build(tiny())
    >>> has_link(g, "c1", "o1"), has_link(g, "c1", "g1")
    (True, False)
    """
    return g.has_edge(a, b) or g.has_edge(b, a)


def kind_of(g: nx.DiGraph, node: str) -> str:
    """The kind of a node ("goal", "outcome", ...).

    Examples
    --------
    >>> from graph.examples import tiny
    >>> kind_of(build(tiny()), "s1")
    'sprint'
    """
    return g.nodes[node]["kind"]


def nodes_of_kind(g: nx.DiGraph, kind: str) -> list[str]:
    """The nodes of one kind, in insertion order.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> nodes_of_kind(build(tiny()), "outcome")
    ['o1', 'o2']
    """
    return [n for n, k in g.nodes(data="kind") if k == kind]


def parents(g: nx.DiGraph, node: str, kind: str | None = None) -> list[str]:
    """The nodes `node` serves directly (its upper ends), optionally only of one kind.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> parents(build(tiny()), "c2")
    ['o1', 'o2']
    """
    return [p for p in g.predecessors(node) if kind is None or g.nodes[p]["kind"] == kind]


def children(g: nx.DiGraph, node: str, kind: str | None = None) -> list[str]:
    """The nodes that serve `node` directly (its lower ends), optionally only of one kind.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> children(build(tiny()), "o1", kind="commitment")
    ['c1', 'c2']
    """
    return [c for c in g.successors(node) if kind is None or g.nodes[c]["kind"] == kind]
