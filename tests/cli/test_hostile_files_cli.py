"""What an adversarial pass found after the first fixes of issue 11 (round 2), through the real
`trellis` command: files and names another tool, a kill or a hand edit can leave. Every refusal
is one sentence with exit 2 or 3, no traceback, and the database as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.cli.conftest import REPO, run_trellis
from tests.cli.test_backup_cli import backups_of, one_line_error
from tests.cli.test_cli_mistakes import sha256
from tests.legacy_factory import LegacyFile

STAMP = "2026-01-01T00:00:00+00:00"


def one_client_document(path: Path, name: str, **goal) -> Path:
    """A Trellis export holding one new client with one goal (fields of the goal overridable)."""
    cid = str(uuid.uuid4())
    row = {"id": cid, "root_id": cid, "created_at": STAMP, "updated_at": STAMP, "deleted_at": None}
    doc = {
        "format": "trellis",
        "version": 1,
        "clients": [row | {"name": name, "notes": ""}],
        "goals": [
            row
            | {"id": str(uuid.uuid4()), "title": f"G {name}", "description": "", "category": ""}
            | {"status": "active", "progress": 0, "progress_mode": "derived", "target_date": None}
            | goal
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr


# ---------------------------------------------------------------- 3. errors already there


def test_an_error_already_in_the_database_does_not_block_an_unrelated_import(demo_db, tmp_path):
    """A link filed under the wrong client (left by an older version) is check's to report; an
    import that adds nothing wrong goes in, with the one backup an import takes."""
    sql(
        demo_db,
        "UPDATE target_goal_links SET root_id = (SELECT id FROM clients ORDER BY rowid DESC "
        "LIMIT 1) WHERE rowid = (SELECT min(rowid) FROM target_goal_links WHERE root_id != "
        "(SELECT id FROM clients ORDER BY rowid DESC LIMIT 1))",
    )
    assert "root-mismatch" in run_trellis("check", db=demo_db).stdout
    doc = one_client_document(tmp_path / "n.json", "Unrelated new client")
    result = run_trellis("import", str(doc), db=demo_db)
    assert result.returncode == 0, result.stderr
    assert [p.name.endswith("_import.db") for p in backups_of(demo_db)] == [True]
    after = run_trellis("check", db=demo_db)
    assert after.returncode == 1 and after.stdout.count("root-mismatch") == 1
    with sqlite3.connect(demo_db) as conn:
        found = conn.execute("SELECT count(*) FROM clients WHERE name = 'Unrelated new client'")
        assert found.fetchone()[0] == 1


# ---------------------------------------------------------------- 4. odd names in backups/


@pytest.mark.parametrize(
    "odd", ["2026-02-30_00-00-00_000000", "2026-01-01_25-00-00_000000"], ids=["feb-30", "hour-25"]
)
def test_a_backup_name_that_is_no_real_time_is_skipped_by_every_command(demo_db, tmp_path, odd):
    """Named like ours but never written by us: listed, thinned and deleted by no command."""
    folder = demo_db.parent / "backups"
    folder.mkdir()
    stray = folder / f"{demo_db.name}.{odd}_manual.db"
    stray.write_bytes(b"x")
    doc = one_client_document(tmp_path / "n.json", "New")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    commands = [
        ("backups",),
        ("backup",),
        ("import", str(doc)),
        ("check", "--fix"),
        ("backup", "--to", str(outside / "b.db")),
        ("restore", str(outside / "b.db"), "--yes"),
    ]
    for command in commands:
        result = run_trellis(*command, db=demo_db)
        no_traceback(result)
        assert result.returncode == 0, (command, result.stderr)
        assert stray.name not in result.stdout
    assert stray.read_bytes() == b"x"


# ---------------------------------------------------------------- 2. --db names a side file


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize("command", ["import", "demo", "restore"])
def test_a_db_named_like_a_side_file_of_a_database_is_refused_and_nothing_is_created(
    demo_db, tmp_path, suffix, command
):
    """A database built at D-wal vanishes at D's next open; one at D-journal is rolled into D."""
    made = tmp_path / "made.db"
    assert run_trellis("backup", "--to", str(made), db=demo_db).returncode == 0
    args = {
        "import": ("import", str(one_client_document(tmp_path / "n.json", "Precious"))),
        "demo": ("demo",),
        "restore": ("restore", str(made), "--yes"),
    }[command]
    before = sha256(demo_db), sorted(demo_db.parent.iterdir())
    side = demo_db.with_name(demo_db.name + suffix)
    result = run_trellis(*args, db=side)
    one_line_error(result, 2, f"{side} is a side file of the database {demo_db}")
    assert (sha256(demo_db), sorted(demo_db.parent.iterdir())) == before
    assert not side.exists()


