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
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter

import networkx as nx

from graph.build import build, edge_attrs, node_attrs, parents
from graph.digest import Change, Record, created_since, state_at
from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT, Hierarchy, Item, Link
from graph.rollup import rollup, value_from

SERIES_KINDS = (GOAL, OUTCOME, SPRINT)


@dataclass(frozen=True)
class Point:
    """From `at` (ISO-8601 UTC) on, the item's progress was `value` (None: not live, or a
    sprint working on no counted outcome)."""

    at: str
    value: float | None


Snapshot = tuple[dict[str, float], set[str]]  # values of a state, and its series items


def progress_now(
    h: Hierarchy, g: nx.DiGraph | None = None, rolled: dict[str, float] | None = None
) -> dict[str, float]:
    """Every live goal's and outcome's rolled-up progress, and each sprint's that has one
    (`g`: `build(h)`, and `rolled`: `rollup(g)`, if the caller has them).

    Examples
    --------
    >>> from graph.examples import tiny
    >>> values = progress_now(tiny())
    >>> values["o1"], round(values["g1"], 2), values["s1"]
    (75.0, 54.17, 75.0)
    """
    g = build(h) if g is None else g
    values = dict(rollup(g) if rolled is None else rolled)
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
    # fsum: the same value whatever order the graph keeps the outcomes in (a graph updated in
    # place, as progress_sampled's is, keeps them in another order than a fresh one).
    total = math.fsum(w for _v, w in weights)
    return math.fsum(v * w for v, w in weights) / total if total > 0 else None


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
    return progress_at_cuts(h, changes, times, sample_cuts(change_times(changes), times))


def sample_cuts(instants: list[str], times: Sequence[str]) -> list[str | None]:
    """For each of `times`, the instant its state is the one just before (`_cut_after`),
    given the distinct instants that have changes, oldest first."""
    return [_cut_after(instants, t) for t in times]


def progress_at_cuts(
    h: Hierarchy,
    changes: Sequence[Change],
    times: Sequence[str],
    cuts: Sequence[str | None],
) -> dict[str, list[Point]]:
    """`progress_sampled` given each time's cut (`sample_cuts`). The changes need only be
    those `state_at` reads at the cuts (`graph.digest.needed`): a caller can leave the rest
    of a year's audit rows undecoded."""
    return series_at(times, cuts, snapshots(h, changes, cuts))


def snapshots(
    h: Hierarchy,
    changes: Sequence[Change],
    cuts: Iterable[str | None],
    g: nx.DiGraph | None = None,
    rolled: dict[str, float] | None = None,
) -> dict[str | None, Snapshot]:
    """The values and series items of the state just before each cut (None: the current
    hierarchy, always given), stepped back from the current one (`g`: `build(h)`, and
    `rolled`: `rollup(g)`, if the caller has them; `g` is not changed)."""
    g = build(h) if g is None else g
    rolled = rollup(g) if rolled is None else rolled
    found: dict[str | None, Snapshot] = {None: (progress_now(h, g, rolled), _series_ids(h))}
    walk = _Walk(h, changes, g, rolled, found[None][0])
    later = None
    for cut in sorted({c for c in cuts if c is not None}, reverse=True):
        walk.back_to(cut, later)
        found[cut], later = walk.snapshot(), cut
    return found


def series_at(
    times: Sequence[str], cuts: Sequence[str | None], found: dict[str | None, Snapshot]
) -> dict[str, list[Point]]:
    """The step lines through the snapshot at each time's cut."""
    return _series_of((t, *found[cut]) for t, cut in zip(times, cuts, strict=True))


def _cut_after(instants: list[str], at: str) -> str | None:
    """The state once the changes up to `at` (included) were made is the one just before
    the next instant that has changes; None when none is later (the current hierarchy)."""
    later = bisect.bisect_right(instants, at)
    return instants[later] if later < len(instants) else None


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


def _snapshot(h: Hierarchy) -> Snapshot:
    return progress_now(h), _series_ids(h)


def _series(states: Iterable[tuple[str, Hierarchy]]) -> dict[str, list[Point]]:
    """The step lines through the values of each state, in the order given."""
    return _series_of((at, *_snapshot(state)) for at, state in states)


