"""Start the desktop app: `trellis` with no subcommand calls `run(db_path)`.

`run` shows the window first, saying which client it is loading, and only then imports the
graph and storage layers and opens the database: the window appears in a fraction of the
time the whole start takes. So nothing here imports them at the top, nor any Qt class the
first frame does not need.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from desktop import settings
from desktop.icon import install_app_icon
from desktop.window import MainWindow

# If the window is never painted (minimised, a platform without expose events), load anyway.
LOAD_ANYWAY_MS = 1000

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


def make_application(fusion: bool = True) -> QApplication:
    """The QApplication with Trellis's names, a calm light palette and the style sheet.

    `fusion=False` leaves the style to `use_fusion`, which `run` calls after the first frame.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("Trellis")
    if fusion:
        use_fusion(app)
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


def use_fusion(app: QApplication) -> None:
    """The same look on every desktop. The palette set in make_application survives it.

    The first touch of a QStyle from Python costs 6 ms (PySide builds the class and its
    enums), so the loading frame, a label on the palette's background, is drawn first.
    """
    if "Fusion" in QStyleFactory.keys():
        app.setStyle("Fusion")


def choose_database(requested: Path) -> Path:
    """The file to open: the one asked for, unless that is the default and the person last
    worked in another file that still exists."""
    from store.paths import default_db_path

    last = settings.get(settings.LAST_DATABASE)
    if Path(requested) == default_db_path() and last and Path(last).exists():
        return Path(last)
    return Path(requested)


def ask_for_sample(parent: QWidget) -> bool:
    from desktop.plain import Button, ask

    answer = ask(
        parent,
        "Welcome to Trellis",
        "This is a new, empty database.\n\nAdd a sample workspace (two coaching clients with "
        "goals, outcomes, sprints and commitments) to look around?\nYou can delete it later.",
        default=Button.Yes,
    )
    return answer == Button.Yes


def open_main_window(
    db_path: Path, offer_sample: Callable[[QWidget], bool] = ask_for_sample
) -> MainWindow:
    """Open `db_path` (creating it on first run, then offering the sample) in a new window."""
    window = MainWindow()
    open_in(window, db_path, offer_sample)
    return window


def open_in(
    window: MainWindow, db_path: Path, offer_sample: Callable[[QWidget], bool] = ask_for_sample
) -> None:
    """Open the database in a built window and show it (FileRefused if no file will do)."""
    from desktop.plain import warn
    from store.errors import FileRefused

    path = choose_database(db_path)
    first_run = not path.exists()
    try:
        window.open_database(path)
    except FileRefused as exc:
        if path == Path(db_path):
            raise
        # The remembered file went bad: fall back to the one asked for, and say so.
        warn(window, "Trellis", f"{exc}\n\nOpening {db_path} instead.")
        first_run = not Path(db_path).exists()
        window.open_database(db_path)
    if window.loading is not None and not window.isVisible():
        return  # closed while the file was opening (its progress dialog runs events)
    window.show_contents()
    window.show()
    if first_run and not window.ws.clients and offer_sample(window):
        add_sample(window)


def add_sample(window: MainWindow) -> None:
    from desktop.actions import runner
    from store import sample
    from store.errors import TrellisError

    runner.run(
        window,
        lambda _report: sample.add_sample_workspace(),
        "Adding the sample workspace…",
        errors=(TrellisError,),
        after=lambda _added: window.reload_all(),
    )


def run(db_path: Path | str) -> int:
    """Show the main window, then load `db_path` (a file, or a team database's URL: a
    TeamURL from the command line) into it; run until it closes.

    Returns the exit code (3 when the file or the team database is refused).
    """
    app = make_application(fusion=False)
    window = MainWindow(deferred=True)
    sys.excepthook = UnexpectedErrors(window)
    window.show()
    when_painted(window, lambda: start(window, db_path))
    return app.exec()


class UnexpectedErrors:
    """sys.excepthook for the running app: an error nobody foresaw, in a menu action or a
    drag, is said in a sentence in the window (a terminal the person never sees is all Qt
    would tell) and printed with its traceback for a bug report. One message at a time: an
    error repeated at every paint must not stack dialogs."""

    def __init__(self, window: QWidget):
        self.window, self.showing = window, False

    def __call__(self, kind, error, tb) -> None:
        traceback.print_exception(kind, error, tb)
        if self.showing:
            return
        from desktop.plain import critical

        self.showing = True
        try:
            critical(self.window, "Trellis", unexpected_text(error))
        finally:
            self.showing = False


def unexpected_text(error: BaseException) -> str:
    return (
        f"Trellis met an error it did not expect ({type(error).__name__}: {error}), so what "
        "you asked for was not done; what was saved before stays saved. The details were "
        "printed for a bug report."
    )


def start(window: MainWindow, db_path: Path | str) -> None:
    """The rest of the start, once the window is on screen: imports, database, client."""
    if not window.isVisible():
        return  # closed while it was loading: the app is already on its way out
    use_fusion(QApplication.instance())
    window.build()
    from desktop.plain import critical
    from store.errors import FileRefused
    from store.postgres import is_url

    if is_url(db_path):
        from desktop.actions.files import open_team

        if open_team(window, db_path):  # a refusal was said in one sentence
            window.show_contents()
        else:
            QApplication.exit(3)
        return
    try:
        open_in(window, Path(db_path))
    except FileRefused as exc:
        critical(window, "Trellis", str(exc))
        QApplication.exit(3)


class FirstPaint(QObject):
    """Calls `then` once, just after the window's first paint (or after LOAD_ANYWAY_MS)."""

    def __init__(self, window: QWidget, then: Callable[[], None]):
        super().__init__(window)
        self.then: Callable[[], None] | None = then
        # The window and what fills it: whichever is painted first.
        self.watched = [window, window.centralWidget()]
        for widget in self.watched:
            widget.installEventFilter(self)
        QTimer.singleShot(LOAD_ANYWAY_MS, self.fire)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.then is not None:
            # After this paint pass has reached the screen, not in the middle of it.
            QTimer.singleShot(0, self.fire)
        return False

    def fire(self) -> None:
        then, self.then = self.then, None
        if then is not None:
            for widget in self.watched:
                widget.removeEventFilter(self)
            then()


def when_painted(window: QWidget, then: Callable[[], None]) -> FirstPaint:
    return FirstPaint(window, then)
