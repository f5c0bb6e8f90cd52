"""What a new user found in the graph view (issue 13): the toolbar keeps Find, links can be
made without the mouse, a completed commitment reads 100 % everywhere, one date format, and
panels that fit their text."""

from __future__ import annotations

from datetime import date
from hashlib import sha256

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar

from desktop.dialogs.capture import OutcomePicker
from desktop.dialogs.link_to import LinkToDialog
from desktop.editors import EditDialog
from desktop.model.commands import EditCommand
from desktop.readable import ISO_DATE
from tests.desktop.helpers import item_id, on_next_modal, show_client, snapshot

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


# ------------------------------------------------------------ linking without the mouse


def closing(act):
    """`act` on a dialog, which is closed whatever happens: a failed check fails the test
    instead of leaving a modal dialog waiting for ever."""

    def run(dialog) -> None:
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    return run


def parents_of(window, child: str) -> set[str]:
    return {lk.upper for lk in window.ws.live_links() if lk.lower == child}


def test_a_new_commitment_offers_outcomes_with_the_selected_one_ticked(window):
    show_client(window, MAYA)
    outcome = item_id(window, "Run 5 km three times a week")
    window.selection.set([outcome], source=None)
    before = window.undo_stack.count()
    seen: list = []

    def fill(dialog) -> None:
        picker = dialog.findChild(OutcomePicker, "parents")
        offered = {
            picker.list.item(n).data(Qt.ItemDataRole.UserRole) for n in range(picker.list.count())
        }
        assert offered == {i.id for i in window.ws.live_items() if i.kind == "outcome"}
        assert picker.chosen() == [outcome]
        QTest.keyClicks(dialog.editor.inputs["title"].focus, "Stretch after each run")
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    on_next_modal(closing(fill), seen, EditDialog)
    window.actions["new_commitment"].trigger()
    assert seen
    made = item_id(window, "Stretch after each run")
    assert parents_of(window, made) == {outcome}
    assert window.undo_stack.count() == before + 1
    window.undo_stack.undo()  # one step: the item and its link
    assert not window.ws.is_live(made)


def test_a_new_outcome_offers_goals_and_serves_every_ticked_one(window):
    show_client(window, MAYA)
    lead = item_id(window, "Lead a team with confidence")
    voice = item_id(window, "Speak up in senior meetings")
    window.selection.set([lead], source=None)

    def fill(dialog) -> None:
        picker = dialog.findChild(OutcomePicker, "parents")
        kinds = {
            window.ws.item(picker.list.item(n).data(Qt.ItemDataRole.UserRole)).kind
            for n in range(picker.list.count())
        }
        assert kinds == {"goal"}
        QTest.keyClicks(picker.search, "senior")  # narrow by keyboard, tick the one left
        shown = [e for e in picker.items() if not e.isHidden()]
        assert [e.data(Qt.ItemDataRole.UserRole) for e in shown] == [voice]
        shown[0].setCheckState(Qt.CheckState.Checked)
        QTest.keyClicks(dialog.editor.inputs["title"].focus, "Chair one staff meeting")
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    on_next_modal(closing(fill), kind=EditDialog)
    window.actions["new_outcome"].trigger()
    assert parents_of(window, item_id(window, "Chair one staff meeting")) == {lead, voice}


def focus_arrives(widget) -> bool:
    """Whether keyboard focus reaches `widget` once its dialog is active (a few events on)."""
    for _ in range(100):
        if widget.hasFocus():
            return True
        QTest.qWait(10)
    return False


def test_link_to_links_the_selection_by_keyboard_as_one_undo_step(window):
    show_client(window, MAYA)
    shoes = item_id(window, "Buy running shoes")
    sleep = item_id(window, "Asleep by 23:00 on work nights")
    window.selection.set([shoes], source=None)
    window.view.setFocus()
    before = window.undo_stack.count()

    def choose_by_typing(dialog) -> None:
        titles = [dialog.list.item(n).text() for n in range(dialog.list.count())]
        assert titles and all(t.startswith("Outcome: ") for t in titles)  # only what may link
        assert focus_arrives(dialog.search)  # typing starts the search
        QTest.keyClicks(dialog.search, "asleep")
        QTest.keyClick(dialog.search, Qt.Key.Key_Return)

    seen: list = []
    on_next_modal(closing(choose_by_typing), seen, LinkToDialog)
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert seen and not seen[0].isVisible()
    assert sleep in parents_of(window, shoes)
    assert window.undo_stack.count() == before + 1
    window.undo_stack.undo()
    assert sleep not in parents_of(window, shoes)


def test_a_refused_link_to_says_the_rules_reason_and_writes_nothing(window, sample_db):
    show_client(window, MAYA)
    shoes = item_id(window, "Buy running shoes")  # already serves "Run 5 km three times a week"
    window.selection.set([shoes], source=None)
    before = (sha256(sample_db.read_bytes()).hexdigest(), snapshot(), window.undo_stack.count())
    said: list[str] = []

    def choose_linked(dialog) -> None:
        assert focus_arrives(dialog.search)
        QTest.keyClicks(dialog.search, "run 5 km")
        QTest.keyClick(dialog.search, Qt.Key.Key_Return)
        said.append(dialog.error.text() if dialog.error.isVisible() else "")
        assert dialog.isVisible()  # still open, to choose another
        dialog.reject()

    on_next_modal(closing(choose_linked), kind=LinkToDialog)
    window.actions["link_to"].trigger()
    assert said == ["'Buy running shoes' and 'Run 5 km three times a week' are already linked."]
    assert (
        sha256(sample_db.read_bytes()).hexdigest(),
        snapshot(),
        window.undo_stack.count(),
    ) == before
