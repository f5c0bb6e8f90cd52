"""The history dialog reads an item's audit log newest first, in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.dialogs.history import HistoryDialog
from desktop.readable import local_time
from store import ops
from store.audit import history
from store.history import link_history
from store.opening import close_database, open_database


@pytest.fixture
def goal(tmp_path):
    """A goal created, linked to an outcome, edited, trashed and restored."""
    open_database(tmp_path / "t.db")
    root = ops.create_client("Ana Silva")["id"]
    row = ops.create_goal(root, "Run a marathon", target_date="2027-04-30")
    outcome = ops.create_outcome(root, "Run 10 km")
    ops.link_items(outcome["id"], row["id"])
    ops.update_item(row["id"], title="Run a half marathon", status="paused")
    ops.update_item(row["id"], progress_mode="manual", progress=35, target_date=None)
    ops.delete_item(row["id"])
    ops.restore_item(row["id"])
    yield row["id"]
    close_database()


def open_history(qtbot, item_id: str) -> HistoryDialog:
    dialog = HistoryDialog(item_id, "Run a half marathon")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def top_rows(dialog: HistoryDialog) -> list[list[str]]:
    tree = dialog.tree
    return [
        [tree.topLevelItem(i).text(c) for c in range(3)] for i in range(tree.topLevelItemCount())
    ]


def change_lines(dialog: HistoryDialog, index: int) -> list[str]:
    top = dialog.tree.topLevelItem(index)
    return [top.child(i).text(2) for i in range(top.childCount())]


def test_history_lists_what_happened_newest_first(qtbot, goal):
    dialog = open_history(qtbot, goal)
    assert [row[1] for row in top_rows(dialog)] == [
        "Restored",
        "Moved to trash",
        "Edited",
        "Edited",
        "Linked",
        "Created",
    ]
    assert dialog.summary.text() == "6 recorded changes, newest first."


def test_history_shows_local_times(qtbot, goal):
    dialog = open_history(qtbot, goal)
    stamps = [row["at"] for row in history(goal)]
    assert top_rows(dialog)[0][0] == local_time(stamps[0])


def test_edits_list_old_and_new_values_of_changed_fields_only(qtbot, goal):
    dialog = open_history(qtbot, goal)
    assert change_lines(dialog, 3) == [
        "Title: “Run a marathon” → “Run a half marathon”",
        "Status: Active → Paused",
    ]
    assert change_lines(dialog, 2) == [
        "Progress mode: Derived from linked items → Set by hand",
        "Progress: 0% → 35%",
        "Target date: 30 Apr 2027 → no date",
    ]
    everything = [line for i in range(6) for line in change_lines(dialog, i)]
    assert not any(line.startswith(("Updated at", "Deleted")) for line in everything)


def test_history_includes_links_with_the_other_end_named(qtbot, goal):
    dialog = open_history(qtbot, goal)
    assert top_rows(dialog)[4][1:] == ["Linked", "to outcome “Run 10 km”"]


def test_unlink_and_weight_changes_appear_in_the_items_history(qtbot, goal):
    link_id = link_history(goal)[0]["entity_id"]
    ops.set_link_weight(link_id, 2)
    ops.unlink(link_id)
    dialog = open_history(qtbot, goal)
    rows = top_rows(dialog)
    assert rows[0][1:] == ["Unlinked", "from outcome “Run 10 km”"]
    assert rows[1][1] == "Link weight changed"
    assert change_lines(dialog, 1) == ["Weight: 1 → 2"]


def test_history_of_a_link_names_both_ends(qtbot, goal):
    link_id = link_history(goal)[0]["entity_id"]
    dialog = open_history(qtbot, link_id)
    assert top_rows(dialog)[0][1:] == [
        "Linked",
        "between goal “Run a half marathon” and outcome “Run 10 km”",
    ]


def test_moves_on_the_graph_are_readable(qtbot, goal):
    root = ops.get_item(goal)[1]["root_id"]
    ops.set_positions(root, {goal: (120, 40)})
    ops.set_positions(root, {goal: (300, 80.4)})
    dialog = open_history(qtbot, goal)
    assert [row[1:] for row in top_rows(dialog)[:2]] == [
        ["Moved", "On the graph: (120, 40) → (300, 80)"],
        ["Moved", "Placed on the graph at (120, 40)"],
    ]


def test_history_of_an_item_without_records_says_so(qtbot, goal):
    dialog = open_history(qtbot, "no-such-id")
    assert dialog.pages.currentWidget() is dialog.empty
    assert dialog.tree.topLevelItemCount() == 0


def test_close_button_closes(qtbot, goal):
    dialog = open_history(qtbot, goal)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
