"""Consistency findings over one hierarchy, each with a stable code the CLI and UI rely on.

Each rule is its own small function yielding findings; `check` runs them all and sorts the
result (errors first, then by code, then by the items involved) so output is deterministic.
Row-integrity rules (links, roots) look at every row, live or in the trash; the others look at
live items and the links shown between them.

One more code, `bad-value` (error: a stored value the editors' rules refuse), comes from
store.value_check, where those rules live; `trellis check` lists it with these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

import networkx as nx

from graph.build import build, parents
from graph.model import COMMITMENT, GOAL, OUTCOME, SPRINT, Hierarchy, Item, Link

ERROR, WARNING, INFO = "error", "warning", "info"
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

# Every code a finding may carry, with its severity: DESIGN §3's table, plus `bad-value`, which
# store.value_check reports (the field rules live in the store). A Finding with any other code or
# severity cannot be made, so this table and what `check` reports never drift apart.
CODES = {
    "cross-root-link": ERROR,
    "root-mismatch": ERROR,
    "dangling-link": ERROR,
    "sprint-dates-invalid": ERROR,
    "bad-value": ERROR,
    "outcome-without-goal": WARNING,
    "sprint-without-outcome": WARNING,
    "commitment-without-outcome": WARNING,
    "sprint-overlap": WARNING,
    "commitment-outside-sprint": WARNING,
    "duplicate-title": WARNING,
    "goal-without-outcome": INFO,
    "link-to-deleted": INFO,
}


@dataclass(frozen=True)
class Finding:
    """One problem (or note) about the hierarchy.

    ``items`` are the item ids involved (ids that exist come first for dangling links);
    ``root_id`` the client it belongs to; ``links`` the link ids involved, if any.
    """

    code: str
    severity: str
    message: str
    items: tuple[str, ...]
    root_id: str
    links: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if CODES.get(self.code) != self.severity:
            raise ValueError(f"{self.code!r} ({self.severity}) is not a finding code in CODES")


class _Scope:
    """The hierarchy plus the views of it that several rules share, computed once."""

    def __init__(self, h: Hierarchy, g: nx.DiGraph | None = None):
        self.h = h
        if g is not None:
            self.g = g

    @cached_property
    def g(self) -> nx.DiGraph:
        """Live items and the links shown between them."""
        return build(self.h)

    @cached_property
    def outcome_spans(self) -> dict[str, dict[str, tuple[date, date]]]:
        """Each live outcome's dated sprints, collected once for every commitment below it."""
        found: dict[str, dict[str, tuple[date, date]]] = defaultdict(dict)
        for sprint in self.live(SPRINT):
            span = _span(sprint)
            if span is None:
                continue
            for outcome in self.g.predecessors(sprint.id):
                found[outcome][sprint.id] = span
        return found

    def live(self, kind: str) -> list[Item]:
        """The live items of one kind."""
        return [i for i in self.h.items.values() if i.kind == kind and not i.deleted]

    def label(self, item_id: str) -> str:
        """How a message names an item: "goal 'Run 10k'" (or its bare id if it is missing)."""
        item = self.h.items.get(item_id)
        return f"{item.kind} '{item.title}'" if item else f"item {item_id}"

    def client(self, root_id: str) -> str:
        """How a message names a client."""
        name = self.h.clients.get(root_id)
        return f"client '{name}'" if name is not None else f"client {root_id}"

    def ends(self, link: Link) -> tuple[Item | None, Item | None]:
        """The link's upper and lower items, None where missing."""
        return self.h.items.get(link.upper), self.h.items.get(link.lower)


def _cap(text: str) -> str:
    """The text with its first letter upper-case, for the start of a sentence."""
    return text[:1].upper() + text[1:]


# -- row integrity ---------------------------------------------------------------------------


def cross_root_links(s: _Scope) -> Iterator[Finding]:
    """Links whose two ends belong to different clients."""
    for link in s.h.links:
        upper, lower = s.ends(link)
        if upper and lower and upper.root_id != lower.root_id:
            message = (
                f"{_cap(s.label(upper.id))} ({s.client(upper.root_id)}) is linked to "
                f"{s.label(lower.id)} ({s.client(lower.root_id)}); links stay within one client."
            )
            yield Finding(
                "cross-root-link", ERROR, message, (upper.id, lower.id), link.root_id, (link.id,)
            )


