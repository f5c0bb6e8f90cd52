"""What a new user found in the graph view (issue 13): the toolbar keeps Find, links can be
made without the mouse, a completed commitment reads 100 % everywhere, one date format, and
panels that fit their text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar

from desktop.model.commands import EditCommand
from desktop.readable import ISO_DATE
from tests.desktop.helpers import item_id, show_client

MAYA = "Maya Okafor"
LONG = "Block Friday afternoons for deep work on the quarterly planning document " * 2


def toolbar(window) -> QToolBar:
    return window.findChild(QToolBar, "main_toolbar")


def test_find_stays_visible_at_1280_px_after_a_long_undo_text_and_ctrl_f_focuses_it(window, qtbot):
    window.resize(1280, 800)
    show_client(window, MAYA)
    goal = item_id(window, "Lead a team with confidence")
    window.push(EditCommand(window.ws, goal, {"title": LONG.strip()}))
    window.push(EditCommand(window.ws, goal, {"description": "Named by its long title."}))
    qtbot.wait(50)
    bar = toolbar(window)
    undo_button = bar.widgetForAction(window.actions["undo"])
    assert LONG.strip()[:30] in window.actions["undo"].toolTip()  # the action, in the tip
    assert undo_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert not window.actions["undo"].icon().isNull()
    assert window.find_box.isVisible()
    right = window.find_box.mapTo(window, window.find_box.rect().topRight()).x()
    assert right <= window.width()
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_box.hasFocus()


def test_toolbar_buttons_do_not_move_when_the_undo_text_changes(window, qtbot):
    window.resize(1280, 800)
    show_client(window, MAYA)
    bar = toolbar(window)

    def places():
        # A button pushed into the overflow menu keeps its old geometry: count it as gone.
        shown = [bar.widgetForAction(a) for a in bar.actions()]
        return [(w.geometry(), w.isVisible()) for w in shown if w is not None]

    goal = item_id(window, "Lead a team with confidence")
    qtbot.wait(20)
    before = places()  # nothing to undo yet: the plain "Undo"
    window.push(EditCommand(window.ws, goal, {"title": LONG.strip()}))
    window.push(EditCommand(window.ws, goal, {"description": "Named by its long title."}))
    qtbot.wait(20)
    assert places() == before


# ------------------------------------------------------------ a completed commitment


def choose(combo, value) -> None:
    """Pick `value` in a combo box the way a click on its entry does."""
    combo.setCurrentIndex(combo.findData(value))


def test_completing_a_commitment_in_the_inspector_reads_100_and_fills_completed_on(window):
    show_client(window, MAYA)
    task = item_id(window, "Rehearse with a peer")  # a draft at 0 %
    window.selection.set([task], source=None)
    editor = window.inspector.editor
    choose(editor.inputs["status"].widget, "completed")
    assert editor.inputs["progress_percentage"].get() == 100
    assert editor.inputs["completed_date"].get() == date.today().isoformat()
    QTest.mouseClick(window.inspector.save_button, Qt.MouseButton.LeftButton)
    row = window.ws.row(task)
    assert row["status"] == "completed" and row["completed_date"] == date.today().isoformat()
    # One truth: the inspector's field, the roll-up's explanation and the graph's node.
    editor = window.inspector.editor
    assert editor.inputs["progress_percentage"].get() == 100
    assert not editor.inputs["progress_percentage"].widget.isEnabled()
    assert "100" in window.inspector.explanation.text()
    assert window.ws.progress[task] == 100
    window.undo_stack.undo()  # one step takes status and date back together
    row = window.ws.row(task)
    assert row["status"] == "draft" and row["completed_date"] is None
    assert window.inspector.editor.inputs["progress_percentage"].get() == 0


def test_a_stored_completed_commitment_shows_100_without_counting_as_an_edit(window):
    show_client(window, MAYA)
    task = item_id(window, "Rehearse with a peer")
    window.push(EditCommand(window.ws, task, {"status": "completed"}))  # e.g. from the CLI
    window.selection.set([task], source=None)
    editor = window.inspector.editor
    assert editor.inputs["progress_percentage"].get() == 100
    assert editor.values() == {} and not window.inspector.dirty
    choose(editor.inputs["status"].widget, "active")  # reopened: the stored number is back
    assert editor.inputs["progress_percentage"].get() == 0


# ------------------------------------------------------------ one date format, panels that fit


def test_findings_show_dates_the_way_the_editors_do_wrapped_to_the_panel(window, qtbot):
    show_client(window, MAYA)
    task = item_id(window, "Rehearse with a peer")
    window.push(EditCommand(window.ws, task, {"target_date": "2031-07-04"}))
    window.findings.refresh()
    texts = [window.findings.list.item(i).text() for i in range(window.findings.list.count())]
    due = next(t for t in texts if "Rehearse with a peer" in t and "due" in t)
    assert "4 Jul 2031" in due and "2031-07-04" not in due
    assert not ISO_DATE.search(" ".join(texts))
    window.main.setSizes([270, 1200, 100])  # a narrow column: each sentence wraps, whole
    qtbot.wait(50)
    listing = window.findings.list
    assert not listing.horizontalScrollBar().isVisible()
    row = next(r for r in range(listing.count()) if listing.item(r).text() == due)
    rect = listing.visualItemRect(listing.item(row))
    assert rect.width() <= listing.viewport().width()
    assert rect.height() > 2 * listing.fontMetrics().height()
    editor = window.inspector
    window.selection.set([task], source=None)
    assert editor.editor.inputs["target_date"].edit.text() == "4 Jul 2031"


def test_a_narrow_inspector_shows_every_field_of_a_commitment_without_a_sideways_scrollbar(
    window, qtbot
):
    show_client(window, MAYA)
    window.selection.set([item_id(window, "Note wins in a brag document")], source=None)
    window.main.setSizes([270, 1200, 100])  # the person drags the splitter as far as it goes
    qtbot.wait(50)
    inspector = window.inspector
    assert inspector.width() < 340  # narrower than it opened: it can be resized
    assert not inspector.scroll.horizontalScrollBar().isVisible()
    viewport = inspector.scroll.viewport()
    for name, adapter in inspector.editor.inputs.items():
        right = adapter.widget.mapTo(viewport, QPoint(adapter.widget.width(), 0)).x()
        assert right <= viewport.width(), f"{name} is cut off at the panel's edge"
    assert inspector.explanation.wordWrap()
