"""The schema itself enforces the rules, even for writes that bypass store.ops."""

import sqlite3

import pytest

from store import ops


def raw(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


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
def test_schema_checks_refuse_bad_goal_rows(db, client, overrides):
    conn = raw(db)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        insert_goal(conn, client["id"], **overrides)


def test_schema_refuses_a_sprint_ending_before_it_starts(db, client):
    conn = raw(db)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO sprints (id, root_id, created_at, updated_at, sprint_number, title,"
            " description, start_date, end_date, status)"
            " VALUES ('s', ?, 't', 't', 1, 'S', '', '2026-03-01', '2026-02-01', 'planning')",
            [client["id"]],
        )


def test_schema_refuses_a_row_of_an_unknown_client(db, client):
    conn = raw(db)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        insert_goal(conn, "no-such-client")


def test_link_pairs_are_unique_and_weights_positive(db, tree):
    conn = raw(db)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO target_goal_links (id, root_id, weight, created_at, target_id, goal_id)"
            " VALUES ('l2', ?, 1, 't', ?, ?)",
            [tree["root"], tree["outcome"], tree["goal"]],
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("UPDATE target_goal_links SET weight = 0")


def test_live_goal_titles_are_unique_per_client_but_trash_is_exempt(db, client):
    first = ops.create_goal(client["id"], "Sleep better")
    ops.delete_item(first["id"])
    second = ops.create_goal(client["id"], "Sleep better")
    conn = raw(db)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        insert_goal(conn, client["id"], title="Sleep better")
    assert second["title"] == "Sleep better"


def test_every_foreign_key_and_root_id_has_an_index(db):
    conn = raw(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        indexed = set()
        for (index_name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=?", [table]
        ):
            first = conn.execute(f"PRAGMA index_info('{index_name}')").fetchone()
            indexed.add(first[2])
        fk_columns = {r[3] for r in conn.execute(f"PRAGMA foreign_key_list('{table}')")}
        wanted = fk_columns | ({"root_id"} if table != "audit_log" else set())
        if table == "node_positions":
            wanted.discard("item_id")
        assert wanted <= indexed | {"id"}, (table, wanted - indexed)


def test_purge_cascades_to_links_at_the_database_level(db, tree):
    ops.delete_item(tree["outcome"])
    ops.purge_item(tree["outcome"])
    conn = raw(db)
    for table in ("target_goal_links", "target_sprint_links", "commitment_target_links"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
