"""File menu actions for backups: Back up now, Restore from backup…, and the automatic backup.

The window calls `back_up_now(self)` and `restore_from_backup(self)` from the File menu, and
`auto_back_up(self)` when it closes and every AUTO_BACKUP_INTERVAL_MS while it runs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop.actions import runner
from desktop.dialogs.backups import RestoreDialog, counts_line, human_size
from desktop.plain import Button, ask, inform, warn
from store import backup, restore
from store.errors import TrellisError
from store.locking import STORAGE_ERRORS, explain_storage_error

BACKUP_TITLE = "Back up now"
RESTORE_TITLE = "Restore from backup"
AUTO_BACKUP_INTERVAL_MS = 30 * 60 * 1000


def back_up_now(parent: QWidget | None) -> Path | None:
    """Back up the open database now and tell the user where the copy went."""
    done = runner.run(
        parent,
        lambda report: backup.make_backup("manual", report),
        "Backing up…",
        title=BACKUP_TITLE,
        thread=True,  # a copy of the file, page by page: the window stays painted
        errors=(TrellisError, *STORAGE_ERRORS),
        explain=failure_text,
    )
    if not done.ok:
        return None
    inform(parent, BACKUP_TITLE, backed_up_text(done.value))
    return done.value


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
    done = runner.run(
        parent,
        # In the GUI thread: the store's connection is closed and reopened by the restore.
        lambda _report: restore.restore_file(dialog.chosen, live),
        f"Restoring {dialog.chosen.name}…",
        title=RESTORE_TITLE,
        errors=(TrellisError, *STORAGE_ERRORS),
        explain=failure_text,
    )
    if done.ok:
        inform(parent, RESTORE_TITLE, restored_text(done.value))
    return done.ok


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
