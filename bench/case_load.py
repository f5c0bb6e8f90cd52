"""Cases 1 and 2: loading one client's hierarchy.

1. `store.load.load_hierarchy(root)` against a raw `sqlite3` fetch of the same rows (every
   column of the client, its items of four kinds, three link tables and positions).
2. seed 2's claim: `WHERE root_id = ?` against finding the same rows by joining through the
   goals, both as raw SQL on one connection, so only the query strategy differs.
"""

from __future__ import annotations

import sqlite3
from functools import partial

from bench import joins
from bench.context import Context
from bench.timing import Result, interleaved, paired
from store.load import load_hierarchy
from store.opening import close_database, open_database

# Every table load_hierarchy reads, with the column that scopes it to one client.
RAW_TABLES = (
    ("clients", "id"),
    ("client_goals", "root_id"),
    ("targets", "root_id"),
    ("sprints", "root_id"),
    ("commitments", "root_id"),
    ("target_goal_links", "root_id"),
    ("target_sprint_links", "root_id"),
    ("commitment_target_links", "root_id"),
    ("node_positions", "root_id"),
)


def read_only(path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def raw_fetch(conn: sqlite3.Connection, root: str) -> list[list[tuple]]:
    """The baseline: the same rows as plain tuples, no objects built."""
    return [
        conn.execute(f"SELECT * FROM {table} WHERE {column} = ?", (root,)).fetchall()
        for table, column in RAW_TABLES
    ]


def load_case(ctx: Context) -> Result:
    open_database(ctx.big)
    conn = read_only(ctx.big)
    try:
        h = load_hierarchy(ctx.root)
        rows = sum(len(r) for r in raw_fetch(conn, ctx.root))
        ours, base = paired(
            lambda: load_hierarchy(ctx.root), lambda: raw_fetch(conn, ctx.root), ctx.reps(15, 2)
        )
    finally:
        conn.close()
        close_database()
    extra = {"items": len(h.items), "links": len(h.links), "rows_fetched": rows}
    return Result(
        "load",
        "load one client's hierarchy",
        ours,
        base,
        ("max", 3.0),
        ours_label="store.load.load_hierarchy",
        baseline_label="raw sqlite3 fetchall of the same rows",
        extra=extra,
    )


def scoped_case(ctx: Context) -> Result:
    conn = read_only(ctx.big)
    try:
        found = {name: joins.fetch_all(conn, q, ctx.root) for name, q in joins.PATHS.items()}
        counts = {name: {t: len(r) for t, r in rows.items()} for name, rows in found.items()}
        same = {name: same_rows(found["root_id"], rows) for name, rows in found.items()}
        times = interleaved(
            {name: partial(joins.fetch_all, conn, q, ctx.root) for name, q in joins.PATHS.items()},
            ctx.reps(9, 2),
        )
        plans = {name: joins.plans(conn, q, ctx.root) for name, q in joins.PATHS.items()}
    finally:
        conn.close()
    # The baseline is the faster of the two honest join forms, never the slower.
    fastest_join = min(("join_in", "join_distinct"), key=times.get)
    extra = {
        "seconds_per_path": times,
        "baseline_is": fastest_join,
        "rows_per_path": counts,
        "same_rows_as_root_id": same,
        "query_plans": plans,
    }
    return Result(
        "scoped",
        "scoped load vs the join path (seed 2)",
        times["root_id"],
        times[fastest_join],
        ("min", 10.0),
        ours_label="WHERE root_id = ? (raw SQL)",
        baseline_label="joins through goals and link tables (raw SQL, same indexes)",
        extra=extra,
    )


def same_rows(a: dict[str, list], b: dict[str, list]) -> bool:
    return all(sorted(a[t]) == sorted(b[t]) for t in a)


def run(ctx: Context) -> list[Result]:
    return [load_case(ctx), scoped_case(ctx)]
