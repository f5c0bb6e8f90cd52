"""The two ways to find one client's rows: seed 2's `root_id` filter, and joins through goals.

Without a `root_id` column only goals know their client (as the legacy `client_goals` did);
everything else is reached by joining through the link tables to those goals. Both sets of
queries read the same columns through the same indexes we ship; neither builds objects.
"""

from __future__ import annotations

import sqlite3

TABLES = (
    "client_goals",
    "targets",
    "sprints",
    "commitments",
    "target_goal_links",
    "target_sprint_links",
    "commitment_target_links",
)

SCOPED = {table: f"SELECT * FROM {table} WHERE root_id = :root" for table in TABLES}

# Outcomes reach their client through the goals they serve.
_OUTCOMES = """
    SELECT tg.target_id FROM target_goal_links tg
    JOIN client_goals g ON g.id = tg.goal_id WHERE g.root_id = :root"""

# Semi-joins (IN): each row once however many paths reach it, and the planner walks the
# link tables' foreign-key indexes from the client's goals outward.
JOINED_IN = {
    "client_goals": "SELECT * FROM client_goals WHERE root_id = :root",
    "targets": f"SELECT * FROM targets WHERE id IN ({_OUTCOMES})",
    "sprints": f"""SELECT * FROM sprints WHERE id IN (
        SELECT ts.sprint_id FROM target_sprint_links ts WHERE ts.target_id IN ({_OUTCOMES}))""",
    "commitments": f"""SELECT * FROM commitments WHERE id IN (
        SELECT ct.commitment_id FROM commitment_target_links ct
        WHERE ct.target_id IN ({_OUTCOMES}))""",
    "target_goal_links": """SELECT tg.* FROM target_goal_links tg
        JOIN client_goals g ON g.id = tg.goal_id WHERE g.root_id = :root""",
    "target_sprint_links": (f"SELECT * FROM target_sprint_links WHERE target_id IN ({_OUTCOMES})"),
    "commitment_target_links": (
        f"SELECT * FROM commitment_target_links WHERE target_id IN ({_OUTCOMES})"
    ),
}

# The seed's literal form: plain joins down the chain, DISTINCT to drop rows reached twice.
JOINED_DISTINCT = {
    "client_goals": "SELECT * FROM client_goals WHERE root_id = :root",
    "targets": """SELECT DISTINCT t.* FROM targets t
        JOIN target_goal_links tg ON tg.target_id = t.id
        JOIN client_goals g ON g.id = tg.goal_id WHERE g.root_id = :root""",
    "sprints": """SELECT DISTINCT s.* FROM sprints s
        JOIN target_sprint_links ts ON ts.sprint_id = s.id
        JOIN target_goal_links tg ON tg.target_id = ts.target_id
        JOIN client_goals g ON g.id = tg.goal_id WHERE g.root_id = :root""",
    "commitments": """SELECT DISTINCT c.* FROM commitments c
        JOIN commitment_target_links ct ON ct.commitment_id = c.id
        JOIN target_goal_links tg ON tg.target_id = ct.target_id
        JOIN client_goals g ON g.id = tg.goal_id WHERE g.root_id = :root""",
    "target_goal_links": JOINED_IN["target_goal_links"],
    "target_sprint_links": """SELECT DISTINCT ts.* FROM target_sprint_links ts
        JOIN target_goal_links tg ON tg.target_id = ts.target_id
        JOIN client_goals g ON g.id = tg.goal_id WHERE g.root_id = :root""",
    "commitment_target_links": """SELECT DISTINCT ct.* FROM commitment_target_links ct
        JOIN target_goal_links tg ON tg.target_id = ct.target_id
        JOIN client_goals g ON g.id = tg.goal_id WHERE g.root_id = :root""",
}

PATHS = {"root_id": SCOPED, "join_in": JOINED_IN, "join_distinct": JOINED_DISTINCT}


def fetch_all(conn: sqlite3.Connection, queries: dict[str, str], root: str) -> dict[str, list]:
    """Every table's rows for one client by one path."""
    return {table: conn.execute(sql, {"root": root}).fetchall() for table, sql in queries.items()}


def plans(conn: sqlite3.Connection, queries: dict[str, str], root: str) -> dict[str, list[str]]:
    """SQLite's query plan per table, to show which indexes each path uses."""
    return {
        table: [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", {"root": root})]
        for table, sql in queries.items()
    }
