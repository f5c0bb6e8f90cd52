"""File-menu actions on the whole database: open another (a file or a team database), reconnect
to a team database whose connection dropped, export and import JSON, export the graph as an
image, restore a backup, import a legacy file.

Each takes the window (the shell: its workspace, inspector, editor and status bar), asks for
a path through the one file chooser, runs the work through the one runner and reloads the
views when the database is another one afterwards.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.actions import backup as backup_actions
from desktop.actions import importing as import_actions
from desktop.actions import legacy as legacy_actions
from desktop.actions import runner
from desktop.canvas import export
from desktop.dialogs.files import choose_existing_file, choose_save_file
from desktop.dialogs.team import ask_password, ask_team_url
from desktop.plain import inform, warn
from desktop.readable import action_text
from store import exchange, team
from store.errors import FileRefused, TeamUnavailable, TrellisError
from store.postgres import describe, full_url

# What store.team.explain_connection_error says when the server wants a (better) password.
PASSWORD_WANTED = ("wants a password", "refused the password")

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


def open_team_database_dialog(window) -> None:
    if not window.inspector.settle("Open a team database"):
        return
    url = ask_team_url(window)
    if url:
        open_team(window, url)


def open_team(window, url: str, password_for=ask_password) -> bool:
    """Open the team database at `url`, asking for a password while the server wants one
    (`password_for(window, shown_url, reason)`, None when the person cancels). A refusal is one
    sentence; the database open before stays open. The password goes to the store only."""
    before = window.ws.db_path
    password = None
    while True:
        try:
            window.open_database(url, password=password)
            return True
        except TeamUnavailable as exc:
            reason = str(exc)
        if not any(fragment in reason for fragment in PASSWORD_WANTED):
            break
        password = password_for(window, describe(full_url(url)), reason)
        if password is None:
            reason = ""
            break
    if before is not None or window.ws.team_url:  # the failed attempt closed it: open again
        window.open_database(before) if before is not None else reconnect(window)
        reason += "\n\nThe open database is unchanged." if reason else ""
    if reason:
        warn(window, "Cannot open the team database", reason.strip())
    return False


def reconnect(window) -> bool:
    """Connect again to the team database after its connection dropped; the views are read
    again (keeping the view and selection) and other writers are followed again."""
    done = runner.run(
        window,
        lambda _report: team.reconnect(),
        "Reconnecting…",
        failed="Cannot reconnect",
        errors=(TrellisError,),
    )
    if not done.ok:
        return False
    window.editor.keeping_the_view(window.reload_all)
    window.team_watch.watch()
    window.statusBar().showMessage(f"Reconnected to {window.ws.team_url}.", 8000)
    return True


def offer_reconnect(window, text: str) -> bool:
    """The sentence saying the team database cannot be reached, with a Reconnect button."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Team database unreachable")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    again = box.addButton("Reconnect", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(again)
    box.exec()
    return box.clickedButton() is again and reconnect(window)


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
    path = choose_save_file(window, "Export graph image", name, IMAGES, (".png", ".svg"))
    if path is None:
        return
    done = runner.run(
        window,
        lambda _report: export.export_image(window.scene, path),
        "Drawing the graph…",
        failed="Export failed",
        errors=(OSError,),
    )
    if done.ok:
        window.statusBar().showMessage(f"Saved the graph to {path}.", 6000)
