"""Titles, names and notes reach every Qt view as text: never read as HTML, shortcut letters
or window-title marks. Each test puts hostile text into the real window and reads back
what a person would see."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QProgressDialog

from desktop.actions import editing, runner
from desktop.dialogs.backups import RestoreDialog
from desktop.dialogs.trash import LINKS_COL, TITLE_COL, TrashDialog
from desktop.readable import shorten
from store import ops
from store.opening import close_database, open_database
from tests.desktop.helpers import on_next_modal

# What an import from another machine, or a careless paste, can put in a title.
TITLE = 'Email <Jim> re: x < y <b>bold</b> <img src="file:///etc/hosts"> <h1>big</h1> 😀 &amp;'
OUTCOME = "Reply to <Ann> & <i>Bob</i> 1 < 2"
# "&lt;" at the start makes Qt read a whole tooltip as HTML; "&" would underline a letter in
# a menu; "[*]" is the window title's unsaved-changes mark.
NAME = "&lt;3 Tom & Jerry [*] <b>Ltd</b>"
NOTES = '<p style="font-size:1px">hidden</p> & <img src="file:///etc/hosts">'
LOOSE = "<h1>Loose</h1> <span style='color:white'>ghost</span>"
SECOND = "Second goal"


@pytest.fixture
def sample_db(tmp_path):
    """Replaces conftest's sample database: one client whose every text is hostile."""
    path = tmp_path / "hostile.db"
    open_database(path)
    client = ops.create_client(NAME, notes=NOTES)
    goal = ops.create_goal(client["id"], TITLE, description=TITLE)
    outcome = ops.create_outcome(client["id"], OUTCOME)
    ops.link_items(outcome["id"], goal["id"])
    ops.create_goal(client["id"], SECOND)
    ops.create_commitment(client["id"], LOOSE)  # serves no outcome: a finding names it
    trashed = ops.create_commitment(client["id"], f"Trashed {TITLE}")
    ops.link_items(trashed["id"], outcome["id"])
    ops.delete_item(trashed["id"])
    close_database()
    return path


def ids(window) -> dict[str, str]:
    return {item.title: item.id for item in window.ws.live_items()}


def shown_tip(html: str) -> str:
    """What a tooltip shows: Qt reads it as HTML whenever it might be (Qt.mightBeRichText)."""
    document = QTextDocument()
    if QtGui.Qt.mightBeRichText(html):
        document.setHtml(html)
    else:
        document.setPlainText(html)
    return document.toPlainText()


def assert_plain(label, expected: str) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == expected


def capture_modal(window, open_it, act=lambda dialog: dialog.reject()) -> QDialog:
    """Open a modal dialog with `open_it()`, run `act` on it once it is up, return it."""
    seen: list = []
    on_next_modal(act, seen)
    open_it()
    return seen[0]


def test_the_inspector_shows_a_hostile_title_and_its_explanation_as_typed(window):
    window.selection.set([ids(window)[TITLE]])
    inspector = window.inspector
    assert_plain(inspector.title, TITLE)
    assert inspector.kind_caption.text() == "GOAL"
    explanation = inspector.explanation
    assert explanation.textFormat() == Qt.TextFormat.PlainText
    assert f"'{TITLE}'" in explanation.text() and f"'{OUTCOME}'" in explanation.text()


def test_the_inspector_names_a_links_ends_as_typed(window):
    link = next(iter(window.ws.links_by_id.values()))
    window.selection.set([link.id])
    assert_plain(window.inspector.link_text, f"Outcome “{OUTCOME}”\nserves goal “{TITLE}”.")


def test_tooltips_of_the_client_list_tree_and_findings_show_the_text_as_typed(window):
    assert shown_tip(window.clients.list.item(0).toolTip()) == f"{NAME}\n{NOTES}"
    entry = window.tree.entries[ids(window)[TITLE]][0]
    assert shown_tip(entry.toolTip(0)) == f"Goal · Active\n{TITLE}"
    window.findings.refresh()
    findings = window.findings.list
    loose = next(
        findings.item(r) for r in range(findings.count()) if LOOSE in findings.item(r).text()
    )
    finding = loose.data(Qt.ItemDataRole.UserRole)
    assert shown_tip(loose.toolTip()) == f"{finding.severity}: {finding.code}\n{finding.message}"


