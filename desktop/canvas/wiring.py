"""The scene's links: drawing each curve through the gaps (graph.routing), keeping its ports
spread, and, in a big client, routing the links off screen later.

A mixin of GraphScene (it reads the scene's `ws`, `nodes`, `links`, `node_links`, `roles`,
`rows`, `at` and `ports`). Routing 20,000 links takes most of a second, yet a big client
opens on one goal: the links the view shows are routed before it paints, the others wait in
a grid of pending links (not yet in the scene, so nothing half-drawn is ever painted) and are
routed a slice at a time while the app is idle. Scrolling, zooming or touching a node routes
whichever it needs at once, and an export routes them all.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, QTimer

from desktop.canvas.links import LinkView, link_curve
from desktop.canvas.style import LINK, Z_LINK
from graph.layout import NODE_H, Point
from graph.routing import MIN_BEND, detour, ports, side_ports, top_down

ROUTE_AT_ONCE = 2_000  # links: a client with fewer has every link routed as it opens
SLICE = 300  # links routed per idle turn (about 15 ms)
CELL = 4_000.0  # scene units: the side of one cell of the pending links' grid


def reach_box(a: Point, b: Point, side: float) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) that a link's curve between node centres `a` and `b`
    stays inside: it runs from one node's side to the other's, passing the rows between no
    further than `side` (graph.routing.detour) from under its ends."""
    return (
        min(a[0], b[0]) - side,
        min(a[1], b[1]) - NODE_H / 2 - MIN_BEND,
        max(a[0], b[0]) + side,
        max(a[1], b[1]) + NODE_H / 2 + MIN_BEND,
    )


class PendingLinks:
    """Links not routed yet, found by the area their curves will cover.

    Examples
    --------
    >>> pending = PendingLinks()
    >>> pending.add("far", (5000.0, 0.0, 5100.0, 300.0))
    >>> pending.add("near", (0.0, 0.0, 90.0, 90.0))
    >>> pending.take_in((0.0, 0.0, 1000.0, 1000.0)), len(pending)
    (['near'], 1)
    >>> pending.take(10), bool(pending)
    (['far'], False)
    """

    def __init__(self) -> None:
        self.boxes: dict[str, tuple[float, float, float, float]] = {}
        self.cells: dict[tuple[int, int], list[str]] = {}

    def __len__(self) -> int:
        return len(self.boxes)

    def add(self, link_id: str, box: tuple[float, float, float, float]) -> None:
        self.boxes[link_id] = box
        for cell in cells_of(box):
            self.cells.setdefault(cell, []).append(link_id)

    def discard(self, link_id: str) -> bool:
        """Forget a link (its grid cells are left to drop it lazily); whether it was here."""
        return self.boxes.pop(link_id, None) is not None

    def take_in(self, area: tuple[float, float, float, float]) -> list[str]:
        """Remove and return the links whose area meets `area`."""
        left, top, right, bottom = area
        found = []
        for cell in cells_of(area):
            kept = []
            for link_id in self.cells.get(cell, ()):
                box = self.boxes.get(link_id)
                if box is None:
                    continue  # routed already, through another cell or a node it touches
                if box[0] <= right and box[2] >= left and box[1] <= bottom and box[3] >= top:
                    del self.boxes[link_id]
                    found.append(link_id)
                else:
                    kept.append(link_id)
            if cell in self.cells:
                self.cells[cell] = kept
        return found

    def take(self, count: int) -> list[str]:
        """Remove and return up to `count` links, oldest first."""
        found = []
        for link_id in self.boxes:
            if len(found) == count:
                break
            found.append(link_id)
        for link_id in found:
            del self.boxes[link_id]
        if not self.boxes:
            self.cells.clear()
        return found


