"""desktop/ by seam: files small enough to read, actions and views declared once as data,
one file chooser and one operation runner (each rule read from the source, so it fails the
build, not a review)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

import desktop
from desktop import views
from desktop.actions import registry, runner
from store import ops
from store.errors import ValidationError
from store.exchange import export_document
from store.models import database
from tests.desktop.helpers import Dialogs, press

DESKTOP = Path(desktop.__file__).parent
MAX_LINES = 500


def sources() -> dict[str, str]:
    return {str(p.relative_to(DESKTOP)): p.read_text() for p in sorted(DESKTOP.rglob("*.py"))}


def test_no_file_in_desktop_is_over_500_lines():
    long = {name: text.count("\n") for name, text in sources().items()}
    assert {n: lines for n, lines in long.items() if lines > MAX_LINES} == {}


def files_making(pattern: str) -> set[str]:
    """The desktop modules whose code (not docstrings or comments) names `pattern`."""
    found = set()
    for name, text in sources().items():
        code = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("#", '"', "-"))]
        if re.search(pattern, "\n".join(code)):
            found.add(name)
    return found


def test_only_the_file_chooser_makes_a_file_dialog():
    assert files_making(r"\bQFileDialog\b") == {"dialogs/files.py"}


def test_only_the_runner_makes_a_progress_dialog():
    assert files_making(r"\bQProgressDialog\b") == {"actions/runner.py"}


def test_the_menus_are_the_registry_in_its_order(window):
    bar = window.menuBar()
    shown = {
        a.text(): [e.text() for e in a.menu().actions() if not e.isSeparator()]
        for a in bar.actions()
    }
    wanted: dict[str, list[str]] = {title: [] for title in registry.MENUS}
    for record in registry.ACTIONS:
        if record.menu is not None:
            wanted[record.menu].append(window.actions[record.id].text())
    assert shown == wanted
    assert set(window.actions) >= {record.id for record in registry.ACTIONS}
    assert len({record.id for record in registry.ACTIONS}) == len(registry.ACTIONS)


def test_an_action_declared_with_keys_has_those_keys(window):
    act = window.actions["export_json"]
    assert [k.toString() for k in act.shortcuts()] == ["Ctrl+E"]
    assert window.actions["hide_completed"].isCheckable()


def test_no_two_actions_share_a_key(window):
    owners: dict[str, list[str]] = {}
    for name, act in window.actions.items():
        for key in {k.toString() for k in act.shortcuts()}:  # a platform may list one twice
            owners.setdefault(key, []).append(name)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


def test_an_action_is_enabled_only_when_its_condition_holds(window):
    from desktop.model.commands import CreateCommand

    assert window.actions["auto_layout"].isEnabled()  # the sample client has nodes
    window.push(CreateCommand(window.ws, "client", {"name": "Nobody Yet"}))
    window.ws.select_client(next(c["id"] for c in window.ws.clients if c["name"] == "Nobody Yet"))
    assert not window.scene.nodes
    assert not window.actions["auto_layout"].isEnabled()


def test_a_tab_per_registered_view_in_its_order(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == [view.title for view in views.VIEWS]
    assert list(window.views) == [view.id for view in views.VIEWS]
    assert window.views["graph"] is window.view


def test_registering_a_view_is_one_line(qtbot, sample_db, monkeypatch):
    from desktop.window import MainWindow
    from store.opening import close_database

    board = views.View("kanban", "Kanban", lambda window: QWidget())
    monkeypatch.setattr(views, "VIEWS", (*views.VIEWS, board))
    win = MainWindow()
    qtbot.addWidget(win)
    try:
        assert win.tabs.tabText(win.tabs.count() - 1) == "Kanban"
        assert win.tabs.widget(win.tabs.count() - 1) is win.views["kanban"]
    finally:
        close_database()


# ------------------------------------------------------------ the operation runner


def test_a_refusal_is_said_once_in_one_box_and_the_database_is_as_it_was(window):
    before = export_document()
    dialogs = Dialogs(press(QMessageBox, "OK"))
    done = runner.run(window, half_done_then_refused, "Working…", errors=(ValidationError,))
    dialogs.done()
    assert done == runner.Outcome(False)
    assert dialogs.seen == ["That file is not one Trellis can read."]
    assert export_document() == before


def test_an_error_the_caller_did_not_name_is_raised_to_it_not_shown(window):
    before = export_document()
    with pytest.raises(ValidationError):
        runner.run(window, half_done_then_refused, "Working…", errors=(OSError,))
    assert export_document() == before


def half_done_then_refused(_report):
    """A store call that happened, then a refusal: one transaction, so neither stays."""
    with database.atomic():
        ops.create_client("Half done")
        raise ValidationError("That file is not one Trellis can read.")


def test_work_in_a_worker_thread_runs_off_the_gui_thread_and_returns_its_value(window, monkeypatch):
    monkeypatch.setattr(runner, "PROGRESS_AFTER_MS", 0)

    def work(report) -> bool:
        for n in range(1, 4):
            report(n, 3)
        return threading.current_thread() is not threading.main_thread()

    after: list = []
    done = runner.run(window, work, "Copying…", thread=True, after=after.append)
    assert done == runner.Outcome(True, True) and after == [True]


def test_a_worker_threads_failure_is_said_in_the_gui_thread(window):
    def work(_report):
        raise OSError("The disk is full.")

    dialogs = Dialogs(press(QMessageBox, "OK"))
    done = runner.run(window, work, "Copying…", thread=True, errors=(OSError,), failed="Backup")
    dialogs.done()
    assert done == runner.Outcome(False) and dialogs.seen == ["The disk is full."]
