"""Restore against other programs and odd files: sole use before the safety backup, symlinks,
leftovers of killed runs, the whole schema, pipes and devices (issue 11: 3, 5, 11, 12)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store import backup, leftovers, models, ops, restore
from store.errors import DatabaseInUse, FileRefused
from store.exchange import export_document
from store.models import database
from store.opening import close_database, open_database
from store.restore import restore_file
from tests.store.backup_support import export_of, file_state

REPO = Path(__file__).resolve().parents[2]


def settled(db: Path) -> dict:
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return file_state(db)


def goal_titles(doc: dict) -> set[str]:
    return {goal["title"] for goal in doc["goals"]}


def kept_anywhere(db: Path, scratch: Path) -> set[str]:
    """Goal titles in the live file or in any of its safety backups: where a write may be."""
    titles = goal_titles(export_of(db, scratch))
    for path, _taken, reason in backup.backup_files(db):
        if reason == "before-restore":
            titles |= goal_titles(export_of(path, scratch))
    return titles


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "cli", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env, timeout=120)


def other_clients_export(tmp_path: Path) -> Path:
    """A JSON export of another database: one client and five goals, six rows to import."""
    other = tmp_path / "other" / "laptop.db"
    other.parent.mkdir()
    bound = models.current_path()
    open_database(other)
    root = ops.create_client("Ben Ode")["id"]
    for n in range(5):
        ops.create_goal(root, f"Imported goal {n}")
    doc = export_document()
    close_database()
    if bound is not None:
        open_database(bound)
    path = tmp_path / "laptop.json"
    path.write_text(json.dumps(doc))
    return path


# ---------------------------------------------------------------- 3. sole use first


def test_an_import_tried_between_safety_backup_and_swap_is_refused_never_lost(
    db, tree, tmp_path, monkeypatch
):
    """The issue's case: `trellis import` from another process while a restore is under way."""
    made = backup.make_backup("manual")
    doc = other_clients_export(tmp_path)
    close_database()
    tried = {}
    real_backup = restore.take_safety_backup

    def backup_then_let_an_import_in(named: Path):
        safety = real_backup(named)
        tried["import"] = run_cli("import", str(doc), "--db", str(db))
        return safety

    monkeypatch.setattr(restore, "take_safety_backup", backup_then_let_an_import_in)
    restore_file(made, db)
    result = tried["import"]
    if result.returncode == 0:  # it said "Imported …": those goals must exist somewhere
        assert {f"Imported goal {n}" for n in range(5)} <= kept_anywhere(db, tmp_path)
    assert result.returncode == 2, result.stdout
    assert "busy" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_restoring_into_another_file_leaves_the_open_database_open(db, tree, tmp_path):
    made = backup.make_backup("manual")
    elsewhere = tmp_path / "elsewhere.db"
    shutil.copyfile(made, elsewhere)
    restore_file(made, elsewhere)
    assert models.current_path() == db and models.is_open()
    ops.create_goal(tree["root"], "Written after restoring elsewhere")


def test_an_opener_that_raced_the_swap_reconnects_to_the_restored_file(
    db, tree, tmp_path, monkeypatch
):
    """A connection made to the old file just before the rename would write into a file nobody
    sees again: open_database notices the file changed under it and opens the new one."""
    made = backup.make_backup("manual")
    ops.create_goal(tree["root"], "Only in the old file")
    close_database()
    real_connect = SqliteDatabase.connect
    swapped = {}

    def connect_then_restore_lands(self, *args, **kwargs):
        result = real_connect(self, *args, **kwargs)
        if not swapped:
            swapped["done"] = True
            replacement = db.with_name("replacement.db")
            shutil.copyfile(made, replacement)
            os.replace(replacement, db)  # what swap_in does, right after our connect
        return result

    # Every open makes its connection anew (store.sqlite.new_database), so the race is staged
    # on the class: the first connect of this open is followed at once by a restore's rename.
    with monkeypatch.context() as patch:
        patch.setattr(SqliteDatabase, "connect", connect_then_restore_lands)
        open_database(db)
    ops.create_goal(tree["root"], "Written after the race")
    close_database()
    titles = goal_titles(export_of(db, tmp_path))
    assert "Written after the race" in titles and "Only in the old file" not in titles


IDLE_WINDOW = """
import sys
sys.path.insert(0, {repo!r})
from store import ops
from store.opening import open_database
open_database(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
ops.create_goal(sys.argv[2], "Written by the idle window")
print("ok", flush=True)
"""


