"""The main window on the sample database: shared selection, panels, menus, files, settings."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from desktop import settings
from desktop.canvas import export
from desktop.dialogs.history import HistoryDialog
from desktop.dialogs.trash import TrashDialog
from desktop.editors import EditDialog
from desktop.model.commands import CreateCommand, EditCommand
from desktop.window import MainWindow
from store import ops
from store.errors import FileRefused
from store.load import counts, load_hierarchy
from store.trash import list_trash
from tests.desktop.helpers import (
    LEFT,
    NO_MODS,
    at_readable_zoom,
    item_id,
    on_next_modal,
    show_client,
    snapshot,
    vp,
)

MAYA = "Maya Okafor"


def fill_and_save(values: dict):
    def act(dialog: EditDialog) -> None:
        for name, value in values.items():
            dialog.editor.inputs[name].set(value)
        dialog.ok_button.click()

    return act


def accept_box(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Yes).click()


def close_box(texts: list[str]):
    def act(box: QMessageBox) -> None:
        texts.append(box.text())
        box.accept()

    return act


# ---------------------------------------------------------------- selection


def tree_rows(window, node: str):
    return window.tree.entries[node]


def test_selecting_in_the_tree_selects_in_the_graph_and_inspector(window):
    show_client(window, MAYA)
    outcome = item_id(window, "Run 5 km three times a week")
    row = tree_rows(window, outcome)[0]
    window.tree.scrollToItem(row)
    point = window.tree.visualItemRect(row).center()
    QTest.mouseClick(window.tree.viewport(), LEFT, NO_MODS, point)
    assert window.scene.selected == (outcome,)
    assert window.scene.nodes[outcome].state == "selected"
    assert window.inspector.item_id == outcome
    assert window.inspector.editor.inputs["title"].get() == "Run 5 km three times a week"


def test_selecting_in_the_graph_selects_every_tree_row_of_that_item(window):
    show_client(window, MAYA)
    outcome = item_id(window, "Asleep by 23:00 on work nights")  # serves two goals
    rows = tree_rows(window, outcome)
    assert len(rows) >= 2  # under both of its goals
    at_readable_zoom(window, outcome)
    QTest.mouseClick(
        window.view.viewport(), LEFT, NO_MODS, vp(window, window.scene.nodes[outcome].centre())
    )
    assert window.selection.ids == (outcome,)
    assert all(row.isSelected() for row in rows)
    assert {r.data(0, Qt.ItemDataRole.UserRole) for r in window.tree.selectedItems()} == {outcome}


def test_clicking_a_finding_selects_its_items_everywhere(window):
    show_client(window, MAYA)
    assert window.findings.findings
    entry = window.findings.list.item(0)
    finding = window.findings.findings[0]
    window.findings.list.scrollToItem(entry)
    point = window.findings.list.visualItemRect(entry).center()
    QTest.mouseClick(window.findings.list.viewport(), LEFT, NO_MODS, point)
    drawn = tuple(
        i
        for i in finding.items + finding.links
        if i in window.scene.nodes or i in window.scene.links
    )
    assert drawn and window.scene.selected == drawn
    shown_in_tree = [i for i in finding.items if i in window.tree.entries]
    for item in shown_in_tree:
        assert all(row.isSelected() for row in window.tree.entries[item])


def test_findings_follow_changes(window, qtbot):
    show_client(window, MAYA)
    before = len(window.findings.findings)
    goal = item_id(window, "Speak up in senior meetings")
    outcome = item_id(window, "Present the Q3 roadmap to directors")
    link = next(lk for lk in window.ws.live_links() if {lk.upper, lk.lower} == {goal, outcome})
    window.scene.select([link.id])
    window.actions["delete"].trigger()
    qtbot.waitUntil(lambda: len(window.findings.findings) == before + 1)
    codes = {(f.code, f.items) for f in window.findings.findings}
    assert ("goal-without-outcome", (goal,)) in codes


# ---------------------------------------------------------------- editing


def type_into(line_edit, text: str) -> None:
    """Replace a line edit's text the way a person does: select all, type."""
    line_edit.setFocus()
    line_edit.selectAll()
    QTest.keyClicks(line_edit, text)


