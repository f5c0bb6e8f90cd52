"""Desktop tests run on Qt's offscreen platform: real widgets, no display needed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    """QSettings go to the test's own folder, never the person's real settings."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield tmp_path / "settings"


@pytest.fixture
def sample_db(tmp_path):
    """A real database file holding the sample workspace (closed again, ready to open)."""
    from store.opening import close_database, open_database
    from store.sample import add_sample_workspace

    path = tmp_path / "trellis.db"
    open_database(path)
    add_sample_workspace()
    close_database()
    return path


@pytest.fixture
def window(qtbot, sample_db):
    """The real main window on the sample database, shown offscreen."""
    from desktop.window import MainWindow
    from store.opening import close_database

    win = MainWindow()
    # A refused edit left in the inspector would make closing ask (and wait for an answer).
    qtbot.addWidget(win, before_close_func=lambda w: w.inspector.revert())
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.open_database(sample_db)
    yield win
    win.view.cancel_gesture()
    close_database()
