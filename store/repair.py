"""`check --fix`: the repairs that need no human judgement, after a backup copy of the file.

- a link whose end row does not exist is removed (it can only appear in files written with
  foreign keys off, e.g. by older tools);
- a link whose root_id differs from its two ends (which agree) gets their root_id.
Links across clients are not repaired: only the user knows which end is wrong.
"""

from __future__ import annotations

from store import audit, backup
from store import models as m
from store.load import rows_of
from store.ops import link_dict

ITEM_TABLES = {"goal": m.Goal, "outcome": m.Outcome, "sprint": m.Sprint, "commitment": m.Commitment}


def safe_repairs() -> list[str]:
    """Apply the safe repairs in one transaction; returns one line per repair made."""
    backup.safety_backup("repair")
    done: list[str] = []
    with audit.operation("Repair (check --fix)"):
        roots = item_roots()
        for link_kind, (model, upper, lower) in m.LINK_MODELS.items():
            for row in rows_of(model, None):
                done += repair_link(link_kind, model, row, upper, lower, roots)
    return done


def item_roots() -> dict[str, str]:
    roots: dict[str, str] = {}
    for model in ITEM_TABLES.values():
        roots.update(dict(model.select(model.id, model.root).tuples()))
    return roots


def repair_link(link_kind, model, row, upper, lower, roots) -> list[str]:
    ends = (row[f"{upper}_id"], row[f"{lower}_id"])
    if any(end not in roots for end in ends):
        model.delete().where(model.id == row["id"]).execute()
        audit.record("repair", link_kind, row["id"], row["root_id"], row, None)
        return [f"removed dangling {link_kind} link {row['id']}"]
    upper_root, lower_root = (roots[e] for e in ends)
    if upper_root == lower_root != row["root_id"]:
        model.update(root=upper_root).where(model.id == row["id"]).execute()
        after = link_dict(link_kind, model.get_by_id(row["id"]))
        audit.record("repair", link_kind, row["id"], upper_root, row, after)
        return [f"set root_id of {link_kind} link {row['id']} to its ends' client"]
    return []
