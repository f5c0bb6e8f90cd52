"""Where Trellis keeps its files (platformdirs' user data dir, the backups folder beside a
database) and what kind of file a path names."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Trellis"
BACKUP_DIR = "backups"

# What a path is when it is neither a file nor a folder (os.stat's mode bits).
SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def default_db_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "trellis.db"


def team_folder(url: str) -> Path:
    """This computer's folder for one team database (its backups go in there): named by
    host, port and database, never by the user or password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = f"{parts.hostname or 'local'}_{parts.port or 5432}_{parts.path.strip('/') or 'db'}"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return user_data_path(APP_NAME, appauthor=False) / "team" / safe


def backups_dir(db_path: Path) -> Path:
    """The folder beside a database where its backups go: beside the file itself, so a
    database opened through a symlink and through its real path has one set of backups."""
    return Path(os.path.realpath(db_path)).parent / BACKUP_DIR


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


def fsync_file(path: Path) -> None:
    """Make what was written to `path` durable before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (a crash must not undo the rename)."""
    if os.name == "nt":
        return  # Windows cannot open a folder as a file; NTFS journals renames itself.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
