"""Choosing a file to open, the same way in every dialog that needs one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop import settings


def choose_existing_file(parent: QWidget, caption: str, filters: str) -> Path | None:
    """Qt's own file dialog (the same everywhere, and drivable in tests), starting in the
    folder last used; None when the person cancels."""
    dialog = QFileDialog(parent, caption)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(filters)
    folder = settings.get(settings.LAST_FOLDER)
    if folder:
        dialog.setDirectory(folder)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    settings.put(settings.LAST_FOLDER, str(path.parent))
    return path
