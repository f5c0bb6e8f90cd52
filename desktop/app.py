"""Start the desktop app: `trellis` with no subcommand calls `run(db_path)`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory, QWidget

from desktop import settings
from desktop.icon import install_app_icon
from desktop.window import MainWindow
from store import sample
from store.errors import FileRefused, TrellisError
from store.paths import default_db_path

STYLE_SHEET = """
QMainWindow, QSplitter { background: #f1f3f5; }
QToolBar { background: #ffffff; border: none; border-bottom: 1px solid #dee2e6; spacing: 4px;
           padding: 4px 6px; }
QToolBar QToolButton { padding: 4px 8px; border-radius: 5px; }
QToolBar QToolButton:hover { background: #e9ecef; }
QToolBar QToolButton:checked { background: #e7f5ff; color: #1864ab; }
QSplitter::handle { background: #dee2e6; }
QSplitter::handle:horizontal { width: 1px; }
QSplitter::handle:vertical { height: 1px; }
QListWidget, QTreeWidget { background: #ffffff; border: none; }
QTreeWidget::item, QListWidget::item { padding: 3px 2px; }
QTreeWidget::item:selected, QListWidget::item:selected { background: #d0ebff; color: #1c2024; }
QStatusBar { background: #ffffff; border-top: 1px solid #dee2e6; color: #495057; }
QLineEdit { padding: 4px 8px; border: 1px solid #ced4da; border-radius: 5px; background: #fff; }
QLineEdit:focus { border-color: #4dabf7; }
QPushButton { padding: 5px 14px; border: 1px solid #ced4da; border-radius: 5px;
              background: #ffffff; }
QPushButton:hover { background: #f1f3f5; }
QPushButton:default { background: #1c7ed6; color: white; border-color: #1971c2; }
QPushButton:default:disabled { background: #a5d8ff; border-color: #a5d8ff; }
QPushButton:disabled { color: #adb5bd; }
"""


def make_application() -> QApplication:
    """The QApplication with Trellis's names, a calm light palette and the style sheet."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("Trellis")
    if "Fusion" in QStyleFactory.keys():
        app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f1f3f5"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#1c7ed6"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#212529"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#212529"))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.5))
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
    install_app_icon(app)
    return app


def choose_database(requested: Path) -> Path:
    """The file to open: the one asked for, unless that is the default and the person last
    worked in another file that still exists."""
    last = settings.get(settings.LAST_DATABASE)
    if Path(requested) == default_db_path() and last and Path(last).exists():
        return Path(last)
    return Path(requested)


def ask_for_sample(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        "Welcome to Trellis",
        "This is a new, empty database.\n\nAdd a sample workspace (two coaching clients with "
        "goals, outcomes, sprints and commitments) to look around?\nYou can delete it later.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


def open_main_window(
    db_path: Path, offer_sample: Callable[[QWidget], bool] = ask_for_sample
) -> MainWindow:
    """Open `db_path` (creating it on first run, then offering the sample) in a new window."""
    path = choose_database(db_path)
    first_run = not path.exists()
    window = MainWindow()
    try:
        window.open_database(path)
    except FileRefused as exc:
        if path == Path(db_path):
            raise
        # The remembered file went bad: fall back to the one asked for, and say so.
        QMessageBox.warning(window, "Trellis", f"{exc}\n\nOpening {db_path} instead.")
        first_run = not Path(db_path).exists()
        window.open_database(db_path)
    window.show()
    if first_run and not window.ws.clients and offer_sample(window):
        add_sample(window)
    return window


def add_sample(window: MainWindow) -> None:
    try:
        sample.add_sample_workspace()
    except TrellisError as exc:
        QMessageBox.warning(window, "Trellis", str(exc))
        return
    window.reload_all()


def run(db_path: Path) -> int:
    """Open the main window on `db_path` and run until it closes; returns the exit code."""
    app = make_application()
    try:
        window = open_main_window(Path(db_path))
    except FileRefused as exc:
        QMessageBox.critical(None, "Trellis", str(exc))
        return 3
    window.view.overview()
    return app.exec()
