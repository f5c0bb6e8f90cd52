"""What the graph is drawn on: the box the nodes fill and the faint lane bands behind them.

Plain functions over node views; the scene adds the items they make and keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from desktop.canvas.items import NodeView
from desktop.canvas.style import Z_LANE, plain_font
from graph.layout import NODE_H, NODE_W, block_rows, lane_bands

LANES = (("GOALS", 0), ("OUTCOMES", 1), ("COMMITMENTS", 2), ("SPRINTS", 3))


def extent_of(centres) -> QRectF:
    """The box around nodes centred on these (x, y) points; null when there are none."""
    xs, ys = [], []
    for x, y in centres:
        xs.append(x)
        ys.append(y)
    if not xs:
        return QRectF()
    left, top = min(xs) - NODE_W / 2, min(ys) - NODE_H / 2
    return QRectF(left, top, max(xs) - min(xs) + NODE_W, max(ys) - min(ys) + NODE_H)


def lane_items(nodes: Iterable[NodeView], shown: bool) -> list[QGraphicsRectItem]:
    """A labelled band behind each of the layout's rows that has nodes in it, so the hierarchy
    reads top to bottom; none without nodes. A client drawn as rows of goal blocks gets a
    set of lanes per row of blocks, each as wide as that row's nodes."""
    placed = [(v.kind, (v.body.x(), v.body.y())) for v in nodes]
    f = plain_font()
    f.setPointSizeF(7.5)
    f.setBold(True)
    f.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 110)
    made = []
    for row in block_rows(placed):
        xs = [x for _kind, (x, _y) in row]
        left, right = min(xs) - NODE_W / 2, max(xs) + NODE_W / 2
        made += row_lanes(lane_bands(row), left, right, f, shown)
    return made


def row_lanes(bands: dict, left: float, right: float, f: QFont, shown: bool) -> list:
    """The bands of one row of blocks, from `left` to `right` (node edges)."""
    made = []
    for label, row in LANES:
        if row not in bands:
            continue
        y, depth = bands[row]
        top = y - NODE_H / 2 - 22
        band = QGraphicsRectItem(QRectF(left - 40, top, right - left + 80, NODE_H + 44 + depth))
        band.setBrush(QBrush(QColor(255, 255, 255, 200)))
        band.setPen(QPen(QColor("#e9ecef"), 1))
        band.setZValue(Z_LANE)
        band.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        text = QGraphicsSimpleTextItem(label, band)
        text.setFont(f)
        text.setBrush(QBrush(QColor("#adb5bd")))
        # In the band's top margin, at the nodes' left edge: in view whenever they are.
        text.setPos(left, top + 5)
        band.setVisible(shown)
        made.append(band)
    return made
