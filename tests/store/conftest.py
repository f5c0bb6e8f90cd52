"""A fresh real SQLite file per test, opened the way the app opens it."""

from __future__ import annotations

import pytest

from store import ops
from store.exchange import export_document
from store.models import AuditLog
from store.opening import close_database, open_database


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "trellis.db"
    open_database(path)
    yield path
    close_database()


@pytest.fixture
def client(db):
    return ops.create_client("Ana Silva")


@pytest.fixture
def tree(client):
    """A small hierarchy: goal <- outcome <- (sprint, commitment), all linked."""
    root = client["id"]
    goal = ops.create_goal(root, "Run a marathon")
    outcome = ops.create_outcome(root, "Run 10 km")
    sprint = ops.create_sprint(root, "Base building", "2026-01-01", "2026-02-15")
    commitment = ops.create_commitment(root, "Buy shoes", target_date="2026-01-10")
    ops.link_items(outcome["id"], goal["id"])
    ops.link_items(outcome["id"], sprint["id"])
    ops.link_items(commitment["id"], outcome["id"])
    return {
        "root": root,
        "goal": goal["id"],
        "outcome": outcome["id"],
        "sprint": sprint["id"],
        "commitment": commitment["id"],
    }


def snapshot() -> tuple[dict, int]:
    """Everything a refusal must leave unchanged: every row, and the audit log's length."""
    return export_document(), AuditLog.select().count()