def test_a_db_in_a_new_folder_named_like_a_side_file_is_refused(demo_db):
    inside = demo_db.with_name(demo_db.name + "-wal") / "x.db"
    one_line_error(run_trellis("demo", db=inside), 2, "a side file name of the database")
    assert not inside.parent.exists()


# ---------------------------------------------------------------- 9. restore keeps the mode


def test_restore_keeps_the_live_files_permissions_and_owner(demo_db, tmp_path):
    made = tmp_path / "b.db"
    assert run_trellis("backup", "--to", str(made), db=demo_db).returncode == 0
    os.chmod(demo_db, 0o664)
    owner = (12345, 12345) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    if os.geteuid() == 0:  # only root can give a file away; others keep their own anyway
        os.chown(demo_db, *owner)
    result = run_trellis("restore", str(made), "--yes", db=demo_db)
    assert result.returncode == 0, result.stderr
    found = os.stat(demo_db)
    assert (stat.S_IMODE(found.st_mode), (found.st_uid, found.st_gid)) == (0o664, owner)


# ---------------------------------------------------------------- 10. small ones: legacy


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_import_legacy_of_a_fifo_or_device_says_it_is_not_a_regular_file(tmp_path, kind):
    db = tmp_path / "t.db"
    source = Path("/dev/zero")
    if kind == "fifo":
        source = tmp_path / "f.db"
        os.mkfifo(source)
    result = run_trellis("import-legacy", str(source), db=db)
    one_line_error(result, 3, f"{source.name} is not a regular file")
    assert "There is no file" not in result.stderr
    assert not db.exists()


def test_import_legacy_lists_text_it_had_to_mend_bad_bytes_and_nuls(tmp_path):
    """Invalid UTF-8 becomes U+FFFD and a NUL goes: the report says so, row by row."""
    f = LegacyFile()
    ana = f.client("Ana")
    f.goal(ana, "Get fit")
    f.goal(ana, "Read more")
    source = f.write(tmp_path / "legacy.db")
    sql(
        source,
        "UPDATE client_goals SET title = CAST(x'476574ff20666974' AS TEXT) WHERE title = 'Get fit'",
        "UPDATE client_goals SET description = 'a' || char(0) || 'b' WHERE title = 'Read more'",
    )
    result = run_trellis("import-legacy", str(source), "--dry-run", "--json", db=tmp_path / "t.db")
    assert result.returncode == 0, result.stderr
    said = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert any("title held bytes that are not UTF-8 text" in m for m in said), said
    assert any("description held NUL characters; they were removed" in m for m in said), said


# ---------------------------------------------------------------- 10. small ones


def test_an_export_saved_with_a_byte_order_mark_imports(demo_db, tmp_path):
    """Windows Notepad saves UTF-8 with a BOM; the file is still the export it was."""
    plain = one_client_document(tmp_path / "n.json", "Bom")
    marked = tmp_path / "bom.json"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    result = run_trellis("import", str(marked), db=demo_db)
    assert result.returncode == 0, result.stderr
    assert "Imported 2 rows" in result.stdout