def test_a_window_that_opened_a_just_restored_file_and_read_nothing_yet_stops_a_restore(
    db, tree, tmp_path
):
    """After a restore the file is out of WAL mode; a connection that has only switched it back
    holds no lock until it reads, so sole use would not see it without open_database's read."""
    made = backup.make_backup("manual")
    close_database()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")  # as a restore leaves the file
    conn.close()
    script = IDLE_WINDOW.format(repo=str(REPO))
    window = subprocess.Popen(
        [sys.executable, "-c", script, str(db), tree["root"]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert window.stdout.readline() == "open\n"
        with pytest.raises(DatabaseInUse):
            restore_file(made, db)
    finally:
        out, _err = window.communicate("\n", timeout=120)
    assert out == "ok\n"
    assert "Written by the idle window" in kept_anywhere(db, tmp_path)


def test_sqlites_locking_protocol_error_reads_as_a_busy_database():
    """What a writer racing a refused restore may get (SQLITE_PROTOCOL, then a failed rollback)."""
    import peewee

    from store.locking import explain_storage_error

    try:
        try:
            raise sqlite3.OperationalError("locking protocol")
        except sqlite3.OperationalError as exc:
            raise peewee.OperationalError("cannot rollback - no transaction is active") from exc
    except peewee.OperationalError as exc:
        sentence = explain_storage_error(exc, Path("live.db"))
    assert sentence.startswith("The database live.db is busy") and "Nothing was changed" in sentence


# ---------------------------------------------------------------- 5. symlinks


def test_restore_through_a_symlink_replaces_the_file_it_points_to_and_keeps_the_link(
    db, tree, tmp_path
):
    made = backup.make_backup("manual")
    at_backup = export_document()
    ops.create_goal(tree["root"], "After the backup")
    close_database()
    link = tmp_path / "shortcut" / "coach.db"
    link.parent.mkdir()
    link.symlink_to(db)
    open_database(link)
    report = restore_file(made)
    assert link.is_symlink() and os.readlink(link) == str(db)
    assert report.live == link and report.safety_backup is not None
    assert export_document() == at_backup
    close_database()
    assert export_of(db, tmp_path) == at_backup
    # The safety backup is keyed by the real file, beside it, like every backup of it.
    assert sorted(p.name for p in link.parent.iterdir()) == ["coach.db"]
    assert report.safety_backup.parent == db.parent / "backups"
    assert not any(p.name.endswith(".restoring") for p in db.parent.iterdir())


# ---------------------------------------------------------------- 5. leftovers of killed runs


KILLED_MID_WRITE = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE clients SET name = name || ' (half written)'")
conn.execute("UPDATE audit_log SET after = after")
os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_mid_write(path: Path, made: Path) -> list[Path]:
    """A copy of `made` at `path` whose writer was SIGKILLed mid-transaction (a hot journal)."""
    shutil.copyfile(made, path)
    proc = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(path)], timeout=60)
    assert proc.returncode == -signal.SIGKILL
    files = [path, *[Path(f"{path}{s}") for s in ("-journal", "-wal", "-shm")]]
    return [f for f in files if f.exists()]


def long_ago(paths: list[Path]) -> None:
    """As a run killed a while back left them (a run still writing touches its files)."""
    past = time.time() - leftovers.QUIET_SECONDS - 60
    for path in paths:
        os.utime(path, (past, past), follow_symlinks=False)


def test_opening_removes_what_killed_restores_and_backups_left(db, tree, tmp_path):
    made = backup.make_backup("manual")
    close_database()
    folder = backup.backups_dir(db)
    restoring = killed_mid_write(db.with_name(f".{db.name}.0badcafe.restoring"), made)
    stamp = backup.backup_name(db, "manual", datetime(2026, 1, 2, 3, 4, 5))
    partial = killed_mid_write(folder / f".{stamp}.partial", made)
    beside = killed_mid_write(db.with_name(".usb-copy.db.partial"), made)
    assert any(p.name.endswith(".partial-journal") for p in partial)
    long_ago(restoring + partial + beside)
    kept = files_not_ours(db, tmp_path)
    with_writer = files_a_backup_is_writing(db, made)
    try:
        open_database(db)
        close_database()
    finally:
        with_writer["holder"].close()
    assert not [p for p in restoring + partial + beside if os.path.lexists(p)]
    for path, data in kept.items():
        assert (os.readlink(path) if path.is_symlink() else path.read_bytes()) == data, path
    assert with_writer["fresh"].exists() and with_writer["locked"].exists()
    assert [path for path, _taken, _reason in backup.backup_files(db)] == [made]
    assert export_of(db, tmp_path) == export_of(made, tmp_path)


def files_not_ours(db: Path, tmp_path: Path) -> dict[Path, bytes | str]:
    """Files beside the database and in its backups folder that merely look like leftovers:
    other names, another program's text, another database's, a symlink (never followed)."""
    folder = backup.backups_dir(db)
    another = backup.backup_name(tmp_path / "coach.sqlite", "manual", datetime.now())
    kept: dict[Path, bytes | str] = {
        db.with_name("notes.partial"): b"SQLite format 3\x00",
        db.with_name(".notes.txt.partial"): b"my notes, not a database",
        db.with_name(f"{db.name}.restoring"): b"",
        db.with_name(".coach.sqlite.restoring"): b"",
        folder / f".{another}.partial": b"",
        folder / ".holiday-photos.partial": b"",
    }
    for path, data in kept.items():
        path.write_bytes(data)
    precious = tmp_path / "precious.db"
    shutil.copyfile(db, precious)
    trap = db.with_name(".trap.db.partial")
    trap.symlink_to(precious)
    kept[trap] = str(precious)
    kept[precious] = precious.read_bytes()
    long_ago(list(kept))
    return kept


