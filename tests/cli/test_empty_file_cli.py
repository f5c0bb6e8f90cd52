"""A command that reads, or changes what is there, pointed at an empty file (0 bytes, or
SQLite's blank file), refuses in one sentence and leaves it exactly as it was: opening it would
have written a new database's schema into it. The commands that make a database (demo, import)
still open an empty file as new."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from tests.cli.conftest import listing, run_trellis

# (arguments, the verb the refusal says)
READERS = [
    (("report", "--client", "Maya Okafor", "--to", "{dir}/r.pdf"), "report on"),
    (("digest", "--client", "Maya Okafor"), "read"),
    (("digest", "--client", "Maya Okafor", "--since", "2026-01-01", "--markdown"), "read"),
    (("check",), "check"),
    (("check", "--json"), "check"),
    (("export", "--to", "{dir}/out.json"), "export"),
    (("trash",), "list"),
    (("commitments", "--client", "Maya Okafor"), "list"),
    (("backup",), "back up"),
    (("backup", "--to", "{dir}/copy.db"), "back up"),
    (("migrate",), "migrate"),
    (("migrate", "--dry-run"), "migrate"),
    # These change a database, but nothing in an empty one: they refuse it too.
    (("restore-item", "some-id"), "restore"),
    (("purge", "some-id", "--yes"), "purge"),
    (("check", "--fix"), "check"),
]


def blank_sqlite_file(path) -> None:
    """A SQLite file with a header and no table (what sqlite3 leaves after a drop)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()


@pytest.fixture(params=["zero bytes", "blank SQLite file"])
def empty_db(request, tmp_path):
    path = tmp_path / "empty.db"
    if request.param == "zero bytes":
        path.write_bytes(b"")
    else:
        blank_sqlite_file(path)
    return path


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("args", "verb"), READERS, ids=[" ".join(a) for a, _ in READERS])
def test_a_reading_command_refuses_an_empty_file_and_leaves_it_as_it_was(
    empty_db, tmp_path, args, verb
):
    before, files = sha256(empty_db), listing(tmp_path)
    args = tuple(a.replace("{dir}", str(tmp_path)) for a in args)
    result = run_trellis(*args, db=empty_db)
    assert result.stderr == f"trellis: {empty_db} is empty, so there is nothing to {verb}.\n"
    assert result.returncode == 2 and result.stdout == ""
    assert sha256(empty_db) == before and listing(tmp_path) == files


def test_the_refusal_of_a_zero_byte_file_leaves_it_at_zero_bytes(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run_trellis(
        "report", "--client", "Maya Okafor", "--to", str(tmp_path / "r.pdf"), db=empty
    )
    assert result.stderr == f"trellis: {empty} is empty, so there is nothing to report on.\n"
    assert result.returncode == 2
    assert empty.stat().st_size == 0 and listing(tmp_path) == ["empty.db"]


def test_copy_from_an_empty_file_refuses_and_writes_no_copy(empty_db, tmp_path):
    before, files = sha256(empty_db), listing(tmp_path)
    target = tmp_path / "copy.db"
    result = run_trellis("copy", "--from", str(empty_db), "--to", str(target))
    assert result.stderr == f"trellis: {empty_db} is empty, so there is nothing to copy.\n"
    assert result.returncode == 2
    assert sha256(empty_db) == before and listing(tmp_path) == files


def test_the_commands_that_make_a_database_still_make_it_in_an_empty_file(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    made = run_trellis("demo", db=empty)
    assert made.returncode == 0, made.stderr
    assert run_trellis("check", "--json", db=empty).returncode == 0
