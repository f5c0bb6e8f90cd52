"""`trellis import-legacy` as a subprocess keeps legacy databases apart: a second file whose app
numbered its rows 1, 2… too gets fresh ids (listed under "New ids"), every row stays under its
own client as `trellis export` reads it back, the dry run says the same and writes nothing, and
re-importing either file adds nothing. Hostile values are reported, never a traceback."""

from __future__ import annotations

from tests.cli.conftest import json_out, run_trellis
from tests.cli.test_import_legacy_cli import digest, export
from tests.legacy_factory import LegacyFile, clients_by_title, numbered_file, write_raw

KINDS = ("goal", "outcome", "sprint", "session", "task")


def two_files(tmp_path):
    """Legacy files from two apps that both numbered their rows 1, 2…, and a target holding
    the first one's import."""
    first = numbered_file(("Ana", "Bo"), "A").write(tmp_path / "first.db")
    second = numbered_file(("Cy", "Di"), "B").write(tmp_path / "second.db")
    db = tmp_path / "trellis.db"
    result = run_trellis("import-legacy", str(first), db=db)
    assert result.returncode == 0, result.stderr
    return first, second, db


def test_second_database_reusing_ids_is_filed_under_its_own_clients(tmp_path):
    _first, second, db = two_files(tmp_path)
    result = run_trellis("import-legacy", str(second), "--json", db=db)
    assert result.returncode == 0, result.stderr
    doc = json_out(result)
    assert {s: (c["new"], c["already_imported"]) for s, c in doc["rows"].items()} == dict.fromkeys(
        ("clients", "sessions", "goals", "outcomes", "sprints", "commitments"), (2, 0)
    )
    assert {k: c["new"] for k, c in doc["links"].items()} == dict.fromkeys(doc["links"], 2)
    assert sorted((r["table"], r["id"]) for r in doc["rekeyed"]) == sorted(
        [("clients", "1"), ("clients", "2"), ("coaching_sessions", "41")]
        + [("coaching_sessions", "42"), ("client_goals", "11"), ("client_goals", "12")]
        + [("sprints", "21"), ("sprints", "22"), ("commitments", "51"), ("commitments", "52")]
        + [("targets", "31"), ("targets", "32")]
    )
    assert doc["result"]["added"]["client"] == 2 and doc["result"]["errors"] == 0
    exported = export(db, tmp_path)
    expected = {}
    for tag, names in (("A", ("Ana", "Bo")), ("B", ("Cy", "Di"))):
        for n, name in enumerate(names, start=1):
            expected |= {f"{tag} {kind} {n}": name for kind in KINDS}
    assert clients_by_title(exported) == expected


def test_dry_run_lists_the_same_new_ids_and_leaves_the_database_byte_for_byte(tmp_path):
    _first, second, db = two_files(tmp_path)
    before = digest(db)
    dry = run_trellis("import-legacy", str(second), "--dry-run", "--json", db=db)
    assert dry.returncode == 0, dry.stderr
    assert digest(db) == before
    text = run_trellis("import-legacy", str(second), "--dry-run", db=db)
    assert "New ids (12):" in text.stdout
    assert "  - clients row 1 (id 1): an earlier import wrote client 1 from a different row" in (
        text.stdout
    )
    assert digest(db) == before
    real = run_trellis("import-legacy", str(second), "--json", db=db)
    assert json_out(real)["rekeyed"] == json_out(dry)["rekeyed"]


def test_reimporting_either_file_after_the_other_adds_nothing_and_says_so(tmp_path):
    first, second, db = two_files(tmp_path)
    assert run_trellis("import-legacy", str(second), db=db).returncode == 0
    before, exported = digest(db), export(db, tmp_path)
    for source in (first, second):
        result = run_trellis("import-legacy", str(source), "--json", db=db)
        assert result.returncode == 0, result.stderr
        doc = json_out(result)
        assert doc["nothing_new"] is True and doc["rekeyed"] == []
        assert sum(c["already_imported"] for c in doc["rows"].values()) == 12
    assert digest(db) == before
    assert export(db, tmp_path) == exported


def test_deep_json_lone_surrogates_and_huge_numbers_are_reported_not_a_traceback(tmp_path):
    f = LegacyFile()
    ana = f.client("Ana", id="c1")
    deep = "[" * 100_000 + "]" * 100_000
    f.commitment(ana, "Deep", id="c1-deep", metadata='{"linked_goal_ids": ' + deep + "}")
    f.commitment(ana, "Surrogate", metadata='{"linked_sprint_ids": ["\\ud800"]}')
    f.sprint(ana, 2**63 - 1, "Huge", start="9" * 5000)
    source = f.write(tmp_path / "legacy.db")
    write_raw(
        source,
        "INSERT INTO client_goals (id, client_id, title, status, progress) "
        "VALUES ('g1', 'c1', CAST(x'ff41eda080' AS TEXT), 'active', 9.9e307)",
    )
    db = tmp_path / "trellis.db"
    outputs = []
    for extra in (("--dry-run",), ("--dry-run", "--json"), (), ("--json",)):
        result = run_trellis("import-legacy", str(source), *extra, db=db)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        outputs.append(result.stdout)
    text = outputs[0]
    assert "Imported 5 rows and 0 links in one transaction" in outputs[2]
    assert "commitments row 1 (id c1-deep): commit_metadata is not valid JSON" in text
    assert "names \\ud800, which is no row of sprints; ignored" in text
    assert "sprint_number 9223372036854775807 is not a positive number; numbered 1" in text
    assert "progress 9.9e+307 is outside 0–100; imported as 100" in text
    exported = export(db, tmp_path)
    assert sorted(c["title"] for c in exported["commitments"]) == ["Deep", "Surrogate"]
    assert [(g["title"], g["progress"]) for g in exported["goals"]] == [
        ("\ufffdA\ufffd\ufffd\ufffd", 100)
    ]
    assert [s["sprint_number"] for s in exported["sprints"]] == [1]
