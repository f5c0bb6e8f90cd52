"""Case 9: backing up the 20-client file, against the `sqlite3` shell's `.backup`.

Ours is `store.backup`'s copy (the online backup API, then the copy made a self-contained
file and fsynced); its verification (`check_file`: header, application id, `quick_check`)
and the public `backup_to` (copy + verify + atomic rename) are reported beside it.
The baseline is Debian's `sqlite3` shell, process start included, which copies through the
same backup API in one step.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.context import Context
from bench.timing import Result, interleaved
from store import backup, sqlite
from store.opening import close_database, open_database

SQLITE_PACKAGE = "sqlite3"


def sqlite3_shell() -> str:
    """The sqlite3 shell's path, installing Debian's package first if it is missing."""
    found = shutil.which("sqlite3")
    if found:
        return found
    print(
        "bench: the sqlite3 shell (the backup baseline) is missing; "
        f"installing Debian's {SQLITE_PACKAGE} package with apt-get...",
        file=sys.stderr,
    )
    apt = ["apt-get", "install", "-y", "--no-install-recommends", SQLITE_PACKAGE]
    try:
        subprocess.run(apt, check=True, stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(
            f"Could not install the sqlite3 shell ({exc}); run `apt-get install -y sqlite3` "
            "as root and run the benchmark again."
        ) from exc
    found = shutil.which("sqlite3")
    if not found:
        raise RuntimeError("apt-get ran but no sqlite3 shell is on PATH.")
    return found


def fresh(path: Path) -> Path:
    path.unlink(missing_ok=True)
    return path


def run(ctx: Context) -> list[Result]:
    shell = sqlite3_shell()
    out = ctx.workdir / "backups"
    out.mkdir(exist_ok=True)
    ours_copy, shell_copy, public_copy = out / "ours.db", out / "shell.db", out / "public.db"

    def ours() -> None:
        sqlite.copy_database(ctx.big, fresh(ours_copy))

    def baseline() -> None:
        target = fresh(shell_copy)
        subprocess.run([shell, str(ctx.big), f".backup '{target}'"], check=True)

    def public() -> None:
        backup.backup_to(fresh(public_copy))

    open_database(ctx.big)
    try:
        times = interleaved({"copy": ours, "shell": baseline, "backup_to": public}, ctx.reps(3, 1))
    finally:
        close_database()
    ours()
    verify = interleaved({"verify": lambda: backup.check_file(ours_copy)}, ctx.reps(3, 1))
    extra = {
        "verify_seconds": verify["verify"],
        "backup_to_seconds": times["backup_to"],
        "backup_to_ratio": times["backup_to"] / times["shell"],
        "copy_plus_verify_ratio": (times["copy"] + verify["verify"]) / times["shell"],
        "file_bytes": ctx.big.stat().st_size,
        "sqlite3_shell": shell,
    }
    for path in (ours_copy, shell_copy, public_copy):
        path.unlink(missing_ok=True)
    return [
        Result(
            "backup",
            "backup of the 20-client file",
            times["copy"],
            times["shell"],
            ("max", 1.5),
            ours_label="store.sqlite.copy_database (the copy)",
            baseline_label="sqlite3 shell .backup",
            extra=extra,
        )
    ]
