"""File → Back up now and File → Restore from backup…, answered with real clicks and keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from desktop.actions import backup as backup_actions
from desktop.actions import runner
from desktop.dialogs.backups import RestoreDialog
from store import backup, ops, sqlite
from store.exchange import export_document
from store.load import list_clients
from store.models import database
from store.opening import close_database, open_database
from tests.desktop.helpers import Dialogs, pick, press
from tests.store.backup_support import corrupt_pages, pragma

LEFT = Qt.MouseButton.LeftButton


def click_row_then(row: int, button: str):
    """In the restore dialog, click a row of the list, then a button."""

    def answer(dialog: RestoreDialog) -> None:
        table = dialog.table
        rect = table.visualItemRect(table.item(row, 0))
        QTest.mouseClick(table.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, rect.center())
        press(RestoreDialog, button)[1](dialog)

    return RestoreDialog, answer


def run(qtbot, action, *steps):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialogs = Dialogs(*steps)
    result = action(parent)
    dialogs.done()
    return result, dialogs.seen


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "trellis.db"
    open_database(path)
    client = ops.create_client("Ana Silva")
    ops.create_goal(client["id"], "Run a marathon")
    yield path
    close_database()


def names() -> list[str]:
    return [c["name"] for c in list_clients()]


# ---------------------------------------------------------------- Back up now


def test_back_up_now_writes_a_verified_backup_and_says_where(qtbot, db):
    made, seen = run(qtbot, backup_actions.back_up_now, press(QMessageBox, "OK"))
    assert made is not None and made.parent == db.parent / "backups"
    assert pragma(made, "quick_check") == [("ok",)]
    assert seen == [backup_actions.backed_up_text(made)]
    assert str(made) in seen[0] and "1 client, 1 goal" in seen[0]


class ProgressWatcher(QObject):
    """Records each progress dialog's bar as it is hidden: how far it got, out of how much."""

    def __init__(self):
        super().__init__()
        self.bars: list[tuple[int, int]] = []
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if isinstance(watched, QProgressDialog) and event.type() == QEvent.Type.Hide:
            self.bars.append((watched.value(), watched.maximum()))
        return False

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)


def test_back_up_now_shows_progress_while_a_large_file_is_copied(qtbot, db, monkeypatch):
    for n in range(40):
        ops.create_client(f"Client {n}", notes="notes " * 400)
    monkeypatch.setattr(sqlite, "STEP_PAGES", 2)
    monkeypatch.setattr(runner, "PROGRESS_AFTER_MS", 0)
    watcher = ProgressWatcher()
    try:
        made, _seen = run(qtbot, backup_actions.back_up_now, press(QMessageBox, "OK"))
    finally:
        watcher.stop()
    pages = made.stat().st_size // pragma(made, "page_size")[0][0]
    assert watcher.bars and watcher.bars[-1] == (pages, pages) and pages > 10


def test_a_failed_backup_is_explained_and_earlier_backups_stay(qtbot, db):
    good = backup.make_backup("manual")
    close_database()
    corrupt_pages(db)
    open_database(db)
    made, seen = run(qtbot, backup_actions.back_up_now, press(QMessageBox, "OK"))
    assert made is None
    assert "did not verify" in seen[0] and "unchanged" in seen[0]
    assert [p for p, _w, _r in backup.backup_files(db)] == [good]


def test_auto_back_up_returns_a_status_line_only_when_something_changed(db):
    line = backup_actions.auto_back_up()
    assert line is not None and line.startswith("Backed up automatically to trellis.db.")
    assert backup_actions.auto_back_up() is None
    close_database()
    corrupt_pages(db)
    open_database(db)
    assert backup_actions.auto_back_up().startswith("Automatic backup failed:")


# ---------------------------------------------------------------- Restore from backup…


