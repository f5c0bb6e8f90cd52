"""The double-clickable app in figures: the size of dist/Trellis, and the start-up of the frozen
`Trellis --smoke-test` beside `python -m cli --smoke-test` (both headless, interleaved medians).

The bench runner calls `run(ctx)` like a case module. It builds the app afresh from build.spec
in the bench's work folder when PyInstaller is installed (`make app` installs it), else it
measures an existing dist/Trellis, so the figures are never of a stale build by surprise.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bench.timing import Result, paired

REPO = Path(__file__).resolve().parents[1]
BUILT = REPO / "dist" / "Trellis"
# The frozen app unpacks nothing (one-folder build), so it should start about as fast as
# `python -m`; three times slower means something big is being loaded or scanned.
START_TARGET = ("max", 3.0)


def run(ctx) -> list[Result]:
    folder, source = app_folder(ctx.workdir)
    if folder is None:
        return [Result("app_size", "app: size of dist/Trellis", None, error=source)]
    return [size_result(folder, source), start_result(folder, ctx.reps(7, 3))]


def app_folder(workdir: Path) -> tuple[Path | None, str]:
    """The app to measure and where it came from (or None and why there is none)."""
    if importlib.util.find_spec("PyInstaller") is not None:
        return build(workdir / "app"), "built now from build.spec"
    if (BUILT / "Trellis").is_file():
        return BUILT, "the existing dist/Trellis (PyInstaller is not installed)"
    return None, "no dist/Trellis and no PyInstaller to build it: run `make app` first"


def build(out: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", str(REPO / "build.spec")]
    command += ["--distpath", str(out / "dist"), "--workpath", str(out / "build")]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return out / "dist" / "Trellis"


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of the regular files under `folder` (links are not counted twice)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def size_result(folder: Path, source: str) -> Result:
    total, files = folder_size(folder)
    return Result(
        "app_size",
        "app: size of dist/Trellis",
        total / 2**20,
        unit="MiB",
        extra={"bytes": total, "files": files, "app": source},
    )


def smoke(command: list[str]) -> Callable[[], None]:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}

    def start() -> None:
        subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)

    return start


def start_result(folder: Path, reps: int) -> Result:
    frozen, source = paired(
        smoke([str(folder / "Trellis"), "--smoke-test"]),
        smoke([sys.executable, "-m", "cli", "--smoke-test"]),
        reps,
    )
    return Result(
        "app_start",
        "app: start-up, frozen --smoke-test",
        frozen,
        baseline=source,
        target=START_TARGET,
        ours_label="dist/Trellis/Trellis --smoke-test",
        baseline_label="python -m cli --smoke-test",
        extra={"repetitions": reps},
    )