def root_mismatches(s: _Scope) -> Iterator[Finding]:
    """Items filed under no known client, and links filed under a client their ends are not in."""
    yield from _items_without_client(s)
    yield from _links_off_root(s)


def _items_without_client(s: _Scope) -> Iterator[Finding]:
    """Items whose root_id names no client; skipped when the hierarchy names no clients."""
    if not s.h.clients:
        return
    for item in s.h.items.values():
        if item.root_id not in s.h.clients:
            client = s.client(item.root_id)
            message = f"{_cap(s.label(item.id))} belongs to {client}, which does not exist."
            yield Finding("root-mismatch", ERROR, message, (item.id,), item.root_id)


def _links_off_root(s: _Scope) -> Iterator[Finding]:
    """Links whose root_id differs from that of both (same-client) ends."""
    for link in s.h.links:
        upper, lower = s.ends(link)
        if upper and lower and upper.root_id == lower.root_id != link.root_id:
            message = (
                f"The link between {s.label(upper.id)} and {s.label(lower.id)} is filed under "
                f"{s.client(link.root_id)}, but both belong to {s.client(upper.root_id)}."
            )
            yield Finding(
                "root-mismatch", ERROR, message, (upper.id, lower.id), upper.root_id, (link.id,)
            )


def dangling_links(s: _Scope) -> Iterator[Finding]:
    """Links with an end that is not in the hierarchy at all."""
    for link in s.h.links:
        missing = [end for end in (link.upper, link.lower) if end not in s.h.items]
        if not missing:
            continue
        present = tuple(end for end in (link.upper, link.lower) if end in s.h.items)
        if present:
            message = (
                f"A link from {s.label(present[0])} points at item {missing[0]}, "
                "which does not exist."
            )
        else:
            message = f"A link joins items {link.upper} and {link.lower}, neither of which exists."
        yield Finding("dangling-link", ERROR, message, present, link.root_id, (link.id,))


def as_date(value: Any) -> date | None:
    """A date from an ISO string (a time part is ignored), a date, or nothing.

    Raises ValueError for text that is not a date.

    Examples
    --------
    >>> as_date("2024-03-01"), as_date(""), as_date("2024-03-01T10:00:00")
    (datetime.date(2024, 3, 1), None, datetime.date(2024, 3, 1))
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _safe_date(value: Any) -> date | None:
    """`as_date`, with unreadable text treated as no date."""
    try:
        return as_date(value)
    except ValueError:
        return None


def _span(item: Item) -> tuple[date, date] | None:
    """A sprint's (start, end) when both are readable dates and end is not before start."""
    start, end = _safe_date(item.fields.get("start_date")), _safe_date(item.fields.get("end_date"))
    if start is None or end is None or end < start:
        return None
    return start, end


def invalid_sprint_dates(s: _Scope) -> Iterator[Finding]:
    """Live sprints that end before they start, or whose dates cannot be read."""
    for sprint in s.live(SPRINT):
        problem = _date_problem(sprint)
        if problem:
            message = f"{_cap(s.label(sprint.id))} {problem}."
            yield Finding("sprint-dates-invalid", ERROR, message, (sprint.id,), sprint.root_id)


def _date_problem(sprint: Item) -> str | None:
    """What is wrong with a sprint's dates, or None."""
    raw = {name: sprint.fields.get(name) for name in ("start_date", "end_date")}
    try:
        start, end = (as_date(v) for v in raw.values())
    except ValueError:
        return (
            f"has a date that is not a date (start {raw['start_date']!r}, end {raw['end_date']!r})"
        )
    if start and end and end < start:
        return f"ends on {end} before it starts on {start}"
    return None


# -- shape of the hierarchy -----------------------------------------------------------------


def _without(s: _Scope, kind: str, upper_kind: str, code: str, tail: str) -> Iterator[Finding]:
    """Live items of `kind` with no live parent of `upper_kind`."""
    for item in s.live(kind):
        if not parents(s.g, item.id, upper_kind):
            message = f"{_cap(s.label(item.id))} {tail}"
            yield Finding(code, WARNING, message, (item.id,), item.root_id)


