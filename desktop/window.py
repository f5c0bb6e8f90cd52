"""The main window: the shell around the graph editor.

It holds the docks and splitters (clients and tree left, the registered views in the middle,
inspector and findings right), the menus and toolbar made from desktop.actions.registry,
the settings, the timers (automatic backup, other writers) and the one undo stack. The graph
itself is desktop.canvas.editor.GraphEditor; file work is desktop.actions.files, run through
desktop.actions.runner.

Every change the window makes is an undo command pushed through `push` (purge and file
operations aside, which say so); the views follow the workspace's `changed` signal.
"""

from __future__ import annotations

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
    global QStringListModel, Qt, QTimer, QUndoStack
    global QApplication, QCompleter, QLineEdit, QSizePolicy, QSplitter, QToolBar
    global QVBoxLayout, QWidget, backup_actions, editing, files, folding, registry, runner
    global GraphEditor
    global NEW_KINDS, EditCommand, RestoreCommand, StoreCommand
    global WeightCommand, push, HistoryDialog, TrashDialog, ClientList
    global FindingsPanel, HierarchyTree, Inspector, heading, Changes, Selection, Workspace
    global TextLabel, warn, kind_label, plural, window_title, TrellisError, counts, views
    global TeamUnavailable
    from PySide6.QtCore import QStringListModel, Qt, QTimer
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import (
        QApplication,
        QCompleter,
        QLineEdit,
        QSizePolicy,
        QSplitter,
        QToolBar,
        QVBoxLayout,
        QWidget,
    )

    from desktop import views
    from desktop.actions import backup as backup_actions
    from desktop.actions import editing, files, folding, registry, runner
    from desktop.canvas.editor import NEW_KINDS, GraphEditor
    from desktop.dialogs.history import HistoryDialog
    from desktop.dialogs.trash import TrashDialog
    from desktop.model.commands import (
        EditCommand,
        RestoreCommand,
        StoreCommand,
        WeightCommand,
        push,
    )
    from desktop.model.workspace import Changes, Selection, Workspace
    from desktop.panels import ClientList, FindingsPanel, HierarchyTree, Inspector, heading
    from desktop.plain import TextLabel, warn
    from desktop.readable import kind_label, plural, window_title
    from store.errors import TeamUnavailable, TrellisError
    from store.load import counts


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
        self.actions: dict = {}  # filled by registry.install, read by the editor's menu
        self.editor = GraphEditor(self.ws, self.selection, self.push, self.actions, self)
        self.scene, self.view = self.editor.scene, self.editor.view
        self.clients = ClientList(self.ws)
        self.tree = HierarchyTree(self.ws, self.selection)
        self.inspector = Inspector(self.ws, self.selection)
        self.inspector.save_handler = self.save_fields
        self.findings = FindingsPanel(self.ws, self.selection)
        self.build_layout()
        self.actions.update(registry.install(self))
        self.build_toolbar()
        self.build_status_bar()
        self.connect_signals()
        self.restore_settings()
        self.backup_timer = self.every(backup_actions.AUTO_BACKUP_INTERVAL_MS, self.auto_back_up)
        self.watch_timer = self.every(WATCH_INTERVAL_MS, self.follow_other_writers)
        from desktop.model.team_watch import TeamWatch  # a team database: LISTEN/NOTIFY

        self.team_watch = TeamWatch(self.follow_other_writers, self)
        self.built = True

    def every(self, interval_ms: int, then) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(then)
        timer.start()
        return timer

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
        self.tabs, self.views = views.make_tabs(self)
        self.main = QSplitter(Qt.Orientation.Horizontal)
        self.main.addWidget(self.left)
        self.main.addWidget(self.tabs)
        self.main.addWidget(self.right)
        self.main.setStretchFactor(1, 1)
        self.main.setSizes([270, 860, 340])
        self.main.setChildrenCollapsible(False)
        if self.loading is None:
            self.setCentralWidget(self.main)

    def build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in registry.TOOLBAR:
            if name is None:
                bar.addSeparator()
            else:
                bar.addAction(self.actions[name])
                if name in registry.ICON_ONLY:
                    button = bar.widgetForAction(self.actions[name])
                    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(self.build_find_box())
        self.addToolBar(bar)

    def build_find_box(self) -> QLineEdit:
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find an item…  (Ctrl+F)")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setFixedWidth(260)
        self.find_model = QStringListModel(self)
        completer = QCompleter(self.find_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.find_box.setCompleter(completer)
        completer.activated.connect(self.editor.find)
        self.find_box.returnPressed.connect(lambda: self.editor.find(self.find_box.text()))
        return self.find_box

    def build_status_bar(self) -> None:
        # The client's name leads this line: plain text, cut short rather than widen the window.
        self.counts_label = TextLabel(wrap=False)
        self.zoom_label = QLabel()
        self.zoom_label.setStyleSheet("color: #868e96; padding-right: 6px;")
        self.fold_label = QLabel()  # what the graph leaves out while folded (a goal's title)
        self.fold_label.setTextFormat(Qt.TextFormat.PlainText)
        self.fold_label.setStyleSheet("color: #5f3dc4; padding-right: 6px;")
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.fold_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

    def connect_signals(self) -> None:
        self.ws.changed.connect(self.on_changed)
        self.ws.refused.connect(self.show_refusal)
        self.editor.edit_requested.connect(lambda item_id: editing.edit_item(self, item_id))
        self.editor.new_requested.connect(lambda *asked: editing.new_item(self, *asked))
        self.editor.history_requested.connect(self.show_history_of)
        self.editor.delete_requested.connect(lambda: editing.delete_selected(self))
        self.editor.completed_needed.connect(self.show_completed)
        self.editor.message.connect(self.statusBar().showMessage)
        self.scene.folds_changed.connect(self.on_folds_changed)
        self.view.zoom_changed.connect(lambda s: self.zoom_label.setText(f"{s * 100:.0f}%"))
        self.tree.edit_requested.connect(lambda item_id: editing.edit_item(self, item_id))
        self.tree.context_requested.connect(self.editor.context_menu)
        self.clients.add_requested.connect(lambda: editing.new_client(self))
        self.clients.rename_requested.connect(lambda root_id: editing.edit_item(self, root_id))
        self.clients.delete_requested.connect(lambda root_id: editing.delete_client(self, root_id))
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
        self.actions["overview_map"].setChecked(settings.get(settings.OVERVIEW_MAP))
        self.view.overview_map.set_wanted(settings.get(settings.OVERVIEW_MAP))

    def save_settings(self) -> None:
        settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
        settings.put(settings.WINDOW_STATE, self.saveState())
        settings.put(settings.MAIN_SPLITTER, self.main.saveState())
        settings.put(settings.LEFT_SPLITTER, self.left.saveState())
        settings.put(settings.RIGHT_SPLITTER, self.right.saveState())
        settings.put(settings.HIDE_COMPLETED, self.actions["hide_completed"].isChecked())
        settings.put(settings.OVERVIEW_MAP, self.actions["overview_map"].isChecked())
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

    def open_database(
        self, path: str | Path, root_id: str | None = None, password: str | None = None
    ) -> None:
        """Open a file (FileRefused propagates with the current database still open) or a team
        database (TeamUnavailable propagates; the password goes to the store, nowhere else)."""
        from store.postgres import describe, is_url

        root_id = root_id or settings.get(settings.LAST_CLIENT) or None
        opening = f"Opening {describe(path) if is_url(path) else Path(path).name}…"
        runner.run(self, lambda _report: self.ws.open(path, root_id, password), opening)
        self.undo_stack.clear()
        self.team_watch.watch()
        if self.ws.db_path is not None:
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
        self.editor.keeping_the_view(self.reload_all)
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
        registry.refresh_enabled(self)

    def on_folds_changed(self) -> None:
        self.fold_label.setText(folding.summary(self.scene))
        registry.refresh_enabled(self)

    def update_title(self) -> None:
        client = self.ws.client_name()
        name = self.ws.db_path.name if self.ws.db_path else (self.ws.team_url or "")
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

    def show_refusal(self, text: str) -> None:
        if self.ws.team_url and "cannot be reached" in text:
            files.offer_reconnect(self, text)  # the team database's connection dropped
        else:
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
        try:
            self.push(EditCommand(self.ws, item_id, changes))
        except TeamUnavailable as exc:
            # The team database's connection dropped: offer to reconnect, then save the edit
            # as typed; declined, the inspector keeps it and says why.
            if not files.offer_reconnect(self, str(exc)):
                raise
            self.push(EditCommand(self.ws, item_id, changes))

    def set_weight(self, link_id: str, weight: float) -> None:
        self.push_or_say(WeightCommand(self.ws, link_id, weight))

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
        registry.refresh_enabled(self)

    def show_completed(self) -> None:
        """Find's match is a completed item: show the completed ones again."""
        self.actions["hide_completed"].setChecked(False)
        self.set_hide_completed(False)

    def focus_find(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    def check_now(self) -> None:
        self.findings.refresh()
        self.statusBar().showMessage(f"Consistency check: {self.findings.summary_text()}.", 6000)

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

    # ------------------------------------------------------------ files

    def import_json(self, path: Path) -> dict | None:
        return files.import_json(self, path)

    def export_json(self, path: Path, root_id: str | None = None) -> None:
        files.export_json(self, path, root_id)


def loading_text() -> str:
    """What the window says while it starts: the client it will show, if it knows."""
    name = settings.get(settings.LAST_CLIENT_NAME)
    return f"Loading {name}…" if name else "Opening Trellis…"
