"""The `trellis` command line: exit codes, JSON shapes and one-line errors (DESIGN §6)."""

import hashlib
import sqlite3

from tests.cli.conftest import json_out, run_trellis
from tests.factories import another_programs_file


def item_id(db, table, title):
    conn = sqlite3.connect(db)
    return conn.execute(f"SELECT id FROM {table} WHERE title = ?", [title]).fetchone()[0]


def test_demo_then_check_json_is_ok(demo_db):
    result = run_trellis("check", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    report = json_out(result)
    assert report["ok"] is True
    for finding in report["findings"]:
        assert set(finding) == {"code", "severity", "message", "client", "items"}
        assert finding["severity"] != "error"
        assert all(set(i) == {"kind", "id", "title"} for i in finding["items"])


def test_demo_twice_is_refused_with_a_sentence_and_adds_nothing(demo_db):
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    result = run_trellis("demo", db=demo_db)
    assert result.returncode == 2
    assert result.stderr == (
        "trellis: The sample workspace is already here (there is a client named "
        "'Maya Okafor'); nothing was added.\n"
    )
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_check_exits_1_and_names_a_cross_client_link(demo_db):
    conn = sqlite3.connect(demo_db)
    maya_outcome = item_id(demo_db, "targets", "Run 5 km three times a week")
    leo_goal = item_id(demo_db, "client_goals", "Reach a steady monthly income")
    root = conn.execute("SELECT root_id FROM targets WHERE id = ?", [maya_outcome]).fetchone()[0]
    conn.execute(
        "INSERT INTO target_goal_links (id, root_id, weight, created_at, target_id, goal_id)"
        " VALUES ('bad-link', ?, 1, 't', ?, ?)",
        [root, maya_outcome, leo_goal],
    )
    conn.commit()
    conn.close()
    result = run_trellis("check", "--json", db=demo_db)
    assert result.returncode == 1
    report = json_out(result)
    assert report["ok"] is False
    codes = {f["code"] for f in report["findings"] if f["severity"] == "error"}
    assert "cross-root-link" in codes
    finding = next(f for f in report["findings"] if f["code"] == "cross-root-link")
    assert finding["client"] == "Maya Okafor"


def test_check_client_limits_findings_and_unknown_client_is_exit_2(demo_db):
    result = run_trellis("check", "--json", "--client", "Leo Brandt", db=demo_db)
    assert result.returncode == 0
    assert {f["client"] for f in json_out(result)["findings"]} <= {"Leo Brandt"}
    result = run_trellis("check", "--client", "Nobody", db=demo_db)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "trellis: No client named 'Nobody'; the clients are 'Leo Brandt', 'Maya Okafor'."
    )


def test_check_fix_repairs_link_roots_and_drops_dangling_links_after_a_backup(demo_db):
    conn = sqlite3.connect(demo_db)  # foreign keys off: how older tools wrote files
    leo = conn.execute("SELECT id FROM clients WHERE name = 'Leo Brandt'").fetchone()[0]
    conn.execute("UPDATE target_goal_links SET root_id = ? WHERE rowid = 1", [leo])
    conn.execute(
        "INSERT INTO commitment_target_links (id, root_id, weight, created_at, commitment_id,"
        " target_id) SELECT 'dangling', root_id, 1, 't', 'gone', id FROM targets LIMIT 1"
    )
    conn.commit()
    conn.close()
    assert run_trellis("check", db=demo_db).returncode == 1
    fixed = run_trellis("check", "--fix", "--json", db=demo_db)
    assert fixed.returncode == 0, fixed.stdout
    assert "removed dangling commitment_outcome link dangling" in fixed.stderr
    assert "set root_id of outcome_goal link" in fixed.stderr
    assert list((demo_db.parent / "backups").glob("*repair*.db"))
    conn = sqlite3.connect(demo_db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_export_import_round_trip_through_the_cli(demo_db, tmp_path):
    out = tmp_path / "out.json"
    assert run_trellis("export", "--to", str(out), db=demo_db).returncode == 0
    fresh = tmp_path / "fresh.db"
    result = run_trellis("import", str(out), db=fresh)
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.json"
    run_trellis("export", "--to", str(again), db=fresh)
    assert again.read_text() == out.read_text()
    second = run_trellis("import", str(out), db=fresh)
    assert "Nothing new" in second.stdout


def test_import_of_broken_json_is_one_line_exit_2_and_changes_nothing(demo_db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "trellis", "version": 1, "goals": [')
    before = demo_db.read_bytes()
    result = run_trellis("import", str(bad), db=demo_db)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is not valid JSON" in result.stderr
    assert demo_db.read_bytes() == before


def test_a_foreign_file_is_refused_with_exit_3(tmp_path):
    other = another_programs_file(tmp_path / "other.db", "t (x)")
    result = run_trellis("check", db=other)
    assert result.returncode == 3
    assert "another program" in result.stderr and "Traceback" not in result.stderr


def test_trash_restore_item_and_purge(demo_db):
    listing = json_out(run_trellis("trash", "--json", db=demo_db))
    [entry] = listing
    assert entry["title"] == "Read a leadership book a month" and len(entry["links"]) == 1
    restored = run_trellis("restore-item", entry["id"], db=demo_db)
    assert restored.returncode == 0 and "Restored commitment" in restored.stdout
    assert json_out(run_trellis("trash", "--json", db=demo_db)) == []
    refused = run_trellis("purge", entry["id"], "--yes", db=demo_db)
    assert refused.returncode == 2 and "delete it before purging" in refused.stderr


def test_purge_without_yes_and_without_a_terminal_is_refused(demo_db):
    [entry] = json_out(run_trellis("trash", "--json", db=demo_db))
    result = run_trellis("purge", entry["id"], db=demo_db, stdin="")
    assert result.returncode == 2 and "needs --yes" in result.stderr
    assert len(json_out(run_trellis("trash", "--json", db=demo_db))) == 1
    assert run_trellis("purge", entry["id"], "--yes", db=demo_db).returncode == 0
    assert json_out(run_trellis("trash", "--json", db=demo_db)) == []


def test_bad_usage_is_exit_2(tmp_path):
    result = run_trellis("export", db=tmp_path / "x.db")
    assert result.returncode == 2 and "--to" in result.stderr
