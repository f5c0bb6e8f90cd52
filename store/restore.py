"""Restore: put a backup (or any Trellis file) in place of the live database, undoably.

Everything that can refuse happens before the live file is touched: the chosen file is
checked, copied to a temporary file beside the live one, verified in full (schema included)
and migrated if it is older. Only then is the live database held for sole use, backed up (so
restoring that backup undoes the restore) and the copy renamed over it in one atomic step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from store import backup, leftovers, migrations, models, opening, postgres, sqlite, targets
from store.errors import DatabaseInUse, FileRefused, ValidationError
from store.paths import fsync_dir, fsync_file, special_file_kind


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did: which file came in, where the replaced database was saved."""

    source: Path
    live: Path
    safety_backup: Path | None
    migrated_from: int | None
    counts: dict[str, int]


def check_restorable(source: Path, live: Path | None = None) -> int:
    """Refuse a file that is not a sound Trellis database we can read; return its version."""
    if postgres.is_url(live) or (live is None and models.is_team()):
        raise ValidationError(
            "A team database is restored by its administrator from the server's own backups; "
            "to bring a backup of yours onto the server, `trellis copy --from BACKUP --to URL` "
            "into a new, empty team database (nothing was changed)."
        )
    if live is not None:
        refuse_same_file(Path(source), Path(live))
    return backup.check_file(Path(source), full=True)


def restore_file(source: Path, db_path: Path | None = None) -> RestoreReport:
    """Replace the database at `db_path` (default: the open one) with a copy of `source`.

    A `db_path` that is a symlink stays one: the file it points to gets the restored content.
    """
    source = Path(source)
    named = Path(db_path) if db_path is not None else backup.require_live_path()
    targets.refuse_side_file_as_database(named)
    live = Path(os.path.realpath(named))
    refuse_same_file(source, live)
    refuse_foreign_live(live)
    version = check_restorable(source)
    incoming = leftovers.new_restoring_file(live)
    reopen = open_path_of(live)
    try:
        prepare_copy(source, incoming, version)
        counts = backup.count_items(incoming)
        if reopen is not None:
            opening.close_database()  # sole use: our own connection must go too
        safety = replace_live(incoming, live, named)
    finally:
        leftovers.remove_with_side_files(incoming)
        if reopen is not None:
            opening.open_database(reopen)
    migrated = version if version < models.SCHEMA_VERSION else None
    return RestoreReport(source, named, safety, migrated, counts)


def open_path_of(live: Path) -> Path | None:
    """The path the store has `live` open under (perhaps a symlink), None if it is not open."""
    current = models.current_path()
    if current is None or not models.is_open() or str(current) == ":memory:":
        return None
    return current if Path(os.path.realpath(current)) == live else None


def replace_live(incoming: Path, live: Path, named: Path) -> Path | None:
    """Take sole use of `live`, then back it up, then swap `incoming` in; returns the backup.

    Sole use comes first: a write that another program commits after the safety backup would
    be in neither that backup nor the restored file, though it reported success. Now such a
    writer waits and is refused instead.
    """
    if not live.exists():
        place_new(incoming, live)
        return None
    with sqlite.sole_use(live) as let_go:
        safety = take_safety_backup(named)
        swap_in(incoming, live, let_go)
    return safety


def refuse_same_file(source: Path, live: Path) -> None:
    if live.exists() and source.exists() and os.path.samefile(source, live):
        raise ValidationError(f"{source.name} is the live database itself; choose a backup.")


def refuse_foreign_live(live: Path) -> None:
    """Never replace another program's file; a damaged Trellis file may be replaced."""
    kind = special_file_kind(live)
    if kind is not None:
        raise ValidationError(
            f"{live.name} is not a regular file (it is {kind}), so a backup will not replace it."
        )
    try:
        opening.identify(live)
    except FileRefused as exc:
        if exc.reason == "not-sqlite":
            raise ValidationError(
                f"{live.name} is not a Trellis database, so a backup will not replace it."
            ) from exc
        if exc.reason == "foreign":
            raise ValidationError(
                f"{live.name} is another program's database, so a backup will not replace it."
            ) from exc
        # Damaged, or from a newer Trellis: still a Trellis file, which a restore may replace.


def prepare_copy(source: Path, incoming: Path, version: int) -> None:
    """Copy `source` beside the live file, verify the copy, and bring it to our schema.

    Every refusal names `source`: the copy has a name the user never chose.
    """
    try:
        sqlite.copy_database(source, incoming)
    except sqlite.DatabaseError as exc:
        raise FileRefused(f"{source.name} is damaged ({exc}), so it cannot be restored.") from exc
    backup.check_file(incoming, full=True, shown_as=source.name)
    if version < models.SCHEMA_VERSION:
        try:
            migrations.upgrade_file(incoming, version)
        except migrations.MigrationFailed as exc:
            raise FileRefused(f"{source.name} cannot be brought up to date: {exc}") from exc
        # The whole schema again, now against what this version of Trellis reads.
        backup.check_file(incoming, shown_as=source.name)
    fsync_file(incoming)


def take_safety_backup(live: Path) -> Path | None:
    """A verified copy of the live database; a raw copy if it is too damaged to verify."""
    if not live.exists():
        return None
    try:
        return backup.backup_file(live, "before-restore")
    except backup.BackupFailed:
        # Restoring is how a damaged database gets fixed: keep its bytes, then go on.
        return raw_copy(live)


def raw_copy(live: Path) -> Path:
    """Keep the exact bytes of a database that failed verification (and its WAL, if any)."""
    folder = backup.backups_dir(live)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup.backup_name(live, "damaged", datetime.now())
    real = os.path.realpath(live)  # a symlink's WAL is beside the file it points to
    for suffix in ("", "-wal"):
        original = Path(f"{real}{suffix}")
        if original.exists():
            Path(f"{target}{suffix}").write_bytes(original.read_bytes())
    fsync_dir(folder)
    return target


def swap_in(incoming: Path, live: Path, let_go: Callable[[], None]) -> None:
    """Rename `incoming` over `live`, which the caller holds (sole_use)."""
    # Side files of the old file must never meet the new one (SQLite would apply a stale
    # journal or WAL to it); sole_use left WAL mode, so normally there are none.
    for suffix in sqlite.SIDE_SUFFIXES:
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    targets.keep_mode_and_owner(incoming, os.stat(live))  # the copy was made private (0600)
    if os.name == "nt":
        let_go()  # Windows cannot rename over a file that is open.
    os.replace(incoming, live)
    fsync_dir(live.parent)


def place_new(incoming: Path, live: Path) -> None:
    """Put `incoming` at a path with no database yet, never over one created meanwhile."""
    try:
        os.link(incoming, live)  # fails if `live` appeared: a rename would overwrite it
    except FileExistsError:
        raise DatabaseInUse(
            f"{live.name} was created by another Trellis window or command during the restore; "
            "try the restore again (nothing was changed)."
        ) from None
    except OSError:
        os.replace(incoming, live)  # a file system without hard links
    fsync_dir(live.parent)
