"""Cases 1 and 2: loading one client's hierarchy.

1. `store.load.load_hierarchy(root)` against a raw `sqlite3` fetch of the same rows (every
   column of the client, its items of four kinds, three link tables and positions).
2. what seed 2's `root_id` buys: one client's `WHERE root_id = ?` load in the 20-client file
   against the same client alone in a one-client file (within 1.1x); the join paths through
   the goals, and the seed's unindexed legacy form, printed beside it as information.
"""

from __future__ import annotations

import shutil
import sqlite3
from functools import partial

from bench import joins
from bench.context import Context
from bench.timing import Result, interleaved, median_of, paired
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
    """What `root_id` buys: one client's rows cost the same however many clients share the file.

    Ours is the client's scoped load in the 20-client file, the baseline the same client
    alone in a one-client file (the generator makes it identically). The join paths, and the
    seed's legacy form without the foreign-key indexes, are printed beside it: information,
    not a target (with an index on every key a join is only ~2x slower, so "10x faster than
    joins" measured the seed's missing indexes, not `root_id`).
    """
    big, small = read_only(ctx.big), read_only(ctx.small)
    try:
        times = interleaved(
            {
                "big": partial(joins.fetch_all, big, joins.SCOPED, ctx.root),
                "small": partial(joins.fetch_all, small, joins.SCOPED, ctx.small_root),
            },
            ctx.reps(21, 3),
        )
        extra = join_figures(big, ctx.root, ctx.reps(9, 2))
        extra["same_rows_as_alone"] = same_rows(
            joins.fetch_all(big, joins.SCOPED, ctx.root),
            joins.fetch_all(small, joins.SCOPED, ctx.small_root),
        )
    finally:
        big.close()
        small.close()
    extra |= legacy_figures(ctx)
    return Result(
        "scoped",
        "scoped load: 20 clients vs alone",
        times["big"],
        times["small"],
        ("max", 1.1),
        ours_label="WHERE root_id = ? in the 20-client file (raw SQL)",
        baseline_label="the same client's WHERE root_id = ? alone in a one-client file",
        extra=extra,
    )


def join_figures(conn: sqlite3.Connection, root: str, reps: int) -> dict:
    """Both join forms in the 20-client file, same indexes: seconds, rows and plans."""
    found = {name: joins.fetch_all(conn, q, root) for name, q in joins.PATHS.items()}
    times = interleaved(
        {name: partial(joins.fetch_all, conn, q, root) for name, q in joins.PATHS.items()}, reps
    )
    return {
        "join_in_seconds": times["join_in"],
        "join_distinct_seconds": times["join_distinct"],
        "root_id_beside_joins_seconds": times["root_id"],
        "rows_per_path": {n: {t: len(r) for t, r in rows.items()} for n, rows in found.items()},
        "joins_same_rows_as_root_id": all(
            same_rows(found["root_id"], rows) for rows in found.values()
        ),
        "query_plans": {name: joins.plans(conn, q, root) for name, q in joins.PATHS.items()},
    }


def legacy_figures(ctx: Context) -> dict:
    """The seed's assumption: joins with only the primary keys indexed (a stripped copy)."""
    path = ctx.workdir / "unindexed.db"
    shutil.copyfile(ctx.big, path)
    conn = sqlite3.connect(path)
    try:
        dropped = strip_indexes(conn)
        seconds = median_of(
            partial(joins.fetch_all, conn, joins.JOINED_DISTINCT, ctx.root), ctx.reps(3, 1)
        )
    finally:
        conn.close()
        path.unlink()
    return {"legacy_unindexed_join_seconds": seconds, "legacy_indexes_dropped": dropped}


def strip_indexes(conn: sqlite3.Connection) -> int:
    """Drop every index the schema declares (SQLite keeps its own for keys and UNIQUEs)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    ]
    for name in names:
        conn.execute(f'DROP INDEX "{name}"')
    conn.commit()
    return len(names)


def same_rows(a: dict[str, list], b: dict[str, list]) -> bool:
    return all(sorted(a[t]) == sorted(b[t]) for t in a)


def run(ctx: Context) -> list[Result]:
    return [load_case(ctx), scoped_case(ctx)]
