"""What changed for a client in a period ("since last session"), from the audit log and the
current state: commitments completed, added and now overdue; each goal's and outcome's
progress then and now; items trashed or restored; links added or removed.

The state at a past time is the current state with the later changes undone: an item (or
link) that changed at or after time T stood at T as the *before* of its first such change.
One that did not change since T is as it is now, unless it was created at or after T (a JSON
import writes one audit row for all its rows, not one per row). One that is gone now and did
not change since T stood as its last change before T left it; that is how a link removed by a
purge's cascade, which writes no row of its own, comes back. A link stands only while both of
its ends exist, as the foreign keys' cascade makes it. The progress "then" is `rollup` run on
the hierarchy as it stood then.

Plain data in, plain data out: `store.digest` turns audit rows into `Change` records.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from graph.commitments import is_overdue
from graph.model import COMMITMENT, GOAL, NODE_KINDS, OUTCOME, Hierarchy, Item, Link
from graph.rollup import percent, rollup_of

Record = Item | Link
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One audit row: when (`at`, then `seq` for rows of one instant), what, before and after.

    `before` and `after` are None where the row did not exist (a create, a purge, an unlink).
    """

    at: str
    seq: int
    action: str
    id: str
    before: Record | None
    after: Record | None


@dataclass(frozen=True)
class Period:
    """From `start` (included) to `end` (excluded; None is now), as ISO-8601 UTC times.

    `as_of` is the day "overdue" is judged on at the end; `label` reads the period to a person.
    """

    start: str
    end: str | None
    as_of: date
    label: str


@dataclass(frozen=True)
class Entry:
    """An item the digest names."""

    id: str
    kind: str
    title: str
    due: str | None = None


@dataclass(frozen=True)
class Progress:
    """A goal's or outcome's progress at the start (None: it was not live then) and the end."""

    id: str
    kind: str
    title: str
    then: float | None
    now: float


@dataclass(frozen=True)
class LinkEntry:
    """A link the digest names, by its two ends."""

    id: str
    kind: str
    upper: Entry
    lower: Entry


@dataclass(frozen=True)
class Digest:
    client: str
    period: Period
    completed: list[Entry] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    overdue: list[Entry] = field(default_factory=list)
    goals: list[Progress] = field(default_factory=list)
    outcomes: list[Progress] = field(default_factory=list)
    trashed: list[Entry] = field(default_factory=list)
    restored: list[Entry] = field(default_factory=list)
    links_added: list[LinkEntry] = field(default_factory=list)
    links_removed: list[LinkEntry] = field(default_factory=list)

    def is_quiet(self) -> bool:
        """Whether nothing happened in the period (progress lines alone are no news)."""
        news = (self.completed, self.added, self.trashed, self.restored)
        return not any(news) and not self.links_added and not self.links_removed


# ---------------------------------------------------------------- the state at a time


def state_at(h: Hierarchy, changes: Sequence[Change], at: str) -> Hierarchy:
    """The hierarchy as it stood just before `at`, from the current one and the changes.

    Examples
    --------
    >>> from graph.examples import commitment, hierarchy
    >>> now = hierarchy([commitment("c1", "Run", status="completed", created_at="2024-01-01")])
    >>> then_item = commitment("c1", "Run", status="active", created_at="2024-01-01")
    >>> done = Change("2024-02-01T09:00", 1, "update", "c1", then_item, now.items["c1"])
    >>> state_at(now, [done], "2024-01-15").items["c1"].fields["status"]
    'active'
    >>> state_at(now, [done], "2024-03-01").items["c1"].fields["status"]
    'completed'
    """
    first_after, last_before = _around(changes, at, lambda c: (c.at, c.seq, c.id))
    current: dict[str, Record] = {**h.items, **{link.id: link for link in h.links}}
    records = {}
    for record_id in current.keys() | first_after.keys() | last_before.keys():
        record = _record_at(record_id, current, first_after, last_before, at)
        if record is not None:
            records[record_id] = record
    return hierarchy_of(h, records)


def _around(rows: Iterable[T], at: str, key: Callable[[T], tuple[str, int, str]]):
    """Per record id, its first row at or after `at` and its last row before it: the only
    rows `state_at` reads. `key` gives a row's (time, sequence, record id)."""
    first_after: dict[str, T] = {}
    last_before: dict[str, T] = {}
    for row in sorted(rows, key=key):
        when, _seq, record_id = key(row)
        if when >= at:
            first_after.setdefault(record_id, row)
        else:
            last_before[record_id] = row
    return first_after, last_before


