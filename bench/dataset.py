"""The benchmark workspace: 20 clients of 10,000 items and ~20,000 links each, bulk-inserted.

One call per row through `store.ops` would take hours at this size, so rows are built here as
plain tuples and written with Peewee's `insert_many` through `store.models`, in one
transaction; the schema's CHECKs, foreign keys and partial unique indexes still apply to
every row. Each item and link also gets the `create`/`link` audit row the app would have
written, so the file is as large as a real one. Generation is deterministic (seeded) and
cached under `bench/.cache/`, keyed by `GENERATOR_VERSION`: bump it when the data changes.

Shape of one client at scale 1: 500 goals, 2,000 outcomes, 500 sprints, 7,000 commitments
and 100 sessions. Outcomes serve 1–2 goals, sprints work on 2–6 outcomes, commitments serve
1–2 outcomes (links join neighbours, as real work clusters), a client's sprints follow one
another without overlapping, commitments fall due inside a sprint they reach, and about 1%
of the items are in the trash.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from store import models, opening
from store import models as m

GENERATOR_VERSION = 2
CLIENTS = 20
# Items of one client at scale 1.0.
SIZES = {"goal": 500, "outcome": 2000, "sprint": 500, "commitment": 7000, "session": 100}
SPRINT_DAYS = 42
DELETED_SHARE = 0.01
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
# SQLite allows 32,766 bound variables per statement; stay well under.
MAX_VARIABLES = 30_000

GOAL_WORDS = ("Run", "Write", "Lead", "Learn", "Build", "Save", "Launch", "Master", "Grow", "Ship")
THINGS = ("a marathon", "the book", "the team", "Spanish", "a habit", "a fund", "the product")
STATUSES = {
    "goal": ("active",) * 6 + ("completed", "paused", "abandoned"),
    "outcome": ("active",) * 6 + ("completed", "deferred", "abandoned"),
    "commitment": ("active", "in_progress", "in_progress", "completed", "completed", "draft"),
}


@dataclass
class Workspace:
    """What the generator made: the file and, per client, its ids (for choosing bench inputs)."""

    path: Path
    clients: list[str]
    # The first client's ids by kind (the one every single-client case uses).
    ids: dict[str, list[str]] = field(default_factory=dict)


def sizes_at(scale: float) -> dict[str, int]:
    """Items per kind for one client at `scale` (at least one of each)."""
    return {kind: max(1, round(n * scale)) for kind, n in SIZES.items()}


def cache_path(scale: float, clients: int, cache_dir: Path | None = None) -> Path:
    folder = Path(cache_dir) if cache_dir else CACHE_DIR
    return folder / f"workspace-g{GENERATOR_VERSION}-c{clients}-s{scale:g}.db"


def workspace(scale: float = 1.0, clients: int = CLIENTS, cache_dir: Path | None = None) -> Path:
    """The cached workspace file for (scale, clients), generated on first use."""
    path = cache_path(scale, clients, cache_dir)
    if not path.exists():
        generate(path, scale, clients)
    return path


def generate(path: Path, scale: float, clients: int) -> None:
    """Write a new workspace file at `path` (via a temporary name, so a killed run leaves none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    rng = random.Random(f"trellis-bench-{GENERATOR_VERSION}")
    opening.open_database(partial)
    try:
        with models.database.atomic():
            for number in range(clients):
                write_rows(client_rows(rng, number, sizes_at(scale)))
    finally:
        # Closing the last connection checkpoints the WAL into the file itself.
        opening.close_database()
    os.replace(partial, path)


# ---------------------------------------------------------------- one client's rows


class Ids:
    """Deterministic uuid4-shaped ids from the generator's random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def stamp(day: date) -> str:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC).isoformat(timespec="microseconds")


def client_rows(rng: random.Random, number: int, n: dict[str, int]) -> dict[str, list[dict]]:
    """Every row of one client, by table, as column-name dicts."""
    new_id = Ids(rng)
    cid = new_id()
    created = stamp(date(2019, 1, 1) + timedelta(days=number))
    rows: dict[str, list[dict]] = {}
    rows["client"] = [
        {
            "id": cid,
            "root_id": cid,
            "name": f"Client {number + 1:02d}",
            "notes": f"Benchmark client number {number + 1}.",
            "created_at": created,
            "updated_at": created,
            "deleted_at": None,
        }
    ]
    base = {"root_id": cid, "created_at": created, "updated_at": created, "deleted_at": None}
    rows["session"] = sessions(rng, new_id, base, n["session"])
    rows["goal"] = goals(rng, new_id, base, n["goal"])
    rows["outcome"] = outcomes(rng, new_id, base, n["outcome"])
    rows["sprint"] = sprints(new_id, base, n["sprint"])
    rows["commitment"] = commitments(rng, new_id, base, n["commitment"], rows["session"])
    rows["outcome_goal"] = outcome_goal_links(rng, new_id, cid, rows["outcome"], rows["goal"])
    rows["outcome_sprint"] = outcome_sprint_links(rng, new_id, cid, rows["outcome"], rows["sprint"])
    rows["commitment_outcome"] = commitment_links(
        rng, new_id, cid, rows["commitment"], rows["outcome"]
    )
    date_commitments(rng, rows)
    trash_some(rng, rows)
    return rows


def sessions(rng, new_id, base, count) -> list[dict]:
    start = date(2000, 1, 3)
    return [
        base
        | {
            "id": new_id(),
            "held_on": (start + timedelta(days=14 * i + rng.randrange(3))).isoformat(),
            "title": f"Session {i + 1}",
            "notes": "Talked through the week's commitments.",
        }
        for i in range(count)
    ]


def goals(rng, new_id, base, count) -> list[dict]:
    return [
        base
        | {
            "id": new_id(),
            "title": f"{rng.choice(GOAL_WORDS)} {rng.choice(THINGS)} (goal {i + 1})",
            "description": "A goal for the next few months.",
            "category": rng.choice(("health", "career", "learning", "money", "family")),
            "status": rng.choice(STATUSES["goal"]),
            "progress": 0,
            "progress_mode": "derived",
            "target_date": (date(2001, 1, 1) + timedelta(days=40 * i)).isoformat(),
        }
        for i in range(count)
    ]


def outcomes(rng, new_id, base, count) -> list[dict]:
    return [
        base
        | {
            "id": new_id(),
            "title": f"Outcome {i + 1}: {rng.choice(GOAL_WORDS).lower()} {rng.choice(THINGS)}",
            "description": "A short-term win on the way.",
            "status": rng.choice(STATUSES["outcome"]),
            "progress_percentage": 0,
            "progress_mode": "derived",
            "target_date": None,
            "order_index": i,
        }
        for i in range(count)
    ]


def sprints(new_id, base, count) -> list[dict]:
    """Back-to-back sprints: each starts the day after the previous one ends."""
    first = date(2000, 1, 3)
    rows = []
    for i in range(count):
        start = first + timedelta(days=(SPRINT_DAYS + 1) * i)
        rows.append(
            base
            | {
                "id": new_id(),
                "sprint_number": i + 1,
                "title": f"Sprint block {i + 1}",
                "description": "Six weeks of focused work.",
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=SPRINT_DAYS)).isoformat(),
                "status": "completed" if i < count - 2 else "active",
            }
        )
    return rows


def commitments(rng, new_id, base, count, session_rows) -> list[dict]:
    rows = []
    for i in range(count):
        status = rng.choice(STATUSES["commitment"])
        session = rng.choice(session_rows)["id"] if rng.random() < 0.3 else None
        rows.append(
            base
            | {
                "id": new_id(),
                "title": f"Commitment {i + 1}",
                "description": "Something to do before the next session.",
                "type": rng.choice(("commitment",) * 5 + ("habit", "learning", "milestone")),
                "status": status,
                "priority": rng.choice(("low", "medium", "medium", "high", "urgent")),
                "start_date": None,
                "target_date": None,
                "completed_date": None,
                "progress_percentage": 100 if status == "completed" else rng.randrange(0, 100),
                "session_id": session,
            }
        )
    return rows


def link(new_id, cid, upper_col, upper, lower_col, lower, weight=1.0) -> dict:
    return {
        "id": new_id(),
        "root_id": cid,
        "weight": weight,
        "created_at": "2019-01-01T09:00:00.000000+00:00",
        upper_col: upper,
        lower_col: lower,
    }


def near(rng, index: int, spread: int, size: int, exclude: set[int]) -> int | None:
    """An index within `spread` of `index`, not in `exclude` (None if there is none)."""
    choices = [j for j in range(index - spread, index + spread + 1) if 0 <= j < size]
    choices = [j for j in choices if j not in exclude]
    return rng.choice(choices) if choices else None


def outcome_goal_links(rng, new_id, cid, outcome_rows, goal_rows) -> list[dict]:
    """Each outcome serves 1 goal, or 2 (nine times in ten)."""
    rows = []
    for o, served in enumerate(partners_each(rng, outcome_rows, goal_rows, (1, 2, 2, 2, 2, 2))):
        for g in served:
            weight = rng.choice((1.0, 1.0, 1.0, 2.0))
            goal_id, outcome_id = goal_rows[g]["id"], outcome_rows[o]["id"]
            rows.append(link(new_id, cid, "goal_id", goal_id, "target_id", outcome_id, weight))
    return rows


def partners_each(rng, lower_rows, upper_rows, counts) -> list[list[int]]:
    """Neighbour indices in `upper_rows` for each row of `lower_rows`, a count drawn per row."""
    count, size = len(lower_rows), len(upper_rows)
    return [pick(rng, i * size // count, size, rng.choice(counts)) for i in range(count)]


def pick(rng, centre: int, size: int, wanted: int) -> list[int]:
    """`centre` and `wanted - 1` other distinct indices near it, within 0..size-1."""
    picked = {centre}
    while len(picked) < min(wanted, size):
        extra = near(rng, centre, 1 + len(picked), size, picked)
        if extra is None:
            break
        picked.add(extra)
    return sorted(picked)


def outcome_sprint_links(rng, new_id, cid, outcome_rows, sprint_rows) -> list[dict]:
    """Each sprint works on 2–6 neighbouring outcomes (5 on average)."""
    rows = []
    for s, worked in enumerate(
        partners_each(rng, sprint_rows, outcome_rows, (2, 3, 4, 5, 5, 6, 6, 6, 6, 6))
    ):
        for o in worked:
            rows.append(
                link(
                    new_id,
                    cid,
                    "target_id",
                    outcome_rows[o]["id"],
                    "sprint_id",
                    sprint_rows[s]["id"],
                )
            )
    return rows


def commitment_links(rng, new_id, cid, commitment_rows, outcome_rows) -> list[dict]:
    """Each commitment serves 1 outcome, or 2 (nine times in ten)."""
    rows = []
    for c, served in enumerate(partners_each(rng, commitment_rows, outcome_rows, (1,) + (2,) * 9)):
        for o in served:
            rows.append(
                link(
                    new_id,
                    cid,
                    "target_id",
                    outcome_rows[o]["id"],
                    "commitment_id",
                    commitment_rows[c]["id"],
                )
            )
    return rows


def date_commitments(rng, rows: dict[str, list[dict]]) -> None:
    """Give each commitment dates inside one sprint it reaches (none if it reaches none)."""
    sprint_of = {s["id"]: s for s in rows["sprint"]}
    sprints_by_outcome: dict[str, list[dict]] = {}
    for r in rows["outcome_sprint"]:
        sprints_by_outcome.setdefault(r["target_id"], []).append(sprint_of[r["sprint_id"]])
    reached: dict[str, list[dict]] = {}
    for r in rows["commitment_outcome"]:
        reached.setdefault(r["commitment_id"], []).extend(
            sprints_by_outcome.get(r["target_id"], [])
        )
    for c in rows["commitment"]:
        options = reached.get(c["id"])
        if not options:
            continue
        sprint = rng.choice(options)
        start = date.fromisoformat(sprint["start_date"])
        due = start + timedelta(days=rng.randrange(7, SPRINT_DAYS + 1))
        c["start_date"] = start.isoformat()
        c["target_date"] = due.isoformat()
        if c["status"] == "completed":
            c["completed_date"] = due.isoformat()


def trash_some(rng, rows: dict[str, list[dict]]) -> None:
    """Put 1% of each kind in the trash, at least one (links stay, hidden, as the app does)."""
    for kind in ("goal", "outcome", "sprint", "commitment", "session"):
        count = max(1, round(len(rows[kind]) * DELETED_SHARE))
        for row in rng.sample(rows[kind], min(count, len(rows[kind]))):
            row["deleted_at"] = row["updated_at"] = "2020-06-01T10:00:00.000000+00:00"


# ---------------------------------------------------------------- writing


TABLE_ORDER = (
    ("client", m.Client),
    ("session", m.CoachingSession),
    ("goal", m.Goal),
    ("outcome", m.Outcome),
    ("sprint", m.Sprint),
    ("commitment", m.Commitment),
    ("outcome_goal", m.TargetGoalLink),
    ("outcome_sprint", m.TargetSprintLink),
    ("commitment_outcome", m.CommitmentTargetLink),
)


def write_rows(rows: dict[str, list[dict]]) -> None:
    """Insert one client's rows table by table, with an audit row for each as the app writes."""
    for key, model in TABLE_ORDER:
        insert_dicts(model, rows[key])
        insert_dicts(m.AuditLog, [audit_row(key, r) for r in rows[key]])


def audit_row(key: str, row: dict[str, Any]) -> dict[str, Any]:
    action = "link" if key in m.LINK_MODELS else "create"
    return {
        "at": row["created_at"],
        "action": action,
        "entity": key,
        "entity_id": row["id"],
        "root_id": row["root_id"],
        "before": None,
        "after": json.dumps(row, sort_keys=True),
    }


def insert_dicts(model: type[m.BaseModel], rows: list[dict[str, Any]]) -> None:
    """insert_many by column name, in chunks that fit SQLite's bound-variable limit."""
    if not rows:
        return
    by_column = {f.column_name: f for f in model._meta.sorted_fields}
    columns = list(rows[0])
    fields = [by_column[c] for c in columns]
    chunk = max(1, MAX_VARIABLES // len(columns))
    for start in range(0, len(rows), chunk):
        batch = [tuple(r[c] for c in columns) for r in rows[start : start + chunk]]
        model.insert_many(batch, fields=fields).execute()
