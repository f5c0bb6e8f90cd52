"""`python -m bench`: run every case, print ours / baseline / ratio / target / verdict per
case, write `bench/results.json`, and exit 1 if any case misses its target (2 on an error).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import dataset
from bench.context import Context, make_context
from bench.timing import ERROR, MISS, Result, fmt_seconds

RESULTS = Path(__file__).resolve().parent / "results.json"


# Case groups in report order; each is a module with run(ctx) -> [Result].
GROUP_MODULES = {
    "load": "bench.case_load",
    "graph": "bench.case_graph",
    "truth": "bench.case_truth",  # issue 13: false links, crossings vs engines, nodes moved
    "scene": "bench.case_scene",
    "link": "bench.case_link",
    "backup": "bench.case_backup",
    "start": "bench.case_start",
    "legacy": "bench.case_legacy",
    "coach": "bench.case_coach",  # issue 14: commitments list and digest
    "coach_view": "bench.case_commitments_view",  # issue 14: the desktop list vs bare Qt
    "timeline": "bench.case_timeline",  # issue 16: the timeline's first frame
    "team": "bench.case_team",  # issue 15: PostgreSQL beside SQLite, 200 clients vs one
    "app": "bench.app_size",  # the packaged app (the packaging helper's module)
}
GROUPS = tuple(GROUP_MODULES)


def group_runner(name: str) -> Callable[[Context], list[Result]]:
    """Imported only when run, so `--only load` never imports Qt."""
    return importlib.import_module(GROUP_MODULES[name]).run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="items per client x this (1.0 = 10,000)"
    )
    parser.add_argument("--clients", type=int, default=dataset.CLIENTS)
    parser.add_argument("--quick", action="store_true", help="one or two repetitions per case")
    parser.add_argument("--only", default="", help="comma-separated groups: " + ",".join(GROUPS))
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write results.json")
    parser.add_argument("--cache-dir", type=Path, default=None, help="default bench/.cache")
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.clients < 1:
        parser.error("--scale must be above 0 and --clients at least 1.")
    args.groups = [g for g in args.only.split(",") if g] or list(GROUPS)
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"there is no case group {unknown[0]!r}; choose from {', '.join(GROUPS)}.")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    big = timed_step(
        "20-client workspace", lambda: dataset.workspace(args.scale, args.clients, args.cache_dir)
    )
    small = timed_step(
        "1-client workspace", lambda: dataset.workspace(args.scale, 1, args.cache_dir)
    )
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="trellis-bench-") as tmp:
        ctx = make_context(Path(tmp), big, small, args.scale, args.quick, args.cache_dir)
        for name in args.groups:
            results += run_group(name, ctx)
    report(results)
    write_results(args, results, big, time.perf_counter() - started)
    return exit_code(results)


def timed_step(what: str, fn: Callable):
    start = time.perf_counter()
    value = fn()
    print(f"bench: {what}: {value} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return value


def run_group(name: str, ctx: Context) -> list[Result]:
    """A group's results; a crash becomes one ERROR result instead of ending the run."""
    start = time.perf_counter()
    print(f"bench: running {name}...", file=sys.stderr, flush=True)
    try:
        found = group_runner(name)(ctx)
    except Exception as exc:  # noqa: BLE001 - reported as an ERROR line, never hidden
        traceback.print_exc()
        found = [Result(name, f"{name} (failed)", None, error=f"{type(exc).__name__}: {exc}")]
    print(f"bench: {name} took {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return found


def report(results: list[Result]) -> None:
    header = f"{'case':<42} {'ours':>10} {'baseline':>10} {'ratio':>8}  {'target':<15} result"
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x"
        print(
            f"{r.title[:42]:<42} {fmt_value(r, r.ours):>10} {fmt_value(r, r.baseline):>10} "
            f"{ratio:>8}  {r.target_text():<15} {r.status}"
        )
        for line in notes(r):
            print(f"    {line}")


def fmt_value(r: Result, value: float | None) -> str:
    if r.unit == "s":
        return fmt_seconds(value)
    if value is not None and not r.unit:
        return f"{value:,.0f}"
    return "-" if value is None else f"{value:,.0f} {r.unit}"


def notes(r: Result) -> list[str]:
    """The extra figures a person reads beside the verdict."""
    if r.error:
        return [f"error: {r.error}"]
    lines = [f"ours: {r.ours_label}; baseline: {r.baseline_label}"] if r.baseline else []
    for key, value in r.extra.items():
        if (
            isinstance(value, (int, float, str, bool))
            and not isinstance(value, bool)
            or isinstance(value, bool)
        ):
            lines.append(f"{key}: {fmt_extra(key, value)}")
    return lines


def fmt_extra(key: str, value) -> str:
    if isinstance(value, float) and key.endswith("seconds"):
        return fmt_seconds(value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def write_results(args: argparse.Namespace, results: list[Result], big: Path, total: float) -> None:
    doc = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds_total": total,
        "scale": args.scale,
        "clients": args.clients,
        "items_per_client": dataset.sizes_at(args.scale),
        "generator_version": dataset.GENERATOR_VERSION,
        "workspace_bytes": big.stat().st_size,
        "machine": machine(),
        "cases": [r.as_json() for r in results],
        "ok": exit_code(results) == 0,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, default=str) + "\n")
    print(f"bench: results written to {args.out}", file=sys.stderr)


def machine() -> dict[str, object]:
    try:
        from PySide6 import __version__ as qt
    except ImportError:
        qt = None
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pyside6": qt,
        "platform": platform.platform(),
    }


def exit_code(results: list[Result]) -> int:
    statuses = {r.status for r in results}
    if ERROR in statuses:
        return 2
    return 1 if MISS in statuses else 0
