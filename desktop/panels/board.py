"""The commitments board: one column per status, a card per commitment the filter lets through.

Dragging cards to another column asks for that status (one undo command, made by the view);
the board itself changes nothing and redraws from the rows it is given. The drag is followed
by hand (press, move past the drag distance, release over a column) rather than with QDrag,
whose nested event loop belongs to the window system: the gesture is then the same on every
platform and a test can drive it with plain mouse events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.panels import heading
from desktop.readable import choice_label, tip
from graph.commitments import CommitmentRow
from store.models import COMMITMENT_STATUSES

ID_ROLE = Qt.ItemDataRole.UserRole
IGNORED = QSizePolicy.Policy.Ignored


def card_text(row: CommitmentRow) -> str:
    """A card's two lines: the title, then when it is due (plain text)."""
    due = f"due {row.due}" + (" (overdue)" if row.overdue else "") if row.due else "no due date"
    return f"{row.title}\n{due}"


class Column(QListWidget):
    """One status's cards."""

    def __init__(self, status: str, parent=None):
        super().__init__(parent)
        self.status = status
        self.setObjectName(f"board_{status}")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Every card two lines (title, due), a long title cut short with its whole text in the
        # tooltip: cards of one size are never measured, so thousands of them stay quick.
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setUniformItemSizes(True)
        self.setSpacing(2)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setMinimumWidth(16)  # narrow columns elide their cards; the view stays narrow
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def card(self, item_id: str) -> QListWidgetItem | None:
        for n in range(self.count()):
            if self.item(n).data(ID_ROLE) == item_id:
                return self.item(n)
        return None


class Board(QWidget):
    """Columns by status; `chosen` says which cards the person selected."""

    chosen = Signal(object)  # list of commitment ids

    def __init__(self, set_status: Callable[[list[str], str], None], parent=None):
        super().__init__(parent)
        self.setObjectName("commitments_board")
        self.set_status = set_status
        self.rows_of: Callable[[], Iterable[CommitmentRow]] = tuple
        self.drawn = True
        self.following = False
        self.pressed: tuple[Column, QPoint, list[str]] | None = None
        self.dragging = False
        self.columns = {status: Column(status) for status in COMMITMENT_STATUSES}
        self.headings = {}
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        for status, column in self.columns.items():
            box = QVBoxLayout()
            self.headings[status] = heading(choice_label(status))
            # Headings and columns may get narrow: the board must not widen the view.
            self.headings[status].setSizePolicy(IGNORED, QSizePolicy.Policy.Fixed)
            box.addWidget(self.headings[status])
            box.addWidget(column, 1)
            line.addLayout(box, 1)
            column.viewport().installEventFilter(self)
            column.itemSelectionChanged.connect(lambda c=column: self.selected_in(c))

    # ------------------------------------------------------------ cards

    def show_rows(self, rows_of: Callable[[], Iterable[CommitmentRow]]) -> None:
        """Where the filtered rows come from; asked (and drawn) now if on screen, else
        when next shown, so a hidden board costs nothing per filter change."""
        self.rows_of = rows_of
        self.drawn = False
        if self.isVisible():
            self.draw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.drawn:
            self.draw()

    def draw(self) -> None:
        self.drawn = True
        by_status: dict[str, list[CommitmentRow]] = {s: [] for s in self.columns}
        for row in self.rows_of():
            by_status.setdefault(row.status, []).append(row)
        for status, column in self.columns.items():
            self.fill(column, by_status[status])
            count = len(by_status[status])
            self.headings[status].setText(f"{choice_label(status).upper()}  {count}")

    def fill(self, column: Column, rows: list[CommitmentRow]) -> None:
        keep = set(self.ids_in(column))
        column.blockSignals(True)
        column.clear()
        for row in rows:
            card = QListWidgetItem(card_text(row))
            card.setData(ID_ROLE, row.id)
            card.setToolTip(tip(row.title))
            column.addItem(card)
            card.setSelected(row.id in keep)
        column.blockSignals(False)

    def ids_in(self, column: Column) -> list[str]:
        return [card.data(ID_ROLE) for card in column.selectedItems()]

    def chosen_ids(self) -> list[str]:
        return [i for column in self.columns.values() for i in self.ids_in(column)]

    def card(self, item_id: str) -> QListWidgetItem | None:
        """The card of a commitment (for tests and for following the selection)."""
        for column in self.columns.values():
            found = column.card(item_id)
            if found is not None:
                return found
        return None

    # ------------------------------------------------------------ selection

    def selected_in(self, column: Column) -> None:
        """A card chosen in one column: the others let go, and the window hears of it."""
        if self.following:
            return
        self.following = True
        for other in self.columns.values():
            if other is not column:
                other.clearSelection()
        self.following = False
        ids = self.ids_in(column)
        if ids:
            self.chosen.emit(ids)

    def select_ids(self, ids) -> None:
        """Show the shared selection's commitments as chosen cards (no echo back)."""
        wanted = set(ids)
        self.following = True
        for column in self.columns.values():
            column.blockSignals(True)
            for n in range(column.count()):
                card = column.item(n)
                card.setSelected(card.data(ID_ROLE) in wanted)
            column.blockSignals(False)
            column.viewport().update()
        self.following = False

    # ------------------------------------------------------------ dragging a card

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        column = watched.parent()
        if not isinstance(column, Column):
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self.press(column, event.position().toPoint())
        elif kind == QEvent.Type.MouseMove and self.pressed is not None:
            return self.move(event.position().toPoint())
        elif kind == QEvent.Type.MouseButtonRelease and self.pressed is not None:
            return self.release(column, event.position().toPoint())
        return False

    def press(self, column: Column, at: QPoint) -> None:
        card = column.itemAt(at)
        if card is None:
            self.pressed = None
            return
        # Pressing a chosen card drags every chosen card of its column; any other, itself.
        chosen = self.ids_in(column) if card.isSelected() else []
        self.pressed = (column, at, chosen or [card.data(ID_ROLE)])
        self.dragging = False

    def move(self, at: QPoint) -> bool:
        start = self.pressed[1]
        if not self.dragging and (at - start).manhattanLength() >= self.drag_distance():
            self.dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        return self.dragging  # while dragging, the list must not sweep a selection

    def release(self, column: Column, at: QPoint) -> bool:
        source, _, ids = self.pressed
        dragged = self.dragging
        self.pressed, self.dragging = None, False
        self.unsetCursor()
        if not dragged:
            return False
        target = self.column_at(column.viewport().mapToGlobal(at))
        if target is not None and target is not source:
            self.set_status(ids, target.status)
        return True

    def column_at(self, global_point: QPoint) -> Column | None:
        for column in self.columns.values():
            if column.rect().contains(column.mapFromGlobal(global_point)):
                return column
        return None

    def drag_distance(self) -> int:
        return QApplication.startDragDistance()
