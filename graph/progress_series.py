"""Progress over time: every goal's, outcome's and sprint's progress as it stood after each
change, from the current hierarchy and the audit log's changes.

The hierarchy after the changes of one instant is `graph.digest.state_at` just before the
next instant (the last is the current hierarchy), so a manual value, a link or a weight
counts exactly while the log says it stood, and the roll-up is run on the hierarchy as it
stood then. A series is a step line: each point holds until the next, so a point is kept only
where the value differs from the one before.

A sprint carries no progress of its own (graph.rollup): its value here is the mean of its
live outcomes' progress, weighted by their links and leaving abandoned ones out, the work it
is on. One with no such outcome has no value (None), as an item that is not live has none.

Plain data in, plain data out: `store.series` reads the audit rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import networkx as nx

from graph.build import build, parents
from graph.digest import Change, state_at
from graph.model import GOAL, OUTCOME, SPRINT, Hierarchy
from graph.rollup import rollup

SERIES_KINDS = (GOAL, OUTCOME, SPRINT)


@dataclass(frozen=True)
class Point:
    """From `at` (ISO-8601 UTC) on, the item's progress was `value` (None: not live, or a
    sprint working on no counted outcome)."""

    at: str
    value: float | None


def progress_now(h: Hierarchy) -> dict[str, float]:
    """Every live goal's and outcome's rolled-up progress, and each sprint's that has one.

    Examples
    --------
    >>> from graph.examples import tiny
    >>> values = progress_now(tiny())
    >>> values["o1"], round(values["g1"], 2), values["s1"]
    (75.0, 54.17, 75.0)
    """
    g = build(h)
    values = rollup(g)
    for node, kind in g.nodes(data="kind"):
        if kind == SPRINT:
            value = sprint_progress(g, values, node)
            if value is not None:
                values[node] = value
    return {n: v for n, v in values.items() if g.nodes[n]["kind"] in SERIES_KINDS}


def sprint_progress(g: nx.DiGraph, values: dict[str, float], sprint: str) -> float | None:
    """The weighted mean of the sprint's counted outcomes' progress; None without one."""
    outcomes = parents(g, sprint, OUTCOME)
    counted = [o for o in outcomes if g.nodes[o]["item"].fields.get("status") != "abandoned"]
    weights = [(values[o], float(g.edges[o, sprint].get("weight") or 1.0)) for o in counted]
    total = sum(w for _v, w in weights)
    return sum(v * w for v, w in weights) / total if total > 0 else None


def change_times(changes: Sequence[Change], since: str | None = None) -> list[str]:
    """The distinct instants of the changes (at or after `since`), oldest first."""
    return sorted({c.at for c in changes if since is None or c.at >= since})


def progress_series(
    h: Hierarchy, changes: Sequence[Change], since: str | None = None
) -> dict[str, list[Point]]:
    """Per goal, outcome and sprint, its progress after each change; given `since`, the first
    point is the value it had just before `since`.

    Examples
    --------
    >>> import dataclasses
    >>> from graph.examples import commitment, hierarchy, outcome
    >>> c1 = commitment("c1", "Run", progress=20, created_at="2024-01-01")
    >>> now = hierarchy([outcome("o1", created_at="2024-01-01"), c1], [("o1", "c1")])
    >>> half = now.items["c1"]
    >>> was = dataclasses.replace(half, fields=half.fields | {"progress": 0})
    >>> done = dataclasses.replace(half, fields=half.fields | {"progress": 50})
    >>> now.items["c1"] = done
    >>> edits = [Change("2024-02-01", 1, "update", "c1", was, half),
    ...          Change("2024-03-01", 2, "update", "c1", half, done)]
    >>> [(p.at, p.value) for p in progress_series(now, edits, since="2024-01-15")["o1"]]
    [('2024-01-15', 0.0), ('2024-02-01', 20.0), ('2024-03-01', 50.0)]
    """
    times = change_times(changes, since)
    states = [(since, state_at(h, changes, since))] if since is not None else []
    states += [(t, state_at(h, changes, nxt)) for t, nxt in zip(times, times[1:], strict=False)]
    if times:
        states.append((times[-1], h))
    return _series(states)


def progress_sampled(
    h: Hierarchy, changes: Sequence[Change], times: Sequence[str]
) -> dict[str, list[Point]]:
    """Per goal, outcome and sprint, its progress as it stood at each of `times` (oldest
    first), the changes of that very instant included.

    A chart a few centimetres wide shows no more than a hundred steps, and each point costs a
    roll-up of the whole hierarchy: a year of a busy client's changes is tens of thousands.

    Examples
    --------
    >>> from graph.examples import goal, hierarchy
    >>> now = hierarchy([goal("g1", progress=40, progress_mode="manual")])
    >>> [(p.at, p.value) for p in progress_sampled(now, [], ["2024-01-01", "2024-02-01"])["g1"]]
    [('2024-01-01', 40.0)]
    """
    instants = change_times(changes)
    return _series((t, _state_after(h, changes, instants, t)) for t in times)


def _state_after(h: Hierarchy, changes: Sequence[Change], instants: list[str], at: str):
    """The hierarchy once the changes up to `at` (included) were made: just before the next
    instant that has changes, or the current one when none is later."""
    later = bisect.bisect_right(instants, at)
    return state_at(h, changes, instants[later]) if later < len(instants) else h


def sample_times(start: str, end: str, count: int) -> list[str]:
    """`count` instants from `start` to `end` (ISO-8601 with an offset), evenly spaced, in the
    audit log's form (UTC, microseconds), so they compare with its times as text.

    Examples
    --------
    >>> sample_times("2024-01-01T00:00:00+00:00", "2024-01-03T00:00:00+00:00", 3)[1]
    '2024-01-02T00:00:00.000000+00:00'
    """
    first, last = (datetime.fromisoformat(t).astimezone(UTC) for t in (start, end))
    step = (last - first) / max(count - 1, 1)
    return [(first + step * n).isoformat(timespec="microseconds") for n in range(count)]


def _series(states: Iterable[tuple[str, Hierarchy]]) -> dict[str, list[Point]]:
    """The step lines through the values of each state, in the order given."""
    series: dict[str, list[Point]] = {}
    for at, state in states:
        values = progress_now(state)
        for item_id in _series_ids(state) | series.keys():
            _extend(series.setdefault(item_id, []), Point(at, values.get(item_id)))
    return {item_id: points for item_id, points in series.items() if points}


def _series_ids(h: Hierarchy) -> set[str]:
    """The goals, outcomes and sprints of `h`, live or not (a trashed one has no value)."""
    return {i.id for i in h.items.values() if i.kind in SERIES_KINDS}


def _extend(points: list[Point], point: Point) -> None:
    """Add `point` unless the line already stands at its value (a step line needs no repeat);
    a line starts where the item first has a value."""
    if points and points[-1].value == point.value:
        return
    if points or point.value is not None:
        points.append(point)
