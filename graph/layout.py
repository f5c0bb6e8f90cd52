"""Layered positions for the graph view: goals on top, then outcomes, then the work below.

Layers: 0 goals, 1 outcomes, 2 sprints *and* commitments together. Both hang from outcomes,
so sharing one row keeps every link between neighbouring rows (no long edges to route past
a row of sprints) and lets each sprint sit beside the commitments of the outcomes it works
on. Any other kind goes in a row of its own below.

Order within rows comes from barycenter sweeps (down then up, a few rounds), keeping the best
order seen, the input order included, so a layout never has more crossings than its input.
x positions then sit each node as close as they can to the mean of its already-placed
neighbours while keeping order and spacing (isotonic regression, linear time), starting
from the widest row. Positions are node centres; rows are `Y_STEP` apart.

The bottom row (the work) is usually far wider than the rows above it: a dozen commitments
under three outcomes. Drawn in one line, fitting it on screen shrinks every title past
reading. So a bottom row of up to `WRAP_MAX` nodes is drawn in up to `MAX_SUBROWS`
staggered sub-rows, `SUB_STEP` apart, like bricks: the left-to-right order, and so the
crossings, stay exactly those of one row.

Nodes the person placed by hand keep their saved positions and are never moved; computed
nodes in a row are pushed right past any hand-placed node they would overlap.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping
from itertools import pairwise

import networkx as nx

from graph.build import build
from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT, Hierarchy

NODE_W = 180.0
NODE_H = 70.0
H_GAP = 40.0
V_GAP = 90.0
X_STEP = NODE_W + H_GAP
Y_STEP = NODE_H + V_GAP
ROUNDS = 4
SUB_STEP = NODE_H + 25
MAX_SUBROWS = 4
WRAP_MIN = 4  # a bottom row this narrow, or narrower than the widest row above, stays one line
WRAP_MAX = 40  # ...and so does one this wide: no wrapping makes it readable on one screen

LAYER_OF_KIND = {GOAL: 0, OUTCOME: 1, SPRINT: 2, COMMITMENT: 2}
OTHER_LAYER = 3

Point = tuple[float, float]


def layout(
    source: Hierarchy | nx.DiGraph,
    only: Iterable[str] | None = None,
    positions: Mapping[str, Point] | None = None,
) -> dict[str, Point]:
    """Positions (node centres) for every node: saved ones kept, the others computed.

    Parameters
    ----------
    source : Hierarchy or DiGraph
        A hierarchy (its live items are laid out) or a graph from `build`.
    only : iterable of ids, optional
        Compute positions for just these nodes, even if they have saved ones; other nodes
        keep their saved positions, and nodes with neither are left out of the result.
    positions : mapping, optional
        Saved positions; by default ``h.positions`` (or ``g.graph["positions"]``).

    Examples
    --------
    >>> from graph.examples import tiny
    >>> h = tiny()
    >>> pos = layout(h)
    >>> pos["g1"][1] < pos["o1"][1] < pos["c1"][1] == pos["s1"][1]
    True
    >>> h.positions["g1"] = (5.0, -300.0)
    >>> layout(h)["g1"]
    (5.0, -300.0)
    """
    g = source if isinstance(source, nx.Graph) else build(source)
    if positions is None:
        positions = (
            source.positions if isinstance(source, Hierarchy) else g.graph.get("positions", {})
        )
    free = _free_nodes(g, positions, only)
    fixed = {n: _point(positions[n]) for n in g if n in positions and n not in free}
    layers = order_layers(g, _with_neighbours(g, free))
    return {**fixed, **_place(g, layers, free, fixed)}


def _point(value: Iterable[float]) -> Point:
    """A saved position as a float pair."""
    x, y = value
    return float(x), float(y)


def _free_nodes(g: nx.DiGraph, saved: Mapping[str, Point], only: Iterable[str] | None) -> set[str]:
    """The nodes to compute: those asked for, or every node without a saved position."""
    if only is not None:
        return {n for n in only if n in g}
    return {n for n in g if n not in saved}


def _with_neighbours(g: nx.DiGraph, nodes: set[str]) -> list[str]:
    """`nodes` and their neighbours, in graph order: what their order in a row depends on."""
    if len(nodes) == len(g):
        return list(g)
    wanted = set(nodes)
    for n in nodes:
        wanted.update(g.predecessors(n))
        wanted.update(g.successors(n))
    return [n for n in g if n in wanted]


def layer_of(kind: str) -> int:
    """The row a kind goes in: 0 goals, 1 outcomes, 2 sprints and commitments.

    Examples
    --------
    >>> layer_of("goal"), layer_of("sprint"), layer_of("commitment")
    (0, 2, 2)
    """
    return LAYER_OF_KIND.get(kind, OTHER_LAYER)


# -- order within rows ----------------------------------------------------------------------


def order_layers(g: nx.DiGraph, nodes: Iterable[str] | None = None) -> list[list[str]]:
    """`nodes` (default: all) by row, each row ordered to reduce crossings between rows.

    Rounds of one-sided sweeps (each row by its neighbours in the row just placed) come first;
    then rounds that weigh both neighbouring rows, which stops a thin row of goals from
    scrambling the outcomes that a thick row of commitments depends on. The order with the
    fewest crossings wins, the input order included.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_nodes_from(["a", "b"], kind="goal")
    >>> g.add_nodes_from(["x", "y"], kind="outcome")
    >>> g.add_edges_from([("a", "y"), ("b", "x")])
    >>> order_layers(g)[:2]
    [['a', 'b'], ['y', 'x']]
    """
    layers = _initial_layers(g, list(g) if nodes is None else nodes)
    up, down = _adjacent(g, layers)
    both = {n: up[n] + down[n] for n in up}
    lonely = {n for n, near in both.items() if not near}
    best, fewest = layers, _layer_crossings(layers, down)
    for above, below in ((up, down), (both, both)):
        layers = [list(row) for row in best]
        for _ in range(ROUNDS):
            if fewest == 0 or not _sweep(layers, above, below, lonely):
                break
            crossings = _layer_crossings(layers, down)
            if crossings < fewest:
                best, fewest = [list(row) for row in layers], crossings
    return best


def _initial_layers(g: nx.DiGraph, nodes: Iterable[str]) -> list[list[str]]:
    """Nodes grouped by row, in the order given."""
    layers: list[list[str]] = [[] for _ in range(OTHER_LAYER + 1)]
    for n in nodes:
        layers[layer_of(g.nodes[n].get("kind", ""))].append(n)
    return layers


def _adjacent(
    g: nx.DiGraph, layers: list[list[str]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each node's neighbours in the row above and in the row below (among the ordered nodes)."""
    row = {n: i for i, nodes in enumerate(layers) for n in nodes}
    up: dict[str, list[str]] = {n: [] for n in row}
    down: dict[str, list[str]] = {n: [] for n in row}
    for a, b in g.subgraph(row).edges():
        top, bottom = (a, b) if row[a] < row[b] else (b, a)
        if row[bottom] - row[top] == 1:
            down[top].append(bottom)
            up[bottom].append(top)
    return up, down


