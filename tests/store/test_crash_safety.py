"""Crash safety: SIGKILL mid-write, two writers, a busy file, a full or read-only disk."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import OperationalError

from store import ops, sqlite
from store.exchange import export_document
from store.locking import explain_storage_error
from store.models import database
from store.opening import close_database, open_database

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WRITER = HERE / "crash_writer.py"

# Where each reported operation must be visible afterwards.
PROOF = {
    "outcome": "SELECT count(*) FROM targets WHERE id = ?",
    "commitment": "SELECT count(*) FROM commitments WHERE id = ?",
    "link": (
        "SELECT (SELECT count(*) FROM target_goal_links WHERE id = ?1)"
        " + (SELECT count(*) FROM commitment_target_links WHERE id = ?1)"
    ),
    "position": "SELECT count(*) FROM node_positions WHERE item_id = ?",
    "completed": "SELECT count(*) FROM commitments WHERE id = ? AND status = 'completed'",
    "deleted": "SELECT count(*) FROM commitments WHERE id = ? AND deleted_at IS NOT NULL",
}


@pytest.fixture
def seeded(tmp_path):
    """A closed database with one client and goal for the children to write under."""
    path = tmp_path / "trellis.db"
    open_database(path)
    client = ops.create_client("Ana Silva")
    goal = ops.create_goal(client["id"], "Run a marathon")
    close_database()
    return path, client["id"], goal["id"]


def start_writer(db: Path, root: str, goal: str, tag: str, rounds: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), root, goal, tag, str(rounds)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(proc: subprocess.Popen, lines: int) -> list[list[str]]:
    """Read `lines` success reports, SIGKILL the writer, then collect what it had already sent."""
    reported = []
    for line in proc.stdout:
        reported.append(line.split())
        if len(reported) >= lines:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reported += [line.split() for line in proc.stdout.read().splitlines()]
    proc.stdout.close()
    proc.stderr.close()
    return [r for r in reported if r[0] in PROOF]


def assert_sound_and_complete(db: Path, reported: list[list[str]]) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        missing = [r for r in reported if conn.execute(PROOF[r[0]], [r[1]]).fetchone()[0] != 1]
        assert missing == []
    finally:
        conn.close()


def test_sigkill_in_the_middle_of_many_writes_loses_no_reported_operation(seeded):
    db, root, goal = seeded
    everything = []
    for attempt, lines in enumerate((7, 23, 41, 64)):
        proc = start_writer(db, root, goal, f"run{attempt}", rounds=1000)
        everything += kill_after(proc, lines)
        assert_sound_and_complete(db, everything)
    assert len(everything) >= 7 + 23 + 41 + 64
    open_database(db)
    try:
        ops.create_goal(root, "Still writable after four crashes")
    finally:
        close_database()


def test_two_writers_at_once_both_finish_and_nothing_is_lost(seeded):
    db, root, goal = seeded
    procs = [start_writer(db, root, goal, tag, rounds=6) for tag in ("left", "right")]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.rstrip().endswith("done left") or out.rstrip().endswith("done right")
    reported = [line.split() for out, _ in outputs for line in out.splitlines()]
    reported = [r for r in reported if r[0] in PROOF]
    assert len(reported) == 2 * 6 * 9
    assert_sound_and_complete(db, reported)


def test_a_writer_that_outwaits_the_busy_timeout_gets_a_clear_refusal_and_writes_nothing(
    seeded, monkeypatch
):
    db, root, _goal = seeded
    monkeypatch.setitem(sqlite.PRAGMAS, "busy_timeout", 100)
    open_database(db)
    before = export_document()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError) as caught:
            ops.create_goal(root, "Blocked by the other writer")
        sentence = explain_storage_error(caught.value, db)
        assert sentence.startswith("The database trellis.db is busy: another Trellis")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert export_document() == before
    ops.create_goal(root, "Written once the other writer let go")
    close_database()


def test_a_full_database_refuses_the_write_with_a_sentence_and_keeps_everything(seeded):
    """max_page_count makes SQLite answer SQLITE_FULL exactly as a full disk does."""
    db, root, _goal = seeded
    open_database(db)
    before = export_document()
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(OperationalError) as caught:
        ops.create_goal(root, "Too big to fit", description="words " * 3000)
    assert "is full" in explain_storage_error(caught.value, db)
    assert export_document() == before
    close_database()
    open_database(db)
    assert export_document() == before
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    close_database()


# ---------------------------------------------------------------- a real tiny disk


@pytest.fixture(scope="module")
def tiny_disk(tmp_path_factory):
    """The CLI run on a 2 MB tmpfs mounted in a user namespace (see tiny_disk.py)."""
    workdir = tmp_path_factory.mktemp("tiny")
    done = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            sys.executable,
            str(HERE / "tiny_disk.py"),
            str(workdir),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def one_sentence(result: dict, *words: str) -> None:
    assert result["rc"] == 2
    lines = result["stderr"].splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: "), result["stderr"]
    assert "Traceback" not in result["stderr"]
    assert all(word in lines[0] for word in words), lines[0]


def test_a_full_disk_gives_one_sentence_and_exit_2_whether_or_not_the_app_is_open(tiny_disk):
    for state in ("full_open", "full_closed"):
        one_sentence(tiny_disk[state]["demo"], "trellis.db", "is full")
        one_sentence(tiny_disk[state]["backup"], "No backup was made", "is full")


def test_a_full_disk_loses_nothing_and_leaves_no_half_backup(tiny_disk):
    assert tiny_disk["after_full"] == tiny_disk["start"]
    assert tiny_disk["start"]["integrity"] == [["ok"]]
    assert tiny_disk["backups_when_full"] == tiny_disk["backups_before"]
    assert tiny_disk["demo_with_space"]["rc"] == 0


def test_a_read_only_disk_gives_one_sentence_and_exit_2_and_loses_nothing(tiny_disk):
    one_sentence(tiny_disk["readonly"]["demo"], "trellis.db", "read-only")
    one_sentence(tiny_disk["readonly"]["backup"], "read-only")
    assert tiny_disk["after_readonly"] == tiny_disk["start"]
    assert tiny_disk["backups_after"] == tiny_disk["backups_before"]


def test_a_full_disk_refuses_an_export_onto_it_and_leaves_no_truncated_file(tiny_disk):
    assert tiny_disk["outside_demo"]["rc"] == 0
    one_sentence(tiny_disk["full_export"], "Cannot export to", "out.json", "No space left")
    assert tiny_disk["export_left_behind"] is False


def test_backup_to_or_export_onto_a_read_only_disk_names_the_disk_not_a_partial_file(tiny_disk):
    one_sentence(tiny_disk["readonly_backup_to"], "No backup was made", "read-only disk")
    assert ".partial" not in tiny_disk["readonly_backup_to"]["stderr"]
    one_sentence(tiny_disk["readonly_export"], "Cannot export to", "Read-only file system")
