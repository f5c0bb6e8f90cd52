"""Helpers for the data-safety tests: read a file's contents without changing the file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from store.exchange import export_document
from store.models import current_path, is_open
from store.opening import close_database, open_database


def export_of(path: Path, scratch: Path) -> dict:
    """The JSON export of any Trellis file, read from a copy so `path` stays byte-identical."""
    bound = current_path() if is_open() else None
    copy = scratch / f"read-{Path(path).name}"
    copy.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    open_database(copy)
    try:
        return export_document()
    finally:
        close_database()
        if bound is not None:
            open_database(bound)


def pragma(path: Path, name: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchall()
    finally:
        conn.close()


def file_state(path: Path) -> dict[str, bytes | None]:
    """The bytes of a database and its side files: what "left untouched" must preserve."""
    return {
        suffix: Path(f"{path}{suffix}").read_bytes() if Path(f"{path}{suffix}").exists() else None
        for suffix in ("", "-wal", "-journal")
    }


def corrupt_pages(path: Path, first: int = 2, count: int = 3) -> None:
    """Overwrite whole pages after the header page with garbage (a damaged disk sector)."""
    with open(path, "r+b") as handle:
        header = handle.read(100)
        page_size = int.from_bytes(header[16:18], "big")
        handle.seek((first - 1) * page_size)
        handle.write(bytes(range(256)) * (page_size * count // 256))
