"""Case "truth": the graph tells the truth at every size (issue 13, items 1-4).

For the two sample clients and generated clients of ~300, ~3,000 and ~10,000 items:
- false links: (link, node) pairs where a drawn link passes through the box of a node that
  is not one of its ends, counted on `graph.routing.drawing`, the points the scene draws
  (target 0);
- crossings of our drawing against igraph's Sugiyama and Graphviz dot, each given the same
  graph once in our four lanes and once in layers of its own choosing (bench/engines.py;
  target: no more than the best of the four);
- nodes moved, through the app's own Workspace on a copy of the file: (a) moving one node
  (and reopening), (b) adding one commitment under an outcome, (c) closing and reopening
  (target 0 each); whether reopening a laid-out client writes (it must not).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench import dataset, engines
from bench.context import Context
from bench.timing import Result
from graph import build
from graph.routing import drawing, drawn_crossings, false_links, graph_links
from store.load import list_clients
from store.opening import close_database, open_database

SIZES = (0.03, 0.3, 1.0)  # of the bench's scale: ~300, ~3,000 and ~10,000 items at 1.0


def clients(ctx: Context) -> list[tuple[str, Path, str]]:
    """(label, database file, client id) for every client measured."""
    samples = ctx.workdir / "truth-samples.db"
    open_database(samples)
    try:
        from store.sample import add_sample_workspace

        add_sample_workspace()
        found = [(c["name"], samples, c["id"]) for c in list_clients()]
    finally:
        close_database()
    for share in SIZES:
        sizes = dataset.sizes_at(ctx.scale * share)
        label = f"{sum(n for kind, n in sizes.items() if kind != 'session'):,} items"
        path = dataset.workspace(ctx.scale * share, 1, ctx.cache_dir)
        copy = ctx.workdir / f"truth-{share:g}.db"
        shutil.copyfile(path, copy)
        open_database(copy)
        try:
            found.append((f"generated {label}", copy, list_clients()[0]["id"]))
        finally:
            close_database()
    return found


def positions_of(ws) -> dict[str, tuple[float, float]]:
    return {n: ws.position(n) for n in ws.graph}


def moved(before: dict, after: dict, but: set[str] = frozenset()) -> int:
    """Nodes of `before` (other than `but`) whose place changed or went."""
    return sum(1 for n, p in before.items() if n not in but and after.get(n) != p)


VIEW_W, VIEW_H = 1000.0, 700.0  # the graph view of a 1400 x 900 window with its docks
TITLE_PX = 12.5  # a node title's font (9.4 pt) in pixels at zoom 1


def shape(pos: dict) -> dict[str, float]:
    """The drawing's aspect ratio (long side over short) and how tall a title is at Fit in
    a VIEW_W x VIEW_H view (titles are drawn at every zoom only once semantic zoom lands)."""
    from graph.layout import NODE_H, NODE_W

    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    width, height = max(xs) - min(xs) + NODE_W + 80, max(ys) - min(ys) + NODE_H + 80
    fit = min(VIEW_W / width, VIEW_H / height)
    return {"aspect": max(width, height) / min(width, height), "fit_title_px": fit * TITLE_PX}


def audit_rows() -> int:
    from store.models import AuditLog

    return AuditLog.select().count()


def measure(label: str, path: Path, root: str) -> list[Result]:
    from desktop.model.workspace import Workspace

    ws = Workspace()
    start = time.perf_counter()
    ws.open(path, root)  # first drawing: laid out and saved
    first_open = time.perf_counter() - start
    g = build(ws.hierarchy)
    pos = positions_of(ws)
    links = graph_links(g)
    bad = false_links(drawing(links, pos), pos)
    ours = drawn_crossings(links, pos)
    engines_found = {
        "igraph_same_lanes": engines.igraph_crossings(g),
        "igraph_own_layers": engines.igraph_crossings(g, own_layers=True),
        "dot_same_lanes": engines.dot_crossings(g),
        "dot_own_ranks": engines.dot_crossings(g, own_ranks=True),
    }
    drawn = shape(pos)
    moves = moves_of(ws, path, root, pos)
    ws.close()
    numbers = [c for c in engines_found.values() if isinstance(c, int)]
    best = min(numbers) if numbers else None
    extra = {"nodes": len(g), "links": len(links), **engines_found}
    return [
        Result(
            f"truth_false_links_{label}",
            f"false links, {label}",
            float(len(bad)),
            target=("at_most", 0),
            unit="pairs",
            extra={"nodes": len(g), "links": len(links), "first_open_seconds": first_open},
        ),
        Result(
            f"truth_crossings_{label}",
            f"crossings vs best engine, {label}",
            float(ours),
            None if best is None else float(best),
            ("max", 1.0) if best is not None else None,
            unit="",
            ours_label="our drawing (graph.routing)",
            baseline_label="the best of igraph Sugiyama and dot, in our lanes or their own",
            extra=extra,
        ),
        Result(
            f"glance_aspect_{label}",
            f"drawing's aspect ratio, {label}",
            drawn["aspect"],
            target=("at_most", 3.0),
            unit=": 1",
            extra=drawn,
        ),
        Result(
            f"glance_fit_title_{label}",
            f"node title height at Fit (no semantic zoom yet), {label}",
            drawn["fit_title_px"],
            unit="px",
            extra=drawn,
        ),
        Result(
            f"truth_moved_{label}",
            f"nodes moved (a)(b)(c), {label}",
            float(sum(v for k, v in moves.items() if k.startswith("moved"))),
            target=("at_most", 0),
            unit="nodes",
            extra=moves,
        ),
    ]


def moves_of(ws, path: Path, root: str, pos: dict) -> dict[str, int | bool]:
    """Nodes moved by (a) moving one node, then reopening, (b) adding a commitment,
    (c) reopening; and whether reopening wrote anything."""
    kinds = {n: ws.hierarchy.items[n].kind for n in pos}
    node = next(n for n, k in kinds.items() if k == "commitment")
    x, y = pos[node]
    ws.set_positions({node: (x + 137.0, y + 41.0)})
    after_move = positions_of(ws)
    found: dict[str, int | bool] = {"moved_a_by_moving_one": moved(pos, after_move, {node})}
    ws.close()
    ws.open(path, root)
    found["moved_a_after_reopening"] = moved(after_move, positions_of(ws))
    before = positions_of(ws)
    parent = next(n for n, k in kinds.items() if k == "outcome")
    row = ws.create_item("commitment", {"title": "Bench: one more commitment"})
    ws.link_items(parent, row["id"])
    ws.set_positions({row["id"]: ws.new_spot("commitment", ws.position(parent))})
    found["moved_b_by_adding_one"] = moved(before, positions_of(ws), {row["id"]})
    before, rows = positions_of(ws), audit_rows()
    ws.close()
    ws.open(path, root)
    found["moved_c_by_reopening"] = moved(before, positions_of(ws))
    found["reopening_wrote"] = audit_rows() != rows
    return found


def run(ctx: Context) -> list[Result]:
    results: list[Result] = []
    for label, path, root in clients(ctx):
        results += measure(label, path, root)
    return results
