"""A user action is one operation: one transaction, one operation id on every audit row it
writes, and a refusal in any step leaves the database exactly as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from store import backup, ops, repair, sample
from store.errors import LinkRefused, NotFound, ValidationError
from store.exchange import export_document, import_document
from store.models import AuditLog, database
from store.opening import close_database, open_database
from tests.legacy_factory import LegacyFile, import_open
from tests.store.conftest import snapshot


@contextmanager
def transactions() -> Iterator[list[str]]:
    """The transactions begun on the store's connection in the block (SQLite's own trace)."""
    statements: list[str] = []
    conn = database.connection()
    conn.set_trace_callback(statements.append)
    begun: list[str] = []
    try:
        yield begun
    finally:
        conn.set_trace_callback(None)
        begun += [s for s in statements if s.upper().startswith("BEGIN")]


def audit_rows_after(last_id: int) -> list[dict]:
    query = AuditLog.select().where(AuditLog.id > last_id).order_by(AuditLog.id)
    return list(query.dicts())


def last_audit_id() -> int:
    return AuditLog.select(AuditLog.id).order_by(AuditLog.id.desc()).scalar() or 0


def operations_of(rows: list[dict]) -> set[tuple[str, str]]:
    return {(r["operation_id"], r["operation_label"]) for r in rows}


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_steps_inside_one_operation_are_one_transaction_and_one_operation_id(tree):
    start = last_audit_id()
    with transactions() as begun, ops.operation("New outcome"):
        outcome = ops.create_outcome(tree["root"], "Run a half marathon")
        ops.link_items(outcome["id"], tree["goal"])
        ops.set_positions(tree["root"], {outcome["id"]: (10.0, 20.0)})
    assert len(begun) == 1
    rows = audit_rows_after(start)
    assert [r["action"] for r in rows] == ["create", "link", "move"]
    ((op_id, label),) = operations_of(rows)
    assert op_id and label == "New outcome"


def test_a_refusal_in_the_last_step_rolls_back_the_steps_before_it(db, tree):
    before = snapshot()
    digest = file_digest(db)
    with pytest.raises(LinkRefused, match="through an outcome"):
        with ops.operation("New commitment"):
            made = ops.create_commitment(tree["root"], "Stretch daily")
            ops.set_positions(tree["root"], {made["id"]: (1.0, 2.0)})
            ops.link_items(made["id"], tree["goal"])  # a commitment never links to a goal
    assert snapshot() == before  # no row, no trashed row, no audit row
    assert file_digest(db) == digest
    with pytest.raises(NotFound):
        ops.get_item(made["id"])


def test_a_lone_store_call_is_an_operation_of_its_own(tree):
    start = last_audit_id()
    with transactions() as begun:
        ops.delete_item(tree["sprint"])
        ops.restore_item(tree["sprint"])
    assert len(begun) == 2
    rows = audit_rows_after(start)
    assert [r["operation_label"] for r in rows] == ["Move to trash", "Restore from trash"]
    assert len({r["operation_id"] for r in rows}) == 2


def test_a_nested_operation_joins_the_outer_one(tree):
    start = last_audit_id()
    with ops.operation("Delete 2 items"):
        with ops.operation("Delete 'Buy shoes'"):
            ops.delete_item(tree["commitment"])
        ops.delete_item(tree["sprint"])
    rows = audit_rows_after(start)
    assert operations_of(rows) == {(rows[0]["operation_id"], "Delete 2 items")}


def test_a_refused_step_caught_inside_an_operation_leaves_the_others(tree):
    """Inside an operation a store call is a savepoint: catching its refusal keeps the rest."""
    start = last_audit_id()
    with ops.operation("Tidy up"):
        ops.delete_item(tree["sprint"])
        with pytest.raises(ValidationError, match="already in the trash"):
            ops.delete_item(tree["sprint"])
        ops.update_item(tree["goal"], title="Run an ultra")
    rows = audit_rows_after(start)
    assert [r["action"] for r in rows] == ["delete", "update"]
    assert len(operations_of(rows)) == 1


def test_the_sample_workspace_is_one_operation(db):
    start = last_audit_id()
    with transactions() as begun:
        sample.add_sample_workspace()
    assert len(begun) == 1
    assert {label for _id, label in operations_of(audit_rows_after(start))} == {
        "Add the sample workspace"
    }
    assert len(operations_of(audit_rows_after(start))) == 1


def test_a_json_import_is_one_operation(db, tree, tmp_path):
    doc = export_document()
    close_database()
    open_database(tmp_path / "other.db")
    import_document(doc)
    rows = audit_rows_after(0)
    assert [label for _id, label in operations_of(rows)] == ["Import JSON"]


def test_a_legacy_import_is_one_operation_on_every_row_it_writes(db, tmp_path):
    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Run a marathon")
    f.commitment(ana, "Buy shoes", goal=goal)
    import_open(f, tmp_path)
    rows = audit_rows_after(0)
    assert len(rows) > 3
    assert [label for _id, label in operations_of(rows)] == ["Import legacy database"]


def test_a_purge_is_one_operation(tree):
    ops.delete_item(tree["commitment"])
    start = last_audit_id()
    ops.purge_item(tree["commitment"])
    assert [label for _id, label in operations_of(audit_rows_after(start))] == ["Purge"]
    assert backup.backup_files(database.obj.database)  # the backup came first, as before


def test_check_fix_is_one_operation(tree):
    # Two links filed under another client than their ends': two repairs, one action.
    other = ops.create_client("Ben Okoro")["id"]
    for table in ("target_goal_links", "target_sprint_links"):
        database.execute_sql(f"UPDATE {table} SET root_id = ?", (other,))
    start = last_audit_id()
    done = repair.safe_repairs()
    rows = audit_rows_after(start)
    assert len(done) == len(rows) == 2
    assert [label for _id, label in operations_of(rows)] == ["Repair (check --fix)"]
