"""Everything that is SQLite's own, so a PostgreSQL database later replaces only this module.

Here and nowhere else in store/ (import-linter enforces it; store.legacy.source reads legacy
files with its own read-only connections): the pragmas every connection gets, our application
id in the file header, the one `identify_file` that says whether a file is a Trellis database,
`data_version`, the online backup API, sole use of a file (restore), switching foreign keys off
around a migration step, and the SQL of the CHECKs only SQLite can write.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

import peewee
from peewee import SqliteDatabase

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from store.errors import DatabaseInUse, FileRefused, NotFound
from store.paths import fsync_file, special_file_kind

# The driver's errors, for modules that read files through this one.
Connection = sqlite3.Connection
DatabaseError = sqlite3.DatabaseError
Error = sqlite3.Error
OperationalError = sqlite3.OperationalError

# "TRLS": lets us recognise our own files and refuse everything else.
APPLICATION_ID = 0x54524C53
SQLITE_HEADER = b"SQLite format 3\x00"

# The one list of pragmas: every connection the store opens gets them (DESIGN §2).
# synchronous=full: a coach's records matter more than write speed, and WAL keeps it fast enough.
PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": "full",
    "busy_timeout": 5000,
}
# `-mj…` is the super-journal SQLite writes beside a database during a multi-file commit.
SIDE_FILE = re.compile(r"^(?P<base>.+)(?P<suffix>-wal|-shm|-journal|-mj[0-9a-f]+)$", re.I)
# The files SQLite keeps beside a database D (D-wal, D-shm, D-journal): whatever is in them is
# applied to D at its next open, so they are never written over and never left to a new D.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
# First bytes of a WAL (either checksum order), a hot rollback journal, and a WAL index
# (its version, 3007000, in the writer's byte order): a hard link to a side file has any name.
SIDE_MAGIC = (
    bytes.fromhex("377f0682"),
    bytes.fromhex("377f0683"),
    bytes.fromhex("d9d505f920a163d7"),
    (3007000).to_bytes(4, "little"),
    (3007000).to_bytes(4, "big"),
)
# A backup, a restored copy and a migrated copy are one self-contained file, with no -wal.
SINGLE_FILE_MODE = "delete"

# Pages copied per step: small files go in one step (one consistent snapshot); a large one
# moves a progress bar about every 4 MB.
STEP_PAGES = 1024

IN_USE = (
    "Another Trellis window or command has {name} open; close it and try the restore again "
    "(nothing was changed)."
)

Progress = Callable[[int, int], None]


# ---------------------------------------------------------------- connections


def new_database(path: str | Path) -> SqliteDatabase:
    """A Peewee database for the file at `path`, with our pragmas on every connection.

    BEGIN IMMEDIATE: a transaction takes the write lock when it starts, waiting up to
    busy_timeout for another writer. A plain BEGIN reads first and then fails at once with
    "database is locked" when another process wrote in between (WAL cannot upgrade a stale
    snapshot to a writer).
    """
    return TextSafeDatabase(str(path), pragmas=PRAGMAS, lock_type="IMMEDIATE")


class NotText(str):
    """A value SQLite did not hold as UTF-8 text (a BLOB, or bytes that are not UTF-8), read
    as text with U+FFFD for each bad byte, so every view, `trash` and `export` can show it;
    store.value_check reports each as a bad value. Our schema has no BLOB column, so any bytes
    read are such a value."""


def decode_text(raw: bytes) -> str:
    """SQLite text as str; invalid UTF-8 (another tool's, a hand edit) as NotText, not an error."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return NotText(raw.decode("utf-8", "replace"))


def text_for_bytes(_cursor: sqlite3.Cursor, row: tuple) -> tuple:
    """A row with each BLOB as NotText; one scan of the row's types, nothing more, when none."""
    if bytes not in map(type, row):
        return row
    return tuple(as_not_text(v) if type(v) is bytes else v for v in row)


def as_not_text(raw: bytes) -> str:
    return NotText(raw.decode("utf-8", "replace"))


class TextSafeDatabase(SqliteDatabase):
    """Every value read through the store is a str, int, float or None: a BLOB or bad UTF-8
    in a text column otherwise stops whatever reads it (the app's start, check, trash)."""

    def _add_conn_hooks(self, conn: sqlite3.Connection) -> None:
        super()._add_conn_hooks(conn)
        conn.text_factory = decode_text
        conn.row_factory = text_for_bytes

    def fetch_all(self, query) -> list[tuple]:
        """The query's rows, its text decoded by sqlite3 itself: our text factory is a Python
        call per text cell, which costs more than SQLite's own read of a 10,000-item client.
        A cell that is not UTF-8 stops that read (OperationalError, sqlite3's as it fetches
        or Peewee's if it executes), and the query is read again with the factory, which
        mends it (NotText); any other error comes back from that second read. BLOBs become
        NotText either way (the row factory)."""
        conn = self.connection()
        conn.text_factory = str
        try:
            return self.execute(query).fetchall()
        except (sqlite3.OperationalError, peewee.OperationalError):
            pass
        finally:
            conn.text_factory = decode_text
        return self.execute(query).fetchall()


def stamp(db, version: int) -> None:
    """Write our application id and the schema version into the file header."""
    db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute_sql(f"PRAGMA user_version = {int(version)}")


def as_single_file(db) -> None:
    """Leave WAL mode, so the file is whole by itself (a copy about to be moved or kept)."""
    db.execute_sql(f"PRAGMA journal_mode = {SINGLE_FILE_MODE}")


def hold(db) -> bool:
    """Read once, so `db`'s connection holds its file from now on; True if it is in WAL mode.

    A connection that has only switched a file to WAL holds no lock until it first reads, so
    sole_use (a restore) would not see it. Not in WAL mode after the read: a restore has it.
    """
    db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    return db.execute_sql("PRAGMA journal_mode").fetchone()[0] == PRAGMAS["journal_mode"]


def data_version(db) -> int | None:
    """A number that changes when another connection (a second window, the command line)
    commits to `db`; this connection's own commits leave it as it is. None if the file cannot
    be read just now (a drive gone, for instance): ask again later."""
    try:
        return db.execute_sql("PRAGMA data_version").fetchone()[0]
    except peewee.DatabaseError:
        return None


@contextmanager
def foreign_keys_off(db) -> Iterator[None]:
    """Foreign keys off around a table rebuild (SQLite's own recipe); they can only change
    outside a transaction, so the caller opens its transaction inside this block."""
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def dangling_rows(db) -> list[tuple]:
    """Rows whose foreign key points at no row (table, rowid, parent, …); [] when sound."""
    return db.execute_sql("PRAGMA foreign_key_check").fetchall()


@contextmanager
def open_file(path: Path) -> Iterator[SqliteDatabase]:
    """A Peewee connection of its own to a file that is not the open database (a copy)."""
    db = new_database(path)
    db.connect()
    try:
        yield db
    finally:
        db.close()


def read_only(path: Path) -> closing[sqlite3.Connection]:
    """A connection of its own that cannot write `path` (closed on leaving the `with`)."""
    return closing(read_only_connection(path))


def read_only_connection(path: Path) -> sqlite3.Connection:
    """Sees only committed data, so it never disturbs a writer's transaction."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def connect_untouched(path: Path) -> sqlite3.Connection:
    """A connection that writes nothing, not even beside `path` (a dry run, identification).

    `mode=ro` alone still creates `-wal`/`-shm` files beside a WAL database; `immutable=1`
    creates nothing, but would not see a WAL that exists. So: immutable unless there is a WAL
    (whose side files then exist already).
    """
    path = Path(path).resolve()
    wal = path.with_name(path.name + "-wal")
    flag = "mode=ro" if wal.exists() and wal.stat().st_size else "immutable=1"
    return sqlite3.connect(f"{path.as_uri()}?{flag}", uri=True)


def untouched(path: Path) -> closing[sqlite3.Connection]:
    """connect_untouched, closed on leaving the `with`."""
    return closing(connect_untouched(path))


# ---------------------------------------------------------------- is it a Trellis database?


class Schema(NamedTuple):
    """What identify_file compares a file with: the newest version this Trellis reads,
    table -> the columns a file at a given version must have, and the models whose tables and
    indexes a file at the newest version has, no more and no fewer (store.models.schema())."""

    version: int
    tables: Callable[[int], dict[str, set[str]]]
    models: Sequence[type[peewee.Model]] = ()


def identify_file(
    path: Path,
    schema: Schema,
    *,
    whole: bool = False,
    full: bool = False,
    shown_as: str | None = None,
) -> int | None:
    """The schema version of the Trellis database at `path`; refuse anything else.

    Refuses (FileRefused, one sentence naming `shown_as` or the file's name) a file that is
    not a regular file, not SQLite, damaged, another program's or from a newer Trellis.
    Without `whole` (a file to open): None when there is no database yet (no file, an empty
    one, a blank SQLite file), which opening creates. With `whole` (a backup, a restore's
    source, a copy just written): the file must exist and be a complete Trellis database at
    rest: not truncated, passing `quick_check` (`integrity_check` when `full`), every table
    and column there.
    """
    path = Path(path)
    name = shown_as or path.name
    if not whole and not path.exists():
        return None
    if not examine_header(path, name, whole):
        return None  # an empty file to open: a new database
    try:
        return check_contents(path, schema, name, whole, full)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not whole:
            # Cannot open or read it (full disk, read-only disk, busy): not damage; the CLI and
            # app explain these through store.locking.explain_storage_error.
            raise
        raise FileRefused(damaged(name, exc), reason="damaged") from exc


def examine_header(path: Path, name: str | None = None, whole: bool = True) -> bytes:
    """The first step of identify_file, reading 100 bytes and no more (listing a folder of
    backups asks it of each): refuses a missing or special file and a bad header."""
    path = Path(path)
    name = name or path.name
    if whole:
        refuse_missing(path)
    refuse_special_file(path, name)
    header, size = read_header(path, name)
    if header or whole:
        check_header(header, size, name, whole)
    return header


def damaged(name: str, detail: object) -> str:
    return f"{name} is damaged ({detail}), so it cannot be used."


def refuse_missing(path: Path) -> None:
    if path.is_dir():
        raise NotFound(f"{path} is a folder, not a Trellis database file; give the file itself.")
    if not path.exists() and special_file_kind(path) is None:
        raise NotFound(f"There is no file {path}.")


def refuse_special_file(path: Path, name: str | None = None) -> None:
    kind = special_file_kind(path)
    if kind is not None:
        raise FileRefused(
            f"{name or Path(path).name} is not a regular file (it is {kind}), so it is not a "
            "Trellis database; give the database file itself.",
            reason="not-regular",
        )


def read_header(path: Path, name: str) -> tuple[bytes, int]:
    """The first 100 bytes and the size of a regular file, refusing any other kind.

    O_NONBLOCK: should the path have become a FIFO since it was checked, opening it must not
    wait for a writer that never comes.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise FileRefused(
                f"{name} is not a regular file, so it is not a Trellis database.",
                reason="not-regular",
            )
        return os.read(fd, 100), found.st_size
    finally:
        os.close(fd)


def check_header(header: bytes, size: int, name: str, whole: bool) -> None:
    """SQLite's magic string, a valid page size and, for a file at rest, a matching size.

    The size is not compared for a file to open: another program may be checkpointing it,
    writing the header before the pages that make the file as long as it says.
    """
    if not header:
        raise FileRefused(f"{name} is empty, so it holds no Trellis database.", reason="empty")
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise FileRefused(
            f"{name} is not a Trellis database (it is not a SQLite file).", reason="not-sqlite"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        # SQLite's pages are a power of two from 512 to 65536 bytes; anything else is damage.
        raise FileRefused(damaged(name, "its header gives no valid page size"), reason="damaged")
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is trustworthy only when written by the same change.
    counted = header[24:28] == header[92:96] and pages > 0
    if whole and (size % page_size or (counted and size < pages * page_size)):
        raise FileRefused(
            f"{name} is truncated (it is shorter than the database it describes), "
            "so it cannot be used.",
            reason="truncated",
        )


def check_contents(path: Path, schema: Schema, name: str, whole: bool, full: bool) -> int | None:
    """Application id and version, then (for a file at rest) its soundness and its tables."""
    with read_only(path) if whole else untouched(path) as conn:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = schema_version(conn)
        # Counting the tables reads the schema: a file damaged past its header is refused here.
        if table_count(conn) == 0 and app_id == 0 and not whole:
            return None  # a blank SQLite file: opening makes it a new Trellis database
        refuse_foreign(app_id, version, schema.version, name)
        if whole:
            check_soundness(conn, full, name)
            lacking = missing_schema(conn, schema.tables(version))
            if lacking is not None:
                raise FileRefused(
                    f"{name} is not a complete Trellis database ({lacking}).", reason="incomplete"
                )
            refuse_strange_layout(conn, schema, version, name)
        return version


def schema_version(conn: sqlite3.Connection) -> int:
    """The `user_version` in a file's header: which Trellis schema it holds (0: none)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def table_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]


def refuse_foreign(app_id: int, version: int, newest: int, name: str) -> None:
    if app_id != APPLICATION_ID:
        raise FileRefused(
            f"{name} is a SQLite file from another program, not a Trellis database.",
            reason="foreign",
        )
    if version > newest:
        raise FileRefused(
            f"{name} was written by a newer Trellis (schema {version}; this one reads "
            f"up to {newest}): update Trellis to use it.",
            reason="newer",
        )
    if version < 1:
        raise FileRefused(
            f"{name} has no Trellis schema version, so it is not ours.", reason="unversioned"
        )


def check_soundness(conn: sqlite3.Connection, full: bool, name: str) -> None:
    check = "integrity_check" if full else "quick_check"
    problems = [row[0] for row in conn.execute(f"PRAGMA {check}")]
    if problems != ["ok"]:
        raise FileRefused(damaged(name, problems[0]), reason="damaged")


def missing_schema(conn: sqlite3.Connection, expected: dict[str, set[str]]) -> str | None:
    """The first table or column the file lacks, as "no table X", or None when complete."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, columns in expected.items():
        if table not in tables:
            return f"no table {table}"
        found = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        lacking = sorted(columns - found)
        if lacking:
            return f"table {table} has no column {lacking[0]}"
    return None


# ---------------------------------------------------------------- the layout we write

# A file's schema, compared by meaning rather than by SQL text: a column a migration added reads
# differently in sqlite_master from the same column in a new file. (type, name) -> what matters.
Layout = dict[tuple[str, str], tuple]


def refuse_strange_layout(conn: sqlite3.Connection, schema: Schema, version: int, name: str):
    """Refuse a file whose tables, indexes, triggers or views are not the ones Trellis makes.

    A trigger runs inside every later write (one that deletes commitments on each insert would
    lose data silently), a missing unique index lets duplicates in, an extra table or view is
    someone else's. An older file is compared whole once its copy is migrated; before that
    only what no version makes (triggers, views) is refused.
    """
    found = layout(conn)
    if version < schema.version or not schema.models:
        expected = {key: found[key] for key in found if key[0] in ("table", "index")}
    else:
        expected = expected_layout(tuple(schema.models))
    problem = layout_difference(found, expected)
    if problem is not None:
        raise FileRefused(
            f"{name} is not a Trellis database as this version writes it ({problem}).",
            reason="strange-schema",
        )


def layout_difference(found: Layout, expected: Layout) -> str | None:
    """The first difference, as "it has a trigger 'evil' Trellis never makes", or None."""
    for key in sorted(found.keys() - expected.keys()):
        return f"it has {article(key[0])} {key[0]} {key[1]!r} Trellis never makes"
    for key in sorted(expected.keys() - found.keys()):
        return f"it lacks the {key[0]} {key[1]!r} Trellis makes"
    for key in sorted(found):
        if found[key] != expected[key]:
            return f"its {key[0]} {key[1]!r} is not the one Trellis makes"
    return None


def article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def layout(conn: sqlite3.Connection) -> Layout:
    """Every table, index, trigger and view but SQLite's own (sqlite_*), by what it does."""
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\'"
    ).fetchall()
    described: Layout = {}
    for kind, name, table, sql in rows:
        if kind == "table":
            described[kind, name] = table_layout(conn, name)
        elif kind == "index":
            described[kind, name] = index_layout(conn, name, table, sql)
        else:
            described[kind, name] = (table,)
    return described


def table_layout(conn: sqlite3.Connection, table: str) -> tuple:
    """Its columns (name, type, not null, default, key) and foreign keys, in any order."""
    columns = conn.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
    keys = conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
    return (
        frozenset((c[1], str(c[2]).upper(), c[3], c[4], c[5], c[6]) for c in columns),
        frozenset(k[2:] for k in keys),
    )


def index_layout(conn: sqlite3.Connection, name: str, table: str, sql: str | None) -> tuple:
    """Its table, uniqueness, columns in order, and the WHERE of a partial index."""
    unique = next(row[2] for row in conn.execute(f'PRAGMA index_list("{table}")') if row[1] == name)
    columns = tuple(row[2] for row in conn.execute(f'PRAGMA index_info("{name}")'))
    return table, unique, columns, partial_clause(sql)


def partial_clause(sql: str | None) -> str:
    """The WHERE of `CREATE INDEX ... WHERE ...`, with quoting, case and spacing evened out."""
    found = re.search(r"\bWHERE\b(.*)$", sql or "", re.I | re.S)
    return re.sub(r"\s+", " ", re.sub(r"[\"`\[\]]", "", found[1])).strip().lower() if found else ""


_expected_layouts: dict[tuple, Layout] = {}


def expected_layout(model_list: tuple[type[peewee.Model], ...]) -> Layout:
    """The layout of a new file, made from the models in a scratch database in memory (once)."""
    if model_list not in _expected_layouts:
        scratch = SqliteDatabase(":memory:")
        with scratch:
            for model in model_list:
                # The models stay bound to the live database; only the SQL runs here.
                peewee.SchemaManager(model, scratch).create_all()
            _expected_layouts[model_list] = layout(scratch.connection())
    return _expected_layouts[model_list]


def has_trellis_header(path: Path) -> bool:
    """A Trellis database by its first bytes alone (side files, other programs' files are not);
    cheap enough to ask of every file in a folder."""
    try:
        if not path.is_file():  # opening a FIFO would block
            return False
        with open(path, "rb") as handle:
            header = handle.read(72)
    except OSError:
        return False
    return header.startswith(SQLITE_HEADER) and int.from_bytes(header[68:72], "big") == (
        APPLICATION_ID
    )


def has_sqlite_header(path: Path) -> bool:
    """Whether a regular file starts like a SQLite database ("" for anything else)."""
    return first_bytes(path, len(SQLITE_HEADER)) == SQLITE_HEADER


def has_side_file_magic(path: Path) -> bool:
    """A WAL, a hot journal or a WAL index by its first bytes, whatever its name."""
    head = first_bytes(path, 8)
    return any(head.startswith(magic) for magic in SIDE_MAGIC)


def first_bytes(path: Path, count: int) -> bytes:
    """The start of a regular file; b"" for anything else (opening a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return b""
        with open(path, "rb") as handle:
            return handle.read(count)
    except OSError:
        return b""


# ---------------------------------------------------------------- copying


def copy_database(source: Path, target: Path, progress: Progress | None = None) -> None:
    """Copy `source` into a new file `target` with the online backup API, as one plain file.

    Reads through its own connection, so it sees only committed data and never disturbs the
    store's own connection or transaction.
    """
    src = read_only_connection(source)
    dest = sqlite3.connect(str(target))
    try:
        src.execute(f"PRAGMA busy_timeout = {PRAGMAS['busy_timeout']}")
        report = None
        if progress is not None:

            def report(_status: int, remaining: int, total: int) -> None:
                progress(total - remaining, total)

        src.backup(dest, pages=STEP_PAGES, progress=report, sleep=0)
        # A copy of a WAL database is itself in WAL mode; a backup is one self-contained file.
        dest.execute(f"PRAGMA journal_mode = {SINGLE_FILE_MODE}").fetchone()
    finally:
        dest.close()
        src.close()
    fsync_file(target)


# ---------------------------------------------------------------- sole use and locks


@contextmanager
def sole_use(path: Path) -> Iterator[Callable[[], None]]:
    """Hold `path` so no other connection can write to it until it is replaced; refuse if one
    is open.

    Leaving WAL mode is only possible with no other connection open, so it is both the test and
    the cleanup: afterwards there is no -wal file left to pair with the new file by mistake.
    Then the write lock (BEGIN IMMEDIATE): a writer that starts now waits, then is refused, and
    a Trellis connection cannot even open (it must switch the file back to WAL), while readers
    such as the safety backup's own connection still read the file.
    Yields `let_go`, for systems (Windows) that cannot rename over a file that is still open.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0)
    state = {"held": True, "mode": None}

    def let_go(give_back_mode: bool = False) -> None:
        if not state["held"]:
            return
        state["held"] = False
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if give_back_mode and state["mode"] not in (None, SINGLE_FILE_MODE):
            # Refused after all (the safety backup failed): leave the file as it was found.
            with suppress(sqlite3.Error):
                conn.execute(f"PRAGMA journal_mode = {state['mode']}")
        conn.close()

    try:
        take_sole_use(conn, path, state)
        yield let_go
    except BaseException:
        let_go(give_back_mode=True)
        raise
    finally:
        let_go()


def take_sole_use(conn: sqlite3.Connection, path: Path, state: dict) -> None:
    """Leave WAL mode, then take the write lock; refuse when another connection is open."""
    try:
        state["mode"] = conn.execute("PRAGMA journal_mode").fetchone()[0]
        mode = conn.execute(f"PRAGMA journal_mode = {SINGLE_FILE_MODE}").fetchone()[0]
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseInUse(IN_USE.format(name=Path(path).name)) from exc
        raise
    except sqlite3.DatabaseError:
        # Too damaged to read its header: no program can be using it, and replacing it
        # is exactly what the user wants.
        mode = SINGLE_FILE_MODE
    if mode != SINGLE_FILE_MODE:
        state["mode"] = None  # never left it: someone else has it open
        raise DatabaseInUse(IN_USE.format(name=Path(path).name))


def is_locked(path: Path) -> bool:
    """True when another connection holds `path` (or it cannot be checked: keep it then)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error:
        return True
    try:
        conn.isolation_level = None
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.Error:
        return True
    finally:
        conn.close()


def is_held(path: Path) -> bool:
    """True when another process holds a lock on any byte of `path`, as SQLite's writers do
    (a backup holds its copy's lock from the first page to the last), whatever the file
    holds. A shared lock over the whole file is refused while anyone has a write lock there.
    Where POSIX locks do not exist (Windows), a file in use cannot be deleted anyway: False.
    """
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True  # cannot look: keep it
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


# ---------------------------------------------------------------- SQL only SQLite writes


def is_calendar_date(column: str) -> str:
    """A CHECK's SQL: NULL or a real calendar date written as YYYY-MM-DD.

    The '+0 days' modifier makes SQLite normalise impossible dates (02-30 becomes 03-02),
    so they no longer compare equal to what was written.
    """
    return f"{column} IS NULL OR date({column}, '+0 days') IS {column}"
