"""An item's whole story: its own audit rows plus those of the links that touched it.

Link rows are audited under the link's id, so `audit.history(item_id)` alone never shows
"Linked to Run 5 km"; this module finds them by the item id inside before/after. The rows one
user action wrote share an operation id (store.audit.operation); `by_operation` groups them, so
History shows one entry per action.
"""

from __future__ import annotations

from typing import Any

from store import models as m
from store.audit import columns, decode, history
from store.models import AuditLog

# Columns of a link row that are not one of its two ends.
NOT_ENDS = {"id", "root_id"}


def link_ends(row: dict[str, Any] | None) -> set[str]:
    """The two item ids a link row (as audited) joins."""
    if not row:
        return set()
    return {v for k, v in row.items() if k.endswith("_id") and k not in NOT_ENDS}


def link_history(item_id: str, root_id: str | None = None) -> list[dict[str, Any]]:
    """Audit rows of links that joined `item_id` to something, newest first."""
    needle = f'"{item_id}"'
    query = AuditLog.select(*columns()).where(
        AuditLog.entity.in_(list(m.LINK_MODELS))
        & (AuditLog.before.contains(needle) | AuditLog.after.contains(needle))
    )
    if root_id is not None:
        query = query.where(AuditLog.root_id == root_id)
    rows = [decode(r) for r in query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).dicts()]
    # LIKE only narrows; keep rows where the id really is one end of the link.
    return [r for r in rows if item_id in link_ends(r["before"]) | link_ends(r["after"])]


def item_history(item_id: str) -> list[dict[str, Any]]:
    """The item's own rows and its links' rows, merged newest first."""
    own = history(item_id)
    root_id = own[0]["root_id"] if own else None
    rows = own + link_history(item_id, root_id)
    return sorted(rows, key=lambda r: (r["at"], r["id"]), reverse=True)


def by_operation(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows (newest first) grouped by the user action that wrote them, newest action first.

    A row from before schema 2 has no operation id and stands alone, as each change did then.
    """
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        key = row.get("operation_id") or ("row", row["id"])
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def item_actions(item_id: str) -> list[list[dict[str, Any]]]:
    """The item's history as user actions, newest first; each action's rows newest first."""
    return by_operation(item_history(item_id))
