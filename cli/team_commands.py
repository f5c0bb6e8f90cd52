"""Team database subcommands: copy (DESIGN-level docs in the README's "Team database")."""

from __future__ import annotations

import sys

from cli.core import print_json, require_contents
from store import copying
from store.postgres import database_target

EXIT_OK = 0


def register(sub, common) -> None:
    """Add this module's subcommands to the `trellis` parser."""
    p = sub.add_parser(
        "copy",
        parents=[common],
        help="copy a whole workspace between two databases (file or team), verified",
    )
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        type=database_target,
        metavar="DB",
        help="the database to copy (a Trellis file or a team database's URL)",
    )
    p.add_argument(
        "--to",
        dest="target",
        required=True,
        type=database_target,
        metavar="DB",
        help="a new file, or an empty team database",
    )
    p.add_argument("--json", action="store_true", help="print the rows copied per table as JSON")
    p.set_defaults(handler=cmd_copy)


def cmd_copy(args) -> int:
    def show(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rCopying: {done} of {total} rows", end="", file=sys.stderr)

    if args.source.exists():  # a missing file is the copy's to name
        require_contents(args.source, "copy")
    counts = copying.copy_workspace(args.source, args.target, show)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(counts)
        return EXIT_OK
    rows = sum(counts.values())
    print(
        f"Copied {rows} rows ({counts['clients']} clients) from {args.source} to {args.target}; "
        "every table read back the same."
    )
    return EXIT_OK
