"""Case 8: creating one link costs the same in a 20-client file as in a 1-client file.

`store.ops.link_items` (one transaction: both items looked up, graph's link rules asked,
the row and its audit row written and committed) links a commitment to an outcome it does
not serve yet. The two files take turns in blocks, each block on a freshly opened database,
so a slow moment on the machine falls on both; the figure is the median of every call.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.context import Context
from bench.timing import Result
from graph.model import Hierarchy
from store import ops
from store.load import load_hierarchy
from store.opening import close_database, open_database

BLOCKS = 4


def new_pairs(h: Hierarchy, count: int) -> list[tuple[str, str]]:
    """(commitment, outcome) pairs, both live and not linked yet, spread over the client."""
    linked = {(link.lower, link.upper) for link in h.links}
    live = [i for i in h.items.values() if not i.deleted]
    commitments = [i.id for i in live if i.kind == "commitment"]
    outcomes = [i.id for i in live if i.kind == "outcome"]
    pairs: list[tuple[str, str]] = []
    step = max(1, len(commitments) // max(1, count))
    for n, c in enumerate(commitments[::step]):
        for k in range(len(outcomes)):
            o = outcomes[(n * 7 + len(outcomes) // 2 + k) % len(outcomes)]
            if (c, o) not in linked and (c, o) not in pairs:
                pairs.append((c, o))
                break
        if len(pairs) == count:
            break
    return pairs


def pairs_in(path: Path, root: str, count: int) -> list[tuple[str, str]]:
    open_database(path)
    try:
        return new_pairs(load_hierarchy(root), count)
    finally:
        close_database()


def link_block(path: Path, pairs: list[tuple[str, str]]) -> list[float]:
    """Seconds per link_items call, on a freshly opened database."""
    open_database(path)
    try:
        ops.link_items(*pairs[0])  # warm the connection's caches; not counted
        times = []
        for commitment, outcome in pairs[1:]:
            start = time.perf_counter()
            ops.link_items(commitment, outcome)
            times.append(time.perf_counter() - start)
        return times
    finally:
        close_database()


def run(ctx: Context) -> list[Result]:
    count = ctx.reps(200, 8)
    blocks = BLOCKS if not ctx.quick else 2
    per_block = count // blocks + 1
    big_pairs = pairs_in(ctx.big, ctx.root, per_block * blocks)
    small_pairs = pairs_in(ctx.small, ctx.small_root, per_block * blocks)
    big_times: list[float] = []
    small_times: list[float] = []
    for b in range(blocks):
        chunk = slice(b * per_block, (b + 1) * per_block)
        order = [(ctx.big, big_pairs, big_times), (ctx.small, small_pairs, small_times)]
        for path, pairs, times in order if b % 2 == 0 else order[::-1]:
            times.extend(link_block(path, pairs[chunk]))
    extra = {
        "links_timed_each": len(big_times),
        "twenty_client_p90_seconds": quantile(big_times, 0.9),
        "one_client_p90_seconds": quantile(small_times, 0.9),
        "file_sizes_bytes": {"twenty": ctx.big.stat().st_size, "one": ctx.small.stat().st_size},
    }
    return [
        Result(
            "link",
            "create one link",
            statistics.median(big_times),
            statistics.median(small_times),
            ("max", 1.2),
            ours_label="store.ops.link_items in the 20-client file",
            baseline_label="the same in a 1-client file",
            extra=extra,
        )
    ]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
