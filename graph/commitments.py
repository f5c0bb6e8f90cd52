"""A client's commitments as a coach lists them: each with its outcomes, goals, sprints and
session, filtered only through outcomes (seed 000).

A commitment belongs to a goal or a sprint because one of its live outcomes does; there is no
other path. `build` leaves trashed items out of the graph, so a trashed outcome (or goal, or
sprint) hides its path, and a commitment with no live outcome is in no goal and no sprint.

Everything here is plain data: `commitment_rows` once per load, then `filter_rows` (cheap)
for each filter a person sets, and `sentence` to read the filter back. "Today" is always a
parameter, never the clock, so an answer is the same on every day a test runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, overload

import networkx as nx

from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT

# A commitment in one of these is done with, so it is never overdue.
CLOSED = frozenset({"completed", "abandoned"})


@dataclass(frozen=True)
class Ref:
    """An item a row points at: its id and the title a person reads."""

    id: str
    title: str


@dataclass(frozen=True)
class SessionRef:
    """The coaching session a commitment came out of."""

    id: str
    title: str
    held_on: str


@dataclass(frozen=True)
class CommitmentHead:
    """What a commitment says of itself, without the outcomes, goals and sprints it reaches:
    every filter part but goal, outcome and sprint reads only this, and it is cheap to make
    for 7,000 commitments (a row is not). `session` is None unless a live one."""

    id: str
    title: str
    status: str
    priority: str
    type: str
    due: str | None
    session: SessionRef | None
    overdue: bool
    description: str = ""


@dataclass(frozen=True)
class CommitmentRow(CommitmentHead):
    """One live commitment with what it reaches; `goals` and `sprints` each list an item once."""

    outcomes: tuple[Ref, ...] = ()
    goals: tuple[Ref, ...] = ()
    sprints: tuple[Ref, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The row in the README's `trellis commitments --json` shape."""
        refs = lambda found: [{"id": r.id, "title": r.title} for r in found]  # noqa: E731
        session = self.session
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "type": self.type,
            "due": self.due,
            "outcomes": refs(self.outcomes),
            "goals": refs(self.goals),
            "sprints": refs(self.sprints),
            "session": None
            if session is None
            else {"id": session.id, "title": session.title, "held_on": session.held_on},
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class Filter:
    """What a person asked for; every part set must hold (AND). Ids, not titles."""

    goal: str | None = None
    outcome: str | None = None
    sprint: str | None = None
    session: str | None = None
    statuses: frozenset[str] = field(default_factory=frozenset)
    types: frozenset[str] = field(default_factory=frozenset)
    priorities: frozenset[str] = field(default_factory=frozenset)
    overdue: bool = False
    due_within: int | None = None
    search: str = ""

    def is_empty(self) -> bool:
        """Whether nothing is asked for, so every commitment matches."""
        return self == Filter()


def is_overdue(fields: Mapping[str, Any], today: date) -> bool:
    """Whether a commitment is due before `today` and neither completed nor abandoned.

    Examples
    --------
    >>> day = date(2024, 3, 1)
    >>> is_overdue({"target_date": "2024-02-29", "status": "active"}, day)
    True
    >>> is_overdue({"target_date": "2024-02-29", "status": "completed"}, day)
    False
    >>> is_overdue({"target_date": "2024-03-01", "status": "active"}, day)
    False
    """
    due = fields.get("target_date") or ""
    return due != "" and due < today.isoformat() and fields.get("status") not in CLOSED


def commitment_rows(
    g: nx.DiGraph, sessions: Mapping[str, SessionRef], today: date
) -> list[CommitmentRow]:
    """Every live commitment in `g` as a row, by due date (undated last) then title.

    `sessions` maps the live sessions' ids to their refs; a commitment whose session is not
    there (trashed, or none) has no session.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> rows = commitment_rows(build(tiny()), {}, date(2024, 1, 15))
    >>> [(r.title, [s.title for s in r.sprints], r.overdue) for r in rows]
    [('Buy shoes', ['Sprint 1'], False), ('Run 5k', ['Sprint 1'], False), ('Stretch', [], False)]
    """
    return list(LazyRows(g, sessions, today))


