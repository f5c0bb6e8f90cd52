"""Plain records that `store/` hands to `graph/`: no Peewee, no Qt, just ids, kinds and fields.

Edges always run from the upper level to the lower one, so "ancestors" means "what this
serves" and "descendants" means "what serves this":

    goal -> outcome          (table target_goal_links,       link kind "outcome_goal")
    outcome -> sprint        (table target_sprint_links,     link kind "outcome_sprint")
    outcome -> commitment    (table commitment_target_links, link kind "commitment_outcome")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GOAL = "goal"
OUTCOME = "outcome"
SPRINT = "sprint"
COMMITMENT = "commitment"
SESSION = "session"
CLIENT = "client"

# Kinds that appear as nodes in the hierarchy graph, top to bottom.
NODE_KINDS = (GOAL, OUTCOME, SPRINT, COMMITMENT)

OUTCOME_GOAL = "outcome_goal"
OUTCOME_SPRINT = "outcome_sprint"
COMMITMENT_OUTCOME = "commitment_outcome"

# link kind -> (kind of the upper end, kind of the lower end)
LINK_ENDS: dict[str, tuple[str, str]] = {
    OUTCOME_GOAL: (GOAL, OUTCOME),
    OUTCOME_SPRINT: (OUTCOME, SPRINT),
    COMMITMENT_OUTCOME: (OUTCOME, COMMITMENT),
}


@dataclass(frozen=True)
class Item:
    """One goal, outcome, sprint or commitment as the graph sees it.

    `fields` carries the kind's own columns that rules need: status, progress,
    progress_mode ("derived" | "manual"), start_date, end_date, target_date (ISO strings).
    """

    id: str
    kind: str
    root_id: str
    title: str
    deleted: bool = False
    fields: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Link:
    """One link row: `upper` is the higher end (goal or outcome), `lower` the one below it."""

    id: str
    kind: str
    upper: str
    lower: str
    root_id: str
    weight: float = 1.0


@dataclass
class Hierarchy:
    """Everything `graph/` needs about one database scope (one client, or all of them)."""

    items: dict[str, Item] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    # client id -> client name, so findings can name the client.
    clients: dict[str, str] = field(default_factory=dict)
    # item id -> (x, y) for nodes the user placed by hand.
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
