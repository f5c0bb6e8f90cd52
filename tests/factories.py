"""Files Trellis did not write, made one way for every test that needs one.

tests/cli, tests/store and tests/desktop all refuse "another program's SQLite file"; they make
it here, so what such a file looks like is decided once. (Legacy coaching databases have their
own factory, tests/legacy_factory.py; a Trellis database is made by store.opening itself.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def another_programs_file(path: Path, table: str = "things (id INTEGER PRIMARY KEY)") -> Path:
    """A SQLite database another program made: one table of its own and none of ours."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"CREATE TABLE {table}")
        conn.commit()
    finally:
        conn.close()
    return Path(path)
