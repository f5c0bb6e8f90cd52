"""The plan's plain data: what one import would write, report and convert (see plan.py)."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

NAMESPACE = uuid.UUID("5b7f3c1e-8a40-4d51-9a56-2f1c7d0e9b21")
ATTENTION_NAME = "Needs attention (imported)"
SPRINT_DAYS = 42  # a sprint is 6–8 weeks; used when the file gives only one of its dates

# legacy table -> our kind, in the order rows can be planned (what a row refers to comes first)
TABLE_KINDS = {
    "clients": "client",
    "coaching_sessions": "session",
    "client_goals": "goal",
    "sprints": "sprint",
    "commitments": "commitment",
    "targets": "outcome",
}
KIND_ORDER = ("client", "session", "goal", "outcome", "sprint", "commitment")
LINK_KINDS = ("outcome_goal", "outcome_sprint", "commitment_outcome")
# Where a link can come from, in report order.
LINK_SOURCES = (
    "targets.goal_id",
    "targets.sprint_id",
    "commitment_target_links",
    "sprints.goal_id",
    "commitments.goal_id",
    "commit_metadata.linked_goal_ids",
    "commitments.sprint_id",
    "commit_metadata.linked_sprint_ids",
)
LINK_COLUMNS = {
    "outcome_goal": ("goal_id", "target_id"),
    "outcome_sprint": ("target_id", "sprint_id"),
    "commitment_outcome": ("target_id", "commitment_id"),
}


def derived_id(*parts: str) -> str:
    """A stable id for a row the import makes up, from what it stands for."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def fingerprint(table: str, row: dict[str, Any], *refs: str | None) -> str:
    """What a legacy row is, as a short hash: its raw values and the ids it resolved to here.

    Recorded with each row an import writes, so a later import can tell the same row of the
    same file (same values, same client and references) from another database's row that
    merely reuses its id. `_`-keys are the planner's own bookkeeping, not the file's.
    """
    values = sorted((k, v) for k, v in row.items() if not k.startswith("_"))
    text = repr((table, values, refs))
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()[:32]


@dataclass
class Node:
    """One planned entity, as the link planning needs it."""

    kind: str
    id: str
    root: str
    name: str
    deleted: bool = False

    @property
    def label(self) -> str:
        return f"{self.kind} '{self.name}'"


@dataclass
class Plan:
    """Everything one import would do; nothing here has touched the target yet."""

    source: str
    target: str | None
    in_file: dict[str, int] = field(default_factory=dict)  # legacy table -> rows read
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # kind -> new rows
    present: Counter = field(default_factory=Counter)  # kind -> rows already imported
    added: Counter = field(default_factory=Counter)  # kind -> rows the import makes up
    links: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # link kind -> new rows
    links_present: Counter = field(default_factory=Counter)
    sources: dict[str, Counter] = field(default_factory=dict)  # link source -> outcome counts
    conversions: list[dict[str, Any]] = field(default_factory=list)
    placeholders: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    # rows whose id another database's row (or a row not from this file) holds here already
    rekeyed: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def new_rows(self) -> int:
        return sum(len(r) for r in self.rows.values())

    @property
    def new_links(self) -> int:
        return sum(len(r) for r in self.links.values())

    @property
    def nothing_new(self) -> bool:
        return self.new_rows == 0 and self.new_links == 0