def test_inspector_save_is_one_undo_step(window):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    assert not window.inspector.save_button.isEnabled()
    type_into(window.inspector.editor.inputs["title"].focus, "Lead with calm confidence")
    assert window.inspector.save_button.isEnabled()
    window.inspector.save_button.click()
    assert ops.get_item(goal)[1]["title"] == "Lead with calm confidence"
    assert window.undo_stack.count() == 1
    assert window.scene.nodes[goal].title.text().startswith("Lead with calm")
    window.undo_stack.undo()
    assert ops.get_item(goal)[1]["title"] == "Lead a team with confidence"
    assert window.inspector.editor.inputs["title"].get() == "Lead a team with confidence"


def test_inspector_refuses_bad_input_at_the_field_and_saves_nothing(window):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    other = item_id(window, "Speak up in senior meetings")
    window.selection.set([goal])
    before = snapshot()
    type_into(window.inspector.editor.inputs["title"].focus, window.ws.item(other).title)
    window.inspector.save_button.click()
    assert "already has a goal titled" in window.inspector.editor.error_text("title")
    assert snapshot() == before
    assert window.undo_stack.count() == 0


def test_double_click_edits_a_node_as_one_undo_step(window):
    show_client(window, MAYA)
    outcome = item_id(window, "Run 5 km three times a week")
    at_readable_zoom(window, outcome)
    seen: list = []
    on_next_modal(fill_and_save({"status": "deferred"}), seen)
    QTest.mouseDClick(
        window.view.viewport(), LEFT, NO_MODS, vp(window, window.scene.nodes[outcome].centre())
    )
    assert isinstance(seen[0], EditDialog)
    assert ops.get_item(outcome)[1]["status"] == "deferred"
    assert window.undo_stack.count() == 1
    assert "DEFERRED" in window.scene.nodes[outcome].caption.text()


def test_context_menu_creates_a_linked_child_placed_below_its_parent(window):
    root = show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    menu = window.editor.build_context_menu("node", goal, QPointF())
    action = next(a for a in menu.actions() if a.text() == "New outcome for this goal…")
    on_next_modal(fill_and_save({"title": "Stretch every morning"}))
    action.trigger()

    outcome = item_id(window, "Stretch every morning")
    h = load_hierarchy(root)
    assert any(lk.upper == goal and lk.lower == outcome for lk in h.links)
    x, y = h.positions[outcome]
    parent = window.scene.nodes[goal].centre()
    assert y > parent.y()
    assert outcome in window.scene.nodes and window.scene.selected == (outcome,)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert outcome not in window.scene.nodes
    assert not any(lk.lower == outcome for lk in load_hierarchy(root).links)


def menu_entry(menu, label: str):
    """The context-menu action whose label (before any shortcut text) is `label`."""
    return next(a for a in menu.actions() if a.text().split("\t")[0] == label)


def test_context_menu_entries_show_the_keys_of_the_window_actions(window):
    show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    link = next(lk for lk in window.ws.live_links() if goal in (lk.upper, lk.lower))
    node_menu = window.editor.build_context_menu("node", goal, QPointF())
    assert menu_entry(node_menu, "Move to trash").text() == "Move to trash\tDel"
    assert menu_entry(node_menu, "History…").text() == "History…\tCtrl+Shift+H"
    link_menu = window.editor.build_context_menu("link", link.id, QPointF())
    assert menu_entry(link_menu, "Unlink").text() == "Unlink\tDel"


def test_context_menu_trash_and_unlink_still_remove_the_selection_undoably(window):
    show_client(window, MAYA)
    goal = item_id(window, "Rebuild a steady fitness routine")
    window.scene.select([goal])
    menu_entry(window.editor.build_context_menu("node", goal, QPointF()), "Move to trash").trigger()
    assert goal not in window.scene.nodes
    window.undo_stack.undo()
    assert goal in window.scene.nodes

    link = next(lk for lk in window.ws.live_links() if goal in (lk.upper, lk.lower))
    window.scene.select([link.id])
    menu_entry(window.editor.build_context_menu("link", link.id, QPointF()), "Unlink").trigger()
    assert link.id not in window.scene.links
    window.undo_stack.undo()
    assert link.id in window.scene.links


