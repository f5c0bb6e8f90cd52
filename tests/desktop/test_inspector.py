"""The inspector in the real window: it fits its panel, takes Enter and Esc like a dialog, and
never drops what was typed when the selection moves on."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from store import ops
from tests.desktop.helpers import (
    LEFT,
    NO_MODS,
    Dialogs,
    at_readable_zoom,
    cancel_file_chooser,
    item_id,
    on_next_modal,
    press,
    show_client,
    snapshot,
    vp,
)

LEO = "Leo Brandt"
MAYA = "Maya Okafor"


def type_into(line_edit, text: str) -> None:
    """Replace a line edit's text the way a person does: select all, type."""
    line_edit.setFocus()
    line_edit.selectAll()
    QTest.keyClick(line_edit, Qt.Key.Key_Backspace)
    QTest.keyClicks(line_edit, text)


def type_goal_title(window, text: str) -> str:
    """Select Maya's first goal and type `text` as its title in the inspector, unsaved."""
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    type_into(window.inspector.editor.inputs["title"].focus, text)
    return goal


def answer_next_question(button) -> None:
    on_next_modal(lambda box: box.button(button).click())


def click_node(window, node: str) -> None:
    at_readable_zoom(window, node)
    centre = vp(window, window.scene.nodes[node].centre())
    QTest.mouseClick(window.view.viewport(), LEFT, NO_MODS, centre)


def test_the_inspector_shows_every_field_without_scrolling_sideways(window):
    show_client(window, LEO)
    # A commitment from a session: the longest choice, and three dates with "No date" boxes.
    commitment = item_id(window, "Plan a referral bonus")
    assert ops.get_item(commitment)[1]["session_id"]
    window.selection.set([commitment])
    inspector = window.inspector
    viewport = inspector.scroll.viewport()
    assert not inspector.scroll.horizontalScrollBar().isVisible()
    for name, adapter in inspector.editor.inputs.items():
        right = adapter.widget.mapTo(viewport, QPoint(adapter.widget.width(), 0)).x()
        assert right <= viewport.width(), f"{name} is cut off at the panel's edge"
        assert adapter.widget.isVisibleTo(inspector) or name == "progress"


def test_enter_in_a_field_of_the_inspector_saves(window):
    goal = type_goal_title(window, "Lead with calm confidence")
    title = window.inspector.editor.inputs["title"].focus
    QTest.keyClick(title, Qt.Key.Key_Return)
    assert ops.get_item(goal)[1]["title"] == "Lead with calm confidence"
    assert window.undo_stack.count() == 1
    assert not window.inspector.save_button.isEnabled()


def test_escape_in_the_inspector_puts_the_stored_values_back(window):
    type_goal_title(window, "Something else")
    title = window.inspector.editor.inputs["title"].focus
    QTest.keyClick(title, Qt.Key.Key_Escape)
    assert title.text() == "Lead a team with confidence"
    assert not window.inspector.save_button.isEnabled()
    assert window.undo_stack.count() == 0


def test_clicking_another_node_saves_what_was_typed_first(window):
    goal = type_goal_title(window, "Lead with calm confidence")
    other = item_id(window, "Rebuild a steady fitness routine")
    click_node(window, other)
    assert ops.get_item(goal)[1]["title"] == "Lead with calm confidence"
    assert window.undo_stack.count() == 1
    assert window.inspector.item_id == other
    assert window.inspector.editor.inputs["title"].get() == "Rebuild a steady fitness routine"
    window.undo_stack.undo()
    assert ops.get_item(goal)[1]["title"] == "Lead a team with confidence"


def test_refused_edits_keep_the_inspector_on_their_item_until_fixed_or_reverted(window):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    other = item_id(window, "Speak up in senior meetings")
    window.selection.set([goal])
    before = snapshot()
    type_into(window.inspector.editor.inputs["title"].focus, window.ws.item(other).title)
    click_node(window, other)
    inspector = window.inspector
    assert inspector.item_id == goal
    assert "already has a goal titled" in inspector.editor.error_text("title")
    assert snapshot() == before and window.undo_stack.count() == 0
    QTest.mouseClick(inspector.revert_button, LEFT)
    assert inspector.item_id == other
    assert inspector.editor.inputs["title"].get() == window.ws.item(other).title
    assert snapshot() == before


