"""The graph editor: scene and view, the context menu, where new nodes go, and find.

It is the window's middle, the way orange-canvas-core's SchemeEditWidget is: it edits the
workspace it is given through undo commands and knows nothing of files, menus or dialogs.
What it cannot do itself (open an editor, ask for a new item, show history, delete the
selection) it asks for by signal; the window answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QPoint, QPointF, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from desktop.actions import runner
from desktop.canvas.scene import GraphScene
from desktop.canvas.style import kind_icon
from desktop.canvas.view import GraphView
from desktop.model.commands import AutoLayoutCommand, StoreCommand
from desktop.model.workspace import Selection, Workspace
from graph.model import GOAL, OUTCOME, SPRINT
from store.errors import TrellisError

# What "New … for this item" offers on a node's context menu: the kinds that hang below it
# (and, for a sprint, the outcome it works on).
CHILD_KINDS = {
    "goal": ("outcome",),
    "outcome": ("commitment", "sprint"),
    "sprint": ("outcome",),
    "commitment": (),
}
NEW_KINDS = ("goal", "outcome", "sprint", "commitment")


class GraphEditor(QObject):
    """One workspace's graph, edited with the mouse, the context menu and find."""

    message = Signal(str, int)  # a line for the status bar, and for how many ms
    edit_requested = Signal(str)  # item id
    new_requested = Signal(str, object, object)  # kind, parent id or None, scene point or None
    history_requested = Signal(str)  # item or link id
    delete_requested = Signal()  # the selection
    completed_needed = Signal()  # find's match is hidden with the completed items

    def __init__(
        self,
        ws: Workspace,
        selection: Selection,
        push: Callable[[StoreCommand], None],
        actions: Mapping[str, QAction],
        parent: QWidget,
    ):
        """`actions`: the window's, for the keys the context menu shows (filled later)."""
        super().__init__(parent)
        self.ws, self.selection, self.push, self.actions = ws, selection, push, actions
        self.scene = GraphScene(ws, parent)
        self.view = GraphView(self.scene, push)
        self.scene.selection_changed.connect(lambda ids: selection.set(ids, self.scene))
        selection.changed.connect(self.follow_selection)
        self.view.edit_requested.connect(self.edit_requested)
        self.view.context_requested.connect(self.context_menu)
        self.view.message.connect(lambda text: self.message.emit(text, 8000))

    # ------------------------------------------------------------ placing and finding

    def free_spot(self, kind: str, parent_id: str | None, at: QPointF | None) -> tuple:
        """Where a new node goes: at the click, else in its kind's lane nearest its parent
        (or the middle of the view); in free space either way, so no other node moves."""
        if at is not None:
            near, y = (at.x(), at.y()), at.y()
        elif parent_id is not None and parent_id in self.scene.nodes:
            centre = self.scene.nodes[parent_id].centre()
            near, y = (centre.x(), centre.y()), None
        else:
            near, y = (self.view.visible_scene_rect().center().x(), 0.0), None
        x, y = self.ws.new_spot(kind, near, y)
        return (round(x, 1), round(y, 1))

    def find(self, text: str) -> str | None:
        """Focus the first item whose title matches `text` (exact, then contained)."""
        text = text.strip().lower()
        if not text:
            return None
        items = sorted(self.ws.live_items(), key=lambda i: i.title)
        match = next((i for i in items if i.title.lower() == text), None) or next(
            (i for i in items if text in i.title.lower()), None
        )
        if match is None:
            self.message.emit(f"Nothing called “{text}” in this client.", 5000)
            return None
        self.scene.reveal(match.id)  # folded into a collapsed node, or outside the focus
        if match.id not in self.scene.nodes:
            self.completed_needed.emit()  # handled at once: the node is drawn before focus
        self.view.focus(match.id)
        self.selection.set([match.id], source=None)
        return match.id

    def follow_selection(self, ids, source) -> None:
        """Another view selected: mirror it in the graph and bring the first node into view."""
        if source is self.scene:
            return
        self.scene.select(ids, emit=False)
        first = next((i for i in ids if i in self.scene.nodes), None)
        if first is not None:
            rect = self.scene.nodes[first].rect()
            if not self.view.visible_scene_rect().contains(rect):
                self.view.centerOn(rect.center())

    def keeping_the_view(self, reload: Callable[[], None]) -> None:
        """Run `reload` and come back to the same zoom, centre and (surviving) selection."""
        scale, centre = self.view.scale_factor(), self.view.visible_scene_rect().center()
        selected = self.selection.ids
        reload()
        self.view.set_scale(scale)
        self.view.centerOn(centre)
        self.view.zoomed()
        self.scene.select([i for i in selected if i in self.scene.nodes])

    def auto_layout(self) -> bool:
        """Lay out every node as one undo step; a refusal is shown by the runner."""
        if not self.ws.root_id or not self.scene.nodes:
            return False
        done = runner.run(
            self.parent(),
            lambda _report: self.push(AutoLayoutCommand(self.ws)),
            "Laying out the graph…",
            errors=(TrellisError,),
        )
        if done.ok:
            self.view.fit()
        return done.ok

    # ------------------------------------------------------------ context menu

    def context_menu(self, role: str, item_id: str, where: QPoint) -> None:
        scene_pos = self.view.mapToScene(self.view.mapFromGlobal(where))
        self.build_context_menu(role, item_id, scene_pos).exec(where)

    def build_context_menu(self, role: str, item_id: str, scene_pos: QPointF) -> QMenu:
        menu = QMenu(self.view)
        item = self.ws.item(item_id) if item_id else None
        if role == "node" and item is not None:
            self.add_node_entries(menu, item_id, item.kind)
        elif role == "session":
            menu.addAction("Edit session…", lambda: self.edit_requested.emit(item_id))
            self.add_show_commitments(menu)
            self.add_history_and_trash(menu, item_id)
        elif role == "link":
            menu.addAction(f"Unlink{self.key('delete')}", self.delete_requested.emit)
            menu.addAction(f"History…{self.key('history')}", self.history_of(item_id))
        else:
            self.add_background_entries(menu, scene_pos)
        return menu

    def add_node_entries(self, menu: QMenu, item_id: str, kind: str) -> None:
        menu.addAction(f"Edit {kind}…", lambda: self.edit_requested.emit(item_id))
        for child in CHILD_KINDS.get(kind, ()):
            menu.addAction(
                kind_icon(child),
                f"New {child} for this {kind}…",
                lambda k=child: self.new_requested.emit(k, item_id, None),
            )
        if kind in (GOAL, OUTCOME, SPRINT):
            self.add_show_commitments(menu)
        self.add_fold_entries(menu, item_id, kind)
        menu.addSeparator()
        self.add_history_and_trash(menu, item_id)

    def add_fold_entries(self, menu: QMenu, item_id: str | None, kind: str | None) -> None:
        """Collapse or expand this goal or outcome, focus on this goal, and the way back."""
        scene = self.scene
        if kind in (GOAL, OUTCOME):
            words = "Expand" if item_id in scene.collapsed else "Collapse"
            menu.addAction(
                f"{words}{self.key('toggle_fold')}", lambda: scene.toggle_fold([item_id])
            )
        if kind == GOAL and scene.focus_goal != item_id:
            menu.addAction(f"Focus on this goal{self.key('focus_goal')}",
                           lambda: scene.focus_on(item_id))  # fmt: skip
        for name, wanted in (("expand_all", scene.collapsed), ("leave_focus", scene.focus_goal)):
            if wanted and name in self.actions:
                menu.addAction(self.actions[name])

    def add_show_commitments(self, menu: QMenu) -> None:
        """The commitments view's action (for the selection, which the click has just set)."""
        if "show_commitments" in self.actions:
            menu.addAction(self.actions["show_commitments"])

    def add_history_and_trash(self, menu: QMenu, item_id: str) -> None:
        menu.addAction(f"History…{self.key('history')}", self.history_of(item_id))
        menu.addAction(f"Move to trash{self.key('delete')}", self.delete_requested.emit)

    def add_background_entries(self, menu: QMenu, scene_pos: QPointF) -> None:
        for kind in NEW_KINDS:
            menu.addAction(
                kind_icon(kind),
                f"New {kind} here…",
                lambda k=kind: self.new_requested.emit(k, None, scene_pos),
            )
        menu.addSeparator()
        self.add_fold_entries(menu, None, None)
        menu.addAction(self.actions["fit"])
        menu.addAction(self.actions["auto_layout"])

    def history_of(self, item_id: str) -> Callable[[], None]:
        return lambda: self.history_requested.emit(item_id)

    def key(self, name: str) -> str:
        """A tab, then the window action's key: QMenu shows it right-aligned, as menus do."""
        sequence = self.actions[name].shortcut()
        return "\t" + sequence.toString(QKeySequence.SequenceFormat.NativeText)
