"""The commitments view on the sample workspace: the list, its filters, the board, and undo."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from desktop.panels.commitments import COLUMNS, ID_ROLE, STATUS_KEYS
from tests.desktop.helpers import LEFT, NO_MODS, at_readable_zoom, item_id, show_client, vp

# Maya's twelve commitments by due date (the sample's dates are relative to today).
MAYA_BY_DUE = [
    "Book recurring 1:1s in the calendar",
    "Buy running shoes",
    "Write a 1:1 agenda template",
    "Couch-to-5k weeks 1–4",
    "Run 5 km under 32 minutes",
    "List tasks only I do",
    "Phone out of the bedroom",
    "Hand the weekly report to Sam",
    "Ask one question in every staff meeting",
    "Draft roadmap storyline",
    "Note wins in a brag document",
    "Rehearse with a peer",
]


def open_view(window, client: str = "Maya Okafor"):
    show_client(window, client)
    view = window.views["commitments"]
    window.tabs.setCurrentWidget(view)
    return view


def shown(view, column: int = 0) -> list[str]:
    model = view.model
    return [model.index(n, column).data() for n in range(model.rowCount())]


def row_of(view, title: str) -> list[str]:
    model = view.model
    n = shown(view).index(title)
    return [model.index(n, c).data() for c in range(len(COLUMNS))]


def test_list_shows_each_commitment_with_what_it_reaches_through_outcomes(window):
    view = open_view(window)
    assert shown(view) == MAYA_BY_DUE
    row = row_of(view, "Rehearse with a peer")
    assert row[1:4] == ["Draft", "High", "Commitment"]
    assert row[5] == "Present the Q3 roadmap to directors, Weekly 1:1s with all five reports"
    # Two goals and three sprints, each once although two outcomes reach them.
    assert row[6] == "Lead a team with confidence, Speak up in senior meetings"
    assert row[7] == (
        "Sprint 1: Foundations, Sprint 2: Delegation and voice, Sprint 3: Roadmap month"
    )
    assert row[8].endswith(" Sprint review")
    assert view.sentence.full_text() == "All commitments"


def test_any_column_sorts_and_priority_sorts_in_its_own_order(window):
    view = open_view(window)
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert shown(view) == sorted(MAYA_BY_DUE, key=str.casefold)
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert shown(view, 2)[:3] == ["High", "High", "Medium"]


def test_filters_combine_and_read_as_a_sentence_and_clear_in_one_click(window):
    view = open_view(window)
    goal = item_id(window, "Lead a team with confidence")
    sprint = item_id(window, "Sprint 2: Delegation and voice")
    bar = view.filters
    bar.pickers["goal"].choose(goal)
    bar.pickers["sprint"].choose(sprint)
    bar.status.setCurrentIndex(bar.status.findData("active"))
    assert shown(view) == [
        "Hand the weekly report to Sam",
        "Ask one question in every staff meeting",
        "Draft roadmap storyline",
        "Note wins in a brag document",
    ]
    assert view.sentence.full_text() == (
        "Commitments of goal 'Lead a team with confidence' in Sprint 2: Delegation and voice, "
        "with status active"
    )
    QTest.keyClicks(bar.search, "roadmap")
    assert shown(view) == ["Draft roadmap storyline"]
    QTest.mouseClick(view.clear_button, LEFT)
    assert shown(view) == MAYA_BY_DUE
    assert view.sentence.full_text() == "All commitments"
    assert not view.clear_button.isEnabled()


def test_overdue_and_due_within_filter_against_today(window):
    view = open_view(window)
    view.filters.overdue.setChecked(True)
    # Due before today and neither completed nor abandoned.
    assert shown(view) == ["Couch-to-5k weeks 1–4", "Run 5 km under 32 minutes"]
    assert view.sentence.full_text() == "Overdue commitments"
    view.clear_filter()
    view.filters.due_within.setValue(15)
    # Any status: a completed one due in the window is listed until a status narrows it.
    assert shown(view) == ["List tasks only I do", "Phone out of the bedroom"]
    assert view.sentence.full_text() == "Commitments due within 15 days"


def test_picker_finds_a_goal_by_typing_part_of_its_title(window):
    view = open_view(window)
    picker = view.filters.pickers["outcome"]
    completer = picker.completer()
    completer.setCompletionPrefix("roadmap")
    assert completer.currentCompletion() == "Present the Q3 roadmap to directors"


def test_choosing_a_commitment_selects_it_in_graph_and_inspector(window, qtbot):
    view = open_view(window)
    n = shown(view).index("Draft roadmap storyline")
    cell = view.table.visualRect(view.model.index(n, 0)).center()
    QTest.mouseClick(view.table.viewport(), LEFT, NO_MODS, cell)
    wanted = item_id(window, "Draft roadmap storyline")
    assert window.selection.ids == (wanted,)
    assert window.scene.selected == (wanted,)
    assert window.inspector.item_id == wanted


def test_show_its_commitments_opens_the_view_filtered_by_the_selected_sprint(window):
    show_client(window, "Maya Okafor")
    window.tabs.setCurrentIndex(0)
    sprint = item_id(window, "Sprint 3: Roadmap month")
    window.selection.set([sprint])
    view = window.views["commitments"]
    window.actions["show_commitments"].trigger()
    assert window.tabs.currentWidget() is view
    assert shown(view) == [
        "Ask one question in every staff meeting",
        "Draft roadmap storyline",
        "Note wins in a brag document",
        "Rehearse with a peer",
    ]
    assert view.sentence.full_text() == "Commitments in Sprint 3: Roadmap month"


def test_list_follows_an_edit_made_elsewhere_and_the_client_switch(window):
    view = open_view(window)
    view.filters.search.setText("shoes")
    assert shown(view) == ["Buy running shoes"]
    window.save_fields(item_id(window, "Buy running shoes"), {"title": "Buy trail shoes"})
    assert shown(view) == ["Buy trail shoes"]
    show_client(window, "Leo Brandt")
    # The other client's list, with the filter (which named Maya's things) cleared.
    assert view.sentence.full_text() == "All commitments"
    assert len(shown(view)) == 12
    assert "Update LinkedIn headline" in shown(view)


def test_status_of_several_chosen_rows_is_one_undo_step(window):
    view = open_view(window)
    view.filters.overdue.setChecked(True)
    view.table.selectAll()
    view.setFocus()
    ids = [view.model.index(n, 0).data(ID_ROLE) for n in range(view.model.rowCount())]
    QTest.keySequence(view.table, STATUS_KEYS["completed"])
    assert [window.ws.status(i) for i in ids] == ["completed", "completed"]
    assert shown(view) == []  # completed is never overdue
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert [window.ws.status(i) for i in ids] == ["in_progress", "draft"]


# ---------------------------------------------------------------- board


def card_point(column, title: str) -> QPoint:
    for n in range(column.count()):
        if column.item(n).text().split("\n")[0] == title:
            return column.visualItemRect(column.item(n)).center()
    raise AssertionError(f"no card {title!r} in {column.status}")


def titles_in(column) -> list[str]:
    return [column.item(n).text().split("\n")[0] for n in range(column.count())]


def test_board_has_a_column_per_status(window):
    view = open_view(window)
    QTest.mouseClick(view.board_toggle, LEFT)
    board = view.board
    assert titles_in(board.columns["draft"]) == [
        "Run 5 km under 32 minutes",
        "Rehearse with a peer",
    ]
    assert titles_in(board.columns["in_progress"]) == [
        "Couch-to-5k weeks 1–4",
        "Phone out of the bedroom",
    ]
    assert len(titles_in(board.columns["completed"])) == 4
    assert titles_in(board.columns["abandoned"]) == []


def test_dragging_a_card_to_another_column_sets_its_status_and_undo_restores_it(window, qtbot):
    view = open_view(window)
    QTest.mouseClick(view.board_toggle, LEFT)
    board = view.board
    draft, done = board.columns["draft"], board.columns["completed"]
    start = card_point(draft, "Rehearse with a peer")
    # The press grabs the mouse: moves and the release go to the draft column's viewport,
    # at points over the completed column, as a window system delivers them.
    end = draft.viewport().mapFromGlobal(done.viewport().mapToGlobal(QPoint(40, 200)))
    source = draft.viewport()
    QTest.mousePress(source, LEFT, NO_MODS, start)
    for step in range(1, 7):
        QTest.mouseMove(source, start + (end - start) * step / 6)
    QTest.mouseRelease(source, LEFT, NO_MODS, end)
    rehearse = item_id(window, "Rehearse with a peer")
    assert window.ws.status(rehearse) == "completed"
    assert "Rehearse with a peer" in titles_in(done)
    assert titles_in(draft) == ["Run 5 km under 32 minutes"]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.ws.status(rehearse) == "draft"
    assert titles_in(draft) == ["Run 5 km under 32 minutes", "Rehearse with a peer"]
    window.undo_stack.redo()
    assert window.ws.status(rehearse) == "completed"


def test_a_click_on_a_card_changes_nothing_but_the_selection(window):
    view = open_view(window)
    QTest.mouseClick(view.board_toggle, LEFT)
    draft = view.board.columns["draft"]
    QTest.mouseClick(draft.viewport(), LEFT, NO_MODS, card_point(draft, "Rehearse with a peer"))
    rehearse = item_id(window, "Rehearse with a peer")
    assert window.selection.ids == (rehearse,)
    assert window.undo_stack.count() == 0


def test_keyboard_sets_a_chosen_cards_status(window):
    view = open_view(window)
    QTest.mouseClick(view.board_toggle, LEFT)
    draft = view.board.columns["draft"]
    card = card_point(draft, "Run 5 km under 32 minutes")
    QTest.mouseClick(draft.viewport(), LEFT, NO_MODS, card)
    QTest.keySequence(draft, STATUS_KEYS["active"])
    run = item_id(window, "Run 5 km under 32 minutes")
    assert window.ws.status(run) == "active"
    assert "Run 5 km under 32 minutes" in titles_in(view.board.columns["active"])
    window.undo_stack.undo()
    assert window.ws.status(run) == "draft"


def test_dropping_a_card_back_in_its_own_column_changes_nothing(window):
    view = open_view(window)
    QTest.mouseClick(view.board_toggle, LEFT)
    draft = view.board.columns["draft"]
    start = card_point(draft, "Rehearse with a peer")
    source = draft.viewport()
    QTest.mousePress(source, LEFT, NO_MODS, start)
    for step in range(1, 5):
        QTest.mouseMove(source, start + QPoint(0, 8 * step))
    QTest.mouseRelease(source, LEFT, NO_MODS, start + QPoint(0, 32))
    assert window.ws.status(item_id(window, "Rehearse with a peer")) == "draft"
    assert window.undo_stack.count() == 0


def test_a_commitment_selected_in_the_graph_is_selected_in_the_list(window):
    view = open_view(window)
    wanted = item_id(window, "Buy running shoes")
    window.selection.set([wanted], source=window.scene)
    rows = view.table.selectionModel().selectedRows()
    assert [view.model.data(index, ID_ROLE) for index in rows] == [wanted]


def menu_labels(menu) -> list[str]:
    return [a.text().split("\t")[0] for a in menu.actions()]


def test_graph_context_menu_of_an_outcome_shows_its_commitments(window):
    show_client(window, "Maya Okafor")
    window.tabs.setCurrentIndex(0)
    outcome = item_id(window, "Present the Q3 roadmap to directors")
    at_readable_zoom(window, outcome)
    centre = vp(window, window.scene.nodes[outcome].centre())
    # A real context event opens a modal menu; the press that precedes it selects the node.
    QTest.mouseClick(window.view.viewport(), LEFT, NO_MODS, centre)
    assert window.selection.ids == (outcome,)
    menu = window.editor.build_context_menu("node", outcome, QPointF())
    assert "Show its commitments" in menu_labels(menu)
    next(a for a in menu.actions() if a.text().startswith("Show its commitments")).trigger()
    view = window.views["commitments"]
    assert window.tabs.currentWidget() is view
    assert view.sentence.full_text() == (
        "Commitments for outcome 'Present the Q3 roadmap to directors'"
    )
    assert set(shown(view)) == {  # store/sample.py: the four serving "proposal"
        "Draft roadmap storyline",
        "Rehearse with a peer",
        "Ask one question in every staff meeting",
        "Note wins in a brag document",
    }


def test_tree_context_menu_offers_show_its_commitments_for_goals_and_sessions_only(window):
    show_client(window, "Maya Okafor")
    goal = item_id(window, "Rebuild a steady fitness routine")
    commitment = item_id(window, "Buy running shoes")
    session = window.ws.sessions()[0]["id"]
    entry = window.tree.entries[goal][0]
    window.tree.scrollToItem(entry)
    QTest.mouseClick(
        window.tree.viewport(),
        Qt.MouseButton.RightButton,
        NO_MODS,
        window.tree.visualItemRect(entry).center(),
    )
    assert window.selection.ids == (goal,)  # the right click chose what the menu acts on
    editor = window.editor
    assert "Show its commitments" in menu_labels(editor.build_context_menu("node", goal, QPointF()))
    assert "Show its commitments" in menu_labels(
        editor.build_context_menu("session", session, QPointF())
    )
    assert "Show its commitments" not in menu_labels(
        editor.build_context_menu("node", commitment, QPointF())
    )


def test_show_its_commitments_with_a_commitment_selected_says_what_to_select(window):
    open_view(window)
    window.tabs.setCurrentIndex(0)
    window.selection.set([item_id(window, "Buy running shoes")])
    window.actions["show_commitments"].trigger()
    assert window.tabs.currentIndex() == 0
    assert window.statusBar().currentMessage() == (
        "Select a goal, outcome, sprint or session first, then show its commitments."
    )


# ---------------------------------------------------------------- grouping


def group_by(view, label: str) -> None:
    """Choose a "Group by" entry with the keyboard, as a person would."""
    box = view.group_by
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Home)
    while box.currentText() != label:
        QTest.keyClick(box, Qt.Key.Key_Down)


def groups(view) -> dict[str, list[str]]:
    model = view.tree.model()
    found = {}
    for g in range(model.rowCount()):
        heading = model.index(g, 0)
        found[heading.data()] = [
            model.index(r, 0, heading).data() for r in range(model.rowCount(heading))
        ]
    return found


def held_on(window, title: str) -> str:
    return next(s["held_on"] for s in window.ws.sessions() if s["title"] == title)


def test_group_by_session_lists_sessions_newest_first_with_their_commitments(window):
    view = open_view(window)
    group_by(view, "Group by session")
    assert view.stack.currentWidget() is view.tree
    found = groups(view)
    assert list(found) == [
        f"{held_on(window, 'Sprint review')} Sprint review (5)",
        f"{held_on(window, 'Check-in: first sprint')} Check-in: first sprint (4)",
        f"{held_on(window, 'Intake session')} Intake session (3)",
    ]
    # Within a group, the list's own order (by due date).
    assert found[f"{held_on(window, 'Intake session')} Intake session (3)"] == MAYA_BY_DUE[:3]
    group_by(view, "No grouping")
    assert view.stack.currentWidget() is view.table


def test_group_by_sprint_lists_a_commitment_under_each_sprint_it_reaches(window):
    view = open_view(window)
    group_by(view, "Group by sprint")
    found = groups(view)
    headings = [h for h in found if h.startswith("Sprint ")]
    assert [h.split(":")[0] for h in headings] == ["Sprint 1", "Sprint 2", "Sprint 3"]
    for heading in headings:
        assert "Rehearse with a peer" in found[heading]  # three sprints through two outcomes
        assert heading.endswith(f"({len(found[heading])})")


def click_heading(header, column: int) -> None:
    at = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    QTest.mouseClick(header.viewport(), LEFT, NO_MODS, at)


def test_clicking_a_heading_of_the_grouped_list_sorts_inside_every_group(window):
    view = open_view(window)
    group_by(view, "Group by session")
    intake = f"{held_on(window, 'Intake session')} Intake session (3)"
    click_heading(view.tree.header(), 0)  # Title, A to Z
    found = groups(view)
    assert found[intake] == sorted(MAYA_BY_DUE[:3], key=str.casefold)
    assert all(titles == sorted(titles, key=str.casefold) for titles in found.values())
    click_heading(view.tree.header(), 0)  # Z to A
    assert groups(view)[intake] == sorted(MAYA_BY_DUE[:3], key=str.casefold, reverse=True)
    # The list shows the same sort on its own heading when grouping stops.
    group_by(view, "No grouping")
    assert view.table.horizontalHeader().sortIndicatorSection() == 0
    assert shown(view) == sorted(MAYA_BY_DUE, key=str.casefold, reverse=True)


def test_groups_follow_the_filter_and_status_keys_work_on_grouped_rows(window):
    view = open_view(window)
    group_by(view, "Group by outcome")
    view.filters.overdue.setChecked(True)
    listed = {t for titles in groups(view).values() for t in titles}
    assert listed == {"Couch-to-5k weeks 1–4", "Run 5 km under 32 minutes"}
    view.tree.selectAll()
    QTest.keySequence(view.tree, STATUS_KEYS["completed"])
    assert groups(view) == {}
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert {t for titles in groups(view).values() for t in titles} == listed


def test_grouping_a_shared_selection_shows_it_under_every_group(window):
    view = open_view(window)
    group_by(view, "Group by sprint")
    rehearse = item_id(window, "Rehearse with a peer")
    window.selection.set([rehearse], source=window.scene)
    assert view.tree.chosen_ids() == [rehearse]
    assert len(view.tree.selectionModel().selectedRows()) == 3


# ---------------------------------------------------------------- several at once


def action(view, text: str):
    return next(a for a in view.actions() if a.text() == text)


def select_overdue(view) -> list[str]:
    view.filters.overdue.setChecked(True)
    view.table.selectAll()
    return [view.model.index(n, 0).data(ID_ROLE) for n in range(view.model.rowCount())]


def fields(window, ids, name):
    return [window.ws.item(i).fields[name] for i in ids]


def test_priority_of_several_chosen_is_one_undo_step(window):
    from tests.desktop.helpers import snapshot

    view = open_view(window)
    ids = select_overdue(view)
    before_doc, before = snapshot(), fields(window, ids, "priority")
    action(view, "Set priority: Urgent").trigger()
    assert fields(window, ids, "priority") == ["urgent", "urgent"]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert fields(window, ids, "priority") == before
    assert snapshot() == before_doc
    window.undo_stack.redo()
    assert fields(window, ids, "priority") == ["urgent", "urgent"]


def test_due_date_of_several_chosen_is_one_undo_step(window):
    from PySide6.QtCore import QDate

    from desktop.dialogs.due import DueDialog
    from tests.desktop.helpers import on_next_modal

    view = open_view(window)
    ids = select_overdue(view)
    before = fields(window, ids, "target_date")

    def answer(dialog):
        dialog.input.edit.setDate(QDate(2031, 3, 14))
        QTest.keyClick(dialog.input.edit, Qt.Key.Key_Return)

    on_next_modal(answer, kind=DueDialog)
    action(view, "Set due date…").trigger()
    assert fields(window, ids, "target_date") == ["2031-03-14", "2031-03-14"]
    assert shown(view) == []  # no longer overdue
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert fields(window, ids, "target_date") == before
    window.undo_stack.redo()
    assert fields(window, ids, "target_date") == ["2031-03-14", "2031-03-14"]


def test_several_chosen_go_to_the_trash_in_one_undo_step(window):
    view = open_view(window)
    ids = select_overdue(view)
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Delete)  # the window's Delete, on the selection
    assert not any(window.ws.is_live(i) for i in ids)
    assert shown(view) == []
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert all(window.ws.is_live(i) for i in ids)
    view.table.selectAll()
    action(view, "Move to trash").trigger()  # the same from the context menu
    assert not any(window.ws.is_live(i) for i in ids)
    assert window.undo_stack.count() == 1  # the undone step was replaced
    window.undo_stack.undo()
    assert all(window.ws.is_live(i) for i in ids)


def test_setting_the_filter_in_code_sets_every_control_as_a_person_would(window):
    view = open_view(window)
    view.set_filter(statuses=frozenset({"active"}), search="roadmap", overdue=False)
    bar = view.filters
    assert bar.status.currentData() == "active"
    assert bar.search.text() == "roadmap"
    assert shown(view) == ["Draft roadmap storyline"]
    view.set_filter(statuses=frozenset({"active", "draft"}))  # two: the box cannot say it
    assert bar.status.currentIndex() == 0
    assert bar.read().statuses == frozenset()
