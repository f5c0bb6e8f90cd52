"""The side panels of the main window: clients, the hierarchy tree, the inspector, findings.

Each panel listens to the workspace's `changed` signal and to the shared Selection, and
asks the window (through signals) for anything that changes data, so every change still
becomes one undo command in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.items import STYLES, dot_icon, kind_icon, readable_status
from desktop.editors import BaseEditor, editor_for
from desktop.model.workspace import Changes, Selection, Workspace
from desktop.plain import TextLabel, ask
from desktop.readable import kind_label, plural, tip
from graph.check import ERROR, INFO, WARNING, Finding, check
from graph.rollup import explain
from store.errors import TrellisError

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
BELOW_ROLE = Qt.ItemDataRole.UserRole + 2  # (kinds still to show below, walk upward?)
PATH_ROLE = Qt.ItemDataRole.UserRole + 3  # a section's key
SEVERITY_COLOURS = {ERROR: "#c92a2a", WARNING: "#e67700", INFO: "#1971c2"}
SEVERITY_WORDS = {ERROR: "error", WARNING: "warning", INFO: "note"}


def heading(text: str) -> QLabel:
    label = QLabel(text.upper())
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 0.82)
    f.setBold(True)
    f.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(f)
    label.setStyleSheet("color: #868e96; padding: 2px 2px 0 2px;")
    return label


def tool_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button


# ---------------------------------------------------------------- clients


class ClientList(QWidget):
    """The clients of the database; choosing one shows its hierarchy."""

    add_requested = Signal()
    rename_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, ws: Workspace, parent=None):
        super().__init__(parent)
        self.ws = ws
        # Asked before another client is shown; False keeps the current one (the window
        # sets it so unsaved edits in the inspector are never dropped on the way).
        self.may_leave: Callable[[], bool] = lambda: True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(heading("Clients"))
        top.addStretch(1)
        self.add_button = tool_button("Add", "New client…")
        self.rename_button = tool_button("Rename", "Rename or edit the client…")
        self.delete_button = tool_button("Delete", "Move the client and their work to the trash…")
        for button in (self.add_button, self.rename_button, self.delete_button):
            top.addWidget(button)
        layout.addLayout(top)
        self.list = QListWidget()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        # A long name is cut with "…" at the panel's edge (its tooltip has it whole), not
        # scrolled sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.list)
        self.add_button.clicked.connect(self.add_requested)
        self.rename_button.clicked.connect(lambda: self.emit_current(self.rename_requested))
        self.delete_button.clicked.connect(lambda: self.emit_current(self.delete_requested))
        self.list.currentItemChanged.connect(self.chosen)
        self.list.itemDoubleClicked.connect(lambda _i: self.emit_current(self.rename_requested))
        ws.changed.connect(self.on_changed)

    def emit_current(self, signal) -> None:
        if self.ws.root_id:
            signal.emit(self.ws.root_id)

    def on_changed(self, changes: Changes) -> None:
        if changes.clients or changes.reset:
            self.fill()

    def fill(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for client in self.ws.clients:
            entry = QListWidgetItem(client["name"])
            entry.setData(ID_ROLE, client["id"])
            notes = client.get("notes")
            entry.setToolTip(tip(f"{client['name']}\n{notes}" if notes else client["name"]))
            self.list.addItem(entry)
            if client["id"] == self.ws.root_id:
                self.list.setCurrentItem(entry)
        self.list.blockSignals(False)
        has_client = self.ws.root_id is not None
        self.rename_button.setEnabled(has_client)
        self.delete_button.setEnabled(has_client)

    def chosen(self, current: QListWidgetItem | None, previous=None) -> None:
        if current is None or current.data(ID_ROLE) == self.ws.root_id:
            return
        if not self.may_leave():
            self.list.blockSignals(True)
            self.list.setCurrentItem(previous)
            self.list.blockSignals(False)
            return
        self.ws.select_client(current.data(ID_ROLE))


# ---------------------------------------------------------------- hierarchy tree


class HierarchyTree(QTreeWidget):
    """Goal → Outcomes → Commitments, Sprints → Outcomes, unlinked items and sessions.

    Rows below the top level are made when their parent is first expanded, so a client with
    10,000 items fills the tree in a blink; expanded rows stay expanded across refreshes.
    """

    edit_requested = Signal(str)
    context_requested = Signal(str, str, QPoint)

    def __init__(self, ws: Workspace, selection: Selection, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.selection = selection
        self.hide_completed = False
        self.entries: dict[str, list[QTreeWidgetItem]] = {}
        self.sections: dict[str, QTreeWidgetItem] = {}
        self.filled_root: str | None = None
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setIndentation(16)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, self.header().ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, self.header().ResizeMode.ResizeToContents)
        self.itemSelectionChanged.connect(self.selected_here)
        self.itemDoubleClicked.connect(self.double_clicked)
        self.itemExpanded.connect(self.populate)
        self.customContextMenuRequested.connect(self.context_menu)
        ws.changed.connect(self.on_changed)
        selection.changed.connect(self.follow)

    def set_hide_completed(self, hide: bool) -> None:
        if hide != self.hide_completed:
            self.hide_completed = hide
            self.fill()

    def on_changed(self, changes: Changes) -> None:
        if changes.structure or changes.sessions:
            self.fill()
        elif changes.progress:
            for item_id in changes.progress:
                for entry in self.entries.get(item_id, ()):
                    entry.setText(1, self.progress_text(item_id))

    # ------------------------------------------------------------ filling

    def fill(self) -> None:
        """Rebuild the top level from the workspace's graph, re-opening what was open."""
        same_client = self.filled_root == self.ws.root_id
        opened = self.open_paths() if same_client else set()
        scrolled = self.verticalScrollBar().value()
        self.blockSignals(True)
        self.clear()
        self.entries = {}
        g = self.ws.graph
        goals = self.section("goals", "Goals", "goal")
        sprints = self.section("sprints", "Sprints", "sprint")
        loose = self.section("loose", "Not linked yet", "")
        for node, kind in sorted(g.nodes(data="kind"), key=lambda n: self.sort_key(n[0])):
            if not self.shown(node):
                continue
            if kind == "goal":
                self.add_entry(goals, node, ("outcome", "commitment"))
            elif kind == "sprint":
                self.add_entry(sprints, node, ("outcome",), upward=True)
            elif not any(True for _ in g.predecessors(node)):
                self.add_entry(loose, node, ("commitment",) if kind == "outcome" else ())
        self.add_sessions()
        for section in (goals, sprints, loose):
            section.setHidden(section.childCount() == 0)
            section.setExpanded(True)
        if not same_client and goals.childCount() <= 40:
            opened = {("goals", goals.child(i).data(0, ID_ROLE)) for i in range(goals.childCount())}
        self.reopen(opened)
        self.filled_root = self.ws.root_id
        self.blockSignals(False)
        self.verticalScrollBar().setValue(scrolled if same_client else 0)
        self.follow(self.selection.ids, None)

    def sort_key(self, node: str) -> tuple:
        item = self.ws.item(node)
        fields = item.fields if item else {}
        return (fields.get("sprint_number") or 0, fields.get("order_index") or 0, item.title)

    def shown(self, node: str) -> bool:
        return not (self.hide_completed and self.ws.status(node) == "completed")

    def section(self, key: str, title: str, kind: str) -> QTreeWidgetItem:
        entry = QTreeWidgetItem(self, [title])
        entry.setData(0, PATH_ROLE, key)
        f = entry.font(0)
        f.setBold(True)
        entry.setFont(0, f)
        entry.setFlags(Qt.ItemFlag.ItemIsEnabled)
        if kind in STYLES:
            entry.setForeground(0, QBrush(QColor(STYLES[kind].accent)))
        self.sections[key] = entry
        return entry

    def add_entry(
        self, parent: QTreeWidgetItem, node: str, below: tuple[str, ...], upward: bool = False
    ) -> QTreeWidgetItem:
        """One row for `node`; the kinds `below` it are added when it is first expanded."""
        item = self.ws.item(node)
        entry = QTreeWidgetItem(parent, [item.title, self.progress_text(node)])
        entry.setData(0, ID_ROLE, node)
        entry.setData(0, KIND_ROLE, item.kind)
        entry.setData(0, BELOW_ROLE, (below, upward))
        status = readable_status(item.fields.get("status") or "")
        entry.setToolTip(0, tip(f"{kind_label(item.kind)} · {status}\n{item.title}"))
        style = STYLES.get(item.kind)
        if style is not None:
            entry.setForeground(1, QBrush(QColor(style.accent)))
            entry.setIcon(0, kind_icon(item.kind))
        if item.fields.get("status") == "completed":
            entry.setForeground(0, QBrush(QColor("#868e96")))
        if below and self.children_of(node, below, upward):
            entry.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        self.entries.setdefault(node, []).append(entry)
        return entry

    def children_of(self, node: str, below: tuple[str, ...], upward: bool) -> list[str]:
        g = self.ws.graph
        near = g.predecessors(node) if upward else g.successors(node)
        wanted = [n for n in near if g.nodes[n]["kind"] == below[0] and self.shown(n)]
        return sorted(wanted, key=self.sort_key)

    def populate(self, entry: QTreeWidgetItem) -> None:
        """Make an entry's child rows the first time it opens."""
        node = entry.data(0, ID_ROLE)
        if not node or entry.childCount() or not entry.data(0, BELOW_ROLE):
            return
        below, upward = entry.data(0, BELOW_ROLE)
        if not below or node not in self.ws.graph:
            return
        for child in self.children_of(node, below, upward):
            self.add_entry(entry, child, below[1:])

    def open_paths(self) -> set[tuple[str, ...]]:
        """The expanded rows as paths of ids from the section down (what to re-open)."""
        found: set[tuple[str, ...]] = set()

        def walk(entry: QTreeWidgetItem, path: tuple[str, ...]) -> None:
            for i in range(entry.childCount()):
                child = entry.child(i)
                key = child.data(0, ID_ROLE)
                if key and child.isExpanded():
                    found.add((*path, key))
                    walk(child, (*path, key))

        for key, section in self.sections.items():
            walk(section, (key,))
        return found

    def reopen(self, paths: set[tuple[str, ...]]) -> None:
        for path in sorted(paths, key=len):
            entry = self.sections.get(path[0])
            for key in path[1:]:
                entry = self.child_for(entry, key) if entry is not None else None
            if entry is not None:
                entry.setExpanded(True)
                self.populate(entry)

    def child_for(self, entry: QTreeWidgetItem, key: str) -> QTreeWidgetItem | None:
        self.populate(entry)
        for i in range(entry.childCount()):
            if entry.child(i).data(0, ID_ROLE) == key:
                return entry.child(i)
        return None

    def add_sessions(self) -> None:
        sessions = self.ws.sessions()
        if not sessions:
            return
        section = self.section("sessions", "Sessions", "")
        for session in reversed(sessions):
            title = session.get("title") or "Session"
            entry = QTreeWidgetItem(section, [f"{session['held_on']}   {title}"])
            entry.setData(0, ID_ROLE, session["id"])
            entry.setData(0, KIND_ROLE, "session")
            self.entries.setdefault(session["id"], []).append(entry)
        section.setExpanded(False)

    def progress_text(self, node: str) -> str:
        value = self.ws.progress.get(node)
        return "" if value is None else f"{value:.0f}%"

    # ------------------------------------------------------------ selection

    def selected_here(self) -> None:
        ids = [e.data(0, ID_ROLE) for e in self.selectedItems() if e.data(0, ID_ROLE)]
        self.selection.set(ids, source=self)

    def reveal(self, node: str) -> None:
        """Open the rows down to one place where `node` appears, if it has none yet."""
        if self.entries.get(node) or node not in self.ws.graph:
            return
        path = self.tree_path(node)
        entry = self.sections.get(path[0]) if path else None
        for key in path[1:]:
            if entry is None:
                return
            entry.setExpanded(True)
            entry = self.child_for(entry, key)

    def tree_path(self, node: str) -> tuple[str, ...]:
        """Section key and ids from the top row down to `node` (first parents first)."""
        g = self.ws.graph
        kind = g.nodes[node]["kind"]
        if kind == "goal":
            return ("goals", node)
        if kind == "sprint":
            return ("sprints", node)
        ups = sorted((p for p in g.predecessors(node) if self.shown(p)), key=self.sort_key)
        if not ups:
            return ("loose", node)
        above = self.tree_path(ups[0])
        return (*above, node) if above and above[0] != "sprints" else ()

    def follow(self, ids, source) -> None:
        """Select every row showing one of `ids` (an outcome can sit under two goals)."""
        if source is self:
            return
        self.blockSignals(True)
        self.clearSelection()
        first = None
        for item_id in ids:
            self.reveal(item_id)
            for entry in self.entries.get(item_id, ()):
                entry.setSelected(True)
                first = first or entry
        if first is not None:
            self.scrollToItem(first)
        self.blockSignals(False)

    def double_clicked(self, entry: QTreeWidgetItem, _column: int) -> None:
        if entry.data(0, ID_ROLE):
            self.edit_requested.emit(entry.data(0, ID_ROLE))

    def context_menu(self, point: QPoint) -> None:
        entry = self.itemAt(point)
        item_id = entry.data(0, ID_ROLE) if entry else None
        if item_id:
            kind = entry.data(0, KIND_ROLE)
            role = "session" if kind == "session" else "node"
            self.context_requested.emit(role, item_id, self.viewport().mapToGlobal(point))