class LazyRows(Sequence[CommitmentRow]):
    """`commitment_rows` in the same order, each row derived when first read: a list on screen
    reads 30 of 7,000 rows, so opening it derives 30.

    The order needs only each commitment's own due date and title, read off the graph's nodes.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> rows = LazyRows(build(tiny()), {}, date(2024, 1, 15))
    >>> len(rows), rows.ids, rows.derived()
    (3, ['c1', 'c2', 'c3'], 0)
    >>> rows[1].title, rows.derived()
    ('Run 5k', 1)
    """

    def __init__(self, g: nx.DiGraph, sessions: Mapping[str, SessionRef], today: date):
        self.g, self.sessions, self.today = g, sessions, today
        self.reach = _Reach(g)
        keyed = [
            (_due_order(node, data), node)
            for node, data in g.nodes(data=True)
            if data["kind"] == COMMITMENT
        ]
        keyed.sort()
        self.ids = [node for _, node in keyed]
        self.index_of = {node: n for n, node in enumerate(self.ids)}
        self._rows: list[CommitmentRow | None] = [None] * len(self.ids)
        self._heads: list[CommitmentHead | None] = [None] * len(self.ids)

    def head(self, n: int) -> CommitmentHead:
        """Row `n`'s own fields (its row, if already derived): enough for `own_matcher`."""
        found = self._rows[n] or self._heads[n]
        if found is None:
            found = self._heads[n] = _head(self.ids[n], self.reach, self.sessions, self.today)
        return found

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, n: int) -> CommitmentRow: ...

    @overload
    def __getitem__(self, n: slice) -> list[CommitmentRow]: ...

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[k] for k in range(*n.indices(len(self)))]
        row = self._rows[n]
        if row is None:
            row = self._rows[n] = _row(self.g, self.ids[n], self.reach, self.sessions, self.today)
        return row

    def derived(self) -> int:
        """How many rows have been worked out so far."""
        return sum(row is not None for row in self._rows)


def _due_order(node: str, data: Mapping[str, Any]) -> tuple[bool, str, str, str]:
    """Due date first (undated last), then title, then id: the same order on every run."""
    due = data["item"].fields.get("target_date") or ""
    return (due == "", due, data["title"].casefold(), node)


class _Reach:
    """Each outcome's goals and sprints, worked out once: thousands of commitments share them."""

    def __init__(self, g: nx.DiGraph):
        self.g = g
        self.nodes = g.nodes  # one view: `g.nodes` makes a new one on every read
        self._refs: dict[str, Ref] = {}
        self._up: dict[str, tuple[Ref, ...]] = {}
        self._down: dict[str, tuple[Ref, ...]] = {}
        self._paths: dict[tuple[str, ...], tuple[tuple[Ref, ...], ...]] = {}

    def ref(self, node: str) -> Ref:
        found = self._refs.get(node)
        if found is None:
            found = self._refs[node] = Ref(node, self.nodes[node]["title"])
        return found

    def of_kind(self, nodes: Iterable[str], kind: str) -> list[str]:
        return [n for n in nodes if self.nodes[n]["kind"] == kind]

    def outcomes_of(self, commitment: str) -> tuple[str, ...]:
        return tuple(self.of_kind(self.g.pred[commitment], OUTCOME))

    def goals(self, outcome: str) -> tuple[Ref, ...]:
        if outcome not in self._up:
            found = self.of_kind(self.g.pred[outcome], GOAL)
            self._up[outcome] = tuple(map(self.ref, found))
        return self._up[outcome]

    def sprints(self, outcome: str) -> tuple[Ref, ...]:
        if outcome not in self._down:
            found = self.of_kind(self.g.succ[outcome], SPRINT)
            self._down[outcome] = tuple(map(self.ref, found))
        return self._down[outcome]

    def of_outcomes(self, outcomes: tuple[str, ...]) -> tuple[tuple[Ref, ...], ...]:
        """(outcomes, goals, sprints) of a commitment serving `outcomes`, each titled once;
        commitments serving the same outcomes share the answer."""
        found = self._paths.get(outcomes)
        if found is None:
            refs = _titled(map(self.ref, outcomes))
            goals = _titled(r for o in refs for r in self.goals(o.id))
            sprints = _titled(r for o in refs for r in self.sprints(o.id))
            found = self._paths[outcomes] = (refs, goals, sprints)
        return found