def cells_of(box: tuple[float, float, float, float]) -> Iterable[tuple[int, int]]:
    for cx in range(int(box[0] // CELL), int(box[2] // CELL) + 1):
        for cy in range(int(box[1] // CELL), int(box[3] // CELL) + 1):
            yield cx, cy


class Wiring:
    """GraphScene's links: made, routed (now or when idle), re-routed, removed."""

    def init_wiring(self) -> None:
        self.pending = PendingLinks()
        self.shifted: set[float] = set()  # heights whose rows changed since the last reroute
        self.route_at_once = ROUTE_AT_ONCE
        self.route_timer = QTimer(self)
        self.route_timer.setSingleShot(True)
        self.route_timer.setInterval(0)
        self.route_timer.timeout.connect(self.route_some)

    def add_links_at(self, places: dict[str, Point]) -> None:
        """Every link whose two ends are drawn; curves from the ends' places, routed now, or
        (a big client shown in a view) when seen or idle."""
        # Both ends drawn: both live and shown.
        shown = [lk for lk in self.ws.hierarchy.links if lk.upper in places and lk.lower in places]
        self.ports = ports([top_down((lk.id, lk.upper, lk.lower), places) for lk in shown], places)
        self.pending = PendingLinks()
        links, roles, node_links = self.links, self.roles, self.node_links
        if len(shown) > self.route_at_once and self.views():
            pending, side = self.pending, detour(self.rows)
            for link in shown:  # `remember` inlined, the Qt item left until it is routed
                links[link.id] = LinkView(link.id, link.upper, link.lower, link.weight)
                node_links[link.upper].add(link.id)
                node_links[link.lower].add(link.id)
                pending.add(link.id, reach_box(places[link.upper], places[link.lower], side))
            self.route_timer.start()
            return
        add = self.addItem
        rows, spread = self.rows, self.ports
        # The loop body is `remember` inlined: it runs 20,000 times when a client opens.
        for link in shown:
            path = link_curve(places[link.upper], places[link.lower], rows, spread[link.id])
            view = LinkView(link.id, link.upper, link.lower, link.weight, path)
            add(view.path)
            links[link.id] = view
            roles[view.path] = (LINK, link.id)
            node_links[link.upper].add(link.id)
            node_links[link.lower].add(link.id)

    def add_link(self, link_id: str, upper: str, lower: str, weight: float) -> None:
        view = LinkView(link_id, upper, lower, weight)
        view.path.setZValue(Z_LINK)
        self.remember(view)
        self.addItem(view.path)
        self.spread_ports([upper, lower])
        view.realize()

    def remember(self, view: LinkView) -> None:
        self.links[view.link_id] = view
        self.roles[view.path] = (LINK, view.link_id)
        self.node_links[view.upper].add(view.link_id)
        self.node_links[view.lower].add(view.link_id)

    def add_links_of(self, item_id: str) -> None:
        """Draw the links a node brings with it (a restored node's links come back)."""
        g = self.ws.graph
        if item_id not in g:
            return
        edges = list(g.in_edges(item_id, data=True)) + list(g.out_edges(item_id, data=True))
        for upper, lower, data in edges:
            if data["id"] not in self.links and upper in self.nodes and lower in self.nodes:
                self.add_link(data["id"], upper, lower, data["weight"])

    def remove_link(self, link_id: str) -> None:
        view = self.links.pop(link_id)
        self.node_links[view.upper].discard(link_id)
        self.node_links[view.lower].discard(link_id)
        self.ports.pop(link_id, None)
        self.highlighted.discard(link_id)
        if not self.pending.discard(link_id):
            self.roles.pop(view.path, None)
            self.removeItem(view.path)
        self.spread_ports([n for n in (view.upper, view.lower) if n in self.nodes])

    def sync_link(self, link_id: str) -> None:
        """Add, re-weight or remove one link so it matches the workspace."""
        link = self.ws.link(link_id)
        wanted = (
            link is not None
            and link.upper in self.nodes
            and link.lower in self.nodes
            and self.ws.is_live(link.upper)
            and self.ws.is_live(link.lower)
        )
        if wanted and link_id in self.links:
            self.links[link_id].set_weight(link.weight)
            self.route_link(link_id)
        elif wanted:
            self.add_link(link.id, link.upper, link.lower, link.weight)
        elif link_id in self.links:
            self.remove_link(link_id)

    def reroute_shifted(self) -> None:
        """Draw again every link passing a height where a node arrived, left or moved along
        its row (`shifted`, noted by `track` and `remove_node`): the gaps each of those
        links passes there changed, however far away it runs (one going round the node
        never met its box; a node dropped between rows makes a row every link across it
        must pass). A pending link among them is routed now, so a pending one is never
        routed for rows that changed after its area was worked out."""
        heights, self.shifted = self.shifted, set()
        if not heights:
            return
        at = self.at
        for link_id, view in list(self.links.items()):
            a, b = at.get(view.upper), at.get(view.lower)
            if a is None or b is None:
                continue
            low, high = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
            if any(low < y < high for y in heights):
                self.route_link(link_id)

    def spread_ports(self, item_ids) -> None:
        """Spread the ports of these nodes' links in the order of their other ends, and draw
        those links again."""
        below: dict[str, list[tuple[float, str]]] = {}
        above: dict[str, list[tuple[float, str]]] = {}
        touched: set[str] = set()
        at = self.at
        for n in item_ids:
            for link_id in self.node_links.get(n, ()):
                view = self.links[link_id]
                if view.upper not in at or view.lower not in at:
                    continue
                _lid, top, bottom = top_down((link_id, view.upper, view.lower), at)
                if top == n:
                    below.setdefault(n, []).append((at[bottom][0], link_id))
                else:
                    above.setdefault(n, []).append((at[top][0], link_id))
                touched.add(link_id)
        for link_id, dx in side_ports(below).items():
            self.ports[link_id] = (dx, self.ports.get(link_id, (0.0, 0.0))[1])
        for link_id, dx in side_ports(above).items():
            self.ports[link_id] = (self.ports.get(link_id, (0.0, 0.0))[0], dx)
        for link_id in touched:
            self.route_link(link_id)

    def route_link(self, link_id: str) -> None:
        """Draw a link's curve between its nodes' current places (a pending one joins the
        scene now)."""
        if self.pending.discard(link_id):
            self.route_pending([link_id])
        else:
            self.draw(link_id)

    def draw(self, link_id: str) -> LinkView:
        view = self.links[link_id]
        spread = self.ports.get(link_id, (0.0, 0.0))
        view.route(self.nodes[view.upper], self.nodes[view.lower], self.rows, spread)
        return view

    def route_pending(self, link_ids: list[str]) -> None:
        """Route links already taken out of `pending` and add them to the scene."""
        for link_id in link_ids:
            view = self.draw(link_id)
            view.path.setZValue(Z_LINK + (0.5 if view.state else 0.0))
            self.roles[view.path] = (LINK, link_id)
            self.addItem(view.path)

    def route_pending_in(self, rect: QRectF) -> None:
        """Route the pending links whose curves may meet `rect`: before it is painted."""
        if self.pending:
            area = (rect.left(), rect.top(), rect.right(), rect.bottom())
            self.route_pending(self.pending.take_in(area))

    def route_some(self) -> None:
        """One idle turn's slice of the pending links; the timer comes back for the rest."""
        self.route_pending(self.pending.take(SLICE))
        if self.pending:
            self.route_timer.start()

    def route_all(self) -> None:
        """Every pending link routed now (before the whole scene is rendered)."""
        self.route_pending(self.pending.take(len(self.pending)))
