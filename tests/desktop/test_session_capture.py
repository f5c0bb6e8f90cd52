"""Capture during a session: New session… in the sessions view, a dialog with the session and
quick entry of its commitments (each with outcomes from a searchable picker), saved as one
undo command; refused input is shown at its field and nothing is saved."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.dialogs.capture import NO_OUTCOME, NO_TITLE, CaptureDialog
from store.exchange import export_document
from tests.desktop.helpers import LEFT, item_id, on_next_modal, show_client

ROADMAP = "Present the Q3 roadmap to directors"
ONE_TO_ONES = "Weekly 1:1s with all five reports"


def open_view(window):
    show_client(window, "Maya Okafor")
    view = window.views["sessions"]
    window.tabs.setCurrentWidget(view)
    return view


def tick(entry, search: str, title: str) -> None:
    """Find an outcome by typing part of its title, then tick it with the keyboard."""
    picker = entry.outcomes
    picker.search.clear()
    QTest.keyClicks(picker.search, search)
    shown = [i for i in picker.items() if not i.isHidden()]
    item = next(i for i in shown if i.text() == title)
    picker.list.setFocus()
    picker.list.setCurrentItem(item)
    QTest.keyClick(picker.list, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked


def fill(dialog: CaptureDialog, title: str, notes: str) -> None:
    QTest.keyClicks(dialog.form.inputs["title"].focus, title)
    QTest.keyClicks(dialog.form.inputs["notes"].focus, notes)


def run_dialog(view, act) -> list:
    seen: list = []
    on_next_modal(act, seen, CaptureDialog)
    QTest.mouseClick(view.new_button, LEFT)
    return seen


def save(dialog) -> None:
    QTest.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), LEFT)


def live_rows(window) -> dict:
    """The live part of the export: what a person sees, whatever the trash holds."""
    doc = export_document()
    keys = ("sessions", "commitments")
    return {k: sorted(r["id"] for r in doc[k] if r["deleted_at"] is None) for k in keys} | {
        "links": sorted(r["id"] for r in doc["links"]["commitment_outcome"]),
    }


def capture_two(dialog: CaptureDialog) -> None:
    fill(dialog, "Mid-sprint call", "Roadmap worries; delegation going well.")
    first = dialog.entries[0]
    QTest.keyClicks(first.title, "Send the roadmap outline to Ana")
    tick(first, "roadmap", ROADMAP)
    QTest.mouseClick(dialog.add_button, LEFT)
    second = dialog.entries[1]
    QTest.keyClicks(second.title, "Ask each report for one agenda item")
    tick(second, "1:1", ONE_TO_ONES)
    tick(second, "q3", ROADMAP)
    QTest.mouseClick(dialog.add_button, LEFT)  # a spare blank entry is skipped on save
    save(dialog)


def test_new_session_with_its_commitments_is_one_undo_step(window):
    view = open_view(window)
    before = live_rows(window)
    seen = run_dialog(view, capture_two)
    assert not seen[0].isVisible()
    assert window.undo_stack.count() == 1
    session = next(s for s in window.ws.sessions() if s["title"] == "Mid-sprint call")
    assert session["notes"] == "Roadmap worries; delegation going well."
    outline = item_id(window, "Send the roadmap outline to Ana")
    agenda = item_id(window, "Ask each report for one agenda item")
    for made in (outline, agenda):
        assert window.ws.item(made).fields["session_id"] == session["id"]
    parents = lambda c: sorted(window.ws.item(p).title for p in window.ws.graph.predecessors(c))  # noqa: E731
    assert parents(outline) == [ROADMAP]
    assert parents(agenda) == [ROADMAP, ONE_TO_ONES]
    # The view shows the new session, chosen, with what was made in it.
    assert view.chosen_id() == session["id"]
    assert [view.made.item(n).text() for n in range(view.made.count())] == [
        "Ask each report for one agenda item",
        "Send the roadmap outline to Ana",
    ]
    after = live_rows(window)
    window.undo_stack.undo()
    assert live_rows(window) == before
    assert all(s["title"] != "Mid-sprint call" for s in window.ws.sessions())
    assert not window.ws.is_live(outline) and not window.ws.is_live(agenda)
    window.undo_stack.redo()
    assert live_rows(window) == after
    assert parents(agenda) == [ROADMAP, ONE_TO_ONES]


def test_refused_entries_are_shown_at_their_fields_and_nothing_is_saved(window, sample_db):
    view = open_view(window)
    before = hashlib.sha256(sample_db.read_bytes()).hexdigest(), export_document()
    said: dict = {}

    def refuse(dialog: CaptureDialog) -> None:
        fill(dialog, "Quick call", "")
        no_outcome = dialog.entries[0]
        QTest.keyClicks(no_outcome.title, "Draft the offsite plan")
        QTest.mouseClick(dialog.add_button, LEFT)
        no_title = dialog.entries[1]
        tick(no_title, "roadmap", ROADMAP)
        save(dialog)
        said["open"] = dialog.isVisible()
        said["errors"] = [e.error.full_text() for e in dialog.entries if e.error.isVisibleTo(e)]
        said["focus"] = dialog.focusWidget() is no_outcome.outcomes.search
        dialog.reject()

    run_dialog(view, refuse)
    assert said == {"open": True, "errors": [NO_OUTCOME, NO_TITLE], "focus": True}
    assert window.undo_stack.count() == 0
    assert (hashlib.sha256(sample_db.read_bytes()).hexdigest(), export_document()) == before


def test_a_refusal_from_the_store_is_shown_in_the_dialog_with_nothing_saved(window, sample_db):
    view = open_view(window)
    said: dict = {}

    def state() -> tuple:
        return hashlib.sha256(sample_db.read_bytes()).hexdigest(), export_document()

    def refuse(dialog: CaptureDialog) -> None:
        entry = dialog.entries[0]
        QTest.keyClicks(entry.title, "Read the board pack")
        tick(entry, "roadmap", ROADMAP)
        # The ticked outcome goes to the trash while the dialog is open (another window).
        window.ws.delete(item_id(window, ROADMAP))
        said["before"] = state()
        save(dialog)
        said["after"] = state()
        said["open"] = dialog.isVisible()
        said["banner"] = dialog.form.error_text(None)
        dialog.reject()

    run_dialog(view, refuse)
    assert said["open"] is True
    assert "trash" in said["banner"]  # the store's one sentence, at the top of the form
    assert said["after"] == said["before"]
    assert window.undo_stack.count() == 0


def test_the_outcome_search_narrows_the_choices_and_keeps_ticks(window):
    view = open_view(window)
    said: dict = {}

    def narrow(dialog: CaptureDialog) -> None:
        entry = dialog.entries[0]
        tick(entry, "roadmap", ROADMAP)
        entry.outcomes.search.clear()
        QTest.keyClicks(entry.outcomes.search, "RUN")
        said["shown"] = [i.text() for i in entry.outcomes.items() if not i.isHidden()]
        said["chosen"] = entry.outcomes.chosen()
        dialog.reject()

    run_dialog(view, narrow)
    assert said["shown"] == [
        t for t in sorted(outcome_titles(window), key=str.casefold) if "run" in t.casefold()
    ]
    assert said["chosen"] == [item_id(window, ROADMAP)]
    assert window.undo_stack.count() == 0


def outcome_titles(window) -> list[str]:
    return [i.title for i in window.ws.live_items() if i.kind == "outcome"]
