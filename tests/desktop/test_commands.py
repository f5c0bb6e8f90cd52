"""Every undo command on a real database: it does its change, undo takes it back, and redo
leaves the database exactly as the first run did (apart from the stamps saying when)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from desktop.model.commands import (
    AutoLayoutCommand,
    CreateCommand,
    DeleteCommand,
    EditCommand,
    LinkCommand,
    MoveCommand,
    RestoreCommand,
    UnlinkCommand,
    WeightCommand,
    push,
)
from desktop.model.workspace import Changes, Workspace
from store import ops
from store.errors import LinkRefused, ValidationError
from store.load import load_hierarchy
from store.opening import close_database
from tests.desktop.helpers import snapshot


@pytest.fixture
def ws(qapp, sample_db):
    workspace = Workspace()
    workspace.open(sample_db)
    workspace.select_client(next(c["id"] for c in workspace.clients if c["name"] == "Maya Okafor"))
    yield workspace
    close_database()


@pytest.fixture
def stack(qapp):
    return QUndoStack()


def titled(ws: Workspace, title: str) -> str:
    return next(i.id for i in ws.hierarchy.items.values() if i.title == title)


def live(doc: dict) -> dict:
    """The export without rows in the trash: what a person sees."""
    out = {}
    for key, rows in doc.items():
        if isinstance(rows, list):
            out[key] = [r for r in rows if not r.get("deleted_at")]
        else:
            out[key] = rows
    return out


def round_trip(stack: QUndoStack, command, exact_undo: bool = True) -> None:
    """Push, undo, redo; the database after undo is the one before, after redo the one after."""
    before = snapshot()
    push(stack, command)
    after = snapshot()
    assert after != before
    stack.undo()
    if exact_undo:
        assert snapshot() == before
    else:
        assert live(snapshot()) == live(before)
    stack.redo()
    assert snapshot() == after


def test_create_round_trip_and_undo_moves_the_new_item_to_the_trash(ws, stack):
    goal = titled(ws, "Lead a team with confidence")
    command = CreateCommand(ws, "outcome", {"title": "Hire a deputy"}, goal, (10.0, 170.0))
    round_trip(stack, command, exact_undo=False)
    h = load_hierarchy(ws.root_id)
    assert h.positions[command.item_id] == (10.0, 170.0)
    assert any(lk.upper == goal and lk.lower == command.item_id for lk in h.links)
    stack.undo()
    assert ops.get_item(command.item_id)[1]["deleted_at"] is not None
    assert not ws.is_live(command.item_id)


def test_create_refused_by_the_store_pushes_nothing_and_writes_nothing(ws, stack):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        push(stack, CreateCommand(ws, "goal", {"title": "Lead a team with confidence"}))
    assert refused.value.field == "title"
    assert stack.count() == 0
    assert snapshot() == before


def test_edit_round_trip(ws, stack):
    goal = titled(ws, "Lead a team with confidence")
    round_trip(stack, EditCommand(ws, goal, {"title": "Lead with calm", "status": "paused"}))
    assert ws.item(goal).title == "Lead with calm"


def test_delete_round_trip_brings_links_back_on_undo(ws, stack):
    outcome = titled(ws, "Run 5 km three times a week")
    links = {lk.id for lk in ws.live_links() if outcome in (lk.upper, lk.lower)}
    round_trip(stack, DeleteCommand(ws, [outcome]))
    assert not ws.is_live(outcome)
    stack.undo()
    assert links <= {lk.id for lk in ws.live_links()}


def test_restore_round_trip(ws, stack):
    trashed = next(i for i in ws.hierarchy.items.values() if i.deleted)
    round_trip(stack, RestoreCommand(ws, trashed.id))
    assert ws.is_live(trashed.id)


def test_link_round_trip(ws, stack):
    goal = titled(ws, "Rebuild a steady fitness routine")
    outcome = titled(ws, "Delegate two recurring tasks")
    command = LinkCommand(ws, outcome, goal)
    round_trip(stack, command)
    assert command.link_id in ws.links_by_id


def test_link_refused_pushes_nothing_and_writes_nothing(ws, stack):
    before = snapshot()
    commitment = titled(ws, "Buy running shoes")
    goal = titled(ws, "Rebuild a steady fitness routine")
    with pytest.raises(LinkRefused, match="through an outcome"):
        push(stack, LinkCommand(ws, commitment, goal))
    assert stack.count() == 0
    assert snapshot() == before


def test_unlink_round_trip(ws, stack):
    link = ws.live_links()[0]
    round_trip(stack, UnlinkCommand(ws, [link.id]))
    assert ws.link(link.id) is None
    stack.undo()
    assert ws.link(link.id) == link


def test_weight_round_trip(ws, stack):
    link = ws.live_links()[0]
    round_trip(stack, WeightCommand(ws, link.id, 3.0))
    assert ws.link(link.id).weight == 3.0


def test_move_round_trip(ws, stack):
    a = titled(ws, "Run 5 km three times a week")
    b = titled(ws, "Buy running shoes")
    round_trip(stack, MoveCommand(ws, {a: (5.0, 6.0), b: (7.0, 8.0)}))
    assert ws.position(a) == (5.0, 6.0)


def test_auto_layout_is_one_step_for_every_node(ws, stack):
    node = titled(ws, "Run 5 km three times a week")
    push(stack, MoveCommand(ws, {node: (9999.0, 9999.0)}))
    command = AutoLayoutCommand(ws)
    round_trip(stack, command)
    assert stack.count() == 2
    placed = load_hierarchy(ws.root_id).positions
    assert set(placed) == set(ws.graph.nodes)
    assert placed[node] != (9999.0, 9999.0)
    stack.undo()
    assert ws.position(node) == (9999.0, 9999.0)


def test_delete_of_links_and_items_is_one_step(ws, stack):
    outcome = titled(ws, "Run 5 km three times a week")
    other = next(lk for lk in ws.live_links() if outcome not in (lk.upper, lk.lower))
    round_trip(stack, DeleteCommand(ws, [outcome], [other.id]))
    assert stack.count() == 1


def test_new_client_round_trip_and_the_view_follows_it(ws, stack):
    seen: list[Changes] = []
    ws.changed.connect(seen.append)
    command = CreateCommand(ws, "client", {"name": "Ada Lovelace", "notes": "Engine work"})
    round_trip(stack, command, exact_undo=False)
    assert ws.root_id == command.item_id
    assert seen[-1].reset and seen[-1].clients
    stack.undo()
    assert command.item_id not in {c["id"] for c in ws.clients}
    assert ws.root_id != command.item_id


def test_undo_of_a_change_to_another_client_switches_to_that_client(ws, stack):
    goal = titled(ws, "Lead a team with confidence")
    maya = ws.root_id
    push(stack, EditCommand(ws, goal, {"title": "Lead with calm"}))
    leo = next(c["id"] for c in ws.clients if c["id"] != maya)
    ws.select_client(leo)
    stack.undo()
    assert ws.root_id == maya
    assert ws.item(goal).title == "Lead a team with confidence"


def test_a_replay_the_store_refuses_drops_the_command_and_says_why(ws, stack):
    goal = titled(ws, "Lead a team with confidence")
    said: list[str] = []
    ws.refused.connect(said.append)
    push(stack, DeleteCommand(ws, [goal]))
    ws.purge(goal)
    stack.undo()
    assert said and "No item" in said[0]
    assert stack.count() == 0


def test_changes_name_what_changed(ws, stack):
    seen: list[Changes] = []
    ws.changed.connect(seen.append)
    commitment = titled(ws, "Draft roadmap storyline")
    push(stack, EditCommand(ws, commitment, {"progress_percentage": 90}))
    assert seen[-1].items == {commitment}
    assert not seen[-1].reset
    # its outcome and that outcome's goals rolled up to new values
    assert commitment in seen[-1].progress and len(seen[-1].progress) >= 3
    node = titled(ws, "Buy running shoes")
    push(stack, MoveCommand(ws, {node: (1.0, 2.0)}))
    assert seen[-1].positions == {node} and not seen[-1].structure


def same_as_a_fresh_load(ws: Workspace) -> None:
    """The workspace's incrementally kept graph and roll-up equal a rebuild from the file."""
    from graph.build import build
    from graph.rollup import rollup

    fresh = load_hierarchy(ws.root_id)
    g = build(fresh)
    assert {i: (x.title, x.deleted, x.fields) for i, x in ws.hierarchy.items.items()} == {
        i: (x.title, x.deleted, x.fields) for i, x in fresh.items.items()
    }
    assert sorted(ws.hierarchy.links, key=lambda lk: lk.id) == sorted(
        fresh.links, key=lambda lk: lk.id
    )
    assert set(ws.graph.nodes) == set(g.nodes)
    assert {(u, v, d["id"], d["weight"]) for u, v, d in ws.graph.edges(data=True)} == {
        (u, v, d["id"], d["weight"]) for u, v, d in g.edges(data=True)
    }
    assert ws.progress == pytest.approx(rollup(g))