def _sweep(
    layers: list[list[str]],
    above: dict[str, list[str]],
    below: dict[str, list[str]],
    lonely: set[str],
) -> bool:
    """One round: reorder rows top down by `above`, then bottom up by `below`; True if moved."""
    before = [list(row) for row in layers]
    pos = _relative_positions(layers)
    for i in range(1, len(layers)):
        _reorder(layers, i, above, pos, lonely)
    for i in range(len(layers) - 2, -1, -1):
        _reorder(layers, i, below, pos, lonely)
    return layers != before


def _relative_positions(layers: list[list[str]]) -> dict[str, float]:
    """Each node's place in its row scaled to 0..1, so rows of different widths compare."""
    return {n: (j + 0.5) / len(row) for row in layers for j, n in enumerate(row)}


def _reorder(
    layers: list[list[str]],
    i: int,
    nbrs: dict[str, list[str]],
    pos: dict[str, float],
    lonely: set[str],
) -> None:
    """Sort row `i` by the mean place of each node's neighbours; unlinked nodes go last."""
    row = layers[i]

    def key(n: str) -> tuple[bool, float, float]:
        near = nbrs[n]
        bary = sum(pos[m] for m in near) / len(near) if near else pos[n]
        return (n in lonely, bary, pos[n])

    row.sort(key=key)
    pos.update({n: (j + 0.5) / len(row) for j, n in enumerate(row)})


