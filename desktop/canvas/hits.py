"""What is under a point of the graph: hit testing and the tooltips worked out from it.

A mixin of GraphScene (it reads the scene's `roles`, `nodes` and `links`), kept apart so the
scene file holds the mirroring of the model and this one the questions the view asks.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPathStroker
from PySide6.QtWidgets import QGraphicsSceneHelpEvent, QToolTip

from desktop.canvas.style import HANDLE, HANDLE_TIP, LINK, NODE

LINK_SLOP = 5.0  # how near (scene units) a click must be to a curve to pick it


class HitTesting:
    """GraphScene's answers to "what is here?" (BSP lookups through Qt's item index)."""

    def hit(self, pos: QPointF) -> tuple[str, str] | None:
        """(role, id) of what is under `pos`: a link handle, a node or a link (BSP lookups)."""
        roles = self.roles
        for item in self.items(pos):
            found = roles.get(item)
            if found is not None and found[0] in (HANDLE, NODE):
                return found
            found = roles.get(item.topLevelItem())
            if found is not None and found[0] == NODE:
                return found
        box = QRectF(pos.x() - LINK_SLOP, pos.y() - LINK_SLOP, 2 * LINK_SLOP, 2 * LINK_SLOP)
        stroker = QPainterPathStroker()
        stroker.setWidth(2 * LINK_SLOP)
        for item in self.items(box, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            found = roles.get(item)
            # A curve's own shape is the area it encloses; only its stroke counts as a hit.
            if found and found[0] == LINK and stroker.createStroke(item.path()).contains(pos):
                return found
        return None

    def node_at(self, pos: QPointF) -> str | None:
        found = self.hit(pos)
        return found[1] if found and found[0] in (NODE, HANDLE) else None

    def nodes_in(self, rect: QRectF) -> list[str]:
        """Nodes whose shape meets `rect` (rubber-band selection)."""
        found = []
        for item in self.items(rect):
            role = self.roles.get(item)
            if role is not None and role[0] == NODE:
                found.append(role[1])
        return found

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        """Tooltips are worked out when asked for, not stored on 30,000 items."""
        text = self.tooltip_at(event.scenePos())
        if text:
            QToolTip.showText(event.screenPos(), text, event.widget())
        else:
            QToolTip.hideText()
        event.setAccepted(bool(text))

    def tooltip_at(self, pos: QPointF) -> str:
        found = self.hit(pos)
        if found is None:
            return ""
        role, view_id = found
        if role == HANDLE:
            return HANDLE_TIP
        if role == NODE:
            return self.nodes[view_id].tooltip()
        return self.links[view_id].tooltip()
