"""The audit log: one row per change, written inside the change's own transaction.

A user action (a delete of 8 items, a new outcome linked and placed) is one *operation*
(Anki's model): `operation(label)` opens one transaction, and every row `record` writes inside
it carries the operation's id and label, so History shows one entry per action and a refusal
half-way rolls every step back with nothing to compensate.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from peewee import SQL

from store.models import AuditLog, database, is_team


@dataclass(frozen=True)
class Operation:
    """One user action (or one CLI command): its id ties its audit rows together."""

    id: str
    label: str


# The operation under way in this thread (peewee's connection is per thread too).
CURRENT: ContextVar[Operation | None] = ContextVar("trellis_operation", default=None)


@contextmanager
def operation(label: str) -> Iterator[Operation]:
    """Run the block as one operation: one transaction, one id on every audit row in it.

    Inside another operation it joins that one (the user's action names it) as a savepoint,
    so a store function is one operation alone and one step of a larger one alike.
    """
    outer = CURRENT.get()
    if outer is not None:
        with database.atomic():
            yield outer
        return
    op = Operation(str(uuid.uuid4()), label)
    token = CURRENT.set(op)
    try:
        with database.atomic():
            yield op
    finally:
        CURRENT.reset(token)


def current_operation(label: str) -> Operation:
    """The operation under way; outside one, a fresh one for a single row (called `label`)."""
    return CURRENT.get() or Operation(str(uuid.uuid4()), label)


def operation_columns(label: str) -> dict[str, str]:
    """The operation columns of an audit row written now (for bulk inserts that build rows)."""
    op = current_operation(label)
    return {"operation_id": op.id, "operation_label": op.label}


def now() -> str:
    """The current time as an ISO-8601 UTC string (sortable as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def as_json(row: dict[str, Any] | None) -> str | None:
    return None if row is None else json.dumps(row, sort_keys=True, default=str)


def record(
    action: str,
    entity: str,
    entity_id: str,
    root_id: str | None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Write one audit row; call it inside the operation of the change it describes."""
    AuditLog.create(
        **operation_columns(action),
        at=now(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        root_id=root_id,
        before=as_json(before),
        after=as_json(after),
    )


def record_many(rows: list[dict[str, Any]]) -> None:
    """Write many audit rows at once (auto layout moves thousands of nodes in one step)."""
    at, op = now(), operation_columns(rows[0]["action"] if rows else "")
    payload = [
        {
            **op,
            "at": at,
            "action": r["action"],
            "entity": r["entity"],
            "entity_id": r["entity_id"],
            "root_id": r.get("root_id"),
            "before": as_json(r.get("before")),
            "after": as_json(r.get("after")),
        }
        for r in rows
    ]
    for start in range(0, len(payload), 500):
        AuditLog.insert_many(payload[start : start + 500]).execute()


def columns() -> list:
    """What an audit row is read with: every column, and on a team database also `actor`,
    the coach's role that wrote it (a column only the server has: store.team)."""
    if is_team():
        return [AuditLog, SQL("actor").alias("actor")]
    return [AuditLog]


def history(entity_id: str) -> list[dict[str, Any]]:
    """The audit rows of one item (or link), newest first, with before/after decoded (and on
    a team database who wrote each, `actor`)."""
    rows = (
        AuditLog.select(*columns())
        .where(AuditLog.entity_id == entity_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .dicts()
    )
    return [decode(r) for r in rows]


def decode(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for key in ("before", "after"):
        row[key] = json.loads(row[key]) if row[key] else None
    return row
