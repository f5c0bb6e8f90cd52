"""The audit log: one row per change, written inside the change's own transaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from store.models import AuditLog


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
    """Write one audit row; call it inside the transaction of the change it describes."""
    AuditLog.create(
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
    at = now()
    payload = [
        {
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


def history(entity_id: str) -> list[dict[str, Any]]:
    """The audit rows of one item (or link), newest first, with before/after decoded."""
    rows = (
        AuditLog.select()
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
