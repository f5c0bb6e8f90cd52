"""File menu actions for backups: Back up now, Restore from backup…, and the automatic backup.

The window calls `back_up_now(self)` and `restore_from_backup(self)` from the File menu, and
`auto_back_up(self)` when it closes and every AUTO_BACKUP_INTERVAL_MS while it runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.dialogs.backups import RestoreDialog, counts_line, human_size
from desktop.plain import Button, ask, inform, warn
from store import backup, restore
from store.errors import TrellisError
from store.locking import STORAGE_ERRORS, explain_storage_error

BACKUP_TITLE = "Back up now"
RESTORE_TITLE = "Restore from backup"
AUTO_BACKUP_INTERVAL_MS = 30 * 60 * 1000
# A backup that finishes sooner than this never flashes a progress dialog.
PROGRESS_AFTER_MS = 400


class Relay(QObject):
    """Carries a worker thread's progress and result to the GUI thread (queued signals)."""

    progressed = Signal(int, int)
    finished = Signal(object, object)


def run_in_background(parent: QWidget | None, label: str, work: Callable[..., Any]) -> Any:
    """Run `work(progress)` off the GUI thread behind a modal progress dialog; return its result.

    The window stays painted and the bar moves; exceptions from `work` are raised here.
    """
    dialog = QProgressDialog(label, None, 0, 0, parent)
    dialog.setObjectName("backupProgress")
    dialog.setWindowTitle(BACKUP_TITLE)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(PROGRESS_AFTER_MS)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    relay, loop, outcome = Relay(), QEventLoop(), {}

    def show_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)

    def finish(result: Any, error: BaseException | None) -> None:
        outcome.update(result=result, error=error)
        loop.quit()

    relay.progressed.connect(show_progress)
    relay.finished.connect(finish)
    worker = threading.Thread(target=work_then_report, args=(work, relay), daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    dialog.close()
    dialog.deleteLater()
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]


def work_then_report(work: Callable[..., Any], relay: Relay) -> None:
    try:
        result = work(relay.progressed.emit)
    except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, raised there
        relay.finished.emit(None, exc)
    else:
        relay.finished.emit(result, None)


def back_up_now(parent: QWidget | None) -> Path | None:
    """Back up the open database now and tell the user where the copy went."""
    try:
        made = run_in_background(
            parent, "Backing up…", lambda progress: backup.make_backup("manual", progress)
        )
    except (TrellisError, *STORAGE_ERRORS) as exc:
        warn(parent, BACKUP_TITLE, failure_text(exc))
        return None
    inform(parent, BACKUP_TITLE, backed_up_text(made))
    return made


def backed_up_text(made: Path) -> str:
    counts = backup.count_items(made)
    return (
        f"Backed up to:\n{made}\n\n{human_size(made.stat().st_size)}: {counts_line(counts)}.\n\n"
        "File → Restore from backup… lists every backup."
    )


def failure_text(exc: BaseException) -> str:
    if isinstance(exc, TrellisError):
        return f"{exc}\n\nYour database is unchanged."
    return explain_storage_error(exc, backup.live_path())


def auto_back_up(parent: QWidget | None = None) -> str | None:
    """The automatic backup (on close, and on a timer): never interrupts; returns a status line.

    None when nothing changed since the last backup; otherwise a sentence for the status bar.
    """
    try:
        made = backup.auto_backup_if_changed()
    except (TrellisError, *STORAGE_ERRORS) as exc:
        return f"Automatic backup failed: {exc}"
    return None if made is None else f"Backed up automatically to {made.name}."


def restore_from_backup(parent: QWidget | None) -> bool:
    """Let the user pick a backup and restore it; True when the live database was replaced."""
    live = backup.live_path()
    if live is None:
        warn(parent, RESTORE_TITLE, "No database file is open to restore into.")
        return False
    dialog = RestoreDialog(live, parent)
    if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen is None:
        return False
    if not confirm_restore(parent, dialog.chosen, live):
        return False
    try:
        report = restore_with_wait_cursor(dialog.chosen, live)
    except (TrellisError, *STORAGE_ERRORS) as exc:
        warn(parent, RESTORE_TITLE, failure_text(exc))
        return False
    inform(parent, RESTORE_TITLE, restored_text(report))
    return True


def confirm_restore(parent: QWidget | None, chosen: Path, live: Path) -> bool:
    counts = counts_line(backup.count_items(chosen))
    answer = ask(
        parent,
        RESTORE_TITLE,
        f"Replace the open database ({live.name}) with {chosen.name}?\n\nIt holds {counts}.\n\n"
        "The open database is backed up first: restoring that backup undoes this.",
        default=Button.No,
    )
    return answer == Button.Yes


def restore_with_wait_cursor(chosen: Path, live: Path) -> restore.RestoreReport:
    # In the GUI thread: the store's connection is closed and reopened by the restore.
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return restore.restore_file(chosen, live)
    finally:
        QGuiApplication.restoreOverrideCursor()


def restored_text(report: restore.RestoreReport) -> str:
    lines = [f"Restored {report.source.name}: {counts_line(report.counts)}."]
    if report.migrated_from is not None:
        lines.append(f"It was upgraded from schema {report.migrated_from}.")
    if report.safety_backup is not None:
        lines.append(
            f"The database it replaced was saved as {report.safety_backup.name}; restore it "
            "from this same menu to undo."
        )
    return "\n\n".join(lines)