def _layer_crossings(layers: list[list[str]], down: dict[str, list[str]]) -> int:
    """Crossings between each pair of neighbouring rows, for this order."""
    total = 0
    for top, bottom in pairwise(layers):
        place = {n: j for j, n in enumerate(bottom)}
        total += _inversions([(j, place[b]) for j, a in enumerate(top) for b in down[a]])
    return total


def _inversions(pairs: list[tuple[float, float]]) -> int:
    """How many pairs of segments (a1, b1), (a2, b2) have a1 < a2 but b1 > b2, i.e. cross.

    Sorting by (a, b) and counting, with a Fenwick tree over the ranks of b, how many earlier
    segments end further right: O(E log E).
    """
    pairs = sorted(pairs)
    ranks = sorted({b for _a, b in pairs})
    tree = [0] * (len(ranks) + 1)
    total = 0
    for seen, (_a, b) in enumerate(pairs):
        r = bisect_left(ranks, b) + 1
        total += seen - _prefix(tree, r)
        while r < len(tree):
            tree[r] += 1
            r += r & -r
    return total


def _prefix(tree: list[int], r: int) -> int:
    """How many recorded ranks are <= r."""
    count = 0
    while r > 0:
        count += tree[r]
        r -= r & -r
    return count


def count_crossings(g: nx.DiGraph, positions: Mapping[str, Point]) -> int:
    """How many pairs of edges cross, comparing edges that join the same two rows.

    A node's row is its kind's layer (so the staggered sub-rows of the bottom row count as
    one row), or its y value if it has no kind. That is every crossing of a layered
    drawing; edges between other pairs of rows, or within one row, are not compared. Edges
    sharing an end never count as crossing.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "y"), ("b", "x")])
    >>> count_crossings(g, {"a": (0, 0), "b": (1, 0), "x": (0, 1), "y": (1, 1)})
    1
    >>> count_crossings(g, {"a": (0, 0), "b": (1, 0), "x": (1, 1), "y": (0, 1)})
    0
    """

    def row(n: str) -> float:
        kind = g.nodes[n].get("kind")
        return positions[n][1] if kind is None else layer_of(kind)

    rows: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for a, b in g.edges():
        if a in positions and b in positions and row(a) != row(b):
            (ra, xa), (rb, xb) = sorted(((row(a), positions[a][0]), (row(b), positions[b][0])))
            rows.setdefault((ra, rb), []).append((xa, xb))
    return sum(_inversions(segments) for segments in rows.values())


# -- x positions ----------------------------------------------------------------------------


def _place(
    g: nx.DiGraph, layers: list[list[str]], free: Collection[str], fixed: dict[str, Point]
) -> dict[str, Point]:
    """Positions for the free nodes, row by row outward from the widest row."""
    rows = [[n for n in row if n in free] for row in layers]
    known = {n: p[0] for n, p in fixed.items()}
    placed: dict[str, Point] = {}
    bottom = max((i for i, row in enumerate(rows) if row), default=0)
    for i in _outward(rows):
        k = subrows([len(row) for row in rows[:i]], len(rows[i])) if i == bottom else 1
        step, y = X_STEP / k, i * Y_STEP
        desired = _fill_gaps([_desired_x(g, n, known) for n in rows[i]], step)
        # Hand-placed nodes anywhere in the band of this row's sub-rows are in the way.
        bottom_y = y + (k - 1) * SUB_STEP
        walls = [fx for fx, fy in fixed.values() if y - Y_STEP < fy < bottom_y + Y_STEP]
        xs = _avoid(_spread(desired, step), step, walls)
        for j, (n, x) in enumerate(zip(rows[i], xs, strict=True)):
            known[n] = x
            placed[n] = (x, y + (j % k) * SUB_STEP)
    return placed