def _row(
    g: nx.DiGraph,
    node: str,
    reach: _Reach,
    sessions: Mapping[str, SessionRef],
    today: date,
) -> CommitmentRow:
    """One commitment's row: what it reaches through its live outcomes, each item once."""
    head = _head(node, reach, sessions, today)
    outcomes, goals, sprints = reach.of_outcomes(reach.outcomes_of(node))
    return CommitmentRow(**vars(head), outcomes=outcomes, goals=goals, sprints=sprints)


def _head(
    node: str, reach: _Reach, sessions: Mapping[str, SessionRef], today: date
) -> CommitmentHead:
    data = reach.nodes[node]
    fields = data["item"].fields
    return CommitmentHead(
        id=node,
        title=data["title"],
        status=fields.get("status") or "",
        priority=fields.get("priority") or "",
        type=fields.get("type") or "",
        due=fields.get("target_date") or None,
        session=sessions.get(fields.get("session_id") or ""),
        overdue=is_overdue(fields, today),
        description=fields.get("description") or "",
    )


def _titled(refs: Iterable[Ref]) -> tuple[Ref, ...]:
    """The refs once each (two outcomes may reach one sprint), in title order."""
    unique = {r.id: r for r in refs}
    if len(unique) < 2:  # most commitments serve one outcome: nothing to sort
        return tuple(unique.values())
    return tuple(sorted(unique.values(), key=lambda r: (r.title.casefold(), r.id)))


def filter_rows(rows: Iterable[CommitmentRow], f: Filter, today: date) -> list[CommitmentRow]:
    """The rows `f` asks for, in the order given.

    Examples
    --------
    >>> from graph.build import build
    >>> from graph.examples import tiny
    >>> rows = commitment_rows(build(tiny()), {}, date(2024, 1, 15))
    >>> [r.id for r in filter_rows(rows, Filter(sprint="s1", search="run"), date(2024, 1, 15))]
    ['c2']
    """
    if isinstance(rows, LazyRows):  # derive only the rows whose own fields pass
        own = own_matcher(f, today)
        found = [rows[n] for n in range(len(rows)) if own(rows.head(n))]
    else:
        found = list(rows)
    for test in _tests(f, today):  # each pass narrows the next: cheaper than all() per row
        found = [r for r in found if test(r)]
    return found


def matches(row: CommitmentRow, f: Filter, today: date) -> bool:
    """Whether one row passes every part of `f`."""
    return matcher(f, today)(row)


def matcher(f: Filter, today: date) -> Callable[[CommitmentRow], bool]:
    """`matches` for one filter, its tests made once for the thousands of rows it reads."""
    tests = _tests(f, today)
    return lambda row: all(test(row) for test in tests)


def own_matcher(f: Filter, today: date) -> Callable[[CommitmentHead], bool]:
    """The parts of `f` a commitment's own fields answer (all but goal, outcome, sprint)."""
    tests = _own_tests(f, today)
    return lambda head: all(test(head) for test in tests)


def reach_matcher(f: Filter) -> Callable[[CommitmentRow], bool] | None:
    """The parts of `f` only a derived row answers (goal, outcome, sprint); None if unset."""
    tests = _reach_tests(f)
    return (lambda row: all(test(row) for test in tests)) if tests else None


Test = Callable[[Any], bool]  # a CommitmentRow, or for the own tests any CommitmentHead


def _tests(f: Filter, today: date) -> list[Test]:
    return _own_tests(f, today) + _reach_tests(f)


