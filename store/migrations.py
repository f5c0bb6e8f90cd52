"""Schema migrations: ordered steps from each released `user_version` to the next.

A step is a function of the database that changes its schema with playhouse.migrate (and
moves data if it must). store.opening takes a verified backup first; the runner then runs each
step in its own transaction together with the new `user_version`, so a failing step leaves the
file at the version before it. Foreign keys are switched off around a step (SQLite's own recipe
for table rebuilds, store.sqlite.foreign_keys_off) and checked before the step commits.

Version 1 is the first released schema. To release the next version N + 1: raise
store.models.SCHEMA_VERSION, add `STEPS[N] = Step(N, "what it does", function)`, and add
`tests/fixtures/schema_v<N+1>.db` (tests/fixtures/make_fixtures.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from peewee import CharField, Database
from playhouse.migrate import SchemaMigrator, migrate

from store import models, postgres, sqlite, team
from store.errors import FileRefused, TrellisError


@dataclass(frozen=True)
class Step:
    """Upgrade a database from `version` to `version + 1`."""

    version: int
    description: str
    apply: Callable[[Database], None]


class MigrationFailed(TrellisError):
    """A step failed; the file stays at the version before that step (and a backup exists)."""


def add_operations(db: Database) -> None:
    """Schema 2: each audit row names the user action it is one step of (store.audit).

    Rows written before keep NULL: schema 1 did not record which rows one action wrote, and
    inventing a grouping would tell History something nobody knows.
    """
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("audit_log", "operation_id", CharField(null=True)),
        migrator.add_column("audit_log", "operation_label", CharField(null=True)),
        migrator.add_index("audit_log", ("operation_id",)),
    )


# version -> the step that upgrades a database from that version to version + 1.
STEPS: dict[int, Step] = {
    1: Step(1, "audit rows name the user action they belong to", add_operations),
}


def pending_steps(version: int) -> list[Step]:
    """The steps that bring a file at `version` to the current schema, in order."""
    target = models.SCHEMA_VERSION
    missing = [v for v in range(version, target) if v not in STEPS]
    if missing:
        raise FileRefused(
            f"This Trellis has no migration from schema {missing[0]} to {missing[0] + 1}, "
            "so it cannot open that file."
        )
    return [STEPS[v] for v in range(version, target)]


def plan(path: Path | str) -> tuple[int | None, list[Step]]:
    """(the database's schema version, the steps a migration would run), changing nothing."""
    if postgres.is_url(path):
        version = team_version(postgres.full_url(path))
    else:
        version = sqlite.identify_file(Path(path), models.schema())
    if version is None:
        return None, []
    return version, pending_steps(version)


def team_version(url: str) -> int | None:
    """The team database's schema version, read on a connection of its own."""
    db = postgres.new_database(url)
    try:
        db.connect()
    except Exception as exc:
        raise FileRefused(team.explain_connection_error(exc, url)) from exc
    try:
        return postgres.identify(db, models.SCHEMA_VERSION, url)
    finally:
        db.close()


def upgrade(db: Database, version: int) -> list[Step]:
    """Run every step from `version` up to the current schema; returns the steps.

    The caller has backed the file up first (store.opening) or is migrating a copy.
    """
    steps = pending_steps(version)
    for step in steps:
        run_step(db, step)
    return steps


def run_step(db: Database, step: Step) -> None:
    """One step and its new version number, in one transaction (on both backends: PostgreSQL's
    DDL is transactional and checks foreign keys itself, so only SQLite needs them off)."""
    on_server = isinstance(db, postgres.TrellisPostgres)
    try:
        with nullcontext() if on_server else sqlite.foreign_keys_off(db), db.atomic():
            step.apply(db)
            broken = [] if on_server else sqlite.dangling_rows(db)
            if broken:
                raise MigrationFailed(
                    f"Migration to schema {step.version + 1} ({step.description}) would leave "
                    f"{len(broken)} rows pointing at missing rows in {broken[0][0]}."
                )
            (postgres.stamp if on_server else sqlite.stamp)(db, step.version + 1)
    except MigrationFailed:
        raise
    except Exception as exc:
        raise MigrationFailed(
            f"Migration to schema {step.version + 1} ({step.description}) failed ({exc}); "
            f"the file is still at schema {step.version}."
        ) from exc


def upgrade_file(path: Path, version: int) -> list[Step]:
    """Migrate a file that is not the open database (a copy being restored); no backup needed."""
    with sqlite.open_file(path) as db:
        steps = upgrade(db, version)
        # Back to one self-contained file, like every backup.
        sqlite.as_single_file(db)
        return steps
