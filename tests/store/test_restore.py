"""Restore: refusals leave the live file byte for byte; a restore is exact, atomic and undoable."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from store import backup, models, ops
from store.errors import DatabaseInUse, FileRefused, ValidationError
from store.exchange import export_document
from store.models import Client, database
from store.opening import close_database, open_database
from store.restore import restore_file
from tests.factories import another_programs_file
from tests.store.backup_support import corrupt_pages, export_of, file_state, pragma

FIXTURE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "schema_v1.db"


def change_everything(tree) -> None:
    """Edits of every sort after the backup: create, update, delete, link, unlink, move."""
    root = tree["root"]
    extra = ops.create_goal(root, "Learn Spanish")
    ops.update_item(tree["goal"], title="Run a fast marathon")
    ops.delete_item(tree["sprint"])
    link = ops.link_items(tree["outcome"], extra["id"])
    ops.set_link_weight(link["id"], 3)
    ops.unlink(ops.link_items(ops.create_outcome(root, "Swim")["id"], extra["id"])["id"])
    ops.set_positions(root, {tree["goal"]: (5.0, 6.0)})


def settled(db: Path) -> dict:
    """Checkpoint so the live file's bytes stop moving, then record them."""
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return file_state(db)


# ---------------------------------------------------------------- round trip and undo


def test_backup_change_restore_gives_back_exactly_the_backups_export(db, tree):
    exported_at_backup = export_document()
    made = backup.make_backup("manual")
    change_everything(tree)
    changed = export_document()
    assert changed != exported_at_backup
    report = restore_file(made)
    assert export_document() == exported_at_backup
    assert report.safety_backup is not None and report.migrated_from is None
    assert pragma(db, "integrity_check") == [("ok",)]


def test_restoring_the_safety_backup_undoes_the_restore(db, tree):
    made = backup.make_backup("manual")
    change_everything(tree)
    changed = export_document()
    report = restore_file(made)
    restore_file(report.safety_backup)
    assert export_document() == changed


def test_after_a_restore_the_store_is_open_on_the_restored_file_and_writes_work(db, tree):
    made = backup.make_backup("manual")
    restore_file(made)
    assert models.current_path() == db and models.is_open()
    ops.create_client("Ben Ode")
    assert pragma(db, "journal_mode") == [("wal",)]
    assert {c.name for c in Client.select()} == {"Ana Silva", "Ben Ode"}


def test_restore_leaves_no_temporary_or_stale_side_files(db, tree):
    made = backup.make_backup("manual")
    restore_file(made)
    close_database()
    names = sorted(p.name for p in db.parent.iterdir())
    assert names == ["backups", db.name]


def test_restore_into_a_path_with_no_database_yet_needs_no_safety_backup(db, tree, tmp_path):
    made = backup.make_backup("manual")
    fresh = tmp_path / "new" / "fresh.db"
    fresh.parent.mkdir()
    report = restore_file(made, fresh)
    assert report.safety_backup is None
    assert export_of(fresh, tmp_path) == export_document()


def test_restore_reads_a_source_whose_changes_are_still_in_its_wal(db, tree, tmp_path):
    """A copy of another live database: committed rows still in its -wal must come along."""
    other = tmp_path / "other.db"
    close_database()
    shutil.copyfile(db, other)
    open_database(db)
    writer = sqlite3.connect(other)
    writer.execute("PRAGMA journal_mode = wal")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE clients SET name = 'Renamed in the WAL'")
    writer.commit()
    try:
        restore_file(other)
    finally:
        writer.close()
    assert [c.name for c in Client.select()] == ["Renamed in the WAL"]


def test_a_damaged_live_database_is_replaced_and_its_bytes_are_kept(db, tree):
    made = backup.make_backup("manual")
    exported = export_document()
    close_database()
    corrupt_pages(db)
    damaged = db.read_bytes()
    report = restore_file(made, db)
    assert backup.parse_name(report.safety_backup, db)[1] == "damaged"
    assert header_aside(report.safety_backup.read_bytes()) == header_aside(damaged)
    open_database(db)
    assert export_document() == exported


def header_aside(data: bytes) -> bytes:
    """A file's bytes but the header fields that sole use rewrites before the safety copy:
    leaving WAL mode sets the journal-mode bytes (18-19) and the change counter (24-27, 92-95)."""
    return data[:18] + data[20:24] + data[28:92] + data[96:]


