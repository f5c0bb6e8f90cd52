"""Every coach sees only their own clients, enforced by the server itself (issue 15).

Two login roles, maya and leo (members of trellis_coach), each open the team database through
the store and make a client with every kind of row. Then each, on a plain psycopg connection
as their own `psql` would be, tries SELECT, UPDATE, DELETE and INSERT on every table for the
other coach's client: 0 rows seen, nothing changed, refused. The store as maya lists, loads and
exports only maya's clients; an administrator (member of trellis_admin) sees both.
"""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row

from store import coaches, load, ops, team
from store.errors import NotFound, ValidationError
from store.exchange import export_document
from store.history import item_history
from store.opening import close_database, open_database
from tests import postgres_server

COACHES = ("maya", "leo")
ADMIN = "boss"
EVERY_TABLE = (*team.SCOPED_TABLES, team.AUDIT_TABLE)
# Each table's primary key column (changed to a new id when a row is copied for an INSERT).
KEYS = {"node_positions": "item_id", team.AUDIT_TABLE: "id"}


def make_role(name: str, member_of: str) -> None:
    """A login role on the test server, member of `member_of` (roles are server-wide: made once
    per run, kept if there)."""
    with postgres_server.admin_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
                    sql.Identifier(name), sql.Identifier(member_of)
                )
            )


def make_coaches() -> None:
    for name in COACHES:
        make_role(name, team.COACH_ROLE)
    make_role(ADMIN, team.ADMIN_ROLE)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def as_role(url: str, role: str) -> str:
    """The team database's URL for `role` (the test server trusts its socket: no password)."""
    return postgres_server.url(database_name(url), user=role)


@contextmanager
def store_as(url: str, role: str):
    """The store opened on the team database as `role`, closed afterwards."""
    open_database(as_role(url, role))
    try:
        yield
    finally:
        close_database()


def make_workspace(name: str) -> dict[str, str]:
    """A client with a row in every table; its ids by kind."""
    client = ops.create_client(name)
    root = client["id"]
    goal = ops.create_goal(root, f"{name}'s goal")
    outcome = ops.create_outcome(root, f"{name}'s outcome")
    sprint = ops.create_sprint(root, f"{name}'s sprint", "2026-01-01", "2026-02-01")
    session = ops.create_session(root, "2026-01-05", title=f"{name}'s session")
    commitment = ops.create_commitment(root, f"{name}'s commitment", session_id=session["id"])
    ops.link_items(outcome["id"], goal["id"])
    ops.link_items(outcome["id"], sprint["id"])
    ops.link_items(commitment["id"], outcome["id"])
    ops.set_positions(root, {goal["id"]: (10.0, 20.0)})
    return {
        "root": root,
        "goal": goal["id"],
        "outcome": outcome["id"],
        "sprint": sprint["id"],
        "session": session["id"],
        "commitment": commitment["id"],
    }


@pytest.fixture
def practice(team_database):
    """The team database with maya's and leo's clients, made through the store as each."""
    make_coaches()
    made = {}
    for coach, name in (("maya", "Maya's client"), ("leo", "Leo's client")):
        with store_as(team_database, coach):
            made[coach] = make_workspace(name)
    return team_database, made


def rows_of(url: str, table: str, root: str) -> list[dict]:
    """Every row of `table` for client `root`, read as the server's superuser (no RLS)."""
    with postgres_server.admin_connection(database_name(url)) as conn:
        query = sql.SQL("SELECT * FROM {} WHERE root_id = %s ORDER BY 1").format(
            sql.Identifier(table)
        )
        return conn.cursor(row_factory=dict_row).execute(query, (root,)).fetchall()


def everything(url: str, root: str) -> dict[str, list[dict]]:
    return {table: rows_of(url, table, root) for table in EVERY_TABLE}


def coach_connection(url: str, role: str) -> psycopg.Connection:
    """A plain connection as `role`, as the coach's own psql would make."""
    return psycopg.connect(as_role(url, role), autocommit=True)


def test_each_coach_has_a_row_in_every_table_so_the_checks_below_cannot_pass_vacuously(practice):
    url, made = practice
    for coach in COACHES:
        found = everything(url, made[coach]["root"])
        assert all(found[t] for t in EVERY_TABLE), [t for t in EVERY_TABLE if not found[t]]
        assert {r["actor"] for r in found[team.AUDIT_TABLE]} == {coach}


