"""Run the real `trellis` command as a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_trellis(
    *args: str,
    db: Path | None = None,
    stdin: str | None = None,
    text: bool = True,
    wrapper: Sequence[str] = (),
    env: dict[str, str] | None = None,
):
    """`text=False`: stdout and stderr as the bytes written (no newline translation);
    `wrapper`: a command to run it under (`bound_by_permissions`); `env`: variables to set."""
    command = [*wrapper, sys.executable, "-m", "cli", *args]
    if db is not None:
        command += ["--db", str(db)]
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"} | (env or {})
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


def listing(folder: Path) -> list[str]:
    """Every file and folder under `folder`, by its path from there."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def bound_by_permissions() -> list[str]:
    """What to run `trellis` under so that a folder's permissions bind it: nothing for an
    ordinary user; for root, which writes into any folder, setpriv without the capabilities
    that let it."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root, and without setpriv a read-only folder would not stop root")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@pytest.fixture
def read_only_folder(tmp_path):
    """An empty folder nobody may write into (made writable again for pytest's clean-up)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)
