"""`trellis`: one command; with no subcommand it opens the desktop app.

Exit codes (DESIGN §6): 0 ok, 1 `check` found errors, 2 bad usage or bad input, 3 file refused.

Starting the app parses only `--db` and imports no command module or storage layer up front:
the window shows first (see desktop.app), and every import before it delays it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_REFUSED = 0, 1, 2, 3
# Ctrl-C: the shell's convention (128 + SIGINT), so scripts can tell it from a refusal.
EXIT_INTERRUPTED = 130

# Each module has register(subparsers); a subcommand's handler takes the parsed args and
# returns an exit code.
COMMAND_MODULES = (
    "cli.core",
    "cli.backup_commands",
    "cli.legacy_commands",
    "cli.coach_commands",
    "cli.report_commands",
    "cli.team_commands",
    "cli.coach_admin_commands",
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=database_target,
        default=argparse.SUPPRESS,
        metavar="PATH|URL",
        help="database file (default: user data dir), or a team database's postgresql:// URL",
    )
    parser = argparse.ArgumentParser(
        prog="trellis",
        description="Goals, outcomes, sprints and commitments for coaches.",
        parents=[common],
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the app on a temporary database with the sample workspace, check it, exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def database_target(text: str):
    """--db: a file's path, or a team database's URL (store.postgres.TeamURL)."""
    if text.startswith(("postgresql:", "postgres:")):
        from store.postgres import TeamURL

        return TeamURL(text)
    return Path(text)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        app_db = app_request(argv)
        if app_db is not None:
            return open_app(app_db)
        return run_command(argv)
    except KeyboardInterrupt:  # in the command, or still in its imports and parsing
        # SQLite rolls back a transaction that was cut short, so nothing is half-written.
        print("\ntrellis: Interrupted; the database keeps its last saved state.", file=sys.stderr)
        return EXIT_INTERRUPTED


def app_request(argv: list[str]) -> Path | None:
    """The database to open when `argv` asks for the desktop app (no subcommand, no option
    but --db), else None and the full parser decides (help, subcommands, mistakes)."""
    quick = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    quick.add_argument("--db", type=database_target)
    try:
        args, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:
        return None
    if args.db is not None:
        return args.db
    from store.paths import default_db_path

    return default_db_path()


def run_command(argv: list[str]) -> int:
    from cli.output import show_everything_safely
    from store.errors import FileRefused, TrellisError
    from store.locking import STORAGE_ERRORS, explain_storage_error
    from store.paths import default_db_path

    # A title the output's encoding cannot show (an emoji into a cp1252 or ASCII pipe) is
    # printed as an escape instead of stopping the command with a traceback.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    # Before the parser, which quotes a mistyped argument back on stderr.
    show_everything_safely()
    args = build_parser().parse_args(argv)
    if args.smoke_test:
        from desktop.smoke import run_smoke_test

        return run_smoke_test()
    args.db = getattr(args, "db", None) or default_db_path()
    if args.command is None:
        return open_app(args.db)
    if args.db.is_dir():
        say_error(
            f"{args.db} is a folder, not a Trellis database file; pass the database file with --db."
        )
        return EXIT_BAD_INPUT
    try:
        return args.handler(args)
    except FileRefused as exc:
        say_error(exc)
        return EXIT_REFUSED
    except TrellisError as exc:
        say_error(exc)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`trellis ... | head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return EXIT_OK
    except STORAGE_ERRORS as exc:
        say_error(explain_storage_error(exc, args.db))
        return EXIT_BAD_INPUT
    except OSError as exc:
        say_error(os_error_sentence(exc, args.db))
        return EXIT_BAD_INPUT


def os_error_sentence(exc: OSError, db: Path) -> str:
    """A file that could not be written is named as the user gave it, with what to do
    (store.targets.NotWritten); another failure names its file, or else the database."""
    from store.targets import NotWritten

    if isinstance(exc, NotWritten):
        return str(exc)
    return f"{exc.strerror or exc} ({exc.filename or db})."


def say_error(message: object) -> None:
    """One line on stderr: a title or file name quoted in `message` cannot start another."""
    from cli.output import shown

    print(f"trellis: {shown(str(message), one_line=True)}", file=sys.stderr)


def open_app(db_path: Path) -> int:
    # Before any Qt import: without the X11 libraries Qt aborts, naming the wrong one.
    from desktop.qt_platform import install_sentence, missing_window_libraries

    missing = missing_window_libraries()
    if missing:
        print(f"trellis: {install_sentence(missing)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from desktop.app import run

    return run(db_path)


if __name__ == "__main__":
    sys.exit(main())