# ---------------------------------------------------------------- inspector


class Inspector(QWidget):
    """Edit the selected item in place (one undo step per Save), or a link's weight."""

    weight_requested = Signal(str, float)
    history_requested = Signal(str)

    def __init__(self, ws: Workspace, selection: Selection, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.selection = selection
        self.item_id: str | None = None
        self.editor: BaseEditor | None = None
        self.save_handler = None  # set by the window: (item_id, changes) -> None, may raise
        self.dirty = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(heading("Inspector"))
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.empty = QLabel("Select an item in the graph or the tree to see and edit it here.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setStyleSheet("color: #868e96; padding: 8px;")
        self.pages.addWidget(self.empty)
        self.item_page = self.build_item_page()
        self.pages.addWidget(self.item_page)
        self.link_page = self.build_link_page()
        self.pages.addWidget(self.link_page)
        ws.changed.connect(self.on_changed)
        selection.changed.connect(self.follow)

    def build_item_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        # The kind and the title are two labels: the title is the user's text, shown plain.
        self.kind_caption = QLabel()
        self.kind_caption.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.kind_caption)
        self.title = TextLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.title.setFont(f)
        column.addWidget(self.title)
        self.explanation = TextLabel()
        self.explanation.setStyleSheet("color: #495057; padding: 2px 0 6px 0;")
        column.addWidget(self.explanation)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        column.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        self.history_button = QPushButton("History…")
        self.revert_button = QPushButton("Revert")
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        column.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        # Keys as in a dialog: Enter in a one-line field saves, Esc puts the stored values back.
        revert = QShortcut(QKeySequence(Qt.Key.Key_Escape), page, self.revert)
        revert.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.item_id))
        return page

    def build_link_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.link_text = TextLabel()
        column.addWidget(self.link_text)
        hint = QLabel("Press Delete to unlink.")
        hint.setStyleSheet("color: #868e96; padding: 6px 0;")
        column.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(QLabel("Weight"))
        self.weight = QDoubleSpinBox()
        self.weight.setRange(0.1, 100.0)
        self.weight.setSingleStep(0.5)
        self.weight.setDecimals(1)
        self.weight.setToolTip("How much the lower item counts toward the upper one's progress.")
        row.addWidget(self.weight)
        self.weight_button = QPushButton("Apply")
        row.addWidget(self.weight_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)
        self.weight_button.clicked.connect(
            lambda: self.weight_requested.emit(self.item_id, self.weight.value())
        )
        return page

    def sizeHint(self) -> QSize:
        return QSize(330, 520)

    # ------------------------------------------------------------ following

    def follow(self, ids, _source=None) -> None:
        # Moving on keeps what was typed: unsaved edits are saved first, as one undo step. If
        # they are refused, the inspector stays on the item with the reason at the field.
        if self.dirty and not self.save():
            return
        self.show_id(ids[0] if len(ids) == 1 else None, len(ids))

    def on_changed(self, changes: Changes) -> None:
        if self.item_id is None:
            return
        if changes.reset or self.item_id in changes.items or self.item_id in changes.links:
            self.show_id(self.item_id if self.exists(self.item_id) else None, 1, force=True)
        elif self.item_id in changes.progress:
            self.explain()

    def exists(self, item_id: str) -> bool:
        return self.ws.is_live(item_id) or self.ws.link(item_id) is not None

    def show_id(self, item_id: str | None, count: int, force: bool = False) -> None:
        if item_id == self.item_id and not force:
            return
        self.item_id = item_id
        if item_id is None:
            self.empty.setText(
                f"{count} items selected."
                if count > 1
                else "Select an item in the graph or the tree to see and edit it here."
            )
            self.pages.setCurrentWidget(self.empty)
        elif self.ws.link(item_id) is not None and not self.ws.is_live(item_id):
            self.show_link(item_id)
        else:
            self.show_item(item_id)

    def show_item(self, item_id: str) -> None:
        try:
            row = self.ws.row(item_id)
        except TrellisError:
            self.item_id = None
            self.pages.setCurrentWidget(self.empty)
            return
        kind = self.kind_of(item_id, row)
        if self.editor is None or self.editor.kind != kind:
            self.editor = editor_for(kind)(sessions=self.ws.sessions())
            self.editor.edited.connect(self.mark_dirty)
            for adapter in self.editor.inputs.values():
                if isinstance(adapter.focus, QLineEdit):
                    adapter.focus.returnPressed.connect(self.save)
            self.scroll.setWidget(self.editor)
        else:
            self.editor.set_sessions(self.ws.sessions())
        self.editor.load(row)
        for adapter in self.editor.inputs.values():
            if isinstance(adapter.focus, QLineEdit):
                adapter.focus.setCursorPosition(0)  # show a long title from its start
        self.dirty = False
        self.save_button.setEnabled(False)
        self.revert_button.setEnabled(False)
        item = self.ws.item(item_id)
        title = item.title if item else (row.get("title") or row.get("name") or "")
        colour = STYLES[kind].accent if kind in STYLES else "#495057"
        self.kind_caption.setText(kind_label(kind).upper())
        self.kind_caption.setStyleSheet(f"color: {colour}; font-size: small;")
        self.title.setText(title)
        self.explain()
        self.pages.setCurrentWidget(self.item_page)

    def kind_of(self, item_id: str, row: dict[str, Any]) -> str:
        item = self.ws.item(item_id)
        if item is not None:
            return item.kind
        return "session" if "held_on" in row else "client"

    def explain(self) -> None:
        item_id = self.item_id
        if item_id in self.ws.graph and self.ws.graph.nodes[item_id]["kind"] != "sprint":
            self.explanation.setText(explain(self.ws.graph, item_id).text)
            self.explanation.show()
        else:
            self.explanation.hide()

    def show_link(self, link_id: str) -> None:
        link = self.ws.link(link_id)
        upper, lower = self.ws.item(link.upper), self.ws.item(link.lower)
        self.link_text.setText(
            f"{kind_label(lower.kind)} “{lower.title}”\n"
            f"serves {kind_label(upper.kind).lower()} “{upper.title}”."
        )
        self.weight.setValue(link.weight)
        self.pages.setCurrentWidget(self.link_page)

    def mark_dirty(self) -> None:
        self.dirty = True
        self.save_button.setEnabled(True)
        self.revert_button.setEnabled(True)

    def reload(self) -> None:
        if self.item_id:
            self.show_id(self.item_id, 1, force=True)

    def settle(self, leaving: str) -> bool:
        """Before the item goes out of reach (another client, closing): save what was typed.
        If the store refuses it, ask whether to `leaving` without it; False means stay."""
        if not self.dirty or self.save():
            return True
        answer = ask(
            self,
            "Unsaved change",
            "Your change in the inspector cannot be saved as it is; the reason is shown at the "
            f"field. {leaving} without it?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return False
        self.revert()
        return True

    def revert(self) -> None:
        """Drop unsaved edits and show the selection (which a refused save may have left)."""
        if not self.dirty:
            return
        self.dirty = False
        ids = self.selection.ids
        self.show_id(ids[0] if len(ids) == 1 else None, len(ids), force=True)

    def save(self) -> bool:
        """Check the form, then save the changed fields as one undo step; False if refused."""
        if not self.dirty or self.editor is None or self.item_id is None or not self.save_handler:
            return True
        item_id, save_handler = self.item_id, self.save_handler
        if not self.editor.submit(lambda changes: save_handler(item_id, changes)):
            return False
        self.reload()
        return True


# ---------------------------------------------------------------- findings


class FindingsPanel(QWidget):
    """What `graph.check` says about the current client; clicking a finding selects its items."""

    def __init__(self, ws: Workspace, selection: Selection, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.selection = selection
        self.findings: list[Finding] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        top.addWidget(heading("Findings"))
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #868e96;")
        top.addWidget(self.summary)
        layout.addLayout(top)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setSpacing(2)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.list)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)  # many quick changes (a multi-delete) → one check
        self.timer.timeout.connect(self.refresh)
        self.list.itemClicked.connect(self.clicked)
        # Selection, not the current row: focus arriving in the list (Tab, or a button beside
        # it being disabled) makes the first row current without anyone choosing it.
        self.list.itemSelectionChanged.connect(self.selected_here)
        ws.changed.connect(self.on_changed)

    def on_changed(self, changes: Changes) -> None:
        if changes.reset:
            self.refresh()
        elif changes.structure or changes.progress:
            self.timer.start()

    def refresh(self) -> None:
        """Run the check now (also Tools → Check consistency)."""
        self.timer.stop()
        # The workspace's graph is build(hierarchy) kept current: no second build.
        self.findings = check(self.ws.hierarchy, self.ws.graph) if self.ws.root_id else []
        self.list.blockSignals(True)
        self.list.clear()
        for finding in self.findings:
            colour = SEVERITY_COLOURS.get(finding.severity, "#495057")
            entry = QListWidgetItem(dot_icon(colour), finding.message)
            entry.setForeground(QBrush(QColor("#343a40")))
            entry.setData(ID_ROLE, finding)
            entry.setToolTip(tip(f"{finding.severity}: {finding.code}\n{finding.message}"))
            self.list.addItem(entry)
        if not self.findings:
            entry = QListWidgetItem("✓  No problems found.")
            entry.setForeground(QBrush(QColor("#2f9e44")))
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        self.summary.setText(self.summary_text())

    def summary_text(self) -> str:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        parts = []
        for severity in (ERROR, WARNING, INFO):
            if counts.get(severity):
                parts.append(plural(counts[severity], SEVERITY_WORDS[severity]))
        return ", ".join(parts) or "all clear"

    def selected_here(self) -> None:
        chosen = self.list.selectedItems()
        if chosen:
            self.clicked(chosen[0])

    def clicked(self, entry: QListWidgetItem | None) -> None:
        finding = entry.data(ID_ROLE) if entry is not None else None
        if isinstance(finding, Finding):
            self.selection.set(list(finding.items) + list(finding.links), source=self)
