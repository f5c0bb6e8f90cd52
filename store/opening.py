"""Opening the database: identify the file, create or migrate it (a backup first), bind the models.

The one place that ties the store together: store.sqlite says what the file is and makes the
connection, store.models' proxy is pointed at it, store.migrations upgrades an older file
after store.backup has kept a verified copy, and store.leftovers tidies what killed runs left.
Nothing below imports this module, so there is no cycle to hide.
"""

from __future__ import annotations

import os
from pathlib import Path

import peewee

from store import backup, leftovers, migrations, models, postgres, sqlite, targets, team
from store.errors import DatabaseInUse, FileRefused, TeamUnavailable
from store.locking import disk_condition
from store.models import database

# A restore takes seconds; being replaced this many times in a row means something is wrong.
REOPEN_ATTEMPTS = 3


def identify(path: Path) -> int | None:
    """The schema version of the Trellis file at `path`, None if there is none yet; refuses
    foreign, damaged and newer files (store.sqlite.identify_file)."""
    return sqlite.identify_file(Path(path), models.schema())


def open_database(path: str | Path, password: str | None = None):
    """Open (creating if new) the Trellis database at `path` — a file, or a team database's
    postgresql:// URL — and bind every model to it."""
    if postgres.is_url(path):
        return open_team_database(postgres.full_url(path), password)
    path = Path(path)
    targets.refuse_side_file_as_database(path)
    version = connect(path)
    if version is None:
        models.create_schema(database)
        sqlite.stamp(database, models.SCHEMA_VERSION)
    elif version < models.SCHEMA_VERSION:
        upgrade(path, version)
    # What killed restores and backups left; a run still under way keeps its files.
    leftovers.remove_leftovers(path)
    return database


def open_team_database(url: str, password: str | None = None):
    """Connect to the team database at `url`, making its schema when it is empty, and bind
    every model to it. The server keeps its own backups, so a migration needs none of ours."""
    close_database()
    server = postgres.new_database(url, password)
    try:
        server.connect()
    except peewee.DatabaseError as exc:
        raise TeamUnavailable(team.explain_connection_error(exc, url)) from exc
    database.initialize(server)
    try:
        version = postgres.identify(server, models.SCHEMA_VERSION, url)
        if version is None:
            team.create_schema(server)
        elif version < models.SCHEMA_VERSION:
            migrations.upgrade(server, version)
    except BaseException:
        close_database()
        raise
    return database


def connect(path: Path) -> int | None:
    """Identify `path` and connect to it; returns its schema version (None: new)."""
    for _attempt in range(REOPEN_ATTEMPTS):
        identity = file_identity(path)
        version = identify(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        close_database()
        database.initialize(sqlite.new_database(path))
        database.connect()
        hold_the_file(path)
        if identity is None or file_identity(path) == identity:
            return version
        # A restore renamed a new file over this one while we connected: our connection holds
        # the old file, which nobody will see again, so every write to it would be lost.
        close_database()
    raise FileRefused(f"{path.name} kept being replaced while it was opened; try again.")


def upgrade(path: Path, version: int) -> None:
    """A verified backup of the old version, then every migration step up to ours."""
    if migrations.pending_steps(version):
        backup.backup_file(path, f"before-migration-v{version}")
    migrations.upgrade(database, version)


def hold_the_file(path: Path) -> None:
    """Hold the file from now on (store.sqlite.hold); refuse if a restore has taken it."""
    if sqlite.hold(database) or str(path) == ":memory:":
        return
    if not os.access(path, os.W_OK) or disk_condition(path) == "readonly":
        return  # a read-only file cannot leave its mode; its first write explains itself
    close_database()
    raise DatabaseInUse(
        f"The database {path.name} is being restored or replaced by another Trellis window "
        "or command; try again in a moment (nothing was changed)."
    )


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file `path` names now (device, inode), None if there is none yet."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def close_database() -> None:
    """Close the connection if one is open (safe to call twice)."""
    team.close_listeners()
    if models.is_open():
        database.close()


def data_version() -> int | None:
    """A number that changes when another program commits to the open database (the app asks
    it every few seconds to follow other writers); None when nothing is open or readable."""
    if database.obj is None:
        return None
    if models.is_team():
        return team.data_version(database)
    return sqlite.data_version(database)
