"""`trellis import-legacy` as a subprocess: the plan, the dry run, the import, read back through
`trellis export`."""

from __future__ import annotations

import hashlib
import json

from tests.cli.conftest import json_out, run_trellis
from tests.legacy_factory import LegacyFile, link_titles

PLACEHOLDER = "Unsorted — from goal 'Get fit' (imported)"


def messy(tmp_path):
    """One client with a carried link, a converted one, a placeholder and two problems."""
    f = LegacyFile()
    ana = f.client("Ana")
    fit = f.goal(ana, "Get fit", status="on hold")
    run = f.target("Run 10 km", goal=fit)
    f.target("Swim", goal=fit)
    shoes = f.commitment(ana, "Buy shoes")
    f.link(shoes, run)
    f.commitment(ana, "Stretch", goal=fit, metadata="{broken")
    return f.write(tmp_path / "legacy.db")


def export(db, tmp_path) -> dict:
    out = tmp_path / "export.json"
    result = run_trellis("export", "--to", str(out), db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_prints_the_whole_plan_and_creates_no_database(tmp_path):
    source = messy(tmp_path)
    db = tmp_path / "data" / "trellis.db"
    result = run_trellis("import-legacy", str(source), "--dry-run", db=db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in ("Rows", "Links by source", "Conversions (1):", "Placeholders (1):"):
        assert heading in out
    assert "Problems (2):" in out
    assert "client_goals row 1" in out and "status 'on hold'" in out
    assert f"outcome '{PLACEHOLDER}' for goal 'Get fit' of client 'Ana' (new)" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert not db.exists() and not db.parent.exists()


def test_dry_run_json_has_counts_sources_conversions_placeholders_and_problems(tmp_path):
    source = messy(tmp_path)
    result = run_trellis("import-legacy", str(source), "--dry-run", "--json", db=tmp_path / "t.db")
    assert result.returncode == 0, result.stderr
    doc = json_out(result)
    assert doc["dry_run"] is True and doc["result"] is None and doc["nothing_new"] is False
    assert doc["rows"]["outcomes"] == {
        "table": "targets",
        "in_file": 2,
        "new": 3,
        "already_imported": 0,
        "made_by_import": 1,
    }
    assert doc["links"]["commitment_outcome"] == {"new": 2, "already_imported": 0}
    assert doc["link_sources"]["commitments.goal_id"]["converted"] == 1
    assert [c["source"] for c in doc["conversions"]] == ["commitments.goal_id"]
    assert [p["title"] for p in doc["placeholders"]] == [PLACEHOLDER]
    assert [(p["table"], p["row"]) for p in doc["problems"]] == [
        ("client_goals", 1),
        ("commitments", 2),
    ]


def test_dry_run_leaves_an_existing_database_unchanged(tmp_path):
    db = tmp_path / "trellis.db"
    assert run_trellis("demo", db=db).returncode == 0
    before = digest(db)
    result = run_trellis("import-legacy", str(messy(tmp_path)), "--dry-run", db=db)
    assert result.returncode == 0, result.stderr
    assert digest(db) == before


def test_import_then_export_shows_exactly_the_planned_links(tmp_path):
    source = messy(tmp_path)
    legacy_before = digest(source)
    db = tmp_path / "trellis.db"
    result = run_trellis("import-legacy", str(source), db=db)
    assert result.returncode == 0, result.stderr
    assert "Imported 7 rows and 5 links in one transaction" in result.stdout
    assert link_titles(export(db, tmp_path)) == {
        "outcome_goal": {
            ("Get fit", "Run 10 km"),
            ("Get fit", "Swim"),
            ("Get fit", PLACEHOLDER),
        },
        "outcome_sprint": set(),
        "commitment_outcome": {("Run 10 km", "Buy shoes"), (PLACEHOLDER, "Stretch")},
    }
    assert digest(source) == legacy_before


def test_second_import_adds_nothing_and_says_so(tmp_path):
    source, db = messy(tmp_path), tmp_path / "trellis.db"
    assert run_trellis("import-legacy", str(source), db=db).returncode == 0
    first = export(db, tmp_path)
    result = run_trellis("import-legacy", str(source), "--json", db=db)
    assert result.returncode == 0, result.stderr
    doc = json_out(result)
    assert doc["nothing_new"] is True and doc["result"]["added"] == {}
    assert doc["rows"]["commitments"]["already_imported"] == 2
    assert export(db, tmp_path) == first
    text = run_trellis("import-legacy", str(source), db=db).stdout
    assert "Nothing new: every row and link of this file was imported before" in text


def test_import_into_a_database_with_data_reports_its_backup(tmp_path):
    db = tmp_path / "trellis.db"
    assert run_trellis("demo", db=db).returncode == 0
    result = run_trellis("import-legacy", str(messy(tmp_path)), "--json", db=db)
    assert result.returncode == 0, result.stderr
    outcome = json_out(result)["result"]
    assert outcome["verified"] is True and outcome["errors"] == 0
    assert outcome["backup"].endswith("_legacy-import.db")
    assert (tmp_path / "backups").is_dir()


def test_a_file_that_is_not_legacy_is_refused_with_one_line_and_no_database(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello")
    db = tmp_path / "trellis.db"
    result = run_trellis("import-legacy", str(bogus), db=db)
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "trellis: notes.db is not a legacy coaching database (not a SQLite file)."
    )
    assert not db.exists()


def test_a_missing_legacy_file_is_bad_input(tmp_path):
    result = run_trellis("import-legacy", str(tmp_path / "gone.db"), db=tmp_path / "t.db")
    assert result.returncode == 2
    assert "There is no file at" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "t.db").exists()
