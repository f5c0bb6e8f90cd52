"""The window's main views, registered in one list: one tab each, in this order.

A view is a widget that shows the open workspace and follows `ws.changed` and the shared
selection (it never pokes another view). Adding one, say a kanban board, is a module in
desktop/panels/ with a `make_view(window)` and one line in VIEWS. With a single view the tab
bar hides itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.panels import commitments, sessions, timeline

Window = Any  # desktop.window.MainWindow: not imported, it imports this module


class View(NamedTuple):
    """One main view: its id, its tab's title, and how to make it for a window."""

    id: str
    title: str
    make: Callable[[Window], QWidget]


VIEWS: tuple[View, ...] = (
    View("graph", "Graph", lambda window: window.editor.view),
    View("commitments", "Commitments", lambda window: commitments.make_view(window)),
    View("sessions", "Sessions", lambda window: sessions.make_view(window)),
    View("timeline", "Timeline", lambda window: timeline.make_view(window)),
)


def make_tabs(window: Window) -> tuple[QTabWidget, dict[str, QWidget]]:
    """A tab per registered view (the bar hidden while there is only one), and the views."""
    tabs = QTabWidget()
    tabs.setObjectName("views")
    tabs.setDocumentMode(True)  # no frame: the view meets the splitter as before
    tabs.setTabBarAutoHide(True)
    made = {}
    for view in VIEWS:
        made[view.id] = view.make(window)
        tabs.addTab(made[view.id], view.title)
    return tabs, made
