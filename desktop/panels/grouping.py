"""The commitments list grouped by session (newest first), by sprint or by outcome.

A commitment reaching two sprints (or serving two outcomes) is listed under each, as a coach
reads "what is in Sprint 2"; one with none sits in a last "No sprint" group. The groups are
plain data (`group_rows`) over the rows the filter lets through, in the list's own sort order;
GroupModel shows them as a two-level tree that reads cells from the list's model, so grouping
7,000 rows builds index lists, never an item per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
from PySide6.QtCore import QAbstractItemModel, QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from graph.commitments import CommitmentRow
from graph.model import SPRINT

ID_ROLE = Qt.ItemDataRole.UserRole
# The choices of the "Group by" box: (label, key); None lists the rows ungrouped.
GROUPINGS = (("No grouping", None), ("Group by session", "session"))
GROUPINGS += (("Group by sprint", "sprint"), ("Group by outcome", "outcome"))
NONE_LABEL = {"session": "No session", "sprint": "No sprint", "outcome": "No outcome"}

Group = tuple[str, list[int]]  # a heading and the rows under it (indices into the list's rows)


def keys_of(row: CommitmentRow, by: str) -> list[tuple[str, str]]:
    """The (id, heading) of each group `row` belongs to under `by`."""
    if by == "session":
        s = row.session
        return [(s.id, f"{s.held_on} {s.title}".strip())] if s else []
    refs = row.sprints if by == "sprint" else row.outcomes
    return [(r.id, r.title) for r in refs]


def group_rows(
    rows: list[CommitmentRow], order: list[int], by: str, rank: Callable[[str, str], Any]
) -> list[Group]:
    """Groups of `order` (row indices, already sorted) under `by`, ordered by `rank(id,
    heading)`; rows in no group come last under "No session" (sprint, outcome)."""
    found: dict[str, list[int]] = {}
    headings: dict[str, str] = {}
    loose: list[int] = []
    for n in order:
        keys = keys_of(rows[n], by)
        for key, heading in keys:
            headings[key] = heading
            found.setdefault(key, []).append(n)
        if not keys:
            loose.append(n)
    newest_first = by == "session"
    ordered = sorted(found, key=lambda key: rank(key, headings[key]), reverse=newest_first)
    groups = [(f"{headings[k]} ({len(found[k])})", found[k]) for k in ordered]
    return groups + ([(f"{NONE_LABEL[by]} ({len(loose)})", loose)] if loose else [])


def sprint_numbers(g: nx.DiGraph) -> dict[str, int]:
    return {
        node: data["item"].fields.get("sprint_number") or 0
        for node, data in g.nodes(data=True)
        if data["kind"] == SPRINT
    }


def ranker(by: str, g: nx.DiGraph, rows: list[CommitmentRow]) -> Callable[[str, str], Any]:
    """Sessions by the day held (group_rows puts the newest first), sprints by number,
    outcomes by title ignoring case."""
    if by == "session":
        held_on = {r.session.id: r.session.held_on for r in rows if r.session}
        return lambda key, heading: (held_on.get(key, ""), key)
    if by == "sprint":
        numbers = sprint_numbers(g)
        return lambda key, heading: (numbers.get(key, 0), heading.casefold(), key)
    return lambda key, heading: (heading.casefold(), key)


class GroupModel(QAbstractItemModel):
    """Groups at the top, their commitments under them; cells come from the list's model."""

    def __init__(
        self,
        cells: Callable[[int, int], Any],
        columns: tuple[str, ...],
        sort_rows: Callable[[int, Qt.SortOrder], None],
        parent=None,
    ):
        """`sort_rows(column, order)` sorts the list's rows and regroups them: a click on a
        heading sorts inside every group, in the list's order too."""
        super().__init__(parent)
        self.cell, self.columns, self.sort_rows = cells, columns, sort_rows
        self.groups: list[Group] = []
        self.ids: list[str] = []

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_rows(column, order)

    def set_groups(self, groups: list[Group], ids: list[str]) -> None:
        self.beginResetModel()
        self.groups, self.ids = groups, ids
        self.endResetModel()

    def index(self, row: int, column: int, parent: QModelIndex | None = None) -> QModelIndex:
        # A child's internal id is its group's number + 1; a group's is 0.
        parent = parent or QModelIndex()
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | None = None) -> QModelIndex:  # type: ignore[override]
        if index is None or not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        if parent is None or not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(self.groups):
            return len(self.groups[parent.row()][1])
        return 0

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def source_row(self, index: QModelIndex) -> int | None:
        group = index.internalId() - 1
        return None if group < 0 else self.groups[group][1][index.row()]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        n = self.source_row(index)
        if n is None:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return self.groups[index.row()][0]
            return HEADING_FONT if role == Qt.ItemDataRole.FontRole else None
        if role == ID_ROLE:
            return self.ids[n]
        return self.cell(n, index.column(), role)


def show_sort(header: QHeaderView, column: int, order: Qt.SortOrder) -> None:
    """Show a sort on a heading row without sorting again (its signal would)."""
    header.blockSignals(True)
    header.setSortIndicator(column, order)
    header.blockSignals(False)


HEADING_FONT = QFont()
HEADING_FONT.setBold(True)


class GroupedView(QTreeView):
    """The grouped list: every group open, a row per commitment per group it is in."""

    def __init__(self, model: GroupModel, parent=None):
        super().__init__(parent)
        self.setObjectName("commitments_groups")
        self.setModel(model)
        self.setUniformRowHeights(True)  # no row measured: thousands stay quick
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.header().resizeSection(0, 280)
        # Sorting as setSortingEnabled does, less its first sort: the list is sorted already.
        header = self.header()
        header.setSortIndicator(4, Qt.SortOrder.AscendingOrder)  # the list's: by due date
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(model.sort)

    def show_groups(self, groups: list[Group], ids: list[str]) -> None:
        self.selectionModel().blockSignals(True)  # the shared selection is unchanged
        self.selectionModel().clear()
        self.selectionModel().blockSignals(False)
        self.model().set_groups(groups, ids)
        for n in range(len(groups)):
            self.setFirstColumnSpanned(n, QModelIndex(), True)  # a heading reads across
        self.expandAll()

    def chosen_ids(self) -> list[str]:
        """Each chosen commitment once, though it may be chosen under two groups."""
        found = (self.model().data(i, ID_ROLE) for i in self.selectionModel().selectedRows())
        return list(dict.fromkeys(i for i in found if i is not None))

    def select_ids(self, ids) -> None:
        """Show the shared selection here, under every group each commitment is in."""
        model, wanted, chosen = self.model(), QItemSelection(), set(ids)
        for g, (_heading, rows) in enumerate(model.groups):
            parent = model.index(g, 0)
            for r, n in enumerate(rows):
                if model.ids[n] in chosen:
                    wanted.select(model.index(r, 0, parent), model.index(r, 0, parent))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().blockSignals(True)  # already the shared selection: no echo
        self.selectionModel().select(wanted, flags | QItemSelectionModel.SelectionFlag.Rows)
        self.selectionModel().blockSignals(False)
        self.viewport().update()
