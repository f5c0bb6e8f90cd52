"""Import JSON… of another machine's export: a client name already here asks, in a real
QMessageBox, to import it as "Name (2)" or cancel; cancel writes nothing at all."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox

from store import exchange
from tests.desktop.helpers import on_next_modal, show_client
from tests.desktop.test_window import close_box
from tests.store.test_import_safety import folder_state, rekeyed

MAYA = "Maya Okafor"


def other_machines_export(window, tmp_path):
    """Maya's rows as another machine holds them: the same names under other ids."""
    root = show_client(window, MAYA)
    path = tmp_path / "elsewhere" / "maya.json"
    path.parent.mkdir()
    path.write_text(json.dumps(rekeyed(exchange.export_document(root))), encoding="utf-8")
    return path


def answer(button_text: str, seen: list):
    """Click the button whose text starts with `button_text`, noting the question and buttons."""

    def act(box: QMessageBox) -> None:
        seen.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text().startswith(button_text)).click()

    return act


def test_a_taken_client_name_offers_name_2_and_importing_adds_the_client(window, tmp_path):
    path = other_machines_export(window, tmp_path)
    seen: list = []
    done: list = []

    def rename_then_read_the_result(box: QMessageBox) -> None:
        answer("Import as", seen)(box)
        on_next_modal(close_box(done))  # the box that says what was imported

    on_next_modal(rename_then_read_the_result)
    report = window.import_json(path)
    text, buttons = seen[0]
    assert "already has a client of the same name" in text and f"“{MAYA}” → “{MAYA} (2)”" in text
    assert f"Import as “{MAYA} (2)”" in buttons
    assert "Cancel" in [b.replace("&", "") for b in buttons]
    assert report is not None and report.renamed == [(MAYA, f"{MAYA} (2)")]
    assert f"{MAYA} (2)" in [c["name"] for c in window.ws.clients]
    assert done and f"Client “{MAYA}” was imported as “{MAYA} (2)”." in done[0]


def test_cancelling_the_name_question_writes_nothing_and_takes_no_backup(window, tmp_path):
    path = other_machines_export(window, tmp_path)
    folder = window.ws.db_path.parent
    before = folder_state(folder), exchange.export_document()
    seen: list = []
    on_next_modal(answer("Cancel", seen))
    assert window.import_json(path) is None
    assert seen and "or cancel and import nothing" in seen[0][0]
    assert (folder_state(folder), exchange.export_document()) == before
    assert [c["name"] for c in window.ws.clients].count(MAYA) == 1