def needed(
    keys: Iterable[tuple[str, int, str]], times: Iterable[str], current: Container[str] = ()
) -> set[int]:
    """The sequence numbers of the rows `state_at` reads for each of `times`, given each row's
    (time, sequence, record id) and the ids of the current records (a record's last row
    before a time is read only when it is gone now): a caller decodes only those (a year has
    many more, and every item's creation row is one).

    Examples
    --------
    >>> rows = [("2024-01-05", 1, "c1"), ("2024-02-05", 2, "c1"), ("2024-02-07", 3, "c1")]
    >>> sorted(needed(rows, ["2024-02-01"])), sorted(needed(rows, ["2024-02-01"], {"c1"}))
    ([1, 2], [2])
    """
    rows_of: dict[str, list[tuple[str, int]]] = {}  # record id -> its (time, seq), in order
    for when, seq, record_id in sorted(keys):
        rows_of.setdefault(record_id, []).append((when, seq))
    found: set[int] = set()
    for record_id, rows in rows_of.items():
        whens = [when for when, _seq in rows]
        gone = record_id not in current
        for at in times:
            first_after = bisect.bisect_left(whens, at)  # _around's rule, record by record
            if first_after < len(rows):
                found.add(rows[first_after][1])
            if gone and first_after > 0:
                found.add(rows[first_after - 1][1])
    return found


def _record_at(
    record_id: str,
    current: dict[str, Record],
    first_after: dict[str, Change],
    last_before: dict[str, Change],
    at: str,
) -> Record | None:
    """One record as it stood just before `at` (None: it did not exist)."""
    if record_id in first_after:
        return first_after[record_id].before
    if record_id in current:
        record = current[record_id]
        return None if created_since(record, at) else record
    return last_before[record_id].after


def created_since(record: Record, at: str) -> bool:
    """Whether an item was made at or after `at` (links carry no creation time here)."""
    created = (record.fields.get("created_at") if isinstance(record, Item) else None) or ""
    return created != "" and created >= at


def hierarchy_of(h: Hierarchy, records: dict[str, Record]) -> Hierarchy:
    """A Hierarchy of `records`, keeping only links whose two ends exist (the FK cascade)."""
    items = {k: r for k, r in records.items() if isinstance(r, Item)}
    links = [r for r in records.values() if isinstance(r, Link)]
    kept = [link for link in links if link.upper in items and link.lower in items]
    return dataclasses.replace(h, items=items, links=sorted(kept, key=lambda link: link.id))


# ---------------------------------------------------------------- the digest


def digest(
    h: Hierarchy,
    changes: Sequence[Change],
    period: Period,
    client: str = "",
    progress: tuple[dict[str, float], dict[str, float]] | None = None,
) -> Digest:
    """What changed in `period`, given the current hierarchy and the changes since its start
    (`progress`: the goals' and outcomes' rolled-up progress at the period's start and end,
    if the caller has them).

    Examples
    --------
    >>> from datetime import date
    >>> from graph.examples import commitment, hierarchy
    >>> now = hierarchy([commitment("c1", "Run", status="active", created_at="2024-02-01")])
    >>> made = Change("2024-02-01", 1, "create", "c1", None, now.items["c1"])
    >>> d = digest(now, [made], Period("2024-01-15", None, date(2024, 3, 1), "Since 15 Jan"))
    >>> [e.title for e in d.added], d.completed
    (['Run'], [])
    """
    then = state_at(h, changes, period.start)
    now = h if period.end is None else state_at(h, changes, period.end)
    # One roll-up of each state serves every goal and outcome (the costly part at 10,000 items).
    values = (rollup_of(then), rollup_of(now)) if progress is None else progress
    return Digest(
        client=client,
        period=period,
        completed=_completed(then, now),
        added=_entries(i for i in _live(now, COMMITMENT) if i.id not in then.items),
        overdue=_entries(i for i in _live(now, COMMITMENT) if is_overdue(i.fields, period.as_of)),
        goals=_progress(now, values, GOAL),
        outcomes=_progress(now, values, OUTCOME),
        trashed=_entries(i for i in _all_live(then) if not _is_live(now, i.id)),
        restored=_entries(i for i in _all_live(now) if _is_in_trash(then, i.id)),
        links_added=_links(now, then, now),
        links_removed=_links(then, now, now, gone_with_an_end=False),
    )


def _live(h: Hierarchy, kind: str) -> list[Item]:
    return [i for i in h.items.values() if i.kind == kind and not i.deleted]


def _all_live(h: Hierarchy) -> list[Item]:
    return [i for i in h.items.values() if i.kind in NODE_KINDS and not i.deleted]


def _is_live(h: Hierarchy, item_id: str) -> bool:
    item = h.items.get(item_id)
    return item is not None and not item.deleted


def _is_in_trash(h: Hierarchy, item_id: str) -> bool:
    item = h.items.get(item_id)
    return item is not None and item.deleted


