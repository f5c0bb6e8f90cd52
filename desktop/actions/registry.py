"""Every window action declared once, as data: id, words, keys, menu, what it does, when.

The window makes a QAction for each record and builds the menu bar and toolbar from this
list (napari's qactions and Picard's `@add_action` work the same way). A new action is one
record here; its menu place is where it stands in the list, and `separated` draws a line
above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle

from desktop.actions import backup as backup_actions
from desktop.actions import editing, files, folding, report
from desktop.canvas.style import kind_icon
from desktop.dialogs import about

K = QKeySequence.StandardKey
FILE, EDIT, VIEW, TOOLS, HELP = "&File", "&Edit", "&View", "&Tools", "&Help"
MENUS = (FILE, EDIT, VIEW, TOOLS, HELP)
Window = Any  # desktop.window.MainWindow: not imported, it imports this module


class Action(NamedTuple):
    """One window action. `run(window)` does it; `enabled(window)` says whether it can now.

    `make(window)`, when given, makes the QAction itself (the undo stack's own actions).
    """

    id: str
    text: str
    run: Callable[[Window], Any] | None
    keys: tuple = ()
    menu: str | None = None
    tip: str = ""
    checkable: bool = False
    separated: bool = False
    icon: str | None = None  # an item kind: its icon
    enabled: Callable[[Window], bool] | None = None
    graph_only: bool = False  # its keys act only in the graph (Return, F2 type elsewhere)
    make: Callable[[Window], QAction] | None = None


def has_nodes(window: Window) -> bool:
    return bool(window.ws.root_id and window.scene.nodes)


def undo_action(window: Window) -> QAction:
    act = window.undo_stack.createUndoAction(window, "&Undo")
    act.setShortcuts(QKeySequence.keyBindings(K.Undo))
    act.setIcon(history_icon(window, "edit-undo", QStyle.StandardPixmap.SP_ArrowBack))
    return act


def redo_action(window: Window) -> QAction:
    act = window.undo_stack.createRedoAction(window, "&Redo")
    act.setShortcuts(QKeySequence.keyBindings(K.Redo) + [QKeySequence("Ctrl+Y")])
    act.setIcon(history_icon(window, "edit-redo", QStyle.StandardPixmap.SP_ArrowForward))
    return act


def history_icon(window: Window, theme: str, fallback: QStyle.StandardPixmap) -> QIcon:
    """The desktop theme's undo/redo icon, else the style's arrow (offscreen has no theme)."""
    return QIcon.fromTheme(theme, window.style().standardIcon(fallback))


def new_kind(kind: str, separated: bool = False) -> Action:
    return Action(
        f"new_{kind}",
        f"New {kind}…",
        lambda w: editing.new_item(w, kind),
        menu=EDIT,
        tip=f"New {kind}",
        icon=kind,
        separated=separated,
    )


# fmt: off
ACTIONS: tuple[Action, ...] = (
    Action("new_client", "New &client…", editing.new_client, (K.New,), FILE, "Add a client"),
    Action("open", "&Open database…", files.open_database_dialog, (K.Open,), FILE,
           "Open another file"),
    Action("open_team", "Open &team database…", files.open_team_database_dialog, (), FILE,
           "Open a PostgreSQL database your practice shares"),
    Action("reconnect", "Re&connect", files.reconnect, (), FILE,
           "Connect again to the team database", enabled=lambda w: w.ws.team_url is not None),
    Action("backup", "&Back up now", backup_actions.back_up_now, (), FILE, separated=True),
    Action("restore_backup", "&Restore from backup…", files.restore_from_backup, (), FILE),
    Action("import_legacy", "Import &legacy database…", files.import_legacy, (), FILE,
           separated=True),
    Action("export_json", "&Export JSON…", files.export_json_dialog, ("Ctrl+E",), FILE),
    Action("import_json", "&Import JSON…", files.import_json_dialog, ("Ctrl+I",), FILE),
    Action("export_image", "Export &graph image…", files.export_image_dialog, ("Ctrl+Shift+E",),
           FILE),
    Action("export_report", "Export client &report…", report.export_report_dialog, (), FILE,
           "The shown client's report as a PDF to send"),
    Action("quit", "&Quit", lambda w: w.close(), (K.Quit,), FILE, separated=True),
    Action("undo", "&Undo", None, menu=EDIT, make=undo_action),
    Action("redo", "&Redo", None, menu=EDIT, make=redo_action),
    new_kind("goal", separated=True),
    new_kind("outcome"),
    new_kind("sprint"),
    new_kind("commitment"),
    Action("new_session", "New coaching session…", lambda w: editing.new_item(w, "session"),
           (), EDIT),
    Action("edit", "&Edit selected…", editing.edit_selected, ("Return", "F2"), EDIT,
           separated=True, graph_only=True),
    Action("link_to", "&Link to…", editing.link_to, ("Ctrl+K",), EDIT,
           "Link the selection to an item chosen by typing its title"),
    Action("delete", "&Delete", editing.delete_selected, (K.Delete, "Backspace"), EDIT,
           "Move to the trash"),
    Action("find", "&Find…", lambda w: w.focus_find(), (K.Find,), EDIT, "Find an item by title",
           separated=True),
    Action("fit", "&Fit to window", lambda w: w.view.fit(), ("Ctrl+0",), VIEW),
    Action("zoom_in", "Zoom &in", lambda w: w.view.zoom_in(), (K.ZoomIn, "Ctrl+="), VIEW),
    Action("zoom_out", "Zoom &out", lambda w: w.view.zoom_out(), (K.ZoomOut,), VIEW),
    Action("hide_completed", "&Hide completed",
           lambda w: w.set_hide_completed(w.actions["hide_completed"].isChecked()),
           ("Ctrl+H",), VIEW, checkable=True, separated=True),
    Action("overview_map", "Overview &map", lambda w: w.view.overview_map.set_wanted(
           w.actions["overview_map"].isChecked()), ("Ctrl+Shift+O",), VIEW, checkable=True),
    Action("toggle_fold", "&Collapse or expand", folding.toggle_selected, ("Space",), VIEW,
           "Fold what serves the selected goal or outcome into it, or unfold it",
           separated=True, graph_only=True),
    Action("expand_all", "E&xpand all", lambda w: w.scene.expand_all(), (), VIEW,
           enabled=lambda w: bool(w.scene.collapsed)),
    Action("focus_goal", "F&ocus on goal", folding.focus_selected, ("Ctrl+Shift+F",), VIEW,
           "Show only the selected goal's subtree and what it shares with others"),
    Action("leave_focus", "&Leave focus", lambda w: w.scene.leave_focus(), (), VIEW,
           enabled=lambda w: w.scene.focus_goal is not None),
    Action("auto_layout", "&Auto layout", lambda w: w.editor.auto_layout(), ("Ctrl+L",), VIEW,
           "Lay out every node", enabled=has_nodes),
    Action("check", "&Check consistency", lambda w: w.check_now(), ("F5",), TOOLS),
    Action("trash", "&Trash…", lambda w: w.open_trash(), ("Ctrl+Shift+T",), TOOLS),
    Action("history", "&History…", lambda w: w.show_history(), ("Ctrl+Shift+H",), TOOLS),
    Action("about", "&How to use Trellis", about.show_help, (K.HelpContents,), HELP),
    Action("about_trellis", "&About Trellis", lambda w: about.show_about(w, w.ws.db_path), (),
           HELP),
)
# fmt: on

# The toolbar, left to right (None: a separator); the find box follows, at the right.
# These show only their icon, the words in the tooltip: undo's text names the last step
# ("Undo Link 'Block Friday afternoons…'") and would push the find box off the bar.
ICON_ONLY = frozenset({"undo", "redo"})
TOOLBAR = (
    "new_goal",
    "new_outcome",
    "new_sprint",
    "new_commitment",
    None,
    "undo",
    "redo",
    None,
    "fit",
    "auto_layout",
    "hide_completed",
)


def make_action(window: Window, record: Action) -> QAction:
    """The QAction for `record`, owned by the window, its keys live window-wide."""
    if record.make is not None:
        return record.make(window)
    act = QAction(record.text, window)
    act.setShortcuts([QKeySequence(k) for k in record.keys])
    act.setStatusTip(record.tip)
    act.setToolTip(record.tip or record.text.replace("…", "").replace("&", ""))
    act.setCheckable(record.checkable)
    act.triggered.connect(lambda _checked=False: record.run(window))
    if record.icon is not None:
        act.setIcon(kind_icon(record.icon))
    if record.graph_only:
        act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        window.view.addAction(act)
    return act


def install(window: Window) -> dict[str, QAction]:
    """Make every action, add it to the window (so its keys work) and to its menu."""
    actions: dict[str, QAction] = {}
    menus = {title: window.menuBar().addMenu(title) for title in MENUS}
    for record in ACTIONS:
        act = actions[record.id] = make_action(window, record)
        window.addAction(act)
        if record.menu is not None:
            if record.separated:
                menus[record.menu].addSeparator()
            menus[record.menu].addAction(act)
    return actions


def refresh_enabled(window: Window) -> None:
    """Enable each action whose `enabled` says it can run now (called as the model changes)."""
    for record in ACTIONS:
        if record.enabled is not None:
            window.actions[record.id].setEnabled(record.enabled(window))
