"""Backup subcommands: backup, backups, restore, migrate (DESIGN §5, §6)."""

from __future__ import annotations

import sys
from pathlib import Path

from cli.core import answered_yes, print_json, require_contents, require_database
from store import backup, migrations, models, restore, targets
from store.errors import ValidationError
from store.opening import open_database

EXIT_OK, EXIT_BAD_INPUT = 0, 2
KIND_PLURALS = {
    "client": "clients",
    "goal": "goals",
    "outcome": "outcomes",
    "sprint": "sprints",
    "commitment": "commitments",
    "session": "sessions",
}


def register(sub, common) -> None:
    """Add this module's subcommands to the `trellis` parser."""
    add = sub.add_parser
    p = add("backup", parents=[common], help="back up the database now (verified copy)")
    p.add_argument("--to", type=Path, metavar="FILE", help="write the copy here instead")
    p.set_defaults(handler=cmd_backup)

    p = add("backups", parents=[common], help="list the backups: date, size, item counts")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(handler=cmd_backups)

    p = add("restore", parents=[common], help="replace the database with a backup (undoable)")
    p.add_argument(
        "file", type=Path, metavar="FILE", help="a backup (`trellis backups` lists them)"
    )
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_restore)

    p = add("migrate", parents=[common], help="bring the database to the current schema")
    p.add_argument("--dry-run", action="store_true", help="print the steps, change nothing")
    p.set_defaults(handler=cmd_migrate)


# ---------------------------------------------------------------- backup


def cmd_backup(args) -> int:
    require_database(args.db, "back up")
    require_contents(args.db, "back up")  # opening an empty file would make it a database
    if args.to is not None:
        # Before opening (which may migrate); a side file of a database is the worse mistake,
        # so it is the one named. backup_to asks again about the database once it is open.
        targets.refuse_unsafe_target(args.to, "a backup", "choose another file name")
        if args.to.exists():
            raise ValidationError(f"{args.to} already exists; choose a new file name.")
    open_database(args.db)
    made = backup.backup_to(args.to) if args.to else backup.make_backup("manual")
    counts = backup.count_items(made)
    print(f"Backed up {args.db.name} to {made} ({human_size(made.stat().st_size)}: ", end="")
    print(f"{describe_counts(counts)}).")
    return EXIT_OK


def cmd_backups(args) -> int:
    found = backup.list_backups(args.db)
    if args.json:
        print_json([backup_json(info) for info in found])
        return EXIT_OK
    if not found:
        print(f"No backups of {args.db.name} yet (they go in {backup.backups_dir(args.db)}).")
    for info in found:
        summary = describe_counts(info.counts) if info.counts else f"unreadable: {info.problem}"
        print(
            f"{info.taken_at:%Y-%m-%d %H:%M:%S}  {info.reason:24} {human_size(info.size):>9}  "
            f"{summary}  {info.path}"
        )
    return EXIT_OK


def backup_json(info: backup.BackupInfo) -> dict:
    return {
        "path": str(info.path),
        "taken_at": info.taken_at.isoformat(timespec="seconds"),
        "reason": info.reason,
        "size": info.size,
        "counts": info.counts,
        "problem": info.problem,
    }


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {KIND_PLURALS[k] if n != 1 else k}" for k, n in counts.items())


def human_size(size: int) -> str:
    scaled: float = size
    for unit in ("bytes", "KB", "MB", "GB"):
        if scaled < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{scaled:.1f} {unit}"
        scaled /= 1024
    return f"{scaled:.1f} GB"


# ---------------------------------------------------------------- restore


def cmd_restore(args) -> int:
    # Refuse a bad file (exit 3) before asking anything: the question would be pointless.
    restore.check_restorable(args.file, args.db)
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "trellis: Refusing to restore without --yes when nobody can answer the question; "
                "nothing was changed.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        # Declining is an answer, not an error: exit 0, as `purge` does.
        if not answered_yes(
            f"Replace {args.db} with {args.file}? The current database is backed up first. [y/N] "
        ):
            print("Nothing was restored.")
            return EXIT_OK
    report = restore.restore_file(args.file, args.db)
    migrated = f", migrated from schema {report.migrated_from}" if report.migrated_from else ""
    print(f"Restored {args.file} into {args.db} ({describe_counts(report.counts)}{migrated}).")
    if report.safety_backup is not None:
        print(
            f"The database it replaced is saved as {report.safety_backup}; "
            "restore that file to undo."
        )
    return EXIT_OK


# ---------------------------------------------------------------- migrate


def cmd_migrate(args) -> int:
    require_database(args.db, "migrate")
    require_contents(args.db, "migrate")
    version, steps = migrations.plan(args.db)
    if not steps:
        print(f"{args.db.name} is at schema {version}, the current one: nothing to migrate.")
        return EXIT_OK
    print(f"{args.db.name} is at schema {version}; the current schema is {models.SCHEMA_VERSION}.")
    for step in steps:
        print(f"  schema {step.version} -> {step.version + 1}: {step.description}")
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return EXIT_OK
    open_database(args.db)
    if models.is_team():
        # Each step ran in one transaction of the server's: a failure left the old schema.
        print(f"Migrated the team database {args.db.name} to schema {models.SCHEMA_VERSION}.")
        return EXIT_OK
    folder = backup.backups_dir(args.db)
    print(
        f"Migrated {args.db.name} to schema {models.SCHEMA_VERSION}; the old file is in {folder}."
    )
    return EXIT_OK
