"""Coaches on a team database (an administrator's commands): grant, revoke, move-client,
coaches. store.coaches does the work and says every refusal in one sentence; on a file each
command says that coaches are a team database's, without opening (or making) the file."""

from __future__ import annotations

from cli.core import open_existing, print_json
from cli.output import shown
from store import coaches, ops, postgres
from store.errors import ValidationError

EXIT_OK = 0


def register(sub, common) -> None:
    """Add this module's subcommands to the `trellis` parser."""
    p = sub.add_parser(
        "grant",
        parents=[common],
        help="let a coach see a client (team database, administrators only)",
    )
    client_and_coach(p)
    p.set_defaults(handler=cmd_grant)

    p = sub.add_parser(
        "revoke",
        parents=[common],
        help="stop a coach seeing a client (team database, administrators only)",
    )
    client_and_coach(p)
    p.set_defaults(handler=cmd_revoke)

    p = sub.add_parser(
        "move-client",
        parents=[common],
        help="give a client to another coach in one step (team database, administrators only)",
    )
    p.add_argument("--client", required=True, metavar="NAME", help="the client's name")
    p.add_argument("--from", dest="source", required=True, metavar="ROLE", help="its coach now")
    p.add_argument("--to", dest="target", required=True, metavar="ROLE", help="its coach after")
    p.set_defaults(handler=cmd_move)

    p = sub.add_parser(
        "coaches",
        parents=[common],
        help="list who sees which client (team database, administrators only)",
    )
    p.add_argument("--client", metavar="NAME", help="only this client's coaches")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(handler=cmd_coaches)


def client_and_coach(p) -> None:
    """The two arguments grant and revoke both take."""
    p.add_argument("--client", required=True, metavar="NAME", help="the client's name")
    p.add_argument("--coach", required=True, metavar="ROLE", help="the coach's PostgreSQL role")


def open_team(args, verb: str) -> None:
    """Open the team database --db names as an administrator, refusing a coach before a
    client is named (a coach would only learn that the name is not theirs); a file is
    refused before it is opened."""
    if not postgres.is_url(args.db):
        raise ValidationError(coaches.NOT_TEAM)
    open_existing(args.db, verb)
    coaches.require_admin(verb)


def client_id(name: str) -> str:
    return ops.client_by_name(name)["id"]


def seen_by(names: list[str]) -> str:
    return ", ".join(names) if names else "no coach (only administrators)"


def cmd_grant(args) -> int:
    open_team(args, "grant clients")
    after = coaches.grant(client_id(args.client), args.coach)
    print(shown(f"{args.coach} now sees {args.client!r} (its coaches: {seen_by(after)})."))
    return EXIT_OK


def cmd_revoke(args) -> int:
    open_team(args, "revoke clients")
    after = coaches.revoke(client_id(args.client), args.coach)
    print(shown(f"{args.coach} no longer sees {args.client!r} (its coaches: {seen_by(after)})."))
    return EXIT_OK


def cmd_move(args) -> int:
    open_team(args, "move clients")
    after = coaches.move(client_id(args.client), args.source, args.target)
    print(
        shown(
            f"Moved {args.client!r} from {args.source} to {args.target} "
            f"(its coaches: {seen_by(after)})."
        )
    )
    return EXIT_OK


def cmd_coaches(args) -> int:
    open_team(args, "list who sees which client")
    listed = coaches.grants()
    if args.client is not None:
        wanted = client_id(args.client)
        listed = [row for row in listed if row["root_id"] == wanted]
    if args.json:
        print_json(listed if args.client is not None else {"clients": listed, **idle(listed)})
        return EXIT_OK
    for row in listed:
        trash = " (in the trash)" if row["in_trash"] else ""
        print(shown(f"{row['client']}{trash}: {seen_by(row['coaches'])}", one_line=True))
    if args.client is None:
        without = idle(listed)["coaches_without_clients"]
        if not listed:
            print("The team database has no clients yet.")
        if without:
            print(shown(f"Coaches with no client: {', '.join(without)}.", one_line=True))
    return EXIT_OK


def idle(listed: list[dict]) -> dict[str, list[str]]:
    """The coaches (members of trellis_coach) who see no client."""
    busy = {coach for row in listed for coach in row["coaches"]}
    return {"coaches_without_clients": [c for c in coaches.coach_roles() if c not in busy]}
