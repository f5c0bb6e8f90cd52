"""The schema itself enforces the rules, even for writes that bypass store.ops: on a SQLite file
and on a team database alike (each written to here through its own driver, not the store)."""

import sqlite3

import psycopg
import pytest

from store import ops

pytestmark = pytest.mark.both_backends

# How each backend's driver words a refusal of each kind.
REFUSALS = {
    "sqlite": {"check": "CHECK", "foreign key": "FOREIGN KEY", "unique": "UNIQUE"},
    "postgres": {
        "check": "violates check constraint",
        "foreign key": "violates foreign key constraint",
        "unique": "violates unique constraint",
    },
}


class Raw:
    """A connection of the backend's own driver, beside the store's (autocommit: each
    statement stands alone, as another program's would)."""

    def __init__(self, db, backend: str):
        self.backend = backend
        if backend == "postgres":
            self.conn = psycopg.connect(str(db), autocommit=True)
        else:
            self.conn = sqlite3.connect(db, isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys = ON")

    def execute(self, sql: str, params=()):
        if self.backend == "postgres":
            sql = sql.replace("?", "%s")
        return self.conn.execute(sql, list(params))

    def refused(self, kind: str):
        """pytest.raises for the driver's refusal of `kind` (check, foreign key, unique)."""
        error = psycopg.IntegrityError if self.backend == "postgres" else sqlite3.IntegrityError
        return pytest.raises(error, match=REFUSALS[self.backend][kind])


@pytest.fixture
def raw(db, backend):
    conn = Raw(db, backend)
    yield conn
    conn.conn.close()


def insert_goal(conn, root, **overrides):
    row = {
        "id": "g-raw",
        "root_id": root,
        "created_at": "t",
        "updated_at": "t",
        "title": "Raw goal",
        "description": "",
        "category": "",
        "status": "active",
        "progress": 0,
        "progress_mode": "derived",
        "target_date": None,
    } | overrides
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO client_goals ({cols}) VALUES ({marks})", list(row.values()))


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "dreaming"},
        {"progress": 101},
        {"progress": -1},
        {"title": "   "},
        {"target_date": "2026-02-30"},
        {"progress_mode": "guessed"},
    ],
)
def test_schema_checks_refuse_bad_goal_rows(raw, client, overrides):
    with raw.refused("check"):
        insert_goal(raw, client["id"], **overrides)


def test_schema_refuses_a_sprint_ending_before_it_starts(raw, client):
    with raw.refused("check"):
        raw.execute(
            "INSERT INTO sprints (id, root_id, created_at, updated_at, sprint_number, title,"
            " description, start_date, end_date, status)"
            " VALUES ('s', ?, 't', 't', 1, 'S', '', '2026-03-01', '2026-02-01', 'planning')",
            [client["id"]],
        )


def test_schema_refuses_a_row_of_an_unknown_client(raw, client):
    with raw.refused("foreign key"):
        insert_goal(raw, "no-such-client")


def test_link_pairs_are_unique_and_weights_positive(raw, tree):
    with raw.refused("unique"):
        raw.execute(
            "INSERT INTO target_goal_links (id, root_id, weight, created_at, target_id, goal_id)"
            " VALUES ('l2', ?, 1, 't', ?, ?)",
            [tree["root"], tree["outcome"], tree["goal"]],
        )
    with raw.refused("check"):
        raw.execute("UPDATE target_goal_links SET weight = 0")


def test_live_goal_titles_are_unique_per_client_but_trash_is_exempt(raw, client):
    first = ops.create_goal(client["id"], "Sleep better")
    ops.delete_item(first["id"])
    second = ops.create_goal(client["id"], "Sleep better")
    with raw.refused("unique"):
        insert_goal(raw, client["id"], title="Sleep better")
    assert second["title"] == "Sleep better"


# Tables not read by client: the audit log (read by entity) and a team database's schema version.
NOT_READ_BY_CLIENT = ("audit_log", "trellis_meta")


def test_every_foreign_key_and_root_id_has_an_index(raw):
    if raw.backend == "postgres":
        indexed_columns = postgres_indexed_columns(raw)
    else:
        indexed_columns = sqlite_indexed_columns(raw)
    for table, (indexed, fk_columns) in indexed_columns.items():
        wanted = fk_columns | (set() if table in NOT_READ_BY_CLIENT else {"root_id"})
        if table == "node_positions":
            wanted.discard("item_id")
        assert wanted <= indexed | {"id"}, (table, wanted - indexed)


def sqlite_indexed_columns(raw) -> dict[str, tuple[set[str], set[str]]]:
    """Per table: the first column of each index, and the foreign key columns."""
    conn = raw.conn
    found = {}
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        indexed = set()
        for (index_name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=?", [table]
        ):
            first = conn.execute(f"PRAGMA index_info('{index_name}')").fetchone()
            indexed.add(first[2])
        fk_columns = {r[3] for r in conn.execute(f"PRAGMA foreign_key_list('{table}')")}
        found[table] = (indexed, fk_columns)
    return found


def postgres_indexed_columns(raw) -> dict[str, tuple[set[str], set[str]]]:
    """The same, read from PostgreSQL's catalog (the schema the store writes to)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    tables = raw.execute(
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    ).fetchall()
    for oid, table in tables:
        indexed = {
            name
            for (name,) in raw.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = ?",
                [oid],
            )
        }
        fk_columns = {
            name
            for (name,) in raw.execute(
                "SELECT a.attname FROM pg_constraint k JOIN pg_attribute a"
                " ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)"
                " WHERE k.conrelid = ? AND k.contype = 'f'",
                [oid],
            )
        }
        found[table] = (indexed, fk_columns)
    return found


def test_purge_cascades_to_links_at_the_database_level(raw, tree):
    ops.delete_item(tree["outcome"])
    ops.purge_item(tree["outcome"])
    for table in ("target_goal_links", "target_sprint_links", "commitment_target_links"):
        assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
