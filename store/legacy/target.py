"""What the plan must know about the Trellis database it imports into, as plain sets and dicts.

Read with plain SQL over a DB-API connection, so a dry run can use a read-only connection to a
file it must not touch, and a real run the store's own connection inside its transaction.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from store import models as m
from store.db import refuse_unless_ours

ENTITY_KINDS = ("client", "session", "goal", "outcome", "sprint", "commitment")


@dataclass
class TargetState:
    """Ids, live names and numbers already taken in the target, and what was imported before."""

    path: str | None = None
    kinds: dict[str, str] = field(default_factory=dict)  # entity id -> kind
    client_names: dict[str, str] = field(default_factory=dict)  # casefold live name -> id
    goal_titles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sprint_numbers: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    link_pairs: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    link_ids: set[str] = field(default_factory=set)
    # Ids the audit log says an earlier import wrote (kept so a purge is not undone by re-import).
    imported: set[str] = field(default_factory=set)
    has_rows: bool = False


def read_state(conn, path: str | None) -> TargetState:
    """The state of the Trellis database behind `conn` (any DB-API connection)."""
    state = TargetState(path=path)
    for kind in ENTITY_KINDS:
        table = m.KIND_MODELS[kind]._meta.table_name
        for (item_id,) in conn.execute(f"SELECT id FROM {table}"):
            state.kinds[item_id] = kind
    state.has_rows = bool(state.kinds)
    live = "deleted_at IS NULL"
    for item_id, name in conn.execute(f"SELECT id, name FROM clients WHERE {live}"):
        state.client_names[name.casefold()] = item_id
    for root, title in conn.execute(f"SELECT root_id, title FROM client_goals WHERE {live}"):
        state.goal_titles[root].add(title.strip().casefold())
    for root, number in conn.execute(f"SELECT root_id, sprint_number FROM sprints WHERE {live}"):
        state.sprint_numbers[root].add(number)
    for kind, (model, upper, lower) in m.LINK_MODELS.items():
        query = f"SELECT id, {upper}_id, {lower}_id FROM {model._meta.table_name}"
        for link_id, upper_id, lower_id in conn.execute(query):
            state.link_pairs[kind].add((upper_id, lower_id))
            state.link_ids.add(link_id)
    query = "SELECT DISTINCT entity_id FROM audit_log WHERE action = 'import'"
    state.imported = {entity_id for (entity_id,) in conn.execute(query)}
    return state


def state_of_file(path: Path) -> TargetState:
    """The state of a Trellis file without writing it (empty if the file does not exist yet)."""
    path = Path(path)
    if refuse_unless_ours(path) is None:
        return TargetState(path=str(path))
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return read_state(conn, str(path))
    finally:
        conn.close()


def state_of_open_database() -> TargetState:
    """The state of the database the store has open."""
    from store.db import current_path, database

    return read_state(database.connection(), str(current_path()))
