"""Reading a legacy coaching database (seed 000, "Current Database Structure") read-only.

The file is opened through a `file:...?mode=ro` URI, so SQLite itself refuses to write it.
Whatever tables and columns it has are read as plain dicts; what it lacks becomes a problem
in the report rather than an error, because real files are messy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store import sqlite
from store.errors import FileRefused, ValidationError
from store.paths import special_file_kind

# table -> (columns the old app always had: reported when missing, columns read if present)
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "clients": (("id", "name"), ("full_name", "email", "notes")),
    "coaching_sessions": (
        ("id", "client_id"),
        ("held_on", "session_date", "date", "scheduled_at", "scheduled_for", "started_at")
        + ("start_time", "title", "notes", "summary"),
    ),
    "client_goals": (
        ("id", "client_id", "title", "description", "category", "status", "progress")
        + ("target_date",),
        (),
    ),
    "sprints": (
        ("id", "client_id", "goal_id", "sprint_number", "title", "description", "start_date")
        + ("end_date", "status"),
        (),
    ),
    "targets": (
        ("id", "goal_id", "sprint_id", "title", "description", "status", "progress_percentage"),
        ("target_date", "order_index"),
    ),
    "commitments": (
        ("id", "client_id", "session_id", "sprint_id", "goal_id", "title", "description")
        + ("type", "status", "priority", "commit_metadata"),
        ("start_date", "target_date", "due_date", "completed_date", "progress_percentage"),
    ),
    "commitment_target_links": (("commitment_id", "target_id"), ("id",)),
}
# Read from every table that has them; never reported when absent.
EVERYWHERE = ("created_at", "updated_at", "deleted_at")
# A session's date went by several names; one of them is enough.
SESSION_DATES = TABLES["coaching_sessions"][1][:7]


@dataclass
class LegacyData:
    """The rows of a legacy file, table by table, and what was wrong with its shape."""

    path: Path
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def has(self, table: str, column: str) -> bool:
        return column in self.columns.get(table, set())


def file_problem(table: str, message: str) -> dict[str, Any]:
    return {"table": table, "row": None, "id": None, "message": message}


def connect_read_only(path: Path) -> sqlite.Connection:
    """A connection SQLite will not let write, whatever the code above it does, and that
    creates nothing beside the file (store.sqlite.connect_untouched)."""
    conn = sqlite.connect_untouched(path)
    conn.text_factory = decode_text
    return conn


class Mended(str):
    """Text whose bytes were not all UTF-8, each bad one now U+FFFD: the same string to every
    comparison and fingerprint, but the report can say the value was changed."""


def decode_text(raw: bytes) -> str:
    """Bytes that are not UTF-8 become U+FFFD instead of stopping the import (and are noted)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Mended(raw.decode("utf-8", "replace"))


def refuse_unless_legacy(path: Path) -> None:
    """Refuse a missing file, a non-SQLite file and a Trellis database, with one sentence."""
    path = Path(path)
    if path.is_dir():
        raise ValidationError(
            f"{path} is a folder, not a legacy coaching database; give the .db file itself."
        )
    kind = special_file_kind(path)
    if kind is not None:  # a FIFO or /dev/zero exists, but is no file to read
        raise FileRefused(
            f"{path.name} is not a regular file (it is {kind}), so it is not a legacy coaching "
            "database; give the .db file itself.",
            reason="not-regular",
        )
    if not path.is_file():
        raise ValidationError(f"There is no file at {path}.")
    if not sqlite.first_bytes(path, 100).startswith(sqlite.SQLITE_HEADER):
        raise FileRefused(f"{path.name} is not a legacy coaching database (not a SQLite file).")


def read_legacy(path: Path) -> LegacyData:
    """Every known table and column of the legacy file at `path`, opened read-only."""
    refuse_unless_legacy(path)
    data = LegacyData(Path(path))
    try:
        conn = connect_read_only(path)
        try:
            refuse_trellis_file(conn, Path(path))
            read_tables(conn, data)
        finally:
            conn.close()
    except sqlite.DatabaseError as exc:
        raise FileRefused(sqlite.damaged(Path(path).name, exc), reason="damaged") from exc
    return data


def refuse_trellis_file(conn: sqlite.Connection, path: Path) -> None:
    if conn.execute("PRAGMA application_id").fetchone()[0] == sqlite.APPLICATION_ID:
        raise FileRefused(
            f"{path.name} is a Trellis database, not a legacy one: open it, or export it and "
            "use `trellis import`."
        )


def read_tables(conn: sqlite.Connection, data: LegacyData) -> None:
    found = {
        name.lower(): name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if not set(found) & set(TABLES):
        raise FileRefused(
            f"{data.path.name} has none of the legacy tables ({', '.join(TABLES)}): "
            "it is not a legacy coaching database."
        )
    for table, (expected, optional) in TABLES.items():
        if table not in found:
            data.problems.append(file_problem(table, "the file has no such table; none imported"))
            data.rows[table], data.columns[table] = [], set()
            continue
        read_table(conn, data, table, found[table], expected, optional)


def read_table(
    conn: sqlite.Connection,
    data: LegacyData,
    table: str,
    actual: str,
    expected: tuple[str, ...],
    optional: tuple[str, ...],
) -> None:
    """Read one table's known columns, whatever their case, in the file's own row order."""
    names = {row[1].lower(): row[1] for row in conn.execute(f'PRAGMA table_info("{actual}")')}
    wanted = [c for c in (*expected, *optional, *EVERYWHERE) if c in names]
    data.columns[table] = set(wanted)
    missing = [c for c in expected if c not in names]
    if table == "coaching_sessions" and not any(c in names for c in SESSION_DATES):
        missing.append("a date column (held_on or session_date)")
    if missing:
        data.problems.append(
            file_problem(table, f"the table has no {', '.join(missing)} column; defaults used")
        )
    selected = ", ".join(f'"{names[c]}"' for c in wanted) or "NULL"
    data.rows[table] = [
        {"_n": number, **dict(zip(wanted, values, strict=True))}
        for number, values in enumerate(ordered_rows(conn, actual, selected), start=1)
    ]


def ordered_rows(conn: sqlite.Connection, table: str, selected: str) -> list[tuple]:
    """Rows in insertion order (rowid); a WITHOUT ROWID table in its key order."""
    try:
        return conn.execute(f'SELECT {selected} FROM "{table}" ORDER BY rowid').fetchall()
    except sqlite.OperationalError:
        return conn.execute(f'SELECT {selected} FROM "{table}"').fetchall()
