"""The commitments list's model: the client's live commitments that the filter lets
through, filtered and sorted by the model itself (see CommitmentModel), and each row's cells
as a person reads them."""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.readable import choice_label, tip
from graph.commitments import CommitmentRow, Filter, LazyRows, own_matcher, reach_matcher
from store.models import COMMITMENT_STATUSES, PRIORITIES

COLUMNS = ("Title", "Status", "Priority", "Type", "Due", "Outcomes", "Goals", "Sprints", "Session")
ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_BRUSH = QBrush(QColor("#c92a2a"))


def titles(refs) -> str:
    return ", ".join(r.title for r in refs)


def rank(values: tuple[str, ...], value: str) -> int:
    """An enum's place in its own order (low < urgent), so sorting reads as a person expects."""
    return values.index(value) if value in values else len(values)


class CommitmentModel(QAbstractTableModel):
    """The client's live commitments that the filter lets through, in the chosen order.

    It filters and sorts itself. Rows (graph.commitments.LazyRows) are derived when first
    read and the order on screen is a list of row numbers, so opening 7,000 commitments
    derives and formats the thirty on screen; a QSortFilterProxyModel would instead read
    every row's sort key through data() from Python on each reset.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows = LazyRows(nx.DiGraph(), {}, date.today())
        self.order: list[int] = []  # the rows shown, as numbers into self.rows
        self.places: dict[int, int] | None = None  # row number -> place in order, when asked
        self.text_rows: dict[int, tuple[str, ...]] = {}
        self.keys: dict[int, list[Any]] = {}  # a column's sort keys, made when first sorted
        self.filter, self.today = Filter(), date.today()
        self.sort_column, self.sort_order = 4, Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: LazyRows) -> None:
        self.beginResetModel()
        self.rows, self.text_rows, self.keys = rows, {}, {}
        self.order, self.places = self.arranged(), None
        self.endResetModel()

    def set_filter(self, f: Filter, today: date) -> None:
        self.filter, self.today = f, today
        self.rearrange()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.rearrange()

    def arranged(self) -> list[int]:
        """The row numbers the filter lets through, in the sort order."""
        numbers: list[int] = list(range(len(self.rows)))
        if not self.filter.is_empty():
            # Own fields first (cheap to read for every row), then derive only the survivors
            # for goal, outcome and sprint: a text search derives no row at all.
            own = own_matcher(self.filter, self.today)
            numbers = [n for n in numbers if own(self.rows.head(n))]
            reach = reach_matcher(self.filter)
            if reach is not None:
                numbers = [n for n in numbers if reach(self.rows[n])]
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        if self.sort_column == 4 and not descending:
            return numbers  # the rows come in due order already
        keys = self.sort_keys(self.sort_column)
        return sorted(numbers, key=keys.__getitem__, reverse=descending)

    def rearrange(self) -> None:
        """A new order (filter or sort) keeping the selection and current row where they are
        still shown."""
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        numbers = [self.order[index.row()] for index in kept]
        self.order, self.places = self.arranged(), None
        moved = [
            self.index_of_row(n, index.column()) for n, index in zip(numbers, kept, strict=True)
        ]
        self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()

    def index_of_row(self, n: int, column: int = 0) -> QModelIndex:
        """Where row number `n` is shown (invalid if the filter hides it)."""
        if self.places is None:
            self.places = {number: place for place, number in enumerate(self.order)}
        place = self.places.get(n)
        return QModelIndex() if place is None else self.index(place, column)

    def row_number(self, item_id: str) -> int | None:
        return self.rows.index_of.get(item_id)

    def shown_rows(self) -> list[CommitmentRow]:
        return [self.rows[n] for n in self.order]

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        return self.cell(self.order[index.row()], index.column(), role)

    def cell(self, n: int, column: int, role=Qt.ItemDataRole.DisplayRole) -> Any:
        """Row number `n`'s cell in `column` for `role`: the list's and the grouped tree's."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text_row(n)[column]
        if role == ID_ROLE:
            return self.rows.ids[n]
        if role == Qt.ItemDataRole.ToolTipRole:  # a cut-short cell in full, as plain text
            return tip(self.text_row(n)[column])
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and self.rows[n].overdue:
            return OVERDUE_BRUSH
        return None

    def text_row(self, n: int) -> tuple[str, ...]:
        """Row number `n`'s cells as a person reads them, in COLUMNS order (made once)."""
        found = self.text_rows.get(n)
        if found is None:
            found = self.text_rows[n] = texts(self.rows[n])
        return found

    def sort_keys(self, column: int) -> list[Any]:
        if column not in self.keys:
            self.keys[column] = [self.sort_key(n, column) for n in range(len(self.rows))]
        return self.keys[column]

    def sort_key(self, n: int, column: int) -> Any:
        """Statuses and priorities in their own order, undated last (the rows' own order),
        text ignoring case."""
        row = self.rows[n]
        if column == 1:
            return rank(COMMITMENT_STATUSES, row.status)
        if column == 2:
            return rank(PRIORITIES, row.priority)
        if column == 4:
            return n
        if column == 8:
            return row.session.held_on if row.session else ""
        return self.text_row(n)[column].casefold()


def texts(row: CommitmentRow) -> tuple[str, ...]:
    """A row's cells as a person reads them, in COLUMNS order."""
    due = f"{row.due} (overdue)" if row.overdue else (row.due or "")
    session = f"{row.session.held_on} {row.session.title}" if row.session else ""
    values = (row.title, choice_label(row.status), choice_label(row.priority))
    values += (choice_label(row.type), due, titles(row.outcomes), titles(row.goals))
    return (*values, titles(row.sprints), session)
