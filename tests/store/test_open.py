"""Opening files: pragmas on every connection, our header, refusal of foreign and newer files."""

import sqlite3

import pytest

from store import opening
from store.errors import FileRefused
from store.models import SCHEMA_VERSION, database
from store.opening import close_database, open_database
from store.sqlite import APPLICATION_ID
from tests.factories import another_programs_file


def test_new_database_carries_our_application_id_and_schema_version(db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_every_connection_gets_the_safety_pragmas(db):
    database.close()
    database.connect()
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("foreign_keys") == 1
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("busy_timeout") == 5000


def test_reopening_our_file_keeps_its_data(db):
    from store import ops

    ops.create_client("Ana")
    close_database()
    open_database(db)
    assert [c["name"] for c in __import__("store.load").load.list_clients()] == ["Ana"]


def test_a_text_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just notes\n" * 10)
    before = path.read_bytes()
    with pytest.raises(FileRefused, match="not a SQLite file"):
        open_database(path)
    assert path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = another_programs_file(tmp_path / "other.db", "things (id INTEGER)")
    before = path.read_bytes()
    with pytest.raises(FileRefused, match="another program"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_from_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    open_database(path)
    database.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    close_database()
    before = path.read_bytes()
    with pytest.raises(FileRefused, match="newer Trellis"):
        open_database(path)
    assert path.read_bytes() == before


def test_an_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    open_database(path)
    assert opening.identify(path) == SCHEMA_VERSION
    close_database()


def test_data_version_moves_only_when_another_connection_commits(db):
    from store import ops
    from store.opening import data_version

    start = data_version()
    ops.create_client("Our own write")
    assert data_version() == start
    other = sqlite3.connect(db)
    with other:
        other.execute("SELECT count(*) FROM clients").fetchone()  # a read commits nothing
    assert data_version() == start
    with other:
        other.execute("UPDATE clients SET notes = 'from elsewhere'")
    assert data_version() != start
    other.close()


def test_data_version_is_none_when_the_file_cannot_be_read(tmp_path):
    from store.opening import data_version

    path = tmp_path / "gone" / "trellis.db"
    open_database(path)
    close_database()
    path.unlink()
    path.parent.rmdir()  # and its folder: SQLite cannot even create it again
    assert data_version() is None
    close_database()
