"""The hierarchy tree: the client's goals, outcomes, sprints, commitments and sessions,
filled lazily, following the shared selection."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QTreeWidget,
    QTreeWidgetItem,
)

from desktop.canvas.style import STYLES, kind_icon, readable_status
from desktop.model.workspace import Changes, Selection, Workspace
from desktop.panels.common import (
    BELOW_ROLE,
    ID_ROLE,
    KIND_ROLE,
    PATH_ROLE,
)
from desktop.readable import kind_label, tip


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
        self.entries, self.sections = {}, {}  # the rows clear() deleted go with it
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
