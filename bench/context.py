"""What every case gets: working copies of the two workspace files and how hard to try."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Context:
    """Working copies (cases may write to them; the cached originals stay untouched)."""

    workdir: Path
    big: Path  # the 20-client file
    small: Path  # the same generator with one client
    root: str  # the client every single-client case uses (the first one in the big file)
    small_root: str
    scale: float
    quick: bool
    cache_dir: Path | None = None  # where generated workspaces are kept (None: bench/.cache)

    def reps(self, full: int, quick: int = 1) -> int:
        return quick if self.quick else full


def first_client(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id FROM clients ORDER BY name LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def make_context(
    workdir: Path,
    big_source: Path,
    small_source: Path,
    scale: float,
    quick: bool,
    cache_dir: Path | None = None,
) -> Context:
    big, small = workdir / "twenty-clients.db", workdir / "one-client.db"
    shutil.copyfile(big_source, big)
    shutil.copyfile(small_source, small)
    roots = first_client(big), first_client(small)
    return Context(workdir, big, small, *roots, scale, quick, cache_dir)
