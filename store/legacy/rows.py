"""Planning the rows: each legacy row becomes one valid Trellis row under its own client.

Values Trellis cannot hold are mapped (values.py) and every change is a problem line naming
the row it came from; rows with no client, or disputed ones, go to the needs-attention client.
A row keeps its id only if the id is new here or an earlier import wrote it from this very row
(`settle`); another database's row reusing an id gets a fresh one, listed in the plan.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from store.legacy import values as v
from store.legacy.model import (
    ATTENTION_NAME,
    KIND_ORDER,
    LINK_KINDS,
    LINK_SOURCES,
    SPRINT_DAYS,
    TABLE_KINDS,
    Node,
    Plan,
    derived_id,
    fingerprint,
)
from store.legacy.source import SESSION_DATES, LegacyData
from store.legacy.target import TargetState

# The fingerprint of rows the import makes up (placeholders, the needs-attention client): their
# ids stand for what they are, so only the id matters, but a legacy row must never match them.
MADE_BY_IMPORT = "made-by-import"


def readable(text: str) -> str:
    """Report text a terminal and Qt can show: a lone surrogate (from JSON escapes in the file)
    becomes its escape instead of failing whatever prints it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def shown_json(value: Any) -> str:
    """The start of `value` as JSON, for a report line; a value nested nearly as deep as the
    parser allows may be too deep to write back out from here."""
    try:
        return json.dumps(value, sort_keys=True)[:200]
    except RecursionError:
        return "(nested too deeply to show)"


def where(row: dict[str, Any]) -> tuple[int | None, str | None]:
    raw = v.text(row.get("id")).strip()
    return row.get("_n"), raw or None