def test_clicking_save_with_the_mouse_keeps_the_saved_item_selected(window):
    show_client(window, MAYA)
    assert window.findings.findings  # the list the focus falls into when Save greys out
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    type_into(window.inspector.editor.inputs["title"].focus, "Lead with calm confidence")
    QTest.mouseClick(window.inspector.save_button, LEFT)
    assert ops.get_item(goal)[1]["title"] == "Lead with calm confidence"
    assert window.selection.ids == (goal,) and window.inspector.item_id == goal


def test_tabbing_into_the_findings_selects_nothing_until_a_finding_is_chosen(window):
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.selection.set([goal])
    findings = window.findings.list
    findings.setFocus(Qt.FocusReason.TabFocusReason)
    assert window.selection.ids == (goal,)
    assert findings.currentRow() == 0  # current, as focus makes it, but not chosen
    QTest.keyClick(findings, Qt.Key.Key_Space)
    chosen = window.findings.findings[0]
    assert window.selection.ids == tuple(chosen.items) + tuple(chosen.links)


def choose_client(window, name: str) -> None:
    """Click the client's row in the client list."""
    found = window.clients.list.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    rect = window.clients.list.visualItemRect(found)
    QTest.mouseClick(window.clients.list.viewport(), LEFT, NO_MODS, rect.center())


def test_switching_client_saves_what_was_typed_first(window):
    goal = type_goal_title(window, "Lead with calm confidence")
    choose_client(window, LEO)
    assert window.ws.client_name() == LEO
    assert ops.get_item(goal)[1]["title"] == "Lead with calm confidence"
    assert window.undo_stack.count() == 1


def test_a_refused_edit_keeps_its_client_unless_the_person_discards_it(window):
    goal = type_goal_title(window, "")  # titles cannot be empty
    before = snapshot()  # unsaved typing is not in the database
    answer_next_question(QMessageBox.StandardButton.Cancel)
    choose_client(window, LEO)
    assert window.ws.client_name() == MAYA and window.inspector.item_id == goal
    assert window.clients.list.currentItem().text() == MAYA
    assert window.inspector.editor.error_text("title")
    answer_next_question(QMessageBox.StandardButton.Discard)
    choose_client(window, LEO)
    assert window.ws.client_name() == LEO
    assert snapshot() == before and window.undo_stack.count() == 0


def test_closing_the_window_saves_what_was_typed(window):
    goal = type_goal_title(window, "Lead with calm confidence")
    assert window.close()
    assert ops.get_item(goal)[1]["title"] == "Lead with calm confidence"


def test_closing_with_a_refused_edit_can_be_cancelled(window):
    goal = type_goal_title(window, "")
    answer_next_question(QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible() and window.inspector.dirty
    answer_next_question(QMessageBox.StandardButton.Discard)
    assert window.close()
    assert ops.get_item(goal)[1]["title"] == "Lead a team with confidence"


def test_opening_another_database_saves_what_was_typed_before_asking_for_the_file(window):
    goal = type_goal_title(window, "Lead with calm confidence")
    titles_when_asked = []

    def read(_chooser) -> None:
        titles_when_asked.append(ops.get_item(goal)[1]["title"])

    dialogs = Dialogs(cancel_file_chooser(read))
    window.actions["open"].trigger()
    dialogs.done()
    assert titles_when_asked == ["Lead with calm confidence"]


def test_a_refused_edit_cancels_opening_another_database_when_the_person_says_so(window):
    type_goal_title(window, "")
    file_chooser = cancel_file_chooser()
    dialogs = Dialogs(press(QMessageBox, "Cancel"), file_chooser)
    window.actions["open"].trigger()
    dialogs.timer.stop()
    # The question was answered and the file chooser never opened.
    assert dialogs.steps == [file_chooser] and window.inspector.dirty
