"""Two windows (or a window and the command line) on one database: an edit made on what the
window showed before the other's change is refused with a sentence, and the view shows theirs."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from store import ops
from tests.desktop.helpers import item_id, show_client
from tests.desktop.test_inspector import MAYA, type_into


def test_an_edit_on_a_stale_view_is_refused_and_the_view_shows_the_other_change(window, sample_db):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    title = window.inspector.editor.inputs["title"].focus
    type_into(title, "My new title")
    with sqlite3.connect(sample_db) as other:  # another program's edit, committed
        other.execute(
            "UPDATE client_goals SET title = ?, updated_at = ? WHERE id = ?",
            ("Their new title", "2026-12-02T10:42:00+00:00", goal),
        )
    QTest.keyClick(title, Qt.Key.Key_Return)
    assert ops.get_item(goal)[1]["title"] == "Their new title"
    assert window.ws.item(goal).title == "Their new title"
    assert window.undo_stack.count() == 0
    shown = window.inspector.editor.error_text(None)
    assert "'Their new title' was changed by another session" in shown
