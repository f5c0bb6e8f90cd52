"""Legacy import safety: dry runs write nothing, the source is never written, a second import
adds nothing, a real run is backed up, audited and all-or-nothing."""

from __future__ import annotations

import hashlib

import pytest

from store import legacy, ops
from store.backup import backups_dir
from store.errors import ValidationError
from store.exchange import export_document
from store.models import AuditLog
from store.opening import close_database, open_database
from tests.legacy_factory import LegacyFile, import_open, link_titles, row_titled
from tests.store.conftest import snapshot


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def small_file() -> LegacyFile:
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Get fit", status="on hold")
    f.target("Run 10 km", goal=goal)
    f.target("Swim", goal=goal)
    f.commitment(ana, "Stretch", goal=goal, metadata="{broken")
    return f


def test_dry_run_into_a_missing_database_creates_no_file(tmp_path):
    source = small_file().write(tmp_path / "legacy.db")
    target = tmp_path / "new" / "trellis.db"
    plan = legacy.plan_import(source, target)
    assert plan.new_rows == 6 and plan.new_links == 4
    assert not target.exists() and not target.parent.exists()


def test_dry_run_leaves_an_existing_database_byte_for_byte_unchanged(tmp_path):
    target = tmp_path / "trellis.db"
    open_database(target)
    ops.create_client("Existing")
    close_database()
    before = digest(target)
    source = small_file().write(tmp_path / "legacy.db")
    files = sorted(p.name for p in tmp_path.iterdir())
    plan = legacy.plan_import(source, target)
    assert plan.new_rows == 6
    assert digest(target) == before
    # Not even the -wal/-shm files a read-only open of a WAL database would leave behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == files


def test_the_legacy_file_is_never_written(db, tmp_path):
    source = small_file().write(tmp_path / "legacy.db", wal=True)
    before = digest(source)
    legacy.plan_import(source, tmp_path / "elsewhere.db")
    legacy.run_plan(legacy.plan_import(source))
    legacy.run_plan(legacy.plan_import(source))
    assert digest(source) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("legacy")) == [
        "legacy.db"
    ]


def test_importing_the_same_file_again_adds_nothing(db, tmp_path):
    f = small_file()
    first, _doc = import_open(f, tmp_path)
    before = snapshot()
    again = legacy.plan_import(tmp_path / "legacy.db")
    result = legacy.run_plan(again)
    assert again.nothing_new and result["added"] == {}
    assert snapshot() == before
    made_up = sum(first.added.values())  # the placeholder: made by the import, not in the file
    assert sum(again.present.values()) == first.new_rows - made_up
    lines = legacy.lines(legacy.document(again, dry_run=False, result=result))
    assert any(line.startswith("Nothing new: every row and link") for line in lines)


def test_a_purged_placeholder_is_not_brought_back_by_a_second_import(db, tmp_path):
    _plan, doc = import_open(small_file(), tmp_path)
    placeholder = row_titled(doc, "outcomes", "Unsorted — from goal 'Get fit' (imported)")
    ops.delete_item(placeholder["id"])
    ops.purge_item(placeholder["id"])
    again = legacy.plan_import(tmp_path / "legacy.db")
    assert again.nothing_new
    assert link_titles(export_document())["commitment_outcome"] == set()


def test_a_grown_legacy_file_imports_only_its_new_rows(db, tmp_path):
    f = small_file()
    import_open(f, tmp_path)
    ana = f.rows["clients"][0]["id"]
    f.commitment(ana, "New task", goal=f.rows["client_goals"][0]["id"])
    plan, doc = import_open(f, tmp_path)
    assert {k: len(r) for k, r in plan.rows.items() if r} == {"commitment": 1}
    placeholder = "Unsorted — from goal 'Get fit' (imported)"
    assert link_titles(doc)["commitment_outcome"] == {
        (placeholder, "Stretch"),
        (placeholder, "New task"),
    }


def test_import_into_a_database_with_data_takes_a_backup_first(db, tmp_path):
    ops.create_client("Existing")
    result = legacy.run_plan(legacy.plan_import(small_file().write(tmp_path / "legacy.db")))
    backups = list(backups_dir(db).glob("*_legacy-import.db"))
    assert [str(p) for p in backups] == [result["backup"]]


def test_import_into_an_empty_database_needs_no_backup(db, tmp_path):
    result = legacy.run_plan(legacy.plan_import(small_file().write(tmp_path / "legacy.db")))
    assert result["backup"] is None


def test_every_imported_row_and_link_has_an_import_audit_row_plus_one_summary(db, tmp_path):
    plan, doc = import_open(small_file(), tmp_path)
    audited = {
        (a.entity, a.entity_id) for a in AuditLog.select().where(AuditLog.action == "import")
    }
    rows = {(kind, row["id"]) for kind, rows in plan.rows.items() for row in rows}
    links = {(kind, row["id"]) for kind, rows in plan.links.items() for row in rows}
    summary = {pair for pair in audited if pair[0] == "legacy-file"}
    assert audited == rows | links | summary and len(summary) == 1
    assert len(rows) == sum(len(doc[s]) for s in ("clients", "goals", "outcomes", "commitments"))


def test_cancelling_midway_rolls_the_whole_import_back(db, tmp_path):
    ops.create_client("Existing")
    before = snapshot()
    plan = legacy.plan_import(small_file().write(tmp_path / "legacy.db"))
    with pytest.raises(legacy.ImportCancelled, match="nothing was imported"):
        legacy.run_plan(plan, lambda done, total, what: False)
    assert snapshot() == before


def test_a_plan_made_stale_by_a_change_is_refused_whole(db, tmp_path):
    plan = legacy.plan_import(small_file().write(tmp_path / "legacy.db"))
    ops.create_client("Ana")  # the plan's client name is now taken
    before = snapshot()
    with pytest.raises(ValidationError, match="plan again"):
        legacy.run_plan(plan)
    assert snapshot() == before


def test_the_legacy_file_cannot_be_the_open_database(db):
    with pytest.raises(ValidationError, match="is the Trellis database itself"):
        legacy.plan_import(db)
