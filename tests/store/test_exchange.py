"""JSON export/import: the DESIGN §6 document, exact round trips, merges, refusals."""

import json

import pytest

from store import exchange, ops, sample
from store import models as m
from store.errors import ValidationError
from store.opening import close_database, open_database
from tests.store.conftest import snapshot

pytestmark = pytest.mark.both_backends


def test_export_has_every_section_and_every_column(tree):
    doc = exchange.export_document()
    assert set(doc) == {
        "format", "version", "clients", "goals", "outcomes", "sprints", "commitments",
        "sessions", "links", "positions",
    }  # fmt: skip
    assert set(doc["links"]) == {"outcome_goal", "outcome_sprint", "commitment_outcome"}
    goal = doc["goals"][0]
    assert {"id", "root_id", "title", "progress_mode", "deleted_at", "created_at"} <= set(goal)


def test_round_trip_into_an_empty_database_gives_the_same_document(db, tmp_path):
    maya, _leo = sample.add_sample_workspace()
    first_goal = exchange.export_document(maya)["goals"][0]["id"]
    ops.set_positions(maya, {first_goal: (12.5, -3)})
    first = exchange.export_to(tmp_path / "out.json")
    close_database()
    open_database(tmp_path / "second.db")
    exchange.import_document(exchange.read_document(tmp_path / "out.json"))
    assert exchange.export_document() == json.loads((tmp_path / "out.json").read_text())
    assert exchange.export_document() == first


def test_importing_twice_adds_nothing(db, tmp_path):
    sample.add_sample_workspace()
    doc = exchange.export_document()
    report = exchange.import_document(doc)
    assert sum(r["added"] for r in report.values()) == 0
    assert report["goals"]["skipped"] == len(doc["goals"])


def test_importing_nothing_new_writes_no_audit_entry_and_takes_no_backup(db, tmp_path):
    sample.add_sample_workspace()
    doc = exchange.export_document()
    entries = m.AuditLog.select().count()
    exchange.import_document(doc)
    assert m.AuditLog.select().count() == entries
    assert not (tmp_path / "backups").exists()


def test_one_client_export_holds_only_that_client(db):
    sample.add_sample_workspace()
    maya = ops.client_by_name("Maya Okafor")["id"]
    doc = exchange.export_document(maya)
    assert [c["name"] for c in doc["clients"]] == ["Maya Okafor"]
    assert all(r["root_id"] == maya for r in doc["goals"] + doc["links"]["outcome_goal"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"format": "other"}', "is not a Trellis export"),
        ('{"format": "trellis", "version": 9}', "export version 9"),
        ('{"format": "trellis", "version": 1, "goals": {}}', "must be a list"),
    ],
)
def test_unreadable_documents_are_refused_with_a_sentence(tmp_path, text, message):
    path = tmp_path / "in.json"
    path.write_text(text)
    with pytest.raises(ValidationError, match=message):
        exchange.read_document(path)


def test_a_bad_row_refuses_the_whole_import(db, tree, tmp_path):
    doc = exchange.export_document()
    close_database()
    open_database(tmp_path / "fresh.db")
    before = snapshot()
    doc["goals"][0]["status"] = "dreaming"
    message = r"Row 1 of 'goals' \(id [^)]+\): Status must be one of"
    with pytest.raises(ValidationError, match=message):
        exchange.import_document(doc)
    assert snapshot() == before


def test_a_link_across_clients_refuses_the_whole_import(db, tree):
    other = ops.create_client("Ben Osei")
    stranger = ops.create_goal(other["id"], "Other goal")
    doc = exchange.export_document()
    doc["links"]["outcome_goal"][0]["goal_id"] = stranger["id"]
    doc["links"]["outcome_goal"][0]["id"] = "new-link"
    before = snapshot()
    with pytest.raises(ValidationError, match="belongs to client 'Ben Osei'"):
        exchange.import_document(doc)
    assert snapshot() == before
