"""What the timeline draws, as plain data: the sprints' rows (overlaps stacked), due dates,
the findings it shows, and the labelled days of its axis."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desktop.model.workspace import Workspace
from graph.build import children, parents
from graph.check import check
from graph.commitments import is_overdue
from graph.model import COMMITMENT, OUTCOME, SPRINT

FINDINGS = ("sprint-overlap", "commitment-outside-sprint")
LABEL_PX = 60  # the room a month's label needs on the axis
MONTH_STEPS = (1, 3, 6, 12, 24, 60, 120)  # months between labels, as many as fit


@dataclass(frozen=True)
class Bar:
    """A sprint as drawn: its dates and the row it sits on."""

    id: str
    title: str
    start: date
    end: date
    row: int
    status: str


def dated_sprints(ws: Workspace) -> list[tuple[str, str, date, date, str]]:
    """The live sprints with readable dates (id, title, start, end, status), by start."""
    found = []
    for node, data in ws.graph.nodes(data=True):
        if data["kind"] != SPRINT:
            continue
        f = data["item"].fields
        try:
            start, end = date.fromisoformat(f["start_date"]), date.fromisoformat(f["end_date"])
        except (TypeError, ValueError, KeyError):
            continue  # check reports the bad dates; there is nowhere to draw them
        found.append((node, data["title"], start, max(start, end), f.get("status") or ""))
    return sorted(found, key=lambda s: (s[2], s[3], s[0]))


def rows_of(sprints: Iterable[tuple[str, str, date, date, str]]) -> list[Bar]:
    """Each sprint on the first row where it shares no day with another, so overlaps show as
    stacked bars (a hand-over day, which check allows, is shared, so it stacks too)."""
    ends: list[date] = []  # the last day taken on each row
    bars = []
    for sprint_id, title, start, end, status in sprints:
        row = next((n for n, last in enumerate(ends) if last < start), len(ends))
        if row == len(ends):
            ends.append(end)
        ends[row] = end
        bars.append(Bar(sprint_id, title, start, end, row, status))
    return bars


@dataclass(frozen=True)
class Mark:
    """A dated commitment as drawn: the sprints it reaches through its live outcomes."""

    id: str
    title: str
    due: date
    status: str
    overdue: bool
    sprints: tuple[str, ...]


def marks_of(g, today: date) -> tuple[list[Mark], int]:
    """The live commitments with a due date, and how many have none. The same path as
    graph.commitments (outcome, then its sprints), without the titles and sorting a list
    needs: 7,000 commitments are drawn on every edit."""
    reach: dict[str, list[str]] = {}  # an outcome's sprints, worked out once
    found, undated = [], 0
    for node, data in g.nodes(data=True):
        if data["kind"] != COMMITMENT:
            continue
        fields = data["item"].fields
        due = as_day(fields.get("target_date"))
        if due is None:
            undated += 1
            continue
        sprints: dict[str, None] = {}
        for outcome in parents(g, node, OUTCOME):
            if outcome not in reach:
                reach[outcome] = children(g, outcome, SPRINT)
            sprints.update(dict.fromkeys(reach[outcome]))
        status = fields.get("status") or ""
        overdue = is_overdue(fields, today)
        found.append(Mark(node, data["title"], due, status, overdue, tuple(sprints)))
    return found, undated


def as_day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def flagged_ids(ws: Workspace) -> dict[str, str]:
    """The ids the timeline's findings concern, with the findings' messages."""
    found: dict[str, str] = {}
    for finding in check(ws.hierarchy, ws.graph, codes=FINDINGS):
        for item_id in finding.items:
            found[item_id] = (found.get(item_id, "") + "\n" + finding.message).strip()
    return found


def axis_ticks(first: date, last: date, ppd: float) -> Iterable[tuple[date, str]]:
    """The labelled days between `first` and `last`: each day, week (Mondays), or first
    of a month every 1, 3, 6, 12... months, whichever leaves room for its label at `ppd`
    pixels a day. Steps straight from one label to the next: the axis is drawn on every
    scroll, and a fitted client spans years."""
    if ppd >= 9:  # ordinals, not date + timedelta: 9999-12-31 has no day after it
        step = 1 if ppd >= 40 else 7
        start = first.toordinal() + (0 if ppd >= 40 else -first.weekday() % 7)
        for n in range(start, last.toordinal() + 1, step):
            day = date.fromordinal(n)
            yield day, day.strftime("%d %b")
        return
    every = next((n for n in MONTH_STEPS if ppd * 28 * n >= LABEL_PX), MONTH_STEPS[-1])
    fmt = "%Y" if every >= 12 else "%b %Y"
    begun = first.year * 12 + first.month - 1 + (first.day > 1)  # the first 1st on or after
    for n in range(-(-begun // every) * every, last.year * 12 + last.month, every):
        day = date(n // 12, n % 12 + 1, 1)  # months counted from year 0: never year 10000
        yield day, day.strftime(fmt)
