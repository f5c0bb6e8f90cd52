"""The foundation subcommands: demo, check, export, import, trash, restore-item, purge."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from cli.output import json_shown, shown
from graph.check import check as check_hierarchy
from graph.check import has_errors
from store import exchange, ops, postgres, repair, sample, targets, trash
from store.errors import ValidationError
from store.importing import NameClash
from store.load import load_hierarchy
from store.opening import identify, open_database
from store.value_check import bad_values

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def register(sub, common) -> None:
    add = sub.add_parser
    p = add("demo", parents=[common], help="add the sample workspace")
    p.set_defaults(handler=cmd_demo)

    p = add("check", parents=[common], help="check the hierarchy for consistency")
    p.add_argument("--client", metavar="NAME", help="check only the client with this name")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.add_argument("--fix", action="store_true", help="make the safe repairs (after a backup)")
    p.set_defaults(handler=cmd_check)

    p = add("export", parents=[common], help="write the database (or one client) as JSON")
    p.add_argument("--to", required=True, type=Path, metavar="FILE.json", help="the file to write")
    p.add_argument("--client", metavar="NAME", help="export only the client with this name")
    p.set_defaults(handler=cmd_export)

    p = add(
        "import",
        parents=[common],
        help="merge a Trellis JSON export into the database",
        description="Add the file's rows whose ids are new; rows identical to ones here are "
        "skipped. A row whose id is here with other content refuses the whole import.",
    )
    p.add_argument("file", type=Path, metavar="FILE.json", help="a file `trellis export` wrote")
    p.add_argument(
        "--rename-clients",
        action="store_true",
        help='import a client whose name is taken by another client as "Name (2)"',
    )
    p.set_defaults(handler=cmd_import)

    p = add("trash", parents=[common], help="list what is in the trash")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(handler=cmd_trash)

    p = add("restore-item", parents=[common], help="bring an item back from the trash")
    p.add_argument("id", metavar="ID", help="the item's id, as `trellis trash` shows it")
    p.add_argument("--with-parents", action="store_true", help="also restore what it serves")
    p.set_defaults(handler=cmd_restore_item)

    p = add("purge", parents=[common], help="delete an item in the trash for good")
    p.add_argument("id", metavar="ID", help="the item's id, as `trellis trash` shows it")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_purge)


def open_existing(path: Path, verb: str) -> None:
    """Open a database that must be there already and hold one: a mistyped --db must not
    create an empty one, and opening an empty file (0 bytes, or a blank SQLite file) would
    write a new database's schema into it, though nothing is there to read or change."""
    require_database(path, verb)
    require_contents(path, verb)
    open_database(path)


def require_database(path: Path, verb: str) -> None:
    if not path.exists():
        raise ValidationError(f"There is no database at {path}, so there is nothing to {verb}.")


def require_contents(path: Path, verb: str) -> None:
    if postgres.is_url(path):
        return  # a team database's schema is the server's to make
    targets.refuse_side_file_as_database(path)  # as opening would: identify would misname it
    if identify(path) is None:
        raise ValidationError(f"{path} is empty, so there is nothing to {verb}.")


def cmd_demo(args) -> int:
    open_database(args.db)
    ids = sample.add_sample_workspace()
    print(f"Added the sample workspace ({len(ids)} clients) to {args.db}.")
    return EXIT_OK


def cmd_check(args) -> int:
    open_existing(args.db, "check")
    root_id = ops.client_by_name(args.client)["id"] if args.client else None
    if args.fix:
        for line in repair.safe_repairs():
            print(f"fixed: {line}", file=sys.stderr)
    h = load_hierarchy(root_id)
    findings = bad_values(root_id) + check_hierarchy(h)
    ok = not has_errors(findings)
    if args.json:
        print_json(check_json(h, findings, ok))
    else:
        print_findings(h, findings)
    return EXIT_OK if ok else EXIT_FINDINGS


def check_json(h, findings, ok: bool) -> dict:
    return {
        "ok": ok,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "client": h.clients.get(f.root_id),
                "items": [describe(h, i) for i in f.items],
            }
            for f in findings
        ],
    }


def describe(h, item_id: str) -> dict:
    item = h.items.get(item_id)
    if item is not None:
        return {"kind": item.kind, "id": item.id, "title": item.title}
    link = next((link for link in h.links if link.id == item_id), None)
    if link is not None:
        return {"kind": link.kind, "id": link.id, "title": None}
    return {"kind": None, "id": item_id, "title": None}


def print_findings(h, findings) -> None:
    if not findings:
        print("No findings: the hierarchy is consistent.")
    for f in findings:
        client = shown(h.clients.get(f.root_id) or "?", one_line=True)
        print(f"{f.severity:7} {f.code:26} [{client}] {shown(f.message, one_line=True)}")
    errors = sum(f.severity == "error" for f in findings)
    print(f"{plural(len(findings), 'finding')}, {plural(errors, 'error')}.", file=sys.stderr)