def test_a_new_child_under_a_crowded_parent_lands_clear_of_every_node(window):
    show_client(window, "Leo Brandt")  # its commitments sit in staggered sub-rows
    outcome = item_id(window, "Sign two retainer clients")
    menu = window.editor.build_context_menu("node", outcome, QPointF())
    action = next(a for a in menu.actions() if a.text() == "New commitment for this outcome…")
    on_next_modal(fill_and_save({"title": "Call three agencies"}))
    action.trigger()

    new = window.scene.nodes[item_id(window, "Call three agencies")]
    others = [v.rect() for v in window.scene.nodes.values() if v is not new]
    assert not any(new.rect().intersects(rect) for rect in others)
    assert new.centre().y() > window.scene.nodes[outcome].centre().y()


def test_new_goal_from_the_menu(window):
    show_client(window, MAYA)
    on_next_modal(fill_and_save({"title": "Write a book"}))
    window.actions["new_goal"].trigger()
    goal = item_id(window, "Write a book")
    assert goal in window.scene.nodes
    assert window.undo_stack.undoText() == "New goal"


def test_delete_key_in_the_tree_trashes_the_item(window):
    show_client(window, MAYA)
    commitment = item_id(window, "Buy running shoes")
    window.selection.set([commitment])
    window.actions["delete"].trigger()
    assert ops.get_item(commitment)[1]["deleted_at"] is not None
    assert commitment not in window.tree.entries
    window.undo_stack.undo()
    window.tree.reveal(commitment)
    assert commitment in window.tree.entries


# ---------------------------------------------------------------- view menu


def test_hide_completed_hides_them_in_graph_and_tree(window):
    show_client(window, MAYA)
    done = item_id(window, "Buy running shoes")
    window.tree.reveal(done)
    assert done in window.scene.nodes and done in window.tree.entries
    window.actions["hide_completed"].trigger()
    window.tree.reveal(done)
    assert done not in window.scene.nodes and done not in window.tree.entries
    assert item_id(window, "Couch-to-5k weeks 1–4") in window.scene.nodes
    window.actions["hide_completed"].trigger()
    assert done in window.scene.nodes


def test_auto_layout_is_one_undo_step(window):
    root = show_client(window, MAYA)
    # Every node's place was saved when the client was first drawn (it used to be none).
    drawn = load_hierarchy(root).positions
    assert set(drawn) == set(window.scene.nodes)
    window.actions["auto_layout"].trigger()
    placed = load_hierarchy(root).positions
    assert set(placed) == set(window.scene.nodes)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert load_hierarchy(root).positions == drawn


def test_export_graph_image_writes_png_and_svg(window, tmp_path):
    show_client(window, MAYA)
    png = export.export_image(window.scene, tmp_path / "graph.png")
    svg = export.export_image(window.scene, tmp_path / "graph.svg")
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 500 and image.height() > 200
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Lead a team" in text
    assert window.scene.detail  # exporting leaves the on-screen level of detail alone


# ---------------------------------------------------------------- clients and status


def test_choosing_a_client_shows_their_graph_and_counts(window):
    leo = show_client(window, "Leo Brandt")
    assert window.ws.root_id == leo
    live = {i.id for i in window.ws.live_items()}
    assert set(window.scene.nodes) == live
    c = counts(leo)
    assert f"{c['commitment']} commitments" in window.counts_label.text()
    maya_row = next(
        window.clients.list.item(r)
        for r in range(window.clients.list.count())
        if window.clients.list.item(r).text() == MAYA
    )
    window.clients.list.setCurrentItem(maya_row)
    assert window.ws.client_name() == MAYA
    assert "Maya Okafor" in window.windowTitle()


def test_new_client_rename_and_delete(window):
    on_next_modal(fill_and_save({"name": "Ada Lovelace"}))
    window.actions["new_client"].trigger()
    assert window.ws.client_name() == "Ada Lovelace"
    ada = window.ws.root_id
    on_next_modal(fill_and_save({"name": "Ada King"}))
    window.clients.rename_button.click()
    assert window.ws.client_name(ada) == "Ada King"
    on_next_modal(accept_box)
    window.clients.delete_button.click()
    assert ada not in {c["id"] for c in window.ws.clients}
    assert ops.get_item(ada)[1]["deleted_at"] is not None
    window.undo_stack.undo()
    assert window.ws.root_id == ada


