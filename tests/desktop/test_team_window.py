"""The app on a team database (issue 15), driven as a coach would on a real PostgreSQL server:
File → Open team database… with the URL typed in, a password asked when the server wants one
(and kept nowhere), another writer's edit followed through LISTEN/NOTIFY with the selection
kept, and a dropped connection answered with one sentence and a Reconnect button that loses
nothing reported saved."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox

from desktop.dialogs.team import PasswordDialog, TeamDatabaseDialog
from store import ops, team
from store.opening import close_database, open_database
from store.sample import add_sample_workspace
from tests import postgres_server
from tests.desktop.helpers import Dialogs, item_id, press, show_client
from tests.desktop.test_inspector import MAYA, type_into

PASSWORD_ROLE = "pat"
PASSWORD = "s3cret-Password!"  # QTest types ASCII only


@pytest.fixture
def team_sample(team_database):
    """A team database holding the sample workspace; its URL."""
    open_database(team_database)
    add_sample_workspace()
    close_database()
    return team_database


@pytest.fixture
def bare_window(qtbot, tmp_path):
    """The main window on an empty file of its own, before any team database is opened."""
    from desktop.window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win, before_close_func=lambda w: w.inspector.revert())
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.open_database(tmp_path / "own.db")
    yield win
    win.view.cancel_gesture()
    close_database()


def answer_team_dialog(url: str):
    """A step: type `url` into the team database dialog and press Enter."""

    def answer(dialog: TeamDatabaseDialog) -> None:
        QTest.keyClicks(dialog.url, url)
        QTest.keyClick(dialog.url, Qt.Key.Key_Return)

    return TeamDatabaseDialog, answer


def type_password(text: str):
    """A step: type `text` into the password prompt and press Enter."""

    def answer(dialog: PasswordDialog) -> None:
        QTest.keyClicks(dialog.password, text)
        QTest.keyClick(dialog.password, Qt.Key.Key_Return)

    return PasswordDialog, answer


def open_team_from_the_menu(window, *steps) -> list[str]:
    dialogs = Dialogs(*steps)
    window.actions["open_team"].trigger()
    dialogs.done()
    return dialogs.seen


def test_file_open_team_database_shows_its_clients_and_the_url_in_the_title(
    bare_window, team_sample
):
    seen = open_team_from_the_menu(bare_window, answer_team_dialog(team_sample))
    assert seen == ["TeamDatabaseDialog"]
    assert bare_window.ws.team_url is not None
    assert {c["name"] for c in bare_window.ws.clients} == {"Maya Okafor", "Leo Brandt"}
    assert "Trellis" in bare_window.windowTitle()
    assert team_sample.split("?")[0].rsplit("/", 1)[1] in bare_window.windowTitle()
    assert bare_window.actions["reconnect"].isEnabled()


def test_a_url_that_is_not_postgresql_is_refused_in_the_dialog_with_one_sentence(
    bare_window, tmp_path
):
    said: list[str] = []

    def answer(dialog: TeamDatabaseDialog) -> None:
        QTest.keyClicks(dialog.url, str(tmp_path / "file.db"))
        QTest.keyClick(dialog.url, Qt.Key.Key_Return)
        said.append(dialog.problem.text())
        dialog.reject()

    open_team_from_the_menu(bare_window, (TeamDatabaseDialog, answer))
    assert said == [
        "A team database's URL starts with postgresql:// "
        "(such as postgresql://coach@server/practice)."
    ]
    assert bare_window.ws.team_url is None
    assert bare_window.ws.db_path == tmp_path / "own.db"


@pytest.fixture
def password_role(team_sample):
    """A coach role the server asks a password of (scram), seeing both sample clients."""
    with postgres_server.admin_connection() as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(PASSWORD_ROLE)))
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(PASSWORD_ROLE),
                sql.Literal(PASSWORD),
                sql.Identifier(team.ADMIN_ROLE),
            )
        )
    hba = postgres_server.server().pgdata / "pg_hba.conf"
    before = hba.read_text()
    # First matching line wins: only this role on the socket is asked for a password.
    hba.write_text(f"local all {PASSWORD_ROLE} scram-sha-256\n{before}")
    postgres_server.server().psql("SELECT pg_reload_conf();")
    name = team_sample.split("?")[0].rsplit("/", 1)[1]
    yield postgres_server.url(name, user=PASSWORD_ROLE)
    close_database()
    hba.write_text(before)
    postgres_server.server().psql("SELECT pg_reload_conf();")


def test_the_password_is_asked_again_when_wrong_and_kept_nowhere(
    bare_window, password_role, isolated_settings
):
    seen = open_team_from_the_menu(
        bare_window,
        answer_team_dialog(password_role),
        type_password("wrong"),
        type_password(PASSWORD),
    )
    assert seen == ["TeamDatabaseDialog", "PasswordDialog", "PasswordDialog"]
    assert bare_window.ws.team_url is not None
    assert {c["name"] for c in bare_window.ws.clients} == {"Maya Okafor", "Leo Brandt"}
    assert PASSWORD not in bare_window.windowTitle()
    assert PASSWORD not in bare_window.ws.team_url
    kept = "".join(
        p.read_text(errors="replace") for p in isolated_settings.rglob("*") if p.is_file()
    )
    assert PASSWORD not in kept


def test_cancelling_the_password_keeps_the_database_that_was_open(
    bare_window, password_role, tmp_path
):
    open_team_from_the_menu(
        bare_window, answer_team_dialog(password_role), (PasswordDialog, lambda d: d.reject())
    )
    assert bare_window.ws.team_url is None
    assert bare_window.ws.db_path == tmp_path / "own.db"


@pytest.fixture
def team_window(qtbot, team_sample):
    """The main window on the team database holding the sample workspace."""
    from desktop.window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win, before_close_func=lambda w: w.inspector.revert())
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.open_database(team_sample)
    yield win
    win.view.cancel_gesture()
    close_database()


def test_another_coachs_edit_shows_at_once_and_the_selection_stays(qtbot, team_window, team_sample):
    show_client(team_window, MAYA)
    goal = item_id(team_window, "Lead a team with confidence")
    team_window.selection.set([goal])
    assert team_window.team_watch.watching
    with psycopg.connect(team_sample, autocommit=True) as other:  # another session, committed
        other.execute(
            "UPDATE client_goals SET title = %s, updated_at = %s WHERE id = %s",
            ("Their new title", "2026-12-02T10:42:00+00:00", goal),
        )
    qtbot.waitUntil(lambda: team_window.ws.item(goal).title == "Their new title", timeout=5000)
    assert list(team_window.selection.ids) == [goal]
    assert team_window.inspector.editor.inputs["title"].focus.text() == "Their new title"


def end_the_windows_sessions(url: str) -> None:
    """What a server restart does to the window's connections: every session on its database
    ends (the test's own admin connection is on another database)."""
    name = url.split("?")[0].rsplit("/", 1)[1]
    with postgres_server.admin_connection() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )


def test_a_dropped_connection_says_so_offers_reconnect_and_keeps_what_was_saved(
    qtbot, team_window, team_sample
):
    show_client(team_window, MAYA)
    goal = item_id(team_window, "Lead a team with confidence")
    team_window.selection.set([goal])
    title = team_window.inspector.editor.inputs["title"].focus
    type_into(title, "Saved before the drop")
    QTest.keyClick(title, Qt.Key.Key_Return)
    assert ops.get_item(goal)[1]["title"] == "Saved before the drop"

    end_the_windows_sessions(team_sample)
    dialogs = Dialogs(press(QMessageBox, "Reconnect"))
    type_into(title, "Typed while away")
    QTest.keyClick(title, Qt.Key.Key_Return)
    dialogs.done()
    assert len(dialogs.seen) == 1
    assert "cannot be reached" in dialogs.seen[0]
    assert "\n" not in dialogs.seen[0].strip()

    # Reconnected: what was saved before is there, and the edit typed while away is saved too.
    assert ops.get_item(goal)[1]["title"] == "Typed while away"
    assert team_window.team_watch.watching
    assert not team_window.inspector.dirty
    with psycopg.connect(team_sample) as other:
        row = other.execute("SELECT title FROM client_goals WHERE id = %s", (goal,)).fetchone()
    assert row == ("Typed while away",)
    assert team_window.undo_stack.count() >= 1
    team_window.undo_stack.undo()
    assert ops.get_item(goal)[1]["title"] == "Saved before the drop"


def test_declining_to_reconnect_keeps_the_typed_edit_in_the_inspector_with_the_reason(
    team_window, team_sample
):
    show_client(team_window, MAYA)
    goal = item_id(team_window, "Lead a team with confidence")
    team_window.selection.set([goal])
    end_the_windows_sessions(team_sample)
    dialogs = Dialogs(press(QMessageBox, "Close"))
    title = team_window.inspector.editor.inputs["title"].focus
    type_into(title, "Typed while away")
    QTest.keyClick(title, Qt.Key.Key_Return)
    dialogs.done()
    assert team_window.inspector.dirty
    assert "cannot be reached" in team_window.inspector.editor.error_text(None)
    with psycopg.connect(team_sample) as other:
        row = other.execute("SELECT title FROM client_goals WHERE id = %s", (goal,)).fetchone()
    assert row == ("Lead a team with confidence",)


def test_the_team_dialog_builds_the_url_from_server_database_and_user(qtbot):
    dialog = TeamDatabaseDialog()
    qtbot.addWidget(dialog)
    for field, text in ((dialog.host, "db.example.org:5433"), (dialog.database, "practice")):
        QTest.keyClicks(field, text)
    QTest.keyClicks(dialog.user, "maya chen")
    assert dialog.chosen_url() == "postgresql://maya%20chen@db.example.org:5433/practice"
    assert all(isinstance(w, QLineEdit) for w in (dialog.host, dialog.database, dialog.user))