def outcomes_without_goal(s: _Scope) -> Iterator[Finding]:
    """Live outcomes that serve no live goal."""
    tail = "serves no goal: link it to the goal it moves forward."
    return _without(s, OUTCOME, GOAL, "outcome-without-goal", tail)


def sprints_without_outcome(s: _Scope) -> Iterator[Finding]:
    """Live sprints that work on no live outcome."""
    tail = "works on no outcome: link it to the outcomes it moves forward."
    return _without(s, SPRINT, OUTCOME, "sprint-without-outcome", tail)


def commitments_without_outcome(s: _Scope) -> Iterator[Finding]:
    """Live commitments that serve no live outcome."""
    tail = "serves no outcome: link it to the outcome it moves forward."
    return _without(s, COMMITMENT, OUTCOME, "commitment-without-outcome", tail)


def goals_without_outcome(s: _Scope) -> Iterator[Finding]:
    """Live goals with no live outcome yet (a note, not a problem)."""
    for goal in s.live(GOAL):
        if not any(s.g.nodes[c]["kind"] == OUTCOME for c in s.g.successors(goal.id)):
            message = (
                f"{_cap(s.label(goal.id))} has no outcomes yet: "
                "add one to say how it will be reached."
            )
            yield Finding("goal-without-outcome", INFO, message, (goal.id,), goal.root_id)


def links_to_deleted(s: _Scope) -> Iterator[Finding]:
    """Links hidden because an end is in the trash; restoring it brings the link back."""
    for link in s.h.links:
        upper, lower = s.ends(link)
        if upper and lower and (upper.deleted or lower.deleted):
            trashed = (
                "both are"
                if upper.deleted and lower.deleted
                else (f"{s.label(upper.id if upper.deleted else lower.id)} is")
            )
            message = (
                f"The link between {s.label(upper.id)} and {s.label(lower.id)} is hidden while "
                f"{trashed} in the trash; restoring brings it back."
            )
            yield Finding(
                "link-to-deleted", INFO, message, (upper.id, lower.id), link.root_id, (link.id,)
            )


# -- time -----------------------------------------------------------------------------------


def _fmt(span: tuple[date, date]) -> str:
    """A date range for messages."""
    return f"{span[0]} to {span[1]}"


def sprint_overlaps(s: _Scope) -> Iterator[Finding]:
    """Pairs of live sprints of one client whose date ranges overlap.

    Dates are whole days, so sharing any day is an overlap, except that a sprint may start on
    the day the previous one ends: a hand-over day is common and not a conflict.
    """
    by_root: dict[str, list[tuple[tuple[date, date], Item]]] = defaultdict(list)
    for sprint in s.live(SPRINT):
        span = _span(sprint)
        if span:
            by_root[sprint.root_id].append((span, sprint))
    for root_id, sprints in by_root.items():
        for (span_a, a), (span_b, b) in _overlapping(sprints):
            message = (
                f"{_cap(s.label(a.id))} ({_fmt(span_a)}) and {s.label(b.id)} ({_fmt(span_b)}) "
                "overlap in time."
            )
            yield Finding("sprint-overlap", WARNING, message, (a.id, b.id), root_id)


def _overlapping(sprints: list[tuple[tuple[date, date], Item]]) -> Iterator[tuple[Any, Any]]:
    """Every overlapping pair, earlier start first, by a sweep over start dates."""
    ordered = sorted(sprints, key=lambda pair: (pair[0], pair[1].id))
    open_: list[tuple[tuple[date, date], Item]] = []
    for current in ordered:
        open_ = [earlier for earlier in open_ if earlier[0][1] > current[0][0]]
        yield from ((earlier, current) for earlier in open_)
        open_.append(current)


def commitments_outside_sprints(s: _Scope) -> Iterator[Finding]:
    """Live commitments whose target date falls outside every dated sprint they reach."""
    for commitment in s.live(COMMITMENT):
        due = _safe_date(commitment.fields.get("target_date"))
        spans = _sprint_spans(s, commitment.id)
        if due is None or not spans or any(a <= due <= b for a, b in spans.values()):
            continue
        listed = ", ".join(f"'{s.h.items[i].title}' ({_fmt(span)})" for i, span in spans.items())
        message = (
            f"{_cap(s.label(commitment.id))} is due {due}, "
            f"outside every sprint it reaches: {listed}."
        )
        items = (commitment.id, *spans)
        yield Finding("commitment-outside-sprint", WARNING, message, items, commitment.root_id)


