"""Schema migrations: ordered steps from each released `user_version` to the next.

Version 1 is the first released schema; there is nothing to migrate yet.
"""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from store.db import SCHEMA_VERSION, stamp

# version -> function that upgrades a database from that version to version + 1.
STEPS: dict[int, object] = {}


def upgrade(db: SqliteDatabase, path: Path, version: int) -> None:
    """Run every step from `version` up to SCHEMA_VERSION, each in its own transaction."""
    for step_from in range(version, SCHEMA_VERSION):
        with db.atomic():
            STEPS[step_from](db)
            stamp(db, step_from + 1)
