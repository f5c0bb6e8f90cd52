"""Opening the database: pragmas on every connection, our application id, the schema version.

Everything SQLite-specific about the connection lives here, so a PostgreSQL database later
only has to replace this module.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from peewee import DatabaseError, SqliteDatabase

from store.errors import FileRefused

# "TRLS": lets us recognise our own files and refuse everything else.
APPLICATION_ID = 0x54524C53
SCHEMA_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"

# synchronous=full: a coach's records matter more than write speed, and WAL keeps it fast enough.
PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": "full",
    "busy_timeout": 5000,
}

# BEGIN IMMEDIATE: a transaction takes the write lock when it starts, waiting up to busy_timeout
# for another writer. A plain BEGIN reads first and then fails at once with "database is locked"
# when another process wrote in between (WAL cannot upgrade a stale snapshot to a writer).
database = SqliteDatabase(None, lock_type="IMMEDIATE")


def inspect_file(path: Path) -> tuple[int, int] | None:
    """Return (application_id, user_version) of an existing file, None if it is new or empty.

    Raises FileRefused when the file is not a SQLite database at all or cannot be read.
    """
    path = Path(path)
    if not path.exists():
        return None
    refuse_special_file(path)
    if path.stat().st_size == 0:
        return None
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        raise FileRefused(f"{path.name} is not a Trellis database (it is not a SQLite file).")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        # Cannot open or read it (full disk, read-only disk, busy): not damage; the CLI and app
        # explain these through store.locking.explain_storage_error.
        raise
    except sqlite3.DatabaseError as exc:
        raise FileRefused(f"{path.name} is damaged and cannot be read ({exc}).") from exc
    if app_id == 0 and tables == 0:
        return None
    return app_id, version


# What a path is when it is neither a file nor a folder (os.stat's mode bits).
SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_file_kind(path: Path) -> str | None:
    """ "a named pipe", "a device"… for a path that exists but is no file or folder, else None.

    Asked of the path itself (os.stat, following symlinks) because opening a FIFO to read its
    header would wait forever for a writer, and /dev/zero never ends.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return next((kind for test, kind in SPECIAL_FILES if test(mode)), None)


def refuse_special_file(path: Path) -> None:
    kind = special_file_kind(path)
    if kind is not None:
        raise FileRefused(
            f"{Path(path).name} is not a regular file (it is {kind}), so it is not a Trellis "
            "database; give the database file itself."
        )


def refuse_unless_ours(path: Path) -> int | None:
    """Return the schema version of a Trellis file (None if new); refuse foreign or newer files."""
    found = inspect_file(path)
    if found is None:
        return None
    app_id, version = found
    if app_id != APPLICATION_ID:
        raise FileRefused(
            f"{Path(path).name} is a SQLite file from another program, not a Trellis database."
        )
    if version > SCHEMA_VERSION:
        raise FileRefused(
            f"{Path(path).name} was written by a newer Trellis (schema {version}; this one reads "
            f"up to {SCHEMA_VERSION}): update Trellis to open it."
        )
    return version


def open_database(path: str | Path) -> SqliteDatabase:
    """Open (creating if new) the Trellis database at `path` and bind every model to it."""
    from store import leftovers, migrations, models

    path = Path(path)
    for _attempt in range(REOPEN_ATTEMPTS):
        identity = file_identity(path)
        version = refuse_unless_ours(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        close_database()
        database.init(str(path), pragmas=PRAGMAS)
        database.connect()
        hold_the_file(path)
        if identity is None or file_identity(path) == identity:
            break
        # A restore renamed a new file over this one while we connected: our connection holds
        # the old file, which nobody will see again, so every write to it would be lost.
        close_database()
    else:
        raise FileRefused(f"{path.name} kept being replaced while it was opened; try again.")
    if version is None:
        models.create_schema(database)
        stamp(database, SCHEMA_VERSION)
    elif version < SCHEMA_VERSION:
        migrations.upgrade(database, path, version)
    # What killed restores and backups left; a run still under way keeps its files.
    leftovers.remove_leftovers(path)
    return database


def hold_the_file(path: Path) -> None:
    """Read once, so this connection holds the file from now on, and check it is in WAL mode.

    A connection that has only switched a file to WAL holds no lock until it first reads, so a
    restore (store.locking.sole_use) would not see it and would replace the file under it.
    Not in WAL mode after that read means a restore has taken the file meanwhile.
    """
    from store.locking import DatabaseInUse, disk_condition

    database.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    if str(path) == ":memory:":
        return  # no file to share or replace
    if database.execute_sql("PRAGMA journal_mode").fetchone()[0] == PRAGMAS["journal_mode"]:
        return
    if not os.access(path, os.W_OK) or disk_condition(path) == "readonly":
        return  # a read-only file cannot leave its mode; its first write explains itself
    close_database()
    raise DatabaseInUse(
        f"The database {path.name} is being restored or replaced by another Trellis window "
        "or command; try again in a moment (nothing was changed)."
    )


# A restore takes seconds; being replaced this many times in a row means something is wrong.
REOPEN_ATTEMPTS = 3


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file `path` names now (device, inode), None if there is none yet."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def stamp(db: SqliteDatabase, version: int) -> None:
    """Write our application id and the schema version into the file header."""
    db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute_sql(f"PRAGMA user_version = {int(version)}")


def close_database() -> None:
    """Close the connection if one is open (safe to call twice)."""
    if not database.is_closed():
        database.close()


def data_version() -> int | None:
    """A number that changes when another connection (a second window, the command line)
    commits to the open database; this connection's own commits leave it as it is. None if
    the file cannot be read just now (a drive gone, for instance): ask again later."""
    try:
        return database.execute_sql("PRAGMA data_version").fetchone()[0]
    except DatabaseError:
        return None


def current_path() -> Path | None:
    """The file the store is bound to, or None before open_database."""
    return Path(database.database) if database.database else None