@pytest.mark.parametrize(("coach", "other"), [("maya", "leo"), ("leo", "maya")])
def test_a_coachs_own_connection_neither_reads_nor_writes_the_other_coachs_rows(
    practice, coach, other
):
    url, made = practice
    theirs = made[other]["root"]
    before = everything(url, theirs)
    with coach_connection(url, coach) as conn:
        for table in EVERY_TABLE:
            name = sql.Identifier(table)
            seen = conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE root_id = %s").format(name), (theirs,)
            ).fetchone()[0]
            assert seen == 0, table
            everything_seen = conn.execute(sql.SQL("SELECT root_id FROM {}").format(name))
            assert theirs not in {r[0] for r in everything_seen}, table
            if table == team.AUDIT_TABLE:
                continue  # append-only for a coach: below
            changed = conn.execute(
                sql.SQL("UPDATE {} SET root_id = root_id WHERE root_id = %s").format(name),
                (theirs,),
            )
            assert changed.rowcount == 0, table
            deleted = conn.execute(
                sql.SQL("DELETE FROM {} WHERE root_id = %s").format(name), (theirs,)
            )
            assert deleted.rowcount == 0, table
    assert everything(url, theirs) == before


@pytest.mark.parametrize("table", EVERY_TABLE)
def test_a_coach_cannot_insert_a_row_into_another_coachs_client(practice, table):
    url, made = practice
    theirs = made["leo"]["root"]
    before = everything(url, theirs)
    row = dict(rows_of(url, table, theirs)[0])
    row.pop("actor", None)
    if table == team.AUDIT_TABLE:
        row.pop("id")
    elif table != "clients":  # a client's id is its root_id: a new id would be a new client
        row[KEYS.get(table, "id")] = str(uuid.uuid4())
    columns = sql.SQL(", ").join(map(sql.Identifier, row))
    marks = sql.SQL(", ").join(sql.Placeholder() * len(row))
    insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table), columns, marks
    )
    with coach_connection(url, "maya") as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(insert, list(row.values()))
    expected = "duplicate key" if table == "clients" else "row-level security"
    assert expected in str(refused.value)
    assert everything(url, theirs) == before


def test_a_coach_cannot_move_their_rows_into_another_coachs_client(practice):
    url, made = practice
    mine, theirs = made["maya"]["root"], made["leo"]["root"]
    before = everything(url, mine)
    with coach_connection(url, "maya") as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute("UPDATE client_goals SET root_id = %s WHERE root_id = %s", (theirs, mine))
    assert "row-level security" in str(refused.value)
    assert everything(url, mine) == before


