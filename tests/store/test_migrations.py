"""Migrations: every released schema opens and checks clean; the runner is exercised for real.

The runner is tested with steps defined here and the registry (STEPS, SCHEMA_VERSION) swapped
for the test, on real copies of the version-1 fixture file; the released step to schema 2 (audit
rows name their operation) is tested as it ships, at the end.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import CharField, IntegerField
from playhouse.migrate import SqliteMigrator, migrate

from graph.check import check
from store import backup, migrations, models, ops
from store.errors import FileRefused
from store.exchange import export_document
from store.load import load_hierarchy
from store.migrations import MigrationFailed, Step
from store.models import database
from store.opening import close_database, identify, open_database
from tests.store.backup_support import export_of, file_state, pragma

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_versions() -> dict[int, Path]:
    found = {}
    for path in FIXTURES.glob("schema_v*.db"):
        found[int(re.fullmatch(r"schema_v(\d+)\.db", path.name)[1])] = path
    return found


@pytest.fixture
def v1(tmp_path):
    """A copy of the released version-1 file (the fixture itself is never written)."""
    path = tmp_path / "trellis.db"
    shutil.copyfile(fixture_versions()[1], path)
    yield path
    close_database()


@pytest.fixture
def newest(tmp_path):
    """A copy of the fixture of the current schema (a file that needs no migration)."""
    path = tmp_path / "trellis.db"
    shutil.copyfile(fixture_versions()[models.SCHEMA_VERSION], path)
    yield path
    close_database()


def use_steps(monkeypatch, *steps: Step) -> None:
    monkeypatch.setattr(models, "SCHEMA_VERSION", 1 + len(steps))
    monkeypatch.setattr(migrations, "STEPS", {s.version: s for s in steps})


def add_mood(db) -> None:
    migrate(SqliteMigrator(db).add_column("coaching_sessions", "mood", CharField(default="calm")))


def add_effort(db) -> None:
    migrate(SqliteMigrator(db).add_column("commitments", "effort", IntegerField(default=1)))
    db.execute_sql("UPDATE commitments SET effort = 3 WHERE priority = 'high'")


def count_rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def columns(path: Path, table: str) -> set[str]:
    return {row[1] for row in pragma(path, f"table_info({table})")}


# ---------------------------------------------------------------- released versions


def test_every_released_schema_version_has_a_fixture_file():
    assert sorted(fixture_versions()) == list(range(1, models.SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", sorted(fixture_versions()))
def test_each_released_fixture_opens_migrates_and_passes_check(version, tmp_path):
    path = tmp_path / f"v{version}.db"
    shutil.copyfile(fixture_versions()[version], path)
    open_database(path)
    try:
        assert pragma(path, "user_version") == [(models.SCHEMA_VERSION,)]
        assert pragma(path, "integrity_check") == [("ok",)]
        assert pragma(path, "foreign_key_check") == []
        findings = check(load_hierarchy())
        assert [f for f in findings if f.severity == "error"] == []
        doc = export_document()
        assert len(doc["clients"]) >= 3 and len(doc["commitments"]) >= 20
        assert all(doc["links"].values()) and doc["positions"]
    finally:
        close_database()


# ---------------------------------------------------------------- the runner


def test_steps_run_in_order_and_stamp_each_version(v1, monkeypatch):
    use_steps(monkeypatch, Step(1, "add session mood", add_mood), Step(2, "add effort", add_effort))
    open_database(v1)
    assert pragma(v1, "user_version") == [(3,)]
    assert "mood" in columns(v1, "coaching_sessions") and "effort" in columns(v1, "commitments")
    efforts = dict(
        database.execute_sql("SELECT priority, max(effort) FROM commitments GROUP BY 1").fetchall()
    )
    assert efforts["high"] == 3 and efforts["medium"] == 1
    assert [f for f in check(load_hierarchy()) if f.severity == "error"] == []


def test_migration_takes_a_verified_backup_of_the_old_version_first(v1, monkeypatch, tmp_path):
    exported = export_of(v1, tmp_path)
    use_steps(monkeypatch, Step(1, "add session mood", add_mood))
    open_database(v1)
    (made,) = [p for p, _w, reason in backup.backup_files(v1) if reason == "before-migration-v1"]
    assert pragma(made, "user_version") == [(1,)]
    assert pragma(made, "quick_check") == [("ok",)]
    assert "mood" not in columns(made, "coaching_sessions")
    close_database()
    monkeypatch.setattr(models, "SCHEMA_VERSION", 1)
    assert export_of(made, tmp_path) == exported


def test_each_step_runs_inside_its_own_transaction_with_foreign_keys_off(v1, monkeypatch):
    seen = []

    def observe(db) -> None:
        seen.append((db.in_transaction(), db.execute_sql("PRAGMA foreign_keys").fetchone()[0]))

    use_steps(monkeypatch, Step(1, "observe", observe), Step(2, "observe again", observe))
    open_database(v1)
    assert seen == [(True, 0), (True, 0)]
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_failing_step_leaves_the_file_at_the_version_before_it(v1, monkeypatch):
    def add_then_fail(db) -> None:
        add_effort(db)
        raise RuntimeError("disk said no")

    use_steps(
        monkeypatch, Step(1, "add session mood", add_mood), Step(2, "add effort", add_then_fail)
    )
    with pytest.raises(MigrationFailed, match="still at schema 2"):
        open_database(v1)
    close_database()
    assert pragma(v1, "user_version") == [(2,)]
    assert "mood" in columns(v1, "coaching_sessions")
    assert "effort" not in columns(v1, "commitments")
    assert pragma(v1, "integrity_check") == [("ok",)]


def test_a_failing_first_step_leaves_the_data_exactly_as_it_was(v1, monkeypatch, tmp_path):
    exported = export_of(v1, tmp_path)

    def fail(db) -> None:
        db.execute_sql("DELETE FROM target_goal_links")
        raise RuntimeError("half done")

    use_steps(monkeypatch, Step(1, "break things", fail))
    with pytest.raises(MigrationFailed, match="still at schema 1"):
        open_database(v1)
    close_database()
    assert pragma(v1, "user_version") == [(1,)]
    monkeypatch.setattr(models, "SCHEMA_VERSION", 1)
    assert export_of(v1, tmp_path) == exported


def test_a_step_that_leaves_dangling_foreign_keys_is_rolled_back(v1, monkeypatch):
    def orphan(db) -> None:
        db.execute_sql("DELETE FROM client_goals")  # foreign keys are off: links would dangle

    use_steps(monkeypatch, Step(1, "drop goals", orphan))
    with pytest.raises(MigrationFailed, match="pointing at missing rows"):
        open_database(v1)
    close_database()
    assert pragma(v1, "user_version") == [(1,)]
    assert count_rows(v1, "client_goals") > 0


def test_a_table_rebuild_keeps_the_rows_that_reference_the_rebuilt_table(v1, monkeypatch):
    """SQLite rebuilds a table to drop a column; with foreign keys on, links would cascade away."""
    links_before = count_rows(v1, "target_goal_links")

    def drop_category(db) -> None:
        migrate(SqliteMigrator(db).drop_column("client_goals", "category", legacy=True))

    use_steps(monkeypatch, Step(1, "drop goal category", drop_category))
    open_database(v1)
    assert "category" not in columns(v1, "client_goals")
    links = database.execute_sql("SELECT count(*) FROM target_goal_links").fetchone()[0]
    assert links == links_before > 0
    assert pragma(v1, "foreign_key_check") == []


def test_a_missing_step_refuses_the_file_and_changes_nothing(v1, monkeypatch):
    monkeypatch.setattr(models, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(migrations, "STEPS", {1: Step(1, "add session mood", add_mood)})
    before = file_state(v1)
    with pytest.raises(FileRefused, match="no migration from schema 2 to 3"):
        migrations.plan(v1)
    assert file_state(v1) == before


def test_plan_lists_the_steps_and_changes_nothing(v1, monkeypatch):
    use_steps(monkeypatch, Step(1, "add session mood", add_mood), Step(2, "add effort", add_effort))
    before = file_state(v1)
    version, steps = migrations.plan(v1)
    assert version == 1 and [s.description for s in steps] == ["add session mood", "add effort"]
    assert file_state(v1) == before
    assert not backup.backups_dir(v1).exists()


def test_an_up_to_date_file_has_no_plan_and_takes_no_backup(newest):
    assert migrations.plan(newest) == (models.SCHEMA_VERSION, [])
    open_database(newest)
    assert not backup.backups_dir(newest).exists()


# ---------------------------------------------------------------- schema 2: audit operations


def audit_layout(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        query = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'audit_log'"
        return sorted(conn.execute(query).fetchall())
    finally:
        conn.close()


def test_schema_2_gives_old_audit_rows_no_operation_and_new_ones_theirs(v1):
    old_rows = count_rows(v1, "audit_log")
    open_database(v1)
    assert pragma(v1, "user_version") == [(2,)]
    assert {"operation_id", "operation_label"} <= columns(v1, "audit_log")
    tagged = "SELECT count(*) FROM audit_log WHERE operation_id IS NOT NULL"
    assert database.execute_sql(tagged).fetchone()[0] == 0
    live = "SELECT id FROM clients WHERE deleted_at IS NULL LIMIT 1"
    client = database.execute_sql(live).fetchone()[0]
    ops.create_goal(client, "A goal made after the migration")
    newest = "SELECT operation_label FROM audit_log WHERE id > ?"
    assert database.execute_sql(newest, (old_rows,)).fetchall() == [("New goal",)]


def test_a_migrated_audit_log_is_the_one_a_new_file_has(v1, tmp_path):
    open_database(v1)
    close_database()
    open_database(tmp_path / "new.db")
    close_database()
    assert audit_layout(v1) == audit_layout(tmp_path / "new.db")


def test_the_whole_file_check_accepts_a_schema_1_and_a_schema_2_file():
    """Opening checks a file's tables; a backup at rest is checked whole (every column)."""
    assert identify(fixture_versions()[1]) == 1
    assert identify(fixture_versions()[2]) == 2
    assert backup.check_file(fixture_versions()[1]) == 1
    assert backup.check_file(fixture_versions()[2]) == 2
