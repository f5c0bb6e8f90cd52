"""Measuring: medians of interleaved repetitions, and one result record per case.

Ours and the baseline run alternately (ours first on even rounds, the baseline first on odd
ones), each after a garbage collection, so drift in a shared machine's load falls on both.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

PASS, MISS, INFO, ERROR = "PASS", "MISS", "INFO", "ERROR"


@dataclass
class Result:
    """One line of the report: our figure, the baseline's, their ratio and the verdict.

    `target` is ("max", 3.0) for "ours may take at most 3x the baseline's time" or
    ("min", 10.0) for "ours must be at least 10x faster", where the ratio is then
    baseline / ours; ("at_most", 0) for a count that must not exceed 0 (no baseline);
    None for cases reported without a target.
    """

    case: str
    title: str
    ours: float | None
    baseline: float | None = None
    target: tuple[str, float] | None = None
    unit: str = "s"
    ours_label: str = "ours"
    baseline_label: str = "baseline"
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.baseline is None:
            return None
        if self.target is None:  # information: still ours against the baseline
            return self.ours / self.baseline if self.baseline else None
        if self.target[0] == "at_most":
            return None
        if self.target[0] == "min":
            return self.baseline / self.ours if self.ours else float("inf")
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def status(self) -> str:
        if self.error is not None or self.ours is None:
            return ERROR
        if self.target is None:
            return INFO
        kind, limit = self.target
        if kind == "at_most":
            return PASS if self.ours <= limit else MISS
        ratio = self.ratio
        return PASS if (ratio <= limit if kind == "max" else ratio >= limit) else MISS

    def target_text(self) -> str:
        if self.target is None:
            return "-"
        kind, limit = self.target
        if kind == "at_most":
            return f"<= {limit:g}"
        return f"<= {limit:g}x" if kind == "max" else f">= {limit:g}x faster"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["target"] = (
            None if self.target is None else {"kind": self.target[0], "limit": self.target[1]}
        )
        data["target_text"] = self.target_text()
        data["ratio"] = self.ratio
        data["status"] = self.status
        return data


def once(fn: Callable[[], Any]) -> float:
    """Seconds for one call, after a collection so earlier garbage is not charged to it."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(ours: Callable[[], Any], baseline: Callable[[], Any], reps: int) -> tuple[float, float]:
    """Medians of `reps` interleaved runs of each (one warm-up of each first)."""
    found = interleaved({"ours": ours, "baseline": baseline}, reps)
    return found["ours"], found["baseline"]


def interleaved(runs: dict[str, Callable[[], Any]], reps: int) -> dict[str, float]:
    """Median seconds of each run, rounds rotating which goes first, after one warm-up each."""
    for fn in runs.values():
        fn()
    names = list(runs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for i in range(reps):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            times[name].append(once(runs[name]))
    return {name: statistics.median(t) for name, t in times.items()}


def median_of(fn: Callable[[], Any], reps: int, warm: bool = True) -> float:
    if warm:
        fn()
    return statistics.median(once(fn) for _ in range(reps))


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.0f} us"