def _completed(then: Hierarchy, now: Hierarchy) -> list[Entry]:
    """Live commitments completed now that were not completed (or not there) at the start."""
    done = [i for i in _live(now, COMMITMENT) if i.fields.get("status") == "completed"]
    return _entries(i for i in done if _status(then, i.id) != "completed")


def _status(h: Hierarchy, item_id: str) -> str | None:
    item = h.items.get(item_id)
    return None if item is None else item.fields.get("status")


def _entries(items: Iterable[Item]) -> list[Entry]:
    """Entries in kind order (goals first), then title: the same order on every run."""
    order = {kind: n for n, kind in enumerate(NODE_KINDS)}
    found = [Entry(i.id, i.kind, i.title, i.fields.get("target_date") or None) for i in items]
    return sorted(found, key=lambda e: (order.get(e.kind, 9), e.title.casefold(), e.id))


def _progress(
    now: Hierarchy, values: tuple[dict[str, float], dict[str, float]], kind: str
) -> list[Progress]:
    """Every live goal (or outcome) at the end, with its rolled-up progress then and now."""
    before, after = values
    return [
        Progress(e.id, kind, e.title, before.get(e.id), after[e.id])
        for e in _entries(_live(now, kind))
    ]


def _links(
    present: Hierarchy, absent: Hierarchy, end: Hierarchy, gone_with_an_end: bool = True
) -> list[LinkEntry]:
    """Links of `present` that `absent` lacks, by their ends' titles.

    With `gone_with_an_end` False, links that went because an end is gone at the end (purged)
    are left out: the item's own line says it.
    """
    known = {link.id for link in absent.links}
    found = [
        link
        for link in present.links
        if link.id not in known
        and (gone_with_an_end or (link.upper in end.items and link.lower in end.items))
    ]
    entries = [_link_entry(present, link) for link in found]
    return sorted(entries, key=lambda e: (e.kind, e.upper.title.casefold(), e.lower.title, e.id))


def _link_entry(h: Hierarchy, link: Link) -> LinkEntry:
    upper, lower = h.items[link.upper], h.items[link.lower]
    return LinkEntry(
        link.id,
        link.kind,
        Entry(upper.id, upper.kind, upper.title),
        Entry(lower.id, lower.kind, lower.title),
    )


# ---------------------------------------------------------------- reading it


def as_json(d: Digest) -> dict[str, Any]:
    """The digest in the README's `trellis digest --json` shape (progress to one decimal)."""
    return {
        "client": d.client,
        "period": {
            "start": d.period.start,
            "end": d.period.end,
            "as_of": d.period.as_of.isoformat(),
            "label": d.period.label,
        },
        "commitments": {
            "completed": [_entry_json(e) for e in d.completed],
            "added": [_entry_json(e) for e in d.added],
            "overdue": [_entry_json(e) for e in d.overdue],
        },
        "progress": {
            "goals": [_progress_json(p) for p in d.goals],
            "outcomes": [_progress_json(p) for p in d.outcomes],
        },
        "trashed": [_entry_json(e, due=False) for e in d.trashed],
        "restored": [_entry_json(e, due=False) for e in d.restored],
        "links": {
            "added": [_link_json(e) for e in d.links_added],
            "removed": [_link_json(e) for e in d.links_removed],
        },
    }


