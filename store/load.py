"""Reading a client's hierarchy with indexed `WHERE root_id = ?` queries: no joins.

Returns `graph.model` records so `graph/` never sees Peewee.
"""

from __future__ import annotations

from typing import Any

from graph.model import Hierarchy, Item, Link
from store import models as m
from store.ops import display_title, row_dict

NODE_KINDS = ("goal", "outcome", "sprint", "commitment")


def rows_of(model: type[m.BaseModel], root_id: str | None) -> list[dict[str, Any]]:
    """All rows of one table for one client (or every client), every column by column name."""
    columns = [f.column_name for f in model._meta.sorted_fields]
    query = model.select(*model._meta.sorted_fields)
    if root_id is not None:
        query = query.where(model._meta.fields["root"] == root_id)
    return [dict(zip(columns, values, strict=True)) for values in query.tuples().iterator()]


def load_hierarchy(root_id: str | None = None) -> Hierarchy:
    """One client's items (live and deleted), links and positions; all clients if None."""
    h = Hierarchy()
    clients = m.Client.select()
    if root_id is not None:
        clients = clients.where(m.Client.id == root_id)
    h.clients = {c.id: c.name for c in clients}
    for kind in NODE_KINDS:
        for row in rows_of(m.KIND_MODELS[kind], root_id):
            h.items[row["id"]] = Item(
                id=row["id"],
                kind=kind,
                root_id=row["root_id"],
                title=display_title(kind, row),
                deleted=row["deleted_at"] is not None,
                fields=graph_fields(kind, row),
            )
    for link_kind, (model, upper, lower) in m.LINK_MODELS.items():
        for row in rows_of(model, root_id):
            h.links.append(
                Link(
                    id=row["id"],
                    kind=link_kind,
                    upper=row[f"{upper}_id"],
                    lower=row[f"{lower}_id"],
                    root_id=row["root_id"],
                    weight=row["weight"],
                )
            )
    for row in rows_of(m.NodePosition, root_id):
        h.positions[row["item_id"]] = (row["x"], row["y"])
    return h


def graph_fields(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """The row with `progress` under one name for every kind, as graph/rollup expects."""
    fields = dict(row)
    if "progress_percentage" in row:
        fields["progress"] = row["progress_percentage"]
    fields.setdefault("progress_mode", "manual" if kind == "commitment" else "derived")
    return fields


def list_clients(include_deleted: bool = False) -> list[dict[str, Any]]:
    """Clients by name."""
    query = m.Client.select().order_by(m.Client.name)
    if not include_deleted:
        query = query.where(m.Client.deleted_at.is_null())
    return [row_dict(c) for c in query]


def list_sessions(root_id: str, include_deleted: bool = False) -> list[dict[str, Any]]:
    rows = rows_of(m.CoachingSession, root_id)
    if not include_deleted:
        rows = [r for r in rows if r["deleted_at"] is None]
    return sorted(rows, key=lambda r: r["held_on"])


def counts(root_id: str | None = None) -> dict[str, int]:
    """Live rows per kind, for status bars and backup listings."""
    result = {}
    for kind in ("client", "goal", "outcome", "sprint", "commitment", "session"):
        model = m.KIND_MODELS[kind]
        query = model.select().where(model.deleted_at.is_null())
        if root_id is not None:
            query = query.where(model._meta.fields["root" if kind != "client" else "id"] == root_id)
        result[kind] = query.count()
    return result
