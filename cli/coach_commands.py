"""`trellis commitments` and `trellis digest`: the coach's list and "since last session".

Both read only. Every refusal is one sentence and exit 2 (cli.main turns the store's typed
errors into that); user text goes out through cli.output's escaping.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from cli.core import open_existing, print_json
from cli.output import shown
from graph import digest as digests
from graph.commitments import CommitmentRow, Filter, sentence
from store import coach
from store import digest as store_digest
from store import models as m
from store.errors import ValidationError

EXIT_OK = 0
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# column heading -> (widest it may get, how a row fills it)
COLUMNS: dict[str, tuple[int, Any]] = {
    "title": (36, lambda r: r.title),
    "status": (11, lambda r: r.status),
    "priority": (8, lambda r: r.priority),
    "type": (10, lambda r: r.type),
    "due": (10, lambda r: r.due or ""),
    "outcomes": (28, lambda r: "; ".join(o.title for o in r.outcomes)),
    "goals": (28, lambda r: "; ".join(g.title for g in r.goals)),
    "sprints": (24, lambda r: "; ".join(s.title for s in r.sprints)),
    "session": (24, lambda r: r.session.title if r.session else ""),
}


def register(sub, common) -> None:
    """Add `commitments` and `digest` to the `trellis` parser."""
    p = sub.add_parser(
        "commitments",
        parents=[common],
        help="list a client's commitments, filtered through outcomes",
        description="Filters combine: a commitment must pass all of them. --goal, --outcome, "
        "--sprint and --session take an id or an exact title. A commitment is in a goal or "
        "sprint only through one of its live outcomes.",
    )
    p.add_argument("--client", metavar="NAME", help="the client (needed when there are several)")
    for kind in ("goal", "outcome", "sprint", "session"):
        p.add_argument(f"--{kind}", metavar="X", help=f"only those of this {kind} (id or title)")
    p.add_argument("--status", metavar="S", help="only these statuses, comma-separated")
    p.add_argument("--type", metavar="T", help="only these types, comma-separated")
    p.add_argument("--priority", metavar="P", help="only these priorities, comma-separated")
    p.add_argument("--overdue", action="store_true", help="only those due before today, not done")
    p.add_argument("--due-within", metavar="DAYS", help="only those due from today to DAYS on")
    p.add_argument("--search", metavar="TEXT", help="only those whose title or notes mention TEXT")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(handler=cmd_commitments)

    p = sub.add_parser(
        "digest",
        parents=[common],
        help="what changed for a client since the last session (or a date, or any session)",
    )
    p.add_argument("--client", metavar="NAME", help="the client (needed when there are several)")
    p.add_argument("--since", metavar="DATE", help="from this day (YYYY-MM-DD) to now")
    p.add_argument("--session", metavar="ID", help="from this session to the next one (or now)")
    p.add_argument("--json", action="store_true", help="print the digest as JSON")
    p.add_argument("--markdown", action="store_true", help="print Markdown for an email")
    p.set_defaults(handler=cmd_digest)


# ---------------------------------------------------------------- commitments


def cmd_commitments(args) -> int:
    wanted = checked_filter_parts(args)  # bad arguments are refused before the file opens
    open_existing(args.db, "list")
    today = date.today()
    found = coach.load_commitments(coach.client_named(args.client)["id"], today)
    names = {kind: getattr(args, kind) for kind in ("goal", "outcome", "sprint", "session")}
    f = coach.resolved_filter(found, names, **wanted)
    rows = found.filtered(f, today)
    said = sentence(f, found.titles())
    if args.json:
        print_json(commitments_json(found, f, said, rows, today))
    else:
        print_table(f"{said} ({found.client['name']}): {len(rows)}", rows)
    return EXIT_OK


def checked_filter_parts(args) -> dict[str, Any]:
    """The filter's parts that need no database: statuses, types, priorities, days, text."""
    return {
        "statuses": choices("--status", args.status, m.COMMITMENT_STATUSES),
        "types": choices("--type", args.type, m.COMMITMENT_TYPES),
        "priorities": choices("--priority", args.priority, m.PRIORITIES),
        "overdue": args.overdue,
        "due_within": days(args.due_within),
        "search": args.search or "",
    }