def test_the_kept_graph_and_progress_match_a_fresh_build_after_every_kind_of_change(ws, stack):
    commitment = titled(ws, "Draft roadmap storyline")
    outcome = titled(ws, "Run 5 km three times a week")
    goal = titled(ws, "Lead a team with confidence")
    other_goal = titled(ws, "Rebuild a steady fitness routine")
    link = next(lk for lk in ws.live_links() if lk.lower == commitment)
    trashed = next(i for i in ws.hierarchy.items.values() if i.deleted)
    commands = [
        EditCommand(ws, commitment, {"progress_percentage": 95, "status": "completed"}),
        EditCommand(ws, outcome, {"progress_mode": "manual", "progress_percentage": 12}),
        DeleteCommand(ws, [outcome]),
        LinkCommand(ws, titled(ws, "Delegate two recurring tasks"), other_goal),
        WeightCommand(ws, link.id, 4.0),
        UnlinkCommand(ws, [link.id]),
        RestoreCommand(ws, trashed.id),
        CreateCommand(ws, "commitment", {"title": "Call Sam", "progress_percentage": 70}, goal),
        DeleteCommand(ws, [goal]),
    ]
    for command in commands[:7] + commands[8:]:
        push(stack, command)
        same_as_a_fresh_load(ws)
    while stack.canUndo():
        stack.undo()
        same_as_a_fresh_load(ws)
    while stack.canRedo():
        stack.redo()
        same_as_a_fresh_load(ws)
    ws.purge(goal)
    same_as_a_fresh_load(ws)
