"""The commitments view: the client's live commitments as a sortable list or a status board.

Rows come from graph.commitments over the workspace's own graph (no store read per edit), so a
commitment's goals and sprints are derived through its live outcomes only, each listed once.
One QAbstractTableModel filters and sorts itself (graph.commitments' matchers over rows
derived when first read), so 7,000 rows cost no widget each and opening derives the rows on
screen. The filter reads back as a sentence above the list, and "Clear" empties it in one
click.

Edits (a new status for the chosen commitments) are one undo command each, pushed through the
window; the view then follows `ws.changed` like every other view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.model.commands import EditStep, StoreCommand
from desktop.model.workspace import Changes, Selection, Workspace
from desktop.panels.board import Board
from desktop.panels.bulk import BulkEdits
from desktop.panels.commitment_model import COLUMNS, ID_ROLE, CommitmentModel
from desktop.panels.common import RefreshedWhenShown
from desktop.panels.filters import FILTER_FIELDS, FilterBar
from desktop.panels.grouping import (
    GROUPINGS,
    GroupedView,
    GroupModel,
    group_rows,
    ranker,
    show_sort,
)
from desktop.plain import TextLabel, warn
from desktop.readable import choice_label, plural
from graph.commitments import (
    Filter,
    LazyRows,
    SessionRef,
    sentence,
)
from graph.model import GOAL, OUTCOME, SESSION, SPRINT
from store.coach import session_ref
from store.errors import TrellisError
from store.models import COMMITMENT_STATUSES

# Status keys, one per status in board order: the same shortcut in the list and on the board.
STATUS_KEYS = {status: f"Ctrl+Alt+{n}" for n, status in enumerate(COMMITMENT_STATUSES, 1)}
SHOW_COMMITMENTS_KEY = "Ctrl+Shift+M"
NOTHING_TO_SHOW = "Select a goal, outcome, sprint or session first, then show its commitments."


class CommitmentsView(BulkEdits, RefreshedWhenShown, QWidget):
    """The list (and board) of the client's commitments, with the filter above it."""

    def __init__(
        self,
        ws: Workspace,
        selection: Selection,
        push: Callable[[StoreCommand], None],
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("commitments_view")
        self.ws, self.selection, self.push = ws, selection, push
        self.today: Callable[[], date] = date.today  # a test may fix the day
        self.reveal: Callable[[], None] = lambda: None  # bring this view to the front
        self.applying = False  # filter controls being set together: refresh once at the end
        self.model = CommitmentModel(self)
        self.filters = FilterBar(self.filter_changed)
        self.sentence = TextLabel()
        self.sentence.setObjectName("filter_sentence")
        self.count = TextLabel(wrap=False)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear_filter)
        self.board_toggle = QPushButton("Board")
        self.board_toggle.setCheckable(True)
        self.board_toggle.toggled.connect(self.show_board)
        self.table = self.make_table()
        self.group_by = QComboBox()
        self.group_by.setObjectName("group_by")
        for label, key in GROUPINGS:
            self.group_by.addItem(label, key)
        self.group_by.currentIndexChanged.connect(lambda _n: self.apply_filter())
        self.tree = GroupedView(GroupModel(self.model.cell, COLUMNS, self.sort_grouped))
        self.tree.selectionModel().selectionChanged.connect(self.selected_here)
        self.board = Board(self.set_status)
        self.board.chosen.connect(lambda ids: self.selection.set(ids, source=self))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.board)
        self.stack.addWidget(self.tree)
        self.lay_out()
        self.add_status_actions()
        self.add_edit_actions()
        ws.changed.connect(self.on_changed)
        selection.changed.connect(self.follow)

    def make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("commitments_table")
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # Fixed row heights and no content-sized columns: Qt then measures no row, so 7,000
        # rows open as fast as a bare view (ResizeToContents would lay out every cell).
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.resizeSection(0, 240)
        table.selectionModel().selectionChanged.connect(self.selected_here)
        return table

    def lay_out(self) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.controls())
        column.addWidget(self.stack, 1)

    def controls(self) -> QScrollArea:
        """The filter and its sentence, scrolling sideways when the view is narrow, so the
        view never pushes the side panels aside (its width is the splitter's to give)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filters)
        line = QHBoxLayout()
        line.addWidget(self.sentence, 1)
        line.addWidget(self.count)
        line.addWidget(self.clear_button)
        line.addWidget(self.group_by)
        line.addWidget(self.board_toggle)
        column.addLayout(line)
        area = QScrollArea()
        area.setWidget(box)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setSizeAdjustPolicy(QScrollArea.SizeAdjustPolicy.AdjustToContents)
        area.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        box.setMinimumWidth(box.minimumSizeHint().width())
        return area

    def add_status_actions(self) -> None:
        """Set the chosen commitments' status from the keyboard, in the list or on the board."""
        for status, keys in STATUS_KEYS.items():
            act = QAction(f"Set status: {choice_label(status)}", self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _=False, s=status: self.set_status(self.chosen(), s))
            self.addAction(act)

    # ------------------------------------------------------------ rows

    def on_changed(self, changes: Changes) -> None:
        if changes.reset:
            self.clear_controls()  # the filter named the other client's items
        self.follow_changes(changes)

    def refresh(self) -> None:
        """Rows again from the workspace's graph (already current), then the filter."""
        self.stale = False
        sessions = self.session_refs()
        self.model.set_rows(LazyRows(self.ws.graph, sessions, self.today()))
        self.filters.fill(self.choices(sessions))
        self.apply_filter()

    def session_refs(self) -> dict[str, SessionRef]:
        return {row["id"]: session_ref(row) for row in self.ws.sessions()}

    def choices(self, sessions: dict[str, SessionRef]) -> dict[str, list[tuple[str, str]]]:
        """Each picker's items by title; sessions newest first, as a coach looks for them."""
        found: dict[str, list[tuple[str, str]]] = {GOAL: [], OUTCOME: [], SPRINT: []}
        for node, data in self.ws.graph.nodes(data=True):
            if data["kind"] in found:
                found[data["kind"]].append((node, data["title"]))
        for kind in found:
            found[kind].sort(key=lambda pair: (pair[1].casefold(), pair[0]))
        newest = sorted(sessions.values(), key=lambda s: (s.held_on, s.id), reverse=True)
        found[SESSION] = [(s.id, f"{s.held_on} {s.title}") for s in newest]
        return found

    # ------------------------------------------------------------ the filter

    def filter_changed(self) -> None:
        if not self.applying:
            self.apply_filter()

    def apply_filter(self) -> None:
        f = self.filters.read()
        self.model.set_filter(f, self.today())
        self.sentence.setText(sentence(f, self.titles(f)))
        shown, total = self.model.rowCount(), len(self.model.rows)
        self.count.setText(f"{shown} of {plural(total, 'commitment')}")
        self.clear_button.setEnabled(not f.is_empty())
        self.board.show_rows(self.model.shown_rows)
        self.regroup()

    def titles(self, f: Filter) -> dict[str, str]:
        """The titles of the items `f` names, for its sentence."""
        named = {f.goal, f.outcome, f.sprint} - {None}
        found = {node: self.ws.graph.nodes[node]["title"] for node in named}
        if f.session is None:
            return found
        return found | {row["id"]: session_ref(row).title for row in self.ws.sessions()}

    def current_filter(self) -> Filter:
        return self.model.filter

    def set_filter(self, **parts: Any) -> None:
        """Set several filter controls at once (one refresh); unnamed parts stay as they are."""
        self.applying = True
        try:
            self.filters.set(replace(self.filters.read(), **parts))
        finally:
            self.applying = False
        self.apply_filter()

    def clear_filter(self) -> None:
        self.clear_controls()
        self.apply_filter()

    def clear_controls(self) -> None:
        self.applying = True
        try:
            self.filters.clear()
        finally:
            self.applying = False

    def show_commitments_of(self, item_id: str) -> bool:
        """Filter by one goal, outcome, sprint or session (that alone) and bring the view up."""
        kind = self.kind_of(item_id)
        if kind not in FILTER_FIELDS:
            return False
        if self.stale:
            self.refresh()
        self.clear_controls()
        self.set_filter(**{FILTER_FIELDS[kind]: item_id})
        self.reveal()
        return True

    def kind_of(self, item_id: str) -> str | None:
        item = self.ws.item(item_id)
        if item is not None and not item.deleted:
            return item.kind
        return SESSION if any(s["id"] == item_id for s in self.ws.sessions()) else None

    def show_selected_commitments(self) -> bool:
        """The keyboard's "Show its commitments" for what is selected in the tree or graph."""
        return any(self.show_commitments_of(item_id) for item_id in self.selection.ids)

    # ------------------------------------------------------------ selection

    def chosen(self) -> list[str]:
        """The commitments chosen in the mode on screen."""
        if self.stack.currentWidget() is self.board:
            return self.board.chosen_ids()
        if self.stack.currentWidget() is self.tree:
            return self.tree.chosen_ids()
        rows = self.table.selectionModel().selectedRows()
        return [self.model.data(index, ID_ROLE) for index in rows]

    def selected_here(self) -> None:
        ids = self.chosen()
        if ids:
            self.selection.set(ids, source=self)

    def follow(self, ids, source) -> None:
        """Another view selected something: show the commitments among it as selected here."""
        if source is self or self.stale:
            return
        wanted = QItemSelection()
        for item_id in ids:
            n = self.model.row_number(item_id)
            index = QModelIndex() if n is None else self.model.index_of_row(n)
            if index.isValid():
                wanted.select(index, index)
        model = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        model.blockSignals(True)  # it is the shared selection already; do not echo it
        model.select(wanted, flags | QItemSelectionModel.SelectionFlag.Rows)
        model.blockSignals(False)
        self.table.viewport().update()
        self.board.select_ids(ids)
        self.tree.select_ids(ids)

    # ------------------------------------------------------------ editing

    def set_status(self, ids: list[str], status: str) -> None:
        """One undo step for however many commitments; those already there are left alone."""
        changing = [i for i in ids if self.ws.status(i) != status]
        if not changing:
            return
        what = f"'{self.ws.item(changing[0]).title}'" if len(changing) == 1 else None
        what = what or plural(len(changing), "commitment")
        text = f"Set status of {what} to {choice_label(status).lower()}"
        command = StoreCommand(
            self.ws, text, [EditStep(self.ws, i, {"status": status}) for i in changing]
        )
        try:
            self.push(command)
        except TrellisError as exc:
            warn(self, "Trellis", str(exc))

    def show_board(self, _on: bool = False) -> None:
        self.show_mode()

    def show_mode(self) -> None:
        """The board if asked for, else the grouped tree while grouping, else the list."""
        grouped = self.group_by.currentData() is not None
        mode = self.tree if grouped else self.table
        self.stack.setCurrentWidget(self.board if self.board_toggle.isChecked() else mode)

    def sort_grouped(self, column: int, order: Qt.SortOrder) -> None:
        """A heading clicked in the grouped tree: the list's rows sorted (its heading shows
        it too, without sorting again), then the groups made anew in that order."""
        self.model.sort(column, order)
        show_sort(self.table.horizontalHeader(), column, order)
        self.regroup()

    def regroup(self) -> None:
        """The visible rows in groups (only while grouping: ungrouped costs nothing)."""
        by = self.group_by.currentData()
        self.show_mode()
        if by is None:
            return
        rows = self.model.rows  # the shown rows rank the groups: hidden ones stay underived
        rank = ranker(by, self.ws.graph, self.model.shown_rows())
        groups = group_rows(rows, self.model.order, by, rank)
        self.tree.show_groups(groups, rows.ids)
        show_sort(self.tree.header(), self.model.sort_column, self.model.sort_order)


def show_or_say(window, view: CommitmentsView) -> None:
    """Show the selection's commitments, or say in the status bar what to select first."""
    if not view.show_selected_commitments():
        window.statusBar().showMessage(NOTHING_TO_SHOW, 6000)


def make_view(window) -> CommitmentsView:
    """The view for the window's tab, with the window's "Show its commitments" action."""
    view = CommitmentsView(window.ws, window.selection, window.push)
    view.reveal = lambda: window.tabs.setCurrentWidget(view)
    act = QAction("Show its commitments", window)
    act.setShortcut(QKeySequence(SHOW_COMMITMENTS_KEY))
    act.triggered.connect(lambda: show_or_say(window, view))
    window.addAction(act)
    window.actions["show_commitments"] = act  # the graph's and tree's context menus offer it
    return view
