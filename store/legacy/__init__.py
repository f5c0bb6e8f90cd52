"""Importing the legacy coaching database (DESIGN §7, the seed's Option A migration).

    plan = plan_import("old.db")                # read-only: the legacy file and the target
    print("\\n".join(lines(document(plan, dry_run=True))))
    result = run_plan(plan)                     # backup, one transaction, verify, check

`plan_import(path, target)` plans against a Trellis file it does not touch (a dry run; the
file need not exist); without `target` it plans against the database the store has open.
"""

from __future__ import annotations

from pathlib import Path

from store.errors import ValidationError
from store.legacy.apply import ImportCancelled, Progress, run_plan
from store.legacy.plan import ATTENTION_NAME, Plan, build_plan
from store.legacy.report import document, lines
from store.legacy.source import LegacyData, read_legacy
from store.legacy.target import state_of_file, state_of_open_database
from store.models import current_path

__all__ = [
    "ATTENTION_NAME",
    "ImportCancelled",
    "LegacyData",
    "Plan",
    "Progress",
    "build_plan",
    "document",
    "import_file",
    "lines",
    "plan_import",
    "read_legacy",
    "run_plan",
]


def plan_import(
    legacy_path: Path, target_path: Path | None = None, data: LegacyData | None = None
) -> Plan:
    """The plan for importing `legacy_path` (already read into `data`, if given); nothing is
    written anywhere."""
    target = Path(target_path) if target_path is not None else current_path()
    if target is not None and same_file(Path(legacy_path), target):
        raise ValidationError(
            f"{Path(legacy_path).name} is the Trellis database itself; choose the legacy file."
        )
    data = data or read_legacy(Path(legacy_path))
    state = state_of_file(target) if target_path is not None else state_of_open_database()
    return build_plan(data, state)


def same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.resolve() == b.resolve()


def import_file(legacy_path: Path, progress: Progress | None = None) -> tuple[Plan, dict]:
    """Plan and import `legacy_path` into the open database (what `make bench` times)."""
    plan = plan_import(legacy_path)
    return plan, run_plan(plan, progress)
