"""`trellis import` refuses in one sentence (exit 2) and leaves the database byte-identical;
`trellis check` reports values already stored that the rules refuse (`bad-value`)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.cli.conftest import json_out, run_trellis
from tests.store.test_import_safety import folder_state, rekeyed


def exported(db, tmp_path) -> dict:
    target = tmp_path / "out" / "all.json"
    result = run_trellis("export", "--to", str(target), db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(target.read_text(encoding="utf-8"))


def write(tmp_path, text: str):
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    return path


def refused(db, path, match: str, *options: str) -> str:
    """Run the import, expect exit 2 with one line naming the problem, and nothing written."""
    before = folder_state(db.parent)
    result = run_trellis("import", str(path), *options, db=db)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert match in result.stderr
    assert folder_state(db.parent) == before  # the db, no backup, no audit row
    return result.stderr


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ("other-kind", "has the id of the commitment"),
        ("conflict", "for 1 row with the same id"),
        ("weight", "Weight must be a number above 0 (got 'abc')"),
        ("surrogate", "Title contains a lone surrogate"),
        ("sprint", "Sprint number must be from 1 to 2147483647"),
    ],
)
def test_a_refused_row_is_one_sentence_exit_2_and_the_database_is_byte_identical(
    demo_db, tmp_path, change, match
):
    doc = exported(demo_db, tmp_path)
    if change == "other-kind":
        commitment = doc["commitments"][0]["id"]
        doc = rekeyed(doc)
        doc["clients"] = [dict(c, name=c["name"] + " elsewhere") for c in doc["clients"]]
        doc["goals"][0]["id"] = commitment
    elif change == "conflict":
        doc["goals"][0]["title"] = "Edited on another machine"
    elif change == "weight":
        doc["links"]["outcome_goal"][0]["weight"] = "abc"
    elif change == "surrogate":
        doc["outcomes"][0]["title"] = "Run \ud800"
    else:
        doc["sprints"][0]["sprint_number"] = 2**70
    text = refused(demo_db, write(tmp_path, json.dumps(doc)), match)
    assert text.startswith("trellis: ")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"format": "trellis", "version": 1, "goals": [' + "9" * 5000 + "]}", "digits long"),
        ('{"format": "trellis", "version": 1, "goals": [], "tasks": []}', "section 'tasks'"),
    ],
)
def test_json_no_export_can_be_is_one_sentence_and_no_traceback(demo_db, tmp_path, text, match):
    refused(demo_db, write(tmp_path, text), match)


def test_a_client_name_already_here_says_how_to_import_it_under_a_new_name(demo_db, tmp_path):
    doc = rekeyed(exported(demo_db, tmp_path))
    path = write(tmp_path, json.dumps(doc))
    text = refused(demo_db, path, "This database already has clients named ")
    assert "'Leo Brandt'" in text and "'Maya Okafor'" in text and "UNIQUE" not in text
    assert "run again with --rename-clients to import them as " in text
    assert "'Leo Brandt (2)'" in text and "'Maya Okafor (2)'" in text
    result = run_trellis("import", str(path), "--rename-clients", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert "Imported client 'Maya Okafor' as 'Maya Okafor (2)'" in result.stdout
    names = sorted(c["name"] for c in exported(demo_db, tmp_path)["clients"])
    assert names == ["Leo Brandt", "Leo Brandt (2)", "Maya Okafor", "Maya Okafor (2)"]


def test_import_help_states_the_merge_rule_and_the_rename_flag():
    result = run_trellis("import", "--help")
    assert result.returncode == 0
    assert "--rename-clients" in result.stdout and "Name (2)" in result.stdout
    assert "other content refuses the whole import" in " ".join(result.stdout.split())


def test_check_reports_stored_bad_values_as_errors(demo_db):
    with sqlite3.connect(demo_db) as raw:  # written by an older import or another tool
        raw.execute("UPDATE target_goal_links SET weight = 'abc' WHERE rowid = 1")
    raw.close()
    result = run_trellis("check", "--json", db=demo_db)
    assert result.returncode == 1, result.stderr
    bad = [f for f in json_out(result)["findings"] if f["code"] == "bad-value"]
    assert len(bad) == 1 and bad[0]["severity"] == "error"
    assert "Weight must be a number above 0 (got 'abc')" in bad[0]["message"]
    assert bad[0]["client"] in ("Maya Okafor", "Leo Brandt")
    assert {i["kind"] for i in bad[0]["items"]} == {"goal", "outcome"}
