"""Where export and backup may write, and writing a file whole or not at all.

SQLite owns a database's side files (`-wal`, `-shm`, `-journal`): whatever is written there is
applied to the database at its next checkpoint or open, so JSON or a second database written
over one destroys the live file. Export, `backup --to` and the app ask `refuse_unsafe_target`
before writing, and all of them write through `write_atomically`, so a failure or a kill never
leaves a truncated file where the user had a good one.
"""

from __future__ import annotations

import errno
import glob
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from itertools import takewhile
from pathlib import Path

from store import models, sqlite
from store.errors import ValidationError
from store.paths import backups_dir, fsync_dir, fsync_file

# A temporary file older than this was left by a process that died while writing it.
STALE_TEMP_SECONDS = 3600
# 255 bytes for a file name, less `.` `.` `<8 hex>` `.partial` and SQLite's `-journal`.
TEMP_NAME_BYTES = 255 - 18 - len("-journal")


# ---------------------------------------------------------------- which targets are refused


def refuse_unsafe_target(path: Path, writing: str, advice: str) -> None:
    """Refuse (one sentence, nothing written) a target that is a database or one's side file.

    `writing` names what would be written ("an export"), `advice` what to do instead.
    """
    reason = why_unsafe(Path(path))
    if reason is not None:
        raise ValidationError(f"{path} is {reason}, and {writing} would overwrite it; {advice}.")


def why_unsafe(path: Path) -> str | None:
    """What `path` is that must never be written over, or None when it is safe to write."""
    real = Path(os.path.realpath(path))
    named = why_named_like_a_side_file(path, real)
    if named is not None:
        return named
    if is_database(real):
        return "a database"
    if sqlite.has_side_file_magic(real):
        return "a database's side file (another name for it)"
    if is_open_database(path):
        return "the open database"
    if is_side_of_open_database(path):
        return "a side file of the open database (another name for it)"
    if is_block_device(real):
        return "a disk device"
    if is_backups_folder(real):
        return "where the open database's backups go"
    return None


def refuse_side_file_as_database(path: Path) -> None:
    """Refuse (one sentence, nothing created) to open or restore into another database's
    side file: a database built at `D-wal` is deleted by D's next open, and one at
    `D-journal` is rolled back into D or leaves D read-only."""
    path = Path(path)
    if str(path) == ":memory:":
        return
    real = Path(os.path.realpath(path))
    reason = why_named_like_a_side_file(path, real)
    if reason is None and sqlite.has_side_file_magic(real):
        reason = "a database's side file (another name for it)"
    if reason is not None:
        raise ValidationError(
            f"{path} is {reason}, so Trellis will not use it as a database; "
            "give the database file itself."
        )


def why_named_like_a_side_file(path: Path, real: Path) -> str | None:
    """`D-wal` and the like beside a database D, whether or not the side file exists yet."""
    for name in dict.fromkeys((path, real)):  # the name given, and the file a symlink names
        base = database_of_side_name(name)
        if base is not None:
            return f"a side file of the database {base}"
    for folder in folders_to_create(real):  # D-wal/out.json: a folder D-wal would block D's WAL
        base = database_of_side_name(folder)
        if base is not None:
            return f"in a new folder {folder.name}, a side file name of the database {base}"
    return None


def database_of_side_name(path: Path) -> Path | None:
    base = side_file_base(path)
    if base is not None and (is_open_database(base) or is_database(base)):
        return base
    return None


def is_backups_folder(real: Path) -> bool:
    """A file named `backups` beside the open database would stop every backup being made."""
    live = open_database_path()
    return live is not None and os.path.realpath(backups_dir(live)) == str(real)


def folders_to_create(real: Path) -> list[Path]:
    """The folders that do not exist yet above `real`: writing creates them."""
    return list(takewhile(lambda folder: not os.path.lexists(folder), real.parents))


def side_file_base(path: Path) -> Path | None:
    """The database `D` when `path` is named like one of its side files (`D-wal`, …)."""
    found = sqlite.SIDE_FILE.match(path.name)
    return path.with_name(found["base"]) if found else None


def open_database_path() -> Path | None:
    """The file of the database this process has open, None for none (or memory)."""
    path = models.current_path()
    if path is None or str(path) == ":memory:":
        return None
    return Path(path)


