"""The graph scene: a mirror of the workspace's hierarchy that only follows its signal.

The scene keeps id -> view dicts for nodes and links, and a Qt item -> (role, id) dict for
the way back (a dict lookup instead of two QVariant `setData` calls on each of 30,000
items). It never changes the model: gestures push commands, commands change the store
through the workspace, and `on_changed` brings the drawing up to date, touching only the ids
a `Changes` names. Selection lives here too (not in Qt's selection flags, whose dashed focus
rectangle needs a paint override to hide). Tooltips are worked out on hover (`helpEvent`).
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
)

from desktop.canvas.folds import Folding
from desktop.canvas.glance import CLOSE, DETAIL_SCALE, MIDDLE, GoalCard
from desktop.canvas.hits import HitTesting
from desktop.canvas.items import NodeView
from desktop.canvas.lanes import extent_of, lane_items
from desktop.canvas.links import LinkView
from desktop.canvas.style import HANDLE, LINK, NODE
from desktop.canvas.wiring import Wiring
from desktop.canvas.zoom import SemanticZoom
from desktop.model.workspace import Changes, Workspace
from graph.derive import related
from graph.layout import NODE_H, NODE_W
from graph.model import Item
from graph.routing import Rows
from store.collecting import paused_gc

MARGIN = 400.0  # room around the nodes so there is somewhere to pan and drop
__all__ = ["DETAIL_SCALE", "GraphScene"]  # DETAIL_SCALE: below it nodes lose their text
HIGHLIGHT_LIMIT = 40  # beyond this many selected nodes, skip the family highlight
REDRAW_AT = 500  # more nodes than this moved at once (auto layout): rebuild the drawing


class GraphScene(HitTesting, SemanticZoom, Folding, Wiring, QGraphicsScene):
    """Nodes and links of the current client, kept in step with the workspace."""

    selection_changed = Signal(object)  # tuple of selected ids (items and links)
    folds_changed = Signal()  # a collapse, an expand, a focus or its end

    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        # Qt's BSP index is what keeps item lookups under the cursor fast at 10,000 nodes.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setBackgroundBrush(QBrush(QColor("#f8f9fa")))
        self.ws = workspace
        self.nodes: dict[str, NodeView] = {}
        self.links: dict[str, LinkView] = {}
        self.node_links: dict[str, set[str]] = defaultdict(set)
        # Each Qt item that stands for something: node bodies, realized handles, link curves.
        self.roles: dict[QGraphicsItem, tuple[str, str]] = {}
        self.extent: QRectF | None = None  # nodes_rect(), until a node is added, moved or removed
        self.selected: tuple[str, ...] = ()
        self.highlighted: set[str] = set()
        self.hide_completed = False
        self.init_folding()
        self.detail = True
        # Semantic zoom (glance.py): the level drawn, the zoom it was chosen at, the goals'
        # far-out cards (made the first time the view is zoomed out) and the outcomes whose
        # large title has been made.
        self.level = CLOSE
        self.scale = 1.0
        self.cards: dict[str, GoalCard] = {}
        self.big_titled: set[str] = set()
        self.lanes: list[QGraphicsItem] = []
        # Where each node is as far as link routing knows (its rows of boxes to pass between),
        # and each link's port offsets under its upper and on top of its lower node.
        self.rows = Rows()
        self.at: dict[str, tuple[float, float]] = {}
        self.ports: dict[str, tuple[float, float]] = {}
        self.init_wiring()
        # Lanes follow the nodes' extent; many changes in one go redraw them once.
        self.lane_timer = QTimer(self)
        self.lane_timer.setSingleShot(True)
        self.lane_timer.setInterval(0)
        self.lane_timer.timeout.connect(self.draw_lanes)
        workspace.changed.connect(self.on_changed)

    # ------------------------------------------------------------ following the model

    def on_changed(self, changes: Changes) -> None:
        # An auto layout moves every node: drawing afresh beats re-routing node by node.
        if changes.reset or len(changes.positions) > REDRAW_AT:
            self.rebuild()
            return
        for item_id in changes.items | changes.progress:
            self.sync_node(item_id)
        for link_id in changes.links:
            self.sync_link(link_id)
        for item_id in changes.positions:
            self.place(item_id)
        self.reroute_shifted()
        if self.is_folded() and (changes.items or changes.links):
            self.refold()  # a new link may fold an item in, a trashed one bring others out
        if changes.items or changes.links:
            self.prune_selection()
            self.refresh_highlight()
        if changes.items or changes.positions:
            self.lane_timer.start()
            self.realize_visible()
        if self.cards and (changes.items or changes.links or changes.progress or changes.positions):
            self.refresh_cards()

    def rebuild(self) -> None:
        """Draw the current client from scratch (new database, client or filter)."""
        self.clear_highlight()
        self.clear()
        self.nodes.clear()
        self.links.clear()
        self.node_links.clear()
        self.roles.clear()
        self.extent = None
        self.lanes = []
        self.cards = {}
        self.big_titled = set()
        self.fold_marks = {}
        self.shifted = set()
        self.hidden = self.fold_set()
        shown = [item for item in self.ws.live_items() if self.is_shown(item)]
        places = {item.id: self.ws.position(item.id) for item in shown}
        self.rows, self.at = Rows(places), dict(places)
        # The scene rect first, so Qt indexes the items once, against their final extent.
        self.extent = extent_of(places.values())
        self.fit_scene_rect()
        with paused_gc():
            # Links before nodes: at equal z, later items are drawn on top, so the links stay
            # under the nodes without 10,000 setZValue calls (links added later get Z_LINK).
            self.add_links_at(places)
            for item in shown:
                self.add_node(item, places[item.id])
            self.draw_lanes()
        self.prune_selection()
        self.refresh_highlight()
        self.realize_visible()
        if self.level != CLOSE:
            self.show_level()
        self.mark_folds()
        self.folds_changed.emit()

    def is_shown(self, item: Item) -> bool:
        completed = item.fields.get("status") == "completed"
        if item.deleted or item.id in self.hidden:
            return False
        return not (self.hide_completed and completed)

    def set_hide_completed(self, hide: bool) -> None:
        if hide != self.hide_completed:
            self.hide_completed = hide
            self.rebuild()

    def add_node(self, item: Item, place: tuple[float, float] | None = None) -> NodeView:
        """A node in its final look and place (its text waits until it is seen up close)."""
        view = NodeView(item, self.ws.progress.get(item.id), far=not self.detail)
        x, y = place if place is not None else self.ws.position(item.id)
        view.body.setPos(x, y)
        self.addItem(view.body)
        self.nodes[item.id] = view
        self.roles[view.body] = (NODE, item.id)
        if place is None:
            self.extent = None
        return view

    def sync_node(self, item_id: str) -> None:
        """Add, update or remove one node so it matches the workspace."""
        item = self.ws.item(item_id)
        wanted = item is not None and self.is_shown(item)
        view = self.nodes.get(item_id)
        if wanted and view is not None:
            view.update(item, self.ws.progress.get(item_id))
        elif wanted:
            view = self.add_node(item)
            self.track(item_id, (view.body.x(), view.body.y()))
            self.add_links_of(item_id)
            self.grow_scene_rect(self.nodes[item_id].rect())
        elif view is not None:
            self.remove_node(item_id)

    def remove_node(self, item_id: str) -> None:
        for link_id in list(self.node_links.get(item_id, ())):
            self.remove_link(link_id)
        self.node_links.pop(item_id, None)
        view = self.nodes.pop(item_id)
        spot = self.at.pop(item_id, (view.body.x(), view.body.y()))
        self.rows.remove(spot)
        self.shifted.add(spot[1])
        self.highlighted.discard(item_id)
        self.roles.pop(view.body, None)
        self.roles.pop(view.handle, None)
        self.extent = None
        self.removeItem(view.body)
        self.big_titled.discard(item_id)
        card = self.cards.pop(item_id, None)
        if card is not None:
            self.removeItem(card.box)

    # ------------------------------------------------------------ geometry

    def place(self, item_id: str) -> None:
        """Put a node where the workspace says it is."""
        if item_id in self.nodes:
            x, y = self.ws.position(item_id)
            self.move_node(item_id, QPointF(x, y))
            self.track(item_id, (x, y))
            self.grow_scene_rect(self.nodes[item_id].rect())

    def track(self, item_id: str, point: tuple[float, float]) -> None:
        """Tell link routing a node now sits at `point`: its neighbours' links are drawn
        again (their ports follow the order of their other ends), and the rows it left and
        joined are noted for `reroute_shifted` (a node never sits on a link it is not on)."""
        old = self.at.get(item_id)
        if old == point:
            return
        if old is not None:
            self.rows.remove(old)
        self.rows.add(point)
        self.at[item_id] = point
        near = {item_id}
        for link_id in self.node_links.get(item_id, ()):
            view = self.links[link_id]
            near.update((view.upper, view.lower))
        self.spread_ports(near)
        self.shifted.update(spot[1] for spot in (old, point) if spot is not None)

    def move_node(self, item_id: str, centre: QPointF) -> None:
        """Move a node's drawing (and its links) without touching the model: gestures use this."""
        self.nodes[item_id].set_centre(centre)
        self.extent = None
        if item_id in self.cards:
            self.cards[item_id].follow(centre)
        for link_id in self.node_links.get(item_id, ()):
            self.route_link(link_id)

    def nodes_rect(self) -> QRectF:
        """The box around every node (O(n) once after a change: for fit, lanes and export)."""
        if self.extent is None:
            self.extent = self.measure_nodes()
        return QRectF(self.extent)

    def measure_nodes(self) -> QRectF:
        return extent_of((view.body.x(), view.body.y()) for view in self.nodes.values())

    def fit_scene_rect(self) -> None:
        rect = self.nodes_rect()
        if rect.isNull():
            rect = QRectF(-NODE_W, -NODE_H, 2 * NODE_W, 2 * NODE_H)
        self.setSceneRect(rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))

    def grow_scene_rect(self, rect: QRectF) -> None:
        """Make room for a node placed near the edge (O(1), so fine after every drop)."""
        wanted = rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        if not self.sceneRect().contains(wanted):
            self.setSceneRect(self.sceneRect().united(wanted))

    def draw_lanes(self) -> None:
        """Faint bands behind the layout's rows so the hierarchy reads top to bottom."""
        for band in self.lanes:
            self.removeItem(band)
        self.lanes = lane_items(self.nodes.values(), self.detail)
        for band in self.lanes:
            self.addItem(band)

    # ------------------------------------------------------------ level of detail

    def set_detail(self, on: bool) -> bool:
        """Show or hide text and bars on every node; called only when the zoom crosses the
        threshold, never per frame. Returns whether anything changed."""
        if on == self.detail:
            return False
        self.detail = on
        for view in self.nodes.values():
            view.set_detail(on)
        for band in self.lanes:
            band.setVisible(on)
        self.show_level()
        self.realize_visible()
        return True

    def realize_visible(self) -> None:
        """Route the links on screen, and give the nodes there their text when zoomed in
        enough to read it."""
        for view in self.views():
            self.route_pending_in(view.mapToScene(view.viewport().rect()).boundingRect())
        if not self.detail:
            if self.level == MIDDLE:
                for view in self.views():
                    self.big_titles_in(view.mapToScene(view.viewport().rect()).boundingRect())
            return
        for view in self.views():
            if view.transform().m11() >= DETAIL_SCALE:
                self.realize_in(view.mapToScene(view.viewport().rect()).boundingRect())

    def realize_in(self, rect: QRectF) -> None:
        """Text, bar and handle for every node meeting `rect` (one BSP lookup)."""
        mode = Qt.ItemSelectionMode.IntersectsItemBoundingRect
        for item in self.items(rect, mode):
            found = self.roles.get(item)
            if found is None:
                continue
            if found[0] == NODE:
                self.realize(found[1])
            elif found[0] == LINK:
                self.links[found[1]].realize()

    def realize(self, item_id: str) -> None:
        view = self.nodes[item_id]
        if view.realize():
            self.roles[view.handle] = (HANDLE, item_id)

    # ------------------------------------------------------------ selection

    def select(self, ids, emit: bool = True) -> None:
        """Select these items and links (others deselected) and highlight their family."""
        ids = tuple(i for i in dict.fromkeys(ids) if i in self.nodes or i in self.links)
        if ids == self.selected:
            return
        for old in self.selected:
            self.set_state(old, "")
        self.selected = ids
        self.refresh_highlight()
        if emit:
            self.selection_changed.emit(ids)

    def prune_selection(self) -> None:
        """Forget selected ids that are no longer drawn (deleted, unlinked, hidden)."""
        kept = tuple(i for i in self.selected if i in self.nodes or i in self.links)
        if kept != self.selected:
            self.selected = kept
            self.selection_changed.emit(kept)

    def set_state(self, view_id: str, state: str) -> None:
        if view_id in self.nodes:
            self.nodes[view_id].set_state(state)
        elif view_id in self.links:
            self.links[view_id].set_state(state)

    def clear_highlight(self) -> None:
        for view_id in self.highlighted:
            self.set_state(view_id, "")
        self.highlighted = set()

    def refresh_highlight(self) -> None:
        """Mark the selection and the ancestors and descendants of its selected nodes."""
        self.clear_highlight()
        chosen = [i for i in self.selected if i in self.nodes]
        family: set[str] = set()
        if len(chosen) <= HIGHLIGHT_LIMIT:
            for item_id in chosen:
                family |= related(self.ws.graph, item_id)
        family = {i for i in family if i in self.nodes} | set(chosen)
        marked = set(family)
        for item_id in family:
            for link_id in self.node_links.get(item_id, ()):
                view = self.links[link_id]
                if view.upper in family and view.lower in family:
                    marked.add(link_id)
        for view_id in marked:
            self.set_state(view_id, "related")
        for view_id in self.selected:
            self.set_state(view_id, "selected")
        self.highlighted = marked | set(self.selected)