def test_the_status_bar_and_window_title_show_the_client_name_as_typed(window):
    label = window.counts_label
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text().startswith(f"{NAME}:  2 goals")
    # What the window system is given: Qt has already dealt with the "[*]" mark here.
    assert window.windowHandle().title() == f"{NAME} — hostile.db — Trellis"


def test_the_question_before_trashing_a_client_quotes_the_name_as_typed(window):
    def answer_no(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.No).click()

    box = capture_modal(window, lambda: editing.delete_client(window, window.ws.root_id), answer_no)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text().startswith(f"Move {NAME} and everything")
    assert window.ws.clients and window.ws.root_id  # No kept the client


def test_the_trash_tooltips_and_purge_question_show_titles_as_typed(window, qtbot):
    dialog = TrashDialog(None, window.restore_item, window.purge_item, window)
    qtbot.addWidget(dialog)
    dialog.show()
    (row,) = range(dialog.table.rowCount())
    assert shown_tip(dialog.table.item(row, TITLE_COL).toolTip()) == f"Trashed {TITLE}"
    assert shown_tip(dialog.table.item(row, LINKS_COL).toolTip()) == f"• {OUTCOME}"
    dialog.table.selectRow(row)

    def cancel(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.Cancel).click()

    box = capture_modal(window, dialog.purge_selected, cancel)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"Permanently delete the commitment “Trashed {TITLE}”?"
    assert dialog.table.rowCount() == 1  # cancelled: still in the trash


def test_history_shows_the_title_and_the_edited_values_as_typed(window):
    goal = ids(window)[TITLE]
    window.save_fields(goal, {"description": OUTCOME})
    dialog = capture_modal(window, lambda: window.show_history_of(goal))
    assert_plain(dialog.heading, f"History of “{TITLE}”")
    assert dialog.windowHandle().title() == f"History — {TITLE}"
    edit = dialog.tree.topLevelItem(0).child(0)
    assert edit.text(2) == f"Description: “{shorten(TITLE, 40)}” → “{OUTCOME}”"
    assert shown_tip(edit.toolTip(2)) == edit.text(2)


def test_the_editor_dialog_heading_shows_the_title_as_typed(window):
    dialog = capture_modal(window, lambda: editing.edit_item(window, ids(window)[TITLE]))
    assert_plain(dialog.heading, f"Goal: {TITLE}")


def test_a_refused_title_is_quoted_at_the_field_as_typed(window):
    window.selection.set([ids(window)[SECOND]])
    inspector = window.inspector
    inspector.editor.inputs["title"].focus.setText(TITLE)  # another goal's title: refused
    inspector.mark_dirty()
    assert not inspector.save()
    assert_plain(
        inspector.editor.errors["title"],
        f"This client already has a goal titled {TITLE!r}; choose another title.",
    )
    inspector.revert()


def test_undo_and_redo_name_an_edit_with_an_ampersand_as_typed(window):
    window.save_fields(ids(window)[OUTCOME], {"title": "Tom & Jerry"})
    # iconText is the entry's words as the menu and toolbar show them (shortcut '&' taken out).
    assert window.actions["undo"].iconText() == f"Undo Edit '{OUTCOME}'"
    window.undo_stack.undo()
    assert window.actions["redo"].iconText() == f"Redo Edit '{OUTCOME}'"


def test_the_loading_note_names_the_last_client_as_typed(qtbot):
    from desktop import settings
    from desktop.window import MainWindow

    settings.put(settings.LAST_CLIENT_NAME, NAME)
    window = MainWindow(deferred=True)
    qtbot.addWidget(window)
    window.show()
    window.loading.ensurePolished()  # the style sheet that sets the format applies here
    assert_plain(window.loading, f"Loading {NAME}…")


def test_the_progress_note_names_the_file_as_typed(window):
    with runner.progress_dialog(window, "Opening <b>x</b> & <i>y</i>.db…"):
        dialog = window.findChildren(QProgressDialog)[-1]  # the newest: this one
        assert_plain(dialog.findChild(QLabel), "Opening <b>x</b> & <i>y</i>.db…")


def test_the_restore_dialog_names_the_database_file_as_typed(window, qtbot, tmp_path):
    dialog = RestoreDialog(tmp_path / "x < y <b>coach.db")
    qtbot.addWidget(dialog)
    assert dialog.intro.textFormat() == Qt.TextFormat.PlainText
    assert dialog.intro.text().startswith("No backups of x < y <b>coach.db yet")
