"""Run the real `trellis` command as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_trellis(*args: str, db: Path | None = None, stdin: str | None = None, text: bool = True):
    """`text=False`: stdout and stderr as the bytes written (no newline translation)."""
    command = [sys.executable, "-m", "cli", *args]
    if db is not None:
        command += ["--db", str(db)]
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=text, input=stdin, env=env, timeout=120
    )


def json_out(result) -> object:
    return json.loads(result.stdout)


@pytest.fixture
def demo_db(tmp_path):
    path = tmp_path / "trellis.db"
    result = run_trellis("demo", db=path)
    assert result.returncode == 0, result.stderr
    return path
