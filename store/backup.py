"""Backups: SQLite's online backup API into a `backups/` folder beside the database.

Each copy (store.sqlite.copy_database) is written under a temporary name, verified
(store.sqlite.identify_file: reopened, `quick_check`, our application id, a schema version we
can read, every table) and only then renamed into place, so a file in `backups/` is always a
good one. After each good backup the folder is thinned the way Anki thins its
own: everything from today and yesterday, then 12 daily, 10 weekly and 9 monthly copies.
A failed backup thins nothing, so failures can never rotate the last good copy away.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from store import copying, models, postgres, sqlite, targets
from store.errors import FileRefused, TrellisError
from store.locking import disk_condition
from store.paths import backups_dir, team_folder

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 12, 10, 9
# A temporary copy older than this was left by a process that died mid-backup.
STALE_PARTIAL_SECONDS = 3600
STAMP_FORMAT = "%Y-%m-%d_%H-%M-%S_%f"
BACKUP_SUFFIX = r"(?P<stamp>\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{6})_(?P<reason>[a-z0-9-]+)\.db"
# `coach.db.<stamp>_<reason>.db`: keyed by the database's whole file name, so coach.db and
# coach.sqlite in one folder never see each other's backups.
NAME = re.compile(rf"^(?P<db>.+)\.{BACKUP_SUFFIX}$")
# `coach_<stamp>_<reason>.db`, as written before: keyed by the stem, which two databases can
# share. The `.` or `_` before the stamp tells the two namings apart.
OLD_NAME = re.compile(rf"^(?P<stem>.+)_{BACKUP_SUFFIX}$")
# Tables counted in listings, by kind (store.models names them; listed here to read any file).
COUNTED_TABLES = {
    "client": "clients",
    "goal": "client_goals",
    "outcome": "targets",
    "sprint": "sprints",
    "commitment": "commitments",
    "session": "coaching_sessions",
}

Progress = Callable[[int, int], None]


class BackupFailed(TrellisError):
    """A backup could not be written or did not verify; the backups folder is unchanged."""


@dataclass(frozen=True)
class BackupInfo:
    """One file in the backups folder, as the list in the CLI and the restore dialog show it."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    counts: dict[str, int] | None
    problem: str | None = None


# ---------------------------------------------------------------- where and what


def backup_name(db_path: Path, reason: str, when: datetime) -> str:
    return f"{real_file(db_path).name}.{when.strftime(STAMP_FORMAT)}_{reason}.db"


def real_file(db_path: Path) -> Path:
    """What backups are keyed by: the file itself, not a symlink's name for it."""
    return Path(os.path.realpath(db_path))


def parse_name(path: Path, db_path: Path) -> tuple[datetime, str] | None:
    """(time taken, reason) of one of `db_path`'s backups, None for any other file."""
    db_path = real_file(db_path)
    return parse_owned(Path(path).name, db_path, owns_old_names(db_path))


def parse_owned(name: str, db_path: Path, owns_old: bool) -> tuple[datetime, str] | None:
    """Parse `name` as `db_path`'s backup; an old stem-named one only when `owns_old`."""
    found = NAME.match(name)
    if found is not None and found["db"] != db_path.name:
        found = None
    if found is None and owns_old:
        found = OLD_NAME.match(name)
        if found is not None and found["stem"] != db_path.stem:
            found = None
    if found is None:
        return None
    try:
        taken = datetime.strptime(found["stamp"], STAMP_FORMAT)
    except ValueError:
        # Hour 25 or 30 February: no backup of ours was ever named so. Someone else's file,
        # so it is never listed, thinned or deleted.
        return None
    return taken, found["reason"]


def owns_old_names(db_path: Path) -> bool:
    """Backups named by stem are this database's only if no other Trellis file shares the stem.

    With coach.db and coach.sqlite side by side, `coach_….db` could be either's: it is then
    listed and thinned for neither, rather than risk deleting or restoring another's copy.
    """
    folder = db_path.parent
    if not folder.is_dir():
        return True
    return not any(
        entry.name != db_path.name
        and entry.stem == db_path.stem
        and sqlite.has_trellis_header(entry)
        for entry in folder.iterdir()
    )


def team_base(url: str | None = None) -> Path:
    """Where a team database's backups are named from: a name in this computer's data folder
    (user data dir / team / host_database), as a file's backups are named from the file.
    A team database's backups are local Trellis files of the clients this coach may see.
    `url`: that team database's (default: the open one)."""
    url = postgres.full_url(url) if url is not None else models.team_url() or ""
    return team_folder(url) / postgres.database_name(url)


def live_path() -> Path | None:
    """The open database's file, None when nothing (or only memory) is open; for a team
    database, the name its backups are kept under (team_base)."""
    if models.is_team():
        return team_base()
    path = models.current_path()
    if path is None or str(path) == ":memory:":
        return None
    return path