def test_the_restore_dialog_lists_each_backup_with_date_reason_size_and_counts(qtbot, db):
    backup.make_backup("manual")
    ops.delete_item(list_clients()[0]["id"])
    backup.safety_backup("purge")
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    rows = [
        [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
        for r in range(dialog.table.rowCount())
    ]
    assert [r[1] for r in rows] == ["Before a purge", "Backed up by hand"]
    assert [r[3:] for r in rows] == [
        ["0", "1", "0", "0", "0", "0"],
        ["1", "1", "0", "0", "0", "0"],
    ]
    assert all(r[2].endswith("KB") for r in rows)
    taken = backup.list_backups(db)[0].taken_at
    assert rows[0][0] == f"{taken.day} {taken:%b %Y %H:%M}"  # the app's one format (issue 13)


def back_up_then_change() -> dict:
    """A manual backup, then a change after it; returns the export as it was at the backup."""
    backup.make_backup("manual")
    at_backup = export_document()
    ops.create_client("Ben Ode")
    return at_backup


def test_restore_from_the_list_replaces_the_database_after_confirmation(qtbot, db):
    at_backup = back_up_then_change()
    replaced, seen = run(
        qtbot,
        backup_actions.restore_from_backup,
        click_row_then(0, "Restore"),
        press(QMessageBox, "Yes"),
        press(QMessageBox, "OK"),
    )
    assert replaced is True
    assert export_document() == at_backup
    assert "It holds 1 client, 1 goal" in seen[1]
    assert "undo" in seen[2] and "before-restore" in seen[2]


def key(kind, key):
    """Press `key` where the dialog's keyboard focus is, as a person at the keyboard would."""

    def answer(widget) -> None:
        QTest.keyClick(QApplication.focusWidget() or widget, key)

    return kind, answer


def test_enter_in_the_list_restores_the_chosen_backup(qtbot, db):
    at_backup = back_up_then_change()
    replaced, seen = run(
        qtbot,
        backup_actions.restore_from_backup,
        key(RestoreDialog, Qt.Key.Key_Return),
        press(QMessageBox, "Yes"),
        press(QMessageBox, "OK"),
    )
    assert replaced is True and seen[0] == "RestoreDialog"
    assert export_document() == at_backup


def test_escape_closes_the_restore_dialog_and_changes_nothing(qtbot, db):
    backup.make_backup("manual")
    ops.create_client("Ben Ode")
    exported = export_document()
    replaced, _seen = run(
        qtbot, backup_actions.restore_from_backup, key(RestoreDialog, Qt.Key.Key_Escape)
    )
    assert replaced is False and export_document() == exported


def test_restoring_the_before_restore_backup_undoes_a_restore(qtbot, db):
    backup.make_backup("manual")
    ops.create_client("Ben Ode")
    changed = export_document()
    steps = (click_row_then(0, "Restore"), press(QMessageBox, "Yes"), press(QMessageBox, "OK"))
    run(qtbot, backup_actions.restore_from_backup, *steps)
    assert names() == ["Ana Silva"]
    # Newest first: the top row is now the backup taken just before that restore.
    run(qtbot, backup_actions.restore_from_backup, *steps)
    assert export_document() == changed


def test_choose_file_restores_any_trellis_file(qtbot, db, tmp_path):
    elsewhere = tmp_path / "usb" / "copy.db"
    backup.backup_to(elsewhere)
    ops.create_client("Ben Ode")
    replaced, _seen = run(
        qtbot,
        backup_actions.restore_from_backup,
        press(RestoreDialog, "Choose file…"),
        pick(elsewhere),
        press(QMessageBox, "Yes"),
        press(QMessageBox, "OK"),
    )
    assert replaced is True and names() == ["Ana Silva"]


def test_a_refused_file_is_explained_and_the_dialog_stays_open(qtbot, db, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("Not a database.\n" * 50)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before, exported = db.read_bytes(), export_document()
    replaced, seen = run(
        qtbot,
        backup_actions.restore_from_backup,
        press(RestoreDialog, "Choose file…"),
        pick(notes),
        press(QMessageBox, "OK"),
        press(RestoreDialog, "Cancel"),
    )
    assert replaced is False
    assert seen[2] == (
        "notes.db cannot be restored.\n\nnotes.db is not a Trellis database (it is not a SQLite "
        "file).\n\nThe open database is unchanged."
    )
    assert export_document() == exported and db.read_bytes() == before


def test_no_at_the_confirmation_changes_nothing(qtbot, db):
    backup.make_backup("manual")
    ops.create_client("Ben Ode")
    exported, backups_before = export_document(), backup.backup_files(db)
    replaced, _seen = run(
        qtbot,
        backup_actions.restore_from_backup,
        click_row_then(0, "Restore"),
        press(QMessageBox, "No"),
    )
    assert replaced is False
    assert export_document() == exported and backup.backup_files(db) == backups_before


def test_restore_is_refused_while_another_program_has_the_file_open(qtbot, db, tmp_path):
    import sqlite3

    backup.make_backup("manual")
    other = sqlite3.connect(db)
    other.execute("SELECT count(*) FROM clients").fetchone()
    try:
        replaced, seen = run(
            qtbot,
            backup_actions.restore_from_backup,
            click_row_then(0, "Restore"),
            press(QMessageBox, "Yes"),
            press(QMessageBox, "OK"),
        )
    finally:
        other.close()
    assert replaced is False and "has trellis.db open" in seen[-1]
    ops.create_client("Still writable")


# ---------------------------------------------------------------- in the main window


def test_file_menu_backs_up_and_restores_in_the_main_window(qtbot, window):
    dialogs = Dialogs(press(QMessageBox, "OK"))
    window.actions["backup"].trigger()
    dialogs.done()
    (made,) = [p for p, _w, reason in backup.backup_files(window.ws.db_path) if reason == "manual"]
    sample = export_document()
    ops.create_client("Added after the backup")
    window.ws.reload()
    assert "Added after the backup" in [c["name"] for c in window.ws.clients]
    dialogs = Dialogs(
        click_row_then(0, "Restore"), press(QMessageBox, "Yes"), press(QMessageBox, "OK")
    )
    window.actions["restore_backup"].trigger()
    dialogs.done()
    assert export_document() == sample
    assert "Added after the backup" not in [c["name"] for c in window.ws.clients]
    assert made.exists()


def test_choosing_the_open_database_itself_is_refused_in_the_dialog(qtbot, db):
    replaced, seen = run(
        qtbot,
        backup_actions.restore_from_backup,
        press(RestoreDialog, "Choose file…"),
        pick(db),
        press(QMessageBox, "OK"),
        press(RestoreDialog, "Cancel"),
    )
    assert replaced is False and "live database itself" in seen[2]