def test_export_to_dev_stdout_keeps_the_json_whole_and_says_so_on_stderr(demo_db, tmp_path):
    piped = run_trellis("export", "--to", "/dev/stdout", db=demo_db)
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["format"] == "trellis"
    assert "Exported" in piped.stderr
    out = tmp_path / "out.json"
    with open(out, "w") as redirected:  # `trellis export --to /dev/stdout > out.json`
        result = subprocess.run(
            [sys.executable, "-m", "cli", "export", "--to", "/dev/stdout", "--db", str(demo_db)],
            cwd=REPO,
            stdout=redirected,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "trellis"
    assert "Exported" in result.stderr


def test_a_database_through_a_symlink_and_its_real_path_has_one_set_of_backups(tmp_path):
    real = tmp_path / "real" / "r.db"
    real.parent.mkdir()
    assert run_trellis("demo", db=real).returncode == 0
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert run_trellis("backup", db=link).returncode == 0
    assert run_trellis("backup", db=real).returncode == 0
    via_link = json.loads(run_trellis("backups", "--json", db=link).stdout)
    via_real = json.loads(run_trellis("backups", "--json", db=real).stdout)
    assert len(via_link) == 2 and via_link == via_real
    assert all(Path(b["path"]).parent == real.parent / "backups" for b in via_real)
    assert not (tmp_path / "backups").exists()


# ---------------------------------------------------------------- 8. what killed runs leave


def stale(path: Path, content: bytes) -> Path:
    """A file as a killed run leaves it: written, then quiet for longer than the grace period."""
    path.write_bytes(content)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    return path


def test_the_next_start_removes_our_stale_partials_whatever_they_hold(demo_db):
    """A backup killed before page 1 was written (zeros), its journal, a half-written export."""
    folder = demo_db.parent
    zeros = stale(folder / ".copy.db.0123abcd.partial", bytes(8192))
    journal = stale(folder / ".copy.db.0123abcd.partial-journal", bytes(512))
    export = stale(folder / ".report.json.89abcdef.partial", b'{"format": "trel')
    (folder / "backups").mkdir()
    in_backups = stale(
        folder / "backups" / f".{demo_db.name}.2026-01-01_00-00-00_000000_auto.db.0a1b2c3d.partial",
        bytes(4096),
    )
    mine = stale(folder / ".notes.partial", b"a user's own file, not of our naming")
    assert run_trellis("check", db=demo_db).returncode == 0
    assert [p.exists() for p in (zeros, journal, export, in_backups)] == [False] * 4
    assert mine.read_bytes() == b"a user's own file, not of our naming"


def test_a_partial_a_live_process_still_holds_is_kept(demo_db):
    """Quiet but locked: a backup in another process that is slow between two steps."""
    partial = stale(demo_db.parent / ".copy.db.0123abcd.partial", bytes(8192))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.lockf(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(120)",
            str(partial),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert run_trellis("check", db=demo_db).returncode == 0
        assert partial.exists()
    finally:
        holder.kill()
        holder.wait()
    assert run_trellis("check", db=demo_db).returncode == 0
    assert not partial.exists()


# ---------------------------------------------------------------- 5. bytes in text columns

NOT_TEXT = [
    "UPDATE clients SET name = x'ff' WHERE rowid = (SELECT max(rowid) FROM clients)",
    "UPDATE client_goals SET title = x'41ff42' WHERE rowid = (SELECT min(rowid) FROM client_goals)",
    "UPDATE targets SET updated_at = x'00ff' WHERE rowid = (SELECT max(rowid) FROM targets)",
    "UPDATE clients SET name = CAST(x'41ff42' AS TEXT) WHERE rowid = (SELECT max(rowid) FROM "
    "clients)",
]


@pytest.mark.parametrize(
    "statement", NOT_TEXT, ids=["blob-name", "blob-title", "blob-time", "utf8"]
)
def test_bytes_in_a_text_column_are_a_bad_value_and_no_command_fails_on_them(
    demo_db, tmp_path, statement
):
    """check names the row; trash and backup work; export writes U+FFFD and says so."""
    sql(demo_db, statement)
    checked = run_trellis("check", db=demo_db)
    assert checked.returncode == 1 and "bad-value" in checked.stdout, checked.stderr
    assert "is not UTF-8 text" in checked.stdout
    for command in (("trash",), ("backup",)):
        result = run_trellis(*command, db=demo_db)
        no_traceback(result)
        assert result.returncode == 0, result.stderr
    out = tmp_path / "e.json"
    exported = run_trellis("export", "--to", str(out), db=demo_db)
    assert exported.returncode == 0, exported.stderr
    assert "\ufffd" in json.dumps(json.loads(out.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "not UTF-8 text" in exported.stderr


def test_restore_accepts_a_backup_with_bytes_in_a_name_and_check_then_names_it(demo_db, tmp_path):
    """A sound Trellis file whose values another tool wrote: restorable, and check says what."""
    made = tmp_path / "b.db"
    assert run_trellis("backup", "--to", str(made), db=demo_db).returncode == 0
    sql(made, "UPDATE clients SET name = x'ff' WHERE rowid = 1")
    restored = run_trellis("restore", str(made), "--yes", db=demo_db)
    assert restored.returncode == 0, restored.stderr
    checked = run_trellis("check", db=demo_db)
    assert checked.returncode == 1 and "Name is not UTF-8 text" in checked.stdout


# ---------------------------------------------------------------- 6, 7. times off the calendar


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1899-12-31T00:00:00+00:00"]
)
def test_import_refuses_a_time_outside_the_years_1900_to_9998(demo_db, tmp_path, stamp):
    doc = one_client_document(tmp_path / "n.json", "Odd", deleted_at=stamp)
    before = sha256(demo_db), sorted(demo_db.parent.iterdir())
    result = run_trellis("import", str(doc), db=demo_db)
    one_line_error(result, 2, "Deleted at must be a time from the year 1900 to 9998")
    assert (sha256(demo_db), sorted(demo_db.parent.iterdir())) == before