def require_live_path() -> Path:
    path = live_path()
    if path is None:
        raise BackupFailed("No database file is open, so there is nothing to back up.")
    return path


# ---------------------------------------------------------------- copying and verifying


def check_file(path: Path, full: bool = False, shown_as: str | None = None) -> int:
    """Return the schema version of a whole Trellis database file at rest; refuse anything else.

    Refuses (FileRefused) a file that is not SQLite, is truncated, is another program's,
    is damaged (`quick_check`, or `integrity_check` when `full`), lacks a table or column
    Trellis reads, or is from a newer Trellis (store.sqlite.identify_file). Messages call the
    file `shown_as` (default: its name), so a temporary copy is refused under the name the
    user chose.
    """
    return sqlite.identify_file(
        Path(path), models.schema(), whole=True, full=full, shown_as=shown_as
    )


def write_verified(source: Path, target: Path, progress: Progress | None = None) -> Path:
    """Copy `source` to `target` via a verified temporary file; `target` appears only if good."""
    target = Path(target)

    def copy_and_verify(temp: Path) -> None:
        sqlite.copy_database(source, temp, progress)
        check_file(temp)

    try:
        return targets.write_atomically(target, copy_and_verify)
    except FileRefused as exc:
        raise BackupFailed(f"The backup copy did not verify ({exc}); no backup was kept.") from exc
    except (sqlite.Error, OSError) as exc:
        raise BackupFailed(why_not_written(exc, target.parent)) from exc


def why_not_written(exc: BaseException, folder: Path) -> str:
    condition = disk_condition(folder)
    if condition == "disk is full":
        return f"No backup was made: the disk holding {folder} is full; free some space."
    if condition == "readonly":
        return f"No backup was made: {folder} is on a read-only disk."
    if isinstance(exc, targets.NotWritten):  # names the backup asked for, says what to do
        return f"No backup was made: {exc}"
    return f"No backup was made: writing into {folder} failed ({exc})."


# ---------------------------------------------------------------- the public verbs


def backup_to(target: Path, progress: Progress | None = None) -> Path:
    """Copy the open database into `target`, verified (safe while the app is writing).

    Never over a database or its side files: a copy written as `D-wal` vanishes at D's next
    open, and one written as `D-journal` is rolled back into D.
    """
    live = require_live_path()
    targets.refuse_unsafe_target(Path(target), "a backup", "choose another file name")
    targets.refuse_stray_side_files(Path(target), "remove it or choose another file name")
    if models.is_team():
        return copy_team(Path(target), progress)
    return write_verified(live, Path(target), progress)


def copy_team(target: Path, progress: Progress | None = None) -> Path:
    """The open team database's clients (those this coach may see) as a new verified Trellis
    file at `target`: copied row for row (store.copying), then checked like any backup."""
    try:
        copying.copy_into_new_file(models.database.obj, target, progress)
    except (TrellisError, OSError) as exc:
        raise BackupFailed(f"The backup could not be written to {target} ({exc}).") from exc
    check_file(target)
    return target


def backup_file(db_path: Path, reason: str, progress: Progress | None = None) -> Path:
    """Back up `db_path` into its backups folder, then thin the folder; returns the new file."""
    db_path = Path(db_path)
    folder = backups_dir(db_path)
    when = datetime.now()
    while (folder / backup_name(db_path, reason, when)).exists():
        when += timedelta(microseconds=1)
    target = folder / backup_name(db_path, reason, when)
    if models.is_team() and db_path == team_base():
        folder.mkdir(parents=True, exist_ok=True)
        made = copy_team(target, progress)
    else:
        made = write_verified(db_path, target, progress)
    thin_backups(db_path)
    return made


def make_backup(reason: str = "manual", progress: Progress | None = None) -> Path:
    """Back up the open database into its backups folder (File → Back up now, `trellis backup`)."""
    return backup_file(require_live_path(), reason, progress)


def safety_backup(reason: str) -> Path | None:
    """Back up before something destructive; None for an in-memory database.

    Raises BackupFailed when no good copy could be made, so the destructive step does not run.
    """
    path = live_path()
    if path is None:
        return None
    return backup_file(path, reason)


def auto_backup_if_changed(progress: Progress | None = None) -> Path | None:
    """Back up the open database if it changed since its newest backup; None when it did not.

    The app calls this when it closes and every 30 minutes. A fresh database with no changes
    yet has nothing worth keeping and is not backed up.
    """
    path = live_path()
    if path is None or not path.exists() or models.is_team():
        # A team database is the server's to back up (the administrator's); a coach's own
        # copies are made by hand (`trellis backup`) and before anything destructive.
        return None
    current = marker_or_none(path)  # None: unreadable, so try (and report) a backup
    newest = next(iter(backup_files(path)), None)
    if newest is None and current is not None and current[0] == 0:
        return None
    if newest is not None and current is not None and marker_or_none(newest[0]) == current:
        return None
    return backup_file(path, "auto", progress)