def _own_tests(f: Filter, today: date) -> list[Test]:
    """One test per part of `f` that is set, the cheap ones first: a list re-filtered per
    keystroke skips the parts nobody set and reads few rows by the last test."""
    tests: list[Test] = []
    for allowed, column in ((f.statuses, "status"), (f.types, "type"), (f.priorities, "priority")):
        if allowed:
            tests.append(_field_in(column, allowed))
    if f.overdue:
        tests.append(lambda r: r.overdue)
    if f.session is not None:
        tests.append(_from_session(f.session))
    if f.due_within is not None:
        tests.append(_due_between(today, f.due_within))
    needle = f.search.strip().casefold()
    if needle:
        tests.append(lambda r: _mentions(r, needle))
    return tests


def _reach_tests(f: Filter) -> list[Test]:
    tests: list[Test] = []
    for wanted, refs in ((f.goal, "goals"), (f.outcome, "outcomes"), (f.sprint, "sprints")):
        if wanted is not None:
            tests.append(_reaches(refs, wanted))
    return tests


def _from_session(session_id: str) -> Test:
    return lambda r: r.session is not None and r.session.id == session_id


def _field_in(column: str, allowed: frozenset[str]) -> Test:
    return lambda r: getattr(r, column) in allowed


def _reaches(refs: str, item_id: str) -> Test:
    """Whether the row's `refs` ("goals", "outcomes", "sprints") include the item."""
    return lambda r: any(x.id == item_id for x in getattr(r, refs))


def _due_between(first: date, days: int) -> Test:
    """Due from `first` to `days` days on, both ends included (any status: --status narrows)."""
    low, high = first.isoformat(), (first + timedelta(days=days)).isoformat()
    return lambda r: r.due is not None and low <= r.due <= high


def _mentions(row: CommitmentHead, needle: str) -> bool:
    """Whether the title or description contains `needle` (already casefolded)."""
    return needle in row.title.casefold() or needle in row.description.casefold()


def sentence(f: Filter, titles: Mapping[str, str]) -> str:
    """The filter read as a sentence, e.g. "Overdue commitments of goal 'Lead a team' in Sprint 2".

    `titles` gives the title of each id the filter names (goal, outcome, sprint, session).

    Examples
    --------
    >>> sentence(Filter(goal="g1", sprint="s2", overdue=True), {"g1": "Lead a team",
    ...     "s2": "Sprint 2"})
    "Overdue commitments of goal 'Lead a team' in Sprint 2"
    >>> sentence(Filter(), {})
    'All commitments'
    >>> sentence(Filter(statuses=frozenset({"active", "in_progress"}), due_within=7), {})
    'Commitments with status active or in progress, due within 7 days'
    """
    if f.is_empty():
        return "All commitments"
    head = "Overdue commitments" if f.overdue else "Commitments"
    where, which = _where(f, titles), _which(f)
    tail = " ".join(where) + (", " if where and which else "") + ", ".join(which)
    return f"{head} {tail}".rstrip()


def _where(f: Filter, titles: Mapping[str, str]) -> list[str]:
    """Where in the hierarchy, in a fixed order so one filter reads one way."""
    name = lambda item_id: titles.get(item_id, item_id)  # noqa: E731
    parts = []
    if f.goal:
        parts.append(f"of goal '{name(f.goal)}'")
    if f.outcome:
        parts.append(f"for outcome '{name(f.outcome)}'")
    if f.sprint:
        parts.append(f"in {name(f.sprint)}")
    if f.session:
        parts.append(f"from session '{name(f.session)}'")
    return parts


def _which(f: Filter) -> list[str]:
    """Which of them by their own fields: status, type, priority, due date, text."""
    parts = [
        f"with {label} {_either(values)}"
        for label, values in (("status", f.statuses), ("type", f.types), ("priority", f.priorities))
        if values
    ]
    if f.due_within is not None:
        parts.append(f"due within {_days(f.due_within)}")
    if f.search.strip():
        parts.append(f"mentioning '{f.search.strip()}'")
    return parts


def _either(values: frozenset[str]) -> str:
    """'active or in progress': the values in a fixed order, as words."""
    words = [v.replace("_", " ") for v in sorted(values)]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
