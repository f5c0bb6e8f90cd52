"""File-menu actions on the whole database: open another, export and import JSON, export
the graph as an image, restore a backup, import a legacy file.

Each takes the window (the shell: its workspace, inspector, editor and status bar), asks for
a path through the one file chooser, runs the work through the one runner and reloads the
views when the database is another one afterwards.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desktop.actions import backup as backup_actions
from desktop.actions import importing as import_actions
from desktop.actions import legacy as legacy_actions
from desktop.actions import runner
from desktop.canvas import export
from desktop.dialogs.files import choose_existing_file, choose_save_file
from desktop.plain import inform, warn
from desktop.readable import action_text
from store import exchange
from store.errors import FileRefused, TrellisError

DATABASES = "Trellis databases (*.db);;All files (*)"
IMAGES = "PNG image (*.png);;SVG drawing (*.svg)"


def open_database_dialog(window) -> None:
    if not window.inspector.settle("Open another database"):
        return
    path = choose_existing_file(window, "Open a Trellis database", DATABASES)
    if path is None:
        return
    try:
        window.open_database(path)
    except FileRefused as exc:
        warn(window, "Cannot open this file", f"{exc}\n\nThe open database is unchanged.")


def restore_from_backup(window) -> None:
    if window.inspector.settle("Restore") and backup_actions.restore_from_backup(window):
        window.reload_all()


def import_legacy(window) -> None:
    if window.inspector.settle("Import") and legacy_actions.import_legacy(window):
        window.reload_all()


def export_json_dialog(window) -> None:
    scope = ask_export_scope(window)
    if scope is False:
        return
    client = window.ws.client_name(scope) if scope else None
    path = choose_save_file(window, "Export JSON", f"{client or 'trellis'}.json", "JSON (*.json)")
    if path is not None:
        export_json(window, path, scope)


def ask_export_scope(window) -> str | None | bool:
    """The client to export (None = every client), or False when cancelled."""
    if not window.ws.root_id:
        return None
    box = QMessageBox(window)
    box.setWindowTitle("Export JSON")
    box.setText("What should the file contain?")
    only = f"Only {action_text(window.ws.client_name())}"
    this = box.addButton(only, QMessageBox.ButtonRole.AcceptRole)
    every = box.addButton("Every client", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is this:
        return window.ws.root_id
    return None if box.clickedButton() is every else False


def export_json(window, path: Path, root_id: str | None = None) -> None:
    done = runner.run(
        window,
        lambda _report: exchange.export_to(path, root_id),
        "Exporting…",
        failed="Export failed",
        errors=(TrellisError, OSError),
    )
    if done.ok:
        window.statusBar().showMessage(f"Exported to {path}.", 6000)


def import_json_dialog(window) -> None:
    if not window.inspector.settle("Import"):
        return
    path = choose_existing_file(window, "Import JSON", "Trellis JSON (*.json);;All files (*)")
    if path is not None:
        import_json(window, path)


def import_json(window, path: Path) -> dict | None:
    """Merge an export into this database; a refusal says why and changes nothing."""
    report = import_actions.import_file(window, path)
    if report is None:
        return None
    if any(r["added"] for r in report.values()):
        window.reload_all()  # else nothing was written: views and undo history stay as they are
    inform(window, "Import finished", import_actions.summary(path, report))
    return report


def export_image_dialog(window) -> None:
    name = f"{window.ws.client_name() or 'trellis'}.png"
    path = choose_save_file(window, "Export graph image", name, IMAGES)
    if path is None:
        return
    if path.suffix.lower() not in (".png", ".svg"):
        path = path.with_suffix(".png")
    done = runner.run(
        window,
        lambda _report: export.export_image(window.scene, path),
        "Drawing the graph…",
        failed="Export failed",
        errors=(OSError,),
    )
    if done.ok:
        window.statusBar().showMessage(f"Saved the graph to {path}.", 6000)
