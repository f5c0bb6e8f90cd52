"""Leftovers of killed runs: temporary files of our own naming that nothing is using any more.

A restore copies into `.DB.XXXXXXXX.restoring` beside the database; a backup writes
`.NAME.partial` (or `.NAME.XXXXXXXX.partial`) beside its target, in the backups folder or
wherever `backup --to` points; SQLite adds `-journal`, `-wal` and `-shm` beside either while
it writes. A process killed mid-way leaves them behind, and opening the database removes them.

Only those names are touched, and only when no process holds a lock on the file and nothing
has written it for QUIET_SECONDS: a backup or restore running in another process at that moment
keeps its file. A file of the exact temporary name we make goes whatever it holds (a backup
killed before page 1 was written is zeros there; an export is JSON); an older-style name only
when it is a SQLite file or still empty.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from contextlib import suppress
from pathlib import Path

from store import backup, sqlite
from store.paths import backups_dir
from store.sqlite import SIDE_SUFFIXES

# `.TARGET.partial` or `.TARGET.<8 hex>.partial`, and SQLite's side files of either.
PARTIAL = re.compile(r"^\.(?P<target>.+?)(?:\.[0-9a-f]{8})?\.partial(?:-journal|-wal|-shm)?$")
# Exactly what store.targets.new_temp_file makes (`.TARGET.<8 hex>.partial`): ours whatever it
# holds, a backup killed before its first page was written (zeros) or a half-written export.
OUR_TEMP = re.compile(r"^\..+\.[0-9a-f]{8}\.partial$")
# Between the steps of a backup (after the copy, before the check) nobody holds a lock on its
# file for a moment; a file written this recently may be such a one.
QUIET_SECONDS = 10


def remove_leftovers(db_path: Path) -> list[Path]:
    """Remove what killed restores and backups of `db_path` left behind; returns what went."""
    if str(db_path) == ":memory:":
        return []  # no file, so nothing beside it is ours (not even in the working folder)
    removed = []
    for main in leftover_files(Path(db_path)):
        if is_abandoned(main):
            removed += remove_with_side_files(main)
    return removed


def leftover_files(db_path: Path) -> list[Path]:
    """Temporary files of our naming for this database (whether or not they exist)."""
    real = Path(os.path.realpath(db_path))
    found = restoring_files(real)
    for folder in dict.fromkeys((db_path.parent, real.parent)):
        found += partials(folder, lambda _target: True)
    found += partials(backups_dir(db_path), lambda target: backup.parse_name(Path(target), db_path))
    return list(dict.fromkeys(found))


def new_restoring_file(live: Path) -> Path:
    """A new empty file of this restore's own beside `live` (two restores never share one)."""
    while True:
        path = live.with_name(f".{live.name}.{secrets.token_hex(4)}.restoring")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return path
        except FileExistsError:
            continue


def restoring_files(real: Path) -> list[Path]:
    """The restore copies of the database file `real`, named by their main file."""
    ours = re.compile(rf"^\.{re.escape(real.name)}(?:\.[0-9a-f]{{8}})?\.restoring")
    try:
        names = [entry.name for entry in os.scandir(real.parent)]
    except OSError:
        return []
    return list(
        dict.fromkeys(
            real.with_name(strip_side_suffix(name))
            for name in names
            if ours.fullmatch(strip_side_suffix(name))
        )
    )


def partials(folder: Path, is_ours) -> list[Path]:
    """The `.partial` files in `folder` whose target `is_ours`, named by their main file."""
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    found = []
    for name in names:
        match = PARTIAL.match(name)
        if match is not None and is_ours(match["target"]):
            found.append(folder / strip_side_suffix(name))
    return found


def strip_side_suffix(name: str) -> str:
    for suffix in SIDE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_abandoned(main: Path) -> bool:
    """No process is writing `main` (a temporary database) or its side files any more."""
    files = [main, *side_files(main)]
    present = [f for f in files if os.path.lexists(f)]
    if not present or not all(is_quiet_regular_file(f) for f in present):
        return False
    if main not in present:
        return True  # side files of a main file already gone: nothing can use them
    if looks_like_sqlite(main):
        return not sqlite.is_locked(main)
    # Not (yet) a database, so SQLite cannot be asked; a writer still holds its lock, though.
    return bool(OUR_TEMP.match(main.name)) and not sqlite.is_held(main)


def side_files(main: Path) -> list[Path]:
    return [main.with_name(main.name + suffix) for suffix in SIDE_SUFFIXES]


def is_quiet_regular_file(path: Path) -> bool:
    """A plain file (not a symlink, FIFO or folder) that nothing wrote in QUIET_SECONDS."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and time.time() - found.st_mtime >= QUIET_SECONDS


def looks_like_sqlite(path: Path) -> bool:
    """Empty (just created) or starting with SQLite's header: what our temporary files hold."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(sqlite.SQLITE_HEADER))
    except OSError:
        return False
    return head in (b"", sqlite.SQLITE_HEADER)


def remove_with_side_files(main: Path) -> list[Path]:
    """Delete `main` and its side files, side files first: a journal left without its main
    file would be applied to the next file that took that name."""
    removed = []
    for path in [*side_files(main), main]:
        with suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed
