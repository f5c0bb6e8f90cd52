"""The graph view: zoom around the cursor, pan by dragging the background, and the gestures.

Mouse handling is ours rather than QGraphicsView's default so that a press on a node starts a
MoveGesture, a press on a link handle (or a Shift/Alt press on a node) starts a
NewLinkGesture, and a background drag pans. Ctrl-click toggles, Ctrl-drag on the background
draws a rubber band. Nothing here walks all items: hits come from the scene's BSP index.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QRubberBand

from desktop.canvas.gestures import Gesture, MoveGesture, NewLinkGesture
from desktop.canvas.glance import MIDDLE
from desktop.canvas.overview import OverviewMap
from desktop.canvas.scene import DETAIL_SCALE, GraphScene
from desktop.canvas.style import HANDLE, LINK, NODE
from store.errors import TrellisError

MIN_SCALE, MAX_SCALE = 0.01, 4.0  # Fit shows all of a 10,000-item client in goal blocks
FIT_MAX_SCALE = 1.15  # a small graph fits without being blown up
READABLE_SCALE = 0.65  # node titles stay legible from here up
STEP = 1.25


class GraphView(QGraphicsView):
    """Shows a GraphScene and turns mouse and keys into gestures and selection."""

    edit_requested = Signal(str)  # item id (double-click)
    context_requested = Signal(str, str, QPoint)  # role ("node"/"link"/""), id, global position
    message = Signal(str)  # something the person should read (a refused drop)
    zoom_changed = Signal(float)

    def __init__(self, scene: GraphScene, push: Callable, parent=None):
        super().__init__(scene, parent)
        self.graph_scene = scene
        self.push = push
        self.gesture: Gesture | None = None
        self.pending: tuple[str, QPointF, QPoint] | None = None  # a press not yet a drag
        self.panning: QPoint | None = None
        self.band: QRubberBand | None = None
        self.band_origin = QPoint()
        self.dragging = False
        self.overview_pending = False
        self.cached: list[QGraphicsItem] = []  # painted from a pixmap while nodes are dragged
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        scene.sceneRectChanged.connect(lambda _rect: self.update_view_rect())
        self.overview_map = OverviewMap(self)

    def update_view_rect(self) -> None:
        """Let any node be scrolled to the middle: the scene's rect plus half a viewport."""
        scale = self.scale_factor() or 1.0
        dx = self.viewport().width() / 2 / scale
        dy = self.viewport().height() / 2 / scale
        self.setSceneRect(self.graph_scene.sceneRect().adjusted(-dx, -dy, dx, dy))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.overview_map.follow_view()
        self.update_view_rect()
        self.realize_visible()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.realize_visible()

    def realize_visible(self) -> None:
        """Links scrolled or zoomed into view are routed, and nodes get their text, before
        they are painted."""
        scene = self.graph_scene
        scene.route_pending_in(self.visible_scene_rect())
        if scene.detail and self.scale_factor() >= DETAIL_SCALE:
            scene.realize_in(self.visible_scene_rect())
        elif scene.level == MIDDLE and not scene.detail:
            scene.big_titles_in(self.visible_scene_rect())

    def sizeHint(self) -> QSize:
        return QSize(900, 650)

    # ------------------------------------------------------------ zoom

    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the scene point under `anchor` (view coordinates) where it is."""
        current = self.scale_factor()
        factor = max(MIN_SCALE / current, min(MAX_SCALE / current, factor))
        anchor = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        before = self.mapToScene(anchor.toPoint())
        self.scale(factor, factor)
        self.update_view_rect()
        after = self.mapToScene(anchor.toPoint())
        self.translate_by(after - before)
        self.zoomed()

    def translate_by(self, delta: QPointF) -> None:
        """Shift the view by a scene distance (scroll bars when the scene is larger)."""
        scale = self.scale_factor()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() - round(delta.x() * scale))
        v.setValue(v.value() - round(delta.y() * scale))

    def zoom_in(self) -> None:
        self.zoom_by(STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / STEP)

    def fit(self) -> None:
        """Show every node (Ctrl+0), without enlarging a small graph past readable size."""
        rect = self.graph_scene.nodes_rect()
        if rect.isNull():
            return
        rect = rect.adjusted(-40, -40, 40, 40)
        # Goal cards keep their size in pixels, so at a fit's zoom they reach past their
        # goals: fit again to what they cover, until they are inside too.
        for _ in range(4):
            self.set_scale(self.fit_scale(rect))
            self.zoomed()
            cards = self.graph_scene.cards_rect()
            if cards.isNull() or rect.contains(cards):
                break
            pad = 8 / self.scale_factor()
            rect = rect.united(cards.adjusted(-pad, -pad, pad, pad))
        self.centerOn(rect.center())
        self.zoomed()

    def fit_scale(self, rect: QRectF) -> float:
        sx = self.viewport().width() / rect.width()
        sy = self.viewport().height() / rect.height()
        return max(MIN_SCALE, min(FIT_MAX_SCALE, sx, sy))

    def set_scale(self, scale: float) -> None:
        """Zoom to `scale` exactly (then the caller centres, within the updated scroll range)."""
        self.resetTransform()
        self.scale(scale, scale)
        self.update_view_rect()

    def overview(self) -> None:
        """The opening view: everything if that stays readable; otherwise a readable zoom on
        the first goal and the work under it, where reading starts (Fit is one keystroke).

        The scale is worked out first and set once: each zoom that crosses the level of detail
        touches every node.
        """
        rect = self.graph_scene.nodes_rect()
        if rect.isNull():
            return
        if self.fit_scale(rect.adjusted(-40, -40, 40, 40)) >= READABLE_SCALE:
            self.fit()
            return
        goals = [v.centre() for v in self.graph_scene.nodes.values() if v.kind == "goal"]
        x = min(goals, key=lambda p: (p.y(), p.x())).x() if goals else rect.center().x()
        self.set_scale(READABLE_SCALE)
        half_height = self.viewport().height() / 2 / READABLE_SCALE
        # A hierarchy shorter than the view sits in its middle; a taller one starts at the top.
        fits = rect.height() + 80 <= 2 * half_height
        y = rect.center().y() if fits else rect.top() - 40 + half_height
        self.centerOn(QPointF(x, y))
        self.zoomed()

    def overview_when_shown(self) -> None:
        """The opening view, now or (hidden: its size is not known yet) when first shown."""
        self.overview_pending = not self.isVisible()
        if not self.overview_pending:
            self.overview()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.overview_pending:
            self.overview_pending = False
            self.overview()

    def focus(self, item_id: str) -> None:
        """Centre on a node (find) and select it, zooming in if it would be unreadable."""
        view = self.graph_scene.nodes.get(item_id)
        if view is None:
            return
        if self.scale_factor() < READABLE_SCALE:
            self.set_scale(1.0)
        self.centerOn(view.centre())
        self.graph_scene.select([item_id])
        self.zoomed()

    def zoomed(self) -> None:
        self.update_view_rect()
        scale = self.scale_factor()
        self.graph_scene.set_zoom(scale)
        self.realize_visible()
        self.zoom_changed.emit(scale)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self.zoom_by(1.0015**delta, event.position())
        event.accept()

    # ------------------------------------------------------------ mouse

    def scene_pos(self, event: QMouseEvent) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() == Qt.MouseButton.MiddleButton:
            self.panning = event.position().toPoint()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        if self.gesture is not None:
            return None
        pos = self.scene_pos(event)
        hit = self.graph_scene.hit(pos)
        mods = event.modifiers()
        link_mod = mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
        toggle = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if hit and (hit[0] == HANDLE or (hit[0] == NODE and link_mod)):
            self.gesture = NewLinkGesture(self.graph_scene, self.push, hit[1], pos)
        elif hit:
            self.press_on(hit[0], hit[1], toggle)
            if hit[0] == NODE and hit[1] in self.graph_scene.selected:
                self.pending = (hit[1], pos, event.position().toPoint())
        elif toggle:
            self.band_origin = event.position().toPoint()
            self.band = QRubberBand(QRubberBand.Shape.Rectangle, self.viewport())
            self.band.setGeometry(QRect(self.band_origin, QSize()))
            self.band.show()
        else:
            self.panning = event.position().toPoint()
            self.pending = ("", pos, self.panning)

    def press_on(self, role: str, item_id: str, toggle: bool) -> None:
        """Click selection: plain click selects one; Ctrl-click adds or removes."""
        selected = list(self.graph_scene.selected)
        if toggle:
            if item_id in selected:
                selected.remove(item_id)
            else:
                selected.append(item_id)
            self.graph_scene.select(selected)
        elif item_id not in selected:
            self.graph_scene.select([item_id])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self.gesture is not None:
            self.gesture.move(self.scene_pos(event))
        elif self.band is not None:
            self.band.setGeometry(QRect(self.band_origin, point).normalized())
        elif self.panning is not None:
            if self.pending and self.pending[0] == "" and not self.is_drag(point):
                return
            if self.pending and self.pending[0] == "":
                self.pending = None
            delta = point - self.panning
            self.panning = point
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() - delta.x())
            v.setValue(v.value() - delta.y())
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        elif self.pending is not None and self.is_drag(point):
            item_id, press, _ = self.pending
            self.pending = None
            ids = [i for i in self.graph_scene.selected if i in self.graph_scene.nodes]
            self.gesture = MoveGesture(self.graph_scene, self.push, ids or [item_id], press)
            self.set_dragging(True)
            self.gesture.move(self.scene_pos(event))
        elif event.buttons() == Qt.MouseButton.NoButton:
            self.hover(self.scene_pos(event))

    def set_dragging(self, on: bool) -> None:
        """While nodes move, each step repaints a band as wide as their links reach.

        Shapes and curves are drawn without antialiasing then (text keeps it), and the nodes
        on screen are painted from a pixmap each instead of from their parts: together that
        makes a step about three times cheaper. On release the whole view is drawn again at
        full quality.
        """
        if on == self.dragging:
            return
        self.dragging = on
        self.setRenderHint(QPainter.RenderHint.Antialiasing, not on)
        if on and self.graph_scene.detail:  # zoomed out, nodes are bare shapes: no cache
            for item in self.graph_scene.items(self.visible_scene_rect()):
                if self.graph_scene.roles.get(item, ("",))[0] == NODE:
                    self.cached += [item, *item.childItems()]
        mode = QGraphicsItem.CacheMode
        for item in self.cached:
            item.setCacheMode(mode.DeviceCoordinateCache if on else mode.NoCache)
        if not on:
            self.cached = []
            self.viewport().update()

    def is_drag(self, point: QPoint) -> bool:
        return (point - self.pending[2]).manhattanLength() >= QApplication.startDragDistance()

    def hover(self, pos: QPointF) -> None:
        """The cursor says what a press would do (one BSP lookup)."""
        hit = self.graph_scene.hit(pos)
        shapes = {
            HANDLE: Qt.CursorShape.CrossCursor,
            NODE: Qt.CursorShape.OpenHandCursor,
            LINK: Qt.CursorShape.PointingHandCursor,
        }
        self.viewport().setCursor(shapes.get(hit[0] if hit else "", Qt.CursorShape.ArrowCursor))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self.panning = None
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        gesture, self.gesture = self.gesture, None
        if gesture is not None:
            self.set_dragging(False)
            self.end_gesture(gesture, self.scene_pos(event))
        elif self.band is not None:
            self.end_band(event)
        elif self.pending is not None and self.pending[0] == "":
            self.graph_scene.select([])  # a click (not a drag) on the background
        self.pending = None
        self.panning = None
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

    def end_gesture(self, gesture: Gesture, pos: QPointF) -> None:
        try:
            gesture.end(pos)
        except TrellisError as exc:
            self.message.emit(str(exc))
        finally:
            gesture.finish()
        if isinstance(gesture, NewLinkGesture) and gesture.reason:
            self.message.emit(gesture.reason)

    def end_band(self, event: QMouseEvent) -> None:
        rect = QRect(self.band_origin, event.position().toPoint()).normalized()
        self.band.hide()
        self.band.deleteLater()
        self.band = None
        found = self.graph_scene.nodes_in(self.mapToScene(rect).boundingRect())
        self.graph_scene.select(list(self.graph_scene.selected) + found)

    def cancel_gesture(self) -> bool:
        """Esc: drop the gesture in progress, leaving nothing behind."""
        gesture, self.gesture = self.gesture, None
        if gesture is None:
            return False
        self.set_dragging(False)
        gesture.cancel()
        self.pending = None
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.cancel_gesture():
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self.graph_scene.selected:
            self.graph_scene.select([])
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        self.cancel_gesture()
        super().focusOutEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.graph_scene.hit(self.scene_pos(event))
        if hit and hit[0] in (NODE, HANDLE):
            self.edit_requested.emit(hit[1])

    def contextMenuEvent(self, event) -> None:
        hit = self.graph_scene.hit(self.mapToScene(event.pos()))
        role, item_id = hit if hit else ("", "")
        if role == HANDLE:
            role = NODE
        if item_id and item_id not in self.graph_scene.selected:
            self.graph_scene.select([item_id])
        self.context_requested.emit(role, item_id, event.globalPos())

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()
