"""Case 10: cold start to the window shown, `trellis --db <20-client file>` against a bare
PySide6 main window, each a fresh process (bench/start_probe.py marks the first paint).

The time runs from just before the process is spawned to the first paint of its main window
(time.monotonic is one clock for every process on the machine). Runs alternate. Trellis
shows its window (saying which client it loads) before it loads anything, so the time until
the client's graph is first painted is reported beside it, for information.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.context import Context
from bench.timing import Result

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 300


def probe_env(ctx: Context) -> dict[str, str]:
    """Offscreen, fresh settings, and bytecode as an installed app has it.

    With PYTHONDONTWRITEBYTECODE set (as on some machines) every start would compile
    Trellis's modules from source again, which no installed copy does; here the warm-up run
    writes their bytecode to the work folder and the timed runs read it.
    """
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(ctx.workdir),
        "PYTHONPYCACHEPREFIX": str(ctx.workdir / "pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def start_once(ctx: Context, args: list[str]) -> tuple[float, float | None]:
    """Seconds to the window's first paint and (trellis) to the graph's first paint."""
    env = probe_env(ctx)
    command = [sys.executable, "-m", "bench.start_probe", *args]
    start = time.monotonic()
    done = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    marks = dict(line.split()[:2] for line in done.stdout.splitlines() if " " in line)
    wanted = ("painted", "graph") if args[0] == "trellis" else ("painted",)
    missing = [m for m in wanted if m not in marks]
    if missing:
        raise RuntimeError(
            f"{' '.join(args)} exited ({done.returncode}) without a {missing[0]} paint:\n"
            f"{done.stderr[-3000:]}"
        )
    graph = float(marks["graph"]) - start if "graph" in marks else None
    return float(marks["painted"]) - start, graph


def run(ctx: Context) -> list[Result]:
    ours_args = ["trellis", "--db", str(ctx.big)]
    bare_args = ["bare"]
    ours: list[float] = []
    bare: list[float] = []
    graph: list[float] = []
    start_once(ctx, bare_args)  # warm the page cache for Python, Qt and the file
    start_once(ctx, ours_args)
    for i in range(ctx.reps(5, 1)):
        runs = [(ours, ours_args), (bare, bare_args)]
        for times, args in runs if i % 2 == 0 else runs[::-1]:
            shown, graph_at = start_once(ctx, args)
            times.append(shown)
            if graph_at is not None:
                graph.append(graph_at)
    return [
        Result(
            "start",
            "cold start to window shown",
            statistics.median(ours),
            statistics.median(bare),
            ("max", 1.5),
            ours_label="trellis --db <20-client file>: main window painted, saying which "
            "client it loads",
            baseline_label="bare PySide6 QMainWindow in a new process",
            extra={"ours_runs_seconds": ours, "bare_runs_seconds": bare},
        ),
        Result(
            "start_graph",
            "cold start to the client's graph painted",
            statistics.median(graph),
            ours_label="trellis --db <20-client file>: first paint of the graph view",
            extra={
                "runs_seconds": graph,
                "after_window_shown_seconds": statistics.median(
                    g - s for g, s in zip(graph, ours, strict=True)
                ),
            },
        ),
    ]
