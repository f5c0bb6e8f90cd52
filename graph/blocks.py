"""Goal blocks: a big client drawn as one small layered drawing per goal, in rows of blocks.

One band of four lanes holding 3,000 items is hundreds of times wider than high, so at Fit
no title can be read. Each goal's subtree (its outcomes, their commitments and sprints) is
instead laid out on its own, and the blocks are packed left to right in rows whose width
is chosen so that the whole drawing has the window's shape (`arrange`).

An item shared by two goals is drawn once, in the block of the first goal (in the graph's
order) that reaches it; its links to the other goal cross the gap between the blocks, and
`graph.routing` routes them through the gaps like any other link. Items no goal reaches
share one block of their own, at the end. Goals that share much work are then drawn as one
block (`merge_sharing`), so most shared links stay inside a block.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx

from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT

# The shape blocks are arranged to when none is given (width / height): the graph view's in
# the default 1480 x 900 window (860 x 700 beside its docks); 16 : 10, the whole window's,
# left the 3,000-item client half the height of a 1280 x 800 window's square view.
ASPECT = 1.2
GAP_X = 2 * 220.0  # between blocks side by side: room for the links that cross it
GAP_Y = 320.0  # between rows of blocks: two lanes' worth, so rows of blocks read apart
MERGE_LIMIT = 100  # nodes: goals sharing work are drawn as one block up to this size...
MIN_BLOCKS = 16  # ...and no bigger than this share of the client: enough blocks to shape

Size = tuple[float, float]


def goal_blocks(g: nx.DiGraph) -> list[list[str]]:
    """Every node once, grouped by the goal whose subtree draws it, goals in graph order;
    nodes no goal reaches come last, in one block.

    Examples
    --------
    >>> g = nx.DiGraph([("g1", "o1"), ("g2", "o1"), ("g2", "o2"), ("o2", "c1")])
    >>> nx.set_node_attributes(g, {"g1": "goal", "g2": "goal", "o1": "outcome",
    ...                            "o2": "outcome", "c1": "commitment"}, "kind")
    >>> g.add_node("lone", kind="commitment")
    >>> goal_blocks(g)
    [['g1', 'o1'], ['g2', 'o2', 'c1'], ['lone']]
    """
    kind = {n: g.nodes[n].get("kind") for n in g}
    owner: dict[str, str] = {n: n for n in g if kind[n] == GOAL}
    for wanted, parents in ((OUTCOME, GOAL), (COMMITMENT, OUTCOME)):
        for n in g:
            if kind[n] == wanted:
                first = next((p for p in g.predecessors(n) if p in owner), None)
                if first is not None and kind[first] == parents:
                    owner[n] = owner[first]
    for n in g:
        if kind[n] == SPRINT:
            owner.update(_sprint_owner(g, n, owner))
    groups: dict[str, list[str]] = {n: [] for n in g if kind[n] == GOAL}
    loose: list[str] = []
    for n in g:
        (groups[owner[n]] if n in owner else loose).append(n)
    return [block for block in groups.values()] + ([loose] if loose else [])


def merge_sharing(g: nx.DiGraph, blocks: list[list[str]], limit: int) -> list[list[str]]:
    """The blocks, those sharing the most links joined first while a joined block stays
    within `limit` nodes (and MERGE_LIMIT): a link between two blocks crosses every link of
    the rows of blocks it passes, one inside a block only its own block's (a generated
    3,000-item client: 36,359 crossings as 149 blocks, 18,931 as 40). Joined blocks keep the
    place of their first.

    Examples
    --------
    >>> g = nx.DiGraph([("g1", "o1"), ("g2", "o1"), ("g2", "o2"), ("g3", "o3")])
    >>> merge_sharing(g, [["g1", "o1"], ["g2", "o2"], ["g3", "o3"]], limit=4)
    [['g1', 'o1', 'g2', 'o2'], ['g3', 'o3']]
    >>> merge_sharing(g, [["g1", "o1"], ["g2", "o2"], ["g3", "o3"]], limit=3)
    [['g1', 'o1'], ['g2', 'o2'], ['g3', 'o3']]
    """
    limit = min(limit, MERGE_LIMIT)
    owner = {n: i for i, block in enumerate(blocks) for n in block}
    shared: dict[tuple[int, int], int] = {}
    for a, b in g.edges():
        i, j = sorted((owner[a], owner[b]))
        if i != j:
            shared[i, j] = shared.get((i, j), 0) + 1
    head = list(range(len(blocks)))  # each block's representative (union-find)
    size = [len(block) for block in blocks]

    def find(i: int) -> int:
        while head[i] != i:
            head[i] = head[head[i]]
            i = head[i]
        return i

    for (i, j), _count in sorted(shared.items(), key=lambda pair: (-pair[1], pair[0])):
        a, b = sorted((find(i), find(j)))
        if a != b and size[a] + size[b] <= limit:
            head[b] = a
            size[a] += size[b]
    joined: dict[int, list[str]] = {}
    for i, block in enumerate(blocks):
        joined.setdefault(find(i), []).extend(block)
    return list(joined.values())


def _sprint_owner(g: nx.DiGraph, sprint: str, owner: dict[str, str]) -> dict[str, str]:
    """A sprint goes in the block holding most of the outcomes it works on (the first, of
    a tie): most of its links then stay inside its block."""
    votes: dict[str, int] = {}
    for o in g.predecessors(sprint):
        if o in owner:
            votes[owner[o]] = votes.get(owner[o], 0) + 1
    if not votes:
        return {}
    return {sprint: max(votes, key=lambda b: votes[b])}


def arrange(sizes: Sequence[Size], aspect: float = ASPECT) -> list[tuple[float, float, bool]]:
    """The top-left corner of each block (width, height), packed in rows in their order,
    the rows' width chosen so the whole is as near `aspect` (width / height) as it gets,
    and whether the block is drawn mirrored. Rows run alternately left to right and right
    to left, so the last block of one row sits over the first of the next, and a block in
    a right-to-left row is mirrored: neighbours in the order stay neighbours on screen,
    facing each other with the links they share.

    Examples
    --------
    >>> arrange([(100.0, 100.0)] * 4, aspect=1.0)
    [(0.0, 0.0, False), (540.0, 0.0, False), (540.0, 420.0, True), (0.0, 420.0, True)]
    """
    if not sizes:
        return []
    best = min(_candidate_rows(sizes), key=lambda rows: _misfit(sizes, rows, aspect))
    return _corners(sizes, best)


def _candidate_rows(sizes: Sequence[Size]) -> list[list[list[int]]]:
    """Ways to cut the blocks into rows: one for each row width worth trying (each block's
    right edge when all sit in one row is a width where a row breaks differently)."""
    widths = sorted({w for w, _h in sizes})
    total = sum(w + GAP_X for w, _h in sizes)
    # Enough widths to find the shape without trying every one of 500 blocks' breaks.
    tries = sorted({max(widths[-1], total * k / 64) for k in range(1, 65)})
    return [_rows_within(sizes, width) for width in tries]


def _rows_within(sizes: Sequence[Size], width: float) -> list[list[int]]:
    """Blocks in order, a new row whenever the next would pass `width` (shelf packing)."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, (w, _h) in enumerate(sizes):
        if rows[-1] and used + GAP_X + w > width:
            rows.append([])
            used = 0.0
        used += (GAP_X if rows[-1] else 0.0) + w
        rows[-1].append(i)
    return rows


def _extent(sizes: Sequence[Size], rows: list[list[int]]) -> Size:
    width = max(sum(sizes[i][0] for i in row) + GAP_X * (len(row) - 1) for row in rows)
    height = sum(max(sizes[i][1] for i in row) for row in rows) + GAP_Y * (len(rows) - 1)
    return width, height


def _misfit(sizes: Sequence[Size], rows: list[list[int]], aspect: float) -> float:
    """How far the drawing's shape is from `aspect`, as a ratio either way (1 is a fit)."""
    width, height = _extent(sizes, rows)
    return abs(math.log((width / max(height, 1.0)) / aspect))


def _corners(sizes: Sequence[Size], rows: list[list[int]]) -> list[tuple[float, float, bool]]:
    width, _height = _extent(sizes, rows)
    corners: list[tuple[float, float, bool]] = [(0.0, 0.0, False)] * len(sizes)
    top = 0.0
    for r, row in enumerate(rows):
        x = 0.0
        for i in row:
            w = sizes[i][0]
            # Odd rows run right to left from the drawing's right edge.
            corners[i] = (float(x if r % 2 == 0 else width - x - w), float(top), r % 2 == 1)
            x += w + GAP_X
        top += max(sizes[i][1] for i in row) + GAP_Y
    return corners
