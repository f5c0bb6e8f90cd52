"""Progress over time for one client: its audit rows (read as store.digest reads them, with
the links a purge cascaded away) turned into graph.progress_series' points."""

from __future__ import annotations

from datetime import UTC, datetime

from graph.model import Hierarchy
from graph.progress_series import Point, progress_sampled, progress_series, sample_times
from store import ops
from store.digest import audit_rows, cascaded_links, changes
from store.load import load_hierarchy


def client_series(
    root_id: str,
    since: str | None = None,
    samples: int | None = None,
    h: Hierarchy | None = None,
) -> dict[str, list[Point]]:
    """Each goal's, outcome's and sprint's progress after every change of the client's
    (from `since` on, an ISO-8601 UTC time, starting at the value just before it); given
    `samples`, only at that many instants evenly spread from the first change (or `since`)
    to now, which is what a small chart can show. `h`: the client's hierarchy, if the
    caller has just read it (a 10,000-item client takes half a second to read again)."""
    ops.live_client(root_id)  # a client that is gone is refused, in its words
    start = since or ""
    rows = audit_rows(root_id, start)
    rows += cascaded_links(root_id, rows, start)
    found = changes(rows)
    h = load_hierarchy(root_id) if h is None else h
    if samples is None:
        return progress_series(h, found, since)
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    first = since or min((c.at for c in found), default=now)
    return progress_sampled(h, found, sample_times(first, now, samples))
