"""A team database whose connection drops (the server restarted, the session ended): the next
read or write says so in one sentence, nothing reported saved is lost, and reconnecting goes on
where it stopped (issue 15)."""

from __future__ import annotations

import pytest

from store import ops, team
from store.errors import TeamUnavailable
from store.load import load_hierarchy
from store.opening import open_database
from tests import postgres_server


def end_sessions(url: str) -> None:
    """What a server restart does to the store's connections on `url`'s database."""
    name = url.split("?")[0].rsplit("/", 1)[1]
    with postgres_server.admin_connection() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )


@pytest.mark.parametrize("then", ["read", "write"])
def test_the_first_statement_after_a_drop_says_so_and_reconnect_keeps_what_was_saved(
    team_database, then
):
    open_database(team_database)
    root = ops.create_client("Maya")["id"]
    goal = ops.create_goal(root, "Saved before the drop")["id"]
    end_sessions(team_database)
    with pytest.raises(TeamUnavailable) as refused:
        if then == "read":
            ops.get_item(goal)
        else:
            ops.create_goal(root, "Written while away")
    said = str(refused.value)
    assert said.startswith(f"The team database {team_database.split('?')[0].rsplit('/', 1)[1]}")
    assert "cannot be reached" in said and "File → Reconnect" in said
    assert "\n" not in said
    team.reconnect()
    assert goal_titles(root) == ["Saved before the drop"]
    ops.create_goal(root, "Written after reconnecting")
    assert goal_titles(root) == ["Saved before the drop", "Written after reconnecting"]


def goal_titles(root: str) -> list[str]:
    return sorted(i.title for i in load_hierarchy(root).items.values() if i.kind == "goal")
