"""`trellis report` as a subprocess: a PDF whose text names the client and its goals, with no
screen at all; every refusal one sentence with exit 2 and the database file unchanged."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from tests.cli.conftest import REPO, run_trellis


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
