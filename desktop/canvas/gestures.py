"""Mouse gestures on the graph, each an object with start / move / end / cancel.

A gesture only draws (and removes) its own temporary items and asks `graph` rules what a
drop would mean; on a successful end it hands one undo command to `push`. Every exit path —
end, cancel (Esc), or the view dropping it — goes through `finish`, which removes whatever
the gesture added to the scene.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPen, QUndoCommand
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

from desktop.canvas.scene import GraphScene
from desktop.canvas.style import INVALID, VALID, Z_GESTURE, fonts
from desktop.model.commands import LinkCommand, MoveCommand
from desktop.readable import tip
from graph.build import has_link
from graph.rules import refusal
from store.errors import TrellisError

Push = Callable[[QUndoCommand], None]
LABEL_WIDTH = 320.0  # pixels: a refusal wraps onto a few short lines


def wrap(text: str, width: float) -> str:
    """Break `text` into lines no wider than `width` in the gesture label's font.

    A word wider than a whole line (a long title without spaces) is elided to fit.
    """
    metrics = QFontMetricsF(fonts().title)
    lines: list[str] = []
    for word in text.split():
        word = metrics.elidedText(word, Qt.TextElideMode.ElideRight, width)
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


class Gesture:
    """What every gesture shares: the scene, the push callback and cleanup."""

    def __init__(self, scene: GraphScene, push: Push):
        self.scene = scene
        self.push = push
        self.temporary: list = []
        self.finished = False

    def move(self, pos: QPointF) -> None:
        raise NotImplementedError

    def end(self, pos: QPointF) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        """Esc, or the view giving up: undo the gesture's visible effects."""
        self.finish()

    def finish(self) -> None:
        """Remove every temporary item; safe to call more than once."""
        for item in self.temporary:
            if item.scene() is not None:
                self.scene.removeItem(item)
        self.temporary = []
        self.finished = True


class MoveGesture(Gesture):
    """Drag one or several nodes; one move command for the whole drag."""

    def __init__(self, scene: GraphScene, push: Push, ids: list[str], press: QPointF):
        super().__init__(scene, push)
        self.press = QPointF(press)
        self.start = {i: QPointF(scene.nodes[i].centre()) for i in ids if i in scene.nodes}
        self.moved = False

    def move(self, pos: QPointF) -> None:
        delta = pos - self.press
        self.moved = self.moved or delta != QPointF(0, 0)
        for item_id, start in self.start.items():
            if item_id in self.scene.nodes:
                self.scene.move_node(item_id, start + delta)

    def end(self, pos: QPointF) -> None:
        self.move(pos)
        positions = {
            i: (self.scene.nodes[i].centre().x(), self.scene.nodes[i].centre().y())
            for i in self.start
            if i in self.scene.nodes
        }
        self.finish()
        if self.moved and positions:
            try:
                self.push(MoveCommand(self.scene.ws, positions))
            except TrellisError:
                self.put_back()
                raise

    def cancel(self) -> None:
        self.put_back()
        self.finish()

    def put_back(self) -> None:
        for item_id, start in self.start.items():
            if item_id in self.scene.nodes:
                self.scene.move_node(item_id, start)


