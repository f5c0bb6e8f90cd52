"""`trellis restore` refuses a Trellis file whose schema is not the one Trellis writes (issue 11,
round 2, item 1): a trigger or view we never make, a missing index, an extra table or index.
Each refusal is one sentence, exit 3, and the live file (sha256, export, backups) is unchanged."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.conftest import run_trellis
from tests.cli.test_backup_cli import backups_of, one_line_error
from tests.cli.test_restore_cli_safety import made_backup, refused, with_sql

EVIL = (
    "CREATE TRIGGER evil AFTER INSERT ON client_goals BEGIN "
    "DELETE FROM commitment_target_links; DELETE FROM commitments; END"
)


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        (EVIL, ("trigger 'evil' Trellis never makes",)),
        ("CREATE VIEW peek AS SELECT name FROM clients", ("view 'peek' Trellis never makes",)),
        ("DROP INDEX clients_live_name", ("lacks the index 'clients_live_name'",)),
        ("CREATE TABLE notes (x)", ("table 'notes' Trellis never makes",)),
        ("CREATE INDEX extra ON clients (notes)", ("index 'extra' Trellis never makes",)),
    ],
    ids=["trigger", "view", "no-live-name-index", "extra-table", "extra-index"],
)
def test_restore_refuses_a_file_whose_schema_trellis_did_not_write(demo_db, tmp_path, sql, words):
    source = with_sql(made_backup(demo_db), tmp_path / "odd.db", sql)
    refused(
        demo_db,
        source,
        3,
        "odd.db is not a Trellis database as this version writes it",
        *words,
        scratch=tmp_path,
    )


def test_restore_refuses_a_partial_index_that_lost_its_where(demo_db, tmp_path):
    """Without `WHERE deleted_at IS NULL` a trashed client's name could never be used again."""
    source = with_sql(
        made_backup(demo_db),
        tmp_path / "odd.db",
        "DROP INDEX clients_live_name",
        'CREATE UNIQUE INDEX clients_live_name ON clients ("name")',
    )
    refused(demo_db, source, 3, "its index 'clients_live_name' is not the one", scratch=tmp_path)


def test_backup_of_a_live_file_with_a_trigger_does_not_verify_and_keeps_nothing(demo_db):
    """Backup verification uses the same comparison: a copy carrying the trigger is not kept."""
    with sqlite3.connect(demo_db) as conn:
        conn.execute(EVIL)
    result = run_trellis("backup", db=demo_db)
    one_line_error(result, 2, "did not verify", "trigger 'evil' Trellis never makes")
    assert backups_of(demo_db) == []
