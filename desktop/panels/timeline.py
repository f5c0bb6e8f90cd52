"""The timeline view: the client's sprints as bars on a date axis, overlapping ones on rows of
their own, commitments as marks at their due dates in the rows of the sprints they reach
(through outcomes, graph.commitments), sessions as ticks, and a line for today.

The wheel zooms the date axis only (rows keep their height), the scroll bars and a drag on
empty space scroll it, Fit shows the whole client. Dragging a sprint's end changes that date,
dragging the bar moves both, snapped to whole days; the result is one EditCommand, so the
store validates it exactly as the editor's Save does, and a refusal is shown with the store's
reason while the bar snaps back. `sprint-overlap` and `commitment-outside-sprint` findings
outline what they concern in red; a click on a bar or a mark selects the item everywhere.

Bars, labels and lines are Qt's own items; the marks are one item that stamps a diamond per
mark (timeline_marks.py), so 10,000 marks cost less than as many bare Qt items.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.model.commands import EditCommand, StoreCommand
from desktop.model.workspace import Changes, Selection, Workspace
from desktop.panels.common import RefreshedWhenShown
from desktop.panels.timeline_data import (
    Bar,
    Mark,
    axis_ticks,
    dated_sprints,
    flagged_ids,
    marks_of,
    rows_of,
)
from desktop.panels.timeline_dates import shift_within, shifted
from desktop.panels.timeline_marks import FLAGGED, MARK_PX, Look, MarkLayer
from desktop.readable import choice_label, tip
from store.collecting import paused_gc
from store.errors import TrellisError

DAY = 24.0  # scene units per day at zoom 1
ROW_H, BAR_H, MARK_Y = 56.0, 22.0, 38.0  # a row's height, its bar's, its marks' centre
AXIS_H = 26  # pixels of date labels along the top
HANDLE_PX = 6  # how near a bar's end (in pixels) a press takes that end
MIN_PPD, MAX_PPD = 0.05, 240.0  # pixels per day the zoom stays between
END_KEY = 1  # QGraphicsItem.data key: a bar's (start, end)
IGNORES_ZOOM = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
SPRINT_FILL = {"planning": "#d0ebff", "active": "#a5d8ff", "completed": "#dee2e6"}


class SprintDrag:
    """Dragging one bar: `mode` is "start", "end" or "move"; the bar's rect follows (the
    gesture's temporary state), and `end` gives the new dates, or None when nothing moved."""

    def __init__(self, bar: QGraphicsRectItem, mode: str, x: float):
        self.bar, self.mode, self.x0 = bar, mode, x
        self.rect = bar.rect()
        self.start, self.end = bar.data(END_KEY)
        self.days = 0

    def move(self, x: float) -> None:
        self.days = round((x - self.x0) / DAY)
        r, shift = QRectF(self.rect), self.days * DAY
        if self.mode in ("start", "move"):
            r.setLeft(self.rect.left() + shift)
        if self.mode in ("end", "move"):
            r.setRight(self.rect.right() + shift)
        self.bar.setRect(r.normalized())

    def dates(self) -> tuple[date, date] | None:
        starts, ends = self.mode in ("start", "move"), self.mode in ("end", "move")
        days = shift_within(self.days, *[self.start] * starts, *[self.end] * ends)
        if days == 0:
            return None
        return shifted(self.start, days * starts), shifted(self.end, days * ends)

    def cancel(self) -> None:
        self.bar.setRect(self.rect)