class NewLinkGesture(Gesture):
    """Drag from one node to another: a live line, the target marked valid or invalid."""

    def __init__(self, scene: GraphScene, push: Push, source_id: str, press: QPointF):
        super().__init__(scene, push)
        self.source_id = source_id
        self.target_id: str | None = None
        self.reason: str | None = None  # why the current target refuses, None if it accepts
        self.line = QGraphicsPathItem()
        self.line.setZValue(Z_GESTURE)
        self.label_box = QGraphicsRectItem()
        self.label_box.setZValue(Z_GESTURE + 1)
        # The verdict is read at any zoom: drawn in screen pixels, not scene units.
        self.label_box.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.label_box.setBrush(QBrush(QColor(255, 255, 255, 235)))
        self.label = QGraphicsSimpleTextItem(self.label_box)
        self.label.setFont(fonts().title)
        self.label_box.setVisible(False)
        for item in (self.line, self.label_box):
            scene.addItem(item)
            self.temporary.append(item)
        self.move(press)

    def move(self, pos: QPointF) -> None:
        """Follow the cursor and judge the node under it (one BSP lookup, no scan)."""
        source = self.scene.nodes[self.source_id]
        start = source.bottom() if pos.y() >= source.centre().y() else source.top()
        path = QPainterPath(start)
        bend = (pos.y() - start.y()) / 2
        path.cubicTo(QPointF(start.x(), start.y() + bend), QPointF(pos.x(), pos.y() - bend), pos)
        self.line.setPath(path)
        target = self.scene.node_at(pos)
        if target == self.source_id:
            target = None
        if target != self.target_id:
            self.mark(target)
        self.show_label(pos)

    def mark(self, target: str | None) -> None:
        """Show whether dropping on `target` would link, and why not."""
        if self.target_id in self.scene.nodes:
            self.scene.nodes[self.target_id].set_state(self.restored_state(self.target_id))
        self.target_id = target
        self.reason = None if target is None else self.judge(target)
        valid = target is not None and self.reason is None
        colour = VALID if valid else (INVALID if target else QColor("#868e96"))
        pen = QPen(colour, 2.4, Qt.PenStyle.SolidLine if valid else Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.line.setPen(pen)
        if target is not None:
            self.scene.nodes[target].set_state("valid" if valid else "invalid")

    def restored_state(self, item_id: str) -> str:
        if item_id in self.scene.selected:
            return "selected"
        return "related" if item_id in self.scene.highlighted else ""

    def judge(self, target: str) -> str | None:
        """The link rules' answer for source -> target: None, or the reason it may not be."""
        ws = self.scene.ws
        a, b = ws.item(self.source_id), ws.item(target)
        return refusal(a, b, has_link(ws.graph, a.id, b.id))

    def message(self) -> str:
        if self.target_id is None:
            return "Drop on an item to link it"
        if self.reason is not None:
            return self.reason
        target = self.scene.ws.item(self.target_id)
        return f"Link to {target.kind} '{target.title}'"

    def show_label(self, pos: QPointF) -> None:
        """The verdict beside the cursor, wrapped, and kept inside the view."""
        text = self.message()
        self.label.setText(wrap(text, LABEL_WIDTH))
        colour = VALID if self.target_id and not self.reason else INVALID
        if self.target_id is None:
            colour = QColor("#495057")
        self.label.setBrush(QBrush(colour.darker(130)))
        rect = self.label.boundingRect()
        self.label.setPos(8, 5)
        box = QRectF(0, 0, rect.width() + 16, rect.height() + 10)
        self.label_box.setRect(box)
        self.label_box.setPen(QPen(colour, 1.2))
        self.label_box.setPos(self.label_place(pos, box))
        self.label_box.setVisible(True)
        self.label_box.setToolTip(tip(text))

    def label_place(self, pos: QPointF, box: QRectF) -> QPointF:
        """Below-right of the cursor, flipped left or up when that would leave the view."""
        views = self.scene.views()
        if not views:
            return pos + QPointF(16, 14)
        view = views[0]
        at = view.mapFromScene(pos)
        room = view.viewport().rect()
        x = at.x() + 16 if at.x() + 16 + box.width() <= room.right() else at.x() - 12 - box.width()
        y = (
            at.y() + 14
            if at.y() + 14 + box.height() <= room.bottom()
            else at.y() - 10 - box.height()
        )
        return view.mapToScene(QPointF(x, y).toPoint())

    def end(self, pos: QPointF) -> None:
        """Drop: link if the target accepts, otherwise leave nothing behind."""
        self.move(pos)
        target, reason = self.target_id, self.reason
        self.finish()
        if target is not None and reason is None:
            self.push(LinkCommand(self.scene.ws, self.source_id, target))

    def finish(self) -> None:
        if self.target_id in self.scene.nodes:
            self.scene.nodes[self.target_id].set_state(self.restored_state(self.target_id))
        super().finish()
