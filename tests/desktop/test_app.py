"""Starting the app: first run creates the database in the user data dir and offers the sample;
later runs open the database the person last worked in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desktop import settings
from desktop.app import choose_database, open_main_window
from store.load import list_clients
from store.opening import close_database
from store.paths import default_db_path
from tests.desktop.helpers import on_next_modal


def answer_next_question(button: QMessageBox.StandardButton, asked: list[str]) -> None:
    def answer(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(button).click()

    on_next_modal(answer, kind=QMessageBox)


def test_first_run_creates_the_database_in_the_user_data_dir_and_adds_the_sample(
    qtbot, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_db_path()
    assert str(path).startswith(str(tmp_path)) and not path.exists()
    asked: list[str] = []
    answer_next_question(QMessageBox.StandardButton.Yes, asked)
    window = open_main_window(path)
    qtbot.addWidget(window)
    try:
        assert path.exists()
        assert asked and "sample workspace" in asked[0]
        assert {c["name"] for c in list_clients()} == {"Maya Okafor", "Leo Brandt"}
        assert window.scene.nodes  # the first client is on screen
        window.close()
        assert settings.get(settings.LAST_DATABASE) == str(path)
    finally:
        close_database()


def test_first_run_without_the_sample_leaves_an_empty_database(qtbot, tmp_path):
    path = tmp_path / "new.db"
    asked: list[str] = []
    answer_next_question(QMessageBox.StandardButton.No, asked)
    window = open_main_window(path)
    qtbot.addWidget(window)
    try:
        assert path.exists() and asked
        assert list_clients() == []
        assert "New client" in window.counts_label.text()
    finally:
        close_database()


def test_an_existing_database_opens_without_asking(qtbot, sample_db):
    asked: list = []
    window = open_main_window(sample_db, offer_sample=lambda _w: asked.append(1) or False)
    qtbot.addWidget(window)
    try:
        assert asked == []
        assert len(window.ws.clients) == 2
    finally:
        close_database()


def test_the_default_path_opens_the_last_database_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    last = tmp_path / "work.db"
    last.write_bytes(b"")
    settings.put(settings.LAST_DATABASE, str(last))
    assert choose_database(default_db_path()) == last
    other = tmp_path / "explicit.db"
    assert choose_database(other) == other  # --db wins over the remembered file
    last.unlink()
    assert choose_database(default_db_path()) == default_db_path()  # gone: back to default


DRIVER = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
import desktop.app as app_module

make = app_module.make_application

def make_and_close_soon(*args, **kwargs):
    app = make(*args, **kwargs)
    # Close every window once the event loop runs, as a person quitting would.
    QTimer.singleShot(300, lambda: [w.close() for w in app.topLevelWidgets()])
    return app

app_module.make_application = make_and_close_soon
sys.exit(app_module.run(Path(sys.argv[1])))
"""


def test_run_opens_the_window_and_exits_cleanly_when_it_closes(sample_db, tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(sample_db)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "cfg" / "Trellis" / "Trellis.ini").exists()  # settings were saved


def test_run_shows_the_window_saying_what_it_loads_then_fills_it(qtbot, sample_db):
    from desktop.app import start
    from desktop.window import MainWindow

    settings.put(settings.LAST_CLIENT_NAME, "Maya Okafor")
    window = MainWindow(deferred=True)
    qtbot.addWidget(window)
    window.show()
    try:
        assert not window.built
        assert window.centralWidget() is window.loading
        assert window.loading.text() == "Loading Maya Okafor…"
        start(window, sample_db)
        assert window.built and window.loading is None
        assert window.centralWidget() is window.main
        assert window.scene.nodes and window.view.isVisible()
        assert window.view.scale_factor() > 0.5  # the opening view, fitted to the real size
        window.close()
        assert settings.get(settings.LAST_CLIENT_NAME) == window.ws.client_name()
    finally:
        close_database()


SHOWN_BEFORE_IMPORTS = """
import sys
from pathlib import Path
import desktop.app as app_module

def show(self, _show=app_module.MainWindow.show):
    heavy = sorted(m for m in ("networkx", "peewee", "graph", "store.opening") if m in sys.modules)
    print("imported at first show:", ",".join(heavy) or "none", flush=True)
    sys.exit(0)

app_module.MainWindow.show = show
from cli.main import main
main(["--db", sys.argv[1]])
"""


def test_trellis_shows_its_window_before_importing_networkx_or_peewee(sample_db, tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    done = subprocess.run(
        [sys.executable, "-c", SHOWN_BEFORE_IMPORTS, str(sample_db)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "imported at first show: none" in done.stdout, done.stdout + done.stderr