class RowPlanner:
    """The entity passes of the planner: clients, sessions, goals, sprints, commitments,
    outcomes; and the bookkeeping (ids, nodes, problems) the link passes share."""

    def __init__(self, data: LegacyData, state: TargetState, now: str):
        self.data, self.state, self.now = data, state, now
        self.plan = Plan(source=str(data.path), target=state.path)
        self.plan.problems.extend(data.problems)
        self.plan.rows = {kind: [] for kind in KIND_ORDER}
        self.plan.links = {kind: [] for kind in LINK_KINDS}
        self.plan.sources = {source: Counter() for source in LINK_SOURCES}
        self.ids: dict[str, dict[str, str]] = {table: {} for table in TABLE_KINDS}
        self.nodes: dict[str, Node] = {}
        self.used_ids: set[str] = set()
        self.client_names = dict(state.client_names)
        self.goal_titles = defaultdict(set, {k: set(t) for k, t in state.goal_titles.items()})
        self.sprint_numbers = defaultdict(set, {k: set(n) for k, n in state.sprint_numbers.items()})
        self.attention_id: str | None = None
        # link planning: pair -> link row; adjacency both ways for "is it implied?"
        self.pairs: dict[str, dict[tuple[str, str], dict[str, Any]]] = {k: {} for k in LINK_KINDS}
        self.up: dict[str, list[str]] = defaultdict(list)  # lower id -> upper ids
        self.down: dict[str, list[str]] = defaultdict(list)  # upper id -> lower ids
        self.placeholder_of: dict[str, str] = {}  # goal/sprint id -> its placeholder outcome
        self.new_ids: set[str] = set()

    # ------------------------------------------------------------ reporting

    def problem(self, table: str, row: dict[str, Any] | None, message: str) -> None:
        number, raw = where(row) if row is not None else (None, None)
        self.plan.problems.append(
            {"table": table, "row": number, "id": raw, "message": readable(message)}
        )

    def noted(self, table: str, row: dict[str, Any], result: v.Result) -> Any:
        value, note = result
        if note:
            self.problem(table, row, note)
        return value

    # ------------------------------------------------------------ ids and clients

    def assign_id(self, table: str, row: dict[str, Any]) -> str:
        """The row's own id when it can keep it; else a stable new one, reported."""
        kind = TABLE_KINDS[table]
        raw = v.text(row.get("id")).strip()
        if not raw:
            new = derived_id(table, "row", str(row["_n"]), repr(sorted(row.items())))
            self.problem(table, row, f"the row has no id; imported with the new id {new}")
        elif raw in self.ids[table]:
            new = derived_id(table, raw, str(row["_n"]))
            self.problem(table, row, f"the id repeats an earlier row's; imported as {new}")
        elif raw in self.used_ids or self.state.kinds.get(raw, kind) != kind:
            new = derived_id(table, raw)
            self.problem(table, row, f"the id is also used by another kind of row; now {new}")
        else:
            new = raw
        if raw and raw not in self.ids[table]:
            self.ids[table][raw] = new
        self.used_ids.add(new)
        row["_id"] = new
        return new

    def is_present(self, item_id: str) -> bool:
        return item_id in self.state.kinds or item_id in self.state.imported

    # ------------------------------------------------------------ whose id is it?

    def is_taken(self, item_id: str, print_: str) -> bool:
        """Whether `item_id` is held here by a row that did not come from the legacy row whose
        fingerprint is `print_` (an import that kept no fingerprints is trusted, as before)."""
        if item_id in self.state.imported:
            recorded = self.state.imported[item_id]
            return print_ not in recorded and None not in recorded
        return item_id in self.state.kinds or item_id in self.state.link_ids

    def settle(
        self, table: str, row: dict[str, Any], base: dict[str, Any], *refs: str | None
    ) -> dict[str, Any]:
        """`base` under the id the row may have: its own when a re-import of the same row (same
        values, same client and references) meets it, else a fresh one, reported, so a row of
        another database is never merged into the row it shares an id with, nor filed under
        that row's client. `refs` are our ids of what the row refers to."""
        is_client = table == "clients"
        print_ = fingerprint(table, row, *(() if is_client else (base["root_id"],)), *refs)
        old = base["id"]
        if not self.is_taken(old, print_):
            return base | {"legacy_row": print_}
        new = self.fresh_id(table, old, print_)
        raw = v.text(row.get("id")).strip()
        if self.ids[table].get(raw) == old:
            self.ids[table][raw] = new
        self.used_ids.add(new)
        row["_id"] = new
        if not self.is_present(new):  # a re-import finds it under its new id: nothing to say
            self.note_rekeyed(table, row, old, new)
        return base | {"id": new, "legacy_row": print_} | ({"root_id": new} if is_client else {})

    def note_rekeyed(self, table: str, row: dict[str, Any], old: str, new: str) -> None:
        number, raw_id = where(row)
        self.plan.rekeyed.append(
            {
                "table": table,
                "row": number,
                "id": raw_id,
                "new_id": new,
                "message": f"{self.why_taken(TABLE_KINDS[table], old)}; imported as {new}",
            }
        )

    def fresh_id(self, table: str, old: str, print_: str) -> str:
        """A stable id for a re-keyed row (a second import of its file finds it again)."""
        attempt = 0
        while True:
            new = derived_id(table, "rekeyed", old, print_, *([str(attempt)] if attempt else []))
            if new not in self.used_ids and not self.is_taken(new, print_):
                return new
            attempt += 1

    def made_id(self, *parts: str) -> str:
        """The id of a row or link the import makes up, from what it stands for; stepping aside
        (stably) when a row of this file, or one here the import did not make, has it."""
        attempt = 0
        while True:
            new = derived_id(*parts, *([f"again {attempt}"] if attempt else []))
            if new not in self.used_ids and not self.is_taken(new, MADE_BY_IMPORT):
                self.used_ids.add(new)
                return new
            attempt += 1

    def why_taken(self, kind: str, item_id: str) -> str:
        if item_id in self.state.imported:
            return (
                f"an earlier import wrote {kind} {item_id} from a different row (of another "
                "legacy file, or of this one before it changed)"
            )
        holder = self.state.kinds.get(item_id, "link")
        return f"{holder} {item_id} is already in this database and did not come from this file"

    def ref(self, table: str, value: Any) -> str | None:
        """Our id for a legacy reference into `table`, or None if it points nowhere."""
        raw = v.text(value).strip()
        found = self.ids[table].get(raw) if raw else None
        return found if found in self.nodes else None

    def broken_ref(self, table: str, row: dict[str, Any], column: str, to: str) -> str | None:
        """Resolve `row[column]` into table `to`; report it if it points nowhere."""
        raw = v.text(row.get(column)).strip()
        if not raw:
            return None
        found = self.ref(to, raw)
        if found is None:
            self.problem(table, row, f"{column} {v.shown(raw)} points to no row of {to}; ignored")
        return found

    def attention(self) -> str:
        """The client for rows whose client is unknown or disputed (made on first use)."""
        if self.attention_id is None:
            existing = self.client_names.get(ATTENTION_NAME.casefold())
            self.attention_id = existing or self.made_id("client", ATTENTION_NAME)
            row = self.entity_row("client", self.attention_id, {}, self.attention_id)
            row |= {
                "name": ATTENTION_NAME,
                "notes": "Rows from a legacy import that had no "
                "client, or several: move each to its client, then delete this one.",
            }
            if existing is None:
                self.client_names[ATTENTION_NAME.casefold()] = self.attention_id
                self.add_row("client", row, ATTENTION_NAME, added=True)
            else:
                self.nodes[existing] = Node("client", existing, existing, ATTENTION_NAME)
        return self.attention_id

    def client_label(self, root: str) -> str:
        node = self.nodes.get(root)
        return node.label if node else f"client {root}"

    # ------------------------------------------------------------ rows

    def entity_row(self, kind: str, item_id: str, row: dict[str, Any], root: str) -> dict[str, Any]:
        created = v.stamp(row.get("created_at"), self.now)
        deleted = v.text(row.get("deleted_at")).strip()
        return {
            "id": item_id,
            "root_id": root,
            "created_at": created,
            "updated_at": v.stamp(row.get("updated_at"), created),
            "deleted_at": v.stamp(deleted, self.now) if deleted else None,
        }

    def add_row(self, kind: str, row: dict[str, Any], name: str, added: bool = False) -> None:
        """Plan a new row (or count it as imported before) and make it linkable."""
        if self.is_present(row["id"]):
            if not added:
                self.plan.present[kind] += 1
        else:
            refusal = v.refusal(kind, row)
            if refusal:  # a mapping above missed a case: report it rather than write a bad row
                self.problem(
                    kind,
                    None,
                    f"{kind} {row['id']} does not pass Trellis' own rules "
                    f"({refusal}); not imported",
                )
                return
            if added:
                row = row | {"legacy_row": MADE_BY_IMPORT}
            self.plan.rows[kind].append(row)
            self.new_ids.add(row["id"])
            if added:
                self.plan.added[kind] += 1
        self.nodes[row["id"]] = Node(
            kind, row["id"], row["root_id"], name, row["deleted_at"] is not None
        )

    def exists(self, item_id: str) -> bool:
        """Whether the item will be in the database (an earlier import's may have been purged)."""
        return item_id in self.new_ids or item_id in self.state.kinds

    def unique_name(self, name: str, taken: dict | set) -> tuple[str, str | None]:
        """`name`, or `name (2)`, `(3)`… when a live row of the same scope has it already."""
        if name.casefold() not in taken:
            return name, None
        number = 2
        while f"{name} ({number})".casefold() in taken:
            number += 1
        return f"{name} ({number})", f"{name!r} is taken; imported as '{name} ({number})'"

    def plan_clients(self) -> None:
        for row in self.data.rows["clients"]:
            cid = self.assign_id("clients", row)
            new = self.settle("clients", row, self.entity_row("client", cid, row, cid))
            name = row.get("name") or row.get("full_name") or row.get("email")
            name = self.noted("clients", row, v.title(name, "(unnamed client)"))
            cid = new["id"]
            if not self.is_present(cid) and new["deleted_at"] is None:
                name = self.noted("clients", row, self.unique_name(name, self.client_names))
                self.client_names[name.casefold()] = cid
            notes = self.noted("clients", row, v.free_text(row.get("notes"), "notes"))
            self.add_row("client", new | {"name": name, "notes": notes}, name)

    def client_of(self, table: str, row: dict[str, Any], fallbacks: list[str | None]) -> str:
        """The row's client: its client_id, else the first fallback's client, else attention."""
        raw = v.text(row.get("client_id")).strip()
        cid = self.ref("clients", raw)
        if cid is not None:
            return cid
        owner = next((self.nodes[f].root for f in fallbacks if f in self.nodes), None)
        why = f"client_id {v.shown(raw)} points to no client" if raw else "the row has no client_id"
        if owner is not None:
            self.problem(
                table,
                row,
                f"{why}; filed under {self.client_label(owner)}, the client of what it refers to",
            )
            return owner
        self.problem(table, row, f"{why}; filed under '{ATTENTION_NAME}'")
        return self.attention()

    def plan_sessions(self) -> None:
        table = "coaching_sessions"
        for row in self.data.rows[table]:
            sid = self.assign_id(table, row)
            base = self.entity_row("session", sid, row, self.client_of(table, row, []))
            base = self.settle(table, row, base)
            held_on = self.session_date(row, base)
            title = self.noted(table, row, v.free_text(row.get("title"), "title", v.TITLE_MAX))
            notes = row.get("notes") if row.get("notes") is not None else row.get("summary")
            notes = self.noted(table, row, v.free_text(notes, "notes"))
            new = base | {"held_on": held_on, "title": " ".join(title.split()), "notes": notes}
            self.add_row("session", new, new["title"] or f"Session {held_on}")

    def session_date(self, row: dict[str, Any], base: dict[str, Any]) -> str:
        column = next((c for c in SESSION_DATES if v.text(row.get(c)).strip()), None)
        if column is not None:
            held_on = self.noted("coaching_sessions", row, v.day(row[column], column))
            if held_on:
                return held_on
        held_on = base["created_at"][:10]
        self.problem(
            "coaching_sessions",
            row,
            f"the session has no date; dated {held_on}, the day it was created",
        )
        return held_on

    def plan_goals(self) -> None:
        table = "client_goals"
        for row in self.data.rows[table]:
            gid = self.assign_id(table, row)
            base = self.entity_row("goal", gid, row, self.client_of(table, row, []))
            base = self.settle(table, row, base)
            title = self.noted(table, row, v.title(row.get("title"), "(untitled goal)"))
            if not self.is_present(base["id"]) and base["deleted_at"] is None:
                taken = self.goal_titles[base["root_id"]]
                title = self.noted(table, row, self.unique_name(title, taken))
                taken.add(title.casefold())
            progress = self.noted(table, row, v.percent(row.get("progress"), "progress"))
            new = base | {
                "title": title,
                "description": self.noted(
                    table, row, v.free_text(row.get("description"), "description")
                ),
                "category": self.noted(table, row, v.category(row.get("category"))),
                "status": self.noted(table, row, v.enum("goal", "status", row.get("status"))),
                "progress": progress,
                "progress_mode": self.progress_mode(progress),
                "target_date": self.noted(table, row, v.day(row.get("target_date"), "target_date")),
            }
            self.add_row("goal", new, title)

    def progress_mode(self, progress: int) -> str:
        """The old app stored progress by hand: a number it kept stays, as a manual value."""
        return "manual" if progress else "derived"

    def plan_sprints(self) -> None:
        table = "sprints"
        for row in self.data.rows[table]:
            sid = self.assign_id(table, row)
            goal = self.ref("client_goals", row.get("goal_id"))
            base = self.entity_row("sprint", sid, row, self.client_of(table, row, [goal]))
            base = self.settle(table, row, base, goal)
            title = self.noted(table, row, v.title(row.get("title"), "(untitled sprint)"))
            start, end = self.sprint_dates(row, base)
            number = self.sprint_number(row, base, self.is_present(base["id"]))
            new = base | {
                "sprint_number": number,
                "title": title,
                "description": self.noted(
                    table, row, v.free_text(row.get("description"), "description")
                ),
                "start_date": start,
                "end_date": end,
                "status": self.noted(table, row, v.enum("sprint", "status", row.get("status"))),
            }
            self.add_row("sprint", new, f"Sprint {number}: {title}")

    def sprint_number(self, row: dict[str, Any], base: dict[str, Any], present: bool) -> int:
        """The row's number unless it is missing, not a positive whole number, or taken."""
        taken = self.sprint_numbers[base["root_id"]]
        number = v.positive(row.get("sprint_number"))
        if present:
            return number or 1
        raw = v.text(row.get("sprint_number")).strip()
        live = base["deleted_at"] is None
        if number is None or (live and number in taken):
            free = max(taken | {0}) + 1
            why = (
                f"sprint_number {raw} is already used by another sprint of this client"
                if number
                else f"sprint_number {v.shown(row.get('sprint_number')) or '(empty)'} "
                "is not a positive number"
            )
            self.problem("sprints", row, f"{why}; numbered {free}")
            number = free
        if live:
            taken.add(number)
        return number

    def sprint_dates(self, row: dict[str, Any], base: dict[str, Any]) -> tuple[str, str]:
        """Both dates, swapped when the end comes first; made up (and reported) when missing."""
        start = self.noted("sprints", row, v.day(row.get("start_date"), "start_date"))
        end = self.noted("sprints", row, v.day(row.get("end_date"), "end_date"))
        if start and end and end < start:
            self.problem(
                "sprints",
                row,
                f"end_date {end} is before start_date {start}; the two dates were swapped",
            )
            return end, start
        if start and not end:
            end = v.shifted(start, SPRINT_DAYS)
            self.problem("sprints", row, f"the sprint has no end date; set to {end} (6 weeks)")
        elif end and not start:
            start = v.shifted(end, -SPRINT_DAYS)
            self.problem(
                "sprints",
                row,
                f"the sprint has no start date; set to {start} (6 weeks before its end)",
            )
        elif not start and not end:
            start = base["created_at"][:10]
            end = v.shifted(start, SPRINT_DAYS)
            self.problem(
                "sprints",
                row,
                f"the sprint has no dates; set to {start} – {end}, "
                "6 weeks from the day it was created",
            )
        return start, end

    def plan_commitments(self) -> None:
        table = "commitments"
        self.metadata: dict[str, dict[str, list[str]]] = {}
        for row in self.data.rows[table]:
            cid = self.assign_id(table, row)
            refs = [
                self.ref(t, row.get(c))
                for t, c in (
                    ("coaching_sessions", "session_id"),
                    ("sprints", "sprint_id"),
                    ("client_goals", "goal_id"),
                )
            ]
            base = self.entity_row("commitment", cid, row, self.client_of(table, row, refs))
            session = self.session_of(row, base["root_id"])
            base = self.settle(table, row, base, session, *refs)
            title = self.noted(table, row, v.title(row.get("title"), "(untitled commitment)"))
            start = self.noted(table, row, v.day(row.get("start_date"), "start_date"))
            due = row.get("target_date") if row.get("target_date") else row.get("due_date")
            due = self.noted(table, row, v.day(due, "target_date"))
            if start and due and due < start:
                self.problem(
                    table,
                    row,
                    f"target_date {due} is before start_date {start}; the two dates were swapped",
                )
                start, due = due, start
            new = base | {
                "title": title,
                "description": self.noted(
                    table, row, v.free_text(row.get("description"), "description")
                ),
                "type": self.noted(table, row, v.enum("type", "type", row.get("type"))),
                "status": self.noted(table, row, v.enum("commitment", "status", row.get("status"))),
                "priority": self.noted(
                    table, row, v.enum("priority", "priority", row.get("priority"))
                ),
                "start_date": start,
                "target_date": due,
                "completed_date": self.noted(
                    table, row, v.day(row.get("completed_date"), "completed_date")
                ),
                "progress_percentage": self.noted(
                    table, row, v.percent(row.get("progress_percentage"), "progress_percentage")
                ),
                "session_id": session,
            }
            self.add_row("commitment", new, title)
            self.metadata[new["id"]] = self.read_metadata(row)

    def session_of(self, row: dict[str, Any], root: str) -> str | None:
        session = self.broken_ref("commitments", row, "session_id", "coaching_sessions")
        if session is not None and self.nodes[session].root != root:
            self.problem(
                "commitments",
                row,
                "its session belongs to "
                f"{self.client_label(self.nodes[session].root)}; session left empty",
            )
            return None
        return session

    def read_metadata(self, row: dict[str, Any]) -> dict[str, list[str]]:
        """linked_goal_ids / linked_sprint_ids from commit_metadata; anything else is reported."""
        raw = v.text(row.get("commit_metadata")).strip()
        if not raw:
            return {}
        try:
            meta = json.loads(raw)
        except (ValueError, RecursionError):  # nested deeper than Python's stack: broken too
            self.problem(
                "commitments",
                row,
                f"commit_metadata is not valid JSON ({raw[:60]!r}); its links were not read",
            )
            return {}
        if meta is None:
            return {}
        if not isinstance(meta, dict):
            self.problem("commitments", row, "commit_metadata is not a JSON object; ignored")
            return {}
        found = {
            key: self.id_list(row, key, meta.get(key))
            for key in ("linked_goal_ids", "linked_sprint_ids")
        }
        other = sorted(k for k in meta if k not in found)
        if other:
            kept = shown_json({k: meta[k] for k in other})
            self.problem(
                "commitments",
                row,
                f"commit_metadata keys {', '.join(other)} have no "
                f"place in Trellis and were not carried over: {kept}",
            )
        return found

    def id_list(self, row: dict[str, Any], key: str, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem("commitments", row, f"commit_metadata {key} is not a list; ignored")
            return []
        ids = [x.strip() for x in value if isinstance(x, str) and x.strip()]
        if len(ids) != len(value):
            self.problem(
                "commitments",
                row,
                f"commit_metadata {key} has entries that are not ids; those were ignored",
            )
        return ids

    def plan_outcomes(self) -> None:
        table = "targets"
        served_by = self.commitments_by_target()
        for row in self.data.rows[table]:
            oid = self.assign_id(table, row)
            goal = self.broken_ref(table, row, "goal_id", "client_goals")
            sprint = self.broken_ref(table, row, "sprint_id", "sprints")
            raw = v.text(row.get("id")).strip()
            served = served_by.get(raw, []) if self.ids[table].get(raw) == oid else []
            root = self.outcome_client(row, goal, sprint, served)
            base = self.settle(table, row, self.entity_row("outcome", oid, row, root), goal, sprint)
            title = self.noted(table, row, v.title(row.get("title"), "(untitled outcome)"))
            progress = self.noted(
                table, row, v.percent(row.get("progress_percentage"), "progress_percentage")
            )
            new = base | {
                "title": title,
                "description": self.noted(
                    table, row, v.free_text(row.get("description"), "description")
                ),
                "status": self.noted(table, row, v.enum("outcome", "status", row.get("status"))),
                "progress_percentage": progress,
                "progress_mode": self.progress_mode(progress),
                "target_date": self.noted(table, row, v.day(row.get("target_date"), "target_date")),
                "order_index": self.noted(table, row, v.order(row.get("order_index"))),
            }
            self.add_row("outcome", new, title)

    def commitments_by_target(self) -> dict[str, list[str]]:
        """Legacy target id -> our ids of the commitments linked to it."""
        found: dict[str, list[str]] = defaultdict(list)
        for row in self.data.rows["commitment_target_links"]:
            commitment = self.ref("commitments", row.get("commitment_id"))
            if commitment is not None:
                found[v.text(row.get("target_id")).strip()].append(commitment)
        return found

    def outcome_client(
        self, row: dict[str, Any], goal: str | None, sprint: str | None, commitments: list | None
    ) -> str:
        """From its goal, else its sprint, else its commitments; disputed or none → attention."""
        sources = [("its goal", goal), ("its sprint", sprint)]
        sources += [("a commitment linked to it", c) for c in commitments or []]
        clients: dict[str, str] = {}  # client -> the first source that names it
        for why, item in sources:
            if item is not None:
                clients.setdefault(self.nodes[item].root, why)
        if len(clients) == 1:
            return next(iter(clients))
        if clients:
            named = "; ".join(
                f"{why} belongs to {self.client_label(c)}" for c, why in clients.items()
            )
            self.problem(
                "targets",
                row,
                f"its client is disputed ({named}); filed under "
                f"'{ATTENTION_NAME}' and not linked across clients",
            )
        else:
            self.problem(
                "targets",
                row,
                f"no goal, sprint or commitment says whose it is; filed under '{ATTENTION_NAME}'",
            )
        return self.attention()
