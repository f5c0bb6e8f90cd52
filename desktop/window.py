"""The main window: clients and tree on the left, the graph in the middle, inspector and
findings on the right, menus for everything, and one undo stack for every edit.

Every change the window makes is an undo command pushed through `push` (purge and file
operations aside, which say so); the views follow the workspace's `changed` signal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow

from desktop import settings


def import_views() -> None:
    """Import what the window's contents need: the graph, panels, commands and store.

    They bring NetworkX and Peewee, most of Trellis's start-up time, so `run` shows the
    window (saying what it is loading) before this runs; the names become this module's
    globals, as if imported at the top. Cheap once done. Even the Qt names the frame does
    not use wait here (PySide makes each class on first use; the `Qt` namespace alone takes
    15 ms).
    """
    global QPoint, QPointF, QRectF, QStringListModel, Qt, QTimer, QAction, QKeySequence
    global QUndoStack
    global QApplication, QCompleter, QFileDialog, QLineEdit, QMenu, QMessageBox
    global QProgressDialog, QSizePolicy, QSplitter, QToolBar, QVBoxLayout, QWidget
    global backup_actions, legacy_actions, AutoLayoutCommand, CreateCommand, DeleteCommand
    global EditCommand, RestoreCommand, StoreCommand, WeightCommand, push, EditDialog
    global HistoryDialog, kind_icon, ClientList, FindingsPanel, HierarchyTree, Inspector
    global heading, kind_label, plural, GraphScene, TrashDialog, GraphView, Changes, Selection
    global Workspace, NODE_H, NODE_W, X_STEP, Y_STEP, layer_of, exchange, FileRefused, TrellisError
    global counts, TextLabel, ask, inform, warn, window_title, action_text
    from PySide6.QtCore import QPoint, QPointF, QRectF, QStringListModel, Qt, QTimer
    from PySide6.QtGui import QAction, QKeySequence, QUndoStack
    from PySide6.QtWidgets import (
        QApplication,
        QCompleter,
        QFileDialog,
        QLineEdit,
        QMenu,
        QMessageBox,
        QProgressDialog,
        QSizePolicy,
        QSplitter,
        QToolBar,
        QVBoxLayout,
        QWidget,
    )

    from desktop.actions import backup as backup_actions
    from desktop.actions import legacy as legacy_actions
    from desktop.canvas.items import kind_icon
    from desktop.canvas.scene import GraphScene
    from desktop.canvas.view import GraphView
    from desktop.dialogs.history import HistoryDialog
    from desktop.dialogs.trash import TrashDialog
    from desktop.editors import EditDialog
    from desktop.model.commands import (
        AutoLayoutCommand,
        CreateCommand,
        DeleteCommand,
        EditCommand,
        RestoreCommand,
        StoreCommand,
        WeightCommand,
        push,
    )
    from desktop.model.workspace import Changes, Selection, Workspace
    from desktop.panels import ClientList, FindingsPanel, HierarchyTree, Inspector, heading
    from desktop.plain import TextLabel, ask, inform, warn
    from desktop.readable import action_text, kind_label, plural, window_title
    from graph.layout import NODE_H, NODE_W, X_STEP, Y_STEP, layer_of
    from store import exchange
    from store.errors import FileRefused, TrellisError
    from store.load import counts


# What "New … for this item" offers on a node's context menu: the kinds that hang below it
# (and, for a sprint, the outcome it works on).
CHILD_KINDS = {
    "goal": ("outcome",),
    "outcome": ("commitment", "sprint"),
    "sprint": ("outcome",),
    "commitment": (),
}
NEW_KINDS = ("goal", "outcome", "sprint", "commitment")
# How often to look whether another program has written to the database (one cheap PRAGMA).
WATCH_INTERVAL_MS = 2000


class MainWindow(QMainWindow):
    """Trellis's one window."""

    def __init__(self, workspace: Workspace | None = None, parent=None, deferred: bool = False):
        """`deferred`: only the frame and a loading note now; `build` makes the rest."""
        super().__init__(parent)
        self.setWindowTitle("Trellis")
        self.resize(1480, 900)
        geometry = settings.get(settings.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self.built = False
        self.loading: QLabel | None = None
        if deferred:
            self.loading = QLabel(loading_text())
            # Centred, and plain text (it names the last client), by its style sheet: the Qt
            # enum namespace is not imported yet.
            self.loading.setStyleSheet(
                "qproperty-alignment: AlignCenter; qproperty-textFormat: PlainText;"
                " color: #868e96; font-size: 13pt;"
            )
            self.setCentralWidget(self.loading)
        else:
            self.build(workspace)

    def build(self, workspace: Workspace | None = None) -> None:
        """Everything but the frame: graph, panels, menus, toolbar, settings, timers."""
        import_views()
        self.ws = workspace or Workspace(self)
        self.selection = Selection(self)
        self.undo_stack = QUndoStack(self)
        self.scene = GraphScene(self.ws, self)
        self.view = GraphView(self.scene, self.push)
        self.clients = ClientList(self.ws)
        self.tree = HierarchyTree(self.ws, self.selection)
        self.inspector = Inspector(self.ws, self.selection)
        self.inspector.save_handler = self.save_fields
        self.findings = FindingsPanel(self.ws, self.selection)
        self.actions: dict[str, QAction] = {}
        self.build_layout()
        self.build_actions()
        self.build_menus()
        self.build_toolbar()
        self.build_status_bar()
        self.connect_signals()
        self.restore_settings()
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(backup_actions.AUTO_BACKUP_INTERVAL_MS)
        self.backup_timer.timeout.connect(self.auto_back_up)
        self.backup_timer.start()
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self.follow_other_writers)
        self.watch_timer.start()
        self.built = True

    def show_contents(self) -> None:
        """Replace the loading note with the window's contents (deferred start)."""
        if self.loading is not None:
            self.loading = None
            self.setCentralWidget(self.main)
            # Sized before shown, so the graph's opening view fits the real viewport.
            self.layout().activate()
            self.main.show()

    # ------------------------------------------------------------ building

    def build_layout(self) -> None:
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(self.clients)
        tree_box = QWidget()
        column = QVBoxLayout(tree_box)
        column.setContentsMargins(6, 0, 0, 0)
        column.addWidget(heading("Hierarchy"))
        column.addWidget(self.tree)
        self.left.addWidget(tree_box)
        self.left.setSizes([150, 500])
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.inspector)
        self.right.addWidget(self.findings)
        self.right.setSizes([470, 230])
        self.main = QSplitter(Qt.Orientation.Horizontal)
        self.main.addWidget(self.left)
        self.main.addWidget(self.view)
        self.main.addWidget(self.right)
        self.main.setStretchFactor(1, 1)
        self.main.setSizes([270, 860, 340])
        self.main.setChildrenCollapsible(False)
        if self.loading is None:
            self.setCentralWidget(self.main)

    def action(
        self, name: str, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.setStatusTip(tip)
        act.setToolTip(tip or text.replace("…", "").replace("&", ""))
        act.setCheckable(checkable)
        act.triggered.connect(slot)
        self.actions[name] = act
        self.addAction(act)
        return act

    def build_actions(self) -> None:
        K = QKeySequence.StandardKey
        a = self.action
        a("new_client", "New &client…", self.new_client, K.New, "Add a client")
        a("open", "&Open database…", self.open_database_dialog, K.Open, "Open another file")
        a("backup", "&Back up now", lambda: backup_actions.back_up_now(self), None)
        a("restore_backup", "&Restore from backup…", self.restore_from_backup, None)
        a("import_legacy", "Import &legacy database…", self.import_legacy, None)
        a("export_json", "&Export JSON…", self.export_json_dialog, "Ctrl+E")
        a("import_json", "&Import JSON…", self.import_json_dialog, "Ctrl+I")
        a("export_image", "Export &graph image…", self.export_image_dialog, "Ctrl+Shift+E")
        a("quit", "&Quit", self.close, K.Quit)
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.keyBindings(K.Undo))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.keyBindings(K.Redo) + [QKeySequence("Ctrl+Y")])
        for name, act in (("undo", undo), ("redo", redo)):
            self.actions[name] = act
            self.addAction(act)
        for kind in NEW_KINDS:
            act = a(f"new_{kind}", f"New {kind}…", lambda _=False, k=kind: self.new_item(k))
            act.setIcon(kind_icon(kind))
            act.setToolTip(f"New {kind}")
        a("new_session", "New coaching session…", lambda: self.new_item("session"))
        a("edit", "&Edit selected…", self.edit_selected, ["Return", "F2"])
        self.actions["edit"].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.view.addAction(self.actions["edit"])
        a("delete", "&Delete", self.delete_selected, [K.Delete, "Backspace"], "Move to the trash")
        a("find", "&Find…", self.focus_find, K.Find, "Find an item by title")
        a("fit", "&Fit to window", self.view.fit, "Ctrl+0")
        a("zoom_in", "Zoom &in", self.view.zoom_in, [K.ZoomIn, "Ctrl+="])
        a("zoom_out", "Zoom &out", self.view.zoom_out, K.ZoomOut)
        a("hide_completed", "&Hide completed", self.set_hide_completed, "Ctrl+H", checkable=True)
        a("auto_layout", "&Auto layout", self.auto_layout, "Ctrl+L", "Lay out every node")
        a("check", "&Check consistency", self.check_now, "F5")
        a("trash", "&Trash…", self.open_trash, "Ctrl+Shift+T")
        a("history", "&History…", self.show_history, "Ctrl+Shift+H")
        a("about", "&How to use Trellis", self.show_help, K.HelpContents)
        a("about_trellis", "&About Trellis", self.show_about)

    def build_menus(self) -> None:
        bar = self.menuBar()
        menus = {
            "&File": [
                "new_client",
                "open",
                None,
                "backup",
                "restore_backup",
                None,
                "import_legacy",
                "export_json",
                "import_json",
                "export_image",
                None,
                "quit",
            ],
            "&Edit": [
                "undo",
                "redo",
                None,
                "new_goal",
                "new_outcome",
                "new_sprint",
                "new_commitment",
                "new_session",
                None,
                "edit",
                "delete",
                None,
                "find",
            ],
            "&View": ["fit", "zoom_in", "zoom_out", None, "hide_completed", "auto_layout"],
            "&Tools": ["check", "trash", "history"],
            "&Help": ["about", "about_trellis"],
        }
        for title, names in menus.items():
            menu = bar.addMenu(title)
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions[name])

    def build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for kind in NEW_KINDS:
            bar.addAction(self.actions[f"new_{kind}"])
        bar.addSeparator()
        for name in ("undo", "redo"):
            bar.addAction(self.actions[name])
        bar.addSeparator()
        for name in ("fit", "auto_layout"):
            bar.addAction(self.actions[name])
        hide = self.actions["hide_completed"]
        bar.addAction(hide)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find an item…  (Ctrl+F)")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setFixedWidth(260)
        self.find_model = QStringListModel(self)
        completer = QCompleter(self.find_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.find_box.setCompleter(completer)
        completer.activated.connect(self.find)
        self.find_box.returnPressed.connect(lambda: self.find(self.find_box.text()))
        bar.addWidget(self.find_box)
        self.addToolBar(bar)

    def build_status_bar(self) -> None:
        # The client's name leads this line: plain text, cut short rather than widen the window.
        self.counts_label = TextLabel(wrap=False)
        self.zoom_label = QLabel()
        self.zoom_label.setStyleSheet("color: #868e96; padding-right: 6px;")
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.zoom_label)

    def connect_signals(self) -> None:
        self.ws.changed.connect(self.on_changed)
        self.ws.refused.connect(self.show_refusal)
        self.scene.selection_changed.connect(lambda ids: self.selection.set(ids, self.scene))
        self.selection.changed.connect(self.follow_selection)
        self.view.edit_requested.connect(self.edit_item)
        self.view.context_requested.connect(self.context_menu)
        self.view.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.view.zoom_changed.connect(lambda s: self.zoom_label.setText(f"{s * 100:.0f}%"))
        self.tree.edit_requested.connect(self.edit_item)
        self.tree.context_requested.connect(self.context_menu)
        self.clients.add_requested.connect(self.new_client)
        self.clients.rename_requested.connect(self.edit_item)
        self.clients.delete_requested.connect(self.delete_client)
        self.clients.may_leave = lambda: self.inspector.settle("Switch client")
        self.inspector.weight_requested.connect(self.set_weight)
        self.inspector.history_requested.connect(self.show_history_of)

    # ------------------------------------------------------------ settings

    def restore_settings(self) -> None:
        state = settings.get(settings.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        for setting, splitter in (
            (settings.MAIN_SPLITTER, self.main),
            (settings.LEFT_SPLITTER, self.left),
            (settings.RIGHT_SPLITTER, self.right),
        ):
            saved = settings.get(setting)
            if not saved.isEmpty():
                splitter.restoreState(saved)
        hide = settings.get(settings.HIDE_COMPLETED)
        self.actions["hide_completed"].setChecked(hide)
        self.set_hide_completed(hide)

    def save_settings(self) -> None:
        settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
        settings.put(settings.WINDOW_STATE, self.saveState())
        settings.put(settings.MAIN_SPLITTER, self.main.saveState())
        settings.put(settings.LEFT_SPLITTER, self.left.saveState())
        settings.put(settings.RIGHT_SPLITTER, self.right.saveState())
        settings.put(settings.HIDE_COMPLETED, self.actions["hide_completed"].isChecked())
        if self.ws.db_path is not None:
            settings.put(settings.LAST_DATABASE, str(self.ws.db_path))
        settings.put(settings.LAST_CLIENT, self.ws.root_id or "")
        settings.put(settings.LAST_CLIENT_NAME, self.ws.client_name())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.built:
            settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
            return super().closeEvent(event)
        self.view.cancel_gesture()
        if not self.inspector.settle("Close Trellis"):
            event.ignore()
            return
        self.save_settings()
        self.watch_timer.stop()
        self.backup_timer.stop()
        if self.ws.db_path is not None:
            self.auto_back_up()
        super().closeEvent(event)

    def auto_back_up(self) -> None:
        """The automatic backup (every 30 minutes and on close) when something changed."""
        said = backup_actions.auto_back_up(self)
        if said:
            self.statusBar().showMessage(said, 8000)

    # ------------------------------------------------------------ following the model

    def open_database(self, path: str | Path, root_id: str | None = None) -> None:
        """Open a file (FileRefused propagates with the current database still open)."""
        with self.busy(f"Opening {Path(path).name}…"):
            self.ws.open(path, root_id or settings.get(settings.LAST_CLIENT) or None)
        self.undo_stack.clear()
        settings.put(settings.LAST_DATABASE, str(self.ws.db_path))

    def reload_all(self) -> None:
        """After a restore or an import the database is another one: start views afresh."""
        self.undo_stack.clear()
        self.ws.reload()

    def follow_other_writers(self) -> None:
        """Another window or the command line wrote to this database: show it as it is now.

        Waits while a gesture, a dialog or an unsaved inspector edit is under way. Undo steps
        recorded before would act on rows the other program may have changed, so they go; the
        view stays where it was, with what is still there still selected.
        """
        busy = self.view.gesture is not None or QApplication.activeModalWidget() is not None
        if busy or self.inspector.dirty or not self.ws.changed_elsewhere():
            return
        scale, centre = self.view.scale_factor(), self.view.visible_scene_rect().center()
        selected = self.selection.ids
        self.reload_all()
        self.view.set_scale(scale)
        self.view.centerOn(centre)
        self.view.zoomed()
        self.scene.select([i for i in selected if i in self.scene.nodes])
        self.statusBar().showMessage(
            "Another program changed this database; showing it as it is now (undo starts afresh).",
            10000,
        )

    def on_changed(self, changes: Changes) -> None:
        if changes.reset:
            self.selection.set([], source=None)
            self.refresh_find_list()
            self.view.overview_when_shown()
        elif changes.structure:
            self.refresh_find_list()
        if changes.reset or changes.structure or changes.clients:
            self.update_counts()
            self.update_title()

    def update_title(self) -> None:
        client = self.ws.client_name()
        name = self.ws.db_path.name if self.ws.db_path else ""
        self.setWindowTitle(window_title(" — ".join(p for p in (client, name, "Trellis") if p)))

    def update_counts(self) -> None:
        if not self.ws.root_id:
            self.counts_label.setText("No client yet: File → New client… to start.")
            return
        c = counts(self.ws.root_id)
        parts = [plural(c[k], kind_label(k).lower()) for k in NEW_KINDS]
        parts.append(plural(c["session"], "session"))
        self.counts_label.setText(f"{self.ws.client_name()}:  " + "  ·  ".join(parts))

    def refresh_find_list(self) -> None:
        self.find_model.setStringList(sorted({i.title for i in self.ws.live_items()}))

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

    def show_refusal(self, text: str) -> None:
        warn(self, "Trellis", text)

    # ------------------------------------------------------------ undoable edits

    def push(self, command: StoreCommand) -> None:
        """Every edit goes through here: applied, then one step on the undo stack."""
        push(self.undo_stack, command)

    def push_or_say(self, command: StoreCommand) -> bool:
        """For menu actions: push, or show the refusal in a message box."""
        try:
            self.push(command)
        except TrellisError as exc:
            self.show_refusal(str(exc))
            return False
        return True

    def save_fields(self, item_id: str, changes: dict[str, Any]) -> None:
        self.push(EditCommand(self.ws, item_id, changes))

    def set_weight(self, link_id: str, weight: float) -> None:
        self.push_or_say(WeightCommand(self.ws, link_id, weight))

    def selected_ids(self) -> tuple[list[str], list[str]]:
        """(items, links) in the shared selection."""
        ids = self.selection.ids
        links = [i for i in ids if self.ws.link(i) is not None]
        items = [i for i in ids if i not in links and (self.ws.item(i) or self.is_session(i))]
        return items, links

    def is_session(self, item_id: str) -> bool:
        return any(s["id"] == item_id for s in self.ws.sessions())

    def delete_selected(self) -> None:
        """Delete: selected links are unlinked, selected items go to the trash; one step."""
        if self.view.cancel_gesture():
            return
        items, links = self.selected_ids()
        if not items and not links:
            return
        if self.push_or_say(DeleteCommand(self.ws, items, links)) and items:
            self.statusBar().showMessage(
                "Moved to the trash. Undo (Ctrl+Z) or Tools → Trash… brings it back.", 6000
            )

    def edit_selected(self) -> None:
        items, _links = self.selected_ids()
        if items:
            self.edit_item(items[0])

    def edit_item(self, item_id: str) -> None:
        """Open the editor for an item (or client, or session); Save is one undo step."""
        try:
            row = self.ws.row(item_id)
        except TrellisError as exc:
            self.show_refusal(str(exc))
            return
        kind = self.kind_of(item_id, row)
        dialog = EditDialog(
            kind, row, self.ws.sessions(), lambda changes: self.save_fields(item_id, changes), self
        )
        dialog.exec()

    def kind_of(self, item_id: str, row: dict[str, Any]) -> str:
        item = self.ws.item(item_id)
        if item is not None:
            return item.kind
        if "held_on" in row:
            return "session"
        return "client"

    def new_item(
        self, kind: str, parent_id: str | None = None, at: QPointF | None = None
    ) -> str | None:
        """Ask for a new item's fields, then create (linked, placed) as one undo step."""
        if not self.ws.root_id:
            self.new_client()
            if not self.ws.root_id:
                return None
        position = None if kind == "session" else self.free_spot(kind, parent_id, at)
        created: list[str] = []

        def save(values: dict[str, Any]) -> None:
            command = CreateCommand(self.ws, kind, values, parent_id, position)
            self.push(command)
            created.append(command.item_id)

        EditDialog(kind, {"root_id": self.ws.root_id}, self.ws.sessions(), save, self).exec()
        if created and kind != "session":
            self.scene.select(created)
        return created[0] if created else None

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

    def new_client(self) -> None:
        def save(values: dict[str, Any]) -> None:
            self.push(CreateCommand(self.ws, "client", values))

        EditDialog("client", {}, [], save, self).exec()

    def delete_client(self, root_id: str) -> None:
        name = self.ws.client_name(root_id)
        answer = ask(
            self,
            "Move client to the trash",
            f"Move {name} and everything in their workspace to the trash?\n\n"
            "Undo (Ctrl+Z) or Tools → Trash… brings them back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.push_or_say(DeleteCommand(self.ws, [root_id]))

    def auto_layout(self) -> None:
        if not self.ws.root_id or not self.scene.nodes:
            return
        with self.busy("Laying out the graph…"):
            done = self.push_or_say(AutoLayoutCommand(self.ws))
        if done:
            self.view.fit()

    def restore_item(self, item_id: str, with_parents: bool) -> None:
        """The trash dialog's Restore: an undoable command (a refusal raises to the dialog)."""
        self.push(RestoreCommand(self.ws, item_id, with_parents))

    def purge_item(self, item_id: str) -> None:
        """The trash dialog's Purge: permanent, not undoable (the store backs up first)."""
        self.ws.purge(item_id)

    # ------------------------------------------------------------ view

    def set_hide_completed(self, hide: bool) -> None:
        self.scene.set_hide_completed(bool(hide))
        self.tree.set_hide_completed(bool(hide))

    def focus_find(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

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
            self.statusBar().showMessage(f"Nothing called “{text}” in this client.", 5000)
            return None
        if match.id not in self.scene.nodes:
            self.actions["hide_completed"].setChecked(False)
            self.set_hide_completed(False)
        self.view.focus(match.id)
        self.selection.set([match.id], source=None)
        return match.id

    def check_now(self) -> None:
        self.findings.refresh()
        self.statusBar().showMessage(f"Consistency check: {self.findings.summary_text()}.", 6000)

    def context_menu(self, role: str, item_id: str, where: QPoint) -> None:
        menu = self.build_context_menu(
            role, item_id, self.view.mapToScene(self.view.mapFromGlobal(where))
        )
        menu.exec(where)

    def build_context_menu(self, role: str, item_id: str, scene_pos: QPointF) -> QMenu:
        menu = QMenu(self)
        item = self.ws.item(item_id) if item_id else None

        def key(name: str) -> str:
            # Entries keep their own words and target; after a tab QMenu shows the window key.
            return "\t" + self.actions[name].shortcut().toString(
                QKeySequence.SequenceFormat.NativeText
            )

        trash, history = f"Move to trash{key('delete')}", f"History…{key('history')}"
        if role == "node" and item is not None:
            menu.addAction(f"Edit {item.kind}…", lambda: self.edit_item(item_id))
            for kind in CHILD_KINDS.get(item.kind, ()):
                menu.addAction(
                    kind_icon(kind),
                    f"New {kind} for this {item.kind}…",
                    lambda k=kind: self.new_item(k, parent_id=item_id),
                )
            menu.addSeparator()
            menu.addAction(history, lambda: self.show_history_of(item_id))
            menu.addAction(trash, self.delete_selected)
        elif role == "session":
            menu.addAction("Edit session…", lambda: self.edit_item(item_id))
            menu.addAction(history, lambda: self.show_history_of(item_id))
            menu.addAction(trash, self.delete_selected)
        elif role == "link":
            menu.addAction(f"Unlink{key('delete')}", self.delete_selected)
            menu.addAction(history, lambda: self.show_history_of(item_id))
        else:
            for kind in NEW_KINDS:
                menu.addAction(
                    kind_icon(kind),
                    f"New {kind} here…",
                    lambda k=kind: self.new_item(k, at=scene_pos),
                )
            menu.addSeparator()
            menu.addAction(self.actions["fit"])
            menu.addAction(self.actions["auto_layout"])
        return menu

    # ------------------------------------------------------------ dialogs

    def open_trash(self) -> None:
        # Every client's trash: a deleted client is only reachable from here.
        TrashDialog(None, self.restore_item, self.purge_item, self).exec()

    def show_history(self) -> None:
        ids = self.selection.ids or ((self.ws.root_id,) if self.ws.root_id else ())
        if ids:
            self.show_history_of(ids[0])

    def show_history_of(self, item_id: str | None) -> None:
        if not item_id:
            return
        HistoryDialog(item_id, self.title_of(item_id), self).exec()

    def title_of(self, item_id: str) -> str:
        item = self.ws.item(item_id)
        if item is not None:
            return item.title
        link = self.ws.link(item_id)
        if link is not None:
            upper, lower = self.ws.item(link.upper), self.ws.item(link.lower)
            return f"{lower.title if lower else '?'} → {upper.title if upper else '?'}"
        return self.ws.client_name(item_id) or "Item"

    def show_help(self) -> None:
        QMessageBox.information(self, "How to use Trellis", HELP_TEXT)

    def show_about(self) -> None:
        QMessageBox.about(self, "About Trellis", about_text(self.ws.db_path))

    @contextmanager
    def busy(self, text: str) -> Iterator[None]:
        """A progress dialog while long work runs (the work itself is one store call)."""
        dialog = QProgressDialog(text, "", 0, 0, self)
        dialog.setLabel(TextLabel(text))  # it names the user's file or client
        dialog.setWindowTitle("Trellis")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setValue(0)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            QApplication.processEvents()
            yield
        finally:
            QApplication.restoreOverrideCursor()
            dialog.close()
            dialog.deleteLater()

    # ------------------------------------------------------------ files

    def ask_save_path(self, title: str, name: str, filters: str) -> Path | None:
        folder = settings.get(settings.LAST_FOLDER) or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / name), filters)
        if not path:
            return None
        settings.put(settings.LAST_FOLDER, str(Path(path).parent))
        return Path(path)

    def ask_open_path(self, title: str, filters: str) -> Path | None:
        folder = settings.get(settings.LAST_FOLDER) or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, title, folder, filters)
        if not path:
            return None
        settings.put(settings.LAST_FOLDER, str(Path(path).parent))
        return Path(path)

    def open_database_dialog(self) -> None:
        if not self.inspector.settle("Open another database"):
            return
        path = self.ask_open_path(
            "Open a Trellis database", "Trellis databases (*.db);;All files (*)"
        )
        if path is None:
            return
        try:
            self.open_database(path)
        except FileRefused as exc:
            warn(self, "Cannot open this file", f"{exc}\n\nThe open database is unchanged.")

    def restore_from_backup(self) -> None:
        if self.inspector.settle("Restore") and backup_actions.restore_from_backup(self):
            self.reload_all()

    def import_legacy(self) -> None:
        if self.inspector.settle("Import") and legacy_actions.import_legacy(self):
            self.reload_all()

    def export_json_dialog(self) -> None:
        scope = self.ask_export_scope()
        if scope is False:
            return
        name = f"{self.ws.client_name(scope) or 'trellis'}.json" if scope else "trellis.json"
        path = self.ask_save_path("Export JSON", name, "JSON (*.json)")
        if path is not None:
            self.export_json(path, scope)

    def ask_export_scope(self) -> str | None | bool:
        """The client to export (None = every client), or False when cancelled."""
        if not self.ws.root_id:
            return None
        box = QMessageBox(self)
        box.setWindowTitle("Export JSON")
        box.setText("What should the file contain?")
        only = f"Only {action_text(self.ws.client_name())}"
        this = box.addButton(only, QMessageBox.ButtonRole.AcceptRole)
        every = box.addButton("Every client", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is this:
            return self.ws.root_id
        return None if box.clickedButton() is every else False

    def export_json(self, path: Path, root_id: str | None = None) -> None:
        try:
            with self.busy("Exporting…"):
                exchange.export_to(path, root_id)
        except (TrellisError, OSError) as exc:
            warn(self, "Export failed", str(exc))
            return
        self.statusBar().showMessage(f"Exported to {path}.", 6000)

    def import_json_dialog(self) -> None:
        if not self.inspector.settle("Import"):
            return
        path = self.ask_open_path("Import JSON", "Trellis JSON (*.json);;All files (*)")
        if path is not None:
            self.import_json(path)

    def import_json(self, path: Path) -> dict | None:
        """Merge an export into this database; a refusal says why and changes nothing."""
        from desktop.actions import importing as import_actions

        report = import_actions.import_file(self, path)
        if report is None:
            return None
        if any(r["added"] for r in report.values()):
            self.reload_all()  # else nothing was written: views and undo history stay as they are
        text = import_actions.summary(path, report)
        inform(self, "Import finished", text)
        return report

    def export_image_dialog(self) -> None:
        name = f"{self.ws.client_name() or 'trellis'}.png"
        path = self.ask_save_path(
            "Export graph image", name, "PNG image (*.png);;SVG drawing (*.svg)"
        )
        if path is None:
            return
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".png")
        try:
            with self.busy("Drawing the graph…"):
                self.scene.export_image(path)
        except OSError as exc:
            warn(self, "Export failed", str(exc))
            return
        self.statusBar().showMessage(f"Saved the graph to {path}.", 6000)


