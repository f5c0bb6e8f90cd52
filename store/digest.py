""" "Since last session" for one client: the period a person asks for, the audit rows since its
start (read with `WHERE root_id = ? AND at >= ?`, the log's own index), turned into
graph.digest's records, and the digest itself.

Periods run between sessions by the day they were held: a session's period starts at local
midnight of its day and ends at local midnight of the next session's day, so the commitments
made in a session count as added in its period, and each moment belongs to one period.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import orjson

from graph.digest import Change, Digest, Period, Record, digest, needed
from graph.model import NODE_KINDS, Hierarchy, Link
from store import models as m
from store import ops
from store.collecting import paused_gc
from store.errors import NotFound, ValidationError
from store.history import link_history
from store.load import as_item, fetch, list_sessions, load_hierarchy

AUDIT_COLUMNS = (
    m.AuditLog.id,
    m.AuditLog.at,
    m.AuditLog.action,
    m.AuditLog.entity,
    m.AuditLog.entity_id,
    m.AuditLog.before,
    m.AuditLog.after,
)


# ---------------------------------------------------------------- the period


def day_start(day: date) -> str:
    """Local midnight of `day` as the audit log writes times (ISO-8601 UTC, microseconds).

    At the calendar's ends (0001-01-01, 9999-12-31) Python cannot look up the zone's offset,
    and midnight east of UTC falls before year 1: such a day takes today's offset, and an
    instant beyond the calendar becomes its first (last) one, which no audit time precedes
    (follows) either.
    """
    midnight = datetime.combine(day, time())
    try:
        utc = midnight.astimezone().astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        utc = at_calendar_end(midnight, datetime.now().astimezone().utcoffset() or timedelta())
    return utc.isoformat(timespec="microseconds")


def at_calendar_end(midnight: datetime, offset: timedelta) -> datetime:
    """`midnight` at local `offset` in UTC, clamped to the first or last instant there is."""
    try:
        return (midnight - offset).replace(tzinfo=UTC)
    except OverflowError:
        edge = datetime.min if offset > timedelta() else datetime.max
        return edge.replace(tzinfo=UTC)


def period_since(day: date, today: date) -> Period:
    """From the start of `day` to now; a day after today is refused."""
    if day > today:
        raise ValidationError(f"{day.isoformat()} is after today; give a day up to today.")
    return Period(day_start(day), None, today, f"Since {day.isoformat()}")


def period_of_session(root_id: str, session_id: str, today: date) -> Period:
    """From the day of that session to the day of the next one, or to now if none is later."""
    sessions = list_sessions(root_id)
    session = next((s for s in sessions if s["id"] == session_id), None)
    if session is None:
        raise NotFound(no_such_session(root_id, session_id))
    later = [s for s in sessions if s["held_on"] > session["held_on"]]
    return between(session, later[0] if later else None, today)


def period_between_sessions(
    root_id: str, first_id: str, then_id: str | None, today: date
) -> Period:
    """From the day of one session to the day of a later one (None: to now)."""
    sessions = {s["id"]: s for s in list_sessions(root_id)}
    for wanted in (first_id, then_id):
        if wanted is not None and wanted not in sessions:
            raise NotFound(no_such_session(root_id, wanted))
    first = sessions[first_id]
    then = sessions[then_id] if then_id is not None else None
    if then is not None and then["held_on"] <= first["held_on"]:
        raise ValidationError(
            f"The period cannot end at {session_words(then)}: it is not after "
            f"{session_words(first)}; choose a later session to end it, or now."
        )
    return between(first, then, today)


def period_since_last_session(root_id: str, today: date) -> Period:
    """From the latest session held on or before today, to now."""
    held = [s for s in list_sessions(root_id) if s["held_on"] <= today.isoformat()]
    if not held:
        name = ops.live_client(root_id).name
        raise ValidationError(
            f"{name!r} has had no session yet; pass --since DATE for the period to cover."
        )
    return between(held[-1], None, today)


def between(first: dict[str, Any], then: dict[str, Any] | None, today: date) -> Period:
    """The period from session `first` to session `then` (None: to now)."""
    start = day_start(date.fromisoformat(first["held_on"]))
    label = f"Since {session_words(first)}"
    if then is None:
        return Period(start, None, today, label)
    end_day = date.fromisoformat(then["held_on"])
    return Period(start, day_start(end_day), end_day, f"{label} until {session_words(then)}")


def session_words(row: dict[str, Any]) -> str:
    """'session 'Kick-off' on 2026-01-05', or 'the session on 2026-01-05' when untitled."""
    if row.get("title"):
        return f"session '{row['title']}' on {row['held_on']}"
    return f"the session on {row['held_on']}"


def no_such_session(root_id: str, session_id: str) -> str:
    name = ops.live_client(root_id).name
    held = [s["held_on"] for s in list_sessions(root_id)]
    if not held:
        return f"{name!r} has no sessions, so none has the id {session_id!r}."
    return (
        f"{name!r} has no session with the id {session_id!r}; its sessions were held on "
        f"{', '.join(held[-5:])}{' and earlier' if len(held) > 5 else ''}."
    )


# ---------------------------------------------------------------- the audit rows


def audit_rows(root_id: str, since: str) -> list[dict[str, Any]]:
    """The client's audit rows at or after `since`, oldest first; before/after still JSON text
    (`as_change` decodes the few the digest reads: a year has many more)."""
    query = (
        m.AuditLog.select(*AUDIT_COLUMNS)
        .where((m.AuditLog.root_id == root_id) & (m.AuditLog.at >= since))
        .order_by(m.AuditLog.at, m.AuditLog.id)
    )
    names = [c.name for c in AUDIT_COLUMNS]
    return [dict(zip(names, values, strict=True)) for values in fetch(query)]


def history_rows(root_id: str, since: str = "") -> list[dict[str, Any]]:
    """The client's audit rows from `since` on, with the links a purge cascaded away."""
    rows = audit_rows(root_id, since)
    return rows + cascaded_links(root_id, rows, since)