def open_database_files() -> Iterator[Path]:
    """The open database and its side files, by the name it was opened under and its real one."""
    live = open_database_path()
    if live is None:
        return
    for name in dict.fromkeys((live, Path(os.path.realpath(live)))):
        yield name
        for suffix in sqlite.SIDE_SUFFIXES:
            yield name.with_name(name.name + suffix)


def is_open_database(path: Path) -> bool:
    live = open_database_path()
    return live is not None and is_same_file(path, live)


def is_side_of_open_database(path: Path) -> bool:
    """Also when the side file does not exist yet (`D-journal` while D is in WAL mode)."""
    return any(is_same_file(path, side) for side in open_database_files())


def is_same_file(a: Path, b: Path) -> bool:
    """The same real path (symlinks resolved), or one file under two names (a hard link)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def is_database(path: Path) -> bool:
    return sqlite.has_sqlite_header(path)


def is_block_device(path: Path) -> bool:
    try:
        return stat.S_ISBLK(os.stat(path).st_mode)
    except OSError:
        return False


def refuse_stray_side_files(path: Path, advice: str) -> None:
    """A database written at `path` would take up a -wal or -journal already beside it.

    SQLite applies a WAL or a hot journal it finds beside a database, whoever left it there
    (a deleted database, a killed program), so a good copy would open damaged.
    """
    real = Path(os.path.realpath(path))
    for suffix in ("-wal", "-journal"):
        stray = real.with_name(real.name + suffix)
        if os.path.lexists(stray):
            raise ValidationError(
                f"{stray} is already there, and SQLite would apply it to a database written "
                f"as {path}; {advice}."
            )


# ---------------------------------------------------------------- writing whole or not at all


def write_atomically(target: Path, fill: Callable[[Path], None]) -> Path:
    """Have `fill` write a new file beside `target`, fsync it, then rename it over `target`.

    Until the rename, `target` keeps whatever it held; a failure removes the new file (and the
    folders made for it), and one left by a kill is removed by a later write to the same
    target. A symlinked target keeps its link: the file it points to is replaced. A stream (a
    FIFO, a character device, /dev/stdout) has no old content to keep and no folder to rename
    in: it is written in place. An OSError on the way is raised as NotWritten naming `target`,
    never the temporary file.
    """
    target = Path(target)
    real = Path(os.path.realpath(target))
    old = stat_or_none(target)
    if old is not None and is_stream(target, real, old):
        fill(target)
        return target
    refuse_unwritable(target, real, old)
    made = folders_to_create(real)
    temp = None
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(real)
        temp = new_temp_file(real)
        if old is not None:
            keep_mode_and_owner(temp, old)
        fill(temp)
        fsync_file(temp)
        os.replace(temp, real)
    except BaseException as exc:  # Ctrl-C too: never leave the temporary file behind
        remove_written(temp, made)
        if isinstance(exc, OSError) and is_about_the_write(exc, real, made):
            raise not_written(exc, target) from exc
        raise
    fsync_dir(real.parent)
    return target


class NotWritten(OSError):
    """Writing a file failed: `filename` is the file the caller asked for (never the temporary
    one beside it), `strerror` the system's reason, and `sentence` says it all in one sentence
    with what to do."""

    advice: str | None = None

    @property
    def sentence(self) -> str:
        reason, advice = WHY_NOT_WRITTEN.get(self.errno or 0, (None, "nothing was written"))
        reason = reason or lowercase_first(self.strerror or "writing it failed")
        return f"Cannot write {self.filename}: {reason}; {self.advice or advice}."

    def __str__(self) -> str:  # what a dialog shows (str(exc)), as the CLI says it
        return self.sentence


# errno -> (the reason in a person's words, what to do about it)
WHY_NOT_WRITTEN: dict[int, tuple[str | None, str]] = {
    errno.EACCES: (None, "choose a folder you can write to"),
    errno.EPERM: (None, "choose a folder you can write to"),
    errno.EROFS: ("the disk is read-only", "choose a folder on a disk you can write to"),
    errno.ENOSPC: ("the disk is full", "free some space or choose another disk"),
    errno.EDQUOT: ("your disk quota is used up", "free some space or choose another disk"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.ENOTDIR: ("a folder on its path is a file", "choose another folder"),
    errno.EEXIST: ("a folder on its path is a file", "choose another folder"),
}


def not_written(exc: OSError, target: Path, advice: str | None = None) -> NotWritten:
    """`exc` as a NotWritten about `target`."""
    if isinstance(exc, NotWritten):
        return exc
    error = NotWritten(exc.errno, exc.strerror, str(target))
    error.advice = advice
    return error


def lowercase_first(text: str) -> str:
    """'Permission denied' as it reads after a colon (an all-capitals word stays as it is)."""
    head = text[:2]
    return text if head.isupper() else text[:1].lower() + text[1:]


def is_about_the_write(exc: OSError, real: Path, made: list[Path]) -> bool:
    """Whether `exc` is about writing `real` (the file, its folders, its temporary file), not
    about another file `fill` read."""
    if exc.filename is None:
        return True
    named = Path(os.fsdecode(exc.filename))
    if named in (real, real.parent, *made):
        return True
    return named.parent == real.parent and is_temp_name(named.name, real)


def is_temp_name(name: str, real: Path) -> bool:
    return name.startswith(temp_prefix(real)) and name.endswith(".partial")


def remove_written(temp: Path | None, made: list[Path]) -> None:
    """What a failed write made: its temporary file, then the folders made for it (deepest
    first; one that something else has put a file into since stays)."""
    if temp is not None:
        with suppress(OSError):
            temp.unlink()
    for folder in made:
        with suppress(OSError):
            folder.rmdir()


def keep_mode_and_owner(new: Path, old: os.stat_result) -> None:
    """The replacement keeps the permissions the user gave the old file, and its owner when we
    may give it (running as root: a file left root's would lock its owner out)."""
    if hasattr(os, "chown") and os.geteuid() == 0:
        with suppress(OSError):
            os.chown(new, old.st_uid, old.st_gid)
    os.chmod(new, stat.S_IMODE(old.st_mode))


def is_stream_path(path: Path) -> bool:
    """Whether `path` is a stream that is written in place (see `is_stream`)."""
    old = stat_or_none(path)
    return old is not None and is_stream(path, Path(os.path.realpath(path)), old)


def is_stream(target: Path, real: Path, old: os.stat_result) -> bool:
    """A FIFO or character device, or a /proc/self/fd link (/dev/stdout) to a pipe or socket,
    whose "real path" (`pipe:[…]`) is no file at all."""
    if stat.S_ISFIFO(old.st_mode) or stat.S_ISCHR(old.st_mode) or stat.S_ISSOCK(old.st_mode):
        return True
    there = stat_or_none(real)
    return there is None or (there.st_dev, there.st_ino) != (old.st_dev, old.st_ino)


def stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a file on the way: nothing there either
        return None


def refuse_unwritable(target: Path, real: Path, old: os.stat_result | None) -> None:
    """A rename would replace even a read-only file; the user marked it so it stays as it is."""
    if old is None:
        return
    if stat.S_ISDIR(old.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(real))
    if stat.S_ISBLK(old.st_mode):  # a disk: renaming a file over its node is never meant
        raise OSError(errno.EINVAL, "it is a disk device", str(real))
    if not old.st_mode & 0o222 or not os.access(real, os.W_OK):
        denied = PermissionError(errno.EACCES, "the file is read-only", str(real))
        raise not_written(denied, target, "choose another name, or make the file writable")


def new_temp_file(real: Path) -> Path:
    """A new empty file of our own beside `real` (same folder, so the rename is atomic)."""
    while True:
        temp = real.with_name(f"{temp_prefix(real)}{secrets.token_hex(4)}.partial")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    os.close(fd)
    return temp


def temp_prefix(real: Path) -> str:
    """`.NAME.`, shortened for a long NAME: the temporary name, and SQLite's `-journal` beside
    it, must fit in the 255 bytes a file name may have."""
    name = real.name
    while len(name.encode("utf-8", "surrogateescape")) > TEMP_NAME_BYTES:
        name = name[:-1]
    return f".{name}."


def remove_stale_temps(real: Path) -> None:
    """Temporary files of this target left by a process that was killed while writing."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in glob.glob(glob.escape(str(real.with_name(temp_prefix(real)))) + "*.partial"):
        with suppress(OSError):
            if os.stat(leftover).st_mtime < cutoff:
                os.unlink(leftover)
