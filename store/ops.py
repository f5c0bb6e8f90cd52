"""Every change to a Trellis database: one function per change, one operation (one transaction,
one audit operation id) and one audit row (or more, for a multi-item gesture) each. Refusals
raise a typed error and write nothing.

`operation(label)` makes several of these one user action: inside it each function is a
savepoint of the one transaction, and every audit row carries the action's id.
"""

from __future__ import annotations

import uuid
from typing import Any

from peewee import IntegrityError

from graph import errors as graph_errors
from graph import rules
from graph.model import Item
from store import audit, backup, validate
from store import models as m
from store.audit import operation
from store.errors import LinkRefused, NotFound, StaleEdit, ValidationError
from store.validate import check_dates, clean

ENTITY_ORDER = ("client", "goal", "outcome", "sprint", "commitment", "session")


def new_id() -> str:
    return str(uuid.uuid4())


def row_dict(row: m.BaseModel) -> dict[str, Any]:
    """Every column of a row under its column name (root_id, session_id, target_id...)."""
    return {f.column_name: row.__data__.get(f.name) for f in row._meta.sorted_fields}


def display_title(kind: str, row: dict[str, Any]) -> str:
    if kind == "client":
        return row["name"]
    if kind == "session":
        return row.get("title") or f"Session {row['held_on']}"
    if kind == "sprint":
        return sprint_title(row["sprint_number"], row["title"])
    return row["title"]


def sprint_title(number: int, title: str) -> str:
    """A sprint as shown ("Sprint 3: Quiet Fridays"): the number once, even when the title has it.

    >>> sprint_title(3, "Quiet Fridays"), sprint_title(3, "Sprint 3: Quiet Fridays")
    ('Sprint 3: Quiet Fridays', 'Sprint 3: Quiet Fridays')
    >>> sprint_title(3, "sprint 3"), sprint_title(3, "Sprint 30 plan")
    ('sprint 3', 'Sprint 3: Sprint 30 plan')
    """
    prefix = f"sprint {number}"
    rest = title[len(prefix) :]
    if title.lower().startswith(prefix) and (not rest or not rest[0].isdigit()):
        return title
    return f"Sprint {number}: {title}"


# ---------------------------------------------------------------- finding rows


def find(item_id: str, root_id: str | None = None) -> tuple[str, m.BaseModel]:
    """Return (kind, row) for any entity id, or raise NotFound.

    Given its client (`root_id`), only that client's rows are asked; without, the id alone
    finds it: the entry of a change whose caller names an item by id (tests/sql_recorder.py).
    """
    for kind in ENTITY_ORDER:
        model = m.KIND_MODELS[kind]
        where = model.id == item_id
        if root_id is not None:
            where &= m.root_column(model) == root_id
        row = model.get_or_none(where)
        if row is not None:
            return kind, row
    raise NotFound(f"No item with id {item_id} exists in this database.")


def get_item(item_id: str, root_id: str | None = None) -> tuple[str, dict[str, Any]]:
    """Return (kind, all columns) of any entity (of client `root_id`, when given)."""
    kind, row = find(item_id, root_id)
    return kind, row_dict(row)


def find_link(link_id: str, root_id: str | None = None) -> tuple[str, m.LinkBase]:
    """Return (link kind, row) for a link id (of client `root_id`, when given), or NotFound."""
    for kind, (model, _upper, _lower) in m.LINK_MODELS.items():
        where = model.id == link_id
        if root_id is not None:
            where &= model.root == root_id
        row = model.get_or_none(where)
        if row is not None:
            return kind, row
    raise NotFound(f"No link with id {link_id} exists in this database.")


def live_client(root_id: str) -> m.Client:
    client = m.Client.get_or_none(m.Client.id == root_id)
    if client is None:
        raise NotFound(f"No client with id {root_id} exists in this database.")
    if client.deleted_at is not None:
        raise ValidationError(f"Client {client.name!r} is in the trash: restore it first.")
    return client


def client_by_name(name: str) -> dict[str, Any]:
    """The live client called `name` (as the CLI's --client takes it)."""
    row = m.Client.get_or_none((m.Client.name == name) & m.Client.deleted_at.is_null())
    if row is None:
        raise NotFound(f"No client named {name!r}; {known_clients()}.")
    return row_dict(row)


