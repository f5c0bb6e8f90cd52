"""Restore: put a backup (or any Trellis file) in place of the live database, undoably.

Everything that can refuse happens before the live file is touched: the chosen file is
checked, copied to a temporary file beside the live one, verified in full and migrated if it
is older. Only then is the live database backed up (so restoring that backup undoes the
restore) and the copy renamed over it in one atomic step.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from store import backup, migrations
from store import db as store_db
from store.errors import FileRefused, ValidationError
from store.locking import sole_use


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
    if live is not None:
        refuse_same_file(Path(source), Path(live))
    return backup.check_file(Path(source), full=True)


def restore_file(source: Path, db_path: Path | None = None) -> RestoreReport:
    """Replace the database at `db_path` (default: the open one) with a copy of `source`."""
    source = Path(source)
    live = Path(db_path) if db_path is not None else backup.require_live_path()
    refuse_same_file(source, live)
    refuse_foreign_live(live)
    version = check_restorable(source)
    incoming = live.with_name(f".{live.name}.restoring")
    was_open = store_db.current_path() == live and not store_db.database.is_closed()
    try:
        prepare_copy(source, incoming, version)
        counts = backup.count_items(incoming)
        safety = take_safety_backup(live)
        store_db.close_database()
        swap_in(incoming, live)
    finally:
        incoming.unlink(missing_ok=True)
        if was_open:
            store_db.open_database(live)
    migrated = version if version < store_db.SCHEMA_VERSION else None
    return RestoreReport(source, live, safety, migrated, counts)


def refuse_same_file(source: Path, live: Path) -> None:
    if live.exists() and source.exists() and os.path.samefile(source, live):
        raise ValidationError(f"{source.name} is the live database itself; choose a backup.")


def refuse_foreign_live(live: Path) -> None:
    """Never replace another program's file; a damaged Trellis file may be replaced."""
    try:
        found = store_db.inspect_file(live)
    except FileRefused as exc:
        if "not a SQLite file" in str(exc):
            raise ValidationError(
                f"{live.name} is not a Trellis database, so a backup will not replace it."
            ) from exc
        return
    if found is not None and found[0] != store_db.APPLICATION_ID:
        raise ValidationError(
            f"{live.name} is another program's database, so a backup will not replace it."
        )


def prepare_copy(source: Path, incoming: Path, version: int) -> None:
    """Copy `source` beside the live file, verify the copy, and bring it to our schema."""
    incoming.unlink(missing_ok=True)
    try:
        backup.copy_database(source, incoming)
    except sqlite3.DatabaseError as exc:
        raise FileRefused(f"{source.name} is damaged ({exc}), so it cannot be restored.") from exc
    backup.check_file(incoming, full=True)
    if version < store_db.SCHEMA_VERSION:
        migrations.upgrade_file(incoming, version)
    backup.fsync_file(incoming)


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
    from datetime import datetime

    folder = backup.backups_dir(live)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup.backup_name(live, "damaged", datetime.now())
    for suffix in ("", "-wal"):
        original = Path(f"{live}{suffix}")
        if original.exists():
            Path(f"{target}{suffix}").write_bytes(original.read_bytes())
    backup.fsync_dir(folder)
    return target


def swap_in(incoming: Path, live: Path) -> None:
    """Rename `incoming` over `live` while no other connection can use `live`."""
    if not live.exists():
        os.replace(incoming, live)
        backup.fsync_dir(live.parent)
        return
    with sole_use(live) as let_go:
        # Side files of the old file must never meet the new one (SQLite would apply a stale
        # journal or WAL to it); sole_use left WAL mode, so normally there are none.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        if os.name == "nt":
            let_go()  # Windows cannot rename over a file that is open.
        os.replace(incoming, live)
        backup.fsync_dir(live.parent)
