"""`trellis report`: the client report as a PDF (desktop.report draws it with Qt, offscreen).

It only reads the database. The target is refused before the database is opened when it is a
folder, a database or one's side file; the period is the digest's (`--since`, `--session`, or
since the last session).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cli.coach_commands import chosen_period, iso_day
from cli.core import open_existing
from cli.output import shown
from store import coach
from store.errors import ValidationError

EXIT_OK = 0


def register(sub, common) -> None:
    """Add `report` to the `trellis` parser."""
    p = sub.add_parser(
        "report",
        parents=[common],
        help="write a client's report as a PDF to send after a session",
        description="Goals with their progress and charts, what changed since the last session "
        "(or --since a day, or from --session to the next), commitments overdue and due next, "
        "the current sprint and the graph.",
    )
    p.add_argument("--client", metavar="NAME", help="the client (needed when there are several)")
    p.add_argument("--to", metavar="FILE.pdf", type=Path, required=True, help="the PDF to write")
    p.add_argument("--since", metavar="DATE", help="changes from this day (YYYY-MM-DD)")
    p.add_argument("--session", metavar="ID", help="changes from this session to the next one")
    p.add_argument("--paper", choices=("a4", "letter"), help="paper size (default: your locale's)")
    p.set_defaults(handler=cmd_report)


def cmd_report(args) -> int:
    if args.since is not None and args.session is not None:
        raise ValidationError("Give --since DATE or --session ID, not both.")
    since = iso_day("--since", args.since)
    # Qt before anything is read: the report is drawn with it (no screen needed).
    from desktop import report

    app = report.ensure_application()  # noqa: F841 - it must live while the report is drawn
    report.refuse_target(args.to)
    open_existing(args.db, "report on")
    root_id = coach.client_named(args.client)["id"]
    today = date.today()
    period = chosen_period(root_id, since, args.session, today)
    paper = args.paper or report.default_paper()
    report.write_report(args.to, root_id, period, today, paper)
    print(shown(f"Wrote the report on {coach.client_named(args.client)['name']} to {args.to}."))
    return EXIT_OK
