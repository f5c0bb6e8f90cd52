"""`trellis report`: the client report as a PDF (desktop.report draws it with Qt, offscreen).

It only reads the database. The target is refused before the database is opened when its name
does not end in .pdf, or it is a folder, a database or one's side file; the period is the
digest's (`--since`, `--session`, or since the last session), except that a client with no
session yet is reported on since the day it was added, as the app's File → Export client
report does (store.report.default_period).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from cli.coach_commands import chosen_period, iso_day
from cli.core import is_stdout, open_existing
from cli.output import shown
from graph.digest import Period
from store import coach, targets
from store.errors import ValidationError
from store.report import default_period

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
    refuse_other_than_pdf(args.to)
    # Qt before anything is read: the report is drawn with it (no screen needed). A Ctrl-C
    # inside PySide6's import aborts the process (shiboken's "could not initialize"): it is
    # held until the import is done, and then heard.
    with ctrl_c_held():
        from desktop import report

    app = report.ensure_application()  # noqa: F841 - it must live while the report is drawn
    report.refuse_target(args.to)
    open_existing(args.db, "report on")
    client = coach.client_named(args.client)
    root_id = client["id"]
    today = date.today()
    period = report_period(root_id, since, args.session, today)
    paper = args.paper or report.default_paper()
    report.write_report(args.to, root_id, period, today, paper)
    # The report is whole and in place: a Ctrl-C now would only cut the exit short (and a
    # killed exit says nothing), so what is left runs to its end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Written to stdout (`--to /dev/stdout | lpr`): the line would end up in the PDF.
    said = sys.stderr if is_stdout(args.to) else sys.stdout
    print(shown(f"Wrote the report on {client['name']} to {args.to}."), file=said)
    return EXIT_OK


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """SIGINT blocked inside, delivered (as KeyboardInterrupt) on the way out (where signals
    can be blocked: not on Windows, whose Ctrl-C is no signal)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def refuse_other_than_pdf(path: Path) -> None:
    """A report goes into a file named .pdf, so that it never replaces an export or a note
    under another name; a folder is left to desktop.report (which says it is one), and a
    pipe or a device (/dev/stdout) has no name to judge."""
    if path.name.lower().endswith(".pdf") or path.is_dir() or targets.is_stream_path(path):
        return
    raise ValidationError(
        f"{path} is not a .pdf file name; give the report a file name ending in .pdf."
    )


def report_period(root_id: str, since: date | None, session: str | None, today: date) -> Period:
    """The digest's period, but with neither --since nor --session, the app's default: since
    the last session, or since the client was added when it has had none."""
    if since is None and session is None:
        return default_period(root_id, today)
    return chosen_period(root_id, since, session, today)