# ---------------------------------------------------------------- trash and history


def test_trash_dialog_restores_through_an_undo_command_and_purges(window, qtbot):
    root = show_client(window, MAYA)
    commitment = item_id(window, "Buy running shoes")
    window.selection.set([commitment])
    window.actions["delete"].trigger()
    dialog = TrashDialog(None, window.restore_item, window.purge_item, window)
    qtbot.addWidget(dialog)
    row = next(
        r
        for r in range(dialog.table.rowCount())
        if dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == commitment
    )
    dialog.table.selectRow(row)
    dialog.restore_button.click()
    assert window.ws.is_live(commitment) and commitment in window.scene.nodes
    assert window.undo_stack.undoText() == "Restore from trash"
    # purge: delete again, then purge it for good (not undoable)
    window.selection.set([commitment])
    window.actions["delete"].trigger()
    dialog.refresh()
    row = next(
        r
        for r in range(dialog.table.rowCount())
        if dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == commitment
    )
    dialog.table.selectRow(row)

    def confirm(box: QMessageBox) -> None:
        next(b for b in box.buttons() if b.text() == "Purge").click()

    on_next_modal(confirm)
    dialog.purge_button.click()
    assert commitment not in window.ws.hierarchy.items
    assert commitment not in {i.id for i in load_hierarchy(root).items.values()}


def test_trash_menu_opens_the_trash_dialog(window):
    seen: list = []
    on_next_modal(lambda d: d.reject(), seen)
    window.actions["trash"].trigger()
    assert isinstance(seen[0], TrashDialog)


def test_history_menu_shows_the_selected_items_history(window):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    seen: list = []
    on_next_modal(lambda d: d.reject(), seen)
    window.actions["history"].trigger()
    assert isinstance(seen[0], HistoryDialog) and seen[0].item_id == goal


# ---------------------------------------------------------------- files


def test_export_json_picked_over_the_open_database_is_refused_and_changes_nothing(
    window, sample_db
):
    before = sample_db.read_bytes()
    texts: list[str] = []
    on_next_modal(close_box(texts))
    window.export_json(sample_db)
    assert texts and "is a database, and an export would overwrite it" in texts[0]
    assert sample_db.read_bytes() == before


def test_export_json_then_import_into_another_database(window, tmp_path):
    root = show_client(window, MAYA)
    target = tmp_path / "maya.json"
    window.export_json(target, root)
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [c["name"] for c in doc["clients"]] == [MAYA]
    window.open_database(tmp_path / "empty.db")
    assert window.ws.clients == [] and not window.scene.nodes
    texts: list[str] = []
    on_next_modal(close_box(texts))
    window.import_json(target)
    assert [c["name"] for c in window.ws.clients] == [MAYA]
    assert texts and "Imported" in texts[0]
    # An undo step on a row the file does not have: an edit of one of its rows would make the
    # second import a conflict (same id, other content), not "nothing new".
    window.push(CreateCommand(window.ws, "goal", {"title": "Lead"}))
    on_next_modal(close_box(texts))
    window.import_json(target)  # again: nothing new
    assert texts[1].startswith("Nothing new in maya.json")
    assert window.undo_stack.count() == 1  # nothing reloaded
    assert len(window.scene.nodes) == len(window.ws.live_items()) > 10


