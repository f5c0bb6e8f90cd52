"""Which coach sees which client on a team database: grant, revoke, move, and who sees what.

A coach is a PostgreSQL login role, member of `trellis_coach`; `client_coaches` holds one row
per (client, coach) and the row-level security policies of store.team ask it. Only an
administrator (member of `trellis_admin`, or the tables' owner: the server's own
`trellis_is_admin()` decides) may change it, and every change is one operation with one audit
row on the client (action grant/revoke/move, before and after naming its coaches), so the
client's history says who gave it to whom and the row's actor says who did it.
"""

from __future__ import annotations

from typing import Any

from store import audit, team
from store import models as m
from store.errors import NotFound, ValidationError

NOT_TEAM = "Coaches and grants are for a team database (--db postgresql://…)."


def require_team() -> None:
    """Refuse on a file: one person, no coaches."""
    if not m.is_team():
        raise ValidationError(NOT_TEAM)


def sql_rows(query: str, params: tuple = ()) -> list[tuple]:
    return list(m.database.execute_sql(query, params).fetchall())


def session_role() -> str:
    """The role this connection logged in as (what the policies compare coaches with)."""
    return sql_rows("SELECT session_user")[0][0]


def is_admin() -> bool:
    return bool(sql_rows("SELECT trellis_is_admin()")[0][0])


def require_admin(verb: str) -> None:
    """Refuse a coach who is no administrator, naming the role they are connected as."""
    require_team()
    if not is_admin():
        raise ValidationError(
            f"Only an administrator of the team database may {verb}; you are connected as "
            f"{session_role()!r}, a coach (an administrator is a member of {team.ADMIN_ROLE})."
        )


def require_coach(role: str) -> None:
    """Refuse a name that is no role, or a role that is no coach."""
    if not role.strip():
        raise ValidationError("The coach's role is empty; give the PostgreSQL role of the coach.")
    if not sql_rows("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)):
        raise NotFound(
            f"There is no role {role!r} on this server; an administrator makes it with "
            f"CREATE ROLE {quoted(role)} LOGIN IN ROLE {team.COACH_ROLE} (nothing was changed)."
        )
    if not sql_rows(
        "SELECT 1 FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.member "
        "JOIN pg_roles g ON g.oid = a.roleid WHERE r.rolname = %s AND g.rolname = %s",
        (role, team.COACH_ROLE),
    ):
        raise ValidationError(
            f"The role {role!r} is not a coach (not a member of {team.COACH_ROLE}); an "
            f"administrator makes it one with GRANT {team.COACH_ROLE} TO {quoted(role)} "
            "(nothing was changed)."
        )


def quoted(role: str) -> str:
    """A role name as SQL would take it (a sentence shows the statement to run)."""
    if role.isidentifier() and role == role.lower():
        return role
    return '"' + role.replace('"', '""') + '"'


def client_row(root_id: str) -> m.Client:
    client = m.Client.get_or_none((m.Client.id == root_id) & (m.Client.root_id == root_id))
    if client is None:
        raise NotFound(f"No client with id {root_id} exists in this database.")
    return client


# ---------------------------------------------------------------- reading


def coaches_of(root_id: str) -> list[str]:
    """The coaches who see the client, by name (administrator only)."""
    require_admin("list who sees which client")
    client_row(root_id)
    return listed_coaches(root_id)


def listed_coaches(root_id: str) -> list[str]:
    rows = sql_rows(
        "SELECT coach FROM client_coaches WHERE root_id = %s ORDER BY coach", (root_id,)
    )
    return [coach for (coach,) in rows]


def grants() -> list[dict[str, Any]]:
    """Every client (trashed ones too) with its coaches, by client name (administrator only)."""
    require_admin("list who sees which client")
    seen: dict[str, list[str]] = {}
    for root_id, coach in sql_rows("SELECT root_id, coach FROM client_coaches ORDER BY coach"):
        seen.setdefault(root_id, []).append(coach)
    query = m.Client.select(m.Client.id, m.Client.name, m.Client.deleted_at)
    return [
        {
            "client": c.name,
            "root_id": c.id,
            "in_trash": c.deleted_at is not None,
            "coaches": seen.get(c.id, []),
        }
        for c in query.order_by(m.Client.name, m.Client.id)
    ]


def coach_roles() -> list[str]:
    """The roles that are coaches (members of trellis_coach), by name."""
    require_admin("list who sees which client")
    rows = sql_rows(
        "SELECT r.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.member "
        "JOIN pg_roles g ON g.oid = a.roleid WHERE g.rolname = %s ORDER BY r.rolname",
        (team.COACH_ROLE,),
    )
    return [name for (name,) in rows]


# ---------------------------------------------------------------- changing


def grant(root_id: str, coach: str) -> list[str]:
    """Let `coach` see the client (as well as whoever sees it now); its coaches after."""
    require_admin("grant clients")
    require_coach(coach)
    with audit.operation("Grant client"):
        client = client_row(root_id)
        before = listed_coaches(root_id)
        if coach in before:
            raise ValidationError(f"{coach!r} already sees {client.name!r}; nothing was changed.")
        add(root_id, coach)
        return recorded("grant", root_id, before)


def revoke(root_id: str, coach: str) -> list[str]:
    """Stop `coach` seeing the client; its coaches after (administrators see it still)."""
    require_admin("revoke clients")
    with audit.operation("Revoke client"):
        client = client_row(root_id)
        before = listed_coaches(root_id)
        if coach not in before:
            raise ValidationError(not_theirs(coach, client, before))
        remove(root_id, coach)
        return recorded("revoke", root_id, before)


def move(root_id: str, from_coach: str, to_coach: str) -> list[str]:
    """Give the client to `to_coach` instead of `from_coach`, in one step; its coaches after."""
    require_admin("move clients")
    require_coach(to_coach)
    with audit.operation("Move client"):
        client = client_row(root_id)
        before = listed_coaches(root_id)
        if from_coach not in before:
            raise ValidationError(not_theirs(from_coach, client, before))
        if from_coach == to_coach:
            raise ValidationError(f"{client.name!r} is {to_coach!r}'s already; name another coach.")
        remove(root_id, from_coach)
        if to_coach not in before:
            add(root_id, to_coach)
        return recorded("move", root_id, before)


def not_theirs(coach: str, client: m.Client, coaches: list[str]) -> str:
    who = ", ".join(repr(c) for c in coaches) or "no coach (only administrators)"
    return f"{coach!r} does not see {client.name!r} (it is seen by {who}); nothing was changed."


def add(root_id: str, coach: str) -> None:
    m.database.execute_sql(
        "INSERT INTO client_coaches (root_id, coach) VALUES (%s, %s)", (root_id, coach)
    )


def remove(root_id: str, coach: str) -> None:
    m.database.execute_sql(
        "DELETE FROM client_coaches WHERE root_id = %s AND coach = %s", (root_id, coach)
    )


def recorded(action: str, root_id: str, before: list[str]) -> list[str]:
    """The audit row of a change of coaches (inside its operation); the coaches after."""
    after = listed_coaches(root_id)
    audit.record(action, "client", root_id, root_id, {"coaches": before}, {"coaches": after})
    return after
