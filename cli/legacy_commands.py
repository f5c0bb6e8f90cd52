"""`trellis import-legacy LEGACY.db [--dry-run] [--json]`: the seed's Option A migration.

The dry run plans against the target without opening it for writing (and without creating it);
the real run opens it, backs it up, imports in one transaction and prints the same report with
the result at the end.
"""

from __future__ import annotations

from pathlib import Path

from cli.core import print_json
from cli.output import shown
from store import legacy
from store.opening import open_database

EXIT_OK = 0


def register(sub, common) -> None:
    """Add this module's subcommands to the `trellis` parser."""
    p = sub.add_parser(
        "import-legacy",
        parents=[common],
        help="import a legacy coaching database (a dry run first shows the plan)",
    )
    p.add_argument("legacy", type=Path, metavar="LEGACY.db", help="the old file (read-only)")
    p.add_argument("--dry-run", action="store_true", help="print the plan and write nothing")
    p.add_argument("--json", action="store_true", help="print the plan (and result) as JSON")
    p.set_defaults(handler=cmd_import_legacy)


def cmd_import_legacy(args) -> int:
    if args.dry_run:
        plan = legacy.plan_import(args.legacy, args.db)
        show(legacy.document(plan, dry_run=True), args.json)
        return EXIT_OK
    data = legacy.read_legacy(args.legacy)  # a wrong file is refused before any database opens
    open_database(args.db)
    plan = legacy.plan_import(args.legacy, data=data)
    result = legacy.run_plan(plan)
    show(legacy.document(plan, dry_run=False, result=result), args.json)
    return EXIT_OK


def show(doc: dict, as_json: bool) -> None:
    if as_json:
        print_json(doc)
    else:
        print("\n".join(shown(line, one_line=True) for line in legacy.lines(doc)))
