"""The window never grows from data: a 200-character word in a title, a client's name or a
note wraps or is elided where it is shown, and the whole text can still be read."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QWidget

from desktop.actions import editing
from desktop.canvas.gestures import LABEL_WIDTH, wrap
from desktop.canvas.style import fonts
from store import ops
from store.opening import close_database, open_database
from store.validate import TITLE_MAX
from tests.desktop.test_user_text import capture_modal, ids, shown_tip

GOAL = "G" * TITLE_MAX  # no space anywhere: Qt's word wrap cannot break it
OUTCOME = "O" * TITLE_MAX
NAME = "N" * TITLE_MAX
NOTE = "n" * 2000
OTHER = "Second goal"
WIDTH = 1500


@pytest.fixture
def sample_db(tmp_path):
    """Replaces conftest's sample database: a client whose every text is one long word."""
    path = tmp_path / "long.db"
    open_database(path)
    client = ops.create_client(NAME, notes=NOTE)
    goal = ops.create_goal(client["id"], GOAL, description=NOTE)
    outcome = ops.create_outcome(client["id"], OUTCOME, description=NOTE)
    ops.link_items(outcome["id"], goal["id"])
    ops.create_goal(client["id"], OTHER)
    close_database()
    return path


@pytest.fixture
def wide(window):
    """The window at 1500 px, as a person left it."""
    window.resize(WIDTH, 900)
    settle()
    assert window.width() == WIDTH
    return window


def settle() -> None:
    # Layout requests are posted events: let every one run before measuring.
    for _ in range(5):
        QApplication.processEvents()


def assert_window_kept_its_width(window) -> None:
    settle()
    assert window.width() == WIDTH
    assert window.minimumSizeHint().width() <= WIDTH, "the layouts ask for a wider window"
    too_wide = [
        (type(w).__name__, w.objectName(), w.width())
        for w in window.findChildren(QWidget)
        if w.isVisible() and not w.isWindow() and w.width() > WIDTH
    ]
    assert too_wide == []


def test_selecting_an_item_with_a_long_word_keeps_the_window_width(wide):
    wide.selection.set([ids(wide)[GOAL]])
    assert_window_kept_its_width(wide)
    inspector = wide.inspector
    # The whole title can still be read: in its field, and as the cut label's tooltip.
    assert inspector.editor.inputs["title"].focus.text() == GOAL
    assert inspector.title.text().endswith("…")
    assert shown_tip(inspector.title.toolTip()) == GOAL


def test_selecting_a_link_between_long_titles_keeps_the_window_width(wide):
    link = next(iter(wide.ws.links_by_id.values()))
    wide.selection.set([link.id])
    assert_window_kept_its_width(wide)
    expected = f"Outcome “{OUTCOME}”\nserves goal “{GOAL}”."
    assert shown_tip(wide.inspector.link_text.toolTip()) == expected


def test_the_client_list_elides_a_long_name_and_its_tooltip_has_it_whole(wide):
    clients = wide.clients.list
    entry = clients.item(0)
    assert not clients.horizontalScrollBar().isVisible()  # cut with "…", not scrolled
    assert shown_tip(entry.toolTip()) == f"{NAME}\n{NOTE}"


def test_the_status_bar_elides_a_long_client_name_within_the_window(wide):
    label = wide.counts_label
    assert label.text().endswith("…")
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert shown_tip(label.toolTip()).startswith(f"{NAME}:  2 goals")
    assert_window_kept_its_width(wide)


def test_a_refusal_quoting_a_long_title_keeps_the_window_width(wide):
    wide.selection.set([ids(wide)[OTHER]])
    inspector = wide.inspector
    inspector.editor.inputs["title"].focus.setText(GOAL)  # the other goal's title: refused
    inspector.mark_dirty()
    assert not inspector.save()
    assert_window_kept_its_width(wide)
    error = inspector.editor.errors["title"]
    assert error.isVisible() and GOAL in shown_tip(error.toolTip())
    inspector.revert()


def test_the_editor_and_history_of_a_long_title_fit_beside_the_window(wide):
    goal = ids(wide)[GOAL]

    sizes = []

    def measure(dialog) -> None:
        settle()
        sizes.append((dialog.width(), dialog.minimumSizeHint().width()))
        dialog.reject()

    editor = capture_modal(wide, lambda: editing.edit_item(wide, goal), measure)
    history = capture_modal(wide, lambda: wide.show_history_of(goal), measure)
    assert all(width <= WIDTH and least <= WIDTH for width, least in sizes)
    assert shown_tip(editor.heading.toolTip()) == f"Goal: {GOAL}"
    assert shown_tip(history.heading.toolTip()) == f"History of “{GOAL}”"


def test_the_link_gesture_label_elides_a_long_word_to_its_width(qtbot):
    metrics = QFontMetricsF(fonts().title)  # (qtbot: fonts need the QApplication)
    lines = wrap(f"Link to goal '{GOAL}'", LABEL_WIDTH).split("\n")
    assert lines[0] == "Link to goal" and lines[-1].endswith("…")
    assert max(metrics.horizontalAdvance(line) for line in lines) <= LABEL_WIDTH