# ---------------------------------------------------------------- refusals


def refuse(db: Path, source: Path, match: str, error=FileRefused) -> None:
    """Restoring `source` is refused with `match` and changes nothing at all."""
    before = settled(db)
    backups_before = backup.backup_files(db)
    exported = export_document()
    source_before = source.read_bytes() if source.exists() else None
    with pytest.raises(error, match=match):
        restore_file(source)
    assert file_state(db) == before
    assert backup.backup_files(db) == backups_before
    assert not any(p.name.endswith(".restoring") for p in db.parent.iterdir())
    assert export_document() == exported
    assert (source.read_bytes() if source.exists() else None) == source_before


def test_a_file_that_is_not_sqlite_is_refused(db, tree, tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("Session notes, not a database.\n" * 200)
    refuse(db, text, "not a SQLite file")


def test_an_empty_file_is_refused(db, tree, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    refuse(db, empty, "is empty")


def test_another_programs_sqlite_file_is_refused(db, tree, tmp_path):
    other = another_programs_file(
        tmp_path / "photos.db", "photos (id INTEGER PRIMARY KEY, path TEXT)"
    )
    refuse(db, other, "another program")


def test_a_truncated_backup_is_refused(db, tree, tmp_path):
    made = backup.make_backup("manual")
    cut = tmp_path / "cut.db"
    data = made.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    refuse(db, cut, "truncated")


def test_a_backup_cut_mid_page_is_refused(db, tree, tmp_path):
    made = backup.make_backup("manual")
    cut = tmp_path / "cut.db"
    cut.write_bytes(made.read_bytes()[:-100])
    refuse(db, cut, "truncated")


def test_a_corrupt_backup_is_refused(db, tree, tmp_path):
    made = backup.make_backup("manual")
    broken = tmp_path / "broken.db"
    shutil.copyfile(made, broken)
    corrupt_pages(broken)
    refuse(db, broken, "damaged")


def test_a_backup_from_a_newer_schema_is_refused(db, tree, tmp_path):
    made = backup.make_backup("manual")
    newer = tmp_path / "newer.db"
    shutil.copyfile(made, newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {models.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    refuse(db, newer, "newer Trellis")


def test_a_missing_file_is_refused(db, tree, tmp_path):
    refuse(db, tmp_path / "nowhere.db", "There is no file", error=Exception)


def test_the_live_database_itself_is_refused(db, tree):
    refuse(db, db, "live database itself", error=ValidationError)


def test_restore_refuses_while_another_connection_has_the_database_open(db, tree):
    made = backup.make_backup("manual")
    ops.create_goal(tree["root"], "Written after the backup")
    other = sqlite3.connect(db)
    other.execute("SELECT count(*) FROM clients").fetchone()
    try:
        before = settled(db)
        exported = export_document()
        with pytest.raises(DatabaseInUse, match="has trellis.db open"):
            restore_file(made)
        assert export_document() == exported
        close_database()
        assert file_state(db) == before
        open_database(db)
    finally:
        other.close()
    restore_file(made)
    assert "Written after the backup" not in [g["title"] for g in export_document()["goals"]]


def test_restore_refuses_to_replace_another_programs_file(tmp_path, db, tree):
    made = backup.make_backup("manual")
    close_database()
    foreign = another_programs_file(tmp_path / "photos.db", "photos (id INTEGER PRIMARY KEY)")
    before = foreign.read_bytes()
    with pytest.raises(ValidationError, match="another program"):
        restore_file(made, foreign)
    assert foreign.read_bytes() == before


# ---------------------------------------------------------------- older files are migrated


def test_an_older_backup_is_migrated_on_restore_and_the_source_is_untouched(db, tree, tmp_path):
    # The released steps as they ship: store.sqlite refuses a column Trellis never makes, so a
    # made-up step (an extra column) can no longer stand in for them.
    source = tmp_path / "v1.db"
    shutil.copyfile(FIXTURE_V1, source)
    before = source.read_bytes()
    report = restore_file(source)
    assert report.migrated_from == 1
    assert pragma(db, "user_version") == [(models.SCHEMA_VERSION,)]
    # Schema 2's step: the old audit rows are there, and belong to no recorded operation.
    rows = database.execute_sql("SELECT count(*), count(operation_id) FROM audit_log").fetchall()
    assert rows[0][0] > 0 and rows[0][1] == 0
    assert source.read_bytes() == before
