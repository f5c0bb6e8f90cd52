"""The selected goal's, outcome's or sprint's progress over time, in the inspector: a small
step chart (0-100, the sessions as ticks on the time axis), and a larger one in a dialog on a
double-click or the Larger… button.

The values are store.series.client_series' (the audit log replayed, rolled up as the
hierarchy stood at each instant), sampled at SAMPLES instants: a small chart cannot show
more, and each instant is a whole-client roll-up. They are read once per client and kept
until the workspace changes. The drawing is desktop.report's (step_path, time_span), so the
inspector's chart and the PDF's read the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop.model.workspace import Changes, Workspace
from desktop.readable import window_title
from desktop.report import ACCENT, MUTED, RULE, step_path
from graph.progress_series import SERIES_KINDS, Point
from store.errors import TrellisError
from store.report import seconds, time_span
from store.series import client_series

SAMPLES = 60


class ProgressChart(QWidget):
    """One item's progress as a step line over `span` (POSIX seconds), sessions as ticks."""

    def __init__(self, parent=None, height: int = 96):
        super().__init__(parent)
        self.setObjectName("progress_chart")
        self.points: list[Point] = []
        self.sessions: list[str] = []
        self.span = (0.0, 1.0)
        self.opener = None  # a double-click calls it (the larger chart)
        self.setMinimumHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(300, self.minimumHeight())

    def set_data(self, points: list[Point], sessions: list[str], span: tuple[float, float]):
        self.points, self.sessions, self.span = points, sessions, span
        self.update()

    def mouseDoubleClickEvent(self, event) -> None:
        if self.opener is not None:
            self.opener()

    def plot_rect(self) -> QRectF:
        """Room on the left for 0/50/100 and below for the dates."""
        return QRectF(30, 6, self.width() - 38, self.height() - 24)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.plot_rect()
        start, end = self.span
        x = lambda s: rect.left() + rect.width() * (s - start) / (end - start)  # noqa: E731
        y = lambda v: rect.bottom() - rect.height() * v / 100  # noqa: E731
        self.draw_frame(painter, rect, y)
        painter.setPen(QPen(QColor("#7048e8"), 1.2))
        for day in self.sessions:
            if start <= seconds(day) <= end:
                at = x(seconds(day))
                painter.drawLine(QPointF(at, rect.bottom()), QPointF(at, rect.bottom() + 5))
        painter.setPen(QPen(QColor(ACCENT), 1.8))
        painter.drawPath(step_path(self.points, end, x, y))
        self.draw_dates(painter, rect)
        painter.end()

    def draw_frame(self, painter: QPainter, rect: QRectF, y) -> None:
        painter.setPen(QPen(QColor(RULE), 1))
        painter.drawRect(rect)
        painter.setPen(QColor(MUTED))
        for value in (0, 50, 100):
            painter.drawText(QRectF(0, y(value) - 7, 26, 14), int(Qt.AlignmentFlag.AlignRight |
                             Qt.AlignmentFlag.AlignVCenter), f"{value}")  # fmt: skip

    def draw_dates(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QColor(MUTED))
        below = QRectF(rect.left(), rect.bottom() + 4, rect.width(), 14)
        first = datetime.fromtimestamp(self.span[0], UTC).date().isoformat()
        painter.drawText(below, int(Qt.AlignmentFlag.AlignLeft), first)
        painter.drawText(below, int(Qt.AlignmentFlag.AlignRight), "today")


class ProgressPanel(QWidget):
    """The inspector's chart of the shown item, with its Larger… button; hidden for kinds
    that have no progress (commitments, sessions, the client)."""

    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.series: dict[str, list[Point]] | None = None  # this client's, until it changes
        self.item_id: str | None = None
        self.dialog: QDialog | None = None
        self.chart = ProgressChart(self)
        self.chart.opener = self.open_larger
        self.chart.setToolTip(
            "Progress over time; the ticks are sessions. Double-click to enlarge."
        )
        self.larger = QPushButton("Larger…")
        self.larger.clicked.connect(self.open_larger)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.larger)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 4)
        column.addWidget(self.chart)
        column.addLayout(row)
        ws.changed.connect(self.forget)
        self.hide()

    def forget(self, changes: Changes) -> None:
        """Any change but a move can change the series (a new audit row): read them again."""
        if changes.reset or changes.structure or changes.progress or changes.sessions:
            self.series = None

    def follow(self, item_id: str | None) -> None:
        """Chart `item_id` if it is a goal, outcome or sprint; else hide."""
        item = self.ws.item(item_id) if item_id else None
        self.item_id = item_id if item is not None and item.kind in SERIES_KINDS else None
        self.setVisible(self.item_id is not None)
        if self.item_id is not None:
            self.chart.set_data(*self.data())
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.chart.set_data(*self.data())

    def data(self) -> tuple[list[Point], list[str], tuple[float, float]]:
        if self.series is None:
            try:
                self.series = client_series(self.ws.root_id, samples=SAMPLES)
            except TrellisError:
                self.series = {}  # a client gone meanwhile: nothing to chart
        sessions = [s["held_on"] for s in self.ws.sessions()]
        return self.series.get(self.item_id, []), sessions, time_span(self.series, date.today())

    def open_larger(self) -> None:
        """The same chart, big enough to read, in a window of its own (not modal)."""
        if self.item_id is None:
            return
        if self.dialog is None:
            self.dialog = LargerChart(self.window())
        item = self.ws.item(self.item_id)
        self.dialog.setWindowTitle(window_title(f"Progress over time: {item.title}"))
        self.dialog.chart.set_data(*self.data())
        self.dialog.show()
        self.dialog.raise_()


class LargerChart(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("larger_progress_chart")
        self.chart = ProgressChart(self, height=320)
        column = QVBoxLayout(self)
        column.addWidget(self.chart)
        self.resize(720, 380)
