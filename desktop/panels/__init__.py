"""The window's panels and views, a module each.

Side panels: clients.py (the client list), tree.py (the hierarchy), inspector.py (the
selected item's fields), findings.py (what check says); common.py holds what they share.
Main views, one tab each through desktop/views.py: the graph (desktop/canvas), commitments.py
(list and board.py), sessions.py. A new view (a kanban board, say) is a module here with a
`make_view(window)` and one line in desktop/views.py.

Each panel listens to the workspace's `changed` signal and to the shared Selection, and
asks the window (through signals) for anything that changes data, so every change still
becomes one undo command in one place.
"""

from desktop.panels.clients import ClientList
from desktop.panels.common import heading, tool_button
from desktop.panels.findings import FindingsPanel
from desktop.panels.inspector import Inspector
from desktop.panels.tree import HierarchyTree

__all__ = ["ClientList", "FindingsPanel", "HierarchyTree", "Inspector", "heading", "tool_button"]
