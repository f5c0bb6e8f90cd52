"""File → Export JSON… never writes over the open database's side files (the real window)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from store.exchange import export_document
from tests.desktop.helpers import Dialogs, pick, press


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_through_the_menu(window, path: Path, *answers) -> list[str]:
    """Export JSON… for every client, the file chooser answered with `path`."""
    dialogs = Dialogs(press(QMessageBox, "Every client"), pick(path), *answers)
    window.actions["export_json"].trigger()
    dialogs.done()
    return dialogs.seen


def test_export_json_refuses_the_open_databases_wal_and_changes_nothing(qtbot, window, sample_db):
    wal = Path(f"{sample_db}-wal")
    assert wal.exists()  # the app has the database open
    before = sha256(sample_db), wal.read_bytes(), export_document()
    seen = export_through_the_menu(
        window,
        wal,
        press(QMessageBox, "Yes"),  # the file chooser asks before replacing an existing file
        press(QMessageBox, "OK"),
    )
    assert seen[-1] == (
        f"{wal} is a side file of the database {sample_db}, and an export would overwrite it; "
        "give a .json file name."
    )
    assert (sha256(sample_db), wal.read_bytes(), export_document()) == before


def test_export_json_refuses_the_journal_name_that_does_not_exist_yet(qtbot, window, sample_db):
    journal = Path(f"{sample_db}-journal")
    before = sha256(sample_db), export_document()
    seen = export_through_the_menu(window, journal, press(QMessageBox, "OK"))
    assert "an export would overwrite it" in seen[-1]
    assert not journal.exists()
    assert (sha256(sample_db), export_document()) == before
