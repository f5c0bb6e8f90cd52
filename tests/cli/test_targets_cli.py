"""`export --to` and `backup --to` never write over a database or its side files (real CLI).

The database is held open by another connection, as while the app runs, so its -wal and -shm
files are there: JSON written into D-wal is read back as pages of D at the next checkpoint.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import json_out, listing, run_trellis
from tests.cli.test_backup_cli import one_line_error
from tests.cli.test_cli_mistakes import sha256, trashed_id


@pytest.fixture
def held_open(demo_db):
    """As while the app runs: a connection of its own keeps D-wal and D-shm in place."""
    keeper = sqlite3.connect(demo_db)
    keeper.execute("SELECT count(*) FROM clients").fetchall()
    assert Path(f"{demo_db}-wal").exists() and Path(f"{demo_db}-shm").exists()
    yield demo_db
    keeper.close()


def state(db: Path, out: Path) -> tuple[str, bytes]:
    """What a refusal must leave as it was: the file's bytes and everything in it."""
    result = run_trellis("export", "--to", str(out), db=db)
    assert result.returncode == 0, result.stderr
    return sha256(db), out.read_bytes()


def side(suffix: str):
    return lambda db, tmp: Path(f"{db}{suffix}")


def symlink_to(suffix: str):
    def make(db: Path, tmp: Path) -> Path:
        (tmp / "link.json").symlink_to(Path(f"{db}{suffix}"))
        return tmp / "link.json"

    return make


def hard_link_to(suffix: str):
    def make(db: Path, tmp: Path) -> Path:
        os.link(Path(f"{db}{suffix}"), tmp / "link.json")
        return tmp / "link.json"

    return make


TARGETS = {
    "wal": side("-wal"),
    "shm": side("-shm"),
    "journal": side("-journal"),  # not there in WAL mode, still the database's name
    "symlink-to-db": symlink_to(""),
    "hard-link-to-db": hard_link_to(""),
    "symlink-to-wal": symlink_to("-wal"),
    "hard-link-to-wal": hard_link_to("-wal"),
    "symlink-to-journal": symlink_to("-journal"),
}


@pytest.mark.parametrize("make", TARGETS.values(), ids=TARGETS.keys())
def test_export_to_the_database_or_a_side_file_of_it_is_refused_and_changes_nothing(
    held_open, tmp_path, make
):
    (tmp_path / "links").mkdir()
    target = make(held_open, tmp_path / "links")
    before = state(held_open, tmp_path / "before.json")
    result = run_trellis("export", "--to", str(target), db=held_open)
    one_line_error(result, 2, f"trellis: {target} is ", "an export would overwrite it")
    assert result.stdout == ""
    assert state(held_open, tmp_path / "after.json") == before
    assert sorted(p.name for p in (tmp_path / "links").iterdir()) in ([], ["link.json"])


BACKUP_TARGETS = {
    "wal": side("-wal"),
    "journal": side("-journal"),
    "hard-link-to-db": hard_link_to(""),
    "symlink-to-journal": symlink_to("-journal"),
}


@pytest.mark.parametrize("make", BACKUP_TARGETS.values(), ids=BACKUP_TARGETS.keys())
def test_backup_to_a_side_file_of_the_database_is_refused_and_changes_nothing(
    held_open, tmp_path, make
):
    (tmp_path / "links").mkdir()
    target = make(held_open, tmp_path / "links")
    before = state(held_open, tmp_path / "before.json")
    result = run_trellis("backup", "--to", str(target), db=held_open)
    one_line_error(result, 2, f"trellis: {target} is ", "a backup would overwrite it")
    assert state(held_open, tmp_path / "after.json") == before
    assert not Path(f"{held_open}-journal").exists()  # a hot journal would be rolled into D


def test_the_database_reads_and_writes_normally_after_the_refusals(held_open, tmp_path):
    for suffix in ("-wal", "-shm", "-journal"):
        assert run_trellis("export", "--to", f"{held_open}{suffix}", db=held_open).returncode == 2
        assert run_trellis("backup", "--to", f"{held_open}{suffix}", db=held_open).returncode == 2
    assert json_out(run_trellis("check", "--json", db=held_open))["ok"] is True
    restored = run_trellis("restore-item", trashed_id(held_open), db=held_open)
    assert restored.returncode == 0, restored.stderr  # writable: no stray journal made it read-only


def test_a_read_only_report_survives_a_refused_export_byte_for_byte(demo_db, tmp_path):
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_bytes(b'{"kept": "as it was"}\n')
    report.chmod(0o444)
    result = run_trellis("export", "--to", str(report), db=demo_db)
    assert result.stderr == (
        f"trellis: Cannot export to {report} (the file is read-only); nothing was exported.\n"
    )
    assert result.returncode == 2
    assert report.read_bytes() == b'{"kept": "as it was"}\n'
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("copy", "--from", "{db}", "--to", "{ro}/copy.db"),
            "trellis: Cannot write {ro}/copy.db: permission denied; "
            "choose a folder you can write to.\n",
        ),
        (
            ("export", "--db", "{db}", "--to", "{ro}/new/out.json"),
            "trellis: Cannot export to {ro}/new/out.json (Permission denied); "
            "nothing was exported.\n",
        ),
    ],
    ids=["copy", "export"],
)
def test_a_write_into_a_folder_it_cannot_write_names_the_file_asked_for_and_leaves_nothing(
    demo_db, read_only_folder, bound_by_permissions, args, said
):
    """Each writes through store.targets.write_atomically: its temporary file is never the one
    named, and neither it nor a folder made for it stays behind."""
    before = sha256(demo_db)
    fill = {"{db}": str(demo_db), "{ro}": str(read_only_folder)}
    for key, value in fill.items():
        args = tuple(a.replace(key, value) for a in args)
        said = said.replace(key, value)
    result = run_trellis(*args, preexec=bound_by_permissions)
    assert result.stderr == said
    assert result.returncode == 2
    assert listing(read_only_folder) == [] and sha256(demo_db) == before


def test_a_backup_into_a_folder_it_cannot_write_names_the_backup_not_its_temporary_file(
    demo_db, read_only_folder, bound_by_permissions
):
    """The file named is the one asked for, with what to do."""
    before = sha256(demo_db)
    target = read_only_folder / "copy.db"
    result = run_trellis("backup", "--to", str(target), db=demo_db, preexec=bound_by_permissions)
    assert result.returncode == 2
    assert result.stderr == (
        f"trellis: No backup was made: Cannot write {target}: permission denied; "
        "choose a folder you can write to.\n"
    )
    assert ".partial" not in result.stderr
    assert listing(read_only_folder) == [] and sha256(demo_db) == before
