"""Creating and editing items: valid changes are saved and audited, bad input changes nothing."""

import pytest

from store import audit, ops
from store.errors import NotFound, ValidationError
from store.models import AuditLog, Goal
from tests.store.conftest import snapshot

pytestmark = pytest.mark.both_backends


def test_create_goal_saves_every_field_and_one_audit_row(client):
    before = AuditLog.select().count()
    goal = ops.create_goal(
        client["id"], "  Run a marathon ", category="health", target_date="2026-10-01"
    )
    row = Goal.get_by_id(goal["id"])
    assert (row.title, row.category, row.target_date) == ("Run a marathon", "health", "2026-10-01")
    assert row.root_id == client["id"] and row.deleted_at is None
    assert AuditLog.select().count() == before + 1
    assert audit.history(goal["id"])[0]["action"] == "create"


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("goal", {"title": "   "}, "title", "Title cannot be empty."),
        ("goal", {"title": "x" * 201}, "title", "keep it under 201"),
        ("goal", {"title": "\x00"}, "title", "NUL character"),
        ("goal", {"title": "G", "status": "dreaming"}, "status", "Status must be one of"),
        ("goal", {"title": "G", "progress": 120}, "progress", "from 0 to 100"),
        ("goal", {"title": "G", "target_date": "31/12/2026"}, "target_date", "date like"),
        ("outcome", {"title": "O", "progress_percentage": -5}, "progress_percentage", "0 to 100"),
        (
            "sprint",
            {"title": "S", "start_date": "2026-03-01", "end_date": "2026-02-01"},
            "end_date",
            "before the start date",
        ),
        ("sprint", {"title": "S", "start_date": "2026-03-01"}, "end_date", "is required"),
        ("commitment", {"title": "C", "priority": "asap"}, "priority", "must be one of"),
        (
            "commitment",
            {"title": "C", "start_date": "2026-05-02", "target_date": "2026-05-01"},
            "target_date",
            "before the start date",
        ),
        ("session", {"held_on": ""}, "held_on", "is required"),
        ("goal", {"title": "G", "colour": "red"}, "colour", "no field named"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_changes_nothing(
    client, kind, fields, field, message
):
    before = snapshot()
    with pytest.raises(ValidationError, match=message) as refused:
        ops.create_item(kind, client["id"], **fields)
    assert refused.value.field == field
    assert snapshot() == before


def test_duplicate_live_goal_title_is_refused(client):
    ops.create_goal(client["id"], "Sleep better")
    before = snapshot()
    with pytest.raises(ValidationError, match="already has a goal titled") as refused:
        ops.create_goal(client["id"], "Sleep better")
    assert refused.value.field == "title"
    assert snapshot() == before


def test_same_goal_title_is_fine_for_another_client(client):
    other = ops.create_client("Ben Osei")
    ops.create_goal(client["id"], "Sleep better")
    assert ops.create_goal(other["id"], "Sleep better")["root_id"] == other["id"]


def test_duplicate_sprint_number_is_refused_and_numbers_default_to_next(client):
    first = ops.create_sprint(client["id"], "One", "2026-01-01", "2026-01-31")
    second = ops.create_sprint(client["id"], "Two", "2026-02-01", "2026-02-28")
    assert (first["sprint_number"], second["sprint_number"]) == (1, 2)
    before = snapshot()
    with pytest.raises(ValidationError, match="sprint number 2"):
        ops.create_sprint(client["id"], "Again", "2026-03-01", "2026-03-31", sprint_number=2)
    assert snapshot() == before


def test_duplicate_client_name_is_refused(client):
    before = snapshot()
    with pytest.raises(ValidationError, match="already exists"):
        ops.create_client("Ana Silva")
    assert snapshot() == before


def test_update_saves_changes_with_before_and_after_in_the_audit(client):
    goal = ops.create_goal(client["id"], "Run")
    ops.update_item(goal["id"], title="Run a marathon", progress_mode="manual", progress=40)
    last = audit.history(goal["id"])[0]
    assert last["action"] == "update"
    assert (last["before"]["title"], last["after"]["title"]) == ("Run", "Run a marathon")
    assert Goal.get_by_id(goal["id"]).progress == 40


def test_update_that_breaks_a_rule_changes_nothing(client):
    sprint = ops.create_sprint(client["id"], "S", "2026-01-01", "2026-01-31")
    before = snapshot()
    with pytest.raises(ValidationError, match="before the start date"):
        ops.update_item(sprint["id"], end_date="2025-12-01")
    assert snapshot() == before


def test_update_of_an_item_in_the_trash_is_refused(client):
    goal = ops.create_goal(client["id"], "Run")
    ops.delete_item(goal["id"])
    with pytest.raises(ValidationError, match="in the trash"):
        ops.update_item(goal["id"], title="Walk")


def test_unknown_ids_raise_not_found(db):
    with pytest.raises(NotFound, match="No item with id nope"):
        ops.update_item("nope", title="x")
    with pytest.raises(NotFound):
        ops.unlink("nope")
    with pytest.raises(NotFound, match="No client"):
        ops.create_goal("nope", "Goal")


def test_items_cannot_be_added_to_a_client_in_the_trash(client):
    ops.delete_item(client["id"])
    with pytest.raises(ValidationError, match="Client 'Ana Silva' is in the trash"):
        ops.create_goal(client["id"], "Goal")


def test_commitment_session_must_belong_to_the_same_client(client):
    other = ops.create_client("Ben Osei")
    session = ops.create_session(other["id"], "2026-01-05")
    with pytest.raises(ValidationError, match="another client") as refused:
        ops.create_commitment(client["id"], "Call", session_id=session["id"])
    assert refused.value.field == "session_id"


def test_set_positions_returns_the_previous_map_for_undo(tree):
    previous = ops.set_positions(tree["root"], {tree["goal"]: (10, 20)})
    assert previous == {tree["goal"]: None}
    previous = ops.set_positions(tree["root"], {tree["goal"]: (30, 40), tree["outcome"]: (1, 2)})
    assert previous == {tree["goal"]: (10.0, 20.0), tree["outcome"]: None}
    ops.set_positions(tree["root"], previous)
    from store.load import load_hierarchy

    assert load_hierarchy(tree["root"]).positions == {tree["goal"]: (10.0, 20.0)}


def test_positions_of_another_clients_items_are_refused(tree):
    other = ops.create_client("Ben Osei")
    before = snapshot()
    with pytest.raises(NotFound, match="belongs to this client"):
        ops.set_positions(other["id"], {tree["goal"]: (1, 1)})
    assert snapshot() == before