def about_text(db_path: Path | None) -> str:
    """Which Trellis this is and which file it has open: what a bug report needs."""
    from importlib.metadata import PackageNotFoundError, version

    from PySide6 import __version__ as pyside_version

    try:
        trellis_version = version("trellis")
    except PackageNotFoundError:
        trellis_version = "(not installed)"
    where = str(db_path) if db_path else "no database open"
    return (
        f"<b>Trellis {trellis_version}</b><br>"
        "Goals, outcomes, sprints and commitments for coaches, as a graph you can drag and "
        "link.<br><br>"
        f"Database: {escape(where)}<br>"
        "Backups: File → Restore from backup… lists them.<br><br>"
        f"<span style='color:#868e96'>PySide6 {pyside_version}</span>"
    )


def loading_text() -> str:
    """What the window says while it starts: the client it will show, if it knows."""
    name = settings.get(settings.LAST_CLIENT_NAME)
    return f"Loading {name}…" if name else "Opening Trellis…"


HELP_TEXT = """<b>The graph</b><br>
Goals sit on top, their outcomes below, and the sprints and commitments that move each
outcome forward at the bottom.<br><br>
<b>Mouse</b><br>
• Drag a node to move it; Ctrl-click to pick several and drag them together.<br>
• Drag from the small circle under a node (or Shift-drag the node) onto another node to
link them. Green means the link is allowed; red says why not.<br>
• Drag the background to pan; the wheel zooms around the cursor; Ctrl-drag the background
to select with a rectangle.<br>
• Double-click to edit; right-click for more.<br><br>
<b>Keys</b><br>
Delete moves the selection to the trash (or unlinks a selected link) · Ctrl+Z / Ctrl+Shift+Z
undo and redo · Ctrl+F find · Ctrl+0 fit · Esc cancels a drag."""
