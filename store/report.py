"""What the client report shows, gathered as plain data before anything is drawn.

The client's goals with their progress now and over time (store.series), what changed in the
period (store.digest), the commitments overdue and due next (store.coach, graph.commitments)
and the sprints running today. desktop/report.py draws it; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import networkx as nx

from graph.commitments import CLOSED, CommitmentRow, Filter, filter_rows
from graph.digest import Digest, Period, digest
from graph.model import GOAL, OUTCOME, SPRINT, Hierarchy, Item
from graph.progress_series import Point, series_at, snapshots
from store import coach, ops
from store.digest import (
    changes,
    day_start,
    history_rows,
    period_since_last_session,
    period_times,
)
from store.errors import ValidationError
from store.load import list_sessions
from store.series import chart_cuts, real_cuts

DUE_SOON_DAYS = 14
CHART_SAMPLES = 60


@dataclass(frozen=True)
class GoalLine:
    """A goal as the report shows it: its progress, outcomes, and progress over time."""

    title: str
    value: float
    outcomes: list[tuple[str, float]]
    series: list[Point]


@dataclass(frozen=True)
class SprintLine:
    title: str
    start: str
    end: str
    value: float | None
    outcomes: list[str]


@dataclass
class Report:
    """Everything the PDF shows, gathered before drawing starts."""

    client: str
    today: date
    goals: list[GoalLine]
    digest: Digest
    overdue: list[CommitmentRow]
    due_next: list[CommitmentRow]
    sprints: list[SprintLine]
    sprint_note: str
    sessions: list[float] = field(default_factory=list)  # when sessions were held, POSIX s
    span: tuple[float, float] = (0.0, 1.0)  # the charts' time axis, as POSIX seconds
    hierarchy: Hierarchy = field(default_factory=Hierarchy)  # as read, for the graph page
    graph: nx.DiGraph | None = None  # graph.build's of it


def default_period(root_id: str, today: date) -> Period:
    """Since the last session; a client with none yet, since the day it was added."""
    try:
        return period_since_last_session(root_id, today)
    except ValidationError:
        try:
            made = date.fromisoformat(ops.live_client(root_id).created_at[:10])
        except ValueError:  # an unreadable day (a hand edit): the client's whole history
            return Period("", None, today, "Since the client was added (no session yet)")
        day = min(made, today)
        return Period(day_start(day), None, today, f"Since {day.isoformat()} (no session yet)")


# ---------------------------------------------------------------- gathering


def gather(root_id: str, period: Period, today: date) -> Report:
    """Read everything the report shows for one client."""
    found = coach.load_commitments(root_id, today)
    h = found.hierarchy
    # The audit rows are read and decoded once, and the hierarchy stepped back through them
    # once: the charts and the digest both need its states (the digest's at the period's ends).
    rows = history_rows(root_id)
    times, cuts = chart_cuts(rows, CHART_SAMPLES)
    read = changes(rows, sorted({*real_cuts(cuts), *period_times(period)}), h)
    states = snapshots(h, read, [*cuts, period.start, period.end], found.graph)
    values = states[None][0]
    progress = states[period.start][0], states[period.end][0]
    series = series_at(times, cuts, states)
    held = [s["held_on"] for s in list_sessions(root_id)]
    running, note = current_sprints(h, values, today)
    return Report(
        client=found.client["name"],
        today=today,
        goals=goal_lines(found, values, series),
        digest=digest(h, read, period, found.client["name"], progress),
        overdue=filter_rows(found.rows, Filter(overdue=True), today),
        due_next=due_next(found.rows, today),
        sprints=running,
        sprint_note=note,
        sessions=[seconds(day) for day in held],
        span=time_span(series, today),
        hierarchy=h,
        graph=found.graph,
    )


def live(h: Hierarchy, kind: str) -> list[Item]:
    found = [i for i in h.items.values() if i.kind == kind and not i.deleted]
    return sorted(found, key=lambda i: (i.title.casefold(), i.id))


def goal_lines(
    found: coach.Commitments, values: dict[str, float], series: dict[str, list[Point]]
) -> list[GoalLine]:
    """Every live goal, by title, with its live outcomes (through the graph's links)."""
    g = found.graph
    out = []
    for goal in live(found.hierarchy, GOAL):
        below = sorted(
            (g.nodes[o]["title"], values[o]) for o in g.successors(goal.id) if o in values
        )
        out.append(GoalLine(goal.title, values[goal.id], below, series.get(goal.id, [])))
    return out


def due_next(rows: list[CommitmentRow], today: date) -> list[CommitmentRow]:
    """Open commitments due from today to DUE_SOON_DAYS on, soonest first."""
    soon = filter_rows(rows, Filter(due_within=DUE_SOON_DAYS), today)
    return sorted((r for r in soon if r.status not in CLOSED), key=lambda r: (r.due, r.title))


def current_sprints(
    h: Hierarchy, values: dict[str, float], today: date
) -> tuple[list[SprintLine], str]:
    """The live sprints running today; with none, a sentence naming the next one."""
    day = today.isoformat()
    sprints = [
        s for s in live(h, SPRINT) if s.fields.get("status") not in ("cancelled", "completed")
    ]
    running = [s for s in sprints if s.fields["start_date"] <= day <= s.fields["end_date"]]
    if running:
        return [sprint_line(h, s, values) for s in running], ""
    later = sorted((s for s in sprints if s.fields["start_date"] > day), key=start_of)
    if later:
        nxt = later[0]
        return [], f"No sprint runs today; {nxt.title} starts on {start_of(nxt)}."
    return [], "No sprint runs today, and none is planned."


def start_of(sprint: Item) -> str:
    return sprint.fields["start_date"]


def sprint_line(h: Hierarchy, sprint: Item, values: dict[str, float]) -> SprintLine:
    ends = {link.upper for link in h.links if link.lower == sprint.id}
    outcomes = [o.title for o in live(h, OUTCOME) if o.id in ends]
    f = sprint.fields
    return SprintLine(sprint.title, f["start_date"], f["end_date"], values.get(sprint.id), outcomes)


def seconds(at: str) -> float:
    """An audit time (ISO-8601 UTC) or a day as POSIX seconds."""
    if len(at) == 10:
        at = day_start(date.fromisoformat(at))
    moment = datetime.fromisoformat(at)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def time_span(series: dict[str, list[Point]], today: date) -> tuple[float, float]:
    """From the first value any chart has to the end of today: one axis for every chart
    (sessions before it are not drawn: a client's old sessions would squash the line)."""
    end = seconds(day_start(today)) + 86400
    start = min((seconds(points[0].at) for points in series.values() if points), default=end)
    return (min(start, end - 86400), end)