def known_clients(shown: int = 5) -> str:
    """The live client names, for a message about a name that matched none of them."""
    query = m.Client.select(m.Client.name).where(m.Client.deleted_at.is_null())
    names = [repr(c.name) for c in query.order_by(m.Client.name)]
    if not names:
        return "this database has no clients yet"
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"the clients are {', '.join(names[:shown])}{more}"


# ---------------------------------------------------------------- uniqueness


def refuse_duplicates(kind: str, row: dict[str, Any], own_id: str | None = None) -> None:
    """Refuse a second live client name, goal title or sprint number within one client."""
    if kind == "client":
        refuse_duplicate_name(row, own_id)
        return
    model = m.KIND_MODELS[kind]
    query = None
    if kind == "goal":
        query = model.select().where((model.root == row["root_id"]) & (model.title == row["title"]))
        message, field = (
            f"This client already has a goal titled {row['title']!r}; choose another title.",
            "title",
        )
    elif kind == "sprint":
        query = model.select().where(
            (model.root == row["root_id"]) & (model.sprint_number == row["sprint_number"])
        )
        message, field = (
            f"This client already has a sprint number {row['sprint_number']}; pick another number.",
            "sprint_number",
        )
    if query is None:
        return
    query = query.where(model.deleted_at.is_null())
    if own_id is not None:
        query = query.where(model.id != own_id)
    if query.exists():
        raise ValidationError(message, field)


def refuse_duplicate_name(row: dict[str, Any], own_id: str | None = None) -> None:
    """Refuse a second live client of one name: names are unique across the workspace."""
    query = m.Client.select().where((m.Client.name == row["name"]) & m.Client.deleted_at.is_null())
    if own_id is not None:
        query = query.where(m.Client.id != own_id)
    if query.exists():
        raise ValidationError(f"A client named {row['name']!r} already exists.", "name")


def next_sprint_number(root_id: str) -> int:
    top = (
        m.Sprint.select(m.Sprint.sprint_number)
        .where((m.Sprint.root == root_id) & m.Sprint.deleted_at.is_null())
        .order_by(m.Sprint.sprint_number.desc())
        .first()
    )
    return 1 if top is None else top.sprint_number + 1


def check_session(root_id: str, session_id: str | None) -> None:
    if session_id is None:
        return
    session = m.CoachingSession.get_or_none(
        (m.CoachingSession.id == session_id) & (m.CoachingSession.root == root_id)
    )
    if session is None and is_another_clients_session(session_id):
        raise ValidationError("That coaching session belongs to another client.", "session_id")
    if session is None or session.deleted_at is not None:
        raise ValidationError("That coaching session does not exist any more.", "session_id")


def is_another_clients_session(session_id: str) -> bool:
    """Whether `session_id` is a live session of some other client (asked only once this
    client's own lookup found nothing, so the refusal can say why)."""
    query = m.CoachingSession.select().where(
        (m.CoachingSession.id == session_id) & m.CoachingSession.deleted_at.is_null()
    )
    return query.exists()


def insert(model: type[m.BaseModel], row: dict[str, Any]) -> None:
    """Insert by column name; a constraint the checks above missed still ends in a clear error."""
    fields = {f.column_name: f for f in model._meta.sorted_fields}
    try:
        model.insert({fields[c]: v for c, v in row.items()}).execute()
    except IntegrityError as exc:
        raise refusal(exc, row) from exc


def refusal(exc: IntegrityError, values: dict[str, Any]) -> ValidationError:
    """The sentence for a constraint the checks above could not see."""
    if m.CLIENT_NAME_INDEX in str(exc):
        # Unique across a team database, also among the clients other coaches have (so that
        # one file can hold them all): said without telling whose client has it.
        return ValidationError(
            f"The name {values.get('name')!r} is already taken on this team database (a "
            "client's name is unique across the practice); choose another.",
            "name",
        )
    return ValidationError(f"The database refused this change ({exc}).")


