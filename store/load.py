"""Reading a client's hierarchy with indexed `WHERE root_id = ?` queries: no joins.

Returns `graph.model` records so `graph/` never sees Peewee.
"""

from __future__ import annotations

import dataclasses
from itertools import starmap
from typing import Any

from peewee import Value

from graph.model import Hierarchy, Item, Link
from store import models as m
from store.ops import display_title, row_dict
from store.sqlite import TextSafeDatabase

NODE_KINDS = ("goal", "outcome", "sprint", "commitment")


def scoped(query, model: type[m.BaseModel], root_id: str | None):
    """`query` limited to one client's rows (every client's when `root_id` is None)."""
    return query if root_id is None else query.where(m.root_column(model) == root_id)


def fetch(query) -> list[tuple]:
    """The query's rows as plain DB-API tuples.

    Skips Peewee's per-value conversion, which cost more than the query itself at 10,000 rows
    (bench case "load"); our columns come back from SQLite already as str/int/float/None.
    """
    db = query.model._meta.database
    if isinstance(db.obj, TextSafeDatabase):  # the models' proxy, pointed at a file
        return db.obj.fetch_all(query)
    return db.execute(query).fetchall()


def rows_of(model: type[m.BaseModel], root_id: str | None) -> list[dict[str, Any]]:
    """All rows of one table for one client (or every client), every column by column name."""
    columns = [f.column_name for f in model._meta.sorted_fields]
    query = scoped(model.select(*model._meta.sorted_fields), model, root_id)
    return [dict(zip(columns, values, strict=True)) for values in fetch(query)]


def load_hierarchy(root_id: str | None = None) -> Hierarchy:
    """One client's items (live and deleted), links and positions; all clients if None."""
    h = Hierarchy()
    clients = m.Client.select(m.Client.id, m.Client.name)
    if root_id is not None:
        clients = clients.where(m.Client.id == root_id)
    h.clients = dict(fetch(clients))
    for kind in NODE_KINDS:
        h.items.update(
            (row["id"], as_item(kind, row)) for row in rows_of(m.KIND_MODELS[kind], root_id)
        )
    for link_kind in m.LINK_MODELS:
        h.links.extend(starmap(Link, link_tuples(link_kind, root_id)))
    positions = m.NodePosition.select(m.NodePosition.item_id, m.NodePosition.x, m.NodePosition.y)
    h.positions = {
        item_id: (x, y) for item_id, x, y in fetch(scoped(positions, m.NodePosition, root_id))
    }
    return h


def as_item(kind: str, row: dict[str, Any]) -> Item:
    """A loaded row as a graph Item; the row itself (it is ours) becomes its fields."""
    deleted = row["deleted_at"] is not None
    return Item(
        row["id"], kind, row["root_id"], display_title(kind, row), deleted, with_progress(kind, row)
    )


def link_tuples(link_kind: str, root_id: str | None) -> list[tuple]:
    """Link rows as tuples in the field order of `graph.model.Link`, ready for `Link(*row)`.

    Built straight from tuples because 20,000 dicts cost more than the query (bench "load").
    """
    model, upper, lower = m.LINK_MODELS[link_kind]
    columns = {
        "id": model.id,
        "kind": Value(link_kind),
        "upper": getattr(model, upper),
        "lower": getattr(model, lower),
        "root_id": model.root,
        "weight": model.weight,
    }
    query = model.select(*(columns[f.name] for f in dataclasses.fields(Link)))
    return fetch(scoped(query, model, root_id))


def graph_fields(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """The row with `progress` under one name for every kind, as graph/rollup expects."""
    return with_progress(kind, dict(row))


def with_progress(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """`graph_fields`, written into `fields` itself (for rows nobody else holds)."""
    if "progress_percentage" in fields:
        fields["progress"] = fields["progress_percentage"]
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