def subrows(widths_above: list[int], width: int) -> int:
    """How many staggered sub-rows a bottom row of `width` nodes is drawn in: enough to bring
    it near the width of the widest row above it (or `WRAP_MIN`), at most `MAX_SUBROWS`.

    Only a row that can then be read whole on one screen is wrapped (`WRAP_MAX`). In a wider
    one, links to the lower sub-rows run behind the nodes above for no gain, and a dragged
    node's links sweep across far more nodes (a drag step cost twice as much at 10,000 items).

    Examples
    --------
    >>> subrows([2, 3], 14), subrows([2, 3], 4), subrows([2, 5], 9), subrows([500, 2000], 7500)
    (4, 1, 2, 1)
    """
    if width > WRAP_MAX:
        return 1
    target = max([WRAP_MIN, *widths_above])
    return max(1, min(MAX_SUBROWS, -(-width // target)))


def _outward(rows: list[list[str]]) -> list[int]:
    """Row indices from the widest row outward: up to the top, then down to the bottom."""
    widest = max(range(len(rows)), key=lambda i: len(rows[i]))
    return [widest, *range(widest - 1, -1, -1), *range(widest + 1, len(rows))]


def _desired_x(g: nx.DiGraph, node: str, known: dict[str, float]) -> float | None:
    """The mean x of the node's neighbours that already have one, or None."""
    xs = [known[m] for m in (*g.predecessors(node), *g.successors(node)) if m in known]
    return sum(xs) / len(xs) if xs else None


def _fill_gaps(desired: list[float | None], step: float = X_STEP) -> list[float]:
    """Nodes with no placed neighbour want to sit one step after the node before them.

    Examples
    --------
    >>> _fill_gaps([None, 500.0, None])
    [280.0, 500.0, 720.0]
    >>> _fill_gaps([None, None])
    [0.0, 220.0]
    """
    first = next(((i, d) for i, d in enumerate(desired) if d is not None), None)
    start = 0.0 if first is None else first[1] - first[0] * step
    filled: list[float] = []
    for d in desired:
        filled.append(d if d is not None else (filled[-1] + step if filled else start))
    return filled


def _spread(desired: list[float], step: float) -> list[float]:
    """The x values nearest `desired` (least squares) that keep the order and are `step` apart.

    Subtracting ``i * step`` turns "at least step apart" into "non-decreasing", which pool
    adjacent violators solves in one pass.

    Examples
    --------
    >>> _spread([0.0, 0.0, 0.0], 10.0)
    [-10.0, 0.0, 10.0]
    >>> _spread([0.0, 100.0], 10.0)
    [0.0, 100.0]
    """
    blocks: list[list[float]] = []  # [sum of shifted targets, count]
    for i, d in enumerate(desired):
        blocks.append([d - i * step, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    xs: list[float] = []
    for total, count in blocks:
        xs.extend([total / count] * int(count))
    return [x + i * step for i, x in enumerate(xs)]


def _avoid(xs: list[float], step: float, walls: list[float]) -> list[float]:
    """Push computed x values (in order, `step` apart) right, past the x of every hand-placed
    node in their row (`walls`) that they would overlap."""
    walls = sorted(walls)
    out: list[float] = []
    j = 0
    for x in xs:
        x = max(x, out[-1] + step) if out else x
        while j < len(walls) and walls[j] + X_STEP <= x:
            j += 1
        k = j
        while k < len(walls) and walls[k] - X_STEP < x:
            x = max(x, walls[k] + X_STEP)
            k += 1
        out.append(x)
    return out