def write(model: type[m.BaseModel], kind: str, before: dict[str, Any], changes: dict) -> None:
    """UPDATE the row `before` was read as, only if it still is: another session's change in
    between (a second window or coach on a team database) makes this a refusal, not a silent
    overwrite of theirs."""
    fields = {f.column_name: f for f in model._meta.sorted_fields}
    try:
        written = (
            model.update({fields[c]: v for c, v in changes.items()})
            .where(
                (model.id == before["id"])
                & (
                    model._meta.fields["root" if kind != "client" else "root_id"]
                    == before["root_id"]
                )
                & (model.updated_at == before["updated_at"])
            )
            .execute()
        )
    except IntegrityError as exc:
        raise refusal(exc, changes) from exc
    if written != 1:
        _kind, now = get_item(before["id"], before["root_id"])
        raise stale(kind, now)


def stale(kind: str, now: dict[str, Any]) -> StaleEdit:
    """The refusal of an edit made on a stale copy, naming what changed and when."""
    when = local_time(now["updated_at"])
    return StaleEdit(
        f"{display_title(kind, now)!r} was changed by another session at {when}; your view is "
        "updated (nothing of yours was written)."
    )


def local_time(stamp: str) -> str:
    """An audit timestamp (UTC) as the local hour and minute a person recognises."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")
    except (TypeError, ValueError):
        return str(stamp)


# ---------------------------------------------------------------- create / update


def create_client(name: str, notes: str = "", client_id: str | None = None) -> dict[str, Any]:
    """Add a client (the root of one hierarchy)."""
    values = clean("client", {"name": name, "notes": notes}, creating=True)
    stamp = audit.now()
    cid = client_id or new_id()
    row = {"id": cid, "root_id": cid, **values, "created_at": stamp, "updated_at": stamp}
    row["deleted_at"] = None
    with operation("New client"):
        refuse_duplicates("client", row)
        insert(m.Client, row)
        audit.record("create", "client", cid, cid, None, row)
    return row


def create_item(
    kind: str, root_id: str, item_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """Add a goal, outcome, sprint, commitment or session to a client."""
    if kind not in m.ITEM_KINDS:
        raise ValidationError(f"Unknown kind {kind!r}; use one of {', '.join(m.ITEM_KINDS)}.")
    values = clean(kind, fields, creating=True)
    stamp = audit.now()
    with operation(f"New {kind}"):
        live_client(root_id)
        if kind == "sprint" and "sprint_number" not in values:
            values["sprint_number"] = next_sprint_number(root_id)
        row = defaults(kind) | values
        row |= {"id": item_id or new_id(), "root_id": root_id}
        row |= {"created_at": stamp, "updated_at": stamp, "deleted_at": None}
        check_dates(kind, row)
        refuse_duplicates(kind, row)
        if kind == "commitment":
            check_session(root_id, row.get("session_id"))
        insert(m.KIND_MODELS[kind], row)
        audit.record("create", kind, row["id"], root_id, None, row)
    return row


def defaults(kind: str) -> dict[str, Any]:
    model = m.KIND_MODELS[kind]
    return {
        f.column_name: f.default
        for f in model._meta.sorted_fields
        if f.default is not None and not callable(f.default)
    }


def create_goal(root_id: str, title: str, **fields: Any) -> dict[str, Any]:
    return create_item("goal", root_id, title=title, **fields)


def create_outcome(root_id: str, title: str, **fields: Any) -> dict[str, Any]:
    return create_item("outcome", root_id, title=title, **fields)


def create_sprint(
    root_id: str, title: str, start_date: str, end_date: str, **fields: Any
) -> dict[str, Any]:
    return create_item(
        "sprint", root_id, title=title, start_date=start_date, end_date=end_date, **fields
    )


def create_commitment(root_id: str, title: str, **fields: Any) -> dict[str, Any]:
    return create_item("commitment", root_id, title=title, **fields)


def create_session(root_id: str, held_on: str, **fields: Any) -> dict[str, Any]:
    return create_item("session", root_id, held_on=held_on, **fields)


def update_item(
    item_id: str, seen: str | None = None, *, root_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """Change some fields of any entity (client included); returns the row as saved.

    `root_id`, here and in every change below that takes it: the item's client, when the
    caller knows it, so that not even the first lookup leaves the client out (sharding).

    `seen`: the `updated_at` of the row the person edited (what their view shows); if the row
    has changed since, the edit is refused (StaleEdit) rather than written over that change.
    """
    with operation("Edit"):
        kind, row = find(item_id, root_id)
        before = row_dict(row)
        if seen is not None and before["updated_at"] != seen:
            raise stale(kind, before)
        if before["deleted_at"] is not None:
            raise ValidationError(
                f"{display_title(kind, before)!r} is in the trash; restore it before editing."
            )
        values = clean(kind, fields, creating=False)
        after = before | values
        if after == before:
            return before
        after["updated_at"] = audit.now()
        check_dates(kind, after)
        refuse_duplicates(kind, after, own_id=item_id)
        if kind == "commitment":
            check_session(after["root_id"], after.get("session_id"))
        write(
            m.KIND_MODELS[kind],
            kind,
            before,
            {k: after[k] for k in values} | {"updated_at": after["updated_at"]},
        )
        audit.record("update", kind, item_id, before["root_id"], before, after)
    return after


# ---------------------------------------------------------------- trash


def delete_item(item_id: str, *, root_id: str | None = None) -> dict[str, Any]:
    """Move an item (or a whole client) to the trash; its links stay, hidden, until restored."""
    with operation("Move to trash"):
        kind, row = find(item_id, root_id)
        before = row_dict(row)
        if before["deleted_at"] is not None:
            raise ValidationError(f"{display_title(kind, before)!r} is already in the trash.")
        stamp = audit.now()
        after = before | {"deleted_at": stamp, "updated_at": stamp}
        write(m.KIND_MODELS[kind], kind, before, {"deleted_at": stamp, "updated_at": stamp})
        audit.record("delete", kind, item_id, before["root_id"], before, after)
    return after


def restore_item(
    item_id: str, with_parents: bool = False, *, root_id: str | None = None
) -> list[str]:
    """Bring an item back from the trash with its links; returns the ids restored.

    With `with_parents`, also restores the client and the deleted goals/outcomes it serves,
    so it comes back connected instead of orphaned.
    """
    with operation("Restore from trash"):
        kind, row = find(item_id, root_id)
        if row.deleted_at is None:
            raise ValidationError(f"{display_title(kind, row_dict(row))!r} is not in the trash.")
        restored: list[str] = []
        root_id = row_dict(row)["root_id"]
        client = m.Client.get_by_id(root_id)
        if kind != "client" and client.deleted_at is not None:
            if not with_parents:
                raise ValidationError(
                    f"Its client {client.name!r} is in the trash: restore the client first, "
                    "or restore with parents."
                )
            restored.append(restore_one(client.id, root_id))
        targets = [item_id] + (deleted_parents(item_id, root_id) if with_parents else [])
        for target in targets:
            restored.append(restore_one(target, root_id))
    return restored


def restore_one(item_id: str, root_id: str) -> str:
    kind, row = find(item_id, root_id)
    before = row_dict(row)
    after = before | {"deleted_at": None, "updated_at": audit.now()}
    refuse_duplicates(kind, after, own_id=item_id)
    write(
        m.KIND_MODELS[kind], kind, before, {"deleted_at": None, "updated_at": after["updated_at"]}
    )
    audit.record("restore", kind, item_id, before["root_id"], before, after)
    return item_id


def deleted_parents(item_id: str, root_id: str) -> list[str]:
    """The deleted items above `item_id` through its links (outcomes, then their goals)."""
    found: list[str] = []
    frontier = [item_id]
    while frontier:
        current = frontier.pop()
        for upper in upper_ids(current, root_id):
            kind, row = find(upper, root_id)
            if row.deleted_at is not None and upper not in found:
                found.append(upper)
                frontier.append(upper)
    return found


def upper_ids(item_id: str, root_id: str) -> list[str]:
    """Ids of the items directly above `item_id` (what it serves), of its client `root_id`."""
    ups: list[str] = []
    for model, upper, lower in m.LINK_MODELS.values():
        query = model.select(getattr(model, upper)).where(
            (getattr(model, lower) == item_id) & (model.root == root_id)
        )
        ups += [r[0] for r in query.tuples()]
    return ups


def purge_item(item_id: str, *, root_id: str | None = None) -> dict[str, Any]:
    """Delete an item in the trash for good (its links go by cascade); take a backup first."""
    kind, row = find(item_id, root_id)
    before = row_dict(row)
    if before["deleted_at"] is None:
        raise ValidationError(
            f"{display_title(kind, before)!r} is not in the trash; delete it before purging."
        )
    backup.safety_backup("purge")
    with operation("Purge"):
        root_id, model = before["root_id"], m.KIND_MODELS[kind]
        position = m.NodePosition
        position.delete().where(
            (position.item_id == item_id) & (position.root == root_id)
        ).execute()
        model.delete().where((model.id == item_id) & (m.root_column(model) == root_id)).execute()
        audit.record("purge", kind, item_id, before["root_id"], before, None)
    return before


# ---------------------------------------------------------------- links


def as_graph_item(kind: str, row: dict[str, Any]) -> Item:
    return Item(
        id=row["id"],
        kind=kind,
        root_id=row["root_id"],
        title=display_title(kind, row),
        deleted=row["deleted_at"] is not None,
    )


def link_row(link_kind: str, root_id: str, upper: str, lower: str) -> m.LinkBase | None:
    """The link of this kind from `lower` up to `upper` in client `root_id`, if there is one."""
    model, upper_field, lower_field = m.LINK_MODELS[link_kind]
    return model.get_or_none(
        (model.root == root_id)
        & (getattr(model, upper_field) == upper)
        & (getattr(model, lower_field) == lower)
    )


def link_items(
    a_id: str,
    b_id: str,
    weight: float = 1.0,
    link_id: str | None = None,
    *,
    root_id: str | None = None,
) -> dict[str, Any]:
    """Link two items in either drag order; `graph` rules decide whether and which way."""
    weight = check_weight(weight)
    with operation("Link"):
        a = as_graph_item(*get_item(a_id, root_id))
        b = as_graph_item(*other_end(b_id, a.root_id))
        link_kind, upper_id, lower_id = checked_link(a, b)
        model, upper_field, lower_field = m.LINK_MODELS[link_kind]
        row = {
            "id": link_id or new_id(),
            "root_id": a.root_id,
            "weight": weight,
            "created_at": audit.now(),
            f"{upper_field}_id": upper_id,
            f"{lower_field}_id": lower_id,
        }
        insert(model, row)
        audit.record("link", link_kind, row["id"], a.root_id, None, row)
    return row | {"kind": link_kind, "upper": upper_id, "lower": lower_id}


def other_end(item_id: str, root_id: str) -> tuple[str, dict[str, Any]]:
    """The second item of a link, asked for in the first one's client; failing that, by its id
    alone, so the link rules can refuse another client's item in their own words."""
    try:
        return get_item(item_id, root_id)
    except NotFound:
        return get_item(item_id)