class TimelineCanvas(QGraphicsView):
    """The drawing: built from the workspace on `rebuild`, zoomed on the date axis only."""

    picked = Signal(str)  # an item id clicked
    dated = Signal(str, object, object)  # a sprint dragged to (start, end)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.axis: QWidget | None = None  # the date labels above (Axis sets itself here)
        self.setObjectName("timeline_canvas")
        self.setScene(QGraphicsScene(self))
        self.origin = date.today()  # the date at scene x = 0
        self.today = date.today()
        self.span = (self.origin, self.origin)  # the client's first and last dates
        self.by_id: dict[str, list[QGraphicsItem]] = {}
        self.ids: dict[QGraphicsItem, str] = {}  # each bar and label -> its item id
        self.texts: dict[str, str] = {}  # each bar's tooltip, plain
        self.marks: dict[str, tuple[Mark, str | None]] = {}  # each mark, and its finding
        self.layer = MarkLayer(0.0)
        # Each bar's label, the bar's width in scene units, and its whole title.
        self.labels: list[tuple[QGraphicsSimpleTextItem, float, str]] = []
        self.drag: SprintDrag | None = None
        self.chosen: tuple[str, ...] = ()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportMargins(0, AXIS_H, 0, 0)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMouseTracking(True)

    # ------------------------------------------------------------ geometry

    def x_of(self, day: date) -> float:
        return (day - self.origin).days * DAY

    def day_at(self, x: float) -> date:
        return shifted(self.origin, int(x // DAY))  # held at date.min / date.max

    def ppd(self) -> float:
        """Pixels per day at the current zoom."""
        return self.transform().m11() * DAY

    # ------------------------------------------------------------ building

    def rebuild(self, bars: list[Bar], marks: list[Mark], sessions, flagged) -> None:
        """Draw everything again, keeping the date under the view's centre where it was."""
        centre = self.day_at(self.mapToScene(self.viewport().rect().center()).x())
        down = self.verticalScrollBar().value()
        scene = self.scene()
        scene.clear()
        self.by_id = {}
        self.ids = {}
        self.drag = None
        self.texts = {}
        self.marks = {}
        self.labels = []
        days = [b.start for b in bars] + [b.end for b in bars] + [m.due for m in marks]
        days += [s for s, _ in sessions] + [self.today]
        self.span = (min(days), max(days))
        self.origin = shifted(self.span[0], -14)
        for bar in bars:
            self.add_bar(bar, flagged.get(bar.id))
        free_row = max((b.row for b in bars), default=-1) + 1
        rows_of_sprint = {b.id: b.row for b in bars}
        self.layer = MarkLayer(reach=MARK_PX / MIN_PPD * DAY)
        with paused_gc():  # thousands of marks, all kept: a collection would find nothing
            for mark in marks:
                self.add_marks(mark, rows_of_sprint, free_row, flagged.get(mark.id))
        self.layer.finish()
        scene.addItem(self.layer)
        height = (free_row + 1) * ROW_H
        self.add_free_row_label(free_row)
        self.add_ticks(sessions, height)
        left, right = self.x_of(self.span[0]) - 14 * DAY, self.x_of(self.span[1]) + 15 * DAY
        scene.setSceneRect(QRectF(left, 0, right - left, height))
        self.show_labels_that_fit()
        self.show_chosen(self.chosen)
        self.centerOn(self.x_of(centre), self.mapToScene(self.viewport().rect().center()).y())
        self.verticalScrollBar().setValue(down)

    def remember(self, item: QGraphicsItem, item_id: str, text: str) -> None:
        self.ids[item] = item_id
        self.texts[item_id] = text
        self.by_id.setdefault(item_id, []).append(item)
        self.scene().addItem(item)

    def tip_of(self, item_id: str) -> str:
        """A bar's or mark's tooltip (plain text); a mark's is made only when asked for."""
        if item_id not in self.marks:
            return self.texts.get(item_id, "")
        m, finding = self.marks[item_id]
        text = f"{m.title}\ndue {m.due}" + (" (overdue)" if m.overdue else "")
        return text + f" · {choice_label(m.status)}" + (f"\n\n{finding}" if finding else "")

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            found = self.hit(event.pos())
            if found is not None:
                QToolTip.showText(event.globalPos(), tip(self.tip_of(found[0])), self)
                return True
        return super().viewportEvent(event)

    def add_bar(self, bar: Bar, finding: str | None) -> None:
        left, right = self.x_of(bar.start), self.x_of(bar.end) + DAY  # 9999-12-31 has no next day
        rect = QGraphicsRectItem(QRectF(left, bar.row * ROW_H + 4, right - left, BAR_H))
        rect.setBrush(QColor(SPRINT_FILL.get(bar.status, "#e7f5ff")))
        pen = QPen(FLAGGED if finding else QColor("#1c7ed6"), 2.5 if finding else 1)
        pen.setCosmetic(True)  # the axis zoom must not stretch the outline
        rect.setPen(pen)
        rect.setData(END_KEY, (bar.start, bar.end))
        text = f"{bar.title}\n{bar.start} to {bar.end} · {choice_label(bar.status)}"
        self.remember(rect, bar.id, text + (f"\n\n{finding}" if finding else ""))
        label = QGraphicsSimpleTextItem(bar.title, rect)
        label.setFlags(IGNORES_ZOOM)
        label.setPos(left + 2, bar.row * ROW_H + 7)
        self.ids[label] = bar.id
        self.labels.append((label, right - left, bar.title))

    def add_marks(self, m: Mark, rows: dict[str, int], free_row: int, finding: str | None):
        """A mark in the row of each sprint the commitment reaches (none: the bottom row);
        its tooltip is made when asked for."""
        x = self.x_of(m.due) + DAY / 2
        look = Look(m.overdue, finding is not None, m.status == "completed")
        self.marks[m.id] = (m, finding)
        for line in [rows[s] for s in m.sprints if s in rows] or [free_row]:
            self.layer.add(m.id, x, line * ROW_H + MARK_Y, look)

    def add_free_row_label(self, free_row: int) -> None:
        label = self.scene().addSimpleText("Not in a sprint")
        label.setFlag(IGNORES_ZOOM)
        label.setBrush(QColor("#868e96"))
        label.setPos(self.x_of(self.span[0]) - 13 * DAY, free_row * ROW_H + 6)

    def add_ticks(self, sessions, height: float) -> None:
        """A faint line per session, and today's in red, across every row."""
        for day, title in sessions:
            x = self.x_of(day) + DAY / 2
            tick = QGraphicsLineItem(x, 0, x, height)
            tick.setPen(QPen(QColor("#7048e8"), 0, Qt.PenStyle.DashLine))
            tick.setToolTip(tip(f"Session {day}: {title}"))
            tick.setZValue(-1)
            self.scene().addItem(tick)
        x = self.x_of(self.today) + DAY / 2
        line = self.scene().addLine(x, 0, x, height, QPen(QColor("#f03e3e"), 0))
        line.setToolTip(tip(f"Today, {self.today}"))
        line.setZValue(-1)

    # ------------------------------------------------------------ zoom and selection

    def set_ppd(self, ppd: float) -> None:
        """Zoom the date axis to `ppd` pixels a day (rows keep their height)."""
        ppd = max(MIN_PPD, min(MAX_PPD, ppd))
        self.setTransform(QTransform.fromScale(ppd / DAY, 1.0))

    def fit(self) -> None:
        """The whole client, first date to last, across the view's width."""
        rect = self.sceneRect()
        self.set_ppd(self.viewport().width() / max(rect.width(), 1.0) * DAY)
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            return super().wheelEvent(event)  # Shift + wheel scrolls the axis
        steps = event.angleDelta().y() / 120
        self.set_ppd(self.ppd() * 1.2**steps)
        event.accept()

    def show_chosen(self, ids: tuple[str, ...]) -> None:
        """Draw the selected items on top with a heavy dark outline."""
        for item in (i for item_id in self.chosen for i in self.by_id.get(item_id, ())):
            item.setZValue(0)
            item.setSelected(False)
        self.chosen = ids
        for item in (i for item_id in ids for i in self.by_id.get(item_id, ())):
            item.setZValue(2)
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
            item.setSelected(True)  # Qt's own dashed outline marks it
        self.layer.choose(ids)

    # ------------------------------------------------------------ mouse

    def hit(self, pos) -> tuple[str, QGraphicsRectItem | None] | None:
        """The id of the mark or bar under `pos` (marks lie over bars, and a bar's label
        counts as the bar), with the bar when it is one."""
        t = self.transform()
        mark = self.layer.at(self.mapToScene(pos), t.m11(), t.m22())
        if mark is not None:
            return mark, None
        for item in self.items(pos):
            if item in self.ids:
                bar = item.parentItem() or item
                return self.ids[bar], bar
        return None

    def end_near(self, bar: QGraphicsRectItem, pos) -> str:
        box = self.mapFromScene(bar.rect()).boundingRect()
        if abs(pos.x() - box.left()) <= HANDLE_PX:
            return "start"
        if abs(pos.x() - box.right()) <= HANDLE_PX:
            return "end"
        return "move"

    def mousePressEvent(self, event) -> None:
        found = self.hit(event.position().toPoint())
        if found is None or event.button() != Qt.MouseButton.LeftButton:
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            return super().mousePressEvent(event)
        item_id, bar = found
        self.picked.emit(item_id)
        if bar is not None:
            mode = self.end_near(bar, event.position().toPoint())
            self.drag = SprintDrag(bar, mode, self.mapToScene(event.position().toPoint()).x())
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        pos = event.position().toPoint()
        if self.drag is not None:
            self.drag.move(self.mapToScene(pos).x())
            return
        found = self.hit(pos) if not event.buttons() else None
        bar = found[1] if found is not None else None
        ends = bar is not None and self.end_near(bar, pos) != "move"
        shape = Qt.CursorShape.SizeHorCursor if ends else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(shape)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        drag, self.drag = self.drag, None
        if drag is None:
            super().mouseReleaseEvent(event)
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            return
        drag.move(self.mapToScene(event.position().toPoint()).x())
        dates = drag.dates()
        drag.cancel()  # the bar goes back; the stored dates, once saved, redraw it
        if dates is not None:
            self.dated.emit(self.ids[drag.bar], *dates)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.drag is not None:
            self.drag.cancel()
            self.drag = None
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ the date axis (class Axis)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.axis is not None:
            self.axis.setGeometry(0, 0, self.width(), AXIS_H)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.axis_changed()

    def setTransform(self, matrix: QTransform, combine: bool = False) -> None:
        super().setTransform(matrix, combine)
        self.show_labels_that_fit()
        self.axis_changed()

    def show_labels_that_fit(self) -> None:
        """Each bar's title cut to the bar's width on screen (none where not a letter fits):
        a fitted client's hundreds of sprints would print their titles over one another."""
        scale = self.transform().m11()
        metrics = QFontMetricsF(self.scene().font())  # the labels' font
        for label, width, title in self.labels:
            room = width * scale - 6
            text = metrics.elidedText(title, Qt.TextElideMode.ElideRight, room) if room > 0 else ""
            label.setText(text)
            label.setVisible(text not in ("", "…"))

    def axis_changed(self) -> None:
        if self.axis is not None:
            self.axis.update()


class Axis(QWidget):
    """The date labels above the canvas, following its zoom and scroll."""

    def __init__(self, canvas: TimelineCanvas):
        super().__init__(canvas)
        self.canvas = canvas
        canvas.axis = self
        self.setGeometry(0, 0, 4000, AXIS_H)

    def paintEvent(self, event) -> None:
        c = self.canvas
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#f8f9fa"))
        left = c.mapToScene(0, 0).x()
        right = c.mapToScene(c.viewport().width(), 0).x()
        painter.setFont(QFont(self.font().family(), 8))
        painter.setPen(QColor("#495057"))
        for day, text in axis_ticks(c.day_at(left), c.day_at(right), c.ppd()):
            x = c.mapFromScene(c.x_of(day), 0).x() + c.viewport().x()
            painter.drawLine(x, AXIS_H - 6, x, AXIS_H)
            painter.drawText(x + 3, AXIS_H - 9, text)
        x = c.mapFromScene(c.x_of(c.today) + DAY / 2, 0).x() + c.viewport().x()
        painter.setPen(QColor("#f03e3e"))
        painter.drawText(x + 3, 11, "today")
        painter.end()


class TimelineView(RefreshedWhenShown, QWidget):
    """The canvas with Fit and a line that says why a drag was refused."""

    said = Signal(str)  # a message for the status bar

    def __init__(self, ws: Workspace, selection: Selection, push: Callable[[StoreCommand], None]):
        super().__init__()
        self.setObjectName("timeline_view")
        self.ws, self.selection, self.push = ws, selection, push
        self.today: Callable[[], date] = date.today  # a test may fix the day
        self.fitted = False
        self.canvas = TimelineCanvas()
        Axis(self.canvas)
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Show the whole client, first date to last.")
        self.fit_button.clicked.connect(self.canvas.fit)
        self.notice = QLabel()
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setObjectName("timeline_notice")
        bar = QHBoxLayout()
        bar.addWidget(self.notice, 1)
        bar.addWidget(self.fit_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.addLayout(bar)
        column.addWidget(self.canvas, 1)
        self.canvas.picked.connect(lambda item_id: self.selection.set([item_id], self))
        self.canvas.dated.connect(self.set_dates)
        ws.changed.connect(self.on_changed)
        selection.changed.connect(self.on_selection)

    def on_changed(self, changes: Changes) -> None:
        if changes.reset:
            self.fitted = False
        self.follow_changes(changes)

    def on_selection(self, ids, source) -> None:
        self.canvas.show_chosen(tuple(ids))

    def refresh(self) -> None:
        """Draw the client as it is now; fit it the first time it is shown."""
        self.stale = False
        today = self.today()
        self.canvas.today = today
        marks, undated = marks_of(self.ws.graph, today)
        sessions = sorted(self.sessions())
        self.canvas.rebuild(rows_of(dated_sprints(self.ws)), marks, sessions, flagged_ids(self.ws))
        self.notice.setText(
            f"{undated} commitment{'s' if undated != 1 else ''} with no due date not shown."
            if undated
            else ""
        )
        if not self.fitted:
            self.canvas.fit()
            self.fitted = True

    def sessions(self) -> list[tuple[date, str]]:
        found = []
        for row in self.ws.sessions():
            try:
                found.append((date.fromisoformat(row["held_on"]), row.get("title") or "Session"))
            except (TypeError, ValueError):
                continue
        return found

    def set_dates(self, sprint_id: str, start: date, end: date) -> None:
        """A dragged sprint's new dates, as one undo step; a refusal is said, not raised."""
        changes = {"start_date": start.isoformat(), "end_date": end.isoformat()}
        try:
            self.push(EditCommand(self.ws, sprint_id, changes))
        except TrellisError as exc:
            self.notice.setText(str(exc))
            self.said.emit(str(exc))
            return
        self.notice.setText("")


def make_view(window) -> TimelineView:
    view = TimelineView(window.ws, window.selection, window.push)
    view.said.connect(lambda text: window.statusBar().showMessage(text, 8000))
    return view
