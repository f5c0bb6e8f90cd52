"""What the plan must know about the Trellis database it imports into, as plain sets and dicts.

Read with plain SQL over a DB-API connection, so a dry run can use a read-only connection to a
file it must not touch, and a real run the store's own connection inside its transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from store import models as m
from store.db import APPLICATION_ID, SCHEMA_VERSION, SQLITE_HEADER
from store.errors import FileRefused
from store.legacy.source import connect_read_only

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
    """The state of a Trellis file without writing it, or anything beside it (a dry run)."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return TargetState(path=str(path))
    with open(path, "rb") as handle:
        if not handle.read(100).startswith(SQLITE_HEADER):
            raise FileRefused(f"{path.name} is not a Trellis database (it is not a SQLite file).")
    try:
        conn = connect_read_only(path)
        try:
            if refuse_foreign(conn, path):
                return TargetState(path=str(path))
            return read_state(conn, str(path))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise FileRefused(f"{path.name} is damaged and cannot be read ({exc}).") from exc


def refuse_foreign(conn, path: Path) -> bool:
    """The refusals of store.db.refuse_unless_ours, over a connection that writes nothing;
    True for an empty SQLite file, which open_database would take as a new database."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != APPLICATION_ID and tables:
        raise FileRefused(
            f"{path.name} is a SQLite file from another program, not a Trellis database."
        )
    if version > SCHEMA_VERSION:
        raise FileRefused(
            f"{path.name} was written by a newer Trellis (schema {version}; this one reads "
            f"up to {SCHEMA_VERSION}): update Trellis to open it."
        )
    return tables == 0


def state_of_open_database() -> TargetState:
    """The state of the database the store has open."""
    from store.db import current_path, database

    return read_state(database.connection(), str(current_path()))