def _series_of(
    snapshots: Iterable[tuple[str, dict[str, float], set[str]]],
) -> dict[str, list[Point]]:
    """The step lines through each instant's values (the goals, outcomes and sprints there
    are then, and those that had a line before), in the order given."""
    series: dict[str, list[Point]] = {}
    last: tuple[dict[str, float], set[str]] | None = None
    for at, values, ids in snapshots:
        if last is not None and values is last[0] and ids is last[1]:
            continue  # the same state again (later samples, no change between): no new step
        last = values, ids
        for item_id in ids | series.keys():
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


def _same(a: Record | None, b: Record | None) -> bool:
    """Equal records, fields included (an Item's == leaves its fields out)."""
    return a == b and getattr(a, "fields", None) == getattr(b, "fields", None)


class _Walk:
    """The hierarchy stepped back in time from one cut to an earlier one, its graph and
    roll-up updated in place: only what changed between two cuts (and what it serves) is
    worked out again, where a fresh state, graph and roll-up per cut would cost the whole
    client each time (seconds for sixty cuts of a 10,000-item client).

    The state at a cut is `graph.digest.state_at`'s, record by record (`record_at`), and the
    graph is `build`'s of it: a live item is a node; the link pair (upper, lower) is an edge,
    with its lowest-id link's attributes, while both ends are nodes. Each value is the
    roll-up's own (`node_value`, `sprint_progress`), so the answer is exactly that of
    rebuilding at every cut; tests/graph check it against `_series` on random histories.
    """

    def __init__(
        self,
        h: Hierarchy,
        changes: Sequence[Change],
        g: nx.DiGraph,
        rolled: dict[str, float],
        shown: dict[str, float],
    ):
        """Start at the state after every change: the current hierarchy (`g`, its graph,
        copied, `rolled`, its roll-up, and `shown`, `progress_now`'s), with any record the
        log leaves standing that the database no longer has."""
        self.current: dict[str, Record] = {**h.items, **{link.id: link for link in h.links}}
        self.history: dict[str, list[Change]] = {}
        for change in sorted(changes, key=lambda c: (c.at, c.seq, c.id)):
            self.history.setdefault(change.id, []).append(change)
        self.times = {rid: [c.at for c in found] for rid, found in self.history.items()}
        # When records change, and when current items were made (they vanish before that);
        # by time alone, which is all a step reads (and twice as fast to sort).
        events = sorted(
            [(c.at, c.id) for c in changes]
            + [
                (created, item.id)
                for item in h.items.values()
                if (created := item.fields.get("created_at") or "")
            ],
            key=itemgetter(0),
        )
        self.event_times = [at for at, _rid in events]
        self.event_ids = [rid for _at, rid in events]
        self.records = dict(self.current)
        self.g = g.copy()
        self.pairs: dict[tuple[str, str], set[str]] = {}  # link pair -> its links' ids
        self.pairs_of: dict[str, set[tuple[str, str]]] = {}  # item id -> pairs touching it
        for link in h.links:
            self.index(link)
        self.values = dict(rolled)
        self.shown = dict(shown)
        self.series_ids = _series_ids(h)
        dirty: set[str] = set()
        for pair, ids in self.pairs.items():
            if len(ids) > 1:  # build drew h's first link of the pair; a past state's, the lowest id
                self.refresh(pair, dirty)
        for rid, found in self.history.items():
            if rid not in self.current and found[-1].after is not None:
                self.replace(rid, None, found[-1].after, dirty)
        self.roll_up(dirty)

    def kind(self, node: str) -> str:
        return self.g.nodes[node]["kind"]

    def is_sprint(self, node: str) -> bool:
        return self.kind(node) == SPRINT

    def sprints_of(self, node: str) -> list[str]:
        return [n for n in self.g.successors(node) if self.is_sprint(n)]

    def snapshot(self) -> Snapshot:
        return dict(self.shown), set(self.series_ids)

    def record_at(self, rid: str, cut: str) -> Record | None:
        """The record as it stood just before `cut` (graph.digest._record_at's rule)."""
        found = self.history.get(rid, [])
        first_after = bisect.bisect_left(self.times.get(rid, []), cut)
        if first_after < len(found):
            return found[first_after].before
        if rid in self.current:
            record = self.current[rid]
            return None if created_since(record, cut) else record
        return found[-1].after if found else None

    def back_to(self, cut: str, later: str | None) -> None:
        """From the state at `later` (None: the start, after every change) to the one at the
        earlier `cut`."""
        low = bisect.bisect_left(self.event_times, cut)
        high = (
            len(self.event_times) if later is None else bisect.bisect_left(self.event_times, later)
        )
        dirty: set[str] = set()
        for rid in set(self.event_ids[low:high]):
            old, new = self.records.get(rid), self.record_at(rid, cut)
            if not _same(old, new):
                self.replace(rid, old, new, dirty)
        self.roll_up(dirty)

    # ------------------------------------------------------------ the graph

    def replace(self, rid: str, old: Record | None, new: Record | None, dirty: set[str]) -> None:
        if new is None:
            del self.records[rid]
        else:
            self.records[rid] = new
        if isinstance(old, Link):
            self.pairs[(old.upper, old.lower)].discard(rid)
            self.refresh((old.upper, old.lower), dirty)
        if isinstance(new, Link):
            self.refresh(self.index(new), dirty)
        if isinstance(old, Item) or isinstance(new, Item):
            self.replace_item(rid, new if isinstance(new, Item) else None, dirty)

    def replace_item(self, rid: str, item: Item | None, dirty: set[str]) -> None:
        if item is not None and item.kind in SERIES_KINDS:
            self.series_ids.add(rid)
        else:
            self.series_ids.discard(rid)
        was_node = rid in self.g
        if was_node:  # what it served, and the sprints it fed, lose or change a part
            dirty.update(self.g.predecessors(rid), self.sprints_of(rid))
        if item is not None and not item.deleted:
            if was_node:
                self.g.nodes[rid].update(node_attrs(item))
            else:
                self.g.add_node(rid, **node_attrs(item))
            dirty.add(rid)
        elif was_node:
            self.g.remove_node(rid)
            self.values.pop(rid, None)
            self.shown.pop(rid, None)
            dirty.discard(rid)
        if was_node != (rid in self.g):  # an edge is drawn while both its ends are nodes
            for pair in list(self.pairs_of.get(rid, ())):
                self.refresh(pair, dirty)

    def index(self, link: Link) -> tuple[str, str]:
        pair = (link.upper, link.lower)
        self.pairs.setdefault(pair, set()).add(link.id)
        for end in pair:
            self.pairs_of.setdefault(end, set()).add(pair)
        return pair

    def refresh(self, pair: tuple[str, str], dirty: set[str]) -> None:
        """The pair's edge as build would draw it now."""
        upper, lower = pair
        links = self.pairs.get(pair, set())
        if upper in self.g and lower in self.g and links:
            attrs = edge_attrs(self.records[min(links)])  # type: ignore[arg-type]
            if not self.g.has_edge(upper, lower):
                self.g.add_edge(upper, lower, **attrs)
            elif self.g.edges[upper, lower] == attrs:
                return
            else:
                self.g.edges[upper, lower].update(attrs)
        elif self.g.has_edge(upper, lower):
            self.g.remove_edge(upper, lower)
        else:
            return
        # The upper end's value counts the lower end; a lower end's own value counts nothing
        # above it, but a sprint's comes from the outcomes it works on.
        dirty.update(end for end in pair if end in self.g and (end == upper or self.is_sprint(end)))

    # ------------------------------------------------------------ the values

    def roll_up(self, dirty: set[str]) -> None:
        """The changed nodes' values again, and those of everything they serve."""
        nodes, below, above = dict(self.g.nodes(data=True)), dict(self.g.adjacency()), self.g.pred
        again = {n for n in dirty if n in nodes}
        todo = list(again)
        while todo:
            for parent in above[todo.pop()]:
                if parent not in again:
                    again.add(parent)
                    todo.append(parent)
        by_kind: dict[str, list[str]] = {COMMITMENT: [], OUTCOME: [], GOAL: [], SPRINT: []}
        for node in again:
            by_kind.setdefault(nodes[node]["kind"], []).append(node)
        sprints = set(by_kind[SPRINT])
        for kind in (COMMITMENT, OUTCOME, GOAL):  # each kind's values read the kind below's
            for node in by_kind[kind]:
                value = self.values[node] = value_from(nodes[node], below[node], nodes, self.values)
                if kind != COMMITMENT:
                    self.shown[node] = value
                if kind == OUTCOME:
                    sprints.update(c for c in below[node] if nodes[c]["kind"] == SPRINT)
        for sprint in sprints:
            self.show_sprint(sprint)

    def show_sprint(self, sprint: str) -> None:
        value = sprint_progress(self.g, self.values, sprint)
        if value is None:
            self.shown.pop(sprint, None)
        else:
            self.shown[sprint] = value
