"""The import plan: every row and link the legacy file becomes, as plain data, before any write.

Built from the legacy rows (source.py) and what the target already holds (target.py):
- entities keep their ids and fields; values Trellis cannot hold are mapped and reported
  (rows.py);
- `targets.goal_id` / `targets.sprint_id` become outcome links, `commitment_target_links` stay;
  direct links the outcome links do not already imply go through an outcome: the goal's
  (sprint's) only live outcome, else one placeholder outcome per goal (sprint), each
  conversion one line of the report (links.py);
- every row gets its client; what has none, or conflicting ones, goes to a client whose name
  says it needs attention, and nothing is ever linked across clients.
Ids of made-up rows (placeholders, links, repaired ids) are uuid5s of what they stand for, so
planning the same file twice gives the same plan, and a second import adds nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from store.legacy.links import LinkPlanner
from store.legacy.model import (
    ATTENTION_NAME,
    KIND_ORDER,
    LINK_KINDS,
    LINK_SOURCES,
    Plan,
)
from store.legacy.source import TABLES, LegacyData
from store.legacy.target import TargetState

__all__ = ["ATTENTION_NAME", "KIND_ORDER", "LINK_KINDS", "LINK_SOURCES", "Plan", "build_plan"]


class Planner(LinkPlanner):
    """Builds a Plan in passes: clients, sessions, goals, sprints, commitments, outcomes, links."""

    def build(self) -> Plan:
        for table, rows in self.data.rows.items():
            self.plan.in_file[table] = len(rows)
        self.plan_clients()
        self.plan_sessions()
        self.plan_goals()
        self.plan_sprints()
        self.plan_commitments()
        self.plan_outcomes()
        self.plan_outcome_links()
        self.plan_commitment_links()
        self.plan_direct_links()
        self.plan.problems.sort(key=file_order)
        self.note_manual_progress()
        return self.plan

    def note_manual_progress(self) -> None:
        manual = sum(
            r["progress_mode"] == "manual" for k in ("goal", "outcome") for r in self.plan.rows[k]
        )
        if manual:
            self.plan.notes.append(
                f"{manual} goals and outcomes keep the progress the old app stored, as a manual "
                "value; switch one to derived to compute it from its links."
            )


def file_order(problem: dict) -> tuple[int, int]:
    """Problems read in the file's order: table by table, row by row (file-wide ones first)."""
    tables = list(TABLES)
    table = tables.index(problem["table"]) if problem["table"] in tables else len(tables)
    return table, problem["row"] or 0


def build_plan(data: LegacyData, state: TargetState, now: str | None = None) -> Plan:
    """The plan for importing `data` into a database in `state`; pure: nothing is written."""
    stamp = now or datetime.now(UTC).isoformat(timespec="microseconds")
    return Planner(data, state, stamp).build()
