"""Editors on a real sample database: every field loads, bad input is refused at its field with
nothing saved, and valid changes reach the store as only the fields the user changed."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit

from desktop.editors import EditDialog, editor_for
from desktop.editors.base import LINE_HEIGHT
from store import ops
from store.errors import ValidationError
from store.load import list_sessions, load_hierarchy
from store.opening import close_database, open_database
from store.sample import add_sample_workspace
from store.validate import FIELD_RULES

KINDS = ("client", "goal", "outcome", "sprint", "commitment", "session")


@pytest.fixture
def workspace(tmp_path):
    open_database(tmp_path / "t.db")
    roots = add_sample_workspace()
    yield roots[0]
    close_database()


def first_live(root: str, kind: str) -> dict:
    """The live item of `kind` with the alphabetically first title (stable across runs)."""
    if kind == "client":
        return ops.get_item(root)[1]
    if kind == "session":
        return list_sessions(root)[0]
    items = [i for i in load_hierarchy(root).items.values() if i.kind == kind and not i.deleted]
    return ops.get_item(min(items, key=lambda i: i.title).id)[1]


class Recorder:
    """An on_save that saves through the store, like the app's undo commands, and remembers."""

    def __init__(self, row: dict, kind: str):
        self.row, self.kind, self.calls = row, kind, []

    def __call__(self, values: dict) -> None:
        self.calls.append(values)
        if "id" in self.row:
            ops.update_item(self.row["id"], **values)
        else:
            ops.create_item(self.kind, self.row["root_id"], **values)


def open_dialog(qtbot, root: str, kind: str, row: dict) -> tuple[EditDialog, Recorder]:
    recorder = Recorder(row, kind)
    dialog = EditDialog(kind, row, list_sessions(root), recorder)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, recorder


