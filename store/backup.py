"""Backups with SQLite's online backup API, into a `backups/` folder beside the database."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from store.db import current_path, database


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def backup_to(target: Path) -> Path:
    """Copy the open database into `target` with the online backup API (safe while in use)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = database.connection()
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
    finally:
        dest.close()
    return target


def safety_backup(reason: str) -> Path | None:
    """Back up before something destructive; None for an in-memory database."""
    path = current_path()
    if path is None or str(path) == ":memory:":
        return None
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S_%f")
    return backup_to(backups_dir(path) / f"trellis_{stamp}_{reason}.db")