def checked_link(a: Item, b: Item) -> tuple[str, str, str]:
    """Ask graph's link rules; their refusal becomes the store's typed error."""
    try:
        link_kind, a_is_upper = rules.orient(a.kind, b.kind)
        upper, lower = (a, b) if a_is_upper else (b, a)
        linked = link_row(link_kind, upper.root_id, upper.id, lower.id) is not None
        return rules.check_link(a, b, linked)
    except graph_errors.LinkRefused as exc:
        raise LinkRefused(str(exc)) from None


def check_weight(weight: Any) -> float:
    # The rule JSON import and `check` apply too: true, NaN and infinity are not weights.
    return validate.weight("weight", weight)


def link_dict(link_kind: str, row: m.LinkBase) -> dict[str, Any]:
    _model, upper_field, lower_field = m.LINK_MODELS[link_kind]
    data = row_dict(row)
    return data | {
        "kind": link_kind,
        "upper": data[f"{upper_field}_id"],
        "lower": data[f"{lower_field}_id"],
    }


def unlink(link_id: str, *, root_id: str | None = None) -> dict[str, Any]:
    """Remove one link row (links are not entities, so this is a real delete, audited)."""
    with operation("Unlink"):
        link_kind, row = find_link(link_id, root_id)
        before = link_dict(link_kind, row)
        model = type(row)
        model.delete().where((model.id == link_id) & (model.root == before["root_id"])).execute()
        audit.record("unlink", link_kind, link_id, before["root_id"], before, None)
    return before


