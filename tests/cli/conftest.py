"""Run the real `trellis` command as a subprocess."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_trellis(
    *args: str,
    db: Path | None = None,
    stdin: str | None = None,
    text: bool = True,
    preexec: Callable[[], None] | None = None,
    env: dict[str, str] | None = None,
):
    """`text=False`: stdout and stderr as the bytes written (no newline translation);
    `preexec`: run in the child before trellis starts (`bound_by_permissions`, a resource
    limit); `env`: variables to set."""
    command = [sys.executable, "-m", "cli", *args]
    if db is not None:
        command += ["--db", str(db)]
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"} | (env or {})
    return subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=text,
        input=stdin,
        env=env,
        timeout=120,
        preexec_fn=preexec,
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


# prctl(2) and capabilities(7): what `setpriv --bounding-set=-dac_override,-dac_read_search` does.
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def without_root_override() -> None:
    """In the child, before it runs trellis: drop the capabilities that let root write into
    any folder from its bounding set, so the program it starts never has them (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.fixture
def bound_by_permissions() -> Callable[[], None] | None:
    """What to start `trellis` with so that a folder's permissions bind it: nothing for an
    ordinary user; for root, which writes into any folder, `without_root_override`."""
    return without_root_override if os.geteuid() == 0 else None


@pytest.fixture
def read_only_folder(tmp_path):
    """An empty folder nobody may write into (made writable again for pytest's clean-up)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)
