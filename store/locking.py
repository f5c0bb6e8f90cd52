"""When SQLite cannot write: a busy database, a read-only file, a full disk, a damaged file.

SQLite already keeps two writers from corrupting a file (WAL, locks, `busy_timeout`); what is
left to us is to turn its low-level errors into one sentence a person can act on. Getting sole
use of the file before replacing it on restore is store.sqlite.sole_use.
"""

from __future__ import annotations

import os
from pathlib import Path

import peewee

from store import postgres, sqlite
from store.errors import error_chain

# What a store function may raise when the file itself is the problem (peewee wraps the
# driver's errors; store.sqlite's own connections raise them as they are).
STORAGE_ERRORS: tuple[type[Exception], ...] = (peewee.DatabaseError, sqlite.DatabaseError)

# (fragment of SQLite's message, the sentence we show) — first match wins.
EXPLANATIONS = (
    (
        "locked",
        "The database {name} is busy: another Trellis window or command is writing to it. "
        "Nothing was changed; try again in a moment.",
    ),
    (
        "busy",
        "The database {name} is busy: another Trellis window or command is writing to it. "
        "Nothing was changed; try again in a moment.",
    ),
    (
        # SQLITE_PROTOCOL: WAL's locks kept changing under heavy contention; SQLite gave up
        # and rolled back, as with a busy file.
        "locking protocol",
        "The database {name} is busy: another Trellis window or command is writing to it. "
        "Nothing was changed; try again in a moment.",
    ),
    (
        "readonly",
        "The database {name} cannot be written (the file or its disk is read-only). "
        "Nothing was changed; copy it somewhere writable and open that copy.",
    ),
    (
        "disk is full",
        "The disk holding {name} is full. Nothing was changed; free some space and try again.",
    ),
    (
        "disk i/o error",
        "The disk reported an error while writing {name}. Nothing was changed; check the disk "
        "and try again.",
    ),
    (
        "unable to open",
        "The database {name} cannot be opened (check that the file and its folder exist and "
        "can be written).",
    ),
    (
        "malformed",
        "The database {name} is damaged. Restore a backup with `trellis restore` or "
        "File → Restore from backup….",
    ),
    (
        "not a database",
        "The database {name} is damaged. Restore a backup with `trellis restore` or "
        "File → Restore from backup….",
    ),
)


# SQLite reports a full or read-only disk as a generic I/O or open failure when it happens while
# creating the -wal/-shm files; the file system itself tells which it is.
DISK_SYMPTOMS = ("i/o error", "unable to open", "readonly", "full", "cannot rollback")
LOW_SPACE_BYTES = 1 << 20


def explain_storage_error(exc: BaseException, path: Path | str | None = None) -> str:
    """One sentence for a SQLite failure, naming the file; SQLite's own words as a last resort."""
    name = Path(path).name if path else "file"
    lost = lost_server(exc)
    if lost is not None:
        return lost
    # A failed write can be masked by the rollback after it ("cannot rollback - no transaction
    # is active" once SQLite has rolled back by itself): read the whole chain.
    text = " ".join(str(e) for e in error_chain(exc)).lower()
    condition = disk_condition(Path(path)) if path else None
    if condition and any(symptom in text for symptom in DISK_SYMPTOMS):
        text = condition
    for fragment, sentence in EXPLANATIONS:
        if fragment in text:
            return sentence.format(name=name)
    return f"The database {name} reported an error ({exc}); nothing was changed."


def disk_condition(path: Path) -> str | None:
    """ "readonly" or "disk is full" when the file system holding `path` is so, else None."""
    folder = path if path.is_dir() else path.parent
    try:
        stats = os.statvfs(folder)
    except OSError:
        return None
    if stats.f_flag & os.ST_RDONLY:
        return "readonly"
    if stats.f_bavail * stats.f_frsize < LOW_SPACE_BYTES:
        return "disk is full"
    return None


def lost_server(exc: BaseException) -> str | None:
    """The sentence for a team database that cannot be reached, or None for other errors."""
    from store import models

    return postgres.lost_server(exc, models.team_url())
