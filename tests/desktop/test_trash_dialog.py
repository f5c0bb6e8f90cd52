"""The trash dialog on a real sample database, restoring and purging through store.ops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.dialogs.trash import (
    CLIENT_COL,
    KIND_COL,
    LINKS_COL,
    TITLE_COL,
    WHEN_COL,
    TrashDialog,
    links_text,
)
from desktop.readable import local_time
from store import ops
from store.errors import NotFound
from store.load import load_hierarchy
from store.opening import close_database, open_database
from store.sample import add_sample_workspace
from store.trash import list_trash


@pytest.fixture
def workspace(tmp_path):
    open_database(tmp_path / "t.db")
    roots = add_sample_workspace()
    yield roots
    close_database()


@pytest.fixture
def dialog(qtbot, workspace):
    return open_trash(qtbot, None)


def open_trash(qtbot, root_id):
    dialog = TrashDialog(root_id, ops.restore_item, ops.purge_item)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def live_item(root: str, kind: str, title_part: str = ""):
    items = load_hierarchy(root).items.values()
    return next(
        i
        for i in sorted(items, key=lambda i: i.title)
        if i.kind == kind and not i.deleted and title_part in i.title
    )


def row_of(dialog: TrashDialog, title: str) -> int:
    table = dialog.table
    return next(r for r in range(table.rowCount()) if table.item(r, TITLE_COL).text() == title)


def shown_titles(dialog: TrashDialog) -> list[str]:
    return [dialog.table.item(r, TITLE_COL).text() for r in dialog.visible_rows()]


def click_row(qtbot, dialog: TrashDialog, title: str, modifier=Qt.KeyboardModifier.NoModifier):
    table = dialog.table
    rect = table.visualItemRect(table.item(row_of(dialog, title), TITLE_COL))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_next_box(qtbot, button_text: str | None = None) -> dict:
    """Click a button of the next message box once it opens; returns what it said."""
    seen: dict = {}

    def answer(tries: int = 200) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries:
                QTimer.singleShot(10, lambda: answer(tries - 1))
            return
        seen.update(title=box.windowTitle(), text=box.text(), info=box.informativeText())
        buttons = box.buttons()
        chosen = next(b for b in buttons if b.text() == button_text) if button_text else buttons[0]
        click(qtbot, chosen)

    QTimer.singleShot(0, answer)
    return seen


# ------------------------------------------------------------------ listing


def test_trash_lists_the_sample_trashed_item_with_its_links(dialog):
    (entry,) = list_trash()
    row = row_of(dialog, entry["title"])
    cells = [dialog.table.item(row, c).text() for c in (KIND_COL, CLIENT_COL, WHEN_COL)]
    assert cells == ["Commitment", "Maya Okafor", local_time(entry["deleted_at"])]
    other = entry["links"][0]["other_title"]
    assert dialog.table.item(row, LINKS_COL).text() == f"1 link: {other}"
    assert dialog.pages.currentWidget() is dialog.table


def test_nothing_selected_means_no_action_buttons(dialog):
    assert not dialog.restore_button.isEnabled()
    assert not dialog.restore_parents_button.isEnabled()
    assert not dialog.purge_button.isEnabled()
    assert dialog.close_button.isEnabled()


def test_empty_trash_shows_a_friendly_empty_state(qtbot, workspace):
    ops.restore_item(list_trash()[0]["id"])
    dialog = open_trash(qtbot, None)
    assert dialog.pages.currentWidget() is dialog.empty
    assert "The trash is empty" in dialog.empty.text()
    assert not dialog.search.isEnabled()


def test_local_time_reads_day_month_year_and_minutes():
    assert local_time("2026-11-22T14:05:09.123456") == "22 Nov 2026 14:05"


# ------------------------------------------------------------------ filter and search


def trash_a_goal_and_a_sprint(workspace, dialog):
    """Maya's fitness goal and one of Leo's sprints join the sample's trashed commitment."""
    maya, leo = workspace
    goal, sprint = live_item(maya, "goal", "fitness"), live_item(leo, "sprint")
    ops.delete_item(goal.id)
    ops.delete_item(sprint.id)
    dialog.refresh()
    return goal, sprint


def test_kind_filter_and_search_narrow_the_list(qtbot, workspace, dialog):
    goal, sprint = trash_a_goal_and_a_sprint(workspace, dialog)
    assert len(dialog.visible_rows()) == 3
    combo = dialog.kind_filter
    combo.setCurrentIndex(combo.findText("Goals"))
    assert shown_titles(dialog) == [goal.title]
    combo.setCurrentIndex(combo.findText("All kinds"))
    qtbot.keyClicks(dialog.search, "leo")  # matches the client name
    assert shown_titles(dialog) == [sprint.title]
    assert dialog.summary.text().startswith("1 of 3 shown")


def test_search_with_no_match_says_so(qtbot, dialog):
    qtbot.keyClicks(dialog.search, "no such thing")
    assert dialog.visible_rows() == []
    assert dialog.pages.currentWidget() is dialog.empty
    assert "matches this filter" in dialog.empty.text()


def test_the_search_box_has_the_focus_when_the_trash_opens(dialog):
    assert dialog.focusWidget() is dialog.search


def test_enter_after_a_search_restores_the_top_match_only(qtbot, workspace, dialog):
    goal, sprint = trash_a_goal_and_a_sprint(workspace, dialog)
    qtbot.keyClicks(dialog.search, "leo")
    assert dialog.selected_ids() == [sprint.id]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert ops.get_item(sprint.id)[1]["deleted_at"] is None
    assert len(list_trash()) == 2
    assert dialog.isVisible()


