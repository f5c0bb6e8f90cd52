"""Case 10: cold start to the window shown, `trellis --db <20-client file>` against a bare
PySide6 main window, each a fresh process (bench/start_probe.py marks the first paint).

The time runs from just before the process is spawned to the first paint of its main window
(time.monotonic is one clock for every process on the machine). Runs alternate.
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


def start_once(ctx: Context, args: list[str]) -> float:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(ctx.workdir)}
    command = [sys.executable, "-m", "bench.start_probe", *args]
    start = time.monotonic()
    done = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    painted = [line for line in done.stdout.splitlines() if line.startswith("painted ")]
    if not painted:
        raise RuntimeError(
            f"{' '.join(args)} exited ({done.returncode}) without painting a window:\n"
            f"{done.stderr[-3000:]}"
        )
    return float(painted[0].split()[1]) - start


def run(ctx: Context) -> list[Result]:
    ours_args = ["trellis", "--db", str(ctx.big)]
    bare_args = ["bare"]
    ours: list[float] = []
    bare: list[float] = []
    start_once(ctx, bare_args)  # warm the page cache for Python, Qt and the file
    start_once(ctx, ours_args)
    for i in range(ctx.reps(5, 1)):
        runs = [(ours, ours_args), (bare, bare_args)]
        for times, args in runs if i % 2 == 0 else runs[::-1]:
            times.append(start_once(ctx, args))
    return [
        Result(
            "start",
            "cold start to window shown",
            statistics.median(ours),
            statistics.median(bare),
            ("max", 1.5),
            ours_label="trellis --db <20-client file>, first client opened",
            baseline_label="bare PySide6 QMainWindow in a new process",
            extra={"ours_runs_seconds": ours, "bare_runs_seconds": bare},
        )
    ]
