"""`trellis report` as a subprocess: a PDF whose text names the client and its goals, with no
screen at all; every refusal one sentence with exit 2 and the database file unchanged."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader

from store import ops
from store.opening import close_database, open_database
from tests.cli.conftest import REPO, listing, run_trellis


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_of(path) -> str:
    found = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return "\n".join(re.sub(r"[ \t]+", " ", line) for line in found.splitlines())


def test_report_writes_the_clients_pdf(demo_db, tmp_path):
    target = tmp_path / "maya.pdf"
    result = run_trellis(
        "report", "--client", "Maya Okafor", "--to", str(target), "--paper", "letter", db=demo_db
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote the report on Maya Okafor to {target}.\n"
    text = text_of(target)
    assert text.startswith("Maya Okafor\nClient report, ")
    for title in ("Lead a team with confidence", "Rebuild a steady fitness routine"):
        assert title in text
    assert (round(PdfReader(target).pages[0].mediabox.width)) == 612


def test_report_needs_no_screen(demo_db, tmp_path):
    """No DISPLAY, no WAYLAND_DISPLAY and no QT_QPA_PLATFORM: Qt must not look for a screen."""
    target = tmp_path / "leo.pdf"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    command = [sys.executable, "-m", "cli", "report", "--client", "Leo Brandt"]
    result = subprocess.run(
        command + ["--to", str(target), "--db", str(demo_db)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Leo Brandt" in text_of(target)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--since", "yesterday"], "--since takes a date like 2026-03-31 (got 'yesterday')."),
        (
            ["--since", "2026-01-01", "--session", "x"],
            "Give --since DATE or --session ID, not both.",
        ),
        (["--session", "nope"], "'Maya Okafor' has no session with the id 'nope'"),
        (["--client", "Nobody"], "Nobody"),
    ],
)
def test_report_refuses_bad_input_in_one_sentence(demo_db, tmp_path, args, said):
    before = sha256(demo_db)
    target = tmp_path / "r.pdf"
    wanted = args if "--client" in args else ["--client", "Maya Okafor", *args]
    result = run_trellis("report", "--to", str(target), *wanted, db=demo_db)
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists() and sha256(demo_db) == before


@pytest.mark.parametrize("aim", ["database", "wal", "folder"])
def test_report_over_the_database_or_a_folder_is_refused(demo_db, tmp_path, aim):
    before = sha256(demo_db)
    target = {
        "database": demo_db,
        "wal": demo_db.with_name(demo_db.name + "-wal"),
        "folder": tmp_path,
    }[aim]
    result = run_trellis("report", "--client", "Maya Okafor", "--to", str(target), db=demo_db)
    assert result.returncode == 2, result.stderr
    assert "give the report a" in result.stderr and "Traceback" not in result.stderr
    assert sha256(demo_db) == before


def test_report_since_the_calendars_first_day_covers_the_whole_history(demo_db, tmp_path):
    before = sha256(demo_db)
    target = tmp_path / "all.pdf"
    result = run_trellis(
        "report", "--client", "Maya Okafor", "--to", str(target), "--since", "0001-01-01",
        db=demo_db, env={"TZ": "Asia/Tokyo"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Since 0001-01-01" in text_of(target)
    assert sha256(demo_db) == before


def test_report_on_a_client_with_no_session_yet_covers_since_it_was_added(demo_db, tmp_path):
    """As File → Export client report does (store.report.default_period); `digest` still asks
    for a day (DESIGN says nothing of its default, and it is text read at once)."""
    open_database(demo_db)
    try:
        added = ops.create_client("Empty Client")["created_at"][:10]
    finally:
        close_database()
    before = sha256(demo_db)
    target = tmp_path / "empty-client.pdf"
    result = run_trellis("report", "--client", "Empty Client", "--to", str(target), db=demo_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote the report on Empty Client to {target}.\n"
    day = min(added, date.today().isoformat())
    assert f"Since {day} (no session yet)" in text_of(target)
    assert sha256(demo_db) == before


@pytest.mark.parametrize("name", ["export.json", "noext", "a.txt", "report.pdf.bak", "pdf"])
def test_report_refuses_a_target_not_named_pdf_before_reading_anything(demo_db, tmp_path, name):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "export.json").write_bytes(b'{"format": "trellis"}\n')
    before, files = sha256(demo_db), listing(tmp_path)
    target = folder / name
    result = run_trellis("report", "--client", "Maya Okafor", "--to", str(target), db=demo_db)
    assert result.stderr == (
        f"trellis: {target} is not a .pdf file name; give the report a file name ending in .pdf.\n"
    )
    assert result.returncode == 2 and result.stdout == ""
    assert sha256(demo_db) == before and listing(tmp_path) == files
    assert (folder / "export.json").read_bytes() == b'{"format": "trellis"}\n'


def test_report_named_pdf_in_capitals_goes_into_new_folders_as_an_export_does(demo_db, tmp_path):
    report = tmp_path / "new" / "sub" / "Maya.PDF"
    result = run_trellis("report", "--client", "Maya Okafor", "--to", str(report), db=demo_db)
    assert result.returncode == 0, result.stderr
    assert text_of(report).startswith("Maya Okafor\n")
    export = tmp_path / "other" / "sub" / "all.json"
    assert run_trellis("export", "--to", str(export), db=demo_db).returncode == 0
    assert listing(tmp_path) == [
        "new",
        "new/sub",
        "new/sub/Maya.PDF",
        "other",
        "other/sub",
        "other/sub/all.json",
        "trellis.db",
    ]


@pytest.mark.parametrize("name", ["a.pdf", "new/sub/a.pdf"])
def test_report_into_a_folder_it_cannot_write_names_the_file_asked_for(
    demo_db, read_only_folder, bound_by_permissions, name
):
    before = sha256(demo_db)
    target = read_only_folder / name
    result = run_trellis(
        "report", "--client", "Maya Okafor", "--to", str(target),
        db=demo_db, preexec=bound_by_permissions,
    )  # fmt: skip
    assert result.stderr == (
        f"trellis: Cannot write {target}: permission denied; choose a folder you can write to.\n"
    )
    assert result.returncode == 2 and result.stdout == ""
    assert listing(read_only_folder) == []  # no .partial file, no folder made for it
    assert sha256(demo_db) == before


def test_report_on_a_client_with_an_unreadable_creation_day_covers_its_whole_history(
    demo_db, tmp_path
):
    open_database(demo_db)
    try:
        root = ops.create_client("Hand Edited")["id"]
        ops.create_goal(root, "Still reported")
    finally:
        close_database()
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE clients SET created_at = 'garbage' WHERE id = ?", (root,))
    conn.commit()
    conn.close()
    target = tmp_path / "hand.pdf"
    result = run_trellis("report", "--client", "Hand Edited", "--to", str(target), db=demo_db)
    assert result.returncode == 0, result.stderr
    text = text_of(target)
    assert "Since the client was added (no session yet)" in text and "Still reported" in text


def limited_to(size: int):
    """What a full disk does to a writer, for one child process: writes past `size` bytes fail
    (EFBIG), and Qt's PDF writer, like on a full disk, says nothing."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_a_report_cut_short_by_the_disk_is_refused_and_leaves_no_file(demo_db, tmp_path):
    """It used to say "Wrote the report" over a PDF cut off where the disk filled."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "maya.pdf"
    result = run_trellis(
        *("report", "--client", "Maya Okafor", "--to", str(target)),
        db=demo_db,
        preexec=limited_to(40_000),  # the demo's report of Maya is about 44 KB
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"trellis: Cannot write {target}: the PDF could not be written whole; "
        "nothing was written.\n"
    )
    assert result.stdout == "" and list(out.iterdir()) == []
