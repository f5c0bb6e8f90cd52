"""`trellis copy`: move a whole workspace between any two databases — file → team, team → file,
file → file — row for row, verified.

Each database gets a connection of its own (the models stay bound to whatever the store has
open), every table is copied in its foreign-key order in one transaction on the target, and
then both are read back table by table: the copy stands only if every row is the same, so
exporting either gives the same document. The target must hold no client yet (a new file, an
empty server database, or one Trellis made and nothing was put in). From a team database the
source shows only the clients the connecting coach may see (row-level security): that is how a
coach takes a local copy of their clients home.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import peewee

from store import models, postgres, sqlite, targets, team
from store.errors import FileRefused, TeamUnavailable, TrellisError

Progress = Callable[[int, int], None]
BATCH = 500


class CopyFailed(TrellisError):
    """The copy was refused or did not verify; the target is as it was."""


def copy_workspace(
    source: str | Path, target: str | Path, progress: Progress | None = None
) -> dict:
    """Copy every row of `source` into the empty database `target`; returns rows per table."""
    source, target = as_target(source), as_target(target)
    if source == target:
        raise CopyFailed("The source and the target are the same database; name two.")
    with connected(source, create=False) as src:
        if isinstance(target, str):
            with connected(target, create=True) as dst:
                return copy_rows(src, dst, progress)
        return copy_into_new_file(src, Path(target), progress)


def as_target(value: str | Path) -> str | Path:
    """A team database's whole URL (a str), or a file's path."""
    return postgres.full_url(value) if postgres.is_url(value) else Path(value)


def copy_into_new_file(
    src: peewee.Database, target: Path, progress: Progress | None = None
) -> dict:
    """A new Trellis file at `target`, written under a temporary name and renamed when whole."""
    if target.exists():
        raise CopyFailed(
            f"{target.name} exists already; copy into a new file name (nothing was changed)."
        )
    targets.refuse_unsafe_target(target, "a copy", "choose another file name")
    counts: dict = {}

    def write(temp: Path) -> None:
        db = sqlite.new_database(temp)
        db.connect()
        try:
            create_file_schema(db)
            counts.update(copy_rows(src, db, progress))
            sqlite.as_single_file(db)
        finally:
            db.close()

    targets.write_atomically(target, write)
    return counts


def create_file_schema(db: peewee.Database) -> None:
    with db.atomic():
        for model in models.ALL_MODELS:
            peewee.SchemaManager(model, db).create_all()
        sqlite.stamp(db, models.SCHEMA_VERSION)


@contextmanager
def connected(target: str | Path, create: bool) -> Iterator[peewee.Database]:
    """A connection of its own to `target`, at the current schema; a new team database gets
    the schema (`create`); a file must exist and be a Trellis file of this version."""
    if isinstance(target, str):
        db = postgres.new_database(target)
        try:
            db.connect()
        except peewee.DatabaseError as exc:
            raise TeamUnavailable(team.explain_connection_error(exc, target)) from exc
        try:
            version = postgres.identify(db, models.SCHEMA_VERSION, target)
            if version is None and create:
                team.create_schema(db)
            elif version is None:
                raise CopyFailed(f"{postgres.describe(target)} holds no Trellis workspace.")
            elif version < models.SCHEMA_VERSION:
                raise CopyFailed(
                    "The team database is at an older schema; open it with Trellis once first."
                )
            yield db
        finally:
            db.close()
        return
    path = Path(target)
    sqlite.refuse_missing(path)
    version = sqlite.identify_file(path, models.schema())
    if version != models.SCHEMA_VERSION:
        raise FileRefused(
            f"{path.name} is at an older schema; open it with Trellis once to upgrade it, "
            "then copy."
        )
    with sqlite.open_file(path) as db:
        yield db


def columns(model: type[peewee.Model]) -> list[str]:
    return [field.column_name for field in model._meta.sorted_fields]


def select_all(db: peewee.Database, model: type[peewee.Model]) -> list[tuple]:
    """Every row of the model's table, in primary-key order (what the verification compares)."""
    names = ", ".join(f'"{c}"' for c in columns(model))
    key = model._meta.primary_key.column_name
    table = model._meta.table_name
    cursor = db.execute_sql(f'SELECT {names} FROM "{table}" ORDER BY "{key}"')
    return [tuple(row) for row in cursor]


def copy_rows(src: peewee.Database, dst: peewee.Database, progress: Progress | None) -> dict:
    """Every table of `src` into `dst` in one transaction, then verified row for row."""
    refuse_non_empty(dst)
    read = {model: select_all(src, model) for model in models.ALL_MODELS}
    total, done = sum(map(len, read.values())), 0
    with dst.atomic():
        for model, rows in read.items():
            for start in range(0, len(rows), BATCH):
                try:
                    insert_rows(dst, model, rows[start : start + BATCH])
                except peewee.IntegrityError as exc:
                    raise CopyFailed(
                        f"The target already has rows with the ids of this workspace's "
                        f"{model._meta.table_name} ({str(exc).splitlines()[0]}); nothing was "
                        "copied."
                    ) from exc
                done += len(rows[start : start + BATCH])
                if progress:
                    progress(done, total)
        if isinstance(dst, postgres.TrellisPostgres):
            dst.execute_sql(
                "SELECT setval(pg_get_serial_sequence('audit_log', 'id'), "
                "coalesce((SELECT max(id) FROM audit_log), 0) + 1, false)"
            )
        for model, rows in read.items():
            if select_all(dst, model) != rows:
                raise CopyFailed(
                    f"The copy of {model._meta.table_name} did not read back the same; nothing "
                    "was kept."
                )
    return {model._meta.table_name: len(rows) for model, rows in read.items()}


def insert_rows(db: peewee.Database, model: type[peewee.Model], rows: list[tuple]) -> None:
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns(model))
    marks = "(" + ", ".join([db.param] * len(columns(model))) + ")"
    values = ", ".join([marks] * len(rows))
    sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES {values}'
    db.execute_sql(sql, [value for row in rows for value in row])


def refuse_non_empty(db: peewee.Database) -> None:
    found = db.execute_sql('SELECT count(*) FROM "clients"').fetchone()[0]
    if found:
        raise CopyFailed(
            f"The target already holds {found} client{'s' if found != 1 else ''}; copy into an "
            "empty database (nothing was changed)."
        )
