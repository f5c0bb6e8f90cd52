"""The real `trellis` command on a team database with two coaches and an administrator:
`copy` as a coach takes home only that coach's clients; `grant`, `revoke`, `move-client` and
`coaches` are the administrator's, audited, and every refusal is one sentence with nothing
changed; on a file they say coaches are a team database's."""

from __future__ import annotations

import json

import pytest

from store import load
from store.audit import history
from store.opening import close_database, open_database
from tests.cli.conftest import json_out, run_trellis
from tests.store.test_team_isolation import ADMIN, as_role, make_coaches, make_role, store_as
from tests.store.test_team_isolation import make_workspace as make_client

MAYAS, LEOS = "Maya's client", "Leo's client"


@pytest.fixture
def practice(team_database, tmp_path, monkeypatch):
    """maya's and leo's clients on a team database; the URL as each role."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    make_coaches()
    for coach, name in (("maya", MAYAS), ("leo", LEOS)):
        with store_as(team_database, coach):
            make_client(name)
    return {role: as_role(team_database, role) for role in ("maya", "leo", ADMIN)}


def coaches_json(practice) -> dict:
    result = run_trellis("coaches", "--json", db=practice[ADMIN])
    assert result.returncode == 0, result.stderr
    return {row["client"]: row["coaches"] for row in json_out(result)["clients"]}


def clients_seen(url: str) -> list[str]:
    open_database(url)
    try:
        return [c["name"] for c in load.list_clients()]
    finally:
        close_database()


def test_a_coach_copies_home_only_their_own_clients(practice, tmp_path):
    home = tmp_path / "home.db"
    result = run_trellis("copy", "--from", practice["maya"], "--to", str(home), "--json")
    assert result.returncode == 0, result.stderr
    assert json_out(result)["clients"] == 1
    exported = tmp_path / "home.json"
    assert run_trellis("export", "--to", str(exported), db=home).returncode == 0
    doc = json.loads(exported.read_text())
    assert [c["name"] for c in doc["clients"]] == [MAYAS]
    assert doc["goals"] and {g["root_id"] for g in doc["goals"]} == {doc["clients"][0]["id"]}
    assert "Leo" not in exported.read_text()


def test_an_administrator_grants_moves_and_revokes_and_the_coaches_see_it(practice):
    assert coaches_json(practice) == {LEOS: ["leo"], MAYAS: ["maya"]}
    granted = run_trellis("grant", "--client", LEOS, "--coach", "maya", db=practice[ADMIN])
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout == 'maya now sees "Leo\'s client" (its coaches: leo, maya).\n'
    assert clients_seen(practice["maya"]) == [LEOS, MAYAS]
    moved = run_trellis(
        "move-client", "--client", MAYAS, "--from", "maya", "--to", "leo", db=practice[ADMIN]
    )
    assert moved.returncode == 0, moved.stderr
    assert coaches_json(practice) == {LEOS: ["leo", "maya"], MAYAS: ["leo"]}
    assert clients_seen(practice["maya"]) == [LEOS]
    assert clients_seen(practice["leo"]) == [LEOS, MAYAS]
    revoked = run_trellis("revoke", "--client", LEOS, "--coach", "maya", db=practice[ADMIN])
    assert revoked.returncode == 0, revoked.stderr
    assert clients_seen(practice["maya"]) == []
    listed = run_trellis("coaches", db=practice[ADMIN])
    assert listed.stdout == f"{LEOS}: leo\n{MAYAS}: leo\nCoaches with no client: maya.\n"
    one = run_trellis("coaches", "--client", MAYAS, "--json", db=practice[ADMIN])
    assert [row["coaches"] for row in json_out(one)] == [["leo"]]


def test_every_change_of_coaches_is_audited_with_the_administrators_name(practice):
    for command in ("grant", "revoke"):
        done = run_trellis(command, "--client", LEOS, "--coach", "maya", db=practice[ADMIN])
        assert done.returncode == 0, done.stderr

    with store_as(practice[ADMIN], ADMIN):
        root = next(c["id"] for c in load.list_clients() if c["name"] == LEOS)
        rows = [r for r in history(root) if r["action"] in ("grant", "revoke")]
    assert [(r["action"], r["actor"]) for r in rows] == [("revoke", ADMIN), ("grant", ADMIN)]
    assert rows[1]["before"] == {"coaches": ["leo"]}
    assert rows[1]["after"] == {"coaches": ["leo", "maya"]}
    assert rows[1]["operation_label"] == "Grant client"


def one_sentence(result, code: int, words: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert words in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "role", "words"),
    [
        (("grant", "--client", LEOS, "--coach", "maya"), "maya",
         "may grant clients; you are connected as 'maya', a coach"),
        (("revoke", "--client", MAYAS, "--coach", "maya"), "maya",
         "Only an administrator of the team database may revoke clients"),
        (("move-client", "--client", MAYAS, "--from", "maya", "--to", "leo"), "maya",
         "Only an administrator of the team database may move clients"),
        (("coaches",), "leo", "Only an administrator of the team database may list who sees"),
        (("grant", "--client", LEOS, "--coach", "nobody"), ADMIN,
         "There is no role 'nobody' on this server; an administrator makes it with CREATE ROLE"),
        (("grant", "--client", LEOS, "--coach", "bystander"), ADMIN,
         "The role 'bystander' is not a coach (not a member of trellis_coach)"),
        (("grant", "--client", LEOS, "--coach", "leo"), ADMIN, "'leo' already sees"),
        (("revoke", "--client", LEOS, "--coach", "maya"), ADMIN,
         "'maya' does not see \"Leo's client\" (it is seen by 'leo')"),
        (("move-client", "--client", LEOS, "--from", "leo", "--to", "leo"), ADMIN,
         "is 'leo''s already"),
        (("grant", "--client", "Nobody", "--coach", "leo"), ADMIN, "No client named 'Nobody'"),
    ],
)  # fmt: skip
def test_refusals_are_one_sentence_and_change_nothing(practice, args, role, words):
    make_role("bystander", "pg_read_all_settings")
    before = coaches_json(practice)
    one_sentence(run_trellis(*args, db=practice[role]), 2, words)
    assert coaches_json(practice) == before


@pytest.mark.parametrize("args", [("grant", "--client", "A", "--coach", "maya"), ("coaches",)])
def test_on_a_file_the_commands_say_coaches_are_a_team_databases(tmp_path, args):
    path = tmp_path / "mine.db"
    one_sentence(run_trellis(*args, db=path), 2, "Coaches and grants are for a team database")
    assert not path.exists()