def choices(option: str, text: str | None, allowed: tuple[str, ...]) -> frozenset[str]:
    """A comma-separated list of allowed values; an unknown one is refused naming them all."""
    if text is None:
        return frozenset()
    values = {v.strip() for v in text.split(",") if v.strip()}
    wrong = sorted(values - set(allowed))
    if wrong or not values:
        given = repr(wrong[0]) if wrong else "nothing"
        raise ValidationError(f"{option} takes {', '.join(allowed)} (got {given}).")
    return frozenset(values)


def days(text: str | None) -> int | None:
    """--due-within's count of days: a whole number, 0 (today) or more."""
    if text is None:
        return None
    try:
        count = int(text.strip())
    except ValueError:
        raise ValidationError(f"--due-within takes a whole number of days (got {text!r}).")
    if count < 0:
        raise ValidationError(f"--due-within takes 0 or more days (got {count}).")
    if count > (date.max - date.today()).days:
        raise ValidationError(
            f"--due-within {count} reaches past the calendar's last day, {date.max}; "
            "give fewer days."
        )
    return count


def commitments_json(
    found: coach.Commitments, f: Filter, said: str, rows: list[CommitmentRow], today: date
) -> dict[str, Any]:
    titles = found.titles()
    ref = lambda item_id: None if item_id is None else {"id": item_id, "title": titles[item_id]}  # noqa: E731
    return {
        "client": {"id": found.client["id"], "name": found.client["name"]},
        "filter": {
            "goal": ref(f.goal),
            "outcome": ref(f.outcome),
            "sprint": ref(f.sprint),
            "session": ref(f.session),
            "status": sorted(f.statuses),
            "type": sorted(f.types),
            "priority": sorted(f.priorities),
            "overdue": f.overdue,
            "due_within": f.due_within,
            "search": f.search or None,
            "today": today.isoformat(),
        },
        "sentence": said,
        "commitments": [r.as_json() for r in rows],
    }


def print_table(heading: str, rows: list[CommitmentRow]) -> None:
    """The heading line, then one line per row in columns no wider than COLUMNS allows."""
    print(shown(heading, one_line=True))
    if not rows:
        return
    cells = [
        [cut(shown(fill(r), one_line=True), cap) for cap, fill in COLUMNS.values()] for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(COLUMNS)]
    for line in [list(COLUMNS), *cells]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def cut(text: str, width: int) -> str:
    """`text` in at most `width` characters, an ellipsis marking a cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------- digest


def cmd_digest(args) -> int:
    if args.since is not None and args.session is not None:
        raise ValidationError("Give --since DATE or --session ID, not both.")
    if args.json and args.markdown:
        raise ValidationError("Give --json or --markdown, not both.")
    since = iso_day("--since", args.since)
    open_existing(args.db, "read")
    root_id = coach.client_named(args.client)["id"]
    period = chosen_period(root_id, since, args.session, date.today())
    d = store_digest.client_digest(root_id, period)
    if args.json:
        print_json(digests.as_json(d))
    elif args.markdown:
        print(shown(digests.markdown(d)))
    else:
        print("\n".join(shown(line, one_line=True) for line in digests.lines(d)))
    return EXIT_OK


def iso_day(option: str, text: str | None) -> date | None:
    """A day written YYYY-MM-DD; anything else is refused in one sentence."""
    if text is None:
        return None
    try:
        if not ISO_DAY.fullmatch(text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{option} takes a date like 2026-03-31 (got {text!r}).")


def chosen_period(
    root_id: str, since: date | None, session: str | None, today: date
) -> digests.Period:
    if since is not None:
        return store_digest.period_since(since, today)
    if session is not None:
        return store_digest.period_of_session(root_id, session.strip(), today)
    return store_digest.period_since_last_session(root_id, today)
