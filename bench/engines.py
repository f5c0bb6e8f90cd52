"""The layout engines Trellis's drawing is compared with: igraph's Sugiyama and Graphviz dot.

Both are given the same graph and the same four lanes (goals, outcomes, commitments,
sprints: igraph through `layers`, dot through `rank=same` and `minlen`), and each drawing
is counted by `graph.routing.crossings`, from where each link meets each row: igraph's
links through its dummy vertices, dot's by following its splines to each rank's line.
Neither is a dependency of the app: `python-igraph` is the `bench` extra, dot the Debian
`graphviz` binary; a missing one is reported, not an error.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import networkx as nx

from graph.layout import layer_of
from graph.routing import crossings

DOT_SECONDS = 240  # dot on 10,000 nodes can run for many minutes: report it, don't wait


def lanes(g: nx.DiGraph) -> tuple[list[str], list[int]]:
    nodes = list(g)
    return nodes, [layer_of(g.nodes[n].get("kind", "")) for n in nodes]


def igraph_crossings(g: nx.DiGraph, own_layers: bool = False) -> int | str:
    """Crossings of igraph's Sugiyama drawing in the same lanes (or in the layers it
    chooses itself, `own_layers`), or why there is none."""
    try:
        import igraph
    except ImportError:
        return "not installed (pip install -e '.[bench]')"
    nodes, layers = lanes(g)
    index = {n: i for i, n in enumerate(nodes)}
    # Each edge from its higher lane to its lower one, as every drawing here runs.
    edges = [tuple(sorted((index[u], index[v]), key=lambda i: layers[i])) for u, v in g.edges()]
    graph = igraph.Graph(n=len(nodes), edges=edges, directed=True)
    layout = graph.layout_sugiyama(layers=None if own_layers else layers)
    coords = layout.coords
    routes = []
    # edge_routing: each edge's dummy vertices (x, y), one per row it passes.
    for (u, v), bends in zip(edges, layout.edge_routing, strict=True):
        points = [(y, x) for x, y in bends]
        routes.append([(coords[u][1], coords[u][0]), *points, (coords[v][1], coords[v][0])])
    return crossings(routes)


def dot_crossings(
    g: nx.DiGraph, seconds: float = DOT_SECONDS, own_ranks: bool = False
) -> int | str:
    """Crossings of Graphviz dot's drawing (its splines) in the same lanes (or in the ranks
    it chooses itself, `own_ranks`), or why there is none."""
    if shutil.which("dot") is None:
        return "not installed"
    nodes, layers = lanes(g)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "g.dot"
        source.write_text(dot_source(g, nodes, layers, own_ranks))
        try:
            done = subprocess.run(
                ["dot", "-Tplain", str(source)],
                capture_output=True,
                text=True,
                timeout=seconds,
            )
        except subprocess.TimeoutExpired:
            return f"gave up after {seconds:.0f} s"
    if done.returncode != 0:
        return f"failed: {done.stderr.strip()[:200]}"
    return crossings(dot_routes(done.stdout))


def dot_source(g: nx.DiGraph, nodes: list[str], layers: list[int], own: bool = False) -> str:
    """The graph in DOT, node boxes in our proportions, one rank per lane (unless `own`)."""
    index = {n: i for i, n in enumerate(nodes)}
    lines = ["digraph G {", 'node [shape=box, width=2.5, height=1, fixedsize=true, label=""];']
    for lane in [] if own else sorted(set(layers)):
        members = " ".join(f"n{i};" for i, layer in enumerate(layers) if layer == lane)
        lines.append(f"{{rank=same; {members}}}")
    for u, v in g.edges():
        a, b = sorted((index[u], index[v]), key=lambda i: layers[i])  # drawn top down
        span = layers[b] - layers[a]
        extra = f" [minlen={span}]" if span > 1 and not own else ""
        lines.append(f"n{a} -> n{b}{extra};")
    lines.append("}")
    return "\n".join(lines)


def dot_routes(plain: str) -> list[list[tuple[float, float]]]:
    """Where each of dot's splines meets each rank's line, from `dot -Tplain` output."""
    centre: dict[str, tuple[float, float]] = {}
    splines: list[tuple[str, str, list[tuple[float, float]]]] = []
    for line in plain.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            centre[parts[1]] = (float(parts[2]), -float(parts[3]))  # y down, as ours
        elif parts and parts[0] == "edge":
            n = int(parts[3])
            points = [(float(parts[4 + 2 * i]), -float(parts[5 + 2 * i])) for i in range(n)]
            splines.append((parts[1], parts[2], points))
    ranks = sorted({y for _x, y in centre.values()})
    routes = []
    for tail, head, points in splines:
        (xa, ya), (xb, yb) = centre[tail], centre[head]
        between = [y for y in ranks if ya < y < yb]
        routes.append([(ya, xa), *((y, spline_x(points, y)) for y in between), (yb, xb)])
    return routes


def spline_x(points: list[tuple[float, float]], y: float) -> float:
    """The x where a chain of cubic Béziers first reaches height `y` (sampled finely)."""
    prev = points[0]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i : i + 4]
        for k in range(1, 33):
            t = k / 32
            u = 1 - t
            a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            cur = (
                a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
            )
            if (prev[1] - y) * (cur[1] - y) <= 0 and cur[1] != prev[1]:
                return prev[0] + (cur[0] - prev[0]) * (y - prev[1]) / (cur[1] - prev[1])
            prev = cur
    return points[-1][0]
