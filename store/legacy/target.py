"""What the plan must know about the Trellis database it imports into, as plain sets and dicts.

Read with plain SQL over a DB-API connection, so a dry run can use a read-only connection to a
file it must not touch, and a real run the store's own connection inside its transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from store import models as m
from store import sqlite
from store.errors import FileRefused

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
    # Ids the audit log says an earlier legacy import wrote (kept so a purge is not undone by a
    # re-import), each with the fingerprints of the legacy rows it came from (model.fingerprint);
    # None for a row written before imports recorded them.
    imported: dict[str, set[str | None]] = field(default_factory=lambda: defaultdict(set))
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
    read_imported(conn, state)
    return state


def read_imported(conn, state: TargetState) -> None:
    """Every row an earlier legacy import wrote, and the fingerprints it recorded for it."""
    kinds = ", ".join(f"'{k}'" for k in (*ENTITY_KINDS, *m.LINK_MODELS))
    query = (
        f"SELECT entity_id, after FROM audit_log WHERE action = 'import' AND entity IN ({kinds})"
    )
    for entity_id, after in conn.execute(query):
        state.imported[entity_id].add(recorded_fingerprint(after))


def recorded_fingerprint(after: str | None) -> str | None:
    """The fingerprint an import audit row keeps; "" (matches nothing) if it cannot be read."""
    try:
        found = json.loads(after or "{}").get("legacy_row")
    except (ValueError, AttributeError, RecursionError):
        return ""
    return found if isinstance(found, str) or found is None else ""


def state_of_file(path: Path) -> TargetState:
    """The state of a Trellis file without writing it, or anything beside it (a dry run).

    Refused as opening would refuse it (store.sqlite.identify_file); no file, an empty one or
    a blank SQLite file is a new database with nothing in it.
    """
    path = Path(path)
    if sqlite.identify_file(path, m.schema()) is None:
        return TargetState(path=str(path))
    try:
        with sqlite.untouched(path) as conn:
            return read_state(conn, str(path))
    except sqlite.DatabaseError as exc:
        raise FileRefused(sqlite.damaged(path.name, exc), reason="damaged") from exc


def state_of_open_database() -> TargetState:
    """The state of the database the store has open."""
    return read_state(m.database.connection(), str(m.current_path()))
