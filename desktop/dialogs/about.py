"""Help → How to use Trellis and Help → About Trellis."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget


def show_help(parent: QWidget) -> None:
    QMessageBox.information(parent, "How to use Trellis", HELP_TEXT)


def show_about(parent: QWidget, db_path: Path | None) -> None:
    QMessageBox.about(parent, "About Trellis", about_text(db_path))


def about_text(db_path: Path | None) -> str:
    """Which Trellis this is and which file it has open: what a bug report needs."""
    from importlib.metadata import PackageNotFoundError, version

    from PySide6 import __version__ as pyside_version

    try:
        trellis_version = version("trellis")
    except PackageNotFoundError:
        trellis_version = "(not installed)"
    where = str(db_path) if db_path else "no database open"
    return (
        f"<b>Trellis {trellis_version}</b><br>"
        "Goals, outcomes, sprints and commitments for coaches, as a graph you can drag and "
        "link.<br><br>"
        f"Database: {escape(where)}<br>"
        "Backups: File → Restore from backup… lists them.<br><br>"
        f"<span style='color:#868e96'>PySide6 {pyside_version}</span>"
    )


HELP_TEXT = """<b>The graph</b><br>
Goals sit on top, their outcomes below, and the sprints and commitments that move each
outcome forward at the bottom.<br><br>
<b>Mouse</b><br>
• Drag a node to move it; Ctrl-click to pick several and drag them together.<br>
• Drag from the small circle under a node (or Shift-drag the node) onto another node to
link them. Green means the link is allowed; red says why not.<br>
• Drag the background to pan; the wheel zooms around the cursor; Ctrl-drag the background
to select with a rectangle.<br>
• Double-click to edit; right-click for more.<br><br>
<b>Keys</b><br>
Delete moves the selection to the trash (or unlinks a selected link) · Ctrl+Z / Ctrl+Shift+Z
undo and redo · Ctrl+F find · Ctrl+0 fit · Esc cancels a drag · Space collapses or expands
the selected goal or outcome · Ctrl+Shift+F focuses on the selected goal (View → Leave focus
to see all) · Ctrl+Shift+O shows or hides the overview map."""