def _entry_json(e: Entry, due: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {"kind": e.kind, "id": e.id, "title": e.title}
    return found | {"due": e.due} if due else found


def _progress_json(p: Progress) -> dict[str, Any]:
    then = None if p.then is None else round(p.then, 1)
    return {"id": p.id, "title": p.title, "then": then, "now": round(p.now, 1)}


def _link_json(e: LinkEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind,
        "upper": _entry_json(e.upper, False),
        "lower": _entry_json(e.lower, False),
    }


def lines(d: Digest) -> list[str]:
    """The digest as plain text lines, for a terminal.

    Examples
    --------
    >>> from datetime import date
    >>> d = Digest("Maya", Period("2024-01-15", None, date(2024, 3, 1), "Since 15 Jan"),
    ...            completed=[Entry("c1", "commitment", "Run")])
    >>> print("\\n".join(lines(d)))
    Maya: Since 15 Jan
    Completed (1):
      - Run
    """
    out = [f"{d.client}: {d.period.label}" if d.client else d.period.label]
    for heading, entries in _commitment_sections(d):
        out += [f"{heading} ({len(entries)}):"] + [f"  - {_entry_text(e)}" for e in entries]
    for heading, rows in (("Goals", d.goals), ("Outcomes", d.outcomes)):
        if rows:
            out += [f"{heading}:"] + [f"  - {p.title}: {_change_text(p)}" for p in rows]
    for heading, link_entries in _link_sections(d):
        out += [f"{heading} ({len(link_entries)}):"] + [
            f"  - {_link_text(e)}" for e in link_entries
        ]
    if d.is_quiet() and not d.overdue:
        out.append("Nothing changed in this period.")
    return out


def _commitment_sections(d: Digest) -> list[tuple[str, list[Entry]]]:
    """The non-empty item sections, in reading order."""
    sections = [
        ("Completed", d.completed),
        ("Added", d.added),
        ("Now overdue", d.overdue),
        ("Moved to the trash", d.trashed),
        ("Restored from the trash", d.restored),
    ]
    return [(heading, entries) for heading, entries in sections if entries]


def _link_sections(d: Digest) -> list[tuple[str, list[LinkEntry]]]:
    sections = [("Links added", d.links_added), ("Links removed", d.links_removed)]
    return [(heading, entries) for heading, entries in sections if entries]


def _entry_text(e: Entry) -> str:
    """'Run 5k (due 2024-02-01)'; items of other kinds than commitments say their kind."""
    name = e.title if e.kind == COMMITMENT else f"{e.kind} '{e.title}'"
    return f"{name} (due {e.due})" if e.due else name


def _change_text(p: Progress) -> str:
    """'40% → 55%', '40% (no change)' or '55% (new)'."""
    if p.then is None:
        return f"{percent(p.now)} (new)"
    if round(p.then, 1) == round(p.now, 1):
        return f"{percent(p.now)} (no change)"
    return f"{percent(p.then)} → {percent(p.now)}"


def _link_text(e: LinkEntry) -> str:
    return f"{e.lower.kind} '{e.lower.title}' → {e.upper.kind} '{e.upper.title}'"


def markdown(d: Digest) -> str:
    """The digest as Markdown for an email: a heading, then a short list per section.

    User text is escaped, so a title with '*' or '_' reads as written.

    Examples
    --------
    >>> from datetime import date
    >>> d = Digest("Maya", Period("2024-01-15", None, date(2024, 3, 1), "Since 15 Jan"),
    ...            added=[Entry("c1", "commitment", "Read *Deep Work*")])
    >>> print(markdown(d))
    ## Maya: Since 15 Jan
    <BLANKLINE>
    **Added** (1)
    <BLANKLINE>
    - Read \\*Deep Work\\*
    """
    head = f"{d.client}: {d.period.label}" if d.client else d.period.label
    blocks = [f"## {md(head)}"]
    for heading, entries in _commitment_sections(d):
        items = [f"- {md(_entry_text(e))}" for e in entries]
        blocks.append(f"**{heading}** ({len(entries)})\n\n" + "\n".join(items))
    for heading, rows in (("Goals", d.goals), ("Outcomes", d.outcomes)):
        if rows:
            items = [f"- {md(p.title)}: {_change_text(p)}" for p in rows]
            blocks.append(f"**{heading}**\n\n" + "\n".join(items))
    for heading, link_entries in _link_sections(d):
        items = [f"- {md(_link_text(e))}" for e in link_entries]
        blocks.append(f"**{heading}** ({len(link_entries)})\n\n" + "\n".join(items))
    if d.is_quiet() and not d.overdue:
        blocks.append("Nothing changed in this period.")
    return "\n\n".join(blocks)


# Characters Markdown reads as markup inside a line; a backslash makes each one literal ('&'
# would start an entity: "&amp;" reads as "&").
_MARKUP = set("\\`*_[]<>|~&")
# What makes a line's start a block (a heading, a list, a rule) once it follows "- " or "## ",
# and the '#'s a heading would drop at its end: the backslash goes before the group named.
_BLOCK_START = re.compile(r"^(?:[#+-]|[0-9]{1,9}(?=[.)]))")
_HEADING_END = re.compile(r"(?<= )#+$")


def md(text: str) -> str:
    """`text` with Markdown's markup characters escaped and line breaks made spaces.

    Examples
    --------
    >>> print(md("Ship <v1> *now* & then"))
    Ship \\<v1\\> \\*now\\* \\& then
    >>> print(md("1. Plan the week #"))
    1\\. Plan the week \\#
    """
    flat = " ".join(text.split())
    escaped = "".join(f"\\{c}" if c in _MARKUP else c for c in flat)
    escaped = _HEADING_END.sub(lambda m: "\\#" * len(m[0]), escaped)
    found = _BLOCK_START.match(escaped)
    if found is None:
        return escaped
    if found[0].isdigit():  # "1." or "1)": the punctuation after the number
        cut = found.end()
        return f"{escaped[:cut]}\\{escaped[cut:]}"
    return f"\\{escaped}"