def set_link_weight(link_id: str, weight: float, *, root_id: str | None = None) -> dict[str, Any]:
    """Change how much a child counts toward a parent in the roll-up."""
    weight = check_weight(weight)
    with operation("Change link weight"):
        link_kind, row = find_link(link_id, root_id)
        before = link_dict(link_kind, row)
        model = type(row)
        model.update(weight=weight).where(
            (model.id == link_id) & (model.root == before["root_id"])
        ).execute()
        after = before | {"weight": weight}
        audit.record("update", link_kind, link_id, before["root_id"], before, after)
    return after


# ---------------------------------------------------------------- positions


def item_ids_of(root_id: str) -> set[str]:
    ids: set[str] = set()
    for kind in ("goal", "outcome", "sprint", "commitment"):
        model = m.KIND_MODELS[kind]
        ids.update(r[0] for r in model.select(model.id).where(model.root == root_id).tuples())
    return ids


def set_positions(
    root_id: str, positions: dict[str, tuple[float, float] | None]
) -> dict[str, tuple[float, float] | None]:
    """Save where nodes sit (None = forget, so layout places it); returns the previous map.

    One call is one user gesture (a drag of several nodes, an auto layout): one transaction.
    """
    with operation("Move"):
        unknown = set(positions) - item_ids_of(root_id)
        if unknown:
            raise NotFound(f"No item with id {sorted(unknown)[0]} belongs to this client.")
        before = saved_positions(root_id, list(positions))
        stamp = audit.now()
        gone = [i for i, p in positions.items() if p is None]
        placed = [
            {"item_id": i, "root": root_id, "x": float(p[0]), "y": float(p[1]), "updated_at": stamp}
            for i, p in positions.items()
            if p is not None
        ]
        for start in range(0, len(gone), 500):
            chunk = gone[start : start + 500]
            m.NodePosition.delete().where(
                m.NodePosition.item_id.in_(chunk) & (m.NodePosition.root == root_id)
            ).execute()
        for start in range(0, len(placed), 500):
            # An upsert on the key, not REPLACE: the same SQL on SQLite and PostgreSQL.
            m.NodePosition.insert_many(placed[start : start + 500]).on_conflict(
                conflict_target=[m.NodePosition.item_id],
                preserve=[
                    m.NodePosition.root,
                    m.NodePosition.x,
                    m.NodePosition.y,
                    m.NodePosition.updated_at,
                ],
            ).execute()
        audit.record_many(
            [
                {
                    "action": "move",
                    "entity": "position",
                    "entity_id": i,
                    "root_id": root_id,
                    "before": position_json(before.get(i)),
                    "after": position_json(p),
                }
                for i, p in positions.items()
            ]
        )
    return before


