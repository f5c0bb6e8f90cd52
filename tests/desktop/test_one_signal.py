"""One user action = one transaction = one `changed` signal = one audit operation id, for the
first run, the undo and the redo alike; a refusal half-way writes nothing and says nothing."""

from __future__ import annotations

import pytest

from desktop.dialogs.history import history_entries
from desktop.model.commands import CreateCommand, DeleteCommand, push
from desktop.model.workspace import Changes
from store.errors import LinkRefused
from tests.desktop.helpers import snapshot
from tests.desktop.test_commands import stack, titled, ws  # noqa: F401 - fixtures
from tests.store.test_operations import audit_rows_after, last_audit_id, transactions


class Observed:
    """What one run of a command did: transactions begun, signals sent, audit operations."""

    def __init__(self, ws):  # noqa: F811 - the fixture's name
        self.ws = ws
        self.signals: list[Changes] = []

    def __call__(self, act) -> Observed:
        start = last_audit_id()
        self.signals.clear()
        self.ws.changed.connect(self.signals.append)
        try:
            with transactions() as begun:
                act()
        finally:
            self.ws.changed.disconnect(self.signals.append)
        self.begun = begun
        self.rows = audit_rows_after(start)
        self.operations = {(r["operation_id"], r["operation_label"]) for r in self.rows}
        return self

    def is_one_operation(self, label: str) -> bool:
        (only,) = self.operations
        return len(self.begun) == 1 and len(self.signals) == 1 and only[1] == label


def eight_items(ws) -> list[str]:  # noqa: F811
    return [i.id for i in sorted(ws.live_items(), key=lambda i: i.title)[:8]]


def test_new_outcome_linked_and_placed_is_one_operation_each_way(ws, stack):  # noqa: F811
    goal = titled(ws, "Lead a team with confidence")
    command = CreateCommand(ws, "outcome", {"title": "Hire a deputy"}, goal, (10.0, 170.0))
    observe = Observed(ws)
    first = observe(lambda: push(stack, command))
    assert [r["action"] for r in first.rows] == ["create", "link", "move"]
    assert first.is_one_operation("New outcome")
    assert command.item_id in first.signals[0].items and first.signals[0].links
    assert observe(stack.undo).is_one_operation("Undo New outcome")
    assert not ws.is_live(command.item_id)
    assert observe(stack.redo).is_one_operation("Redo New outcome")
    assert ws.is_live(command.item_id) and ws.position(command.item_id) == (10.0, 170.0)


def test_deleting_eight_items_is_one_operation_each_way(ws, stack):  # noqa: F811
    ids = eight_items(ws)
    observe = Observed(ws)
    first = observe(lambda: push(stack, DeleteCommand(ws, ids)))
    assert len(first.rows) == 8 and first.is_one_operation("Delete 8 items")
    assert first.signals[0].items == frozenset(ids)
    assert not any(ws.is_live(i) for i in ids)
    undo = observe(stack.undo)
    assert len(undo.rows) == 8 and undo.is_one_operation("Undo Delete 8 items")
    assert all(ws.is_live(i) for i in ids)
    redo = observe(stack.redo)
    assert len(redo.rows) == 8 and redo.is_one_operation("Redo Delete 8 items")


def test_a_create_whose_link_is_refused_leaves_nothing_behind(ws, stack):  # noqa: F811
    """Before: the new row stayed in the trash with two audit rows, and views were told."""
    before, start, items = snapshot(), last_audit_id(), dict(ws.hierarchy.items)
    goal = titled(ws, "Lead a team with confidence")
    command = CreateCommand(ws, "commitment", {"title": "Stretch"}, goal, (5.0, 5.0))
    observe = Observed(ws)
    with pytest.raises(LinkRefused, match="through an outcome"):
        observe(lambda: push(stack, command))
    assert snapshot() == before and audit_rows_after(start) == []
    assert observe.signals == [] and stack.count() == 0
    assert ws.hierarchy.items == items and command.item_id not in ws.graph


def test_an_undo_refused_half_way_writes_nothing_and_says_nothing_but_why(ws, stack):  # noqa: F811
    ids = eight_items(ws)
    push(stack, DeleteCommand(ws, ids))
    ws.purge(ids[3])  # the undo restores ids in reverse: three restored, then this one refused
    before, start = snapshot(), last_audit_id()
    said: list[str] = []
    ws.refused.connect(said.append)
    observe = Observed(ws)
    observe(stack.undo)
    assert said and "No item" in said[0]
    assert snapshot() == before and audit_rows_after(start) == []
    assert observe.signals == []
    assert not any(ws.is_live(i) for i in ids)


def test_history_shows_a_multi_item_delete_as_one_entry(ws, stack):  # noqa: F811
    outcome = titled(ws, "Run 5 km three times a week")
    links = [lk.id for lk in ws.live_links() if outcome in (lk.upper, lk.lower)]
    assert len(links) >= 2
    push(stack, DeleteCommand(ws, [outcome], links))
    newest = history_entries(outcome)[0]
    count = len(links) + 1
    assert newest.what == f"Deleted {count} items"
    assert [line for line in newest.changes if not line.startswith(" ")][-1] == "Moved to trash"
    assert sum(line.startswith("Unlinked") for line in newest.changes) == len(links)
    stack.undo()
    assert history_entries(outcome)[0].what == f"Undid “Delete {count} items”"
