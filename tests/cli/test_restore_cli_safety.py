"""`trellis restore` and `trellis backups` against odd files, as subprocesses (issue 11: 5, 11, 12):
each refusal is one sentence with exit 3 (file refused) or 2 (bad input), the live file's sha256
and its export stay the same, and nothing hangs."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

from tests.cli.conftest import json_out, run_trellis
from tests.cli.test_backup_cli import backups_of, one_line_error
from tests.cli.test_cli_mistakes import sha256


def made_backup(db: Path) -> Path:
    assert run_trellis("backup", db=db).returncode == 0
    return backups_of(db)[-1]


def state(db: Path, scratch: Path) -> tuple[str, bytes]:
    """The live file's sha256 and the bytes of its export (read before the digest changes)."""
    digest = sha256(db)
    out = scratch / f"export-{time.monotonic_ns()}.json"
    result = run_trellis("export", "--to", str(out), db=db)
    assert result.returncode == 0, result.stderr
    return digest, out.read_bytes()


def refused(db: Path, source: Path, code: int, *words: str, scratch: Path) -> None:
    """`restore SOURCE --yes` exits `code` with one sentence and changes nothing."""
    before = state(db, scratch)
    backups_before = backups_of(db)
    one_line_error(run_trellis("restore", str(source), "--yes", db=db), code, *words)
    assert state(db, scratch) == before
    assert backups_of(db) == backups_before
    assert not any(p.name.endswith(".restoring") for p in db.parent.iterdir())


def with_sql(made: Path, copy: Path, *sql: str) -> Path:
    shutil.copyfile(made, copy)
    conn = sqlite3.connect(copy)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return copy


def zero_page_size(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.seek(16)
        handle.write(b"\x00\x00")


# ---------------------------------------------------------------- 12. the whole schema


def test_restore_refuses_a_trellis_file_missing_a_table_naming_that_file(demo_db, tmp_path):
    broken = with_sql(made_backup(demo_db), tmp_path / "half.db", "DROP TABLE target_goal_links")
    refused(
        demo_db,
        broken,
        3,
        "half.db is not a complete Trellis database (no table target_goal_links)",
        scratch=tmp_path,
    )


def test_restore_refuses_a_trellis_file_missing_a_column(demo_db, tmp_path):
    broken = with_sql(
        made_backup(demo_db), tmp_path / "thin.db", "ALTER TABLE commitments DROP COLUMN priority"
    )
    refused(
        demo_db, broken, 3, "thin.db", "table commitments has no column priority", scratch=tmp_path
    )


# ---------------------------------------------------------------- 11. page size zero


def test_a_backup_with_page_size_zero_is_refused_and_listed_as_damaged_among_the_rest(
    demo_db, tmp_path
):
    good = made_backup(demo_db)
    bad = made_backup(demo_db)
    zero_page_size(bad)
    refused(demo_db, bad, 3, bad.name, "damaged", "page size", scratch=tmp_path)
    listing = run_trellis("backups", db=demo_db)
    assert listing.returncode == 0 and listing.stderr == "", listing.stderr
    lines = listing.stdout.splitlines()
    assert len(lines) == 2
    assert any(str(good) in line and "2 clients" in line for line in lines)
    assert any(str(bad) in line and "page size" in line for line in lines)
    listed = {item["path"]: item for item in json_out(run_trellis("backups", "--json", db=demo_db))}
    assert listed[str(good)]["counts"]["client"] == 2 and listed[str(good)]["problem"] is None
    assert listed[str(bad)]["counts"] is None and "page size" in listed[str(bad)]["problem"]


# ---------------------------------------------------------------- 11. pipes and devices


def test_restore_from_a_named_pipe_is_refused_at_once_not_read(demo_db, tmp_path):
    pipe = tmp_path / "incoming.db"
    os.mkfifo(pipe)
    refused(demo_db, pipe, 3, "incoming.db is not a regular file", "named pipe", scratch=tmp_path)


def test_restore_from_dev_zero_is_refused_as_a_device(demo_db, tmp_path):
    refused(demo_db, Path("/dev/zero"), 3, "zero is not a regular file", "device", scratch=tmp_path)


def test_restore_from_a_character_device_is_refused(demo_db, tmp_path):
    refused(demo_db, Path("/dev/null"), 3, "null is not a regular file", "device", scratch=tmp_path)


def test_restore_into_a_named_pipe_as_db_is_refused_and_does_not_hang(demo_db, tmp_path):
    made = made_backup(demo_db)
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    result = run_trellis("restore", str(made), "--yes", db=pipe)
    one_line_error(result, 2, "pipe.db is not a regular file", "will not replace it")
    assert Path(pipe).is_fifo()


def test_check_on_a_named_pipe_as_db_is_refused_not_opened(tmp_path):
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    one_line_error(run_trellis("check", db=pipe), 3, "pipe.db is not a regular file")


# ---------------------------------------------------------------- 5. symlinks and leftovers


def test_restore_through_a_symlinked_db_fills_the_file_it_names_and_keeps_the_link(
    demo_db, tmp_path
):
    made = made_backup(demo_db)
    at_backup = state(demo_db, tmp_path)[1]
    trashed = json_out(run_trellis("trash", "--json", db=demo_db))
    assert run_trellis("restore-item", trashed[0]["id"], db=demo_db).returncode == 0
    link = tmp_path / "link" / "coach.db"
    link.parent.mkdir()
    link.symlink_to(demo_db)
    result = run_trellis("restore", str(made), "--yes", db=link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(demo_db)
    assert state(demo_db, tmp_path)[1] == at_backup
    assert state(link, tmp_path)[1] == at_backup


def test_the_next_command_removes_what_a_killed_restore_left(demo_db, tmp_path):
    made = made_backup(demo_db)
    leftovers = [demo_db.with_name(f".{demo_db.name}.restoring{s}") for s in ("", "-journal")]
    shutil.copyfile(made, leftovers[0])
    leftovers[1].write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    stranger = demo_db.with_name("restoring-notes.txt")
    stranger.write_text("not ours")
    past = time.time() - 3600
    for path in [*leftovers, stranger]:
        os.utime(path, (past, past))
    assert run_trellis("check", db=demo_db).returncode == 0
    assert not any(path.exists() for path in leftovers)
    assert stranger.read_text() == "not ours"