def keep_layout(root_id: str, positions: dict[str, tuple[float, float]]) -> None:
    """Save where layout put nodes that had no place yet, so they stay there.

    One transaction and one audit row ("layout", on the client) however many nodes: the
    person moved nothing, so this is no "move" in any item's history and no undo step.
    Nodes that already have a place are left as they are.
    """
    if not positions:
        return
    with operation("Place on the graph"):
        unknown = set(positions) - item_ids_of(root_id)
        if unknown:
            raise NotFound(f"No item with id {sorted(unknown)[0]} belongs to this client.")
        taken = {i for i, p in saved_positions(root_id, list(positions)).items() if p}
        stamp = audit.now()
        rows = [
            {"item_id": i, "root": root_id, "x": float(p[0]), "y": float(p[1]), "updated_at": stamp}
            for i, p in positions.items()
            if i not in taken
        ]
        for start in range(0, len(rows), 500):
            m.NodePosition.insert_many(rows[start : start + 500]).execute()
        audit.record("layout", "position", root_id, root_id, None, {"placed": len(rows)})


def position_json(pos: tuple[float, float] | None) -> dict | None:
    return None if pos is None else {"x": pos[0], "y": pos[1]}


def saved_positions(root_id: str, ids: list[str]) -> dict[str, tuple[float, float] | None]:
    found: dict[str, tuple[float, float] | None] = dict.fromkeys(ids)
    query = m.NodePosition.select(m.NodePosition.item_id, m.NodePosition.x, m.NodePosition.y)
    for item_id, x, y in query.where(m.NodePosition.root == root_id).tuples():
        if item_id in found:
            found[item_id] = (x, y)
    return found
