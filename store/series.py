"""Progress over time for one client: its audit rows (read as store.digest reads them, with
the links a purge cascaded away) turned into graph.progress_series' points."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph.progress_series import (
    Point,
    progress_at_cuts,
    progress_series,
    sample_cuts,
    sample_times,
)
from store import ops
from store.collecting import paused_gc
from store.digest import changes, history_rows, is_hierarchy_row
from store.load import load_hierarchy


def client_series(
    root_id: str,
    since: str | None = None,
    samples: int | None = None,
) -> dict[str, list[Point]]:
    """Each goal's, outcome's and sprint's progress after every change of the client's
    (from `since` on, an ISO-8601 UTC time, starting at the value just before it); given
    `samples`, only at that many instants evenly spread from the first change (or `since`)
    to now, which is what a small chart can show. (store.report, which reads the rows
    once for its charts and its digest, calls the parts below itself.)"""
    ops.live_client(root_id)  # a client that is gone is refused, in its words
    with paused_gc():  # a year of rows and the client's states: all of it kept
        rows = history_rows(root_id, since or "")
        h = load_hierarchy(root_id)
        if samples is None:
            return progress_series(h, changes(rows), since)
        times, cuts = chart_cuts(rows, samples, since)
        # Only the rows the states at the cuts read are decoded: most of a year's are not.
        read = changes(rows, real_cuts(cuts), h)
        return progress_at_cuts(h, read, times, cuts)


def chart_cuts(
    rows: list[dict[str, Any]], samples: int, since: str | None = None
) -> tuple[list[str], list[str | None]]:
    """The `samples` instants a chart shows, evenly spread from the first change (or
    `since`) to now, and the cut each reads (graph.progress_series.sample_cuts)."""
    instants = sorted({r["at"] for r in rows if is_hierarchy_row(r)})
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    # A log later than this clock (another computer's, or a hand edit) starts the axis now.
    first = min(since or (instants[0] if instants else now), now)
    times = sample_times(first, now, samples)
    return times, sample_cuts(instants, times)


def real_cuts(cuts: list[str | None]) -> list[str]:
    """The distinct cuts that are instants in the log (None is the current hierarchy)."""
    return sorted({c for c in cuts if c is not None})
