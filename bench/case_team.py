"""Issue 15: the team database on PostgreSQL beside the same work on a SQLite file.

A PostgreSQL 16 from the `pgserver` wheel runs in the bench's work folder (a real server on a
Unix socket, durable settings left as they are). The 20-client file is copied onto it with
`trellis copy` (store.copying), which is itself case 1; then, on both backends in one run:
load one client, load + build + check it, create one link. The store's proxy holds one
database at a time, so each backend is measured in blocks on a freshly opened database, the
blocks alternating, and the figure is the median of every call.

Last, what `root_id` buys on a server: the same client's load with 200 clients on the server
(the 20-client workspace ten times over, ids re-keyed in SQL) against its load with only
itself there — target within 1.2x.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import graph
from bench.case_link import new_pairs
from bench.context import Context
from bench.timing import Result
from store import copying, models
from store.load import load_hierarchy
from store.opening import close_database, open_database

BLOCKS = 4
COPIES_FOR_200 = 10


def start_server(folder: Path):
    import pgserver

    return pgserver.get_server(folder, cleanup_mode="stop")


def new_database(server, name: str) -> str:
    server.psql(f"CREATE DATABASE {name};")
    return server.get_uri(name)


Run = tuple[str | Path, Callable[[], object]]


def in_blocks(runs: dict[str, Run], calls: int) -> dict:
    """Median seconds of each (database, step), in alternating blocks of fresh opens."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for block in range(BLOCKS):
        for name in names if block % 2 == 0 else names[::-1]:
            target, step = runs[name]
            open_database(target)
            try:
                step()  # warm the connection; not counted
                for _ in range(calls):
                    start = time.perf_counter()
                    step()
                    times[name].append(time.perf_counter() - start)
            finally:
                close_database()
    return {name: statistics.median(t) for name, t in times.items()}


def copy_case(ctx: Context, server) -> tuple[Result, str]:
    """`trellis copy` of the 20-client file onto the server, beside the same copy to a file."""
    url = new_database(server, "twenty")
    start = time.perf_counter()
    counts = copying.copy_workspace(ctx.big, url)
    to_team = time.perf_counter() - start
    start = time.perf_counter()
    copying.copy_workspace(ctx.big, ctx.workdir / "copied.db")
    to_file = time.perf_counter() - start
    (ctx.workdir / "copied.db").unlink()
    result = Result(
        "team_copy",
        "copy the 20-client file → team (vs → file)",
        to_team,
        to_file,
        None,
        ours_label="store.copying to PostgreSQL, verified",
        baseline_label="the same copy into a new SQLite file, verified",
        extra={"rows": sum(counts.values())},
    )
    return result, url


def side_by_side(name: str, title: str, ctx: Context, team_url: str, step, calls: int) -> Result:
    found = in_blocks({"team": (team_url, step), "file": (ctx.big, step)}, calls)
    return Result(
        name,
        title,
        found["team"],
        found["file"],
        None,
        ours_label="on PostgreSQL (the 20-client workspace)",
        baseline_label="the same on the SQLite file",
    )


def link_case(ctx: Context, team_url: str) -> Result:
    """Create one link: a different new pair each call, the same pairs on both."""
    open_database(ctx.big)
    try:
        pairs = iter(new_pairs(load_hierarchy(ctx.root), 4 * BLOCKS * (ctx.reps(40, 4) + 1)))
    finally:
        close_database()
    from store import ops

    return side_by_side(
        "team_link",
        "create one link: team vs file",
        ctx,
        team_url,
        lambda: ops.link_items(*next(pairs)),
        ctx.reps(40, 4),
    )


def two_hundred_clients(server, team_url: str) -> str:
    """A server database with the 20-client workspace ten times over (ids re-keyed in SQL)."""
    url = new_database(server, "two_hundred")
    assert copying.copy_workspace(team_url, url)
    import psycopg

    tables = [m for m in models.ALL_MODELS if m is not models.AuditLog]
    with psycopg.connect(url, autocommit=False) as conn:
        for copy in range(1, COPIES_FOR_200):
            for model in tables:
                conn.execute(rekeyed_copy(model, copy))
        conn.commit()
        conn.execute("ANALYZE")
    return url


KEYS = {"id", "root_id", "target_id", "goal_id", "sprint_id", "commitment_id"}
KEYS |= {"session_id", "item_id"}


def rekeyed_copy(model, copy: int) -> str:
    """INSERT … SELECT of the original rows (uuid ids: four hyphens) with every id prefixed
    `copy-`, and client names suffixed, so every key and live-unique name stays unique."""
    columns = copying.columns(model)
    chosen = [f"'{copy}-' || {c}" if c in KEYS else c for c in columns]
    if model is models.Client:
        chosen[columns.index("name")] = f"name || ' ({copy})'"
    table, key = model._meta.table_name, model._meta.primary_key.column_name
    return (
        f'INSERT INTO "{table}" ({", ".join(columns)}) SELECT {", ".join(chosen)} '
        f"FROM \"{table}\" WHERE {key} NOT LIKE '%-%-%-%-%-%'"
    )


def flat_case(ctx: Context, server, team_url: str) -> Result:
    alone = new_database(server, "alone")
    copying.copy_workspace(ctx.small, alone)
    crowded = two_hundred_clients(server, team_url)
    open_database(crowded)
    try:
        clients = models.Client.select().count()
    finally:
        close_database()
    found = in_blocks(
        {
            "crowded": (crowded, lambda: load_hierarchy(ctx.root)),
            "alone": (alone, lambda: load_hierarchy(ctx.small_root)),
        },
        ctx.reps(9, 2),
    )
    return Result(
        "team_flat",
        "team: one client's load, 200 clients vs alone",
        found["crowded"],
        found["alone"],
        ("max", 1.2),
        ours_label=f"load_hierarchy with {clients} clients on the server",
        baseline_label="the same client alone on the server",
        extra={"clients_on_server": clients},
    )


def run(ctx: Context) -> list[Result]:
    server = start_server(ctx.workdir / "postgres")
    copied, team_url = copy_case(ctx, server)
    results = [copied]
    results.append(
        side_by_side(
            "team_load",
            "load one client: team vs file",
            ctx,
            team_url,
            lambda: load_hierarchy(ctx.root),
            ctx.reps(9, 2),
        )
    )

    def build_and_check() -> None:
        h = load_hierarchy(ctx.root)
        graph.check(h, graph.build(h))

    results.append(
        side_by_side(
            "team_check",
            "load + build + check: team vs file",
            ctx,
            team_url,
            build_and_check,
            ctx.reps(5, 1),
        )
    )
    results.append(link_case(ctx, team_url))
    results.append(flat_case(ctx, server, team_url))
    return results