def test_import_json_refusal_says_why_and_changes_nothing(window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    before = snapshot()
    texts: list[str] = []
    on_next_modal(close_box(texts))
    assert window.import_json(bad) is None
    assert "not a Trellis export" in texts[0] and "unchanged" in texts[0]
    assert snapshot() == before


def test_opening_a_foreign_file_is_refused_and_keeps_the_open_database(window, tmp_path):
    foreign = tmp_path / "notes.db"
    foreign.write_bytes(b"hello, this is not sqlite at all" * 10)
    path = window.ws.db_path
    with pytest.raises(FileRefused):
        window.open_database(foreign)
    assert window.ws.db_path == path
    assert counts()["client"] == 2


# ---------------------------------------------------------------- settings


def test_window_remembers_geometry_splitters_and_database(window, sample_db):
    show_client(window, MAYA)
    window.main.setSizes([200, 900, 300])
    window.actions["hide_completed"].trigger()
    window.close()
    assert settings.get(settings.LAST_DATABASE) == str(sample_db)
    assert settings.get(settings.LAST_CLIENT) == window.ws.root_id
    assert settings.get(settings.HIDE_COMPLETED) is True
    again = MainWindow()
    try:
        assert again.main.sizes()[0] == window.main.sizes()[0]
        assert again.actions["hide_completed"].isChecked()
        again.open_database(sample_db)
        assert again.ws.client_name() == MAYA
    finally:
        again.close()


def test_the_tree_keeps_open_rows_open_across_changes(window):
    show_client(window, MAYA)
    outcome = item_id(window, "Run 5 km three times a week")
    row = window.tree.entries[outcome][0]
    row.setExpanded(True)
    commitments = {row.child(i).data(0, Qt.ItemDataRole.UserRole) for i in range(row.childCount())}
    assert item_id(window, "Buy running shoes") in commitments
    goal = item_id(window, "Lead a team with confidence")
    window.push(EditCommand(window.ws, goal, {"title": "Lead with calm"}))
    assert window.tree.entries[outcome][0].isExpanded()


def test_a_busy_database_is_explained_and_nothing_is_pushed(window, sample_db):
    import sqlite3

    from store.models import database

    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    database.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(sample_db)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        type_into(window.inspector.editor.inputs["title"].focus, "Lead with calm")
        window.inspector.save_button.click()
        banner = window.inspector.editor.error_text(None)
        assert "busy" in banner and "Nothing was changed" in banner
        assert window.undo_stack.count() == 0
        assert window.ws.item(goal).title == "Lead a team with confidence"
    finally:
        other.rollback()
        other.close()
    window.inspector.save_button.click()
    assert ops.get_item(goal)[1]["title"] == "Lead with calm"


def test_selecting_a_link_shows_it_in_the_inspector_and_its_weight_is_one_undo_step(window):
    root = show_client(window, MAYA)
    link = window.ws.live_links()[0]
    window.scene.select([link.id])
    assert window.inspector.pages.currentWidget() is window.inspector.link_page
    assert "serves" in window.inspector.link_text.text()
    window.inspector.weight.setValue(2.5)
    window.inspector.weight_button.click()
    assert next(lk for lk in load_hierarchy(root).links if lk.id == link.id).weight == 2.5
    assert window.scene.links[link.id].weight_label.text() == "×2.5"
    window.undo_stack.undo()
    assert next(lk for lk in load_hierarchy(root).links if lk.id == link.id).weight == 1.0
    assert not window.scene.links[link.id].weight_label.isVisible()


def test_help_about_names_the_version_and_the_open_database(window, sample_db):
    from importlib.metadata import version

    texts: list[str] = []
    on_next_modal(close_box(texts))
    window.actions["about_trellis"].trigger()
    assert f"Trellis {version('trellis')}" in texts[0]
    assert str(sample_db) in texts[0]
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.actions["about_trellis"] in help_menu.actions()


def run_trellis(*args: str) -> None:
    """The real command line, as another program writing to the same file."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_a_change_made_by_another_program_shows_up_and_undo_starts_afresh(window, sample_db):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.push(EditCommand(window.ws, goal, {"title": "Lead a calm team"}))
    trashed = next(row for row in list_trash() if row["title"] == "Read a leadership book a month")
    window.follow_other_writers()  # our own edit is not "another program"
    assert window.undo_stack.count() == 1 and trashed["id"] not in window.scene.nodes

    window.scene.select([goal])
    window.view.set_scale(1.5)
    window.view.centerOn(window.scene.nodes[goal].centre())
    where = window.view.visible_scene_rect()
    run_trellis("--db", str(sample_db), "restore-item", trashed["id"])
    window.follow_other_writers()
    assert trashed["id"] in window.scene.nodes
    assert window.view.visible_scene_rect() == where and window.selection.ids == (goal,)
    assert window.ws.client_name() == MAYA
    assert window.undo_stack.count() == 0
    assert "Another program changed this database" in window.statusBar().currentMessage()
    window.push(EditCommand(window.ws, goal, {"title": "Lead with calm"}))
    window.follow_other_writers()  # nothing new from elsewhere since: no reload
    assert window.undo_stack.count() == 1