def _sprint_spans(s: _Scope, commitment_id: str) -> dict[str, tuple[date, date]]:
    """The commitment's sprints that have valid dates, by id in id order."""
    spans: dict[str, tuple[date, date]] = {}
    for outcome in s.g.predecessors(commitment_id):
        spans.update(s.outcome_spans.get(outcome, {}))
    return dict(sorted(spans.items()))


# -- names ----------------------------------------------------------------------------------


def _title_key(title: str) -> str:
    """Titles compare trimmed and case-insensitively: " Run 10K" == "run 10k"."""
    return title.strip().casefold()


def duplicate_titles(s: _Scope) -> Iterator[Finding]:
    """Live goals (and, separately, outcomes) of one client sharing a title."""
    for kind in (GOAL, OUTCOME):
        groups: dict[tuple[str, str], list[Item]] = defaultdict(list)
        for item in s.live(kind):
            groups[item.root_id, _title_key(item.title)].append(item)
        for (root_id, _key), same in groups.items():
            if len(same) > 1:
                yield _duplicate(s, kind, root_id, same)


def _duplicate(s: _Scope, kind: str, root_id: str, same: list[Item]) -> Finding:
    """The finding for one group of same-titled items."""
    ids = tuple(sorted(i.id for i in same))
    message = (
        f"{len(same)} {kind}s of {s.client(root_id)} share the title '{same[0].title.strip()}': "
        "rename all but one so they can be told apart."
    )
    return Finding("duplicate-title", WARNING, message, ids, root_id)


# -- all together -----------------------------------------------------------------------------

# Each rule with the one code it reports, so a view that shows only some codes runs only those.
RULES: tuple[tuple[str, Callable[[_Scope], Iterable[Finding]]], ...] = (
    ("cross-root-link", cross_root_links),
    ("root-mismatch", root_mismatches),
    ("dangling-link", dangling_links),
    ("sprint-dates-invalid", invalid_sprint_dates),
    ("outcome-without-goal", outcomes_without_goal),
    ("sprint-without-outcome", sprints_without_outcome),
    ("commitment-without-outcome", commitments_without_outcome),
    ("sprint-overlap", sprint_overlaps),
    ("commitment-outside-sprint", commitments_outside_sprints),
    ("duplicate-title", duplicate_titles),
    ("goal-without-outcome", goals_without_outcome),
    ("link-to-deleted", links_to_deleted),
)


def _order(finding: Finding) -> tuple[int, str, tuple[str, ...], str]:
    """Errors first, then warnings, then notes; within each, by code and items."""
    return (_SEVERITY_ORDER[finding.severity], finding.code, finding.items, finding.message)


def check(
    h: Hierarchy, g: nx.DiGraph | None = None, codes: Iterable[str] | None = None
) -> list[Finding]:
    """Every finding about `h` (or only those with one of `codes`), errors first, in a
    deterministic order.

    Pass `g` when the caller has already built `build(h)`, to save building it again.

    Examples
    --------
    >>> from graph.examples import commitment, hierarchy, tiny
    >>> check(tiny())
    []
    >>> h = tiny()
    >>> h.items["c9"] = commitment("c9", "Floss")
    >>> [(f.code, f.severity, f.items) for f in check(h)]
    [('commitment-without-outcome', 'warning', ('c9',))]
    >>> print(check(h)[0].message)
    Commitment 'Floss' serves no outcome: link it to the outcome it moves forward.
    >>> check(h, codes=["sprint-overlap"])
    []
    """
    wanted = set(CODES if codes is None else codes)
    scope = _Scope(h, g)
    found = (f for code, rule in RULES if code in wanted for f in rule(scope))
    return sorted(found, key=_order)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error (the CLI then exits 1).

    Examples
    --------
    >>> has_errors([Finding("sprint-overlap", "warning", "...", ("s1", "s2"), "ann")])
    False
    """
    return any(f.severity == ERROR for f in findings)
