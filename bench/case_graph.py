"""Cases 3 and 4: the graph layer on one whole client.

3. `graph.build` + `graph.check` against building the same NetworkX DiGraph alone (the same
   live nodes and shown links with the same attributes, straight through NetworkX).
4. `graph.layout` of the whole client: seconds and edge crossings, no target.
"""

from __future__ import annotations

import inspect
from collections import Counter

import networkx as nx

import graph
from bench.context import Context
from bench.timing import Result, median_of, once, paired
from graph.build import edge_attrs, node_attrs
from graph.model import Hierarchy
from graph.routing import drawn_crossings, graph_links
from store.load import load_hierarchy
from store.opening import close_database, open_database


def load(ctx: Context) -> Hierarchy:
    open_database(ctx.big)
    try:
        return load_hierarchy(ctx.root)
    finally:
        close_database()


def bare_graph(h: Hierarchy) -> nx.DiGraph:
    """The baseline: the DiGraph graph.build makes, built with NetworkX's bulk calls."""
    g = nx.DiGraph(positions=dict(h.positions), clients=dict(h.clients))
    g.add_nodes_from((i.id, node_attrs(i)) for i in h.items.values() if not i.deleted)
    g.add_edges_from(
        (link.upper, link.lower, edge_attrs(link))
        for link in h.links
        if link.upper in g and link.lower in g
    )
    return g


def build_and_check(h: Hierarchy) -> list[graph.Finding]:
    """What the app does: build the graph, then check (handing it the graph if check takes one)."""
    g = graph.build(h)
    if len(inspect.signature(graph.check).parameters) > 1:
        return graph.check(h, g)
    return graph.check(h)


def check_case(ctx: Context, h: Hierarchy) -> Result:
    built, bare = graph.build(h), bare_graph(h)
    same = sorted(built.nodes) == sorted(bare.nodes) and sorted(built.edges) == sorted(bare.edges)
    findings = graph.check(h)
    severities = Counter(f.severity for f in findings)
    if severities["error"]:
        raise RuntimeError(f"The generated workspace has {severities['error']} check errors.")
    ours, base = paired(lambda: build_and_check(h), lambda: bare_graph(h), ctx.reps(9, 2))
    extra = {
        "nodes": built.number_of_nodes(),
        "edges": built.number_of_edges(),
        "same_graph_as_baseline": same,
        "findings": dict(Counter(f.code for f in findings)),
        "build_alone_seconds": median_of(lambda: graph.build(h), ctx.reps(5, 1)),
        "check_alone_seconds": median_of(lambda: graph.check(h), ctx.reps(5, 1)),
    }
    return Result(
        "check",
        "build graph + full check",
        ours,
        base,
        ("max", 3.0),
        ours_label="graph.build + graph.check",
        baseline_label="the same nx.DiGraph from add_nodes_from/add_edges_from",
        extra=extra,
    )


def layout_case(ctx: Context, h: Hierarchy) -> Result:
    g = graph.build(h)
    positions: dict = {}

    def run_layout() -> None:
        positions.clear()
        positions.update(graph.layout(h))

    seconds = median_of(run_layout, ctx.reps(3, 1), warm=False)
    first = once(lambda: graph.layout(g, positions={}))
    extra = {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "crossings": graph.count_crossings(g, positions),
        # Every pair of drawn links that cross, long links through each row they pass (the
        # figure `truth` compares with igraph and dot); "crossings" counts kind rows only.
        "drawn_crossings": drawn_crossings(graph_links(g), positions),
        "prebuilt_graph_seconds": first,
    }
    return Result(
        "layout",
        "layout of the whole client",
        seconds,
        ours_label="graph.layout (all nodes unplaced)",
        extra=extra,
    )


def run(ctx: Context) -> list[Result]:
    h = load(ctx)
    return [check_case(ctx, h), layout_case(ctx, h)]