def print_json(data) -> None:
    """JSON on stdout with non-ASCII text as it is; where stdout cannot encode it, \\u escapes
    instead, since the backslashreplace fallback (cli.main) would make the JSON invalid.
    Control characters in titles are \\u escapes either way (cli.output)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, indent=2)
    print(json_shown(text))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def cmd_export(args) -> int:
    open_existing(args.db, "export")
    root_id = ops.client_by_name(args.client)["id"] if args.client else None
    doc = exchange.export_to(args.to, root_id)
    total = sum(len(doc[s]) for s, _ in exchange.ENTITY_SECTIONS)
    # Written to stdout (`--to /dev/stdout > file`): the line after it would make the JSON
    # invalid, so it goes where the user still sees it.
    said = sys.stderr if is_stdout(args.to) else sys.stdout
    print(f"Exported {total} rows to {args.to}.", file=said)
    mended = exchange.not_text_values(doc)
    if mended:
        were = "was" if mended == 1 else "were"
        print(
            f"trellis: {plural(mended, 'value')} in the database {were} not UTF-8 text, so the "
            "export has U+FFFD for their bad bytes; `trellis check` names the rows.",
            file=sys.stderr,
        )
    return EXIT_OK


def is_stdout(path: Path) -> bool:
    """Whether `path` is where standard output goes (/dev/stdout, a redirect's file, a pipe)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):
        return False


def cmd_import(args) -> int:
    doc = exchange.read_document(args.file)
    open_database(args.db)
    try:
        report = exchange.import_document(doc, rename_clients=args.rename_clients)
    except NameClash as exc:
        raise ValidationError(clash_sentence(exc.renames)) from exc
    for old, new in report.renamed:
        print(f"Imported client {old!r} as {new!r}: a client of that name was already here.")
    added = sum(r["added"] for r in report.values())
    skipped = sum(r["skipped"] for r in report.values())
    for section, counts in report.items():
        if counts["added"] or counts["skipped"]:
            print(f"{section:20} added {counts['added']:6}  already present {counts['skipped']:6}")
    if added == 0:
        print("Nothing new: every row of this file is already in the database.")
    else:
        print(f"Imported {added} rows ({skipped} already present).")
    return EXIT_OK


def clash_sentence(renames: dict[str, str]) -> str:
    """The store's refusal, with the way round it the command line offers."""
    names = ", ".join(repr(name) for name in renames)
    new = ", ".join(repr(name) for name in renames.values())
    if len(renames) == 1:
        has, them = f"a client named {names}, another client than the file's", "it"
    else:
        has, them = f"clients named {names}, other clients than the file's", "them"
    return (
        f"This database already has {has}; nothing was imported: run again with "
        f"--rename-clients to import {them} as {new}."
    )


def cmd_trash(args) -> int:
    open_existing(args.db, "list")
    items = trash.list_trash()
    if args.json:
        print_json(items)
        return EXIT_OK
    if not items:
        print("The trash is empty.")
    for item in items:
        links = f", {len(item['links'])} links" if item["links"] else ""
        print(
            f"{item['id']}  {item['kind']:10} {item['title']!r} "
            f"({shown(item['client'], one_line=True)}, deleted {item['deleted_at'][:16]}{links})"
        )
    return EXIT_OK


def cmd_restore_item(args) -> int:
    require_id(args.id)
    open_existing(args.db, "restore")
    restored = ops.restore_item(args.id, with_parents=args.with_parents)
    for item_id in restored:
        kind, row = ops.get_item(item_id)
        print(f"Restored {kind} {ops.display_title(kind, row)!r}.")
    return EXIT_OK


def cmd_purge(args) -> int:
    require_id(args.id)
    open_existing(args.db, "purge")
    kind, row = ops.get_item(args.id)
    title = ops.display_title(kind, row)
    if not args.yes:
        if not sys.stdin.isatty():
            print("trellis: purge needs --yes when it cannot ask you to confirm.", file=sys.stderr)
            return EXIT_BAD_INPUT
        if not answered_yes(f"Purge {kind} {title!r} for good? [y/N] "):
            print("Nothing was purged.")
            return EXIT_OK
    ops.purge_item(args.id)
    print(f"Purged {kind} {title!r}; a backup was taken first.")
    return EXIT_OK


def require_id(item_id: str) -> None:
    # `purge ""` would otherwise say "No item with id  exists", which reads like a typo.
    if not item_id.strip():
        raise ValidationError("The item id is empty; `trellis trash` lists the ids.")


def answered_yes(question: str) -> bool:
    """Ask on the terminal; Ctrl-D or Ctrl-C at the question means no, like any answer but yes."""
    try:
        # input() writes its prompt past sys.stdout when both ends are a terminal.
        return input(shown(question)).strip().lower() in ("y", "yes")
    except (EOFError, KeyboardInterrupt):
        print()  # the shell's prompt would otherwise start after the question
        return False
