"""Where a link is drawn: from a spread port under the higher of its nodes, through the gaps
of every row of nodes it passes, into a spread port on top of the lower one, with an
arrowhead pointing into the node it serves.

The scene builds its curves from `link_path`, and tests and `make bench` measure the very
same points, so "no link passes through a node that is not one of its ends" is checked on
what is drawn. A path is a chain of cubic Béziers: ``[p0, c1, c2, p1, c1, c2, p2, ...]``.
Between rows a curve runs in the empty space between boxes, with vertical tangents (so it
never turns back up); through a row it runs straight down a gap, at least `CLEAR` from the
boxes either side. Every node of a row shares its centre y, as the layout places them; rows
whose boxes overlap in height (a node dragged off its row) are passed as one band.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from graph.layout import NODE_H, NODE_W, Point, _inversions

CLEAR = 6.0  # how far a link keeps from the side of a node it passes
ESCAPE = 12.0  # links pushed out of one box fan out over this width, in the order they came
PORT_GAP = 14.0  # the distance between neighbouring ports on one side of a node
PORT_REACH = 60.0  # ports stay within this of the centre: inside every kind's outline
ARROW = 8.0  # the arrowhead's length: it points at the upper node, the one served
MIN_BEND = 40.0  # an upward link (a child dragged above its parent) still bends this much
CORRIDOR = NODE_W  # how far from under its upper node a link passing many rows may go
REACH = NODE_W / 2 + CLEAR

Route = list[Point]


class Rows:
    """Node centres grouped by row (their y), each row's x values sorted: what links pass.

    Examples
    --------
    >>> rows = Rows({"a": (0.0, 0.0), "b": (300.0, 0.0), "c": (0.0, 160.0)})
    >>> rows.between(-160.0, 320.0)
    [0.0, 160.0]
    >>> rows.move((0.0, 160.0), (50.0, 160.0)); rows.xs[160.0]
    [50.0]
    """

    def __init__(self, positions: Mapping[str, Point] | Iterable[Point] = ()):
        points = positions.values() if isinstance(positions, Mapping) else positions
        self.xs: dict[float, list[float]] = {}
        for x, y in points:
            self.xs.setdefault(float(y), []).append(float(x))
        for xs in self.xs.values():
            xs.sort()
        self.ys = sorted(self.xs)

    def add(self, point: Point) -> None:
        x, y = float(point[0]), float(point[1])
        if y not in self.xs:
            self.xs[y] = []
            insort(self.ys, y)
        insort(self.xs[y], x)

    def remove(self, point: Point) -> None:
        x, y = float(point[0]), float(point[1])
        xs = self.xs.get(y)
        if xs is None:
            return
        i = bisect_left(xs, x)
        if i < len(xs) and xs[i] == x:
            del xs[i]
        if not xs:
            del self.xs[y]
            self.ys.remove(y)

    def move(self, old: Point, new: Point) -> None:
        self.remove(old)
        self.add(new)

    def between(self, y1: float, y2: float) -> list[float]:
        """The rows strictly between a node centred at y1 and one at y2 (y1 < y2): exactly
        the rows whose boxes meet the span from the upper node's bottom to the lower's top."""
        lo = bisect_left(self.ys, y1)
        if lo < len(self.ys) and self.ys[lo] == y1:
            lo += 1
        hi = bisect_left(self.ys, y2)
        return self.ys[lo:hi]


def bands(ys: Sequence[float]) -> list[list[float]]:
    """Rows whose boxes come closer than a curve needs (2 x CLEAR) are passed as one band."""
    out: list[list[float]] = []
    for y in ys:
        if out and y - out[-1][-1] < NODE_H + 2 * CLEAR:
            out[-1].append(y)
        else:
            out.append([y])
    return out


def widest_wall(rows: Rows) -> float:
    """The widest run of boxes in one band of rows with no gap a link can pass, edge to edge
    plus the clearance either side: how far a link can be pushed aside from where it aims.

    Examples
    --------
    >>> widest_wall(Rows([(0.0, 0.0), (300.0, 0.0)])) == 2 * REACH  # a gap between the two
    True
    >>> widest_wall(Rows([(0.0, 0.0), (150.0, 0.0), (300.0, 0.0)])) == 300 + 2 * REACH
    True
    """
    widest = 0.0
    for band in bands(rows.ys):
        xs = sorted(x for y in band for x in rows.xs[y])
        first = last = xs[0]
        for x in xs[1:]:
            if x - last >= 2 * REACH:  # a link passes between these two
                widest = max(widest, last - first)
                first = x
            last = x
        widest = max(widest, last - first)
    return widest + 2 * REACH if rows.ys else 0.0


def detour(rows: Rows) -> float:
    """How far from under either of its nodes' centres any link's curve may pass, given
    the rows: its port, then its aim taken along a corridor or pushed out of a wall.

    Examples
    --------
    >>> detour(Rows([(0.0, 0.0), (300.0, 0.0)])) == PORT_REACH + 2 * REACH + ESCAPE
    True
    """
    return PORT_REACH + max(CORRIDOR, widest_wall(rows) + ESCAPE)


def _blocker(xs: list[float], x: float) -> float | None:
    """The centre of a box in this row that `x` is closer to than `CLEAR`, if any."""
    i = bisect_left(xs, x - REACH)
    return xs[i] if i < len(xs) and xs[i] < x + REACH else None


def free_x(rows: Sequence[list[float]], t: float) -> float:
    """The x nearest `t` where a vertical line passes every row's boxes at least `CLEAR` off.

    A `t` inside a box leaves it on the nearer side, at a place in the gap that keeps the
    order of `t` (two links pushed out of one box do not meet).

    Examples
    --------
    >>> free_x([[0.0, 220.0]], 110.0)
    110.0
    >>> free_x([[0.0, 220.0]], 80.0) > 90 + CLEAR
    True
    """
    right, left = _escape(rows, t, 1.0), _escape(rows, t, -1.0)
    return right if right - t <= t - left else left


def _escape(rows: Sequence[list[float]], t: float, side: float) -> float:
    x = t
    for _ in range(10_000):  # a wall of boxes is finite; the bound only guards a bad input
        blockers = [b for b in (_blocker(xs, x) for xs in rows) if b is not None]
        if not blockers:
            return x
        b = max(blockers) if side > 0 else min(blockers)
        share = (x - (b - REACH)) / (2 * REACH) if side > 0 else ((b + REACH) - x) / (2 * REACH)
        x = b + side * (REACH + ESCAPE * min(1.0, max(0.0, share)))
    return x


def port_offsets(count: int) -> list[float]:
    """Where `count` links meet one side of a node, left to right, centred, `PORT_GAP` apart
    (closer when many, so they stay within `PORT_REACH`).

    Examples
    --------
    >>> port_offsets(1), port_offsets(3)
    ([0.0], [-14.0, 0.0, 14.0])
    """
    if count <= 1:
        return [0.0] * count
    gap = min(PORT_GAP, 2 * PORT_REACH / (count - 1))
    first = -gap * (count - 1) / 2
    return [first + gap * i for i in range(count)]


def ports(
    links: Iterable[tuple[str, str, str]], positions: Mapping[str, Point]
) -> dict[str, tuple[float, float]]:
    """Each link's port offsets (under its upper node, on top of its lower node): a node's
    links are spread in the order of their other ends, so they fan out without crossing.

    Examples
    --------
    >>> pos = {"o": (0.0, 0.0), "a": (-200.0, 160.0), "b": (200.0, 160.0)}
    >>> ports([("l1", "o", "b"), ("l2", "o", "a")], pos)
    {'l2': (-7.0, 0.0), 'l1': (7.0, 0.0)}
    """
    below: dict[str, list[tuple[float, str]]] = {}
    above: dict[str, list[tuple[float, str]]] = {}
    for link_id, upper, lower in links:
        below.setdefault(upper, []).append((positions[lower][0], link_id))
        above.setdefault(lower, []).append((positions[upper][0], link_id))
    bottom, top = side_ports(below), side_ports(above)
    return {link_id: (dx, top[link_id]) for link_id, dx in bottom.items()}


def side_ports(sides: dict[str, list[tuple[float, str]]]) -> dict[str, float]:
    """Port offsets on one side of each node, in the order of the links' other ends:
    ``{node: [(other end's x, link id), ...]}`` -> ``{link id: offset}``."""
    found: dict[str, float] = {}
    for ends in sides.values():
        ends.sort()
        for (_x, link_id), dx in zip(ends, port_offsets(len(ends)), strict=True):
            found[link_id] = dx
    return found


def link_path(
    upper: Point, lower: Point, rows: Rows | None = None, dx: tuple[float, float] = (0.0, 0.0)
) -> Route:
    """The control points of the curve from below `upper` (a node centre) to above `lower`,
    through the gaps of every row of `rows` between them, leaving and entering at the port
    offsets `dx`.

    Examples
    --------
    >>> link_path((0.0, 0.0), (0.0, 160.0))
    [(0.0, 35.0), (0.0, 80.0), (0.0, 80.0), (0.0, 125.0)]
    >>> row = Rows([(0.0, 160.0), (220.0, 160.0)])  # a gap from x = 90 to 130
    >>> [round(x) for x, _y in link_path((100.0, 0.0), (100.0, 320.0), row)[3:7]]
    [100, 100, 100, 100]
    >>> link_path((0.0, 0.0), (0.0, 320.0), row)[3][0]  # out of the box, into the gap
    102.0
    """
    start = (upper[0] + dx[0], upper[1] + NODE_H / 2)
    end = (lower[0] + dx[1], lower[1] - NODE_H / 2)
    path = [start]
    for band, x in passages(upper, lower, rows, dx):
        top, bottom = max(band[0] - NODE_H / 2, path[-1][1]), band[-1] + NODE_H / 2
        path += _curve(path[-1], (x, top))[1:] + _line((x, top), (x, bottom))[1:]
    return path + _curve(path[-1], end)[1:]


def passages(
    upper: Point, lower: Point, rows: Rows | None, dx: tuple[float, float] = (0.0, 0.0)
) -> list[tuple[list[float], float]]:
    """Each band of rows the link passes and the x it passes at, the gap nearest where it
    aims (one waypoint per row, as Sugiyama's dummy nodes)."""
    start = (upper[0] + dx[0], upper[1] + NODE_H / 2)
    end = (lower[0] + dx[1], lower[1] - NODE_H / 2)
    if rows is None or end[1] - start[1] < 2 * MIN_BEND:
        return []
    passed = bands(rows.between(upper[1], lower[1]))
    if not passed:
        return []
    straight = _corridor(passed, rows, start, end)
    if straight is not None:
        return [(band, straight) for band in passed]
    return [(band, free_x([rows.xs[y] for y in band], _aim(band, start, end))) for band in passed]


def _aim(band: list[float], start: Point, end: Point) -> float:
    """Where a link wants to pass a band: straight under its upper node, or straight over
    its lower one, whichever is nearer (as the layout places the link's waypoint). The
    slant is then left to the open space on the far side, where fewer links run, and a
    link into a lower sub-row drops straight down the gap above its node."""
    middle = (band[0] + band[-1]) / 2
    return start[0] if middle - start[1] <= end[1] - middle else end[0]


def _corridor(passed: list[list[float]], rows: Rows, start: Point, end: Point) -> float | None:
    """One x free in every band, near the x under the upper node, if there is one: a link
    passing several rows takes the gap the layout kept open for it (its waypoints line up
    under its upper node) rather than weaving from gap to gap."""
    if len(passed) < 2:
        return None
    t = start[0]
    x = free_x([rows.xs[y] for band in passed for y in band], t)
    return x if abs(x - t) <= CORRIDOR else None


def levels(
    upper: Point, lower: Point, rows: Rows | None, dx: tuple[float, float] = (0.0, 0.0)
) -> list[Point]:
    """(y, x) where the link meets each row from its upper node's to its lower node's: the
    ends at their nodes' centres, so links sharing a node never count as crossing there."""
    between = [(y, x) for band, x in passages(upper, lower, rows, dx) for y in band]
    return [(upper[1], upper[0]), *between, (lower[1], lower[0])]


def _curve(a: Point, b: Point) -> Route:
    """An S-curve leaving `a` straight down and arriving at `b` straight down; y never turns
    back while b is below a (so it stays in the empty space between the two)."""
    drop = b[1] - a[1]
    # Control points at mid-height keep y monotonic, however short the drop (a bigger bend
    # would swing back up into the row just passed); only a link going up needs one.
    bend = drop / 2 if drop > 0 else MIN_BEND
    return [a, (a[0], a[1] + bend), (b[0], b[1] - bend), b]


def _line(a: Point, b: Point) -> Route:
    """A straight piece as a cubic, so a path is one kind of segment throughout."""
    third = ((b[0] - a[0]) / 3, (b[1] - a[1]) / 3)
    return [a, (a[0] + third[0], a[1] + third[1]), (b[0] - third[0], b[1] - third[1]), b]


def arrowhead(path: Route, at_end: bool = False) -> tuple[Point, Point, Point]:
    """A chevron pointing into the node the link serves (its upper end in the hierarchy):
    at the path's start, the node above, or `at_end`, the node below (a sprint's outcome).

    Examples
    --------
    >>> arrowhead([(0.0, 35.0), (0.0, 80.0), (0.0, 80.0), (0.0, 125.0)])
    ((-4.0, 43.0), (0.0, 35.0), (4.0, 43.0))
    >>> arrowhead([(0.0, 35.0), (0.0, 80.0), (0.0, 80.0), (0.0, 125.0)], at_end=True)
    ((-4.0, 117.0), (0.0, 125.0), (4.0, 117.0))
    """
    x, y = path[-1] if at_end else path[0]
    back = -ARROW if at_end else ARROW
    return (x - ARROW / 2, y + back), (x, y), (x + ARROW / 2, y + back)


# -- measuring what is drawn ----------------------------------------------------------------


def polyline(path: Route, steps: int = 12) -> list[Point]:
    """Points along the curve (each cubic sampled `steps` times): what a test intersects."""
    out = [path[0]]
    for i in range(0, len(path) - 1, 3):
        p0, p1, p2, p3 = path[i : i + 4]
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            out.append(
                (
                    a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
                )
            )
    return out


def _hits_box(a: Point, b: Point, box: tuple[float, float, float, float]) -> bool:
    """Whether the segment a-b enters the open box (left, top, right, bottom): Liang-Barsky."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    left, top, right, bottom = box
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q <= 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 >= t1:
                return False
    return True


def false_links(
    paths: Mapping[str, tuple[str, str, Route]], positions: Mapping[str, Point]
) -> list[tuple[str, str]]:
    """Every (link, node) pair where a drawn link passes through the box of a node that is
    not one of its ends; `paths` maps a link id to (upper, lower, control points).

    Boxes are looked up in a grid, so a 10,000-node client takes a second, not an hour.

    Examples
    --------
    >>> pos = {"o": (0.0, 0.0), "c": (0.0, 320.0), "x": (0.0, 160.0)}
    >>> straight = ("o", "c", link_path(pos["o"], pos["c"]))
    >>> false_links({"l": straight}, pos)
    [('l', 'x')]
    >>> false_links({"l": ("o", "c", link_path(pos["o"], pos["c"], Rows(pos)))}, pos)
    []
    """
    cell_w, cell_h = NODE_W, NODE_H
    grid: dict[tuple[int, int], list[str]] = {}
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for n, (x, y) in positions.items():
        # A hair inside the outline: a curve leaving a port on the edge is not "inside".
        box = (
            x - NODE_W / 2 + 0.5,
            y - NODE_H / 2 + 0.5,
            x + NODE_W / 2 - 0.5,
            y + NODE_H / 2 - 0.5,
        )
        boxes[n] = box
        for cx in range(int(box[0] // cell_w), int(box[2] // cell_w) + 1):
            for cy in range(int(box[1] // cell_h), int(box[3] // cell_h) + 1):
                grid.setdefault((cx, cy), []).append(n)
    found: list[tuple[str, str]] = []
    for link_id, (upper, lower, path) in paths.items():
        hit: set[str] = set()
        for a, b in pairwise(polyline(path)):
            for cx in range(int(min(a[0], b[0]) // cell_w), int(max(a[0], b[0]) // cell_w) + 1):
                for cy in range(int(min(a[1], b[1]) // cell_h), int(max(a[1], b[1]) // cell_h) + 1):
                    for n in grid.get((cx, cy), ()):
                        if n not in hit and n != upper and n != lower and _hits_box(a, b, boxes[n]):
                            hit.add(n)
        found += [(link_id, n) for n in sorted(hit)]
    return found


def crossings(routes: Iterable[Sequence[Point]]) -> int:
    """Pairs of links that cross, from where each meets each row (``[(y, x), ...]`` top to
    bottom, as `levels` gives), so any layered drawing (ours, igraph's, dot's) is counted
    the same way: per band between two neighbouring rows, the pairs whose order swaps.

    Examples
    --------
    >>> crossings([[(0, 0), (1, 1)], [(0, 1), (1, 0)]])
    1
    >>> crossings([[(0, 0), (1, 0)], [(0, 0), (1, 1)]])
    0
    """
    per_band: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for points in routes:
        if points[0][0] > points[-1][0]:  # drawn from its lower end: count it top down
            points = points[::-1]
        for (ya, xa), (yb, xb) in pairwise(points):
            per_band.setdefault((ya, yb), []).append((xa, xb))
    return sum(_inversions(segments) for segments in per_band.values())


# -- a whole client -------------------------------------------------------------------------

Links = Iterable[tuple[str, str, str]]  # (link id, upper id, lower id)


def top_down(link: tuple[str, str, str], positions: Mapping[str, Point]) -> tuple[str, str, str]:
    """(id, node drawn higher, node drawn lower): a curve runs down from one to the other,
    whichever end the hierarchy calls upper (a sprint is drawn above its outcomes)."""
    lid, u, v = link
    return (lid, u, v) if positions[u][1] <= positions[v][1] else (lid, v, u)


def drawing(links: Links, positions: Mapping[str, Point]) -> dict[str, tuple[str, str, Route]]:
    """Every link between two placed nodes, drawn as the scene draws it: link id ->
    (node above, node below, control points)."""
    shown = [top_down(lk, positions) for lk in links if lk[1] in positions and lk[2] in positions]
    rows, dx = Rows(positions), ports(shown, positions)
    return {
        lid: (u, v, link_path(positions[u], positions[v], rows, dx[lid])) for lid, u, v in shown
    }


def drawn_crossings(links: Links, positions: Mapping[str, Point]) -> int:
    """How many pairs of drawn links cross (see `crossings`), the scene's routes counted.

    Examples
    --------
    >>> pos = {"a": (0.0, 0.0), "b": (220.0, 0.0), "x": (0.0, 160.0), "y": (220.0, 160.0)}
    >>> drawn_crossings([("1", "a", "y"), ("2", "b", "x")], pos)
    1
    """
    shown = [top_down(lk, positions) for lk in links if lk[1] in positions and lk[2] in positions]
    rows, dx = Rows(positions), ports(shown, positions)
    return crossings(levels(positions[u], positions[v], rows, dx[lid]) for lid, u, v in shown)


def graph_links(g) -> list[tuple[str, str, str]]:
    """(link id, upper, lower) for every edge of a graph from `graph.build`."""
    return [(data.get("id", f"{u}-{v}"), u, v) for u, v, data in g.edges(data=True)]
