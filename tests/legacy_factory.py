"""Legacy coaching databases (seed 000, "Current Database Structure") for tests and `make bench`.

`LegacyFile` builds one row by row; every column can be overridden with any value, tables and
columns can be dropped, so a test writes exactly the mess it is about:

    f = LegacyFile()
    ana = f.client("Ana")
    goal = f.goal(ana, "Run a marathon", status="on hold")
    f.commitment(ana, "Buy shoes", goal=goal, commit_metadata="{not json")
    f.write(tmp_path / "legacy.db")

`write_large_legacy(path)` writes a realistic big file (50 clients, 20,000 commitments) for the
benchmark; `time_large_import(folder)` times importing it into a new Trellis database.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

# The legacy schema as the old backend had it in SQLite: loose types, no constraints, so a file
# can hold every kind of mess a real one does (repeated ids, ids pointing nowhere).
SCHEMA: dict[str, tuple[str, ...]] = {
    table: tuple(columns.split())
    for table, columns in {
        "clients": "id name email notes created_at updated_at",
        "coaching_sessions": "id client_id session_date title notes created_at",
        "client_goals": "id client_id title description category status progress target_date"
        " created_at updated_at",
        "sprints": "id client_id goal_id sprint_number title description start_date end_date"
        " status created_at updated_at",
        "targets": "id goal_id sprint_id title description status progress_percentage"
        " created_at updated_at",
        "commitments": "id client_id session_id sprint_id goal_id title description type status"
        " priority commit_metadata target_date created_at updated_at",
        "commitment_target_links": "id commitment_id target_id created_at",
    }.items()
}
STAMP = "2025-11-03 09:30:00"


class LegacyFile:
    """A legacy database under construction; `write` puts it in a SQLite file."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in SCHEMA}
        self.columns: dict[str, list[str]] = {t: list(c) for t, c in SCHEMA.items()}
        self.dropped: set[str] = set()

    def __repr__(self) -> str:
        """Every row and what is dropped, so a failing property test shows the whole file."""
        tables = {t: r for t, r in self.rows.items() if r}
        return f"LegacyFile(rows={tables!r}, columns={self.columns!r}, dropped={self.dropped!r})"

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, table: str, values: dict[str, Any], extra: dict[str, Any]) -> str:
        row = {"id": self.new_id(), "created_at": STAMP, "updated_at": STAMP} | values | extra
        self.rows[table].append(row)
        return row["id"]

    def client(self, name: str = "Ana Silva", **extra: Any) -> str:
        return self.add("clients", {"name": name, "email": None, "notes": ""}, extra)

    def session(self, client: str, session_date: str = "2026-01-05", **extra: Any) -> str:
        values = {"client_id": client, "session_date": session_date, "title": "", "notes": ""}
        return self.add("coaching_sessions", values, extra)

    def goal(self, client: str, title: str, **extra: Any) -> str:
        values = {
            "client_id": client,
            "title": title,
            "description": "",
            "category": "",
            "status": "active",
            "progress": 0,
            "target_date": None,
        }
        return self.add("client_goals", values, extra)

    def sprint(
        self,
        client: str,
        number: Any,
        title: str = "Sprint",
        start: Any = "2026-01-05",
        end: Any = "2026-02-15",
        goal: str | None = None,
        **extra: Any,
    ) -> str:
        values = {
            "client_id": client,
            "goal_id": goal,
            "sprint_number": number,
            "title": title,
            "description": "",
            "start_date": start,
            "end_date": end,
            "status": "active",
        }
        return self.add("sprints", values, extra)

    def target(
        self, title: str, goal: str | None = None, sprint: str | None = None, **extra: Any
    ) -> str:
        values = {
            "goal_id": goal,
            "sprint_id": sprint,
            "title": title,
            "description": "",
            "status": "active",
            "progress_percentage": 0,
        }
        return self.add("targets", values, extra)

    def commitment(
        self,
        client: str | None,
        title: str,
        goal: str | None = None,
        sprint: str | None = None,
        session: str | None = None,
        metadata: Any = None,
        **extra: Any,
    ) -> str:
        """`metadata`: a dict is written as JSON, a string as it is (so it can be broken)."""
        meta = json.dumps(metadata) if isinstance(metadata, dict | list) else metadata
        values = {
            "client_id": client,
            "session_id": session,
            "sprint_id": sprint,
            "goal_id": goal,
            "title": title,
            "description": "",
            "type": "commitment",
            "status": "active",
            "priority": "medium",
            "commit_metadata": meta,
            "target_date": None,
        }
        return self.add("commitments", values, extra)

    def link(self, commitment: str, target: str, **extra: Any) -> str:
        values = {"commitment_id": commitment, "target_id": target}
        return self.add("commitment_target_links", values, extra)

    def drop_table(self, table: str) -> None:
        self.dropped.add(table)

    def drop_column(self, table: str, column: str) -> None:
        self.columns[table].remove(column)

    def write(self, path: Path, wal: bool = False) -> Path:
        """Write the file (replacing any), in WAL mode if asked; returns its path."""
        path = Path(path)
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path)
        if wal:
            conn.execute("PRAGMA journal_mode=wal")
        try:
            for table, columns in self.columns.items():
                if table not in self.dropped:
                    write_table(conn, table, columns, self.rows[table])
            conn.commit()
        finally:
            conn.close()
        return path