def test_typing_more_of_a_search_keeps_the_row_the_user_chose(qtbot, workspace, dialog):
    goal = live_item(workspace[0], "goal", "fitness")
    ops.delete_item(goal.id)
    dialog.refresh()
    (commitment,) = [e for e in list_trash() if e["kind"] == "commitment"]
    qtbot.keyClicks(dialog.search, "maya")  # both are Maya's
    click_row(qtbot, dialog, commitment["title"])
    qtbot.keyClicks(dialog.search, " ")
    assert dialog.selected_ids() == [commitment["id"]]


def test_enter_restores_the_selected_row(qtbot, dialog):
    (entry,) = list_trash()
    click_row(qtbot, dialog, entry["title"])
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert list_trash() == []
    assert ops.get_item(entry["id"])[1]["deleted_at"] is None


def test_enter_with_nothing_selected_restores_nothing(qtbot, dialog):
    before = list_trash()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert list_trash() == before
    assert dialog.selected_ids() == []
    assert dialog.isVisible()


# ------------------------------------------------------------------ restore


def test_restore_brings_the_item_back_with_its_link(qtbot, dialog):
    (entry,) = list_trash()
    click_row(qtbot, dialog, entry["title"])
    click(qtbot, dialog.restore_button)
    assert ops.get_item(entry["id"])[1]["deleted_at"] is None
    link = entry["links"][0]
    assert any(lk.id == link["id"] for lk in load_hierarchy(entry["root_id"]).links)
    assert dialog.table.rowCount() == 0
    assert dialog.pages.currentWidget() is dialog.empty


def test_restore_of_several_selected_items(qtbot, workspace, dialog):
    goal = live_item(workspace[0], "goal")
    ops.delete_item(goal.id)
    dialog.refresh()
    (commitment,) = [e for e in list_trash() if e["kind"] == "commitment"]
    click_row(qtbot, dialog, goal.title)
    click_row(qtbot, dialog, commitment["title"], Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.selected_ids()) == 2
    click(qtbot, dialog.restore_button)
    assert list_trash() == []
    assert ops.get_item(goal.id)[1]["deleted_at"] is None


def test_refused_restore_shows_the_reason_and_keeps_the_list(qtbot, workspace, dialog):
    maya = workspace[0]
    goal = live_item(maya, "goal")
    ops.delete_item(goal.id)
    ops.create_goal(maya, goal.title)  # the title is taken again while it is in the trash
    dialog.refresh()
    before = [dialog.table.item(r, TITLE_COL).text() for r in range(dialog.table.rowCount())]
    click_row(qtbot, dialog, goal.title)
    seen = answer_next_box(qtbot)
    click(qtbot, dialog.restore_button)
    assert seen["text"] == (
        f"This client already has a goal titled {goal.title!r}; choose another title."
    )
    after = [dialog.table.item(r, TITLE_COL).text() for r in range(dialog.table.rowCount())]
    assert after == before
    assert ops.get_item(goal.id)[1]["deleted_at"] is not None


def test_restore_with_parents_brings_back_the_client_it_needs(qtbot, workspace):
    leo = workspace[1]
    outcome = live_item(leo, "outcome")
    ops.delete_item(outcome.id)
    ops.delete_item(leo)
    dialog = open_trash(qtbot, None)
    click_row(qtbot, dialog, outcome.title)
    seen = answer_next_box(qtbot)
    click(qtbot, dialog.restore_button)
    assert "restore with parents" in seen["text"]
    assert ops.get_item(outcome.id)[1]["deleted_at"] is not None
    click_row(qtbot, dialog, outcome.title)
    click(qtbot, dialog.restore_parents_button)
    assert ops.get_item(outcome.id)[1]["deleted_at"] is None
    assert ops.get_item(leo)[1]["deleted_at"] is None
    assert [e["kind"] for e in list_trash()] == ["commitment"]


# ------------------------------------------------------------------ purge


def test_purge_after_confirmation_removes_the_row_and_takes_a_backup(qtbot, tmp_path, dialog):
    (entry,) = list_trash()
    click_row(qtbot, dialog, entry["title"])
    seen = answer_next_box(qtbot, "Purge")
    click(qtbot, dialog.purge_button)
    assert "cannot be undone" in seen["info"] and "backup" in seen["info"]
    assert entry["title"] in seen["text"]
    with pytest.raises(NotFound):
        ops.get_item(entry["id"])
    assert list((tmp_path / "backups").glob("*purge*.db"))
    assert dialog.pages.currentWidget() is dialog.empty


def test_purge_cancelled_changes_nothing(qtbot, tmp_path, dialog):
    (entry,) = list_trash()
    click_row(qtbot, dialog, entry["title"])
    answer_next_box(qtbot, "Cancel")
    click(qtbot, dialog.purge_button)
    assert ops.get_item(entry["id"])[1]["deleted_at"] is not None
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())
    assert shown_titles(dialog) == [entry["title"]]


def test_purging_a_client_with_its_items_selected_skips_what_went_with_it(qtbot, workspace):
    leo = workspace[1]
    sprint = live_item(leo, "sprint")
    ops.delete_item(sprint.id)
    ops.delete_item(leo)
    dialog = open_trash(qtbot, leo)
    assert sorted(shown_titles(dialog)) == sorted(["Leo Brandt", sprint.title])
    dialog.table.selectAll()
    answer_next_box(qtbot, "Purge")
    click(qtbot, dialog.purge_button)
    with pytest.raises(NotFound):
        ops.get_item(leo)
    with pytest.raises(NotFound):
        ops.get_item(sprint.id)
    assert dialog.table.rowCount() == 0


def test_links_text_names_the_first_two_and_counts_all():
    links = [{"other_title": t} for t in ("Run 5 km three times a week", "Sleep well", "Eat")]
    assert links_text(links) == "3 links: Run 5 km three times a…, Sleep well, …"
    assert links_text([]) == "No links"
