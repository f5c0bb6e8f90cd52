"""What a new user found in the graph view (issue 13): the toolbar keeps Find, links can be
made without the mouse, a completed commitment reads 100 % everywhere, one date format, and
panels that fit their text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar

from desktop.model.commands import EditCommand
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
