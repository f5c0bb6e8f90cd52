"""A fresh real SQLite file per test, opened the way the app opens it; and every test here
records the SQL the store runs, failing on a statement that touches a client table without
root_id (tests/sql_recorder.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import backup, ops
from store.exchange import export_document
from store.models import AuditLog
from store.opening import close_database, open_database
from store.paths import backups_dir
from tests import sql_recorder


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "unscoped_sql_on_purpose: the test runs unscoped SQL to see it reported"
    )


@pytest.fixture(autouse=True)
def store_sql():
    """The SQL this test makes the store run (checked once the test has passed)."""
    with sql_recorder.recording() as recorder:
        yield recorder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    recorder = getattr(item, "funcargs", {}).get("store_sql")
    if recorder is None or item.get_closest_marker("unscoped_sql_on_purpose"):
        return outcome
    found = sql_recorder.unscoped(recorder.from_store())
    if found:
        pytest.fail(
            "The store ran SQL on a client table without root_id:\n" + sql_recorder.describe(found),
            pytrace=False,
        )
    return outcome


@pytest.fixture
def db(request, tmp_path, backend):
    """The open database: a file, or (in a both_backends module) a team database's URL."""
    if backend == "postgres":
        # A team database's backups go in the user data folder: this test's own.
        request.getfixturevalue("monkeypatch").setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        url = request.getfixturevalue("team_database")
        open_database(url)
        yield url
    else:
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


def backups_folder() -> Path:
    """Where the open database's backups go (beside a file; in the data folder for a team)."""
    return backups_dir(backup.live_path())