def loads(data: str | dict[str, Any] | None) -> dict[str, Any] | None:
    """An audited before/after as a dict (None where empty or unreadable)."""
    if isinstance(data, dict) or data is None:
        return data
    try:
        value = orjson.loads(data) if data else None
    except (orjson.JSONDecodeError, TypeError):  # what orjson refuses (NaN, huge numbers)
        try:
            value = json.loads(data)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def cascaded_links(root_id: str, rows: list[dict[str, Any]], since: str) -> list[dict[str, Any]]:
    """Link rows from before `since` of items purged since then.

    A purge deletes the item's links by cascade and writes no row for them, so without these
    rows the period's start would lose those links.
    """
    purged = {r["entity_id"] for r in rows if r["action"] == "purge"}
    return [r for item_id in purged for r in link_history(item_id, root_id) if r["at"] < since]


def is_hierarchy_row(row: dict[str, Any]) -> bool:
    """Whether a row is about an item of the four kinds or a link (not a client, session,
    position or import summary, which say nothing about the hierarchy)."""
    return row["entity"] in NODE_KINDS or row["entity"] in m.LINK_MODELS


def changes(
    rows: list[dict[str, Any]], times: list[str] | None = None, now: Hierarchy | None = None
) -> list[Change]:
    """The hierarchy's rows as graph.digest's Changes; given `times`, only those `state_at`
    reads for them from the current hierarchy `now`."""
    rows = [r for r in rows if is_hierarchy_row(r)]
    if times is not None:
        current = current_ids(now) if now is not None else ()
        keys = [(r["at"], r["id"], r["entity_id"]) for r in rows]
        wanted = needed(keys, times, current)
        rows = [r for r in rows if r["id"] in wanted]
    found = []
    for row in rows:
        change = as_change(row)
        if change is not None:
            found.append(change)
    return found


def current_ids(h: Hierarchy) -> set[str]:
    return h.items.keys() | {link.id for link in h.links}


def as_change(row: dict[str, Any]) -> Change | None:
    """One audit row as a Change; None for rows of other things, or unreadable ones."""
    try:
        before, after = (record(row["entity"], loads(row[key])) for key in ("before", "after"))
    except (KeyError, TypeError, ValueError):
        return None  # an old or hand-edited row: leave it out rather than stop the digest
    return Change(row["at"], row["id"], row["action"], row["entity_id"], before, after)


def record(entity: str, data: dict[str, Any] | None) -> Record | None:
    """An audited row as the graph record it was: an Item, a Link, or None (not there)."""
    if data is None or entity not in NODE_KINDS and entity not in m.LINK_MODELS:
        return None
    if entity in NODE_KINDS:
        return as_item(entity, dict(data))
    return as_link(entity, data)


def as_link(link_kind: str, data: dict[str, Any]) -> Link:
    _model, upper, lower = m.LINK_MODELS[link_kind]
    return Link(
        data["id"],
        link_kind,
        data[f"{upper}_id"],
        data[f"{lower}_id"],
        data["root_id"],
        float(data.get("weight") or 1.0),
    )


# ---------------------------------------------------------------- the digest


def client_digest(root_id: str, period: Period) -> Digest:
    """What changed for the client in `period`, from its audit rows and its current state
    (store.report, which decodes them once for its charts and its digest, calls the parts
    below itself)."""
    client = ops.live_client(root_id)
    with paused_gc():  # a year of rows and two states of the client: all of it kept
        rows = history_rows(root_id, period.start)
        h = load_hierarchy(root_id)
        return digest(h, changes(rows, period_times(period), h), period, client.name)


def period_times(period: Period) -> list[str]:
    """The instants a digest of `period` reconstructs the hierarchy at."""
    return [period.start] if period.end is None else [period.start, period.end]
