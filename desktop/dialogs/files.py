"""Choosing a file to open or save, the same way everywhere: the one file chooser.

Every action that asks for a path (open a database, import JSON or a legacy file, pick a
backup, export JSON or an image) calls `choose_existing_file` or `choose_save_file`; nothing
else in desktop/ makes a QFileDialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop import settings
from desktop.plain import Button, ask


def choose_existing_file(parent: QWidget | None, caption: str, filters: str) -> Path | None:
    """A file that exists, picked in the folder last used; None when the person cancels."""
    dialog = file_dialog(parent, caption, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return chosen(dialog)


def choose_save_file(
    parent: QWidget | None, caption: str, name: str, filters: str, suffixes: tuple[str, ...] = ()
) -> Path | None:
    """Where to write a new file, `name` offered in the folder last used; None on cancel.

    Qt's dialog asks before it lets the person pick a file that is already there. Given
    `suffixes` (".png", ".svg"), a name typed without one of them gets the first added; when
    that names a file already there, which the dialog could not ask about, this asks.
    """
    dialog = file_dialog(parent, caption, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectFile(name)
    path = chosen(dialog)
    if path is None or not suffixes or path.suffix.lower() in suffixes:
        return path
    named = path.with_name(path.name + suffixes[0])
    if named.exists() and not replace_asked(parent, caption, named):
        return None
    return named


def replace_asked(parent: QWidget | None, caption: str, path: Path) -> bool:
    """Whether the person agrees to write over `path`, asked as Qt's own dialog asks."""
    question = f"{path.name} already exists in {path.parent}. Do you want to replace it?"
    return ask(parent, caption, question, default=Button.No) == Button.Yes


def file_dialog(parent: QWidget | None, caption: str, filters: str) -> QFileDialog:
    """Qt's own dialog (the same on every desktop, and drivable in tests) in the last folder."""
    dialog = QFileDialog(parent, caption)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setNameFilter(filters)
    dialog.setDirectory(settings.get(settings.LAST_FOLDER) or str(Path.home()))
    return dialog


def chosen(dialog: QFileDialog) -> Path | None:
    """The picked path (remembering its folder for next time), or None when cancelled."""
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    settings.put(settings.LAST_FOLDER, str(path.parent))
    return path
