"""What is in the trash, and which links each item will bring back when restored."""

from __future__ import annotations

from typing import Any

from store import models as m
from store.load import rows_of
from store.ops import display_title

TRASH_KINDS = ("client", "goal", "outcome", "sprint", "commitment", "session")


def list_trash(root_id: str | None = None) -> list[dict[str, Any]]:
    """Every soft-deleted item, newest deletion first."""
    clients = {row["id"]: row["name"] for row in rows_of(m.Client, root_id)}
    titles: dict[str, tuple[str, bool]] = {}
    deleted: list[dict[str, Any]] = []
    for kind in TRASH_KINDS:
        for row in rows_of(m.KIND_MODELS[kind], root_id):
            titles[row["id"]] = (display_title(kind, row), row["deleted_at"] is not None)
            if row["deleted_at"] is not None:
                deleted.append(
                    {
                        "kind": kind,
                        "id": row["id"],
                        "title": display_title(kind, row),
                        "client": clients.get(row["root_id"], "?"),
                        "root_id": row["root_id"],
                        "deleted_at": row["deleted_at"],
                        "links": [],
                    }
                )
    attach_links(deleted, titles, root_id)
    return sorted(deleted, key=lambda r: r["deleted_at"], reverse=True)


def attach_links(
    deleted: list[dict[str, Any]], titles: dict[str, tuple[str, bool]], root_id: str | None
) -> None:
    """Give each trashed item the links that restoring it brings back (other end still live)."""
    by_id = {d["id"]: d for d in deleted}
    for link_kind, (model, upper, lower) in m.LINK_MODELS.items():
        for row in rows_of(model, root_id):
            ends = (row[f"{upper}_id"], row[f"{lower}_id"])
            for mine, other in (ends, ends[::-1]):
                if mine in by_id and other in titles:
                    other_title, other_deleted = titles[other]
                    by_id[mine]["links"].append(
                        {
                            "kind": link_kind,
                            "id": row["id"],
                            "other_id": other,
                            "other_title": other_title,
                            "other_in_trash": other_deleted,
                        }
                    )
