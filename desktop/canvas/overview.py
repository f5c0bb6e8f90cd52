"""The overview map: the whole drawn graph in a corner of the graph view, the part on screen
outlined; a click or a drag on it brings that part of the graph into view. It shows while
some of the drawing is off screen.

It paints each drawn node as a dot of its kind's colour from the scene's places (goals a
little larger), into a picture made again only after the drawing changed, never per frame:
rendering the scene itself would cost as much as the view at 10,000 items.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from desktop.canvas.style import paints
from graph.layout import NODE_H, NODE_W
from graph.model import GOAL

SIZE = QSize(220, 150)
MARGIN = 12  # pixels from the view's corner
PAD = 6.0  # pixels inside the map's edge
REDRAW_DELAY_MS = 150  # changes in one go (a drag's release, a paste) redraw the picture once


class OverviewMap(QWidget):
    """A child of the graph view, kept in its bottom-right corner."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self.view, self.scene = view, view.graph_scene
        self.picture = QPixmap()
        self.bounds = QRectF()  # the scene rect the picture shows
        self.wanted = True  # View → Overview map
        self.setFixedSize(SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click or drag to go there")
        self.redraw_timer = QTimer(self)
        self.redraw_timer.setSingleShot(True)
        self.redraw_timer.setInterval(REDRAW_DELAY_MS)
        self.redraw_timer.timeout.connect(self.redraw)
        self.scene.ws.changed.connect(lambda _changes: self.redraw_timer.start())
        self.scene.folds_changed.connect(self.redraw_timer.start)
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            bar.valueChanged.connect(lambda _value: self.show_if_useful())
        view.zoom_changed.connect(lambda _scale: self.show_if_useful())

    # ------------------------------------------------------------ where it sits

    def follow_view(self) -> None:
        """Into the view's bottom-right corner (the view calls this when it is resized)."""
        port = self.view.viewport().geometry()
        self.move(port.right() - SIZE.width() - MARGIN, port.bottom() - SIZE.height() - MARGIN)

    # ------------------------------------------------------------ the picture

    def redraw(self) -> None:
        """The drawn nodes as dots, scaled to fit the map (not while the map is off)."""
        if not self.wanted:
            self.hide()
            return
        self.bounds = self.scene.nodes_rect().adjusted(-NODE_W, -NODE_H, NODE_W, NODE_H)
        picture = QPixmap(SIZE)
        picture.fill(QColor(255, 255, 255, 245))
        s = self.scale()
        if self.scene.nodes:
            with painting(picture) as painter:
                for view in self.scene.nodes.values():
                    grow = 2.0 if view.kind == GOAL else 1.0  # goals stand out far out
                    w, h = max(2.0 * grow, NODE_W * s), max(1.5 * grow, NODE_H * s)
                    centre = self.to_map(view.centre())
                    painter.setBrush(paints(view.kind).accent)
                    painter.drawRect(QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h))
        self.picture = picture
        self.show_if_useful()

    def show_if_useful(self) -> None:
        """Shown while part of the drawing is off screen (with all of it in view, the map
        would only cover some of it)."""
        whole = self.view.visible_scene_rect().contains(self.scene.nodes_rect())
        self.setVisible(self.wanted and bool(self.scene.nodes) and not whole)
        self.update()

    def set_wanted(self, on: bool) -> None:
        self.wanted = on
        self.redraw()

    def scale(self) -> float:
        """Map pixels per scene unit: the drawing fits the map, less its padding."""
        if self.bounds.isEmpty():
            return 1.0
        across, down = SIZE.width() - 2 * PAD, SIZE.height() - 2 * PAD
        return min(across / self.bounds.width(), down / self.bounds.height())

    def origin(self) -> QPointF:
        """Where the drawing's top-left corner is on the map (it sits in the middle)."""
        s = self.scale()
        return QPointF((SIZE.width() - self.bounds.width() * s) / 2,
                       (SIZE.height() - self.bounds.height() * s) / 2)  # fmt: skip

    def to_map(self, point: QPointF) -> QPointF:
        return self.origin() + (point - self.bounds.topLeft()) * self.scale()

    def to_scene(self, point: QPointF) -> QPointF:
        return self.bounds.topLeft() + (point - self.origin()) / self.scale()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self.picture)
        painter.setPen(QPen(QColor("#adb5bd"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if not self.bounds.isEmpty():
            shown = self.view.visible_scene_rect()
            frame = QRectF(self.to_map(shown.topLeft()), self.to_map(shown.bottomRight()))
            painter.setPen(QPen(QColor("#1c7ed6"), 1.5))
            painter.setBrush(QColor(28, 126, 214, 30))
            painter.drawRect(frame.intersected(QRectF(self.rect())))
        painter.end()

    # ------------------------------------------------------------ going there

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.go_to(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.go_to(event.position())
        event.accept()

    def go_to(self, point: QPointF) -> None:
        if not self.bounds.isEmpty():
            self.view.centerOn(self.to_scene(point))
            self.view.realize_visible()


@contextmanager
def painting(target: QPixmap) -> Iterator[QPainter]:
    """A QPainter on `target`, antialiased, without outlines, ended however the block ends."""
    painter = QPainter(target)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    try:
        yield painter
    finally:
        painter.end()
