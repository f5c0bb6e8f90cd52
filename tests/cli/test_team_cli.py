"""The real `trellis` command on a team database (a real PostgreSQL 16 from pgserver): the
daily commands work on a postgresql:// URL as on a file, `copy` moves a workspace both ways
verified, and every refusal is one sentence with nothing changed."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import json_out, run_trellis
from tests.postgres_server import new_database

MAYA = "Maya Okafor"


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """This test's own user data folder (a team database's backups go there)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def export_of(db, tmp_path, name: str) -> dict:
    target = tmp_path / f"{name}.json"
    result = run_trellis("export", "--to", str(target), db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(target.read_text())


def test_copy_moves_a_file_onto_a_team_database_and_back_and_every_export_is_the_same(
    team_database, demo_db, tmp_path, data_home
):
    result = run_trellis("copy", "--from", str(demo_db), "--to", team_database)
    assert result.returncode == 0, result.stderr
    assert "every table read back the same" in result.stdout
    assert "password" not in result.stdout
    home = tmp_path / "home.db"
    result = run_trellis("copy", "--from", team_database, "--to", str(home), "--json")
    assert result.returncode == 0, result.stderr
    assert json_out(result)["clients"] == 2
    original = export_of(demo_db, tmp_path, "file")
    assert export_of(team_database, tmp_path, "team") == original
    assert export_of(home, tmp_path, "home") == original


def test_the_daily_commands_work_on_a_team_database(team_database, tmp_path, data_home):
    assert run_trellis("demo", db=team_database).returncode == 0
    check = run_trellis("check", "--json", db=team_database)
    assert check.returncode == 0, check.stderr
    assert json_out(check)["ok"] is True and json_out(check)["findings"]
    listed = run_trellis("commitments", "--client", MAYA, "--json", db=team_database)
    assert listed.returncode == 0, listed.stderr
    assert len(json_out(listed)) > 0
    digest = run_trellis("digest", "--client", MAYA, "--json", db=team_database)
    assert digest.returncode == 0, digest.stderr
    trash = run_trellis("trash", "--json", db=team_database)
    assert trash.returncode == 0 and [t["kind"] for t in json_out(trash)] == ["commitment"]
    backup = run_trellis("backup", db=team_database)
    assert backup.returncode == 0, backup.stderr
    made = list((data_home / "Trellis" / "team").rglob("*_manual.db"))
    assert len(made) == 1
    backups = run_trellis("backups", "--json", db=team_database)
    assert backups.returncode == 0 and len(json_out(backups)) == 1
    dry = run_trellis("migrate", "--dry-run", db=team_database)
    assert dry.returncode == 0 and "nothing to migrate" in dry.stdout


def test_an_export_imported_into_a_team_database_reads_back_the_same(
    team_database, demo_db, tmp_path, data_home
):
    exported = tmp_path / "work.json"
    assert run_trellis("export", "--to", str(exported), db=demo_db).returncode == 0
    result = run_trellis("import", str(exported), db=team_database)
    assert result.returncode == 0, result.stderr
    assert export_of(team_database, tmp_path, "team") == json.loads(exported.read_text())


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda db, demo, tmp: ("--from", str(demo), "--to", db), "already holds 2 clients"),
        (lambda db, demo, tmp: ("--from", db, "--to", db), "the same database"),
        (lambda db, demo, tmp: ("--from", db, "--to", str(demo)), "exists already"),
        (
            lambda db, demo, tmp: ("--from", str(tmp / "none.db"), "--to", db),
            "There is no file",
        ),
    ],
)
def test_copy_refusals_are_one_sentence_and_change_nothing(
    team_database, demo_db, tmp_path, data_home, make_args, message
):
    assert run_trellis("copy", "--from", str(demo_db), "--to", team_database).returncode == 0
    before = export_of(team_database, tmp_path, "before")
    demo_bytes = demo_db.read_bytes()
    result = run_trellis("copy", *make_args(team_database, demo_db, tmp_path))
    assert result.returncode in (2, 3)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert export_of(team_database, tmp_path, "after") == before
    assert demo_db.read_bytes() == demo_bytes


def test_a_team_database_is_not_restored_over_by_a_coach(team_database, demo_db, data_home):
    result = run_trellis("restore", str(demo_db), "--yes", db=team_database)
    assert result.returncode == 2
    assert "restored by its administrator" in result.stderr


def test_an_unreachable_or_missing_team_database_is_one_sentence(team_database, data_home):
    missing = team_database.replace("/t", "/no_such_db_", 1)
    result = run_trellis("check", db=missing)
    assert result.returncode in (2, 3)
    assert "Cannot open the team database no_such_db_" in result.stderr
    assert "Traceback" not in result.stderr
    nobody = "postgresql://coach@127.0.0.1:1/practice"
    result = run_trellis("check", db=nobody)
    assert result.returncode in (2, 3)
    assert "no PostgreSQL server answers at 127.0.0.1" in result.stderr


def test_a_database_of_another_program_is_refused(data_home):
    url = new_database(empty=True)
    from tests.postgres_server import admin_connection

    name = url.split("/")[3].split("?")[0]
    with admin_connection(name) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    result = run_trellis("check", db=url)
    assert result.returncode == 3
    assert "holds tables Trellis did not make (invoices)" in result.stderr


def at_schema_one(url: str) -> None:
    """Make a team database look as schema 1 left it (before audit rows named operations)."""
    from tests.postgres_server import admin_connection

    name = url.split("/")[3].split("?")[0]
    with admin_connection(name) as conn:
        conn.execute("ALTER TABLE audit_log DROP COLUMN operation_id, DROP COLUMN operation_label")
        conn.execute("UPDATE trellis_meta SET value = '1' WHERE key = 'schema_version'")


def test_a_team_database_migrates_by_the_same_steps_as_a_file_with_a_dry_run_first(
    team_database, data_home
):
    at_schema_one(team_database)
    dry = run_trellis("migrate", "--dry-run", db=team_database)
    assert dry.returncode == 0, dry.stderr
    assert "schema 1 -> 2: audit rows name the user action they belong to" in dry.stdout
    assert "Dry run: nothing was changed." in dry.stdout
    assert "is at schema 1" in run_trellis("migrate", "--dry-run", db=team_database).stdout
    done = run_trellis("migrate", db=team_database)
    assert done.returncode == 0, done.stderr
    assert "Migrated the team database" in done.stdout
    assert run_trellis("demo", db=team_database).returncode == 0
    assert "nothing to migrate" in run_trellis("migrate", "--dry-run", db=team_database).stdout
