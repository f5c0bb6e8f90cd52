"""`trellis backup | backups | restore | migrate` as subprocesses: exit codes, sentences, files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import REPO, json_out, run_trellis
from tests.factories import another_programs_file

FIXTURE_V1 = REPO / "tests" / "fixtures" / "schema_v1.db"


def backups_of(db: Path) -> list[Path]:
    folder = db.parent / "backups"
    return sorted(folder.iterdir()) if folder.exists() else []


def exported(db: Path, to: Path) -> dict:
    result = run_trellis("export", "--to", str(to), db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(to.read_text())


def one_line_error(result, code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: ") and "Traceback" not in lines[0]
    assert all(w in lines[0] for w in words), lines[0]


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


# ---------------------------------------------------------------- backup and backups


def test_backup_writes_a_verified_copy_into_the_backups_folder_and_says_where(demo_db):
    result = run_trellis("backup", db=demo_db)
    assert result.returncode == 0, result.stderr
    (made,) = backups_of(demo_db)
    assert str(made) in result.stdout and "2 clients" in result.stdout
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_backup_to_a_chosen_file_and_refuses_to_overwrite_one(demo_db, tmp_path):
    target = tmp_path / "usb" / "copy.db"
    assert run_trellis("backup", "--to", str(target), db=demo_db).returncode == 0
    before = target.read_bytes()
    again = run_trellis("backup", "--to", str(target), db=demo_db)
    one_line_error(again, 2, f"{target} is a database, and a backup would overwrite it")
    assert target.read_bytes() == before
    notes = tmp_path / "usb" / "notes.txt"
    notes.write_bytes(b"mine")
    one_line_error(run_trellis("backup", "--to", str(notes), db=demo_db), 2, "already exists")
    assert notes.read_bytes() == b"mine"


def test_backup_of_a_missing_database_is_refused_and_creates_nothing(tmp_path):
    db = tmp_path / "none.db"
    one_line_error(run_trellis("backup", db=db), 2, "no database")
    assert list(tmp_path.iterdir()) == []


def test_backups_lists_date_reason_size_and_counts(demo_db):
    run_trellis("backup", db=demo_db)
    result = run_trellis("backups", db=demo_db)
    assert result.returncode == 0
    (line,) = result.stdout.splitlines()
    assert "manual" in line and "KB" in line
    assert "2 clients, 5 goals, 8 outcomes, 5 sprints, 24 commitments, 5 sessions" in line
    listed = json_out(run_trellis("backups", "--json", db=demo_db))
    assert listed[0]["counts"]["commitment"] == 24 and listed[0]["size"] > 0
    assert set(listed[0]) == {"path", "taken_at", "reason", "size", "counts", "problem"}


def test_backups_with_none_yet_says_where_they_will_go(demo_db):
    result = run_trellis("backups", db=demo_db)
    assert result.returncode == 0 and "No backups" in result.stdout
    assert str(demo_db.parent / "backups") in result.stdout


# ---------------------------------------------------------------- restore


def test_backup_change_restore_gives_back_exactly_the_exported_json(demo_db, tmp_path):
    run_trellis("backup", db=demo_db)
    (made,) = backups_of(demo_db)
    at_backup = exported(demo_db, tmp_path / "at-backup.json")
    trash = json_out(run_trellis("trash", "--json", db=demo_db))
    assert run_trellis("restore-item", trash[0]["id"], db=demo_db).returncode == 0
    assert exported(demo_db, tmp_path / "changed.json") != at_backup
    result = run_trellis("restore", str(made), "--yes", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert "restore that file to undo" in result.stdout
    assert exported(demo_db, tmp_path / "restored.json") == at_backup


def test_restoring_the_safety_backup_undoes_a_restore(demo_db, tmp_path):
    run_trellis("backup", db=demo_db)
    (made,) = backups_of(demo_db)
    trash = json_out(run_trellis("trash", "--json", db=demo_db))
    run_trellis("restore-item", trash[0]["id"], db=demo_db)
    changed = exported(demo_db, tmp_path / "changed.json")
    run_trellis("restore", str(made), "--yes", db=demo_db)
    (safety,) = [p for p in backups_of(demo_db) if "before-restore" in p.name]
    assert run_trellis("restore", str(safety), "--yes", db=demo_db).returncode == 0
    assert exported(demo_db, tmp_path / "undone.json") == changed


def refused(demo_db: Path, source: Path, *words: str) -> None:
    """`restore` exits 3 with one sentence and leaves the live file byte for byte."""
    before = demo_db.read_bytes()
    backups_before = backups_of(demo_db)
    one_line_error(run_trellis("restore", str(source), "--yes", db=demo_db), 3, *words)
    assert demo_db.read_bytes() == before
    assert backups_of(demo_db) == backups_before


def test_restore_refuses_a_file_that_is_not_sqlite(demo_db, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Maya: call on Tuesday.\n" * 100)
    refused(demo_db, notes, "notes.txt", "not a SQLite file")


def test_restore_refuses_another_programs_sqlite_file(demo_db, tmp_path):
    other = another_programs_file(tmp_path / "music.db", "songs (title TEXT)")
    refused(demo_db, other, "music.db", "another program")


def test_restore_refuses_a_truncated_backup(demo_db, tmp_path):
    run_trellis("backup", db=demo_db)
    (made,) = backups_of(demo_db)
    cut = tmp_path / "cut.db"
    cut.write_bytes(made.read_bytes()[:40960])
    refused(demo_db, cut, "cut.db", "truncated")


def test_restore_refuses_a_corrupt_backup(demo_db, tmp_path):
    run_trellis("backup", db=demo_db)
    (made,) = backups_of(demo_db)
    data = bytearray(made.read_bytes())
    data[8192:16384] = bytes(range(256)) * 32
    broken = tmp_path / "broken.db"
    broken.write_bytes(bytes(data))
    refused(demo_db, broken, "broken.db", "damaged")


def test_restore_refuses_a_backup_from_a_newer_trellis(demo_db, tmp_path):
    newer = tmp_path / "newer.db"
    shutil.copyfile(FIXTURE_V1, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    refused(demo_db, newer, "newer.db", "newer Trellis")


def test_restore_without_yes_and_without_a_terminal_refuses_instead_of_hanging(demo_db):
    run_trellis("backup", db=demo_db)
    (made,) = backups_of(demo_db)
    before = demo_db.read_bytes()
    result = run_trellis("restore", str(made), db=demo_db, stdin="")
    one_line_error(result, 2, "without --yes", "nothing was changed")
    assert demo_db.read_bytes() == before
    assert backups_of(demo_db) == [made]


def test_restore_refuses_while_the_app_has_the_database_open(demo_db):
    run_trellis("backup", db=demo_db)
    (made,) = backups_of(demo_db)
    # Read the bytes before the "app" connects: closing any file handle on the database drops
    # every POSIX lock this process holds on it, the app connection's included.
    before = demo_db.read_bytes()
    app = sqlite3.connect(demo_db)
    app.execute("SELECT count(*) FROM clients").fetchone()
    try:
        result = run_trellis("restore", str(made), "--yes", db=demo_db)
        one_line_error(result, 2, "has trellis.db open", "close it")
        assert app.execute("SELECT count(*) FROM clients").fetchone() == (2,)
    finally:
        app.close()
    assert demo_db.read_bytes() == before


def test_restore_of_the_v1_fixture_passes_check(tmp_path):
    db = tmp_path / "trellis.db"
    result = run_trellis("restore", str(FIXTURE_V1), "--yes", db=db)
    assert result.returncode == 0, result.stderr
    assert run_trellis("check", db=db).returncode == 0


# ---------------------------------------------------------------- migrate


def test_migrate_on_a_current_database_says_so_and_changes_nothing(demo_db):
    before = demo_db.read_bytes()
    for args in (("migrate", "--dry-run"), ("migrate",)):
        result = run_trellis(*args, db=demo_db)
        assert result.returncode == 0 and "nothing to migrate" in result.stdout
    assert demo_db.read_bytes() == before and backups_of(demo_db) == []


def test_migrate_of_a_missing_database_is_refused(tmp_path):
    one_line_error(run_trellis("migrate", db=tmp_path / "none.db"), 2, "no database")
    assert list(tmp_path.iterdir()) == []


# A released version 2 does not exist yet; this runs the real CLI in a process whose
# registry has one extra step, so `migrate` has real work to plan and do.
WITH_STEP_TWO = """
import sys
from peewee import CharField
from playhouse.migrate import SqliteMigrator, migrate
from store import migrations, models