def files_a_backup_is_writing(db: Path, made: Path) -> dict:
    """Ours, but in use: one written a moment ago, one old but locked by a live connection."""
    fresh = db.with_name(".fresh.db.partial")
    shutil.copyfile(made, fresh)
    locked = backup.backups_dir(db) / f".{backup.backup_name(db, 'manual', datetime.now())}.partial"
    shutil.copyfile(made, locked)
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN IMMEDIATE")
    long_ago([locked])
    return {"fresh": fresh, "locked": locked, "holder": holder}


# ---------------------------------------------------------------- 12. the whole schema


def refuse(db: Path, source: Path, *words: str) -> None:
    """Restoring `source` is refused with `words` and nothing at all changes."""
    before = settled(db)
    backups_before = backup.backup_files(db)
    exported = export_document()
    with pytest.raises(FileRefused) as refused:
        restore_file(source)
    message = str(refused.value)
    assert all(w in message for w in words), message
    assert db.name not in message.replace(source.name, "")
    assert ".restoring" not in message
    assert file_state(db) == before and backup.backup_files(db) == backups_before
    assert export_document() == exported
    assert not any(p.name.endswith(".restoring") for p in db.parent.iterdir())


def altered_backup(db_dir: Path, name: str, *sql: str) -> Path:
    """A copy of a good backup with our application id and version, changed by `sql`."""
    made = backup.make_backup("manual")
    copy = db_dir / name
    shutil.copyfile(made, copy)
    conn = sqlite3.connect(copy)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return copy


def test_a_file_with_our_id_and_version_but_a_missing_table_is_refused_naming_it(
    db, tree, tmp_path
):
    partial = altered_backup(tmp_path, "no-positions.db", "DROP TABLE node_positions")
    refuse(
        db, partial, "no-positions.db is not a complete Trellis database", "no table node_positions"
    )


def test_a_file_missing_a_column_is_refused_naming_the_table_and_column(db, tree, tmp_path):
    partial = altered_backup(
        tmp_path, "old-sessions.db", "ALTER TABLE coaching_sessions DROP COLUMN notes"
    )
    refuse(db, partial, "old-sessions.db", "table coaching_sessions has no column notes")


def test_an_older_file_missing_a_table_is_refused_before_it_is_migrated(
    db, tree, tmp_path, monkeypatch
):
    from store import migrations

    source = altered_backup(tmp_path, "v1-broken.db", "DROP TABLE audit_log")
    ran = []
    monkeypatch.setattr(models, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(
        migrations, "STEPS", {1: migrations.Step(1, "nothing", lambda _db: ran.append(1))}
    )
    refuse(db, source, "v1-broken.db", "no table audit_log")
    assert ran == []


def test_backup_verification_refuses_an_incomplete_copy_too(db, tree, tmp_path):
    partial = altered_backup(tmp_path, "gutted.db", "DROP TABLE target_sprint_links")
    with pytest.raises(FileRefused, match="no table target_sprint_links"):
        backup.check_file(partial)


# ---------------------------------------------------------------- 11. odd files, no traceback


def zero_page_size(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.seek(16)
        handle.write(b"\x00\x00")


def test_a_header_with_page_size_zero_is_refused_as_damaged(db, tree, tmp_path):
    made = backup.make_backup("manual")
    broken = tmp_path / "zero-page.db"
    shutil.copyfile(made, broken)
    zero_page_size(broken)
    refuse(db, broken, "zero-page.db is damaged", "page size")


def test_listing_marks_a_zero_page_size_backup_damaged_and_lists_the_rest(db, tree):
    good = backup.make_backup("manual")
    bad = backup.make_backup("manual")
    zero_page_size(bad)
    listed = {info.path: info for info in backup.list_backups(db)}
    assert listed[good].counts == {
        "client": 1,
        "goal": 1,
        "outcome": 1,
        "sprint": 1,
        "commitment": 1,
        "session": 0,
    }
    assert listed[bad].counts is None and "page size" in listed[bad].problem
    assert backup.newest_good_backup(db) == good


def test_a_named_pipe_as_the_source_is_refused_without_waiting_for_a_writer(db, tree, tmp_path):
    pipe = tmp_path / "backup.db"
    os.mkfifo(pipe)
    refuse(db, pipe, "backup.db is not a regular file", "named pipe")


def test_dev_zero_as_the_source_is_refused_as_a_device(db, tree):
    refuse(db, Path("/dev/zero"), "zero is not a regular file", "a device")


def test_a_named_pipe_as_the_database_is_refused_not_opened(tmp_path):
    pipe = tmp_path / "trellis.db"
    os.mkfifo(pipe)
    with pytest.raises(FileRefused, match="not a regular file"):
        open_database(pipe)
    assert not models.is_open()