def write_table(conn: sqlite3.Connection, table: str, columns: list[str], rows: list) -> None:
    conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
        [tuple(row.get(c) for c in columns) for row in rows],
    )


def numbered_file(names: tuple[str, str], tag: str) -> LegacyFile:
    """A legacy file whose app numbered everything 1, 2…: two clients, each with a goal, an
    outcome, a sprint, a session and a commitment linked the way the old app linked them."""
    f = LegacyFile()
    for n, name in enumerate(names, start=1):
        client = f.client(name, id=str(n))
        goal = f.goal(client, f"{tag} goal {n}", id=str(10 + n))
        sprint = f.sprint(client, 1, f"{tag} sprint {n}", id=str(20 + n))
        outcome = f.target(f"{tag} outcome {n}", goal=goal, sprint=sprint, id=str(30 + n))
        session = f.session(client, title=f"{tag} session {n}", id=str(40 + n))
        task = f.commitment(client, f"{tag} task {n}", session=session, id=str(50 + n))
        f.link(task, outcome, id=str(60 + n))
    return f


def write_raw(path, *statements: str) -> None:
    """Values the sqlite3 module will not write as themselves (bad UTF-8, lone surrogates)."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


# ---------------------------------------------------------------- the benchmark's big file

MESSY_STATUSES = ("active", "active", "active", "done", "In Progress", "pending", "completed")


def write_large_legacy(
    path: Path, clients: int = 50, commitments: int = 20_000, seed: int = 7
) -> Path:
    """A realistic legacy file: per client 4 goals, 8 outcomes, 6 sprints, 10 sessions, and
    `commitments` spread over the clients, linked every way the old app linked them."""
    f = LegacyFile(seed)
    per_client = max(1, commitments // clients)
    for number in range(clients):
        add_large_client(f, f"Client {number + 1:03}", per_client)
    return f.write(path)


def add_large_client(f: LegacyFile, name: str, commitments: int) -> None:
    rng = f.rng
    client = f.client(name)
    goals = [f.goal(client, f"Goal {g + 1}", progress=rng.choice([0, 20, 55])) for g in range(4)]
    sprints = [
        f.sprint(
            client,
            s + 1,
            f"Block {s + 1}",
            f"2025-{s * 2 + 1:02}-01",
            f"2025-{s * 2 + 2:02}-20",
            goal=goals[s % 4] if s % 2 else None,
        )
        for s in range(6)
    ]
    targets = [
        f.target(f"Outcome {t + 1}", goal=goals[t // 2], sprint=sprints[t % 6] if t % 3 else None)
        for t in range(8)
    ]
    sessions = [f.session(client, f"2025-{s + 1:02}-10") for s in range(10)]
    for c in range(commitments):
        add_large_commitment(f, client, c, goals, sprints, targets, sessions)


def add_large_commitment(f, client, c, goals, sprints, targets, sessions) -> None:
    rng = f.rng
    kind = c % 20
    extra: dict[str, Any] = {"status": rng.choice(MESSY_STATUSES)}
    goal = rng.choice(goals) if 10 <= kind < 14 else None
    sprint = rng.choice(sprints) if 14 <= kind < 17 else None
    meta = None
    if 17 <= kind < 19:
        meta = {"linked_goal_ids": [rng.choice(goals)], "linked_sprint_ids": [rng.choice(sprints)]}
    cid = f.commitment(
        client,
        f"Commitment {c + 1}",
        goal=goal,
        sprint=sprint,
        session=rng.choice(sessions),
        metadata=meta,
        **extra,
    )
    if kind < 10:
        f.link(cid, rng.choice(targets))


def time_large_import(folder: Path, clients: int = 50, commitments: int = 20_000) -> dict:
    """Seconds to write, plan and import the big file into a new database (for `make bench`)."""
    from store import legacy
    from store.opening import close_database, open_database

    folder = Path(folder)
    started = time.perf_counter()
    source = write_large_legacy(folder / "legacy.db", clients, commitments)
    written = time.perf_counter()
    open_database(folder / "trellis.db")
    try:
        plan = legacy.plan_import(source)
        planned = time.perf_counter()
        legacy.run_plan(plan)
        done = time.perf_counter()
    finally:
        close_database()
    return {
        "write_legacy_s": written - started,
        "plan_s": planned - written,
        "import_s": done - planned,
        "rows": plan.new_rows,
        "links": plan.new_links,
    }


# ---------------------------------------------------------------- reading results back


def import_open(f: LegacyFile, folder: Path):
    """Write `f` into `folder`, import it into the open database; (plan, export document)."""
    from store import legacy
    from store.exchange import export_document

    plan = legacy.plan_import(f.write(Path(folder) / "legacy.db"))
    legacy.run_plan(plan)
    return plan, export_document()


def titles(doc: dict) -> dict[str, str]:
    """Item id -> title (client id -> name) in an export document."""
    found = {c["id"]: c["name"] for c in doc["clients"]}
    for section in ("goals", "outcomes", "sprints", "commitments"):
        found |= {row["id"]: row["title"] for row in doc[section]}
    return found


def link_titles(doc: dict) -> dict[str, set[tuple[str, str]]]:
    """Each link kind's links as (upper title, lower title) pairs, readable in assertions."""
    names = titles(doc)
    ends = {
        "outcome_goal": ("goal_id", "target_id"),
        "outcome_sprint": ("target_id", "sprint_id"),
        "commitment_outcome": ("target_id", "commitment_id"),
    }
    return {
        kind: {(names[row[up]], names[row[down]]) for row in doc["links"][kind]}
        for kind, (up, down) in ends.items()
    }


def row_titled(doc: dict, section: str, title: str) -> dict:
    """The one row of `section` with this title (name, for clients)."""
    key = "name" if section == "clients" else "title"
    (row,) = [r for r in doc[section] if r[key] == title]
    return row


def clients_by_title(doc: dict) -> dict[str, str]:
    """Title -> the name of the client it is filed under, for every item of the export."""
    names = {c["id"]: c["name"] for c in doc["clients"]}
    found = {}
    for section in ("goals", "outcomes", "sprints", "commitments", "sessions"):
        found |= {row["title"]: names[row["root_id"]] for row in doc[section]}
    return found