def add_mood(database):
    migrate(SqliteMigrator(database).add_column("coaching_sessions", "mood", CharField(default="")))

models.SCHEMA_VERSION = 2
migrations.STEPS = {1: migrations.Step(1, "add a mood to each session", add_mood)}
from cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def trellis_with_step_two(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WITH_STEP_TWO, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen"},
    )


def test_migrate_dry_run_prints_the_steps_and_changes_nothing(tmp_path):
    db = tmp_path / "trellis.db"
    shutil.copyfile(FIXTURE_V1, db)
    before = db.read_bytes()
    result = trellis_with_step_two("migrate", "--dry-run", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "schema 1 -> 2: add a mood to each session" in result.stdout
    assert "nothing was changed" in result.stdout
    assert db.read_bytes() == before and backups_of(db) == []


def test_migrate_backs_up_then_brings_the_file_to_the_current_schema(tmp_path):
    db = tmp_path / "trellis.db"
    shutil.copyfile(FIXTURE_V1, db)
    before = db.read_bytes()
    result = trellis_with_step_two("migrate", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert user_version(db) == 2
    (made,) = backups_of(db)
    assert "before-migration-v1" in made.name and user_version(made) == 1
    assert exported_fixture_rows(made) == exported_fixture_rows_from_bytes(before, tmp_path)


def exported_fixture_rows(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM commitments ORDER BY id").fetchall()
    finally:
        conn.close()


def exported_fixture_rows_from_bytes(data: bytes, tmp_path: Path) -> list:
    copy = tmp_path / "original.db"
    copy.write_bytes(data)
    return exported_fixture_rows(copy)