def change_marker(path: Path) -> tuple[int, str, int]:
    """What changed last: every change writes an audit row, so its id and time identify the state.

    The time tells apart two states whose newest audit rows happen to share an id (after a
    restore, new changes reuse the ids the restored file never had).
    """
    with sqlite.read_only(path) as conn:
        row = conn.execute("SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        version = sqlite.schema_version(conn)
    return (row[0], row[1], version) if row else (0, "", version)


def marker_or_none(path: Path) -> tuple[int, str, int] | None:
    try:
        return change_marker(path)
    except sqlite.Error:
        return None


# ---------------------------------------------------------------- listing


def backup_files(db_path: Path) -> list[tuple[Path, datetime, str]]:
    """(file, time taken, reason) of every backup of `db_path`, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    db_path, found = real_file(db_path), []
    owns_old = owns_old_names(db_path)
    for entry in folder.iterdir():
        parsed = parse_owned(entry.name, db_path, owns_old)
        if parsed is not None and entry.is_file():
            found.append((entry, *parsed))
    return sorted(found, key=lambda f: f[1], reverse=True)


def list_backups(db_path: Path | None = None) -> list[BackupInfo]:
    """Every backup of the database with its date, size and live items per kind, newest first."""
    if postgres.is_url(db_path):
        db_path = team_base(db_path)
    db_path = Path(db_path) if db_path is not None else require_live_path()
    return [describe_backup(path, taken, reason) for path, taken, reason in backup_files(db_path)]


def newest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that still verifies: what to offer when the database is damaged."""
    for path, _taken, _reason in backup_files(db_path):
        try:
            check_file(path)
        except (TrellisError, sqlite.Error):
            continue
        return path
    return None


def describe_backup(path: Path, taken: datetime, reason: str) -> BackupInfo:
    """One listing entry; a file that cannot be read is listed with its problem, never raises."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    try:
        sqlite.examine_header(path)
        counts = count_items(path)
    except (TrellisError, sqlite.Error, OSError) as exc:
        return BackupInfo(path, taken, reason, size, None, str(exc))
    return BackupInfo(path, taken, reason, size, counts)


def count_items(path: Path) -> dict[str, int]:
    """Live (not trashed) rows per kind in any Trellis file, read without changing it."""
    with sqlite.read_only(path) as conn:
        return {kind: count_live(conn, table) for kind, table in COUNTED_TABLES.items()}


def count_live(conn: sqlite.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]


# ---------------------------------------------------------------- thinning


def obsolete_backups(taken: list[tuple[Path, datetime]], today: date) -> list[Path]:
    """The backups Anki's rule would drop: keep today and yesterday, 12 daily, 10 weekly, 9 monthly.

    Walking from newest to oldest, a backup is kept as a daily one if it is the newest of its
    day and daily slots are left, else as a weekly one if it is the newest of its week, else
    as a monthly one if it is the newest of its month. As in Anki, a month boundary crossed
    while days or weeks are being kept spends a monthly slot.
    """
    yesterday = today - timedelta(days=1)
    budget = {"daily": KEEP_DAILY, "weekly": KEEP_WEEKLY, "monthly": KEEP_MONTHLY}
    last_day = last_week = last_month = None
    obsolete = []
    for path, when in sorted(taken, key=lambda t: t[1], reverse=True):
        day = when.date()
        week, month = day.isocalendar()[:2], (day.year, day.month)
        if day >= yesterday:
            continue
        if day != last_day and budget["daily"]:
            budget["daily"] -= 1
            last_day, last_week, last_month = day, week, month
        elif week != last_week and budget["weekly"]:
            budget["weekly"] -= 1
            last_week, last_month = week, month
        elif month != last_month and budget["monthly"]:
            budget["monthly"] -= 1
            last_month = month
        else:
            obsolete.append(path)
    return obsolete


def thin_backups(db_path: Path, today: date | None = None) -> list[Path]:
    """Delete the backups the thinning rule no longer keeps (call only after a good backup)."""
    today = today or date.today()
    taken = [(path, when) for path, when, _reason in backup_files(db_path)]
    obsolete = obsolete_backups(taken, today)
    for path in obsolete:
        path.unlink(missing_ok=True)
    remove_stale_partials(backups_dir(db_path))
    return obsolete


def remove_stale_partials(folder: Path) -> None:
    """Temporary copies left by a process killed mid-backup (never a finished backup)."""
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for entry in folder.glob(".*.partial"):
        try:
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
        except OSError:
            pass
