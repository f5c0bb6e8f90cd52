"""Cases 5–7: the graph view at 10,000 items against bare Qt items, plus peak memory.

`ours` (the app's GraphScene and GraphView on the loaded client) and `bare` (plain
QGraphicsRectItems and QGraphicsLineItems at the same places, the same number) each run in
their own process (bench/scene_worker.py), ours first because it records the geometry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.context import Context
from bench.timing import Result

REPO = Path(__file__).resolve().parent.parent


def worker(ctx: Context, mode: str, task: dict) -> dict:
    task_file = ctx.workdir / f"scene-{mode}-task.json"
    out_file = ctx.workdir / f"scene-{mode}-result.json"
    task_file.write_text(json.dumps(task))
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(ctx.workdir)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.scene_worker", mode, str(task_file), str(out_file)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"scene worker ({mode}) failed:\n{done.stderr[-3000:]}")
    return json.loads(out_file.read_text())


def run(ctx: Context) -> list[Result]:
    task = {
        "db": str(ctx.big),
        "root": ctx.root,
        "geometry": str(ctx.workdir / "scene-geometry.json"),
        "first_frames": ctx.reps(3, 1),
        "frames": ctx.reps(9, 2),
        "steps": ctx.reps(40, 5),
    }
    ours = worker(ctx, "ours", task)
    bare = worker(ctx, "bare", task)
    counts = {
        "nodes": ours["nodes"],
        "links": ours["links"],
        "qt_items_ours": ours["qt_items"],
        "qt_items_bare": bare["qt_items"],
    }
    return [
        Result(
            "scene_first_frame",
            "open client in graph view, first frame",
            ours["first_frame_seconds"],
            bare["first_frame_seconds"],
            ("max", 2.0),
            ours_label="GraphScene.rebuild + GraphView.overview + one frame painted",
            baseline_label="as many bare rect + line items added, one frame painted",
            extra=counts
            | {
                "workspace_open_seconds": ours["workspace_open_seconds"],
                "open_with_load_and_layout_seconds": ours["workspace_open_seconds"]
                + ours["first_frame_seconds"],
                "first_frames_ours": ours["first_frame_all"],
                "first_frames_bare": bare["first_frame_all"],
            },
        ),
        Result(
            "scene_fit_repaint",
            "repaint, everything visible (fit)",
            ours["fit_repaint_seconds"],
            bare["fit_repaint_seconds"],
            ("max", 2.0),
            ours_label="GraphView at the scale that fits every node, one full repaint",
            baseline_label="bare items at the same scale and centre",
            extra={
                "fit_scale": ours["fit_scale"],
                "items_in_view_ours": ours["items_in_view_at_fit"],
                "items_in_view_bare": bare["items_in_view_at_fit"],
            },
        ),
        Result(
            "scene_drag_step",
            "drag one node one step",
            ours["drag"]["step_seconds"],
            bare["drag"]["step_seconds"],
            ("max", 2.0),
            ours_label="MoveGesture step: mouse move event + repaint (links follow)",
            baseline_label="movable bare rect: mouse move event + repaint",
            extra={
                "steps": ours["drag"]["steps"],
                "steps_that_painted_ours": ours["drag"]["steps_that_painted"],
                "steps_that_painted_bare": bare["drag"]["steps_that_painted"],
                "bare_item_moved": bare["drag"]["item_moved"],
            },
        ),
        Result(
            "scene_memory",
            "peak memory, scene case (one scene alive)",
            ours["peak_rss_mb"],
            bare["peak_rss_mb"],
            unit="MB",
            ours_label="ours worker: client loaded, scene drawn",
            baseline_label="bare worker",
            extra={
                "ours_rss_mb_after_qt_start": ours["rss_mb_after_start"],
                "ours_rss_mb_after_workspace_open": ours["rss_mb_after_workspace_open"],
                "bare_rss_mb_after_qt_start": bare["rss_mb_after_start"],
                "ratio": ours["peak_rss_mb"] / bare["peak_rss_mb"],
                "ours_peak_mb_whole_worker": ours["peak_rss_mb_whole_run"],
                "bare_peak_mb_whole_worker": bare["peak_rss_mb_whole_run"],
            },
        ),
    ]
