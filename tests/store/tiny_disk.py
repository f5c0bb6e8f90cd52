"""Run the real CLI against a database on a tiny disk that fills up, then turns read-only.

    unshare --user --map-root-user --mount python tiny_disk.py WORKDIR

A user namespace lets an unprivileged test mount its own 2 MB tmpfs (and remount it
read-only, which even root cannot write through, unlike a chmod). Prints one JSON report of
what each command returned and what the database held afterwards.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from store import ops  # noqa: E402
from store.opening import close_database, open_database  # noqa: E402


def mount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)


def remount(point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(point)], check=True)


def trellis(db: Path, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(db), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return {"rc": done.returncode, "stderr": done.stderr, "stdout": done.stdout}


def fill(disk: Path) -> Path:
    """Write a filler file until the disk refuses another byte."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\1" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def contents(db: Path) -> dict:
    """What must survive: every client and goal, and SQLite's own verdict on the file."""
    conn = sqlite3.connect(db)
    try:
        return {
            "clients": sorted(r[0] for r in conn.execute("SELECT name FROM clients")),
            "goals": sorted(r[0] for r in conn.execute("SELECT title FROM client_goals")),
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
            "foreign_keys": conn.execute("PRAGMA foreign_key_check").fetchall(),
        }
    finally:
        conn.close()


def backups(disk: Path) -> list[str]:
    folder = disk / "backups"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def main(workdir: Path) -> dict:
    disk = workdir / "disk"
    disk.mkdir()
    mount(disk, "size=2m")
    db = disk / "trellis.db"
    open_database(db)
    client = ops.create_client("Ana Silva")
    ops.create_goal(client["id"], "Run a marathon")
    close_database()
    report: dict = {"first_backup": trellis(db, "backup"), "start": contents(db)}
    report["backups_before"] = backups(disk)
    # A database elsewhere, writing its export or backup onto this disk.
    outside = workdir / "outside.db"
    report["outside_demo"] = trellis(outside, "demo")

    # As when the app is running: its connection keeps the -wal and -shm files in place.
    keeper = sqlite3.connect(db)
    keeper.execute("SELECT count(*) FROM clients").fetchall()
    filler = fill(disk)
    report["full_open"] = {cmd: trellis(db, cmd) for cmd in ("demo", "backup")}
    keeper.close()
    report["full_closed"] = {cmd: trellis(db, cmd) for cmd in ("demo", "backup")}
    report["full_export"] = trellis(outside, "export", "--to", str(disk / "out.json"))
    report["export_left_behind"] = (disk / "out.json").exists()
    report["backups_when_full"] = backups(disk)
    filler.unlink()
    report["after_full"] = contents(db)

    remount(disk, "ro")
    report["readonly"] = {cmd: trellis(db, cmd) for cmd in ("demo", "backup")}
    report["readonly_backup_to"] = trellis(outside, "backup", "--to", str(disk / "copy.db"))
    report["readonly_export"] = trellis(outside, "export", "--to", str(disk / "out.json"))
    remount(disk, "rw")
    report["after_readonly"] = contents(db)
    report["backups_after"] = backups(disk)
    report["demo_with_space"] = trellis(db, "demo")
    return report


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
