"""Trellis's graph layer: plain functions over plain data (no Peewee, no Qt).

Build a client's graph from `graph.model` records, derive what an item reaches, decide
whether a link may exist, roll progress up, check consistency and lay the graph out.
"""

from graph.build import build, children, has_link, is_live_link, kind_of, nodes_of_kind, parents
from graph.check import Finding, check, has_errors
from graph.derive import (
    ancestors,
    derive_commitments,
    derive_goals,
    derive_sprints,
    descendants,
    outcome_goals,
    related,
)
from graph.errors import LinkRefused
from graph.layout import NODE_H, NODE_W, count_crossings, layout
from graph.model import (
    CLIENT,
    COMMITMENT,
    COMMITMENT_OUTCOME,
    GOAL,
    LINK_ENDS,
    NODE_KINDS,
    OUTCOME,
    OUTCOME_GOAL,
    OUTCOME_SPRINT,
    SESSION,
    SPRINT,
    Hierarchy,
    Item,
    Link,
)
from graph.rollup import Explanation, Part, explain, rollup
from graph.rules import check_link, is_allowed_pair, is_linkable, orient, refusal

__all__ = [
    "CLIENT",
    "COMMITMENT",
    "COMMITMENT_OUTCOME",
    "GOAL",
    "LINK_ENDS",
    "NODE_H",
    "NODE_KINDS",
    "NODE_W",
    "OUTCOME",
    "OUTCOME_GOAL",
    "OUTCOME_SPRINT",
    "SESSION",
    "SPRINT",
    "Explanation",
    "Finding",
    "Hierarchy",
    "Item",
    "Link",
    "LinkRefused",
    "Part",
    "ancestors",
    "build",
    "check",
    "check_link",
    "children",
    "count_crossings",
    "derive_commitments",
    "derive_goals",
    "derive_sprints",
    "descendants",
    "explain",
    "has_errors",
    "has_link",
    "is_allowed_pair",
    "is_linkable",
    "is_live_link",
    "kind_of",
    "layout",
    "nodes_of_kind",
    "orient",
    "outcome_goals",
    "parents",
    "refusal",
    "related",
    "rollup",
]
