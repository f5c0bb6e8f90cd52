"""Planning the links: the outcome links the file has, and its direct links made into them.

`targets.goal_id` / `targets.sprint_id` / `commitment_target_links` carry over; a direct link
(sprint→goal, commitment→goal/sprint, metadata arrays) the outcome links do not already imply
goes through the goal's (sprint's) only live outcome, else its one placeholder outcome.
"""

from __future__ import annotations

from typing import Any

from store.legacy import values as v
from store.legacy.model import LINK_COLUMNS, Node, fingerprint
from store.legacy.rows import MADE_BY_IMPORT, RowPlanner, where


class LinkPlanner(RowPlanner):
    """The link passes, on top of the planned rows."""

    def link(
        self,
        kind: str,
        upper: str,
        lower: str,
        source: str,
        link_id: str | None = None,
        created: str | None = None,
        print_: str | None = None,
    ) -> bool:
        """Plan the link upper→lower (same client only); False if it was there already.

        `print_` is the legacy link row's fingerprint, when the link keeps that row's own id;
        a made-up link id stands for its two ends, so the id alone says it was imported."""
        if (upper, lower) in self.pairs[kind]:
            return False
        if not (self.exists(upper) and self.exists(lower)):
            return False  # an end an earlier import brought in was purged since: leave it so
        root = self.nodes[upper].root
        upper_col, lower_col = LINK_COLUMNS[kind]
        row = {
            "id": link_id or self.made_id(kind, upper, lower),
            "root_id": root,
            "weight": 1.0,
            "created_at": created or self.now,
            upper_col: upper,
            lower_col: lower,
            "legacy_row": print_ or MADE_BY_IMPORT,
        }
        self.pairs[kind][upper, lower] = row
        self.up[lower].append(upper)
        self.down[upper].append(lower)
        if (upper, lower) in self.state.link_pairs[kind] or row["id"] in self.state.imported:
            self.plan.links_present[kind] += 1
        else:
            self.plan.links[kind].append(row | {"source": source})
        return True

    def same_client(self, table: str, row: dict[str, Any], a: str, b: str, source: str) -> bool:
        """Refuse (and report) a link between two clients' items."""
        ra, rb = self.nodes[a].root, self.nodes[b].root
        if ra == rb:
            return True
        self.plan.sources[source]["refused"] += 1
        self.problem(
            table,
            row,
            f"{source}: {self.nodes[a].label} ({self.client_label(ra)}) and "
            f"{self.nodes[b].label} ({self.client_label(rb)}) belong to different "
            "clients; not linked",
        )
        return False

    def plan_outcome_links(self) -> None:
        for row in self.data.rows["targets"]:
            outcome = row["_id"]
            if outcome not in self.nodes:
                continue
            for column, table, kind in (
                ("goal_id", "client_goals", "outcome_goal"),
                ("sprint_id", "sprints", "outcome_sprint"),
            ):
                other = self.ref(table, row.get(column))
                if other is None:
                    continue
                source = f"targets.{column}"
                self.plan.sources[source]["found"] += 1
                if self.same_client("targets", row, outcome, other, source):
                    upper, lower = (other, outcome) if kind == "outcome_goal" else (outcome, other)
                    self.link(kind, upper, lower, source)
                    self.plan.sources[source]["linked"] += 1

    def plan_commitment_links(self) -> None:
        table, source = "commitment_target_links", "commitment_target_links"
        seen: dict[tuple[str, str], int] = {}
        for row in self.data.rows[table]:
            self.plan.sources[source]["found"] += 1
            commitment = self.broken_ref(table, row, "commitment_id", "commitments")
            outcome = self.broken_ref(table, row, "target_id", "targets")
            if commitment is None or outcome is None:
                if not (
                    v.text(row.get("commitment_id")).strip()
                    and v.text(row.get("target_id")).strip()
                ):
                    self.problem(table, row, "the link row lacks one of its ends; ignored")
                self.plan.sources[source]["refused"] += 1
                continue
            if (outcome, commitment) in seen:
                self.plan.sources[source]["duplicate"] += 1
                self.problem(
                    table,
                    row,
                    f"repeats the link of row {seen[outcome, commitment]}; imported once",
                )
                continue
            seen[outcome, commitment] = row["_n"]
            if self.same_client(table, row, commitment, outcome, source):
                print_ = fingerprint(table, row, outcome, commitment)
                link_id = self.legacy_link_id(row, print_)
                self.link(
                    "commitment_outcome",
                    outcome,
                    commitment,
                    source,
                    link_id,
                    v.stamp(row.get("created_at"), self.now),
                    print_ if link_id else None,
                )
                self.plan.sources[source]["linked"] += 1

    def legacy_link_id(self, row: dict[str, Any], print_: str) -> str | None:
        """The link row's own id when it is unused here, or an earlier import wrote it from this
        very row (same ends); else None, and the link gets an id made from its ends."""
        raw = v.text(row.get("id")).strip()
        if not raw or raw in self.used_ids or raw in self.state.kinds:
            return None
        if raw in self.state.link_ids or self.is_taken(raw, print_):
            return None
        self.used_ids.add(raw)
        return raw

    # ------------------------------------------------------------ direct links → outcomes

    def outcomes_of(self, item: str, kind: str) -> list[str]:
        """Live outcomes linked to a goal (below it) or a sprint (above it)."""
        linked = self.down[item] if kind == "goal" else self.up[item]
        return [o for o in linked if self.nodes[o].kind == "outcome" and not self.nodes[o].deleted]

    def outcome_for(self, item: str) -> tuple[str, str]:
        """The goal's (sprint's) only live outcome, else its placeholder; and how it was chosen."""
        node = self.nodes[item]
        outcomes = self.outcomes_of(item, node.kind)
        if len(outcomes) == 1:
            how = (
                "its placeholder"
                if outcomes[0] == self.placeholder_of.get(item)
                else f"the {node.kind}'s only outcome"
            )
            return outcomes[0], how
        return self.placeholder(node), "a placeholder outcome"

    def placeholder(self, node: Node) -> str:
        """One outcome per goal (sprint) collecting its direct links until the user sorts them."""
        if node.id in self.placeholder_of:
            return self.placeholder_of[node.id]
        name = node.name
        title = v.clipped(f"Unsorted — from {node.kind} '{name}' (imported)", v.TITLE_MAX, "title")[
            0
        ]
        pid = self.made_id("placeholder", node.kind, node.id)
        row = self.entity_row("outcome", pid, {}, node.root) | {
            "title": title,
            "description": f"Made by the legacy import for links that went straight to "
            f"{node.kind} '{name}'. Move each item to the outcome it serves, "
            "then delete this one.",
            "status": "active",
            "progress_percentage": 0,
            "progress_mode": "derived",
            "target_date": None,
            "order_index": 0,
        }
        self.add_row("outcome", row, title, added=True)
        self.placeholder_of[node.id] = pid
        if node.kind == "goal":
            self.link("outcome_goal", node.id, pid, "placeholder")
        else:
            self.link("outcome_sprint", pid, node.id, "placeholder")
        self.plan.placeholders.append(
            {
                "id": pid,
                "title": title,
                "for_kind": node.kind,
                "for_id": node.id,
                "for_title": node.name,
                "client": self.client_label(node.root),
                "new": not self.is_present(pid),
            }
        )
        return pid

    def convert(self, table: str, row: dict[str, Any], item: str, to: str, source: str) -> None:
        """One direct link item→to (a goal or sprint): implied already, or made through an
        outcome."""
        counts = self.plan.sources[source]
        counts["found"] += 1
        if not self.same_client(table, row, item, to, source):
            return
        if set(self.up[item]) & set(self.all_outcomes(to)):
            counts["implied"] += 1
            return
        outcome, how = self.outcome_for(to)
        if self.nodes[item].kind == "sprint":
            self.link("outcome_sprint", outcome, item, source)
        else:
            self.link("commitment_outcome", outcome, item, source)
        counts["converted"] += 1
        number, raw = where(row)
        self.plan.conversions.append(
            {
                "source": source,
                "table": table,
                "row": number,
                "id": raw,
                "message": f"{self.nodes[item].label} → {self.nodes[to].label} now goes through "
                f"{self.nodes[outcome].label}, {how}",
            }
        )

    def all_outcomes(self, item: str) -> list[str]:
        """Every outcome linked to a goal or sprint, deleted ones too (they imply links)."""
        linked = self.down[item] if self.nodes[item].kind == "goal" else self.up[item]
        return [o for o in linked if self.nodes[o].kind == "outcome"]

    def plan_direct_links(self) -> None:
        for row in self.data.rows["sprints"]:
            sprint = row["_id"]
            goal = self.broken_ref("sprints", row, "goal_id", "client_goals")
            if sprint in self.nodes and goal:
                self.convert("sprints", row, sprint, goal, "sprints.goal_id")
        for column, to, source in (
            ("goal_id", "client_goals", "commitments.goal_id"),
            ("linked_goal_ids", "client_goals", "commit_metadata.linked_goal_ids"),
            ("sprint_id", "sprints", "commitments.sprint_id"),
            ("linked_sprint_ids", "sprints", "commit_metadata.linked_sprint_ids"),
        ):
            for row in self.data.rows["commitments"]:
                commitment = row["_id"]
                if commitment in self.nodes:
                    for target in self.direct_refs(row, commitment, column, to):
                        self.convert("commitments", row, commitment, target, source)

    def direct_refs(self, row: dict[str, Any], item: str, column: str, to: str) -> list[str]:
        if column.startswith("linked_"):
            found = []
            for raw in self.metadata.get(item, {}).get(column, []):
                target = self.ids[to].get(raw)
                if target is None:
                    self.problem(
                        "commitments",
                        row,
                        f"commit_metadata {column} names {v.shown(raw)}, which is no row of "
                        f"{to}; ignored",
                    )
                else:
                    found.append(target)
            return found
        target = self.broken_ref("commitments", row, column, to)
        return [target] if target else []
