"""Layered positions for the graph view: each kind in its own row (lane), top to bottom.

Rows: 0 goals, 1 outcomes, 2 commitments, 3 sprints. Outcomes link to all three other
kinds, so one kind cannot sit next to them: sprints sit two rows down, past the work.
They are the fewest links (a fifth of them at 10,000 items), and measured this order
crosses fewer links than sprints above the outcomes (and fewer than dot). A link that
passes a row gets a waypoint there (Sugiyama's dummy node), which takes part in the
ordering and keeps a gap open for the curve; `graph.routing` later draws each link through
the gaps of the rows it passes, so no link is ever drawn through a node. A row with no
node yet (a client without sprints) still keeps its place, so the first one has a lane.

Order within rows comes from barycenter sweeps (down then up, a few rounds), keeping the best
order seen, the input order included, so a layout never has more crossings than its input;
then adjacent swaps that remove crossings (dot's "transpose") until none helps.
x positions then sit each node as close as they can to the mean of its already-placed
neighbours while keeping order and spacing (isotonic regression, linear time), starting
from the widest row. Positions are node centres; rows are `Y_STEP` apart.

The commitments' row (the work) is usually far wider than the rows above it: a dozen
commitments under three outcomes. Drawn in one line, fitting it on screen shrinks every
title past reading. So a work row of up to `WRAP_MAX` nodes is drawn in up to `MAX_SUBROWS`
staggered sub-rows, `SUB_STEP` apart, like bricks: the left-to-right order stays that of
one row, every sub-row has a gap above each node of the sub-rows below, and the links to a
lower sub-row are routed through those gaps (the sub-rows are rows to `graph.routing`).

Nodes the person placed keep their saved positions and are never moved; computed nodes in
a row are pushed right past any placed node they would overlap, in that row's lane.

A client whose one band would be more than `MAX_ASPECT` times wider than high is laid out
as goal blocks instead (`graph.blocks`): each goal's subtree in its own four lanes, the
blocks in rows shaped like the window. That happens only when every node is laid out
(first drawing, Auto layout); a client already drawn keeps every position.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping
from itertools import pairwise

import networkx as nx

from graph.blocks import ASPECT, MIN_BLOCKS, arrange, goal_blocks, merge_sharing
from graph.build import build
from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT, Hierarchy

NODE_W = 180.0
NODE_H = 70.0
H_GAP = 40.0
V_GAP = 90.0
X_STEP = NODE_W + H_GAP
Y_STEP = NODE_H + V_GAP
ROUNDS = 4
SUB_STEP = NODE_H + 40  # room for a curve between sub-rows, on its way to a gap
MAX_SUBROWS = 2  # a lower sub-row's node sits under a gap of the upper: links drop straight in
WRAP_MIN = 4  # a bottom row this narrow, or narrower than the widest row above, stays one line
WRAP_MAX = 40  # ...and so does one this wide: no wrapping makes it readable on one screen

LAYER_OF_KIND = {GOAL: 0, OUTCOME: 1, COMMITMENT: 2, SPRINT: 3}
OTHER_LAYER = 4
WORK = LAYER_OF_KIND[COMMITMENT]  # the row drawn in sub-rows when it is wide
DUMMY = "\x00"  # starts the id of a long link's waypoint in a row it passes
DUMMY_GAP = 16.0  # a waypoint keeps this far from its neighbours (more than a link's CLEAR)
TRANSPOSE_ROUNDS = 8
TRANSPOSE_BIG = 3  # transpose rounds a big client's phase ends with
RESTARTS, RESTART_MAX = 24, 300  # random starts, for clients up to this many nodes
SMALL = 2_000  # up to this many nodes and waypoints, ordering takes more rounds
MAX_ASPECT = 3.0  # a band wider than this many times its height is drawn as goal blocks

Point = tuple[float, float]


def layout(
    source: Hierarchy | nx.DiGraph,
    only: Iterable[str] | None = None,
    positions: Mapping[str, Point] | None = None,
    aspect: float = ASPECT,
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
    aspect : float, optional
        The window's width / height, which a big client's goal blocks are arranged to.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> h = tiny()
    >>> pos = layout(h)
    >>> pos["g1"][1] < pos["o1"][1] < pos["c1"][1] < pos["s1"][1]
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
    if not fixed and len(free) == len(g) and is_ribbon(g):
        return block_layout(g, aspect)
    return _layered(g, free, fixed)


def _layered(
    g: nx.DiGraph, free: set[str], fixed: dict[str, Point], start: list[str] | None = None
) -> dict[str, Point]:
    """One band of four lanes: the free nodes ordered and placed around the fixed ones;
    `start`, an order already good (a block cut from the whole client's), is only improved."""
    nodes = _with_neighbours(g, free) if start is None else start
    layers, up, down = _order(g, nodes, shuffle=start is None)
    return {**fixed, **_place(g, layers, {n: up[n] + down[n] for n in up}, free, fixed)}


def is_ribbon(g: nx.DiGraph) -> bool:
    """Whether one band would be more than `MAX_ASPECT` times wider than high (judged from
    the widest row, as `_place` would wrap it) with more than one goal to split it by.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> is_ribbon(build(tiny()))
    False
    """
    counts = [0] * (OTHER_LAYER + 1)
    for n in g:
        counts[layer_of(g.nodes[n].get("kind", ""))] += 1
    if counts[layer_of(GOAL)] < 2:
        return False
    wraps = subrows(counts[:WORK], counts[WORK])
    widest = max(-(-counts[WORK] // wraps), *(c for i, c in enumerate(counts) if i != WORK))
    height = (len(counts) - 2) * Y_STEP + (wraps - 1) * SUB_STEP + NODE_H
    return widest * X_STEP - H_GAP > MAX_ASPECT * height


def block_layout(g: nx.DiGraph, aspect: float = ASPECT) -> dict[str, Point]:
    """Every node placed, each goal's subtree as a block of its own four lanes, the blocks
    in rows shaped like `aspect`; every block's lanes at the same heights, so a lane reads
    across a row of blocks and links between blocks pass the same rows as inside one.

    Goals sharing much work may be drawn as one block (`merge_sharing`), its goals spread as
    far apart as one-goal blocks are (room for their far-out cards; the order, and so the
    crossings, stay). That halves the crossings where goals share work with goals a few
    places away in the order (a generated 3,000-item client: 36,359 -> 18,931), yet can add
    some where each goal shares only with the next, which the serpentine rows keep beside
    it anyway: both drawings are made and the one with fewer drawn crossings is kept.
    """
    from graph.routing import drawn_crossings, graph_links  # routing builds on this module

    layers = _order(g, shuffle=False)[0]
    rank = {n: (i, j) for i, row in enumerate(layers) for j, n in enumerate(row)}
    one_per_goal = goal_blocks(g)
    apart = _arranged(g, _in_order(g, one_per_goal, rank), aspect)
    joined = merge_sharing(g, one_per_goal, len(g) // MIN_BLOCKS)
    if len(joined) == len(one_per_goal):
        return apart
    together = _arranged(g, _in_order(g, joined, rank), aspect, _goal_spacing(g, apart))
    links = graph_links(g)
    return min((apart, together), key=lambda pos: drawn_crossings(links, pos))


def _goal_spacing(g: nx.DiGraph, pos: Mapping[str, Point]) -> float:
    """The median distance between neighbouring goals in a row of the drawing."""
    rows: dict[float, list[float]] = {}
    for n, (x, y) in pos.items():
        if _lane_of(g, n) == 0:
            rows.setdefault(y, []).append(x)
    gaps = sorted(b - a for xs in rows.values() for a, b in pairwise(sorted(xs)))
    return gaps[len(gaps) // 2] if gaps else X_STEP


def _spread_goals(g: nx.DiGraph, pos: dict[str, Point], gap: float) -> dict[str, Point]:
    """A block's goals at least `gap` apart, in their order, centred where they were."""
    goals = sorted((x, n) for n, (x, _y) in pos.items() if _lane_of(g, n) == 0)
    if len(goals) < 2:
        return pos
    xs = [goals[0][0]]
    for x, _n in goals[1:]:
        xs.append(max(x, xs[-1] + gap))
    shift = (goals[0][0] + goals[-1][0]) / 2 - (xs[0] + xs[-1]) / 2
    return pos | {n: (x + shift, pos[n][1]) for (_x, n), x in zip(goals, xs, strict=True)}


def _arranged(
    g: nx.DiGraph,
    blocks: list[tuple[nx.DiGraph, list[str]]],
    aspect: float,
    goal_gap: float = 0.0,
) -> dict[str, Point]:
    """Each block laid out on its own (its goals `goal_gap` apart), then the blocks placed
    in rows shaped like `aspect`."""
    drawn = [_layered(sub, set(sub), {}, order) for sub, order in blocks]
    if goal_gap:
        drawn = [_spread_goals(g, pos, goal_gap) for pos in drawn]
    tops = [_lane_tops(g, pos) for pos in drawn]
    common: dict[int, float] = {}
    for block in tops:
        for row, y in block.items():
            common[row] = max(common.get(row, y), y)
    sizes, shifted = [], []
    for pos, own in zip(drawn, tops, strict=True):
        left = min(x for x, _y in pos.values()) - NODE_W / 2
        lane = {n: _lane_of(g, n) for n in pos}
        moved = {n: (x - left, y + common[lane[n]] - own[lane[n]]) for n, (x, y) in pos.items()}
        shifted.append(moved)
        sizes.append(max(x for x, _y in moved.values()) + NODE_W / 2)
    height = max(y for pos in shifted for _x, y in pos.values()) + NODE_H
    corners = arrange([(w, height) for w in sizes], aspect)
    return {
        n: ((w - x if mirrored else x) + cx, y + cy)
        for pos, w, (cx, cy, mirrored) in zip(shifted, sizes, corners, strict=True)
        for n, (x, y) in pos.items()
    }


def _in_order(
    g: nx.DiGraph, blocks: list[list[str]], rank: dict[str, tuple[int, int]]
) -> list[tuple[nx.DiGraph, list[str]]]:
    """Each block's own graph (a copy: ordering reads it many times over) and its nodes in
    the whole client's crossing-reduced order (`rank`), blocks left to right as their first
    goals are in it: a block starts from a good order, and a link between blocks joins
    neighbours."""
    blocks = [sorted(nodes, key=rank.__getitem__) for nodes in blocks]
    blocks.sort(key=lambda nodes: rank[nodes[0]] if _lane_of(g, nodes[0]) == 0 else (9, 0))
    return [(_subgraph(g, nodes), nodes) for nodes in blocks]


def _subgraph(g: nx.DiGraph, nodes: list[str]) -> nx.DiGraph:
    """The nodes' own graph, nodes and edges in the order given (a NetworkX subgraph view
    goes by a set's order, which changes from run to run: so would the layout)."""
    sub = nx.DiGraph()
    sub.add_nodes_from((n, g.nodes[n]) for n in nodes)
    keep = set(nodes)
    sub.add_edges_from((a, b, d) for a in nodes for b, d in g.succ[a].items() if b in keep)
    return sub


def _lane_of(g: nx.DiGraph, n: str) -> int:
    return layer_of(g.nodes[n].get("kind", ""))


def _lane_tops(g: nx.DiGraph, pos: Mapping[str, Point]) -> dict[int, float]:
    """Each lane's top in one block: the y of its kind's first sub-row."""
    tops: dict[int, float] = {}
    for n, (_x, y) in pos.items():
        row = _lane_of(g, n)
        tops[row] = min(tops.get(row, y), y)
    return tops


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
    """The row a kind goes in: 0 goals, 1 outcomes, 2 commitments, 3 sprints.

    Examples
    --------
    >>> layer_of("goal"), layer_of("commitment"), layer_of("sprint")
    (0, 2, 3)
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
    >>> [row for row in order_layers(g) if row]
    [['a', 'b'], ['y', 'x']]
    """
    return [[n for n in row if not is_dummy(n)] for row in _order(g, nodes)[0]]


def is_dummy(node: str) -> bool:
    """Whether `node` is a long link's waypoint (made by the layout, never drawn)."""
    return node.startswith(DUMMY)


def _order(
    g: nx.DiGraph, nodes: Iterable[str] | None = None, shuffle: bool = True
) -> tuple[list[list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """Rows in their best order, waypoints included, with each node's neighbours above and
    below (a long link's ends are joined through its waypoints); without `shuffle`, no
    random starts (the input order is already a good one)."""
    layers = _initial_layers(g, list(g) if nodes is None else nodes)
    up, down = _adjacent(g, layers)
    best, fewest = layers, _layer_crossings(layers, down)
    starts = _starts(layers, up, down, fewest)
    for start in starts if shuffle else starts[:2]:
        found, crossings = _improve(start, up, down, fewest)
        if crossings < fewest:
            best, fewest = found, crossings
    return best, up, down


def _starts(layers: list[list[str]], up: dict, down: dict, crossings: int) -> list[list[list[str]]]:
    """The orders to improve: the input's and dot's depth-first one, and for a small client
    a few random ones too; a big client, only the better of the first two."""
    walked = _depth_first(layers, up, down)
    if len(up) > SMALL:
        return [walked if _layer_crossings(walked, down) < crossings else layers]
    return [layers, walked, *_shuffled(layers, len(up))]


def _shuffled(layers: list[list[str]], size: int) -> list[list[list[str]]]:
    """A few random starts for a small client (seeded: the same client, the same layout),
    since sweeps from one start stop in the nearest local best."""
    if size > RESTART_MAX:
        return []
    rnd = random.Random(size)
    starts = []
    for _ in range(RESTARTS):
        rows = [list(row) for row in layers]
        for row in rows:
            rnd.shuffle(row)
        starts.append(rows)
    return starts


def _depth_first(layers: list[list[str]], up: dict, down: dict) -> list[list[str]]:
    """Rows in the order a depth-first walk from the top row first meets each node (dot's
    initial order): a node's children start out together, under it."""
    row_of = {n: i for i, row in enumerate(layers) for n in row}
    placed: list[list[str]] = [[] for _ in layers]
    seen: set[str] = set()
    for root in (n for row in layers for n in row):
        stack = [root]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            placed[row_of[n]].append(n)
            stack.extend(reversed(up[n] + down[n]))
    return placed


def _improve(
    layers: list[list[str]], up: dict, down: dict, fewest: int
) -> tuple[list[list[str]], int]:
    """Sweeps then transposes from `layers`, one-sided rounds first, then rounds weighing
    both neighbouring rows; the order with the fewest crossings (if below `fewest`)."""
    both = {n: up[n] + down[n] for n in up}
    lonely = {n for n, near in both.items() if not near}
    best = layers
    # A small client can afford dot's two dozen rounds, each polished by transposes; a big
    # one keeps to a few, polished once a phase (transposes cost the most at 10,000 items).
    big = len(up) > SMALL
    rounds = ROUNDS if big else 6 * ROUNDS
    for above, below in ((up, down), (both, both)):
        layers = [list(row) for row in best]
        for r in range(rounds):
            if fewest == 0:
                break
            moved = _sweep(layers, above, below, lonely, down)
            if not big or r == rounds - 1 or not moved:
                _transpose(layers, up, down, TRANSPOSE_BIG if big else TRANSPOSE_ROUNDS)
            crossings = _layer_crossings(layers, down)
            if crossings < fewest:
                best, fewest = [list(row) for row in layers], crossings
            elif not moved:
                break
    return best, fewest


def _transpose(
    layers: list[list[str]], up: dict, down: dict, rounds: int = TRANSPOSE_ROUNDS
) -> None:
    """Swap neighbours in a row wherever that removes crossings with the rows either side,
    until no swap helps (dot's transpose). Every other round also swaps a tied pair, as dot
    does, which walks an order off a plateau that strict swaps cannot leave."""
    pos = {n: j for row in layers for j, n in enumerate(row)}
    for round_ in range(rounds):
        gained = 0
        for row in layers:
            for j in range(len(row) - 1):
                u, v = row[j], row[j + 1]
                now = _pair_crossings(u, v, up, pos) + _pair_crossings(u, v, down, pos)
                if not now:
                    continue
                swapped = _pair_crossings(v, u, up, pos) + _pair_crossings(v, u, down, pos)
                if swapped < now or (swapped == now and round_ % 2):
                    row[j], row[j + 1] = v, u
                    pos[u], pos[v] = j + 1, j
                    gained += now - swapped
        if not gained and not round_ % 2:
            return


def _pair_crossings(u: str, v: str, nbrs: dict[str, list[str]], pos: dict[str, int]) -> int:
    """Crossings between u's and v's links to one neighbouring row, with u left of v."""
    return sum(1 for a in nbrs[u] for b in nbrs[v] if pos[a] > pos[b])


def _initial_layers(g: nx.DiGraph, nodes: Iterable[str]) -> list[list[str]]:
    """Nodes grouped by row, in the order given."""
    layers: list[list[str]] = [[] for _ in range(OTHER_LAYER + 1)]
    for n in nodes:
        layers[layer_of(g.nodes[n].get("kind", ""))].append(n)
    return layers


def _adjacent(
    g: nx.DiGraph, layers: list[list[str]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each node's neighbours in the row above and in the row below (among the ordered nodes);
    a link that passes rows gets a waypoint in each, added to the end of its row."""
    row = {n: i for i, nodes in enumerate(layers) for n in nodes}
    up: dict[str, list[str]] = {n: [] for n in row}
    down: dict[str, list[str]] = {n: [] for n in row}
    for a, b in g.subgraph(row).edges():
        top, bottom = (a, b) if row[a] < row[b] else (b, a)
        prev = top
        for i in range(row[top] + 1, row[bottom]):
            waypoint = f"{DUMMY}{top}{DUMMY}{bottom}{DUMMY}{i}"
            layers[i].append(waypoint)
            up[waypoint], down[waypoint] = [prev], []
            down[prev].append(waypoint)
            prev = waypoint
        if row[bottom] > row[top]:
            down[prev].append(bottom)
            up[bottom].append(prev)
    return up, down


def _sweep(
    layers: list[list[str]],
    above: dict[str, list[str]],
    below: dict[str, list[str]],
    lonely: set[str],
    down: dict[str, list[str]],
) -> bool:
    """One round: reorder rows top down by `above`, then bottom up by `below`, keeping each
    new row order only if it adds no crossings (a plain sweep undoes what transposes won);
    True if anything moved."""
    before = [list(row) for row in layers]
    pos = _relative_positions(layers)
    steps = [(i, above) for i in range(1, len(layers))]
    steps += [(i, below) for i in range(len(layers) - 2, -1, -1)]
    for i, nbrs in steps:
        old = list(layers[i])
        fewest = _crossings_around(layers, down, i)
        _reorder(layers, i, nbrs, pos, lonely)
        if _crossings_around(layers, down, i) > fewest:
            layers[i] = old
            pos.update({n: (j + 0.5) / len(old) for j, n in enumerate(old)})
    return layers != before


def _crossings_around(layers: list[list[str]], down: dict[str, list[str]], i: int) -> int:
    """Crossings between row `i` and the rows either side: all that reordering it changes."""
    return sum(
        _band_crossings(layers[j], layers[j + 1], down)
        for j in (i - 1, i)
        if j >= 0 and j + 1 < len(layers)
    )


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
    return sum(_band_crossings(top, bottom, down) for top, bottom in pairwise(layers))


def _band_crossings(top: list[str], bottom: list[str], down: dict[str, list[str]]) -> int:
    """Crossings between two neighbouring rows, for this order: for each top node left to
    right, how many links of the nodes before it end further right than each of its own
    (a Fenwick tree over the bottom row's places: O(E log V), no sort of all the links)."""
    place = {n: j for j, n in enumerate(bottom)}
    size = len(bottom)
    tree = [0] * (size + 1)
    total = seen = 0
    for a in top:
        ends = [place[b] + 1 for b in down[a]]
        for r in ends:
            at_most = 0
            while r > 0:
                at_most += tree[r]
                r -= r & -r
            total += seen - at_most
        for r in ends:
            seen += 1
            while r <= size:
                tree[r] += 1
                r += r & -r
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

    A node's row is its kind's layer (so the staggered sub-rows of the work row count as
    one row), or its y value if it has no kind. Edges between other pairs of rows, or
    within one row, are not compared, and links that pass a row are not followed through
    it (`graph.routing.drawn_crossings` counts the drawing itself). Edges sharing an end
    never count as crossing.

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
    g: nx.DiGraph,
    layers: list[list[str]],
    nbrs: dict[str, list[str]],
    free: Collection[str],
    fixed: dict[str, Point],
) -> dict[str, Point]:
    """Positions for the free nodes, row by row outward from the widest row.

    Waypoints are placed only when every node is (a whole layout): they hold a gap open, in
    every sub-row of a wrapped row, for the links that pass it.
    """
    counts = [sum(1 for n in row if n in free) for row in layers]
    wraps = [subrows(counts[:i], counts[i]) if i == WORK else 1 for i in range(len(layers))]
    rows = [
        [n for n in row if n in free or (not fixed and is_dummy(n))] for i, row in enumerate(layers)
    ]
    ys = _lane_ys(g, fixed, wraps)
    known = {n: p[0] for n, p in fixed.items()}
    placed: dict[str, Point] = {}
    for i in _outward(rows):
        k, y = wraps[i], ys[i]
        seps = _separations(rows[i], X_STEP / k)
        desired = _fill_gaps([_desired_x(g, n, nbrs, known) for n in rows[i]], seps)
        # Placed nodes anywhere in the band of this row's sub-rows are in the way.
        bottom_y = y + (k - 1) * SUB_STEP
        walls = [fx for fx, fy in fixed.values() if y - Y_STEP < fy < bottom_y + Y_STEP]
        xs = _spread(desired, seps)
        if walls:
            xs = _avoid(xs, X_STEP / k, walls)
        _keep(rows[i], xs, known, placed, y, k)
    for i, row in enumerate(rows):
        if any(is_dummy(n) for n in row):
            _replace_passed_row(g, row, nbrs, known, placed, ys[i], wraps[i])
    return placed


def _keep(row: list[str], xs: list[float], known: dict, placed: dict, y: float, k: int) -> None:
    """Record a row's x values; its nodes (not its waypoints) alternate between sub-rows."""
    j = 0
    for n, x in zip(row, xs, strict=True):
        known[n] = x
        if not is_dummy(n):
            placed[n] = (x, y + (j % k) * SUB_STEP)
            j += 1


def _replace_passed_row(
    g: nx.DiGraph,
    row: list[str],
    nbrs: dict[str, list[str]],
    known: dict[str, float],
    placed: dict[str, Point],
    y: float,
    k: int,
) -> None:
    """Once every row is placed, place a row that long links pass once more, each waypoint
    moved under its link's upper end (over its lower end, if that is nearer): that is where
    `graph.routing` looks for a gap, so the gap held open for the link is the one it is
    drawn through."""
    ends = {n: n.split(DUMMY)[1:3] for n in row if is_dummy(n)}
    yof = {n: p[1] for n, p in placed.items()}

    def want(n: str) -> float | None:
        if n not in ends:
            return _desired_x(g, n, nbrs, known)
        top, bottom = ends[n]
        if top not in known or bottom not in known or top not in yof or bottom not in yof:
            return known.get(n)
        return known[top] if y - yof[top] <= yof[bottom] - y else known[bottom]

    wanted = {n: want(n) for n in row}
    nodes = [n for n in row if n not in ends]
    aims = sorted((x, w) for w in ends if (x := wanted[w]) is not None)
    waypoints = [w for _x, w in aims]
    row[:] = _merge(nodes, waypoints, known, wanted) + [w for w in ends if wanted[w] is None]
    seps = _separations(row, X_STEP / k)
    _keep(row, _spread(_fill_gaps([wanted[n] for n in row], seps), seps), known, placed, y, k)


def _merge(nodes: list[str], waypoints: list[str], known: dict, wanted: dict) -> list[str]:
    """The row's nodes in their order, each waypoint slotted in where its x falls."""
    out: list[str] = []
    i = 0
    for n in nodes:
        while i < len(waypoints) and wanted[waypoints[i]] < known[n]:
            out.append(waypoints[i])
            i += 1
        out.append(n)
    return out + waypoints[i:]


def _lane_ys(g: nx.DiGraph, fixed: dict[str, Point], wraps: list[int]) -> list[float]:
    """Each row's y: where the placed nodes of its kind mostly sit, else just below the row
    above (below all its sub-rows), so a new node joins its kind's lane as drawn."""
    by_row: dict[int, list[float]] = {}
    for n, (_x, y) in fixed.items():
        by_row.setdefault(layer_of(g.nodes[n].get("kind", "")), []).append(y)
    ys: list[float] = []
    for i in range(len(wraps)):
        below = ys[-1] + Y_STEP + (wraps[i - 1] - 1) * SUB_STEP if ys else 0.0
        if ys and i - 1 in by_row:  # the row above as drawn: its deepest sub-row
            lane = [y for y in by_row[i - 1] if 0 <= y - ys[-1] <= (MAX_SUBROWS - 1) * SUB_STEP]
            below = max(below, max(lane, default=ys[-1]) + Y_STEP)
        ys.append(_most_common(by_row[i]) if i in by_row else below)
    return ys


def free_spot(placed: Iterable[Point], x: float, y: float) -> Point:
    """The place nearest `x` on the line `y` where a new node overlaps no node (and keeps a
    gap from each): nothing else has to move for it.

    Examples
    --------
    >>> free_spot([(0.0, 0.0), (220.0, 0.0)], 100.0, 0.0)
    (-220.0, 0.0)
    >>> free_spot([(0.0, 0.0), (220.0, 0.0)], 300.0, 0.0)
    (440.0, 0.0)
    >>> free_spot([(0.0, 0.0)], 0.0, 160.0)
    (0.0, 160.0)
    """
    taken = sorted(px for px, py in placed if abs(py - y) < NODE_H + DUMMY_GAP)
    lo, hi = bisect_right(taken, x - X_STEP), bisect_left(taken, x + X_STEP)
    if lo == hi:
        return (float(x), float(y))
    left, right = lo, hi  # widen the run of blocking nodes to every node chained to it
    while left > 0 and taken[left] - taken[left - 1] < 2 * X_STEP:
        left -= 1
    while right < len(taken) and taken[right] - taken[right - 1] < 2 * X_STEP:
        right += 1
    before, after = taken[left] - X_STEP, taken[right - 1] + X_STEP
    return (float(before if x - before < after - x else after), float(y))


BLOCK_ROW_GAP = 2 * Y_STEP  # centres further apart, nothing between: two rows of blocks


def block_rows(placed: Iterable[tuple[str, Point]]) -> list[list[tuple[str, Point]]]:
    """(kind, centre) pairs split where the drawing has a wide empty stripe across it: the
    rows of goal blocks, each with its own lanes (a one-band client is one row).

    Examples
    --------
    >>> [len(r) for r in block_rows([("goal", (0, 0.0)), ("outcome", (0, 160.0)),
    ...                              ("goal", (0, 1000.0))])]
    [2, 1]
    """
    ordered = sorted(placed, key=lambda kp: kp[1][1])
    rows: list[list[tuple[str, Point]]] = []
    for kind, point in ordered:
        if not rows or point[1] - rows[-1][-1][1][1] > BLOCK_ROW_GAP:
            rows.append([])
        rows[-1].append((kind, point))
    return rows


def lane_bands(
    placed: Iterable[tuple[str, Point]], near: float | None = None
) -> dict[int, tuple[float, float]]:
    """Each row's lane as drawn, from (kind, centre) of its nodes: the y most of them share
    (the first sub-row of a wrapped row) and how far its sub-rows reach below that; a node
    dragged far off its lane does not stretch it. With `near` (a y), the lanes of the row of
    goal blocks nearest it: a new item joins its parent's lanes, not the first row's.

    Examples
    --------
    >>> lane_bands([("goal", (0, 0.0)), ("commitment", (0, 320.0)), ("commitment", (1, 430.0))])
    {0: (0.0, 0.0), 2: (320.0, 110.0)}
    >>> lane_bands([("goal", (0, 0.0)), ("goal", (0, 1000.0))], near=900.0)
    {0: (1000.0, 0.0)}
    """
    if near is not None:
        rows = block_rows(placed)
        nearest: list[tuple[str, Point]] = min(rows, key=lambda r: _distance(r, near), default=[])
        placed = nearest
    by_row: dict[int, list[float]] = {}
    for kind, (_x, y) in placed:
        by_row.setdefault(layer_of(kind), []).append(float(y))
    bands = {}
    for row, ys in sorted(by_row.items()):
        top = _most_common(ys)
        deepest = (MAX_SUBROWS - 1) * SUB_STEP
        bands[row] = (top, max((y - top for y in ys if 0 <= y - top <= deepest), default=0.0))
    return bands


def _distance(row: list[tuple[str, Point]], y: float) -> float:
    """How far `y` is from a row of blocks (0 inside it); rows are sorted by y."""
    top, bottom = row[0][1][1], row[-1][1][1]
    return max(top - y, y - bottom, 0.0)


def _most_common(values: list[float]) -> float:
    """The value most nodes share (the lowest of a tie: a wrapped row's first sub-row)."""
    counts: dict[float, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return min(counts, key=lambda v: (-counts[v], v))


def _separations(row: list[str], step: float) -> list[float]:
    """How far each node must be from the one before it: `step` between two nodes; a
    waypoint needs only room for its curve beside a box."""
    seps = [0.0]
    for a, b in pairwise(row):
        if is_dummy(a) or is_dummy(b):
            half = (0.0 if is_dummy(a) else NODE_W / 2) + (0.0 if is_dummy(b) else NODE_W / 2)
            seps.append(half + DUMMY_GAP)
        else:
            seps.append(step)
    return seps[: len(row)]


def subrows(widths_above: list[int], width: int) -> int:
    """How many staggered sub-rows a work row of `width` nodes is drawn in: enough to bring
    it near the width of the widest row above it (or `WRAP_MIN`), at most `MAX_SUBROWS`.

    Only a row that can then be read whole on one screen is wrapped (`WRAP_MAX`). In a wider
    one, links to the lower sub-row wind through the gaps of the upper for no gain, and a
    dragged node's links sweep across far more nodes (a drag step cost twice as much at
    10,000 items).

    Examples
    --------
    >>> subrows([2, 3], 14), subrows([2, 3], 4), subrows([2, 5], 9), subrows([500, 2000], 7500)
    (2, 1, 2, 1)
    """
    if width > WRAP_MAX:
        return 1
    target = max([WRAP_MIN, *widths_above])
    return max(1, min(MAX_SUBROWS, -(-width // target)))


def _outward(rows: list[list[str]]) -> list[int]:
    """Row indices from the widest row outward: up to the top, then down to the bottom."""
    widest = max(range(len(rows)), key=lambda i: len(rows[i]))
    return [widest, *range(widest - 1, -1, -1), *range(widest + 1, len(rows))]


def _desired_x(
    g: nx.DiGraph, node: str, nbrs: dict[str, list[str]], known: dict[str, float]
) -> float | None:
    """The mean x of the node's placed neighbours (its waypoints standing in for the far end
    of a long link, else that end itself), or None."""
    xs = [known[m] for m in nbrs.get(node, ()) if m in known]
    if not xs and not is_dummy(node):
        xs = [known[m] for m in (*g.predecessors(node), *g.successors(node)) if m in known]
    return sum(xs) / len(xs) if xs else None


def _fill_gaps(desired: list[float | None], seps: list[float] | float = X_STEP) -> list[float]:
    """Nodes with no placed neighbour want to sit one step after the node before them.

    Examples
    --------
    >>> _fill_gaps([None, 500.0, None])
    [280.0, 500.0, 720.0]
    >>> _fill_gaps([None, None])
    [0.0, 220.0]
    """
    if isinstance(seps, float | int):
        seps = [float(seps)] * len(desired)
    offsets = _offsets(seps)
    first = next(((i, d) for i, d in enumerate(desired) if d is not None), None)
    start = 0.0 if first is None else first[1] - offsets[first[0]]
    filled: list[float] = []
    for i, d in enumerate(desired):
        filled.append(d if d is not None else (filled[-1] + seps[i] if filled else start))
    return filled


def _offsets(seps: list[float]) -> list[float]:
    """Where each node would sit with all of them packed tight from 0."""
    out, total = [], 0.0
    for i, sep in enumerate(seps):
        total += sep if i else 0.0
        out.append(total)
    return out


def _spread(desired: list[float], seps: list[float] | float) -> list[float]:
    """The x values nearest `desired` (least squares) that keep the order, each at least its
    separation (one step, or one per node) after the one before.

    Subtracting each node's packed offset turns "at least that far apart" into
    "non-decreasing", which pool adjacent violators solves in one pass.

    Examples
    --------
    >>> _spread([0.0, 0.0, 0.0], 10.0)
    [-10.0, 0.0, 10.0]
    >>> _spread([0.0, 100.0], 10.0)
    [0.0, 100.0]
    """
    if isinstance(seps, float | int):
        seps = [float(seps)] * len(desired)
    offsets = _offsets(seps)
    blocks: list[list[float]] = []  # [sum of shifted targets, count]
    for d, off in zip(desired, offsets, strict=True):
        blocks.append([d - off, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    xs: list[float] = []
    for total, count in blocks:
        xs.extend([total / count] * int(count))
    return [x + off for x, off in zip(xs, offsets, strict=True)]


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