def test_a_coach_cannot_make_themself_coach_of_another_client(practice):
    url, made = practice
    theirs = made["leo"]["root"]
    before = everything(url, theirs)
    with coach_connection(url, "maya") as conn:
        for statement in (
            "INSERT INTO client_coaches (root_id, coach) VALUES (%s, 'maya')",
            "SELECT * FROM client_coaches WHERE root_id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, (theirs,))
        # The coach trigger fires before a conflict is found: it must not add maya then.
        skipped = conn.execute(
            "INSERT INTO clients (id, root_id, name, notes, created_at, updated_at) "
            "VALUES (%s, %s, 'Mine now', '', 'a', 'a') ON CONFLICT DO NOTHING",
            (theirs, theirs),
        )
        assert skipped.rowcount == 0
        seen = conn.execute("SELECT count(*) FROM clients WHERE id = %s", (theirs,))
        assert seen.fetchone()[0] == 0
    assert everything(url, theirs) == before
    with store_as(url, "maya"):
        assert [c["name"] for c in load.list_clients()] == ["Maya's client"]


def test_the_audit_log_is_append_only_for_a_coach(practice):
    url, made = practice
    mine = made["maya"]["root"]
    before = rows_of(url, team.AUDIT_TABLE, mine)
    with coach_connection(url, "maya") as conn:
        for statement in (
            "UPDATE audit_log SET action = 'x' WHERE root_id = %s",
            "DELETE FROM audit_log WHERE root_id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, (mine,))
    assert rows_of(url, team.AUDIT_TABLE, mine) == before


def test_an_audit_row_names_its_writer_whatever_the_insert_says(practice):
    url, made = practice
    mine = made["maya"]["root"]
    with coach_connection(url, "maya") as conn:
        conn.execute(
            "INSERT INTO audit_log (at, action, entity, entity_id, root_id, actor) "
            "VALUES ('2026-01-01', 'update', 'client', %s, %s, 'leo')",
            (mine, mine),
        )
    written = [r for r in rows_of(url, team.AUDIT_TABLE, mine) if r["at"] == "2026-01-01"]
    assert [r["actor"] for r in written] == ["maya"]


def test_an_audit_row_of_no_client_is_seen_by_its_writer_and_administrators_only(practice):
    """An import's summary row has no client, and names the clients it brought."""
    url, _made = practice
    with coach_connection(url, "maya") as conn:
        conn.execute(
            "INSERT INTO audit_log (at, action, entity, entity_id, root_id, after) "
            "VALUES ('2026-01-02', 'import', 'database', 'import', NULL, %s)",
            (json.dumps({"renamed": [["Maya's secret client", "x"]]}),),
        )
    counted = "SELECT count(*) FROM audit_log WHERE root_id IS NULL"
    for role, expected in (("maya", 1), ("leo", 0), (ADMIN, 1)):
        with coach_connection(url, role) as conn:
            assert conn.execute(counted).fetchone()[0] == expected, role


def test_the_store_as_a_coach_lists_loads_and_exports_only_their_clients(practice):
    url, made = practice
    leos = set(made["leo"].values())
    with store_as(url, "maya"):
        assert [c["name"] for c in load.list_clients(include_deleted=True)] == ["Maya's client"]
        h = load.load_hierarchy()
        assert set(h.clients) == {made["maya"]["root"]}
        assert h.items and not leos & set(h.items)
        assert {link.root_id for link in h.links} == {made["maya"]["root"]}
        text = json.dumps(export_document())
        assert made["maya"]["goal"] in text
        assert not any(leo_id in text for leo_id in leos)
        with pytest.raises(NotFound):
            ops.get_item(made["leo"]["goal"])
        with pytest.raises(NotFound):
            ops.client_by_name("Leo's client")


def test_an_administrator_sees_every_coachs_clients(practice):
    url, made = practice
    with store_as(url, ADMIN):
        names = [c["name"] for c in load.list_clients()]
        assert names == ["Leo's client", "Maya's client"]
        h = load.load_hierarchy()
        assert {made["maya"]["goal"], made["leo"]["goal"]} <= set(h.items)


def test_history_names_the_coach_who_wrote_each_row_on_a_team_database(practice, tmp_path):
    url, made = practice
    with store_as(url, ADMIN):
        ops.update_item(made["maya"]["goal"], title="Run a half marathon")
    with store_as(url, "maya"):
        rows = item_history(made["maya"]["goal"])
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("update", ADMIN),
        ("move", "maya"),
        ("link", "maya"),
        ("create", "maya"),
    ]
    # A file has one person and its schema stays as it was: no actor column, no actor key.
    open_database(tmp_path / "own.db")
    try:
        root = ops.create_client("Mine")["id"]
        assert "actor" not in item_history(root)[0]
    finally:
        close_database()


def test_a_name_another_coach_uses_is_refused_without_naming_their_client(practice):
    url, made = practice
    with store_as(url, "leo"):
        with pytest.raises(ValidationError) as refused:
            ops.create_client("Maya's client")
        assert names_of_clients_seen() == ["Leo's client"]
        goal = ops.create_goal(made["leo"]["root"], "Mine")
        with pytest.raises(ValidationError) as renamed:
            ops.update_item(made["leo"]["root"], name="Maya's client")
    taken = (
        "The name \"Maya's client\" is already taken on this team database (a client's name is "
        "unique across the practice); choose another."
    )
    assert str(refused.value) == str(renamed.value) == taken
    assert refused.value.field == "name"
    assert goal["title"] == "Mine"


def names_of_clients_seen() -> list[str]:
    from store.load import list_clients

    return [c["name"] for c in list_clients()]


def test_a_client_an_administrator_makes_has_no_coach_until_given_one(practice):
    url, _made = practice
    with store_as(url, ADMIN):
        root = ops.create_client("Walk-in client")["id"]
        assert coaches.coaches_of(root) == []
        assert coaches.grant(root, "leo") == ["leo"]
    with store_as(url, "maya"):
        assert "Walk-in client" not in names_of_clients_seen()
    with store_as(url, "leo"):
        assert "Walk-in client" in names_of_clients_seen()