def clear_and_type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def click_ok(qtbot, dialog: EditDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def step_years_back(qtbot, date_edit, years: int) -> None:
    """Move a date edit back by whole years with the keyboard, as a user would."""
    date_edit.setFocus()
    date_edit.setCurrentSection(QDateTimeEdit.Section.YearSection)
    for _ in range(years):
        qtbot.keyClick(date_edit, Qt.Key.Key_Down)


# ------------------------------------------------------------------ loading


@pytest.mark.parametrize("kind", KINDS)
def test_editor_has_a_field_for_every_stored_field_of_its_kind(kind):
    names = {field.name for field in editor_for(kind).fields}
    assert names == set(FIELD_RULES[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_editor_loads_every_field_of_its_kind(qtbot, workspace, kind):
    row = first_live(workspace, kind)
    editor = editor_for(kind)(sessions=list_sessions(workspace))
    qtbot.addWidget(editor)
    editor.load(row)
    shown = {name: adapter.get() for name, adapter in editor.inputs.items()}
    # A NULL text column shows as an empty box; everything else must match exactly.
    stored = {
        name: "" if row[name] is None and isinstance(shown[name], str) else row[name]
        for name in shown
    }
    assert shown == stored
    assert editor.values() == {}


def test_commitment_editor_shows_its_session_and_offers_no_session(qtbot, workspace):
    row = first_live(workspace, "commitment")
    sessions = list_sessions(workspace)
    editor = editor_for("commitment")(sessions=sessions)
    qtbot.addWidget(editor)
    editor.load(row)
    combo = editor.inputs["session_id"].widget
    assert combo.count() == len(sessions) + 1
    assert combo.itemText(0) == "No session"
    assert combo.currentData() == row["session_id"]


def test_choices_read_as_words_not_stored_values(qtbot, workspace):
    editor = editor_for("commitment")()
    qtbot.addWidget(editor)
    status = editor.inputs["status"].widget
    labels = [status.itemText(i) for i in range(status.count())]
    assert "In progress" in labels and "in_progress" not in labels


def test_goal_progress_is_editable_only_when_set_by_hand(qtbot, workspace):
    row = first_live(workspace, "goal")
    dialog, _ = open_dialog(qtbot, workspace, "goal", row)
    progress = dialog.editor.inputs["progress"]
    assert row["progress_mode"] == "derived"
    assert not progress.spin.isEnabled() and not progress.spin.isVisibleTo(dialog)
    assert "Set by hand" in dialog.editor.hints["progress"].text()
    mode = dialog.editor.inputs["progress_mode"].widget
    mode.setFocus()
    qtbot.keyClick(mode, Qt.Key.Key_Down)
    assert progress.spin.isEnabled() and progress.spin.isVisibleTo(dialog)
    assert not dialog.editor.hints["progress"].isVisibleTo(dialog)
    clear_and_type(qtbot, progress.spin, "40")
    assert dialog.editor.values() == {"progress_mode": "manual", "progress": 40}


# ------------------------------------------------------------------ refusals


def test_empty_goal_title_is_refused_at_the_title_and_nothing_saved(qtbot, workspace):
    row = first_live(workspace, "goal")
    dialog, recorder = open_dialog(qtbot, workspace, "goal", row)
    title = dialog.editor.inputs["title"].widget
    clear_and_type(qtbot, title, "   ")
    click_ok(qtbot, dialog)
    assert dialog.editor.error_text("title") == "Title cannot be empty."
    assert dialog.focusWidget() is title
    assert dialog.isVisible() and dialog.result() == 0
    assert recorder.calls == []
    assert ops.get_item(row["id"])[1] == row


def test_duplicate_goal_title_is_refused_by_the_store_at_the_title(qtbot, workspace):
    row = first_live(workspace, "goal")
    others = [i for i in load_hierarchy(workspace).items.values() if i.kind == "goal"]
    taken = next(i.title for i in others if i.id != row["id"] and not i.deleted)
    dialog, recorder = open_dialog(qtbot, workspace, "goal", row)
    clear_and_type(qtbot, dialog.editor.inputs["title"].widget, taken)
    click_ok(qtbot, dialog)
    assert recorder.calls == [{"title": taken}]  # the store was asked, and refused
    assert dialog.editor.error_text("title") == (
        f"This client already has a goal titled {taken!r}; choose another title."
    )
    assert dialog.focusWidget() is dialog.editor.inputs["title"].widget
    assert dialog.isVisible()
    assert ops.get_item(row["id"])[1] == row


def test_sprint_ending_before_it_starts_is_refused_at_the_end_date(qtbot, workspace):
    row = first_live(workspace, "sprint")
    dialog, recorder = open_dialog(qtbot, workspace, "sprint", row)
    end = dialog.editor.inputs["end_date"].edit
    step_years_back(qtbot, end, 2)
    click_ok(qtbot, dialog)
    message = dialog.editor.error_text("end_date")
    assert message.startswith("End date ") and "is before the start date" in message
    assert dialog.focusWidget() is end
    assert recorder.calls == []
    assert ops.get_item(row["id"])[1] == row


def test_a_date_error_names_the_dates_as_the_date_fields_show_them(qtbot, workspace):
    row = first_live(workspace, "sprint")
    dialog, _recorder = open_dialog(qtbot, workspace, "sprint", row)
    start, end = (dialog.editor.inputs[name].edit for name in ("start_date", "end_date"))
    step_years_back(qtbot, end, 2)
    click_ok(qtbot, dialog)
    assert dialog.editor.error_text("end_date") == (
        f"End date {end.text()} is before the start date {start.text()}."
    )


def test_commitment_target_before_start_is_refused_at_the_target_date(qtbot, workspace):
    row = first_live(workspace, "commitment")
    dialog, recorder = open_dialog(qtbot, workspace, "commitment", row)
    start = dialog.editor.inputs["start_date"]
    qtbot.mouseClick(start.none, Qt.MouseButton.LeftButton)  # give it a date: today
    assert start.get() == date.today().isoformat()
    step_years_back(qtbot, dialog.editor.inputs["target_date"].edit, 3)
    click_ok(qtbot, dialog)
    assert "is before the start date" in dialog.editor.error_text("target_date")
    assert recorder.calls == []
    assert ops.get_item(row["id"])[1] == row


def test_new_outcome_without_a_title_is_refused_and_not_created(qtbot, workspace):
    before = len(load_hierarchy(workspace).items)
    dialog, recorder = open_dialog(qtbot, workspace, "outcome", {"root_id": workspace})
    assert dialog.windowTitle() == "New outcome"
    click_ok(qtbot, dialog)
    assert dialog.editor.error_text("title") == "Title cannot be empty."
    assert recorder.calls == []
    assert len(load_hierarchy(workspace).items) == before


def test_duplicate_client_name_is_refused_at_the_name(qtbot, workspace):
    row = first_live(workspace, "client")
    dialog, _ = open_dialog(qtbot, workspace, "client", row)
    clear_and_type(qtbot, dialog.editor.inputs["name"].widget, "Leo Brandt")
    click_ok(qtbot, dialog)
    assert dialog.editor.error_text("name") == "A client named 'Leo Brandt' already exists."
    assert ops.get_item(row["id"])[1]["name"] == row["name"]


def test_refusal_without_a_field_is_shown_at_the_top(qtbot, workspace):
    def refuse(values):
        raise ValidationError("The database refused this change.")

    row = first_live(workspace, "goal")
    dialog = EditDialog("goal", row, [], refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.editor.inputs["title"].widget, "!")
    click_ok(qtbot, dialog)
    assert dialog.editor.error_text(None) == "The database refused this change."
    assert dialog.isVisible()


def test_fixing_the_field_clears_its_error(qtbot, workspace):
    row = first_live(workspace, "goal")
    dialog, _ = open_dialog(qtbot, workspace, "goal", row)
    title = dialog.editor.inputs["title"].widget
    clear_and_type(qtbot, title, "")
    click_ok(qtbot, dialog)
    assert dialog.editor.error_text("title")
    qtbot.keyClicks(title, "A")
    assert dialog.editor.error_text("title") == ""


# ------------------------------------------------------------------ saving


def test_goal_edit_saves_only_the_changed_fields(qtbot, workspace):
    row = first_live(workspace, "goal")
    dialog, recorder = open_dialog(qtbot, workspace, "goal", row)
    clear_and_type(qtbot, dialog.editor.inputs["title"].widget, "Lead with calm confidence")
    status = dialog.editor.inputs["status"].widget
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down)  # Active -> Completed
    click_ok(qtbot, dialog)
    assert recorder.calls == [{"title": "Lead with calm confidence", "status": "completed"}]
    saved = ops.get_item(row["id"])[1]
    assert (saved["title"], saved["status"]) == ("Lead with calm confidence", "completed")
    assert saved["description"] == row["description"]
    assert dialog.result() == EditDialog.DialogCode.Accepted


def test_ticking_no_date_and_back_keeps_the_date(qtbot, workspace):
    row = first_live(workspace, "commitment")
    dialog, _ = open_dialog(qtbot, workspace, "commitment", row)
    target = dialog.editor.inputs["target_date"]
    qtbot.mouseClick(target.none, Qt.MouseButton.LeftButton)
    assert target.get() is None and not target.edit.isEnabled()
    qtbot.mouseClick(target.none, Qt.MouseButton.LeftButton)
    assert target.get() == row["target_date"]
    assert dialog.editor.values() == {}


def test_clearing_an_optional_date_saves_no_date(qtbot, workspace):
    row = first_live(workspace, "commitment")
    assert row["target_date"] is not None
    dialog, recorder = open_dialog(qtbot, workspace, "commitment", row)
    qtbot.mouseClick(dialog.editor.inputs["target_date"].none, Qt.MouseButton.LeftButton)
    click_ok(qtbot, dialog)
    assert recorder.calls == [{"target_date": None}]
    assert ops.get_item(row["id"])[1]["target_date"] is None


def test_choosing_no_session_detaches_the_commitment(qtbot, workspace):
    row = first_live(workspace, "commitment")
    dialog, recorder = open_dialog(qtbot, workspace, "commitment", row)
    combo = dialog.editor.inputs["session_id"].widget
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    click_ok(qtbot, dialog)
    assert recorder.calls == [{"session_id": None}]
    assert ops.get_item(row["id"])[1]["session_id"] is None


def test_sprint_dates_moved_together_are_saved(qtbot, workspace):
    row = first_live(workspace, "sprint")
    dialog, recorder = open_dialog(qtbot, workspace, "sprint", row)
    step_years_back(qtbot, dialog.editor.inputs["start_date"].edit, 1)
    click_ok(qtbot, dialog)
    start = recorder.calls[0]["start_date"]
    assert recorder.calls == [{"start_date": start}]
    assert int(start[:4]) == int(row["start_date"][:4]) - 1
    assert ops.get_item(row["id"])[1]["start_date"] == start


def test_new_sprint_gets_the_next_free_number_when_left_alone(qtbot, workspace):
    dialog, recorder = open_dialog(qtbot, workspace, "sprint", {"root_id": workspace})
    qtbot.keyClicks(dialog.editor.inputs["title"].widget, "Consolidation")
    click_ok(qtbot, dialog)
    assert "sprint_number" not in recorder.calls[0]
    sprints = [i for i in load_hierarchy(workspace).items.values() if i.kind == "sprint"]
    created = next(i for i in sprints if i.fields["title"] == "Consolidation")
    assert created.fields["sprint_number"] == 4  # the sample has sprints 1–3
    assert created.fields["end_date"] > created.fields["start_date"]


def test_new_outcome_is_created_with_every_field_from_the_form(qtbot, workspace):
    dialog, recorder = open_dialog(qtbot, workspace, "outcome", {"root_id": workspace})
    qtbot.keyClicks(dialog.editor.inputs["title"].widget, "Walk to work twice a week")
    qtbot.keyClicks(dialog.editor.inputs["description"].widget, "Starting in spring.")
    click_ok(qtbot, dialog)
    sent = recorder.calls[0]
    assert set(sent) == set(FIELD_RULES["outcome"])
    outcomes = [i for i in load_hierarchy(workspace).items.values() if i.kind == "outcome"]
    created = next(i for i in outcomes if i.fields["title"] == "Walk to work twice a week")
    assert created.fields["description"] == "Starting in spring."
    assert created.fields["target_date"] is None


def test_save_with_nothing_changed_closes_without_saving(qtbot, workspace):
    row = first_live(workspace, "session")
    dialog, recorder = open_dialog(qtbot, workspace, "session", row)
    assert dialog.windowTitle() == "Edit session"
    click_ok(qtbot, dialog)
    assert recorder.calls == []
    assert dialog.result() == EditDialog.DialogCode.Accepted


def test_cancel_saves_nothing(qtbot, workspace):
    row = first_live(workspace, "goal")
    dialog, recorder = open_dialog(qtbot, workspace, "goal", row)
    qtbot.keyClicks(dialog.editor.inputs["title"].widget, " now")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert recorder.calls == []
    assert dialog.result() == EditDialog.DialogCode.Rejected
    assert ops.get_item(row["id"])[1] == row


# ------------------------------------------------------------------ layout


@pytest.mark.parametrize("kind", KINDS)
def test_each_label_sits_level_with_the_first_line_of_its_field(qtbot, workspace, kind):
    dialog, _recorder = open_dialog(qtbot, workspace, kind, first_live(workspace, kind))
    form = dialog.editor.form
    for row in range(form.rowCount()):
        if form.itemAtPosition(row, 0) is None:
            continue  # an empty grid counts one row before the first is added
        label, cell = form.itemAtPosition(row, 0).widget(), form.itemAtPosition(row, 1).widget()
        field = label.buddy()
        if not field.isVisibleTo(dialog):
            continue  # progress worked out from the links: only a note is shown
        top = field.mapTo(dialog, field.rect().topLeft()).y()
        label_top = label.mapTo(dialog, label.rect().topLeft()).y()
        # Its text is centred in its height: that centre must fall on the field's first line.
        first_line = max(LINE_HEIGHT, min(field.height(), LINE_HEIGHT + 8))
        assert abs(label_top - top) <= 4 and label.height() <= first_line, (
            f"{label.text()} floats beside the middle of {field.objectName()}"
        )
        assert cell.isVisible()


def test_a_new_sprint_is_typed_and_created_from_the_keyboard_alone(qtbot, workspace):
    dialog, recorder = open_dialog(qtbot, workspace, "sprint", {"root_id": workspace})
    title = dialog.editor.inputs["title"].focus
    assert dialog.focusWidget() is title  # not the sprint number above it
    qtbot.keyClicks(dialog.focusWidget(), "Deep work weeks")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert recorder.calls and recorder.calls[0]["title"] == "Deep work weeks"
    assert "sprint_number" not in recorder.calls[0]  # left to the store
    assert dialog.result() == EditDialog.DialogCode.Accepted


@pytest.mark.parametrize("kind", KINDS)
def test_escape_closes_an_editor_without_saving(qtbot, workspace, kind):
    dialog, recorder = open_dialog(qtbot, workspace, kind, first_live(workspace, kind))
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and recorder.calls == []
