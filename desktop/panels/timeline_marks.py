"""The timeline's commitment marks: one scene item that stamps a small diamond, drawn once
per look, at each mark's place in device pixels.

A polygon item per mark made 13,000 Qt items of a 10,000-item client: each was made, indexed,
set up on the first paint and deleted again, and reshaped at every zoom, which together took
more than twice as long as as many bare rect items. Here a mark is plain data, a paint blits
one small pixmap per mark in view, and a mark keeps its size on screen at every zoom without
being touched. Hit tests are ours (`at`): the diamond under a point, the one drawn on top.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

MARK_PX = 6.0  # a mark's half-width and half-height on screen
STAMP_PX = 2 * MARK_PX + 4  # the stamp's side, with room for the heaviest outline
FLAGGED = QColor("#e03131")  # overdue (the fill), or a finding concerns it (the outline)
ON_TIME = QColor("#2f9e44")
CHOSEN = QColor("#212529")  # the outline of a selected mark
FADED = 0.35  # the opacity of a completed commitment's mark


@dataclass(frozen=True)
class Look:
    """How one mark is drawn."""

    overdue: bool
    flagged: bool  # a finding concerns it
    faded: bool  # completed
    chosen: bool = False

    def fill(self) -> QColor:
        return FLAGGED if self.overdue else ON_TIME

    def outline(self) -> QPen:
        if self.chosen:
            return QPen(CHOSEN, 2.5)
        if self.flagged:
            return QPen(FLAGGED, 2.5)
        return QPen(self.fill().darker(140), 1)


class Drawn(NamedTuple):
    """One mark as drawn: the commitment, its centre in scene units, and its look."""

    id: str
    x: float
    y: float
    look: Look


def stamp(look: Look, ratio: float) -> QPixmap:
    """The diamond of one look, antialiased, for a screen of this device pixel ratio."""
    side = round(STAMP_PX * ratio)
    pixmap = QPixmap(side, side)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = STAMP_PX / 2
    corners = [(c, c - MARK_PX), (c + MARK_PX, c), (c, c + MARK_PX), (c - MARK_PX, c)]
    diamond = QPolygonF([QPointF(x, y) for x, y in corners])
    painter.setOpacity(FADED if look.faded else 1.0)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(look.fill())
    painter.drawPolygon(diamond)
    if look.chosen:  # a selected mark's outline is as dark as any: it must be found
        painter.setOpacity(1.0)
    painter.setPen(look.outline())
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolygon(diamond)
    painter.end()
    return pixmap


class MarkLayer(QGraphicsItem):
    """Every mark of the timeline: `add` each, then `finish`; rows (one y each) by x."""

    def __init__(self, reach: float):
        """`reach`: scene units a mark may cover on either side of its centre at the
        farthest zoom, so the item's bounds hold every mark's pixels."""
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setZValue(1)  # over the bars
        self.reach = reach
        self.drawn: list[Drawn] = []
        self.of: dict[str, list[Drawn]] = {}  # commitment id -> its marks
        self.rows: dict[float, list[tuple[float, int]]] = {}  # y -> (x, index), by x
        self.looks: dict[Look, int] = {}  # each look drawn -> its number
        self.look_of: list[int] = []  # by index: its look's number
        self.chosen: set[str] = set()
        self.stamps: dict[tuple[Look, float], QPixmap] = {}
        self.bounds = QRectF()

    def add(self, mark_id: str, x: float, y: float, look: Look) -> None:
        mark = Drawn(mark_id, x, y, look)
        self.drawn.append(mark)
        self.look_of.append(self.looks.setdefault(look, len(self.looks)))
        self.of.setdefault(mark_id, []).append(mark)

    def finish(self) -> None:
        """After the last `add`: index the rows and take the room the marks need."""
        self.prepareGeometryChange()
        rows: dict[float, list[tuple[float, int]]] = {}
        for n, mark in enumerate(self.drawn):
            rows.setdefault(mark.y, []).append((mark.x, n))
        self.rows = {y: sorted(row) for y, row in rows.items()}
        if self.drawn:
            xs, ys = [m.x for m in self.drawn], [m.y for m in self.drawn]
            left, top = min(xs) - self.reach, min(ys) - STAMP_PX
            self.bounds = QRectF(left, top, max(xs) + self.reach - left, max(ys) + STAMP_PX - top)

    def choose(self, ids) -> None:
        """Draw these commitments' marks on top, outlined dark."""
        self.chosen = {i for i in ids if i in self.of}
        self.update()

    def boundingRect(self) -> QRectF:
        return self.bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        t = painter.worldTransform()
        sx, sy, dx, dy = t.m11(), t.m22(), t.dx(), t.dy()
        exposed = option.exposedRect
        wide, high = STAMP_PX / sx, STAMP_PX / sy  # half a stamp and more, in scene units
        ratio = painter.device().devicePixelRatioF()
        stamps = [self.stamp(look, ratio) for look in self.looks]  # by number, as added
        half, chosen, look_of, draw = STAMP_PX / 2, self.chosen, self.look_of, painter.drawPixmap
        painter.save()
        painter.resetTransform()
        on_top = []
        for y, row in self.rows.items():
            if not exposed.top() - high <= y <= exposed.bottom() + high:
                continue
            first = bisect.bisect_left(row, (exposed.left() - wide, -1))
            last = bisect.bisect_right(row, (exposed.right() + wide, len(self.drawn)))
            for x, n in row[first:last]:
                if chosen and self.drawn[n].id in chosen:
                    on_top.append(self.drawn[n])
                    continue
                draw(QPointF(x * sx + dx - half, y * sy + dy - half), stamps[look_of[n]])
        for mark in on_top:
            pixmap = self.stamp(chosen_look(mark.look), ratio)
            painter.drawPixmap(QPointF(mark.x * sx + dx - half, mark.y * sy + dy - half), pixmap)
        painter.restore()

    def stamp(self, look: Look, ratio: float) -> QPixmap:
        key = (look, ratio)
        if key not in self.stamps:
            self.stamps[key] = stamp(look, ratio)
        return self.stamps[key]

    def at(self, point: QPointF, sx: float, sy: float) -> str | None:
        """The commitment whose mark is under `point` (scene units) at this zoom (`sx`,
        `sy`: pixels per scene unit), the one drawn on top."""
        found: list[tuple[bool, float, int, str]] = []  # sorts as the marks are drawn
        for y, row in self.rows.items():
            down = abs(point.y() - y) * sy / MARK_PX
            if down > 1:
                continue
            first = bisect.bisect_left(row, (point.x() - MARK_PX / sx, -1))
            last = bisect.bisect_right(row, (point.x() + MARK_PX / sx, len(self.drawn)))
            for x, n in row[first:last]:
                if abs(point.x() - x) * sx / MARK_PX + down <= 1:  # inside the diamond
                    mark_id = self.drawn[n].id
                    found.append((mark_id in self.chosen, x, n, mark_id))
        return max(found)[-1] if found else None


def chosen_look(look: Look) -> Look:
    return Look(look.overdue, look.flagged, look.faded, chosen=True)
